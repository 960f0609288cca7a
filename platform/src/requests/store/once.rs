//! Records that make things happen once: the idempotency keys of submissions, the
//! reminders sent.

use sqlx::FromRow;

use crate::kernel::db::TenantTx;
use crate::kernel::error::Result;

/// What a key used before answered.
#[derive(FromRow)]
pub struct IdempotencyRow {
    pub body_hash: String,
    /// The sealed response.
    pub response: String,
}

pub async fn idempotency(tx: &mut TenantTx, key: &str) -> Result<Option<IdempotencyRow>> {
    let row = tx
        .query("SELECT body_hash, response FROM idempotency_keys WHERE tenant_id = $1 AND key = $2")
        .bind(key.to_string())
        .fetch_optional(tx.conn())
        .await?;
    Ok(row.as_ref().map(IdempotencyRow::from_row).transpose()?)
}

pub async fn put_idempotency(
    tx: &mut TenantTx,
    key: &str,
    body_hash: &str,
    status: i64,
    sealed: &str,
    at: &str,
) -> Result<()> {
    tx.query(
        "INSERT INTO idempotency_keys (tenant_id, key, body_hash, status, response, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(key.to_string())
    .bind(body_hash.to_string())
    .bind(status)
    .bind(sealed.to_string())
    .bind(at.to_string())
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Records that a reminder went out; false if it already had.
pub async fn mark_reminder(
    tx: &mut TenantTx,
    request_id: &str,
    kind: &str,
    due_on: &str,
    at: &str,
) -> Result<bool> {
    let done = tx
        .query(
            "INSERT INTO request_reminders (tenant_id, request_id, kind, due_on, sent_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (tenant_id, request_id, kind, due_on) DO NOTHING",
        )
        .bind(request_id.to_string())
        .bind(kind.to_string())
        .bind(due_on.to_string())
        .bind(at.to_string())
        .execute(tx.conn())
        .await?;
    Ok(done.rows_affected() > 0)
}
