//! Role templates: what each role allows, read and replaced by platform admins. A change
//! is stored with its audit entry in the platform's chain, then the enforcer reloads.

use serde_json::json;

use super::{catalog, Authz};
use crate::audit;
use crate::kernel::actor::Actor;
use crate::kernel::db::Db;
use crate::kernel::error::{check, Error, FieldProblem, Result};
use crate::tenancy::PLATFORM_TENANT_ID;

/// The permissions a role holds, as `object:action`, sorted.
pub async fn permissions(db: &Db, role: &str) -> Result<Vec<String>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT object, action FROM role_permissions WHERE role = $1 ORDER BY object, action",
    )
    .bind(role)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(object, action)| format!("{object}:{action}"))
        .collect())
}

/// Replaces what a role allows; every permission must be in the catalog, and
/// platform_admin keeps `roles:manage`. Returns the permissions stored (sorted, once each).
pub async fn set_permissions(
    db: &Db,
    authz: &Authz,
    actor: &Actor,
    role: &str,
    permissions: &[String],
) -> Result<Vec<String>> {
    let problems: Vec<FieldProblem> = permissions
        .iter()
        .enumerate()
        .filter(|(_, p)| !catalog::is_permission(p))
        .map(|(i, p)| {
            FieldProblem::new(
                format!("permissions[{i}]"),
                format!("unknown permission `{p}`"),
            )
        })
        .collect();
    check(problems)?;
    if role == "platform_admin" && !permissions.iter().any(|p| p == "roles:manage") {
        return Err(Error::conflict(
            "platform_admin must keep roles:manage, or nobody could restore it",
        ));
    }

    let mut tx = db.tenant(PLATFORM_TENANT_ID).await?;
    sqlx::query("DELETE FROM role_permissions WHERE role = $1")
        .bind(role)
        .execute(tx.conn())
        .await?;
    let mut permissions = permissions.to_vec();
    permissions.sort();
    permissions.dedup();
    for permission in &permissions {
        let (object, action) = catalog::split(permission).expect("checked above");
        sqlx::query("INSERT INTO role_permissions (role, object, action) VALUES ($1, $2, $3)")
            .bind(role)
            .bind(object)
            .bind(action)
            .execute(tx.conn())
            .await?;
    }
    audit::append(
        &mut tx,
        actor,
        "role.permissions",
        "role",
        role,
        json!({"permissions": permissions}),
    )
    .await?;
    tx.commit().await?;
    authz.reload().await?;
    Ok(permissions)
}
