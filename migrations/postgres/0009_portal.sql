-- The public portal: each tenant's site settings (contact details, record numbers,
-- kiosk, what the request form asks), the host names that serve its portal at `/`, and
-- the versioned pages of its 政府信息公开 column (the guide and the rules).

CREATE TABLE portal_sites (
    tenant_id  TEXT NOT NULL REFERENCES tenants (id),
    settings   TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id)
);

-- Read before any tenant is known (the Host header names it): a platform table, like
-- tenants, holding nothing but the public mapping.
CREATE TABLE portal_hosts (
    host      TEXT NOT NULL,
    tenant_id TEXT NOT NULL REFERENCES tenants (id),
    PRIMARY KEY (host)
);
CREATE INDEX portal_hosts_tenant ON portal_hosts (tenant_id);

-- Every save is a new version; the newest is the one shown, with its date.
CREATE TABLE portal_pages (
    tenant_id  TEXT NOT NULL REFERENCES tenants (id),
    page       TEXT NOT NULL CHECK (page IN ('guide', 'rules')),
    version    BIGINT NOT NULL,
    body       TEXT NOT NULL,
    created_by TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, page, version)
);

ALTER TABLE portal_sites ENABLE ROW LEVEL SECURITY;
ALTER TABLE portal_sites FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON portal_sites
    USING (tenant_id = ANY (app_tenant_ids()))
    WITH CHECK (tenant_id = ANY (app_tenant_ids()));

ALTER TABLE portal_pages ENABLE ROW LEVEL SECURITY;
ALTER TABLE portal_pages FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON portal_pages
    USING (tenant_id = ANY (app_tenant_ids()))
    WITH CHECK (tenant_id = ANY (app_tenant_ids()));
