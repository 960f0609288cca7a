//! Accounts and role assignments in the database (platform tables: an account is global,
//! an assignment is read by the authoriser for every tenant at once).

use serde::Serialize;
use sqlx::{AnyConnection, FromRow};

use crate::kernel::db::Db;
use crate::kernel::error::{Constraint, Error, OnConstraint, Result};

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct User {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub active: bool,
    pub created_at: String,
}

const COLUMNS: &str = "id, email, display_name, active, created_at";

/// A `users` row as stored: `active` is 0 or 1.
#[derive(FromRow)]
struct UserRow {
    id: String,
    email: String,
    display_name: String,
    active: i64,
    created_at: String,
}

impl From<UserRow> for User {
    fn from(row: UserRow) -> User {
        User {
            id: row.id,
            email: row.email,
            display_name: row.display_name,
            active: row.active != 0,
            created_at: row.created_at,
        }
    }
}

pub async fn by_id(conn: &mut AnyConnection, id: &str) -> Result<Option<User>> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE id = $1");
    let row: Option<UserRow> = sqlx::query_as(&sql).bind(id).fetch_optional(conn).await?;
    Ok(row.map(User::from))
}

/// The account and its password hash, for signing in.
pub async fn by_email_with_hash(db: &Db, email: &str) -> Result<Option<(User, String)>> {
    #[derive(FromRow)]
    struct WithHash {
        #[sqlx(flatten)]
        user: UserRow,
        password_hash: String,
    }
    let sql = format!("SELECT {COLUMNS}, password_hash FROM users WHERE email = $1");
    let row: Option<WithHash> = sqlx::query_as(&sql)
        .bind(normalize_email(email))
        .fetch_optional(db.pool())
        .await?;
    Ok(row.map(|row| (row.user.into(), row.password_hash)))
}

pub async fn by_email(conn: &mut AnyConnection, email: &str) -> Result<Option<User>> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE email = $1");
    let row: Option<UserRow> = sqlx::query_as(&sql)
        .bind(normalize_email(email))
        .fetch_optional(conn)
        .await?;
    Ok(row.map(User::from))
}

pub async fn all(db: &Db) -> Result<Vec<User>> {
    let sql = format!("SELECT {COLUMNS} FROM users ORDER BY email");
    let rows: Vec<UserRow> = sqlx::query_as(&sql).fetch_all(db.pool()).await?;
    Ok(rows.into_iter().map(User::from).collect())
}

pub async fn insert(conn: &mut AnyConnection, user: &User, password_hash: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO users (id, email, display_name, password_hash, active, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(user.id.clone())
    .bind(user.email.clone())
    .bind(user.display_name.clone())
    .bind(password_hash)
    .bind(i64::from(user.active))
    .bind(user.created_at.clone())
    .execute(conn)
    .await
    .on_constraint(Constraint::Unique, || {
        Error::conflict(format!(
            "an account with the e-mail address {} exists",
            user.email
        ))
    })?;
    Ok(())
}

pub async fn update(conn: &mut AnyConnection, user: &User) -> Result<()> {
    sqlx::query("UPDATE users SET display_name = $2, active = $3 WHERE id = $1")
        .bind(user.id.clone())
        .bind(user.display_name.clone())
        .bind(i64::from(user.active))
        .execute(conn)
        .await?;
    Ok(())
}

/// The stored hash of an account that exists (the caller is signed in as it).
pub async fn password_hash(conn: &mut AnyConnection, user_id: &str) -> Result<String> {
    sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| Error::NotFound(format!("user {user_id}")))
}

pub async fn set_password_hash(conn: &mut AnyConnection, user_id: &str, hash: &str) -> Result<()> {
    sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1")
        .bind(user_id)
        .bind(hash)
        .execute(conn)
        .await?;
    Ok(())
}

/// E-mail addresses are compared in one form, used for storage, lookup and the sign-in
/// limit alike: surrounding space trimmed, Unicode NFKC (full-width `ａ` is `a`),
/// lower case.
pub fn normalize_email(email: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    email.trim().nfkc().collect::<String>().to_lowercase()
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema, FromRow)]
pub struct Membership {
    pub tenant_id: String,
    pub tenant_slug: String,
    pub role: String,
}

pub async fn memberships(db: &Db, user_id: &str) -> Result<Vec<Membership>> {
    Ok(sqlx::query_as(
        "SELECT r.tenant_id, t.slug AS tenant_slug, r.role FROM role_assignments r \
         JOIN tenants t ON t.id = r.tenant_id WHERE r.user_id = $1 ORDER BY t.slug, r.role",
    )
    .bind(user_id)
    .fetch_all(db.pool())
    .await?)
}

/// Does the user hold a role in at least one active tenant? (Staff of deactivated
/// tenants cannot sign in.)
pub async fn has_active_membership(db: &Db, user_id: &str) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM role_assignments r JOIN tenants t ON t.id = r.tenant_id \
         WHERE r.user_id = $1 AND t.active = 1",
    )
    .bind(user_id)
    .fetch_one(db.pool())
    .await?;
    Ok(n > 0)
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Member {
    pub user: User,
    pub roles: Vec<String>,
}

pub async fn members(db: &Db, tenant_id: &str) -> Result<Vec<Member>> {
    let sql = format!(
        "SELECT {}, r.role FROM role_assignments r JOIN users u ON u.id = r.user_id \
         WHERE r.tenant_id = $1 ORDER BY u.email, r.role",
        COLUMNS
            .split(", ")
            .map(|c| format!("u.{c}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    #[derive(FromRow)]
    struct MemberRow {
        #[sqlx(flatten)]
        user: UserRow,
        role: String,
    }
    let rows: Vec<MemberRow> = sqlx::query_as(&sql)
        .bind(tenant_id)
        .fetch_all(db.pool())
        .await?;
    let mut members: Vec<Member> = Vec::new();
    for MemberRow { user, role } in rows {
        let user = User::from(user);
        match members.last_mut() {
            Some(last) if last.user.id == user.id => last.roles.push(role),
            _ => members.push(Member {
                user,
                roles: vec![role],
            }),
        }
    }
    Ok(members)
}

/// Adds an assignment; false when it existed.
pub async fn grant(
    conn: &mut AnyConnection,
    tenant_id: &str,
    user_id: &str,
    role: &str,
    at: &str,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO role_assignments (tenant_id, user_id, role, granted_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (tenant_id, user_id, role) DO NOTHING",
    )
    .bind(tenant_id)
    .bind(user_id)
    .bind(role)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Removes an assignment; false when there was none.
pub async fn revoke(
    conn: &mut AnyConnection,
    tenant_id: &str,
    user_id: &str,
    role: &str,
) -> Result<bool> {
    let done = sqlx::query(
        "DELETE FROM role_assignments WHERE tenant_id = $1 AND user_id = $2 AND role = $3",
    )
    .bind(tenant_id)
    .bind(user_id)
    .bind(role)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn one_form_for_every_spelling() {
        for typed in [
            " Clerk@City.cn",
            "clerk@city.cn\t",
            "ｃｌｅｒｋ＠ｃｉｔｙ．ｃｎ",
        ] {
            assert_eq!(super::normalize_email(typed), "clerk@city.cn", "{typed:?}");
        }
    }
}
