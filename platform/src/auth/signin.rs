//! Signing in: the rules the JSON API and the console's form share (login limits before
//! the password is checked; the same answer, in about the same time, for an unknown
//! address, a wrong password, a disabled account and an account without an active
//! agency).

use std::net::IpAddr;

use tower_sessions::Session;

use super::password;
use super::principal;
use super::rate_limit::LoginLimiter;
use crate::kernel::db::Db;
use crate::kernel::error::{Error, Result};
use crate::users::store::{self as users, User};

/// Checks the password (after the login limits) and starts a session; returns the user
/// and the session's CSRF token.
pub async fn sign_in(
    db: &Db,
    limiter: &LoginLimiter,
    session: &Session,
    email: &str,
    password_input: &str,
    addr: IpAddr,
) -> Result<(User, String)> {
    let email = users::normalize_email(email);
    limiter.attempt(&email, addr)?;
    let found = users::by_email_with_hash(db, &email).await?;
    // Whether the account may sign in at all is read before the password is checked, for
    // every attempt, and the hash is always verified: a right password for an account
    // without an active agency answers exactly like a wrong one, in about the same time.
    let user_id = found
        .as_ref()
        .map(|(u, _)| u.id.as_str())
        .unwrap_or_default();
    let member = users::has_active_membership(db, user_id).await?;
    let may_sign_in = member && found.as_ref().is_some_and(|(u, _)| u.active);
    let input = password_input.to_string();
    let user = tokio::task::spawn_blocking(move || match found {
        Some((user, hash)) if password::verify(&input, &hash) => Some(user),
        _ => {
            password::verify_nothing(&input);
            None
        }
    })
    .await
    .map_err(Error::internal_from)?;
    let user = user.filter(|_| may_sign_in).ok_or(Error::BadCredentials)?;
    let csrf = principal::start_session(session, &user.id).await?;
    tracing::info!(user_id = %user.id, "signed in");
    Ok((user, csrf))
}
