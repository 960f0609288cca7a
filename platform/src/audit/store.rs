//! Audit entries in the database: append inside the caller's tenant transaction, list,
//! and verify a tenant's chain.

use serde_json::Value;
use sqlx::any::AnyRow;
use sqlx::FromRow;

use super::chain::{self, Broken, Entry, GENESIS_HASH};
use crate::kernel::actor::Actor;
use crate::kernel::db::{Db, TenantTx};
use crate::kernel::error::Result;
use crate::kernel::ids;

/// Appends one entry to the chain of the transaction's tenant. The head row is
/// updated first, which locks it: concurrent appends to one chain queue up.
pub async fn append(
    tx: &mut TenantTx,
    actor: &Actor,
    action: &str,
    target_kind: &str,
    target_id: &str,
    details: Value,
) -> Result<i64> {
    let q = tx
        .query(
            "INSERT INTO audit_heads (tenant_id, seq, hash) VALUES ($1, 0, $2) \
             ON CONFLICT (tenant_id) DO NOTHING",
        )
        .bind(GENESIS_HASH);
    q.execute(tx.conn()).await?;
    let (seq, prev_hash) = tx
        .query("UPDATE audit_heads SET seq = seq + 1 WHERE tenant_id = $1 RETURNING seq, hash")
        .try_map(|row: AnyRow| <(i64, String)>::from_row(&row))
        .fetch_one(tx.conn())
        .await?;

    let mut entry = Entry {
        tenant_id: tx.tenant_id().to_string(),
        seq,
        id: ids::new_id(),
        at: ids::now_text(),
        actor_id: actor.user_id.clone(),
        actor: actor.label.clone(),
        action: action.to_string(),
        target_kind: target_kind.to_string(),
        target_id: target_id.to_string(),
        details: chain::canonical_json(&details),
        prev_hash,
        hash: String::new(),
    };
    entry.hash = chain::entry_hash(&entry.prev_hash, &entry);

    tx.query(
        "INSERT INTO audit_log (tenant_id, seq, id, at, actor_id, actor, action, target_kind, \
         target_id, details, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(entry.seq)
    .bind(entry.id.clone())
    .bind(entry.at.clone())
    .bind(entry.actor_id.clone())
    .bind(entry.actor.clone())
    .bind(entry.action.clone())
    .bind(entry.target_kind.clone())
    .bind(entry.target_id.clone())
    .bind(entry.details.clone())
    .bind(entry.prev_hash.clone())
    .bind(entry.hash.clone())
    .execute(tx.conn())
    .await?;
    tx.query("UPDATE audit_heads SET hash = $2 WHERE tenant_id = $1")
        .bind(entry.hash)
        .execute(tx.conn())
        .await?;
    Ok(seq)
}

const ENTRY_COLUMNS: &str = "tenant_id, seq, id, at, actor_id, actor, action, target_kind, \
                             target_id, details, prev_hash, hash";

/// Entries after `after_seq`, oldest first.
pub async fn list(tx: &mut TenantTx, after_seq: i64, limit: i64) -> Result<Vec<Entry>> {
    let sql = format!(
        "SELECT {ENTRY_COLUMNS} FROM audit_log WHERE tenant_id = $1 AND seq > $2 ORDER BY seq LIMIT $3"
    );
    Ok(tx
        .query(&sql)
        .bind(after_seq)
        .bind(limit)
        .try_map(|row: AnyRow| Entry::from_row(&row))
        .fetch_all(tx.conn())
        .await?)
}

/// Entries before `before_seq` (from the newest when `None`), newest first, whose action
/// starts with `action` (any when empty): the console's view of the log.
pub async fn list_newest(
    tx: &mut TenantTx,
    before_seq: Option<i64>,
    action: &str,
    limit: i64,
) -> Result<Vec<Entry>> {
    let sql = format!(
        "SELECT {ENTRY_COLUMNS} FROM audit_log WHERE tenant_id = $1 AND ($2 = 0 OR seq < $2) \
         AND ($3 = '' OR substr(action, 1, length($3)) = $3) ORDER BY seq DESC LIMIT $4"
    );
    Ok(tx
        .query(&sql)
        .bind(before_seq.unwrap_or(0))
        .bind(action.to_string())
        .bind(limit)
        .try_map(|row: AnyRow| Entry::from_row(&row))
        .fetch_all(tx.conn())
        .await?)
}

/// Recomputes one tenant's chain. `Ok(Err(broken))` names the first broken entry.
pub async fn verify_tenant(db: &Db, tenant_id: &str) -> Result<Result<i64, Broken>> {
    let mut tx = db.tenant_read(tenant_id).await?;
    let sql = format!("SELECT {ENTRY_COLUMNS} FROM audit_log WHERE tenant_id = $1 ORDER BY seq");
    let entries = tx
        .query(&sql)
        .try_map(|row: AnyRow| Entry::from_row(&row))
        .fetch_all(tx.conn())
        .await?;
    let head = tx
        .query("SELECT seq, hash FROM audit_heads WHERE tenant_id = $1")
        .try_map(|row: AnyRow| <(i64, String)>::from_row(&row))
        .fetch_optional(tx.conn())
        .await?;
    tx.commit().await?;
    Ok(chain::verify(entries, head))
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ChainReport {
    pub tenant_slug: String,
    pub entries: i64,
    pub broken: Option<Broken>,
}

/// Verifies the chain of every tenant (or of the one named), in slug order.
pub async fn verify_all(db: &Db, only_slug: Option<&str>) -> Result<Vec<ChainReport>> {
    let tenants: Vec<(String, String)> =
        sqlx::query_as("SELECT id, slug FROM tenants ORDER BY slug")
            .fetch_all(db.pool())
            .await?;
    let mut reports = Vec::new();
    for (id, slug) in tenants {
        if only_slug.is_some_and(|only| only != slug) {
            continue;
        }
        let (entries, broken) = match verify_tenant(db, &id).await? {
            Ok(n) => (n, None),
            Err(broken) => (broken.seq - 1, Some(broken)),
        };
        reports.push(ChainReport {
            tenant_slug: slug,
            entries,
            broken,
        });
    }
    if let Some(slug) = only_slug {
        if reports.is_empty() {
            return Err(crate::kernel::error::Error::NotFound(format!(
                "tenant `{slug}`"
            )));
        }
    }
    Ok(reports)
}
