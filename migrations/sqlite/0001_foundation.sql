-- Foundation: tenants, accounts, roles, tokens, sessions and the audit chain.
-- Ids are UUIDv7 text made in Rust; times are RFC 3339 UTC text (sortable); flags are 0/1.

CREATE TABLE tenants (
    id         TEXT PRIMARY KEY,
    parent_id  TEXT REFERENCES tenants (id),
    slug       TEXT NOT NULL UNIQUE,
    name_zh    TEXT NOT NULL,
    name_en    TEXT NOT NULL DEFAULT '',
    kind       TEXT NOT NULL CHECK (kind IN ('platform', 'government', 'department', 'other')),
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL
);
CREATE INDEX tenants_parent ON tenants (parent_id);

-- The platform itself is the root tenant: platform admins hold their role here,
-- and platform-level actions are audited in its chain.
INSERT INTO tenants (id, parent_id, slug, name_zh, name_en, kind, active, created_at)
VALUES ('00000000-0000-7000-8000-000000000000', NULL, 'platform', '公开平台', 'Gongkai platform',
        'platform', 1, '2026-01-01T00:00:00.000000Z');

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at    TEXT NOT NULL
);

-- Per-tenant role assignments: casbin's `g user role tenant` rules.
CREATE TABLE role_assignments (
    tenant_id  TEXT NOT NULL REFERENCES tenants (id),
    user_id    TEXT NOT NULL REFERENCES users (id),
    role       TEXT NOT NULL,
    granted_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, user_id, role)
);
CREATE INDEX role_assignments_user ON role_assignments (user_id);

-- Shared role templates: casbin's `p role object action` rules, the same for every tenant.
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

-- Audit: one hash chain per tenant. The head row serialises appends.
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

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
