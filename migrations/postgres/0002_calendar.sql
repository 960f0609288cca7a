-- The working-day calendar: the State Council's yearly notices (platform data, loaded by
-- platform admins without a release) and each tenant's local adjustments.

CREATE TABLE calendar_years (
    year      BIGINT PRIMARY KEY,
    source    TEXT NOT NULL,
    loaded_at TEXT NOT NULL
);

CREATE TABLE calendar_days (
    date TEXT PRIMARY KEY,
    year BIGINT NOT NULL REFERENCES calendar_years (year),
    kind TEXT NOT NULL CHECK (kind IN ('holiday', 'make_up_workday')),
    name TEXT NOT NULL
);
CREATE INDEX calendar_days_year ON calendar_days (year);

CREATE TABLE calendar_adjustments (
    tenant_id  TEXT NOT NULL REFERENCES tenants (id),
    date       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('day_off', 'workday')),
    reason     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, date)
);

ALTER TABLE calendar_adjustments ENABLE ROW LEVEL SECURITY;
ALTER TABLE calendar_adjustments FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON calendar_adjustments
    USING (tenant_id = ANY (app_tenant_ids()))
    WITH CHECK (tenant_id = ANY (app_tenant_ids()));
