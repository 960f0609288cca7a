//! Sign in, sign out, who am I, and the caller's own API tokens.

use axum::extract::{Path, State};
use axum::http::{Method, StatusCode};
use axum::Json;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;
use utoipa::ToSchema;

use super::principal::{self, Via};
use super::tokens;
use crate::app::AppState;
use crate::http::access::{Access, Ctx};
use crate::http::json::ApiJson;
use crate::http::{ClientAddr, Routes};
use crate::kernel::error::{Error, Result};
use crate::users::store::{Membership, User};

pub fn routes(r: Routes) -> Routes {
    r.add(Method::POST, "/api/v1/auth/login", Access::Public, login)
        .add(
            Method::POST,
            "/api/v1/auth/logout",
            Access::Authenticated,
            logout,
        )
        .add(Method::GET, "/api/v1/auth/me", Access::Authenticated, me)
        .add(
            Method::POST,
            "/api/v1/auth/password",
            Access::Authenticated,
            change_password,
        )
        .add(
            Method::GET,
            "/api/v1/auth/tokens",
            Access::Authenticated,
            list_tokens,
        )
        .add(
            Method::POST,
            "/api/v1/auth/tokens",
            Access::Authenticated,
            create_token,
        )
        .add(
            Method::DELETE,
            "/api/v1/auth/tokens/{id}",
            Access::Authenticated,
            revoke_token,
        )
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginInput {
    pub email: String,
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct Me {
    pub user: User,
    pub memberships: Vec<Membership>,
    /// Send this in the `X-CSRF-Token` header with every state change made with the
    /// session cookie. Absent for token calls.
    pub csrf_token: Option<String>,
}

/// Sign in with e-mail and password; sets the session cookie.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginInput,
    responses((status = 200, body = Me), (status = 401, body = crate::http::problem::Problem),
              (status = 429, body = crate::http::problem::Problem)))]
pub async fn login(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    session: Session,
    ApiJson(input): ApiJson<LoginInput>,
) -> Result<Json<Me>> {
    let (user, csrf) = super::signin::sign_in(
        &state.db,
        &state.login_limiter,
        &session,
        &input.email,
        &input.password,
        addr,
    )
    .await?;
    let memberships = state.principals.memberships(&state.db, &user.id).await?;
    Ok(Json(Me {
        user,
        memberships,
        csrf_token: Some(csrf),
    }))
}

/// Sign out: the session ends on the server.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth",
    responses((status = 204), (status = 401, body = crate::http::problem::Problem)))]
pub async fn logout(session: Session) -> Result<StatusCode> {
    principal::end_session(&session).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The signed-in user, their roles in each tenant, and the CSRF token.
#[utoipa::path(get, path = "/api/v1/auth/me", tag = "auth",
    responses((status = 200, body = Me), (status = 401, body = crate::http::problem::Problem)))]
pub async fn me(State(state): State<AppState>, ctx: Ctx) -> Result<Json<Me>> {
    let principal = ctx.principal()?;
    let memberships = state
        .principals
        .memberships(&state.db, &principal.user.id)
        .await?;
    let csrf_token = match &principal.via {
        Via::Session { csrf } => Some(csrf.clone()),
        Via::Token { .. } => None,
    };
    Ok(Json(Me {
        user: principal.user.clone(),
        memberships,
        csrf_token,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

/// Change one's own password (signed in with a session). Every other session and every
/// API token of the account ends; this session stays. Attempts count against the
/// sign-in limits.
#[utoipa::path(post, path = "/api/v1/auth/password", tag = "auth", request_body = PasswordChange,
    responses((status = 204), (status = 401, body = crate::http::problem::Problem),
              (status = 403, body = crate::http::problem::Problem),
              (status = 422, body = crate::http::problem::Problem),
              (status = 429, body = crate::http::problem::Problem)))]
pub async fn change_password(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    ctx: Ctx,
    session: Session,
    ApiJson(input): ApiJson<PasswordChange>,
) -> Result<StatusCode> {
    let principal = ctx.principal()?;
    if !matches!(principal.via, Via::Session { .. }) {
        return Err(Error::Forbidden(
            "sign in with your password to change it (not with an API token)".into(),
        ));
    }
    state.login_limiter.attempt(&principal.user.email, addr)?;
    crate::users::service::change_own_password(
        state.accounts(),
        &principal.actor(),
        &principal.user.id,
        &input.current_password,
        &input.new_password,
        session.id(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's API tokens (never their secrets).
#[utoipa::path(get, path = "/api/v1/auth/tokens", tag = "auth",
    responses((status = 200, body = Vec<tokens::TokenInfo>)))]
pub async fn list_tokens(
    State(state): State<AppState>,
    ctx: Ctx,
) -> Result<Json<Vec<tokens::TokenInfo>>> {
    Ok(Json(
        tokens::list(&state.db, &ctx.principal()?.user.id).await?,
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    pub name: String,
    pub expires_in_days: Option<u32>,
}

#[derive(Serialize, ToSchema)]
pub struct CreatedToken {
    pub token: tokens::TokenInfo,
    /// The secret, shown this once: present it as `Authorization: Bearer <secret>`.
    pub secret: String,
}

/// Make an API token that acts as the caller.
#[utoipa::path(post, path = "/api/v1/auth/tokens", tag = "auth", request_body = NewToken,
    responses((status = 201, body = CreatedToken), (status = 422, body = crate::http::problem::Problem)))]
pub async fn create_token(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(input): ApiJson<NewToken>,
) -> Result<(StatusCode, Json<CreatedToken>)> {
    let principal = ctx.principal()?;
    let (token, secret) = tokens::create(
        &state.db,
        &principal.actor(),
        &principal.user.id,
        &input.name,
        input.expires_in_days,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(CreatedToken { token, secret })))
}

/// Revoke one of the caller's tokens; it stops working at once on this server.
#[utoipa::path(delete, path = "/api/v1/auth/tokens/{id}", tag = "auth",
    params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = crate::http::problem::Problem)))]
pub async fn revoke_token(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    let principal = ctx.principal()?;
    tokens::revoke(&state.db, &principal.actor(), &principal.user.id, &id).await?;
    state.principals.forget_tokens();
    Ok(StatusCode::NO_CONTENT)
}
