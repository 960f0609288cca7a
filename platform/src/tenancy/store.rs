//! Tenants in the database (a platform table: slugs are unique across the platform).

use sqlx::{AnyConnection, FromRow};

use super::model::{Tenant, TenantKind};
use crate::kernel::db::Db;
use crate::kernel::error::{Constraint, Error, OnConstraint, Result};

const COLUMNS: &str = "id, parent_id, slug, name_zh, name_en, kind, active, created_at";

/// A `tenants` row as stored: the kind as text, `active` as 0 or 1.
#[derive(FromRow)]
struct TenantRow {
    id: String,
    parent_id: Option<String>,
    slug: String,
    name_zh: String,
    name_en: String,
    kind: String,
    active: i64,
    created_at: String,
}

impl TryFrom<TenantRow> for Tenant {
    type Error = Error;

    fn try_from(row: TenantRow) -> Result<Tenant> {
        let kind = TenantKind::parse(&row.kind)
            .ok_or_else(|| Error::internal(format!("unknown tenant kind {}", row.kind)))?;
        Ok(Tenant {
            id: row.id,
            parent_id: row.parent_id,
            slug: row.slug,
            name_zh: row.name_zh,
            name_en: row.name_en,
            kind,
            active: row.active != 0,
            created_at: row.created_at,
        })
    }
}

pub async fn by_slug(db: &Db, slug: &str) -> Result<Option<Tenant>> {
    let sql = format!("SELECT {COLUMNS} FROM tenants WHERE slug = $1");
    let row: Option<TenantRow> = sqlx::query_as(&sql)
        .bind(slug)
        .fetch_optional(db.pool())
        .await?;
    row.map(Tenant::try_from).transpose()
}

pub async fn by_id(conn: &mut AnyConnection, id: &str) -> Result<Option<Tenant>> {
    let sql = format!("SELECT {COLUMNS} FROM tenants WHERE id = $1");
    let row: Option<TenantRow> = sqlx::query_as(&sql).bind(id).fetch_optional(conn).await?;
    row.map(Tenant::try_from).transpose()
}

pub async fn all(db: &Db) -> Result<Vec<Tenant>> {
    let sql = format!("SELECT {COLUMNS} FROM tenants ORDER BY slug");
    let rows: Vec<TenantRow> = sqlx::query_as(&sql).fetch_all(db.pool()).await?;
    rows.into_iter().map(Tenant::try_from).collect()
}

/// The tenant's ancestors, nearest first, up to the platform root.
pub async fn ancestors(db: &Db, tenant: &Tenant) -> Result<Vec<Tenant>> {
    let mut conn = db.pool().acquire().await?;
    let mut chain: Vec<Tenant> = Vec::new();
    let mut next = tenant.parent_id.clone();
    while let Some(id) = next {
        // A cycle cannot be stored (moves are checked), but never loop forever on one.
        if chain.iter().any(|t| t.id == id) || chain.len() > 64 {
            return Err(Error::internal("tenant tree has a cycle"));
        }
        let parent = by_id(&mut conn, &id)
            .await?
            .ok_or_else(|| Error::internal(format!("missing parent tenant {id}")))?;
        next = parent.parent_id.clone();
        chain.push(parent);
    }
    Ok(chain)
}

pub async fn insert(conn: &mut AnyConnection, t: &Tenant) -> Result<()> {
    sqlx::query(
        "INSERT INTO tenants (id, parent_id, slug, name_zh, name_en, kind, active, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(t.id.clone())
    .bind(t.parent_id.clone())
    .bind(t.slug.clone())
    .bind(t.name_zh.clone())
    .bind(t.name_en.clone())
    .bind(t.kind.as_str())
    .bind(i64::from(t.active))
    .bind(t.created_at.clone())
    .execute(conn)
    .await
    .on_constraint(Constraint::Unique, || {
        Error::conflict(format!("the slug `{}` is taken", t.slug))
    })?;
    Ok(())
}

pub async fn update(conn: &mut AnyConnection, t: &Tenant) -> Result<()> {
    sqlx::query(
        "UPDATE tenants SET parent_id = $2, name_zh = $3, name_en = $4, kind = $5, active = $6 WHERE id = $1",
    )
    .bind(t.id.clone())
    .bind(t.parent_id.clone())
    .bind(t.name_zh.clone())
    .bind(t.name_en.clone())
    .bind(t.kind.as_str())
    .bind(i64::from(t.active))
    .execute(conn)
    .await?;
    Ok(())
}
