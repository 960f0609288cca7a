//! API tokens for integrations: shown once, stored as a SHA-256 hash, revocable, with an
//! optional expiry. A token acts as the user who made it, with that user's roles.
//!
//! Expiry is on the wall clock, not `kernel::clock::Clock`: it is a security bound in
//! real time, and a demo's or test's fixed "today" must neither extend nor cut it short.

use chrono::{Duration, Utc};
use serde::Serialize;
use serde_json::json;
use sqlx::FromRow;

use crate::audit;
use crate::kernel::actor::Actor;
use crate::kernel::crypto;
use crate::kernel::db::Db;
use crate::kernel::error::{Error, Result};
use crate::kernel::ids;
use crate::tenancy::PLATFORM_TENANT_ID;

pub const PREFIX: &str = "gk_";

#[derive(Debug, Clone, Serialize, utoipa::ToSchema, FromRow)]
pub struct TokenInfo {
    pub id: String,
    pub name: String,
    pub created_at: String,
    pub expires_at: Option<String>,
    pub revoked_at: Option<String>,
}

pub fn hash(token: &str) -> String {
    crypto::sha256_hex(token.as_bytes())
}

/// Makes a token for `user_id`; the secret is returned once and never stored.
pub async fn create(
    db: &Db,
    actor: &Actor,
    user_id: &str,
    name: &str,
    expires_in_days: Option<u32>,
) -> Result<(TokenInfo, String)> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(Error::invalid("name", "1–100 characters"));
    }
    if expires_in_days == Some(0) || expires_in_days.is_some_and(|d| d > 3650) {
        return Err(Error::invalid("expires_in_days", "1–3650 days, or none"));
    }
    let secret = format!("{PREFIX}{}", crypto::random_token(32));
    let info = TokenInfo {
        id: ids::new_id(),
        name: name.to_string(),
        created_at: ids::now_text(),
        expires_at: expires_in_days.map(|d| ids::to_text(Utc::now() + Duration::days(d.into()))),
        revoked_at: None,
    };
    let mut tx = db.tenant(PLATFORM_TENANT_ID).await?;
    sqlx::query(
        "INSERT INTO api_tokens (id, user_id, name, token_hash, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(info.id.clone())
    .bind(user_id)
    .bind(info.name.clone())
    .bind(hash(&secret))
    .bind(info.created_at.clone())
    .bind(info.expires_at.clone())
    .execute(tx.conn())
    .await?;
    audit::append(
        &mut tx,
        actor,
        "token.create",
        "api_token",
        &info.id,
        json!({"user_id": user_id, "name": info.name, "expires_at": info.expires_at}),
    )
    .await?;
    tx.commit().await?;
    Ok((info, secret))
}

pub async fn list(db: &Db, user_id: &str) -> Result<Vec<TokenInfo>> {
    Ok(sqlx::query_as(
        "SELECT id, name, created_at, expires_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY created_at",
    )
    .bind(user_id)
    .fetch_all(db.pool())
    .await?)
}

pub async fn revoke(db: &Db, actor: &Actor, user_id: &str, token_id: &str) -> Result<()> {
    let mut tx = db.tenant(PLATFORM_TENANT_ID).await?;
    let done = sqlx::query(
        "UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL",
    )
    .bind(token_id)
    .bind(user_id)
    .bind(ids::now_text())
    .execute(tx.conn())
    .await?;
    if done.rows_affected() == 0 {
        return Err(Error::NotFound(format!("active token {token_id}")));
    }
    audit::append(
        &mut tx,
        actor,
        "token.revoke",
        "api_token",
        token_id,
        json!({"user_id": user_id}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Revokes every live token of an account (password change, account disabled) inside
/// the caller's transaction; returns how many.
pub async fn revoke_all(conn: &mut sqlx::AnyConnection, user_id: &str) -> Result<u64> {
    let done = sqlx::query(
        "UPDATE api_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL",
    )
    .bind(user_id)
    .bind(ids::now_text())
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// The token's id and user, when the token is known, not revoked and not expired.
pub async fn lookup(db: &Db, token: &str) -> Result<Option<(String, String)>> {
    if !token.starts_with(PREFIX) {
        return Ok(None);
    }
    #[derive(FromRow)]
    struct Found {
        id: String,
        user_id: String,
        expires_at: Option<String>,
    }
    let found: Option<Found> = sqlx::query_as(
        "SELECT id, user_id, expires_at FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL",
    )
    .bind(hash(token))
    .fetch_optional(db.pool())
    .await?;
    let Some(found) = found else { return Ok(None) };
    if found.expires_at.is_some_and(|at| at <= ids::now_text()) {
        return Ok(None);
    }
    Ok(Some((found.id, found.user_id)))
}
