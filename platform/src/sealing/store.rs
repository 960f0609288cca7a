//! Stored keys, openings, holders, bids, sealed parts and shares. Every query goes
//! through the tenant's transaction; binary values are base64 text.

use sqlx::FromRow;

use crate::kernel::db::{Backend, TenantTx};
use crate::kernel::error::Result;

#[derive(Debug, Clone, FromRow)]
pub struct KeyRow {
    pub user_id: String,
    pub recipient: String,
    pub protected_identity: String,
    pub created_at: String,
}

#[derive(Debug, Clone, FromRow)]
pub struct OpeningRow {
    pub id: String,
    pub title: String,
    pub reference: String,
    pub kind: String,
    pub deadline_at: String,
    pub opening_at: String,
    pub threshold: i64,
    pub created_by: String,
    pub created_at: String,
    pub opened_at: Option<String>,
}

#[derive(Debug, Clone, FromRow)]
pub struct HolderRow {
    pub user_id: String,
    pub display_name: String,
    pub position: i64,
    pub recipient: String,
    pub contributed_at: Option<String>,
}

#[derive(Debug, Clone, FromRow)]
pub struct BidRow {
    pub id: String,
    pub opening_id: String,
    pub token_hash: String,
    pub clear_fields: String,
    pub receipt_hash: String,
    pub received_at: String,
    pub withdrawn_at: Option<String>,
    pub opened_fields: Option<String>,
}

#[derive(Debug, Clone, FromRow)]
pub struct PartRow {
    pub bid_id: String,
    pub name: String,
    pub file_name: Option<String>,
    pub ciphertext: Option<String>,
    pub object_key: Option<String>,
    pub size: i64,
    pub ciphertext_sha256: String,
    pub content_key: Option<String>,
    pub plaintext_sha256: Option<String>,
}

#[derive(Debug, Clone, FromRow)]
pub struct ShareRow {
    pub bid_id: String,
    pub part: String,
    pub user_id: String,
    pub encrypted: String,
    pub commitment: String,
    pub contributed: Option<String>,
}

fn lock(tx: &TenantTx, for_update: bool) -> &'static str {
    match tx.backend() {
        Backend::Postgres if for_update => " FOR UPDATE",
        _ => "",
    }
}

pub async fn key(tx: &mut TenantTx, user_id: &str) -> Result<Option<KeyRow>> {
    let row = tx
        .query(
            "SELECT user_id, recipient, protected_identity, created_at FROM sealing_keys \
             WHERE tenant_id = $1 AND user_id = $2",
        )
        .bind(user_id.to_string())
        .fetch_optional(tx.conn())
        .await?;
    Ok(row.as_ref().map(KeyRow::from_row).transpose()?)
}

pub async fn keys(tx: &mut TenantTx) -> Result<Vec<KeyRow>> {
    let rows = tx
        .query(
            "SELECT user_id, recipient, protected_identity, created_at FROM sealing_keys \
             WHERE tenant_id = $1 ORDER BY created_at, user_id",
        )
        .fetch_all(tx.conn())
        .await?;
    Ok(rows
        .iter()
        .map(KeyRow::from_row)
        .collect::<Result<_, _>>()?)
}

