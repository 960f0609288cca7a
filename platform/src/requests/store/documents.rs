//! Documents applicants send with their requests (rows; the sealed bytes are in the
//! object store).

use sqlx::{FromRow, Row};

use super::decode;
use crate::kernel::db::TenantTx;
use crate::kernel::error::Result;
use crate::requests::model::DocumentView;

/// A document's row as stored.
pub struct NewDocument<'a> {
    pub id: &'a str,
    pub request_id: &'a str,
    pub file_name: &'a str,
    pub media_type: &'a str,
    pub size_bytes: i64,
    pub sha256: &'a str,
    pub object_path: &'a str,
    pub received_at: &'a str,
}

pub async fn insert_document(tx: &mut TenantTx, d: &NewDocument<'_>) -> Result<()> {
    tx.query(
        "INSERT INTO request_documents (tenant_id, id, request_id, file_name, media_type, size_bytes, sha256, object_path, received_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(d.id.to_string())
    .bind(d.request_id.to_string())
    .bind(d.file_name.to_string())
    .bind(d.media_type.to_string())
    .bind(d.size_bytes)
    .bind(d.sha256.to_string())
    .bind(d.object_path.to_string())
    .bind(d.received_at.to_string())
    .execute(tx.conn())
    .await?;
    Ok(())
}

pub async fn documents(tx: &mut TenantTx, request_id: &str) -> Result<Vec<DocumentView>> {
    let rows = tx
        .query(
            "SELECT id, file_name, media_type, size_bytes, received_at FROM request_documents \
             WHERE tenant_id = $1 AND request_id = $2 ORDER BY received_at, id",
        )
        .bind(request_id.to_string())
        .fetch_all(tx.conn())
        .await?;
    decode(&rows)
}

/// A request's document and where its sealed bytes are, if it belongs to that request.
pub async fn document(
    tx: &mut TenantTx,
    request_id: &str,
    id: &str,
) -> Result<Option<(DocumentView, String)>> {
    let row = tx
        .query(
            "SELECT id, file_name, media_type, size_bytes, received_at, object_path FROM request_documents \
             WHERE tenant_id = $1 AND request_id = $2 AND id = $3",
        )
        .bind(request_id.to_string())
        .bind(id.to_string())
        .fetch_optional(tx.conn())
        .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    Ok(Some((
        DocumentView::from_row(&row)?,
        row.try_get("object_path")?,
    )))
}
