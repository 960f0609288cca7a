//! Attachments of items and the locks of their stored objects.

use sqlx::FromRow;

use super::decode;
use crate::disclosure::model::AttachmentOut;
use crate::kernel::db::{Backend, TenantTx};
use crate::kernel::error::Result;

/// The attachments of the working version (not removed), oldest first.
pub async fn attachments(tx: &mut TenantTx, item_id: &str) -> Result<Vec<AttachmentOut>> {
    let rows = tx
        .query(&format!(
            "SELECT {ATTACHMENT_COLUMNS} FROM attachments WHERE tenant_id = $1 AND item_id = $2 \
             AND removed_version IS NULL ORDER BY created_at, id"
        ))
        .bind(item_id.to_string())
        .try_map(decode::<AttachmentRecord>)
        .fetch_all(tx.conn())
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| AttachmentRow::from(r).attachment)
        .collect())
}

/// Every attachment row of the item, removed ones too (for what a version shows).
pub async fn attachments_with_removed(
    tx: &mut TenantTx,
    item_id: &str,
) -> Result<Vec<AttachmentRow>> {
    let rows = tx
        .query(&format!(
            "SELECT {ATTACHMENT_COLUMNS} FROM attachments WHERE tenant_id = $1 AND item_id = $2 \
             ORDER BY created_at, id"
        ))
        .bind(item_id.to_string())
        .try_map(decode::<AttachmentRecord>)
        .fetch_all(tx.conn())
        .await?;
    Ok(rows.into_iter().map(AttachmentRow::from).collect())
}

/// What [`AttachmentRecord`] reads.
const ATTACHMENT_COLUMNS: &str =
    "id, name, media_type, size, sha256, created_at, version, removed_version";

/// One attachment row of an item and the working versions it is part of.
#[derive(Debug, Clone)]
pub struct AttachmentRow {
    pub attachment: AttachmentOut,
    /// The first working version with it.
    pub version: i64,
    /// The first working version without it, once removed from a draft.
    pub removed_version: Option<i64>,
}

impl AttachmentRow {
    /// Whether version `v` of the item shows this attachment.
    pub fn in_version(&self, v: i64) -> bool {
        self.version <= v && self.removed_version.is_none_or(|r| v < r)
    }
}

/// An attachment row as stored (`ATTACHMENT_COLUMNS`).
#[derive(FromRow)]
struct AttachmentRecord {
    id: String,
    name: String,
    media_type: String,
    size: i64,
    sha256: String,
    created_at: String,
    version: i64,
    removed_version: Option<i64>,
}

impl From<AttachmentRecord> for AttachmentRow {
    fn from(r: AttachmentRecord) -> AttachmentRow {
        AttachmentRow {
            attachment: AttachmentOut {
                id: r.id,
                name: r.name,
                media_type: r.media_type,
                size: r.size,
                sha256: r.sha256,
                created_at: r.created_at,
            },
            version: r.version,
            removed_version: r.removed_version,
        }
    }
}

/// One attachment of an item, removed or not.
pub async fn attachment(
    tx: &mut TenantTx,
    item_id: &str,
    id: &str,
) -> Result<Option<AttachmentRow>> {
    Ok(tx
        .query(&format!(
            "SELECT {ATTACHMENT_COLUMNS} FROM attachments WHERE tenant_id = $1 AND item_id = $2 \
             AND id = $3"
        ))
        .bind(item_id.to_string())
        .bind(id.to_string())
        .try_map(decode::<AttachmentRecord>)
        .fetch_optional(tx.conn())
        .await?
        .map(AttachmentRow::from))
}

/// Marks an attachment as removed from working version `version` on (a published
/// version before it still shows it).
pub async fn mark_attachment_removed(
    tx: &mut TenantTx,
    id: &str,
    version: i64,
    by: &str,
    at: &str,
) -> Result<()> {
    tx.query(
        "UPDATE attachments SET removed_version = $3, removed_by = $4, removed_at = $5 \
         WHERE tenant_id = $1 AND id = $2",
    )
    .bind(id.to_string())
    .bind(version)
    .bind(by.to_string())
    .bind(at.to_string())
    .execute(tx.conn())
    .await?;
    Ok(())
}

pub async fn delete_attachment(tx: &mut TenantTx, id: &str) -> Result<()> {
    tx.query("DELETE FROM attachments WHERE tenant_id = $1 AND id = $2")
        .bind(id.to_string())
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// How many attachment rows of the tenant (removed ones included) hold this content.
pub async fn object_refs(tx: &mut TenantTx, sha256: &str) -> Result<i64> {
    let (n,) = tx
        .query("SELECT COUNT(*) AS n FROM attachments WHERE tenant_id = $1 AND sha256 = $2")
        .bind(sha256.to_string())
        .try_map(decode::<(i64,)>)
        .fetch_one(tx.conn())
        .await?;
    Ok(n)
}

/// Serialises, until the transaction ends, the writers of one stored object: an upload
/// (bytes put, row inserted) and a release (rows counted, bytes deleted). PostgreSQL
/// takes a transaction-scoped advisory lock on (tenant, sha256); on SQLite the write
/// transaction already excludes every other writer.
pub async fn lock_object(tx: &mut TenantTx, sha256: &str) -> Result<()> {
    if tx.backend() == Backend::Postgres {
        // The lock function returns void, which the Any driver cannot decode: select 1.
        tx.query(
            "SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))) \
             AS l",
        )
        .bind(sha256.to_string())
        .fetch_one(tx.conn())
        .await?;
    }
    Ok(())
}

/// Drops the scan findings of a working version whose attachments changed, so that its
/// next submission scans it again; the number dropped.
pub async fn discard_findings(tx: &mut TenantTx, item_id: &str, version: i64) -> Result<u64> {
    let done = tx
        .query("DELETE FROM scan_findings WHERE tenant_id = $1 AND item_id = $2 AND version = $3")
        .bind(item_id.to_string())
        .bind(version)
        .execute(tx.conn())
        .await?;
    Ok(done.rows_affected())
}

pub async fn insert_attachment(
    tx: &mut TenantTx,
    item_id: &str,
    version: i64,
    a: &AttachmentOut,
    by: &str,
) -> Result<()> {
    tx.query(
        "INSERT INTO attachments (tenant_id, id, item_id, version, sha256, size, media_type, name, \
         created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(a.id.clone())
    .bind(item_id.to_string())
    .bind(version)
    .bind(a.sha256.clone())
    .bind(a.size)
    .bind(a.media_type.clone())
    .bind(a.name.clone())
    .bind(by.to_string())
    .bind(a.created_at.clone())
    .execute(tx.conn())
    .await?;
    Ok(())
}
