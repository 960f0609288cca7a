//! Tenants over the API.

use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::Json;

use super::service::{self, NewTenant, TenantPatch};
use super::{store, Tenant};
use crate::app::AppState;
use crate::http::access::{Access, Ctx};
use crate::http::json::ApiJson;
use crate::http::problem::Problem;
use crate::http::Routes;
use crate::kernel::error::{Error, Result};

pub fn routes(r: Routes) -> Routes {
    r.add(Method::GET, "/api/v1/tenants", Access::Authenticated, list)
        .add(
            Method::POST,
            "/api/v1/tenants",
            Access::Platform("tenants:manage"),
            create,
        )
        .add(
            Method::GET,
            "/api/v1/tenants/{slug}",
            Access::Tenant("tenant:read"),
            get,
        )
        .add(
            Method::PATCH,
            "/api/v1/tenants/{slug}",
            Access::Tenant("tenants:manage"),
            update,
        )
}

/// The tenants the caller may see: where they hold a role, and below where they
/// oversee.
#[utoipa::path(get, path = "/api/v1/tenants", tag = "tenants",
    responses((status = 200, body = Vec<Tenant>), (status = 401, body = Problem)))]
pub async fn list(State(state): State<AppState>, ctx: Ctx) -> Result<Json<Vec<Tenant>>> {
    let user_id = &ctx.principal()?.user.id;
    let all = store::all(&state.db).await?;
    let mut visible = Vec::new();
    for tenant in &all {
        let ancestors = ancestors_in(&all, tenant);
        let may_read = state
            .authz
            .allowed(user_id, tenant, &ancestors, "tenant", "read")
            .await;
        let may_manage = state
            .authz
            .allowed(user_id, tenant, &ancestors, "tenants", "manage")
            .await;
        if may_manage || (may_read && tenant.active) {
            visible.push(tenant.clone());
        }
    }
    Ok(Json(visible))
}

/// Ancestors from a list already in memory (no query per tenant).
fn ancestors_in(all: &[Tenant], tenant: &Tenant) -> Vec<Tenant> {
    let mut chain = Vec::new();
    let mut next = tenant.parent_id.as_deref();
    while let Some(id) = next {
        match all.iter().find(|t| t.id == id) {
            Some(parent) if chain.len() < 64 => {
                chain.push(parent.clone());
                next = parent.parent_id.as_deref();
            }
            _ => break,
        }
    }
    chain
}

/// Create a tenant (platform admins).
#[utoipa::path(post, path = "/api/v1/tenants", tag = "tenants", request_body = NewTenant,
    responses((status = 201, body = Tenant), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(input): ApiJson<NewTenant>,
) -> Result<(StatusCode, Json<Tenant>)> {
    let tenant = service::create(&state.db, &state.tenants, &ctx.actor(), input).await?;
    Ok((StatusCode::CREATED, Json(tenant)))
}

/// One tenant.
#[utoipa::path(get, path = "/api/v1/tenants/{slug}", tag = "tenants",
    params(("slug" = String, Path)),
    responses((status = 200, body = Tenant), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get(ctx: Ctx) -> Result<Json<Tenant>> {
    Ok(Json(ctx.tenant()?.clone()))
}

/// Rename, move, deactivate or reactivate a tenant (platform admins).
#[utoipa::path(patch, path = "/api/v1/tenants/{slug}", tag = "tenants",
    params(("slug" = String, Path)), request_body = TenantPatch,
    responses((status = 200, body = Tenant), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(patch): ApiJson<TenantPatch>,
) -> Result<Json<Tenant>> {
    let tenant = ctx.tenant()?;
    if let Some(parent) = &patch.parent {
        // Moving needs the right to manage tenants where the tenant lands, too.
        let target = store::by_slug(&state.db, parent)
            .await?
            .ok_or_else(|| Error::invalid("parent", format!("no tenant `{parent}`")))?;
        let ancestors = store::ancestors(&state.db, &target).await?;
        let user_id = &ctx.principal()?.user.id;
        let may = state
            .authz
            .allowed(user_id, &target, &ancestors, "descendant:tenants", "manage")
            .await
            || state
                .authz
                .allowed(user_id, &target, &ancestors, "tenants", "manage")
                .await;
        if !may {
            return Err(Error::forbidden());
        }
    }
    Ok(Json(
        service::update(&state.db, &state.tenants, &ctx.actor(), tenant, patch).await?,
    ))
}
