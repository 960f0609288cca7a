//! Roles and their permissions over the API. Everyone signed in may read them; platform
//! admins change what a role allows, effective at once.

use axum::extract::{Path, State};
use axum::http::Method;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

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
