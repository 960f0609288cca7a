-- Proactive disclosure (主动公开): per-tenant settings, the catalog tree with its review
-- chains, items with immutable versions, review decisions, the confidentiality-scan
-- findings with their resolutions (the redaction log), attachments, index-number
-- sequences and sensitive words. Every table is a tenant table: the primary key starts
-- with tenant_id, foreign keys are composite.
--
-- The catalog is seeded on first use of a tenant's disclosure features (see
-- disclosure::store::ensure_seeded), so tenants created before this migration get it too.

CREATE TABLE disclosure_settings (
    tenant_id     TEXT NOT NULL REFERENCES tenants (id),
    org_code      TEXT NOT NULL,
    index_pattern TEXT NOT NULL,
    seeded_at     TEXT NOT NULL,
    PRIMARY KEY (tenant_id)
);

CREATE TABLE catalog_nodes (
    tenant_id  TEXT NOT NULL REFERENCES tenants (id),
    id         TEXT NOT NULL,
    parent_id  TEXT,
    code       TEXT NOT NULL,
    name       TEXT NOT NULL,
    position   BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, code),
    FOREIGN KEY (tenant_id, parent_id) REFERENCES catalog_nodes (tenant_id, id)
);
CREATE INDEX catalog_nodes_parent ON catalog_nodes (tenant_id, parent_id);

CREATE TABLE catalog_review_steps (
    tenant_id TEXT NOT NULL,
    node_id   TEXT NOT NULL,
    position  BIGINT NOT NULL,
    name      TEXT NOT NULL,
    role      TEXT NOT NULL,
    PRIMARY KEY (tenant_id, node_id, position),
    FOREIGN KEY (tenant_id, node_id) REFERENCES catalog_nodes (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE index_sequences (
    tenant_id TEXT NOT NULL REFERENCES tenants (id),
    year      BIGINT NOT NULL,
    last_seq  BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, year)
);

CREATE TABLE sensitive_words (
    tenant_id  TEXT NOT NULL REFERENCES tenants (id),
    word       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, word)
);

-- One row per item: its state, and the public rendition of the published version
-- (redacted, Markdown rendered) so that a public read is one indexed row.
CREATE TABLE items (
    tenant_id          TEXT NOT NULL REFERENCES tenants (id),
    id                 TEXT NOT NULL,
    node_id            TEXT NOT NULL,
    kind               TEXT NOT NULL,
    index_number       TEXT NOT NULL,
    attribute          TEXT NOT NULL CHECK (attribute IN ('proactive', 'on_request', 'not_disclosed')),
    legal_ground       TEXT,
    attribute_reason   TEXT NOT NULL DEFAULT '',
    working_state      TEXT CHECK (working_state IN ('draft', 'in_review', 'approved', 'scheduled')),
    scheduled_at       TEXT,
    public_state       TEXT NOT NULL CHECK (public_state IN ('never', 'published', 'withdrawn')),
    validity           TEXT NOT NULL CHECK (validity IN ('in_force', 'amended', 'repealed')),
    version            BIGINT NOT NULL,
    cycle_start        BIGINT NOT NULL,
    published_version  BIGINT,
    review_chain       TEXT NOT NULL DEFAULT '[]',
    withdrawn_reason   TEXT,
    changed_on         TEXT NOT NULL,
    due_on             TEXT,
    created_by         TEXT,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    published_at       TEXT,
    first_published_at TEXT,
    public_title       TEXT,
    public_body_html   TEXT,
    public_fields      TEXT,
    public_document_number TEXT,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, index_number),
    FOREIGN KEY (tenant_id, node_id) REFERENCES catalog_nodes (tenant_id, id)
);
CREATE INDEX items_public ON items (tenant_id, public_state, published_at);
CREATE INDEX items_node ON items (tenant_id, node_id, published_at);
CREATE INDEX items_scheduled ON items (tenant_id, working_state, scheduled_at);
CREATE INDEX items_due ON items (tenant_id, due_on);

-- Immutable: every edit adds a version; the client names the version it edited.
CREATE TABLE item_versions (
    tenant_id       TEXT NOT NULL,
    item_id         TEXT NOT NULL,
    number          BIGINT NOT NULL,
    title           TEXT NOT NULL,
    body            TEXT NOT NULL,
    fields          TEXT NOT NULL,
    document_number TEXT,
    created_by      TEXT,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (tenant_id, item_id, number),
    FOREIGN KEY (tenant_id, item_id) REFERENCES items (tenant_id, id)
);

