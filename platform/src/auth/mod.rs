//! Authentication: passwords, sessions in the SQL database, API tokens, login limits,
//! and the principal (who is calling) that every permission check starts from.

pub mod password;
pub mod principal;
pub mod rate_limit;
pub mod routes;
pub mod session_store;
pub mod signin;
pub mod tokens;

/// Keys in the session record.
pub const SESSION_USER: &str = "user_id";
pub const SESSION_CSRF: &str = "csrf";
pub const SESSION_LOGIN_AT: &str = "login_at";
pub const SESSION_SEEN_AT: &str = "seen_at";

/// The header a cookie-authenticated state change must carry (the session's CSRF token).
pub const CSRF_HEADER: &str = "x-csrf-token";