/// Stores a holder's key, replacing an earlier one.
pub async fn put_key(tx: &mut TenantTx, k: &KeyRow) -> Result<()> {
    tx.query("DELETE FROM sealing_keys WHERE tenant_id = $1 AND user_id = $2")
        .bind(k.user_id.clone())
        .execute(tx.conn())
        .await?;
    tx.query(
        "INSERT INTO sealing_keys (tenant_id, user_id, recipient, protected_identity, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(k.user_id.clone())
    .bind(k.recipient.clone())
    .bind(k.protected_identity.clone())
    .bind(k.created_at.clone())
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// True when `user_id` holds a share of an opening not yet opened.
pub async fn holds_unopened(tx: &mut TenantTx, user_id: &str) -> Result<bool> {
    let n: i64 = sqlx::Row::try_get(
        &tx.query(
            "SELECT COUNT(*) AS n FROM sealed_opening_holders h JOIN sealed_openings o \
             ON o.tenant_id = h.tenant_id AND o.id = h.opening_id \
             WHERE h.tenant_id = $1 AND h.user_id = $2 AND o.opened_at IS NULL",
        )
        .bind(user_id.to_string())
        .fetch_one(tx.conn())
        .await?,
        "n",
    )?;
    Ok(n > 0)
}

const OPENING_COLUMNS: &str = "id, title, reference, kind, deadline_at, opening_at, threshold, \
    created_by, created_at, opened_at";

pub async fn insert_opening(tx: &mut TenantTx, o: &OpeningRow) -> Result<()> {
    tx.query(
        "INSERT INTO sealed_openings (tenant_id, id, title, reference, kind, deadline_at, \
         opening_at, threshold, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(o.id.clone())
    .bind(o.title.clone())
    .bind(o.reference.clone())
    .bind(o.kind.clone())
    .bind(o.deadline_at.clone())
    .bind(o.opening_at.clone())
    .bind(o.threshold)
    .bind(o.created_by.clone())
    .bind(o.created_at.clone())
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// The opening `id`; locked for the transaction on PostgreSQL when `for_update`.
pub async fn opening(tx: &mut TenantTx, id: &str, for_update: bool) -> Result<Option<OpeningRow>> {
    let sql = format!(
        "SELECT {OPENING_COLUMNS} FROM sealed_openings WHERE tenant_id = $1 AND id = $2{}",
        lock(tx, for_update)
    );
    let row = tx
        .query(&sql)
        .bind(id.to_string())
        .fetch_optional(tx.conn())
        .await?;
    Ok(row.as_ref().map(OpeningRow::from_row).transpose()?)
}

pub async fn openings(tx: &mut TenantTx) -> Result<Vec<OpeningRow>> {
    let sql = format!(
        "SELECT {OPENING_COLUMNS} FROM sealed_openings WHERE tenant_id = $1 \
         ORDER BY opening_at DESC, id"
    );
    let rows = tx.query(&sql).fetch_all(tx.conn()).await?;
    Ok(rows
        .iter()
        .map(OpeningRow::from_row)
        .collect::<Result<_, _>>()?)
}

pub async fn set_opened(tx: &mut TenantTx, opening_id: &str, at: &str) -> Result<()> {
    tx.query("UPDATE sealed_openings SET opened_at = $3 WHERE tenant_id = $1 AND id = $2")
        .bind(opening_id.to_string())
        .bind(at.to_string())
        .execute(tx.conn())
        .await?;
    Ok(())
}

pub async fn insert_holder(
    tx: &mut TenantTx,
    opening_id: &str,
    user_id: &str,
    position: i64,
    recipient: &str,
) -> Result<()> {
    tx.query(
        "INSERT INTO sealed_opening_holders (tenant_id, opening_id, user_id, position, recipient) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(opening_id.to_string())
    .bind(user_id.to_string())
    .bind(position)
    .bind(recipient.to_string())
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// The holders of an opening in the order of their shares.
pub async fn holders(tx: &mut TenantTx, opening_id: &str) -> Result<Vec<HolderRow>> {
    let rows = tx
        .query(
            "SELECT h.user_id, COALESCE(u.display_name, '') AS display_name, h.position, \
             h.recipient, h.contributed_at FROM sealed_opening_holders h \
             LEFT JOIN users u ON u.id = h.user_id \
             WHERE h.tenant_id = $1 AND h.opening_id = $2 ORDER BY h.position",
        )
        .bind(opening_id.to_string())
        .fetch_all(tx.conn())
        .await?;
    Ok(rows
        .iter()
        .map(HolderRow::from_row)
        .collect::<Result<_, _>>()?)
}

pub async fn set_contributed(
    tx: &mut TenantTx,
    opening_id: &str,
    user_id: &str,
    at: &str,
) -> Result<()> {
    tx.query(
        "UPDATE sealed_opening_holders SET contributed_at = $4 \
         WHERE tenant_id = $1 AND opening_id = $2 AND user_id = $3",
    )
    .bind(opening_id.to_string())
    .bind(user_id.to_string())
    .bind(at.to_string())
    .execute(tx.conn())
    .await?;
    Ok(())
}

const BID_COLUMNS: &str = "id, opening_id, token_hash, clear_fields, receipt_hash, received_at, \
    withdrawn_at, opened_fields";

pub async fn insert_bid(tx: &mut TenantTx, b: &BidRow) -> Result<()> {
    tx.query(
        "INSERT INTO sealed_bids (tenant_id, id, opening_id, token_hash, clear_fields, \
         receipt_hash, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(b.id.clone())
    .bind(b.opening_id.clone())
    .bind(b.token_hash.clone())
    .bind(b.clear_fields.clone())
    .bind(b.receipt_hash.clone())
    .bind(b.received_at.clone())
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// The bid `id` of `opening_id`; locked on PostgreSQL when `for_update`.
pub async fn bid(
    tx: &mut TenantTx,
    opening_id: &str,
    id: &str,
    for_update: bool,
) -> Result<Option<BidRow>> {
    let sql = format!(
        "SELECT {BID_COLUMNS} FROM sealed_bids WHERE tenant_id = $1 AND opening_id = $2 \
         AND id = $3{}",
        lock(tx, for_update)
    );
    let row = tx
        .query(&sql)
        .bind(opening_id.to_string())
        .bind(id.to_string())
        .fetch_optional(tx.conn())
        .await?;
    Ok(row.as_ref().map(BidRow::from_row).transpose()?)
}

/// The bids of an opening not withdrawn, oldest first.
pub async fn bids(tx: &mut TenantTx, opening_id: &str) -> Result<Vec<BidRow>> {
    let sql = format!(
        "SELECT {BID_COLUMNS} FROM sealed_bids WHERE tenant_id = $1 AND opening_id = $2 \
         AND withdrawn_at IS NULL ORDER BY received_at, id"
    );
    let rows = tx
        .query(&sql)
        .bind(opening_id.to_string())
        .fetch_all(tx.conn())
        .await?;
    Ok(rows
        .iter()
        .map(BidRow::from_row)
        .collect::<Result<_, _>>()?)
}

/// How many bids of an opening are not withdrawn.
pub async fn bid_count(tx: &mut TenantTx, opening_id: &str) -> Result<i64> {
    let n: i64 = sqlx::Row::try_get(
        &tx.query(
            "SELECT COUNT(*) AS n FROM sealed_bids WHERE tenant_id = $1 AND opening_id = $2 \
             AND withdrawn_at IS NULL",
        )
        .bind(opening_id.to_string())
        .fetch_one(tx.conn())
        .await?,
        "n",
    )?;
    Ok(n)
}

pub async fn update_bid(tx: &mut TenantTx, b: &BidRow) -> Result<()> {
    tx.query(
        "UPDATE sealed_bids SET clear_fields = $3, receipt_hash = $4, received_at = $5, \
         withdrawn_at = $6, opened_fields = $7 WHERE tenant_id = $1 AND id = $2",
    )
    .bind(b.id.clone())
    .bind(b.clear_fields.clone())
    .bind(b.receipt_hash.clone())
    .bind(b.received_at.clone())
    .bind(b.withdrawn_at.clone())
    .bind(b.opened_fields.clone())
    .execute(tx.conn())
    .await?;
    Ok(())
}

const PART_COLUMNS: &str = "bid_id, name, file_name, ciphertext, object_key, size, \
    ciphertext_sha256, content_key, plaintext_sha256";

pub async fn parts(tx: &mut TenantTx, bid_id: &str) -> Result<Vec<PartRow>> {
    let sql = format!(
        "SELECT {PART_COLUMNS} FROM sealed_parts WHERE tenant_id = $1 AND bid_id = $2 ORDER BY name"
    );
    let rows = tx
        .query(&sql)
        .bind(bid_id.to_string())
        .fetch_all(tx.conn())
        .await?;
    Ok(rows
        .iter()
        .map(PartRow::from_row)
        .collect::<Result<_, _>>()?)
}

/// Removes a part and its shares; `None` for every part of the bid.
pub async fn delete_parts(tx: &mut TenantTx, bid_id: &str, name: Option<&str>) -> Result<()> {
    for table in ["sealed_shares", "sealed_parts"] {
        let column = if table == "sealed_shares" {
            "part"
        } else {
            "name"
        };
        let sql = format!(
            "DELETE FROM {table} WHERE tenant_id = $1 AND bid_id = $2 AND ($3 = '' OR {column} = $3)"
        );
        tx.query(&sql)
            .bind(bid_id.to_string())
            .bind(name.unwrap_or("").to_string())
            .execute(tx.conn())
            .await?;
    }
    Ok(())
}

pub async fn insert_part(tx: &mut TenantTx, p: &PartRow) -> Result<()> {
    tx.query(
        "INSERT INTO sealed_parts (tenant_id, bid_id, name, file_name, ciphertext, object_key, \
         size, ciphertext_sha256) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(p.bid_id.clone())
    .bind(p.name.clone())
    .bind(p.file_name.clone())
    .bind(p.ciphertext.clone())
    .bind(p.object_key.clone())
    .bind(p.size)
    .bind(p.ciphertext_sha256.clone())
    .execute(tx.conn())
    .await?;
    Ok(())
}

pub async fn set_part_opened(
    tx: &mut TenantTx,
    bid_id: &str,
    name: &str,
    content_key: &str,
    plaintext_sha256: &str,
) -> Result<()> {
    tx.query(
        "UPDATE sealed_parts SET content_key = $4, plaintext_sha256 = $5 \
         WHERE tenant_id = $1 AND bid_id = $2 AND name = $3",
    )
    .bind(bid_id.to_string())
    .bind(name.to_string())
    .bind(content_key.to_string())
    .bind(plaintext_sha256.to_string())
    .execute(tx.conn())
    .await?;
    Ok(())
}

pub async fn insert_share(tx: &mut TenantTx, s: &ShareRow) -> Result<()> {
    tx.query(
        "INSERT INTO sealed_shares (tenant_id, bid_id, part, user_id, encrypted, commitment) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(s.bid_id.clone())
    .bind(s.part.clone())
    .bind(s.user_id.clone())
    .bind(s.encrypted.clone())
    .bind(s.commitment.clone())
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// The shares of an opening's live bids: every holder's, or `user_id`'s only.
pub async fn shares(
    tx: &mut TenantTx,
    opening_id: &str,
    user_id: Option<&str>,
) -> Result<Vec<ShareRow>> {
    let rows = tx
        .query(
            "SELECT s.bid_id, s.part, s.user_id, s.encrypted, s.commitment, s.contributed \
             FROM sealed_shares s JOIN sealed_bids b ON b.tenant_id = s.tenant_id AND b.id = s.bid_id \
             WHERE s.tenant_id = $1 AND b.opening_id = $2 AND b.withdrawn_at IS NULL \
             AND ($3 = '' OR s.user_id = $3) ORDER BY s.bid_id, s.part, s.user_id",
        )
        .bind(opening_id.to_string())
        .bind(user_id.unwrap_or("").to_string())
        .fetch_all(tx.conn())
        .await?;
    Ok(rows
        .iter()
        .map(ShareRow::from_row)
        .collect::<Result<_, _>>()?)
}

/// Records a decrypted share (base64), or erases it (`None`).
pub async fn set_share_contributed(tx: &mut TenantTx, s: &ShareRow) -> Result<()> {
    tx.query(
        "UPDATE sealed_shares SET contributed = $5 \
         WHERE tenant_id = $1 AND bid_id = $2 AND part = $3 AND user_id = $4",
    )
    .bind(s.bid_id.clone())
    .bind(s.part.clone())
    .bind(s.user_id.clone())
    .bind(s.contributed.clone())
    .execute(tx.conn())
    .await?;
    Ok(())
}
