//! Roles and their permissions over the API. Everyone signed in may read them; platform
//! admins change what a role allows, effective at once.

use axum::extract::{Path, State};
use axum::http::Method;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::withdrawals::{self, RoleRow};
use super::{catalog, roles};
use crate::app::AppState;
use crate::http::access::{Access, Ctx};
use crate::http::json::ApiJson;
use crate::http::problem::Problem;
use crate::http::Routes;
use crate::kernel::error::{Error, Result};

pub fn routes(r: Routes) -> Routes {
    r.add(Method::GET, "/api/v1/roles", Access::Authenticated, list)
        .add(
            Method::PUT,
            "/api/v1/roles/{role}",
            Access::Platform("roles:manage"),
            set_permissions,
        )
        .add(Method::GET, MATRIX, Access::Tenant("members:read"), matrix)
        .add(
            Method::PUT,
            MATRIX_CELL,
            Access::Tenant(withdrawals::RESTRICT),
            set_cell,
        )
}

/// The agency's permission matrix.
pub const MATRIX: &str = "/api/v1/tenants/{slug}/permissions";
/// One cell of it.
pub const MATRIX_CELL: &str = "/api/v1/tenants/{slug}/permissions/{role}/{permission}";

/// The agency's permission matrix: every role an agency holds × every permission, with
/// what the platform grants (the default) and what the agency withdrew.
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/permissions", tag = "roles",
    params(("slug" = String, Path)),
    responses((status = 200, body = Vec<RoleRow>), (status = 404, body = Problem)))]
pub async fn matrix(State(state): State<AppState>, ctx: Ctx) -> Result<Json<Vec<RoleRow>>> {
    Ok(Json(
        withdrawals::matrix(&state.db, &state.authz, ctx.tenant()?).await?,
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CellInput {
    /// `false` withdraws the permission from the role in this agency; `true` gives back
    /// one withdrawn before (never more than the platform grants).
    pub granted: bool,
}

/// Withdraw a permission from a role within the agency, or give it back. Effective at the
/// next request of every member holding the role.
#[utoipa::path(put, path = "/api/v1/tenants/{slug}/permissions/{role}/{permission}", tag = "roles",
    params(("slug" = String, Path), ("role" = String, Path), ("permission" = String, Path)),
    request_body = CellInput,
    responses((status = 204), (status = 404, body = Problem), (status = 409, body = Problem),
              (status = 422, body = Problem)))]
pub async fn set_cell(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_slug, role, permission)): Path<(String, String, String)>,
    ApiJson(input): ApiJson<CellInput>,
) -> Result<axum::http::StatusCode> {
    withdrawals::set(
        &state.db,
        &state.authz,
        &ctx.actor(),
        ctx.tenant()?,
        &role,
        &permission,
        input.granted,
    )
    .await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
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

/// Every role with its permissions, and the catalog of permissions.
#[utoipa::path(get, path = "/api/v1/roles", tag = "roles", responses((status = 200, body = RolesDoc)))]
pub async fn list(State(state): State<AppState>) -> Result<Json<RolesDoc>> {
    let mut all = Vec::new();
    for (role, description) in catalog::ROLES {
        all.push(RoleInfo {
            role: role.to_string(),
            description: description.to_string(),
            permissions: roles::permissions(&state.db, role).await?,
        });
    }
    let permissions = catalog::PERMISSIONS
        .iter()
        .map(|(p, d)| Permission {
            permission: p.to_string(),
            description: d.to_string(),
        })
        .collect();
    Ok(Json(RolesDoc {
        roles: all,
        permissions,
    }))
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
    let permissions = roles::set_permissions(
        &state.db,
        &state.authz,
        &ctx.actor(),
        &role,
        &input.permissions,
    )
    .await?;
    Ok(Json(RoleInfo {
        role,
        description,
        permissions,
    }))
}
