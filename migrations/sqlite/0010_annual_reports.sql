-- Annual reports (政府信息公开工作年度报告, 国办公开办函〔2021〕30号 format): one draft per
-- tenant and year, its figures cell by cell (the computed value always kept; a hand
-- adjustment beside it with its reason), sections 一, 五 and 六 as text, and the carried
-- figure of a year the platform has no report of. See docs/adr/0011.

CREATE TABLE annual_reports (
    tenant_id      TEXT NOT NULL REFERENCES tenants (id),
    year           INTEGER NOT NULL,
    id             TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('draft', 'submitted')),
    -- 一 总体情况, 五 存在的主要问题及改进情况, 六 其他需要报告的事项
    overview       TEXT NOT NULL DEFAULT '',
    problems       TEXT NOT NULL DEFAULT '',
    other_matters  TEXT NOT NULL DEFAULT '',
    -- row 四 of the previous year as JSON [7 columns], set by hand with a reason when the
    -- platform has no report of that year
    prior_carried  TEXT,
    prior_carried_reason TEXT,
    computed_at    TEXT NOT NULL,
    submitted_at   TEXT,
    submitted_by   TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (tenant_id, year),
    UNIQUE (tenant_id, id)
);

-- One row per printed cell (`t3:3.4:person`): the figure as computed from the records and,
-- when adjusted, the value used with who, when and why.
CREATE TABLE annual_report_cells (
    tenant_id   TEXT NOT NULL,
    year        INTEGER NOT NULL,
    cell        TEXT NOT NULL,
    computed    INTEGER NOT NULL,
    adjusted    INTEGER,
    reason      TEXT,
    adjusted_by TEXT,
    adjusted_at TEXT,
    PRIMARY KEY (tenant_id, year, cell),
    FOREIGN KEY (tenant_id, year) REFERENCES annual_reports (tenant_id, year),
    CHECK ((adjusted IS NULL) = (reason IS NULL))
);

-- The report's aggregates read requests by the day received and concluded, items by kind
-- and remedies by the day filed, per tenant (and, for a government's summary, per child).
CREATE INDEX requests_received ON requests (tenant_id, received_on);
CREATE INDEX requests_answered ON requests (tenant_id, answered_on);
CREATE INDEX items_kind ON items (tenant_id, kind);
CREATE INDEX request_remedies_filed ON request_remedies (tenant_id, filed_on);
CREATE INDEX request_fees_paid ON request_fees (tenant_id, paid_on);
