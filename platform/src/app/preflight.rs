//! Checks `serve` makes before it listens: the PostgreSQL role it serves as cannot
//! bypass row-level security, and no account still signs in with the demo's published
//! password outside the demo.

use anyhow::bail;

use super::{demo, AppState};
use crate::auth::password;
use crate::kernel::config::Config;
use crate::kernel::db::{Backend, Db};
use crate::users::store as users;

pub async fn check(state: &AppState) -> anyhow::Result<()> {
    serving_role(&state.db, &state.config).await?;
    demo_password(state).await
}

/// On PostgreSQL, refuses a serving role that is a superuser, has BYPASSRLS, or owns
/// (or may become the owner of) a table: each switches row-level security off.
pub async fn serving_role(db: &Db, config: &Config) -> anyhow::Result<()> {
    if db.backend() != Backend::Postgres || config.insecure_single_role {
        return Ok(());
    }
    let (role, superuser, bypass): (String, bool, bool) = sqlx::query_as(
        "SELECT rolname::text, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user",
    )
    .fetch_one(db.pool())
    .await?;
    let owned: Vec<String> = sqlx::query_scalar(
        "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' \
         AND pg_has_role(current_user, tableowner, 'MEMBER') ORDER BY 1 LIMIT 3",
    )
    .fetch_all(db.pool())
    .await?;
    let mut why = Vec::new();
    if superuser {
        why.push("is a superuser".to_string());
    }
    if bypass {
        why.push("has BYPASSRLS".to_string());
    }
    if !owned.is_empty() {
        why.push(format!("owns the tables ({}, …)", owned.join(", ")));
    }
    if why.is_empty() {
        return Ok(());
    }
    bail!(
        "refusing to serve: the database role `{role}` {}, which switches row-level \
         security off. Serve as a login role that is not superuser, has no BYPASSRLS, owns \
         nothing and is a member of gongkai_runtime:\n  CREATE ROLE gongkai_app LOGIN \
         PASSWORD '…' NOSUPERUSER NOBYPASSRLS;\n  GRANT gongkai_runtime TO gongkai_app;\n\
         then set database_url to that role and migration_database_url to the owner. \
         (insecure_single_role = true serves anyway; never in production.)",
        why.join(" and ")
    );
}

/// Outside the demo (`demo = true`), refuses to serve while one of the demo's accounts
/// still has the demo's published password.
pub async fn demo_password(state: &AppState) -> anyhow::Result<()> {
    if state.config.demo {
        return Ok(());
    }
    for email in demo::ACCOUNTS {
        let Some((user, hash)) = users::by_email_with_hash(&state.db, email).await? else {
            continue;
        };
        let known =
            tokio::task::spawn_blocking(move || password::verify(demo::PASSWORD, &hash)).await?;
        if known && user.active {
            bail!(
                "refusing to serve: the account {email} signs in with the demo's published \
                 password. Change its password or disable it (`gongkai user …`), or run the \
                 demo with `gongkai demo` (or demo = true)."
            );
        }
    }
    Ok(())
}
