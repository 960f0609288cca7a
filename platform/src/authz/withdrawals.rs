//! The permission matrix of an agency: the platform's grants to each role, minus what the
//! agency withdrew within itself. An agency only ever subtracts: a permission the platform
//! does not grant a role cannot be given to it here (that would let an agency's
//! administrator grant themselves more), and the administrators' own `roles:restrict` stays
//! with `tenant_admin`, so the matrix cannot lock everyone out of it.

use std::collections::HashSet;

use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use super::{catalog, Authz, Withdrawn};
use crate::audit;
use crate::kernel::actor::Actor;
use crate::kernel::db::Db;
use crate::kernel::error::{Error, Result};
use crate::kernel::ids;
use crate::tenancy::Tenant;

/// The permission that changes the matrix, which its administrators keep.
pub const RESTRICT: &str = "roles:restrict";

/// One role's row of the matrix.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoleRow {
    pub role: String,
    pub description: String,
    /// Every permission of the catalog, in its order.
    pub cells: Vec<MatrixCell>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MatrixCell {
    /// `object:action`
    pub permission: String,
    /// The platform grants it to the role (the default).
    pub granted_by_platform: bool,
    /// This agency withdrew it (a change from the default).
    pub withdrawn: bool,
}

impl MatrixCell {
    /// What a member holding only this role may do here.
    pub fn effective(&self) -> bool {
        self.granted_by_platform && !self.withdrawn
    }
}

/// Every agency's withdrawals, for the enforcer.
pub(super) async fn load(db: &Db) -> Result<Withdrawn> {
    let rows: Vec<(String, String, String, String)> =
        sqlx::query_as("SELECT tenant_id, role, object, action FROM role_withdrawals")
            .fetch_all(db.pool())
            .await?;
    let mut all = Withdrawn::new();
    for (tenant_id, role, object, action) in rows {
        all.entry(tenant_id)
            .or_default()
            .insert((role, format!("{object}:{action}")));
    }
    Ok(all)
}

/// The agency's matrix: roles an agency holds (not the platform's own) × permissions.
pub async fn matrix(db: &Db, authz: &Authz, tenant: &Tenant) -> Result<Vec<RoleRow>> {
    // The same withdrawals the checks obey, not a second read of every agency's rows.
    let withdrawn = authz.withdrawn_in(&tenant.id);
    let mut rows = Vec::new();
    for (role, description) in catalog::ROLES
        .iter()
        .filter(|(r, _)| *r != "platform_admin")
    {
        let granted: HashSet<String> = super::roles::permissions(db, role)
            .await?
            .into_iter()
            .collect();
        let cells = catalog::PERMISSIONS
            .iter()
            .flat_map(|(p, _)| [p.to_string(), format!("descendant:{p}")])
            .filter(|p| !p.starts_with("descendant:") || granted.contains(p))
            .map(|permission| MatrixCell {
                granted_by_platform: granted.contains(&permission),
                withdrawn: withdrawn.contains(&(role.to_string(), permission.clone())),
                permission,
            })
            .collect();
        rows.push(RoleRow {
            role: role.to_string(),
            description: description.to_string(),
            cells,
        });
    }
    Ok(rows)
}

/// Withdraws `permission` from `role` within the agency (`granted: false`), or gives back
/// one withdrawn before (`granted: true`). Effective at the next request.
pub async fn set(
    db: &Db,
    authz: &Authz,
    actor: &Actor,
    tenant: &Tenant,
    role: &str,
    permission: &str,
    granted: bool,
) -> Result<()> {
    if role == "platform_admin" || !catalog::ROLES.iter().any(|(r, _)| *r == role) {
        return Err(Error::NotFound(format!("role `{role}`")));
    }
    if !catalog::is_permission(permission) {
        return Err(Error::invalid(
            "permission",
            format!("unknown permission `{permission}`"),
        ));
    }
    let by_platform = super::roles::permissions(db, role)
        .await?
        .iter()
        .any(|p| p == permission);
    if !by_platform {
        // Giving back is only ever undoing a withdrawal; adding is the platform's.
        return Err(Error::conflict(format!(
            "the platform does not grant `{permission}` to {role}; an agency can only withdraw \
             what the platform grants, never add (ask the platform administrators)"
        )));
    }
    if !granted && role == "tenant_admin" && permission == RESTRICT {
        return Err(Error::conflict(
            "tenant_admin keeps roles:restrict, or nobody could change the matrix again",
        ));
    }
    let (object, action) = catalog::split(permission).expect("checked above");
    let mut tx = db.tenant(&tenant.id).await?;
    let changed = if granted {
        tx.query(
            "DELETE FROM role_withdrawals WHERE tenant_id = $1 AND role = $2 AND object = $3 AND action = $4",
        )
        .bind(role.to_string())
        .bind(object.to_string())
        .bind(action.to_string())
        .execute(tx.conn())
        .await?
        .rows_affected()
    } else {
        tx.query(
            "INSERT INTO role_withdrawals (tenant_id, role, object, action, withdrawn_by, withdrawn_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (tenant_id, role, object, action) DO NOTHING",
        )
        .bind(role.to_string())
        .bind(object.to_string())
        .bind(action.to_string())
        .bind(actor.user_id.clone())
        .bind(ids::now_text())
        .execute(tx.conn())
        .await?
        .rows_affected()
    };
    if changed > 0 {
        audit::append(
            &mut tx,
            actor,
            if granted {
                "role.permission.restore"
            } else {
                "role.permission.withdraw"
            },
            "role",
            role,
            json!({"permission": permission}),
        )
        .await?;
    }
    tx.commit().await?;
    authz.set_withdrawn(&tenant.id, role, permission, !granted);
    Ok(())
}
