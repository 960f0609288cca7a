//! Who is calling: resolved from a bearer token or from the session cookie, with the
//! session's idle and absolute timeouts enforced here. Accounts and tokens are cached
//! for a few seconds so that an authenticated request needs no database round trip;
//! changes made on this replica invalidate the caches at once.

use std::time::Duration;

use axum::http::HeaderMap;
use tower_sessions::Session;

use super::{tokens, SESSION_CSRF, SESSION_LOGIN_AT, SESSION_SEEN_AT, SESSION_USER};
use crate::kernel::actor::Actor;
use crate::kernel::db::Db;
use crate::kernel::error::{Error, Result};
use crate::users::{store as users, User};

const CACHE_TTL: Duration = Duration::from_secs(5);

#[derive(Debug, Clone)]
pub enum Via {
    Session { csrf: String },
    Token { token_id: String },
}

#[derive(Debug, Clone)]
pub struct Principal {
    pub user: User,
    pub via: Via,
}

impl Principal {
    pub fn actor(&self) -> Actor {
        Actor::user(&self.user.id, &self.user.email)
    }
}

#[derive(Clone)]
pub struct PrincipalCache {
    users: moka::sync::Cache<String, User>,
    /// token hash → (token id, user id)
    tokens: moka::sync::Cache<String, Option<(String, String)>>,
    memberships: moka::sync::Cache<String, Vec<users::Membership>>,
}

impl Default for PrincipalCache {
    fn default() -> Self {
        PrincipalCache {
            users: short_lived(),
            tokens: short_lived(),
            memberships: short_lived(),
        }
    }
}

fn short_lived<V: Clone + Send + Sync + 'static>() -> moka::sync::Cache<String, V> {
    moka::sync::Cache::builder()
        .max_capacity(100_000)
        .time_to_live(CACHE_TTL)
        .build()
}

impl PrincipalCache {
    pub fn forget_user(&self, user_id: &str) {
        self.users.invalidate(user_id);
        self.memberships.invalidate(user_id);
    }

    /// The user's roles in every tenant (cached like the account).
    pub async fn memberships(&self, db: &Db, user_id: &str) -> Result<Vec<users::Membership>> {
        if let Some(found) = self.memberships.get(user_id) {
            return Ok(found);
        }
        let found = users::memberships(db, user_id).await?;
        self.memberships.insert(user_id.to_string(), found.clone());
        Ok(found)
    }

    pub fn forget_tokens(&self) {
        self.tokens.invalidate_all();
    }

    async fn user(&self, db: &Db, user_id: &str) -> Result<Option<User>> {
        if let Some(user) = self.users.get(user_id) {
            return Ok(Some(user));
        }
        let mut conn = db.pool().acquire().await?;
        let user = users::by_id(&mut conn, user_id).await?;
        if let Some(user) = &user {
            self.users.insert(user_id.to_string(), user.clone());
        }
        Ok(user)
    }

    async fn token(&self, db: &Db, token: &str) -> Result<Option<(String, String)>> {
        let key = tokens::hash(token);
        if let Some(found) = self.tokens.get(&key) {
            return Ok(found);
        }
        let found = tokens::lookup(db, token).await?;
        self.tokens.insert(key, found.clone());
        Ok(found)
    }
}

pub struct SessionTimeouts {
    pub idle_secs: i64,
    pub absolute_secs: i64,
}

/// Session times are kept in milliseconds: whole seconds would make short limits jumpy.
/// Real time, not `kernel::clock::Clock`: timeouts are security bounds, which a demo's
/// fixed "today" must not stretch.
fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

fn session_error(err: tower_sessions::session::Error) -> Error {
    Error::internal_cause("session", err)
}

/// Resolves the caller. `Ok(None)` means anonymous; a presented but bad token is an error.
pub async fn resolve(
    db: &Db,
    cache: &PrincipalCache,
    timeouts: &SessionTimeouts,
    headers: &HeaderMap,
    session: Option<&Session>,
) -> Result<Option<Principal>> {
    if let Some(value) = headers.get(axum::http::header::AUTHORIZATION) {
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or(Error::Unauthenticated)?;
        let (token_id, user_id) = cache
            .token(db, token.trim())
            .await?
            .ok_or(Error::Unauthenticated)?;
        let user = cache
            .user(db, &user_id)
            .await?
            .ok_or(Error::Unauthenticated)?;
        if !user.active {
            return Err(Error::Unauthenticated);
        }
        return Ok(Some(Principal {
            user,
            via: Via::Token { token_id },
        }));
    }

    let Some(session) = session else {
        return Ok(None);
    };
    let Some(user_id) = session
        .get::<String>(SESSION_USER)
        .await
        .map_err(session_error)?
    else {
        return Ok(None);
    };
    let now = now_ms();
    let login_at = session
        .get::<i64>(SESSION_LOGIN_AT)
        .await
        .map_err(session_error)?
        .unwrap_or(0);
    let seen_at = session
        .get::<i64>(SESSION_SEEN_AT)
        .await
        .map_err(session_error)?
        .unwrap_or(0);
    if now - login_at >= timeouts.absolute_secs * 1000 || now - seen_at >= timeouts.idle_secs * 1000
    {
        session.flush().await.map_err(session_error)?;
        return Ok(None);
    }
    // Record activity, at most about once a minute (each record is a write).
    let refresh_every = (timeouts.idle_secs * 1000 / 30).clamp(1, 60_000);
    if now - seen_at >= refresh_every {
        session
            .insert(SESSION_SEEN_AT, now)
            .await
            .map_err(session_error)?;
    }
    let user = match cache.user(db, &user_id).await? {
        Some(user) if user.active => user,
        _ => {
            session.flush().await.map_err(session_error)?;
            return Ok(None);
        }
    };
    let csrf = session
        .get::<String>(SESSION_CSRF)
        .await
        .map_err(session_error)?
        .unwrap_or_default();
    Ok(Some(Principal {
        user,
        via: Via::Session { csrf },
    }))
}

/// Starts a signed-in session: a new session id (no fixation), a fresh CSRF token.
pub async fn start_session(session: &Session, user_id: &str) -> Result<String> {
    session.cycle_id().await.map_err(session_error)?;
    let csrf = crate::kernel::crypto::random_token(32);
    let now = now_ms();
    session
        .insert(SESSION_USER, user_id)
        .await
        .map_err(session_error)?;
    session
        .insert(SESSION_CSRF, &csrf)
        .await
        .map_err(session_error)?;
    session
        .insert(SESSION_LOGIN_AT, now)
        .await
        .map_err(session_error)?;
    session
        .insert(SESSION_SEEN_AT, now)
        .await
        .map_err(session_error)?;
    Ok(csrf)
}

pub async fn end_session(session: &Session) -> Result<()> {
    session.flush().await.map_err(session_error)
}