CREATE TABLE review_decisions (
    tenant_id  TEXT NOT NULL,
    id         TEXT NOT NULL,
    item_id    TEXT NOT NULL,
    version    BIGINT NOT NULL,
    step       BIGINT NOT NULL,
    step_name  TEXT NOT NULL,
    verdict    TEXT NOT NULL CHECK (verdict IN ('approve', 'reject')),
    comments   TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, item_id) REFERENCES items (tenant_id, id)
);
CREATE INDEX review_decisions_item ON review_decisions (tenant_id, item_id, version);

-- Findings of the confidentiality scan and how each was resolved: the redaction log.
-- Rows are never deleted.
CREATE TABLE scan_findings (
    tenant_id   TEXT NOT NULL,
    id          TEXT NOT NULL,
    item_id     TEXT NOT NULL,
    version     BIGINT NOT NULL,
    field       TEXT NOT NULL,
    kind        TEXT NOT NULL,
    start_at    BIGINT NOT NULL,
    end_at      BIGINT NOT NULL,
    matched     TEXT NOT NULL,
    masked      TEXT NOT NULL,
    found_at    TEXT NOT NULL,
    resolution  TEXT CHECK (resolution IN ('redact', 'keep')),
    reason      TEXT,
    resolved_by TEXT,
    resolved_at TEXT,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, item_id) REFERENCES items (tenant_id, id)
);
CREATE INDEX scan_findings_item ON scan_findings (tenant_id, item_id, version);

-- Attachments are stored content-addressed (sha256) in the object store; a row says which
-- item holds which content, from which working version on (the portal shows those with
-- version <= the published version).
CREATE TABLE attachments (
    tenant_id  TEXT NOT NULL,
    id         TEXT NOT NULL,
    item_id    TEXT NOT NULL,
    version    BIGINT NOT NULL,
    sha256     TEXT NOT NULL,
    size       BIGINT NOT NULL,
    media_type TEXT NOT NULL,
    name       TEXT NOT NULL,
    created_by TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, item_id) REFERENCES items (tenant_id, id)
);
CREATE INDEX attachments_item ON attachments (tenant_id, item_id);

ALTER TABLE disclosure_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE disclosure_settings FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON disclosure_settings
    USING (tenant_id = ANY (app_tenant_ids()))
    WITH CHECK (tenant_id = ANY (app_tenant_ids()));

ALTER TABLE catalog_nodes ENABLE ROW LEVEL SECURITY;
ALTER TABLE catalog_nodes FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON catalog_nodes
    USING (tenant_id = ANY (app_tenant_ids()))
    WITH CHECK (tenant_id = ANY (app_tenant_ids()));

ALTER TABLE catalog_review_steps ENABLE ROW LEVEL SECURITY;
ALTER TABLE catalog_review_steps FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON catalog_review_steps
    USING (tenant_id = ANY (app_tenant_ids()))
    WITH CHECK (tenant_id = ANY (app_tenant_ids()));

ALTER TABLE index_sequences ENABLE ROW LEVEL SECURITY;
ALTER TABLE index_sequences FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON index_sequences
    USING (tenant_id = ANY (app_tenant_ids()))
    WITH CHECK (tenant_id = ANY (app_tenant_ids()));

ALTER TABLE sensitive_words ENABLE ROW LEVEL SECURITY;
ALTER TABLE sensitive_words FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON sensitive_words
    USING (tenant_id = ANY (app_tenant_ids()))
    WITH CHECK (tenant_id = ANY (app_tenant_ids()));

ALTER TABLE items ENABLE ROW LEVEL SECURITY;
ALTER TABLE items FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON items
    USING (tenant_id = ANY (app_tenant_ids()))
    WITH CHECK (tenant_id = ANY (app_tenant_ids()));

ALTER TABLE item_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE item_versions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON item_versions
    USING (tenant_id = ANY (app_tenant_ids()))
    WITH CHECK (tenant_id = ANY (app_tenant_ids()));

ALTER TABLE review_decisions ENABLE ROW LEVEL SECURITY;
ALTER TABLE review_decisions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON review_decisions
    USING (tenant_id = ANY (app_tenant_ids()))
    WITH CHECK (tenant_id = ANY (app_tenant_ids()));

ALTER TABLE scan_findings ENABLE ROW LEVEL SECURITY;
ALTER TABLE scan_findings FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON scan_findings
    USING (tenant_id = ANY (app_tenant_ids()))
    WITH CHECK (tenant_id = ANY (app_tenant_ids()));

ALTER TABLE attachments ENABLE ROW LEVEL SECURITY;
ALTER TABLE attachments FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON attachments
    USING (tenant_id = ANY (app_tenant_ids()))
    WITH CHECK (tenant_id = ANY (app_tenant_ids()));

