//! Accounts (platform admins) and tenant members (tenant admins) over the API.

use axum::extract::{Path, State};
use axum::http::{Method, StatusCode};
use axum::Json;

use super::service::{self, NewMember, NewUser, UserPatch};
use super::store::{self, Member, User};
use crate::app::AppState;
use crate::http::access::{Access, Ctx};
use crate::http::json::ApiJson;
use crate::http::problem::Problem;
use crate::http::Routes;
use crate::kernel::error::{Error, Result};

pub fn routes(r: Routes) -> Routes {
    r.add(
        Method::GET,
        "/api/v1/users",
        Access::Platform("users:read"),
        list_users,
    )
    .add(
        Method::POST,
        "/api/v1/users",
        Access::Platform("users:manage"),
        create_user,
    )
    .add(
        Method::GET,
        "/api/v1/users/{id}",
        Access::Platform("users:read"),
        get_user,
    )
    .add(
        Method::PATCH,
        "/api/v1/users/{id}",
        Access::Platform("users:manage"),
        update_user,
    )
    .add(
        Method::GET,
        "/api/v1/tenants/{slug}/members",
        Access::Tenant("members:read"),
        list_members,
    )
    .add(
        Method::POST,
        "/api/v1/tenants/{slug}/members",
        Access::Tenant("members:manage"),
        add_member,
    )
    .add(
        Method::PUT,
        "/api/v1/tenants/{slug}/members/{user_id}/roles/{role}",
        Access::Tenant("members:manage"),
        grant_role,
    )
    .add(
        Method::DELETE,
        "/api/v1/tenants/{slug}/members/{user_id}/roles/{role}",
        Access::Tenant("members:manage"),
        revoke_role,
    )
}

/// Every account (platform admins).
#[utoipa::path(get, path = "/api/v1/users", tag = "users",
    responses((status = 200, body = Vec<User>), (status = 403, body = Problem)))]
pub async fn list_users(State(state): State<AppState>) -> Result<Json<Vec<User>>> {
    Ok(Json(store::all(&state.db).await?))
}

/// Create an account with no roles yet.
#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = NewUser,
    responses((status = 201, body = User), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_user(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(input): ApiJson<NewUser>,
) -> Result<(StatusCode, Json<User>)> {
    let user = service::create_user(&state.db, &ctx.actor(), input).await?;
    Ok((StatusCode::CREATED, Json(user)))
}

/// One account.
#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "users", params(("id" = String, Path)),
    responses((status = 200, body = User), (status = 404, body = Problem)))]
pub async fn get_user(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<User>> {
    let mut conn = state.db.pool().acquire().await?;
    store::by_id(&mut conn, &id)
        .await?
        .map(Json)
        .ok_or_else(|| Error::NotFound(format!("user {id}")))
}

/// Rename, disable (ends the account's sessions) or reset the password of an account.
#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "users", params(("id" = String, Path)),
    request_body = UserPatch,
    responses((status = 200, body = User), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update_user(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<UserPatch>,
) -> Result<Json<User>> {
    Ok(Json(
        service::update_user(state.accounts(), &ctx.actor(), &id, patch).await?,
    ))
}

/// The tenant's members and their roles.
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/members", tag = "members",
    params(("slug" = String, Path)),
    responses((status = 200, body = Vec<Member>), (status = 403, body = Problem)))]
pub async fn list_members(State(state): State<AppState>, ctx: Ctx) -> Result<Json<Vec<Member>>> {
    Ok(Json(store::members(&state.db, &ctx.tenant()?.id).await?))
}

/// Add a member with roles. A platform administrator enrols any account (creating it when
/// the address is new); a tenant's administrator only extends the roles of accounts
/// already in the tenant, and gets one 403 for every other address, known or not.
#[utoipa::path(post, path = "/api/v1/tenants/{slug}/members", tag = "members",
    params(("slug" = String, Path)), request_body = NewMember,
    responses((status = 201, body = Member), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn add_member(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(input): ApiJson<NewMember>,
) -> Result<(StatusCode, Json<Member>)> {
    let member = service::add_member(state.accounts(), &ctx.actor(), ctx.tenant()?, input).await?;
    Ok((StatusCode::CREATED, Json(member)))
}

/// Grant a role in this tenant.
#[utoipa::path(put, path = "/api/v1/tenants/{slug}/members/{user_id}/roles/{role}", tag = "members",
    params(("slug" = String, Path), ("user_id" = String, Path), ("role" = String, Path)),
    responses((status = 204), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn grant_role(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_slug, user_id, role)): Path<(String, String, String)>,
) -> Result<StatusCode> {
    service::grant(
        state.accounts(),
        &ctx.actor(),
        ctx.tenant()?,
        &user_id,
        &role,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Revoke a role in this tenant.
#[utoipa::path(delete, path = "/api/v1/tenants/{slug}/members/{user_id}/roles/{role}", tag = "members",
    params(("slug" = String, Path), ("user_id" = String, Path), ("role" = String, Path)),
    responses((status = 204), (status = 404, body = Problem)))]
pub async fn revoke_role(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_slug, user_id, role)): Path<(String, String, String)>,
) -> Result<StatusCode> {
    service::revoke(
        state.accounts(),
        &ctx.actor(),
        ctx.tenant()?,
        &user_id,
        &role,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
