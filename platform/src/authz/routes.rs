//! Roles and their permissions over the API. Everyone signed in may read them; platform
//! admins change what a role allows, effective at once.

use axum::extract::{Path, State};
use axum::http::Method;
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::Row;
use utoipa::ToSchema;

use super::catalog;
use crate::app::AppState;
use crate::audit;
use crate::http::access::{Access, Ctx};
use crate::http::json::ApiJson;
use crate::http::problem::Problem;
use crate::http::Routes;
use crate::kernel::error::{check, Error, FieldProblem, Result};
use crate::tenancy::PLATFORM_TENANT_ID;

pub fn routes(r: Routes) -> Routes {
    r.add(Method::GET, "/api/v1/roles", Access::Authenticated, list)
        .add(
            Method::PUT,
            "/api/v1/roles/{role}",
            Access::Platform("roles:manage"),
            set_permissions,
        )
}

#[derive(Serialize, ToSchema)]
pub struct RoleInfo {
    pub role: String,
    pub description: String,
    /// `object:action`; a `descendant:` prefix applies to the tenants below.
    pub permissions: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Permission {
    pub permission: String,
    pub description: String,
}

#[derive(Serialize, ToSchema)]
pub struct RolesDoc {
    pub roles: Vec<RoleInfo>,
    pub permissions: Vec<Permission>,
}

async fn role_permissions(state: &AppState, role: &str) -> Result<Vec<String>> {
    let rows = sqlx::query(
        "SELECT object, action FROM role_permissions WHERE role = $1 ORDER BY object, action",
    )
    .bind(role)
    .fetch_all(state.db.pool())
    .await?;
    rows.iter()
        .map(|row| {
            let object: String = row.try_get("object")?;
            let action: String = row.try_get("action")?;
            Ok(format!("{object}:{action}"))
        })
        .collect()
}

/// Every role with its permissions, and the catalog of permissions.
#[utoipa::path(get, path = "/api/v1/roles", tag = "roles", responses((status = 200, body = RolesDoc)))]
pub async fn list(State(state): State<AppState>) -> Result<Json<RolesDoc>> {
    let mut roles = Vec::new();
    for (role, description) in catalog::ROLES {
        roles.push(RoleInfo {
            role: role.to_string(),
            description: description.to_string(),
            permissions: role_permissions(&state, role).await?,
        });
    }
    let permissions = catalog::PERMISSIONS
        .iter()
        .map(|(p, d)| Permission {
            permission: p.to_string(),
            description: d.to_string(),
        })
        .collect();
    Ok(Json(RolesDoc { roles, permissions }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RolePermissions {
    pub permissions: Vec<String>,
}

/// Replace what a role allows (platform admins). Takes effect at once.
#[utoipa::path(put, path = "/api/v1/roles/{role}", tag = "roles", params(("role" = String, Path)),
    request_body = RolePermissions,
    responses((status = 200, body = RoleInfo), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn set_permissions(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(role): Path<String>,
    ApiJson(input): ApiJson<RolePermissions>,
) -> Result<Json<RoleInfo>> {
    let description = catalog::ROLES
        .iter()
        .find(|(r, _)| *r == role)
        .map(|(_, d)| d.to_string())
        .ok_or_else(|| Error::NotFound(format!("role `{role}`")))?;
    let problems: Vec<FieldProblem> = input
        .permissions
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
    if role == "platform_admin" && !input.permissions.iter().any(|p| p == "roles:manage") {
        return Err(Error::conflict(
            "platform_admin must keep roles:manage, or nobody could restore it",
        ));
    }

    let mut tx = state.db.tenant(PLATFORM_TENANT_ID).await?;
    sqlx::query("DELETE FROM role_permissions WHERE role = $1")
        .bind(&role)
        .execute(tx.conn())
        .await?;
    let mut permissions = input.permissions.clone();
    permissions.sort();
    permissions.dedup();
    for permission in &permissions {
        let (object, action) = catalog::split(permission).expect("checked above");
        sqlx::query("INSERT INTO role_permissions (role, object, action) VALUES ($1, $2, $3)")
            .bind(&role)
            .bind(object)
            .bind(action)
            .execute(tx.conn())
            .await?;
    }
    audit::append(
        &mut tx,
        &ctx.actor(),
        "role.permissions",
        "role",
        &role,
        json!({"permissions": permissions}),
    )
    .await?;
    tx.commit().await?;
    state.authz.reload().await?;
    Ok(Json(RoleInfo {
        role,
        description,
        permissions,
    }))
}
