//! Plugins in the database: `plugin_packages` (platform) and `tenant_plugins` (tenant,
//! reached only through a tenant transaction).

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::model::{Manifest, Package, TenantPlugin};
use crate::kernel::db::{Db, TenantTx};
use crate::kernel::error::{Constraint, Error, OnConstraint, Result};

const PACKAGE_COLUMNS: &str = "id, version, sha256, manifest, size, installed_at";

fn package_of(row: &AnyRow) -> Result<Package> {
    let manifest: String = row.try_get("manifest")?;
    let manifest: Manifest = serde_json::from_str(&manifest)
        .map_err(|e| Error::internal_cause("stored plugin manifest", e))?;
    Ok(Package {
        id: row.try_get("id")?,
        version: row.try_get("version")?,
        sha256: row.try_get("sha256")?,
        size: row.try_get("size")?,
        installed_at: row.try_get("installed_at")?,
        manifest,
    })
}

pub async fn insert_package(conn: &mut AnyConnection, p: &Package) -> Result<()> {
    let manifest =
        serde_json::to_string(&p.manifest).map_err(Error::internal_from)?;
    sqlx::query(
        "INSERT INTO plugin_packages (id, version, sha256, manifest, size, installed_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(p.id.clone())
    .bind(p.version.clone())
    .bind(p.sha256.clone())
    .bind(manifest)
    .bind(p.size)
    .bind(p.installed_at.clone())
    .execute(conn)
    .await
    .on_constraint(Constraint::Unique, || {
        Error::conflict(format!(
            "plugin {} {} is already installed",
            p.id, p.version
        ))
    })?;
    Ok(())
}

pub async fn packages(db: &Db) -> Result<Vec<Package>> {
    let sql = format!("SELECT {PACKAGE_COLUMNS} FROM plugin_packages ORDER BY id, installed_at");
    let rows = sqlx::query(&sql).fetch_all(db.pool()).await?;
    rows.iter().map(package_of).collect()
}

pub async fn package(db: &Db, id: &str, version: &str) -> Result<Option<Package>> {
    let sql =
        format!("SELECT {PACKAGE_COLUMNS} FROM plugin_packages WHERE id = $1 AND version = $2");
    let row = sqlx::query(&sql)
        .bind(id)
        .bind(version)
        .fetch_optional(db.pool())
        .await?;
    row.as_ref().map(package_of).transpose()
}

fn setting_of(row: &AnyRow) -> Result<TenantPlugin> {
    Ok(TenantPlugin {
        plugin_id: row.try_get("plugin_id")?,
        pinned_version: row.try_get("pinned_version")?,
        enabled: row.try_get::<i64, _>("enabled")? != 0,
        updated_at: row.try_get("updated_at")?,
    })
}

pub async fn settings(tx: &mut TenantTx) -> Result<Vec<TenantPlugin>> {
    let rows = tx
        .query(
            "SELECT plugin_id, pinned_version, enabled, updated_at FROM tenant_plugins \
             WHERE tenant_id = $1 ORDER BY plugin_id",
        )
        .fetch_all(tx.conn())
        .await?;
    rows.iter().map(setting_of).collect()
}

pub async fn setting(tx: &mut TenantTx, plugin_id: &str) -> Result<Option<TenantPlugin>> {
    let row = tx
        .query(
            "SELECT plugin_id, pinned_version, enabled, updated_at FROM tenant_plugins \
             WHERE tenant_id = $1 AND plugin_id = $2",
        )
        .bind(plugin_id.to_string())
        .fetch_optional(tx.conn())
        .await?;
    row.as_ref().map(setting_of).transpose()
}

pub async fn upsert_setting(tx: &mut TenantTx, s: &TenantPlugin) -> Result<()> {
    tx.query(
        "INSERT INTO tenant_plugins (tenant_id, plugin_id, pinned_version, enabled, updated_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant_id, plugin_id) DO UPDATE SET \
         pinned_version = excluded.pinned_version, enabled = excluded.enabled, \
         updated_at = excluded.updated_at",
    )
    .bind(s.plugin_id.clone())
    .bind(s.pinned_version.clone())
    .bind(i64::from(s.enabled))
    .bind(s.updated_at.clone())
    .execute(tx.conn())
    .await?;
    Ok(())
}
