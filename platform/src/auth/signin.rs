//! Signing in and changing one's own password: the rules the JSON API and the console's
//! forms share (login limits before the password is checked, the same answer for an
//! unknown address and a wrong password, no sign-in without a role in an active agency).

use std::net::IpAddr;

use tower_sessions::Session;

use super::password;
use super::principal;
use super::rate_limit::LoginLimiter;
use crate::kernel::actor::Actor;
use crate::kernel::db::Db;
use crate::kernel::error::{Error, Result};
use crate::users::service::{update_user, Accounts, UserPatch};
use crate::users::store::{self as users, User};

/// Checks the password (after the login limits) and starts a session; returns the user
/// and the session's CSRF token. `Error::BadCredentials` for an unknown address, a
/// wrong password and a disabled account alike.
pub async fn sign_in(
    db: &Db,
    limiter: &LoginLimiter,
    session: &Session,
    email: &str,
    password_input: &str,
    addr: IpAddr,
) -> Result<(User, String)> {
    limiter.attempt(email, addr)?;
    let user = checked(db, email, password_input).await?;
    if !users::has_active_membership(db, &user.id).await? {
        return Err(Error::Forbidden(
            "this account holds no role in an active agency".into(),
        ));
    }
    let csrf = principal::start_session(session, &user.id).await?;
    tracing::info!(user_id = %user.id, "signed in");
    Ok((user, csrf))
}

async fn checked(db: &Db, email: &str, password_input: &str) -> Result<User> {
    let found = users::by_email_with_hash(db, email).await?;
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
    user.filter(|u| u.active).ok_or(Error::BadCredentials)
}

/// The signed-in user changes their own password, proving the current one (counted
/// against the login limits like a sign-in). Every session of the account ends,
/// this one included: the user signs in again with the new password.
pub async fn change_own_password(
    accounts: Accounts<'_>,
    limiter: &LoginLimiter,
    user: &User,
    current: &str,
    new: &str,
    addr: IpAddr,
) -> Result<()> {
    limiter.attempt(&user.email, addr)?;
    if checked(accounts.db, &user.email, current).await.is_err() {
        return Err(Error::invalid(
            "current_password",
            "the current password is not right",
        ));
    }
    let patch = UserPatch {
        password: Some(new.to_string()),
        ..UserPatch::default()
    };
    update_user(
        accounts,
        &Actor::user(&user.id, &user.email),
        &user.id,
        patch,
    )
    .await?;
    Ok(())
}
