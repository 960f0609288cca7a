-- Plugins: installed component versions (platform table) and each tenant's choice of
-- plugin, pinned version and on/off switch (tenant table). Component bytes live in
-- <data_dir>/plugins/<sha256>.wasm; `manifest` is the JSON of `describe` at install.

CREATE TABLE plugin_packages (
    id           TEXT NOT NULL,
    version      TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    manifest     TEXT NOT NULL,
    size         BIGINT NOT NULL,
    installed_at TEXT NOT NULL,
    PRIMARY KEY (id, version)
);

CREATE TABLE tenant_plugins (
    tenant_id      TEXT NOT NULL REFERENCES tenants (id),
    plugin_id      TEXT NOT NULL,
    pinned_version TEXT NOT NULL,
    enabled        BIGINT NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (tenant_id, plugin_id),
    FOREIGN KEY (plugin_id, pinned_version) REFERENCES plugin_packages (id, version)
);

ALTER TABLE tenant_plugins ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_plugins FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON tenant_plugins
    USING (tenant_id = ANY (app_tenant_ids()))
    WITH CHECK (tenant_id = ANY (app_tenant_ids()));
