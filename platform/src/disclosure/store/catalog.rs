//! Settings, the catalog and its review chains, sensitive words, index sequences.

use sqlx::FromRow;

use super::decode;
use crate::disclosure::lifecycle::review::Step;
use crate::disclosure::model::{CatalogNode, Settings};
use crate::kernel::db::TenantTx;
use crate::kernel::error::Result;

pub async fn settings(tx: &mut TenantTx) -> Result<Option<Settings>> {
    Ok(tx
        .query("SELECT org_code, index_pattern FROM disclosure_settings WHERE tenant_id = $1")
        .try_map(decode::<Settings>)
        .fetch_optional(tx.conn())
        .await?)
}

/// Inserts the settings row unless present; true when this call inserted it.
pub async fn insert_settings(tx: &mut TenantTx, s: &Settings, at: &str) -> Result<bool> {
    let done = tx
        .query(
            "INSERT INTO disclosure_settings (tenant_id, org_code, index_pattern, seeded_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (tenant_id) DO NOTHING",
        )
        .bind(s.org_code.clone())
        .bind(s.index_pattern.clone())
        .bind(at)
        .execute(tx.conn())
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn update_settings(tx: &mut TenantTx, s: &Settings) -> Result<()> {
    tx.query(
        "UPDATE disclosure_settings SET org_code = $2, index_pattern = $3 WHERE tenant_id = $1",
    )
    .bind(s.org_code.clone())
    .bind(s.index_pattern.clone())
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// A catalog node as stored (its review chain is in its own table).
#[derive(FromRow)]
struct NodeRecord {
    id: String,
    parent_id: Option<String>,
    code: String,
    name: String,
    position: i64,
}

/// One step of a node's review chain.
#[derive(FromRow)]
struct StepRecord {
    node_id: String,
    name: String,
    role: String,
}

pub async fn nodes(tx: &mut TenantTx) -> Result<Vec<CatalogNode>> {
    let nodes = tx
        .query(
            "SELECT id, parent_id, code, name, position FROM catalog_nodes WHERE tenant_id = $1 \
             ORDER BY position, code",
        )
        .try_map(decode::<NodeRecord>)
        .fetch_all(tx.conn())
        .await?;
    let steps = tx
        .query(
            "SELECT node_id, name, role FROM catalog_review_steps WHERE tenant_id = $1 \
             ORDER BY node_id, position",
        )
        .try_map(decode::<StepRecord>)
        .fetch_all(tx.conn())
        .await?;
    Ok(nodes
        .into_iter()
        .map(|n| CatalogNode {
            review_chain: steps
                .iter()
                .filter(|s| s.node_id == n.id)
                .map(|s| Step::new(&s.name, &s.role))
                .collect(),
            id: n.id,
            parent_id: n.parent_id,
            code: n.code,
            name: n.name,
            position: n.position,
        })
        .collect())
}

pub async fn node(tx: &mut TenantTx, id: &str) -> Result<Option<CatalogNode>> {
    Ok(nodes(tx).await?.into_iter().find(|n| n.id == id))
}

pub async fn insert_node(tx: &mut TenantTx, n: &CatalogNode, at: &str) -> Result<()> {
    tx.query(
        "INSERT INTO catalog_nodes (tenant_id, id, parent_id, code, name, position, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(n.id.clone())
    .bind(n.parent_id.clone())
    .bind(n.code.clone())
    .bind(n.name.clone())
    .bind(n.position)
    .bind(at)
    .execute(tx.conn())
    .await?;
    set_chain(tx, &n.id, &n.review_chain).await
}

pub async fn update_node(tx: &mut TenantTx, n: &CatalogNode) -> Result<()> {
    tx.query(
        "UPDATE catalog_nodes SET name = $3, position = $4, parent_id = $5 \
         WHERE tenant_id = $1 AND id = $2",
    )
    .bind(n.id.clone())
    .bind(n.name.clone())
    .bind(n.position)
    .bind(n.parent_id.clone())
    .execute(tx.conn())
    .await?;
    Ok(())
}

pub async fn delete_node(tx: &mut TenantTx, id: &str) -> Result<()> {
    tx.query("DELETE FROM catalog_review_steps WHERE tenant_id = $1 AND node_id = $2")
        .bind(id.to_string())
        .execute(tx.conn())
        .await?;
    tx.query("DELETE FROM catalog_nodes WHERE tenant_id = $1 AND id = $2")
        .bind(id.to_string())
        .execute(tx.conn())
        .await?;
    Ok(())
}

pub async fn count_node_use(tx: &mut TenantTx, id: &str) -> Result<(i64, i64)> {
    let (children,) = tx
        .query("SELECT COUNT(*) AS n FROM catalog_nodes WHERE tenant_id = $1 AND parent_id = $2")
        .bind(id.to_string())
        .try_map(decode::<(i64,)>)
        .fetch_one(tx.conn())
        .await?;
    let (items,) = tx
        .query("SELECT COUNT(*) AS n FROM items WHERE tenant_id = $1 AND node_id = $2")
        .bind(id.to_string())
        .try_map(decode::<(i64,)>)
        .fetch_one(tx.conn())
        .await?;
    Ok((children, items))
}

pub async fn set_chain(tx: &mut TenantTx, node_id: &str, chain: &[Step]) -> Result<()> {
    tx.query("DELETE FROM catalog_review_steps WHERE tenant_id = $1 AND node_id = $2")
        .bind(node_id.to_string())
        .execute(tx.conn())
        .await?;
    for (i, step) in chain.iter().enumerate() {
        tx.query(
            "INSERT INTO catalog_review_steps (tenant_id, node_id, position, name, role) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(node_id.to_string())
        .bind(i as i64)
        .bind(step.name.clone())
        .bind(step.role.clone())
        .execute(tx.conn())
        .await?;
    }
    Ok(())
}

pub async fn sensitive_words(tx: &mut TenantTx) -> Result<Vec<String>> {
    let words = tx
        .query("SELECT word FROM sensitive_words WHERE tenant_id = $1 ORDER BY word")
        .try_map(decode::<(String,)>)
        .fetch_all(tx.conn())
        .await?;
    Ok(words.into_iter().map(|(w,)| w).collect())
}

pub async fn replace_sensitive_words(tx: &mut TenantTx, words: &[String], at: &str) -> Result<()> {
    tx.query("DELETE FROM sensitive_words WHERE tenant_id = $1")
        .execute(tx.conn())
        .await?;
    for w in words {
        tx.query("INSERT INTO sensitive_words (tenant_id, word, created_at) VALUES ($1, $2, $3)")
            .bind(w.clone())
            .bind(at)
            .execute(tx.conn())
            .await?;
    }
    Ok(())
}

/// The next number of the tenant's sequence for `year`. The UPDATE locks the row until
/// the transaction ends, so concurrent callers queue and never get the same number.
pub async fn next_seq(tx: &mut TenantTx, year: i32) -> Result<i64> {
    tx.query(
        "INSERT INTO index_sequences (tenant_id, year, last_seq) VALUES ($1, $2, 0) \
         ON CONFLICT (tenant_id, year) DO NOTHING",
    )
    .bind(i64::from(year))
    .execute(tx.conn())
    .await?;
    let (seq,) = tx
        .query(
            "UPDATE index_sequences SET last_seq = last_seq + 1 WHERE tenant_id = $1 AND year = $2 \
             RETURNING last_seq",
        )
        .bind(i64::from(year))
        .try_map(decode::<(i64,)>)
        .fetch_one(tx.conn())
        .await?;
    Ok(seq)
}
