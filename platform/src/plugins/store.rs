//! Plugins in the database: `plugin_packages` (platform) and `tenant_plugins` (tenant,
//! reached only through a tenant transaction).

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, FromRow};

use super::model::{Manifest, Package, TenantPlugin};
use crate::kernel::db::{Db, TenantTx};
use crate::kernel::error::{Constraint, Error, OnConstraint, Result};

const PACKAGE_COLUMNS: &str = "id, version, sha256, manifest, size, installed_at";

/// A `plugin_packages` row as stored: the manifest is JSON text.
#[derive(FromRow)]
struct PackageRow {
    id: String,
    version: String,
    sha256: String,
    manifest: String,
    size: i64,
    installed_at: String,
}

impl TryFrom<PackageRow> for Package {
    type Error = Error;

    fn try_from(row: PackageRow) -> Result<Package> {
        let manifest: Manifest = serde_json::from_str(&row.manifest)
            .map_err(|e| Error::internal_cause("stored plugin manifest", e))?;
        Ok(Package {
            id: row.id,
            version: row.version,
            sha256: row.sha256,
            size: row.size,
            installed_at: row.installed_at,
            manifest,
        })
    }
}

/// A `tenant_plugins` row as stored: `enabled` is 0 or 1.
#[derive(FromRow)]
struct SettingRow {
    plugin_id: String,
    pinned_version: String,
    enabled: i64,
    updated_at: String,
}

impl From<SettingRow> for TenantPlugin {
    fn from(row: SettingRow) -> TenantPlugin {
        TenantPlugin {
            plugin_id: row.plugin_id,
            pinned_version: row.pinned_version,
            enabled: row.enabled != 0,
            updated_at: row.updated_at,
        }
    }
}

fn setting_of(row: AnyRow) -> Result<TenantPlugin, sqlx::Error> {
    SettingRow::from_row(&row).map(TenantPlugin::from)
}

pub async fn insert_package(conn: &mut AnyConnection, p: &Package) -> Result<()> {
    let manifest = serde_json::to_string(&p.manifest).map_err(Error::internal_from)?;
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
    let rows: Vec<PackageRow> = sqlx::query_as(&sql).fetch_all(db.pool()).await?;
    rows.into_iter().map(Package::try_from).collect()
}

pub async fn package(db: &Db, id: &str, version: &str) -> Result<Option<Package>> {
    let sql =
        format!("SELECT {PACKAGE_COLUMNS} FROM plugin_packages WHERE id = $1 AND version = $2");
    let row: Option<PackageRow> = sqlx::query_as(&sql)
        .bind(id)
        .bind(version)
        .fetch_optional(db.pool())
        .await?;
    row.map(Package::try_from).transpose()
}

pub async fn settings(tx: &mut TenantTx) -> Result<Vec<TenantPlugin>> {
    Ok(tx
        .query(
            "SELECT plugin_id, pinned_version, enabled, updated_at FROM tenant_plugins \
             WHERE tenant_id = $1 ORDER BY plugin_id",
        )
        .try_map(setting_of)
        .fetch_all(tx.conn())
        .await?)
}

pub async fn setting(tx: &mut TenantTx, plugin_id: &str) -> Result<Option<TenantPlugin>> {
    Ok(tx
        .query(
            "SELECT plugin_id, pinned_version, enabled, updated_at FROM tenant_plugins \
             WHERE tenant_id = $1 AND plugin_id = $2",
        )
        .bind(plugin_id.to_string())
        .try_map(setting_of)
        .fetch_optional(tx.conn())
        .await?)
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
