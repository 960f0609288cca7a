//! The roles and permissions the platform knows, and what each role may do on a fresh
//! install. Platform admins change the grants later; the catalog itself is code.

/// Permissions as `object:action`. A permission prefixed `descendant:` held on a tenant
/// applies to every tenant below it (oversight).
pub const PERMISSIONS: &[(&str, &str)] = &[
    ("tenant:read", "read the tenant's profile"),
    ("tenants:manage", "create, rename, move, deactivate tenants"),
    ("members:read", "list the tenant's members and their roles"),
    (
        "members:manage",
        "add members and grant or revoke their roles",
    ),
    ("users:read", "list user accounts"),
    ("users:manage", "create, rename and disable user accounts"),
    ("roles:manage", "change which permissions each role has"),
    (
        "roles:restrict",
        "withdraw permissions from roles within the tenant (never beyond the platform's grants)",
    ),
    ("audit:read", "read and verify the tenant's audit log"),
    (
        "calendar:manage",
        "load the official holiday calendar of a year",
    ),
    (
        "calendar:adjust",
        "add local days off or working days for the tenant",
    ),
    ("items:read", "read the tenant's items, drafts included"),
    ("items:write", "create and edit items"),
    ("items:review", "confidentiality review of items"),
    ("items:approve", "approve items for publication"),
    (
        "items:publish",
        "publish, schedule, withdraw and repeal approved items",
    ),
    (
        "catalog:manage",
        "edit the catalog, review chains, sensitive words and index numbers",
    ),
    (
        "requests:read",
        "read requests for information (without personal data: status, dates, outcome, counts)",
    ),
    (
        "requests:personal_data",
        "read applicants' personal data and request texts; every read is audited",
    ),
    ("requests:handle", "handle requests for information"),
    ("requests:approve", "approve answers"),
    (
        "requests:assign",
        "assign requests to officers or departments",
    ),
    (
        "requests:extend",
        "extend a request's answer period (head of the disclosure office)",
    ),
    ("requests:templates", "edit the agency's reply templates"),
    ("figures:read", "read statistics and reports"),
    (
        "reports:read",
        "read the annual reports' drafts, figures and the records behind them",
    ),
    (
        "reports:write",
        "draft annual reports, adjust figures with a reason, write sections, submit",
    ),
    (
        "sealing:hold",
        "hold a key for sealed openings (三方密钥): register it, contribute a share",
    ),
    (
        "sealing:manage",
        "make sealed openings: bid kind, deadline, opening time, key holders",
    ),
    (
        "sealing:read",
        "read sealed openings and, once opened, their bids and documents",
    ),
    ("plugins:manage", "install plugin versions on the platform"),
    (
        "plugins:configure",
        "enable or disable the tenant's plugins and pin their versions",
    ),
];

pub const ROLES: &[(&str, &str)] = &[
    (
        "platform_admin",
        "平台管理员 — manages tenants, accounts and role permissions",
    ),
    (
        "tenant_admin",
        "单位管理员 — manages the tenant's members and roles",
    ),
    ("editor", "编辑 — drafts and edits items"),
    ("reviewer", "保密审查员 — confidentiality review"),
    ("approver", "审核领导 — approves publication and answers"),
    ("request_officer", "依申请公开经办人 — handles requests"),
    (
        "auditor",
        "审计员 — reads everything, including the audit log",
    ),
    (
        "key_holder",
        "密钥持有人 — holds a share of sealed bids until the opening",
    ),
    (
        "overseer",
        "监督单位 — held on a parent: reads its descendants' items, requests, figures",
    ),
];

pub const DEFAULT_GRANTS: &[(&str, &[&str])] = &[
    (
        "platform_admin",
        &[
            "tenant:read",
            "tenants:manage",
            "members:read",
            "members:manage",
            "users:read",
            "users:manage",
            "roles:manage",
            "audit:read",
            "calendar:manage",
            "plugins:manage",
            "plugins:configure",
            "descendant:plugins:configure",
            "descendant:tenant:read",
            "descendant:tenants:manage",
            "descendant:members:read",
            "descendant:members:manage",
            "descendant:roles:restrict",
        ],
    ),
    (
        "tenant_admin",
        &[
            "tenant:read",
            "members:read",
            "members:manage",
            "roles:restrict",
            "audit:read",
            "calendar:adjust",
            "items:read",
            "catalog:manage",
            "requests:read",
            "requests:assign",
            "requests:templates",
            "figures:read",
            "reports:read",
            "reports:write",
            "sealing:manage",
            "sealing:read",
            "plugins:configure",
        ],
    ),
    (
        "editor",
        &[
            "tenant:read",
            "items:read",
            "items:write",
            "items:publish",
            // The editors run the 信息公开 office, which writes the annual report.
            "reports:read",
            "reports:write",
            // and publish procurement notices, with the bid openings they announce.
            "sealing:manage",
            "sealing:read",
        ],
    ),
    ("reviewer", &["tenant:read", "items:read", "items:review"]),
    (
        "approver",
        &[
            "tenant:read",
            "items:read",
            "items:approve",
            "items:publish",
            "requests:read",
            "requests:personal_data",
            "requests:approve",
            "requests:assign",
            "requests:extend",
        ],
    ),
    (
        "request_officer",
        &[
            "tenant:read",
            "requests:read",
            "requests:personal_data",
            "requests:handle",
        ],
    ),
    (
        "auditor",
        &[
            "tenant:read",
            "members:read",
            "audit:read",
            "items:read",
            "requests:read",
            "figures:read",
            "reports:read",
            "sealing:read",
        ],
    ),
    ("key_holder", &["tenant:read", "sealing:hold"]),
    (
        "overseer",
        &[
            "tenant:read",
            "items:read",
            "requests:read",
            "figures:read",
            "reports:read",
            "descendant:tenant:read",
            "descendant:items:read",
            "descendant:requests:read",
            "descendant:figures:read",
            "descendant:reports:read",
        ],
    ),
];

pub fn is_role(role: &str) -> bool {
    ROLES.iter().any(|(r, _)| *r == role)
}

/// `items:read` and `descendant:items:read` are known; anything else is not.
pub fn is_permission(permission: &str) -> bool {
    let base = permission.strip_prefix("descendant:").unwrap_or(permission);
    PERMISSIONS.iter().any(|(p, _)| *p == base)
}

/// Splits `object:action` at its last colon (objects may themselves contain one).
pub fn split(permission: &str) -> Option<(&str, &str)> {
    permission.rsplit_once(':')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_grants_use_known_roles_and_permissions() {
        for (role, permissions) in DEFAULT_GRANTS {
            assert!(is_role(role), "{role}");
            for p in *permissions {
                assert!(is_permission(p), "{role}: {p}");
            }
        }
        assert_eq!(DEFAULT_GRANTS.len(), ROLES.len());
    }

    #[test]
    fn split_keeps_descendant_prefix_in_the_object() {
        assert_eq!(
            split("descendant:items:read"),
            Some(("descendant:items", "read"))
        );
        assert_eq!(split("items:read"), Some(("items", "read")));
        assert!(!is_permission("items:fly"));
    }
}
