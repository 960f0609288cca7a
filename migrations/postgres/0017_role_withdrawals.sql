-- Permissions an agency has withdrawn from a role within the agency (the permission
-- matrix). Withdrawals only subtract from the platform's grants (role_permissions); an
-- agency never adds. Read by the authorisation loader for every tenant at once, like
-- role_assignments, so the table carries no row-level policy.
CREATE TABLE role_withdrawals (
    tenant_id    TEXT NOT NULL REFERENCES tenants (id),
    role         TEXT NOT NULL,
    object       TEXT NOT NULL,
    action       TEXT NOT NULL,
    withdrawn_by TEXT,
    withdrawn_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, role, object, action)
);
