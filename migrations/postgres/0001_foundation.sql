-- Foundation: tenants, accounts, roles, tokens, sessions and the audit chain.
-- Ids are UUIDv7 text made in Rust; times are RFC 3339 UTC text (sortable); flags are 0/1, the same
-- representation as on SQLite so that one set of queries serves both backends.
--
-- Tables are owned by the role that runs migrations. The server connects as a login role
-- that is a member of `gongkai_runtime`: not superuser, no BYPASSRLS, owns nothing.

DO $$
BEGIN
    CREATE ROLE gongkai_runtime NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;

GRANT USAGE ON SCHEMA public TO gongkai_runtime;
ALTER DEFAULT PRIVILEGES IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO gongkai_runtime;

-- The tenant scope of the current transaction, set with set_config('app.tenant_ids', …, true).
-- Empty or missing means no tenant: every policy then matches nothing.
CREATE FUNCTION app_tenant_ids() RETURNS text[]
    LANGUAGE sql STABLE
AS $$
    SELECT coalesce(string_to_array(nullif(current_setting('app.tenant_ids', true), ''), ','), '{}')
$$;

CREATE TABLE tenants (
    id         TEXT PRIMARY KEY,
    parent_id  TEXT REFERENCES tenants (id),
    slug       TEXT NOT NULL UNIQUE,
    name_zh    TEXT NOT NULL,
    name_en    TEXT NOT NULL DEFAULT '',
    kind       TEXT NOT NULL CHECK (kind IN ('platform', 'government', 'department', 'other')),
    active     BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL
);
CREATE INDEX tenants_parent ON tenants (parent_id);

INSERT INTO tenants (id, parent_id, slug, name_zh, name_en, kind, active, created_at)
VALUES ('00000000-0000-7000-8000-000000000000', NULL, 'platform', '公开平台', 'Gongkai platform',
        'platform', 1, '2026-01-01T00:00:00.000000Z');

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    active        BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at    TEXT NOT NULL
);

CREATE TABLE role_assignments (
    tenant_id  TEXT NOT NULL REFERENCES tenants (id),
    user_id    TEXT NOT NULL REFERENCES users (id),
    role       TEXT NOT NULL,
    granted_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, user_id, role)
);
CREATE INDEX role_assignments_user ON role_assignments (user_id);

CREATE TABLE role_permissions (
    role   TEXT NOT NULL,
    object TEXT NOT NULL,
    action TEXT NOT NULL,
    PRIMARY KEY (role, object, action)
);

CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    expires_at   TEXT,
    revoked_at   TEXT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE sessions (
    id         TEXT PRIMARY KEY,
    user_id    TEXT,
    data       TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE audit_heads (
    tenant_id TEXT NOT NULL REFERENCES tenants (id),
    seq       BIGINT NOT NULL,
    hash      TEXT NOT NULL,
    PRIMARY KEY (tenant_id)
);

CREATE TABLE audit_log (
    tenant_id   TEXT NOT NULL REFERENCES tenants (id),
    seq         BIGINT NOT NULL,
    id          TEXT NOT NULL,
    at          TEXT NOT NULL,
    actor_id    TEXT,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    target_kind TEXT NOT NULL,
    target_id   TEXT NOT NULL,
    details     TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL,
    PRIMARY KEY (tenant_id, seq),
    UNIQUE (tenant_id, id)
);

CREATE FUNCTION audit_log_append_only() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END
$$;
CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- Row-level security on every tenant table: the second wall behind the tenant-scoped
-- transaction type. FORCE makes it apply to the owner too.
ALTER TABLE audit_heads ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_heads FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON audit_heads
    USING (tenant_id = ANY (app_tenant_ids()))
    WITH CHECK (tenant_id = ANY (app_tenant_ids()));

ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON audit_log
    USING (tenant_id = ANY (app_tenant_ids()))
    WITH CHECK (tenant_id = ANY (app_tenant_ids()));

-- The log is append-only for the server as well.
REVOKE UPDATE, DELETE ON audit_log FROM gongkai_runtime;
