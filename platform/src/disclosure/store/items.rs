//! Items, their versions, the staff lists and the scheduled items that are due.

use serde_json::Value;
use sqlx::FromRow;

use super::decode;
use crate::disclosure::model::{self, ItemRow, Version};
use crate::kernel::db::{Backend, TenantTx};
use crate::kernel::error::{Error, Result};

const ITEM_COLUMNS: &str =
    "id, node_id, kind, index_number, attribute, legal_ground, attribute_reason, \
    working_state, scheduled_at, public_state, validity, version, cycle_start, published_version, \
    review_chain, withdrawn_reason, changed_on, due_on, created_by, created_at, updated_at, \
    published_at, first_published_at, repealed_on";

/// An item row as stored (`ITEM_COLUMNS`).
#[derive(FromRow)]
struct ItemRecord {
    id: String,
    node_id: String,
    kind: String,
    index_number: String,
    attribute: String,
    legal_ground: Option<String>,
    attribute_reason: String,
    working_state: Option<String>,
    scheduled_at: Option<String>,
    public_state: String,
    validity: String,
    version: i64,
    cycle_start: i64,
    published_version: Option<i64>,
    /// JSON: the review steps fixed at submission.
    review_chain: String,
    withdrawn_reason: Option<String>,
    changed_on: String,
    due_on: Option<String>,
    created_by: Option<String>,
    created_at: String,
    updated_at: String,
    published_at: Option<String>,
    first_published_at: Option<String>,
    repealed_on: Option<String>,
}

impl TryFrom<ItemRecord> for ItemRow {
    type Error = Error;

    fn try_from(r: ItemRecord) -> Result<ItemRow> {
        Ok(ItemRow {
            state: model::state_from(
                r.working_state.as_deref(),
                r.scheduled_at.as_deref(),
                &r.public_state,
                &r.validity,
            )?,
            review_chain: serde_json::from_str(&r.review_chain)
                .map_err(|e| Error::internal_cause("bad stored review chain", e))?,
            id: r.id,
            node_id: r.node_id,
            kind: r.kind,
            index_number: r.index_number,
            attribute: r.attribute,
            legal_ground: r.legal_ground,
            attribute_reason: r.attribute_reason,
            version: r.version,
            cycle_start: r.cycle_start,
            published_version: r.published_version,
            withdrawn_reason: r.withdrawn_reason,
            changed_on: r.changed_on,
            due_on: r.due_on,
            created_by: r.created_by,
            created_at: r.created_at,
            updated_at: r.updated_at,
            published_at: r.published_at,
            first_published_at: r.first_published_at,
            repealed_on: r.repealed_on,
        })
    }
}

/// A line of a staff list: the item and the title of its newest version.
#[derive(FromRow)]
struct ListedRecord {
    #[sqlx(flatten)]
    item: ItemRecord,
    title: String,
}

impl TryFrom<ListedRecord> for (ItemRow, String) {
    type Error = Error;

    fn try_from(r: ListedRecord) -> Result<(ItemRow, String)> {
        Ok((r.item.try_into()?, r.title))
    }
}

/// One item; `lock` takes its row lock on PostgreSQL (SQLite's write transaction
/// already serialises writers).
pub async fn item(tx: &mut TenantTx, id: &str, lock: bool) -> Result<Option<ItemRow>> {
    let sql = if lock && tx.backend() == Backend::Postgres {
        format!("SELECT {ITEM_COLUMNS} FROM items WHERE tenant_id = $1 AND id = $2 FOR UPDATE")
    } else {
        format!("SELECT {ITEM_COLUMNS} FROM items WHERE tenant_id = $1 AND id = $2")
    };
    tx.query(&sql)
        .bind(id.to_string())
        .try_map(decode::<ItemRecord>)
        .fetch_optional(tx.conn())
        .await?
        .map(ItemRow::try_from)
        .transpose()
}

/// `ITEM_COLUMNS` qualified by a table alias, for joins.
fn item_columns_of(alias: &str) -> String {
    ITEM_COLUMNS
        .split(", ")
        .map(|c| format!("{alias}.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Writes an item: all of it when new, else its mutable part (state, counters, dates);
/// kind, index number, attribute and creation stay as first written.
pub async fn save_item(tx: &mut TenantTx, i: &ItemRow) -> Result<()> {
    let (working, scheduled) = model::working_text(&i.state);
    tx.query(
        "INSERT INTO items (tenant_id, id, node_id, kind, index_number, attribute, legal_ground, \
         attribute_reason, working_state, scheduled_at, public_state, validity, version, cycle_start, \
         published_version, review_chain, withdrawn_reason, changed_on, due_on, created_by, created_at, \
         updated_at, published_at, first_published_at, repealed_on) VALUES ($1, $2, $3, $4, $5, $6, \
         $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25) \
         ON CONFLICT (tenant_id, id) DO UPDATE SET node_id = excluded.node_id, \
         working_state = excluded.working_state, scheduled_at = excluded.scheduled_at, \
         public_state = excluded.public_state, validity = excluded.validity, \
         version = excluded.version, cycle_start = excluded.cycle_start, \
         published_version = excluded.published_version, review_chain = excluded.review_chain, \
         withdrawn_reason = excluded.withdrawn_reason, changed_on = excluded.changed_on, \
         due_on = excluded.due_on, updated_at = excluded.updated_at, \
         published_at = excluded.published_at, first_published_at = excluded.first_published_at, \
         repealed_on = excluded.repealed_on",
    )
    .bind(i.id.clone())
    .bind(i.node_id.clone())
    .bind(i.kind.clone())
    .bind(i.index_number.clone())
    .bind(i.attribute.clone())
    .bind(i.legal_ground.clone())
    .bind(i.attribute_reason.clone())
    .bind(working)
    .bind(scheduled)
    .bind(model::public_text(i.state.public))
    .bind(i.state.validity.as_str())
    .bind(i.version)
    .bind(i.cycle_start)
    .bind(i.published_version)
    .bind(serde_json::to_string(&i.review_chain).unwrap_or_else(|_| "[]".into()))
    .bind(i.withdrawn_reason.clone())
    .bind(i.changed_on.clone())
    .bind(i.due_on.clone())
    .bind(i.created_by.clone())
    .bind(i.created_at.clone())
    .bind(i.updated_at.clone())
    .bind(i.published_at.clone())
    .bind(i.first_published_at.clone())
    .bind(i.repealed_on.clone())
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Stores the public rendition of the published version.
pub async fn set_public_rendition(
    tx: &mut TenantTx,
    id: &str,
    title: &str,
    body_html: &str,
    fields: &Value,
    document_number: Option<&str>,
) -> Result<()> {
    tx.query(
        "UPDATE items SET public_title = $3, public_body_html = $4, public_fields = $5, \
         public_document_number = $6 WHERE tenant_id = $1 AND id = $2",
    )
    .bind(id.to_string())
    .bind(title.to_string())
    .bind(body_html.to_string())
    .bind(fields.to_string())
    .bind(document_number.map(str::to_string))
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// A version row as stored: fields and the plugin record as JSON text.
#[derive(FromRow)]
struct VersionRecord {
    number: i64,
    title: String,
    body: String,
    fields: String,
    document_number: Option<String>,
    created_by: Option<String>,
    created_at: String,
    plugin: Option<String>,
}

impl TryFrom<VersionRecord> for Version {
    type Error = Error;

    fn try_from(r: VersionRecord) -> Result<Version> {
        Ok(Version {
            number: r.number,
            title: r.title,
            body: r.body,
            fields: serde_json::from_str(&r.fields).unwrap_or(Value::Null),
            document_number: r.document_number,
            created_by: r.created_by,
            created_at: r.created_at,
            plugin: r
                .plugin
                .map(|p| serde_json::from_str(&p))
                .transpose()
                .map_err(|e| Error::internal_cause("stored plugin record", e))?,
        })
    }
}

pub async fn insert_version(tx: &mut TenantTx, item_id: &str, v: &Version) -> Result<()> {
    tx.query(
        "INSERT INTO item_versions (tenant_id, item_id, number, title, body, fields, document_number, \
         created_by, created_at, plugin) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(item_id.to_string())
    .bind(v.number)
    .bind(v.title.clone())
    .bind(v.body.clone())
    .bind(v.fields.to_string())
    .bind(v.document_number.clone())
    .bind(v.created_by.clone())
    .bind(v.created_at.clone())
    .bind(v.plugin.as_ref().map(|p| serde_json::to_string(p).unwrap_or_default()))
    .execute(tx.conn())
    .await?;
    Ok(())
}

pub async fn version(tx: &mut TenantTx, item_id: &str, number: i64) -> Result<Version> {
    tx.query(
        "SELECT number, title, body, fields, document_number, created_by, created_at, plugin \
         FROM item_versions WHERE tenant_id = $1 AND item_id = $2 AND number = $3",
    )
    .bind(item_id.to_string())
    .bind(number)
    .try_map(decode::<VersionRecord>)
    .fetch_one(tx.conn())
    .await?
    .try_into()
}

pub async fn versions(tx: &mut TenantTx, item_id: &str) -> Result<Vec<Version>> {
    tx.query(
        "SELECT number, title, body, fields, document_number, created_by, created_at, plugin \
         FROM item_versions WHERE tenant_id = $1 AND item_id = $2 ORDER BY number",
    )
    .bind(item_id.to_string())
    .try_map(decode::<VersionRecord>)
    .fetch_all(tx.conn())
    .await?
    .into_iter()
    .map(Version::try_from)
    .collect()
}

/// Who wrote versions `from..` of an item or added or removed attachments in them (the
/// editors of the working cycle).
pub async fn editors(tx: &mut TenantTx, item_id: &str, from: i64) -> Result<Vec<String>> {
    let editors = tx
        .query(
            "SELECT created_by FROM item_versions WHERE tenant_id = $1 AND item_id = $2 \
             AND number >= $3 AND created_by IS NOT NULL \
             UNION SELECT created_by FROM attachments WHERE tenant_id = $1 AND item_id = $2 \
             AND version >= $3 AND created_by IS NOT NULL AND created_by <> '' \
             UNION SELECT removed_by FROM attachments WHERE tenant_id = $1 AND item_id = $2 \
             AND removed_version >= $3 AND removed_by IS NOT NULL AND removed_by <> ''",
        )
        .bind(item_id.to_string())
        .bind(from)
        .try_map(decode::<(String,)>)
        .fetch_all(tx.conn())
        .await?;
    Ok(editors.into_iter().map(|(e,)| e).collect())
}

/// A published item of a plugin related to another by a field's value: (id, kind,
/// published fields as JSON text, published at).
pub type RelatedRow = (String, String, String, Option<String>);

/// The published items of kinds `{plugin}/…` whose published version has `value` in
/// field `field` (a plugin kind's `related-by`), `except` the item being saved; oldest
/// first, at most 1,000. The field is read by the database (JSON), not by loading rows.
pub async fn related(
    tx: &mut TenantTx,
    plugin: &str,
    field: &str,
    value: &str,
    except: &str,
) -> Result<Vec<RelatedRow>> {
    // Field ids are lower snake case (the manifest is checked), safe in a JSON path.
    let (matches, path) = match tx.backend() {
        Backend::Postgres => ("(v.fields::jsonb ->> $4) = $5", field.to_string()),
        Backend::Sqlite => ("json_extract(v.fields, $4) = $5", format!("$.{field}")),
    };
    let sql = format!(
        "SELECT i.id, i.kind, v.fields, i.published_at FROM items i          JOIN item_versions v ON v.tenant_id = i.tenant_id AND v.item_id = i.id          AND v.number = i.published_version          WHERE i.tenant_id = $1 AND i.public_state = 'published'          AND substr(i.kind, 1, length($2)) = $2 AND i.id <> $3 AND {matches}          ORDER BY i.published_at, i.id LIMIT 1000"
    );
    let rows = tx
        .query(&sql)
        .bind(format!("{plugin}/"))
        .bind(except.to_string())
        .bind(path)
        .bind(value.to_string())
        .try_map(decode::<RelatedRow>)
        .fetch_all(tx.conn())
        .await?;
    Ok(rows)
}

/// A staff list: (item, title of the newest version).
pub async fn list_items(
    tx: &mut TenantTx,
    stage: Option<&str>,
    node_id: Option<&str>,
    kind: Option<&str>,
    created_by: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<Vec<(ItemRow, String)>> {
    let sql = format!(
        "SELECT {cols}, v.title FROM items i JOIN item_versions v ON v.tenant_id = i.tenant_id \
         AND v.item_id = i.id AND v.number = i.version WHERE i.tenant_id = $1 \
         AND ($2 = '' OR coalesce(i.working_state, i.public_state) = $2) \
         AND ($3 = '' OR i.node_id = $3) AND ($4 = '' OR i.kind = $4) \
         AND ($7 = '' OR i.created_by = $7) \
         ORDER BY i.updated_at DESC, i.id LIMIT $5 OFFSET $6",
        cols = item_columns_of("i")
    );
    let rows = tx
        .query(&sql)
        .bind(stage.unwrap_or_default().to_string())
        .bind(node_id.unwrap_or_default().to_string())
        .bind(kind.unwrap_or_default().to_string())
        .bind(limit)
        .bind(offset)
        .bind(created_by.unwrap_or_default().to_string())
        .try_map(decode::<ListedRecord>)
        .fetch_all(tx.conn())
        .await?;
    rows.into_iter().map(TryInto::try_into).collect()
}

/// Unpublished working versions whose publication deadline has passed.
pub async fn overdue(tx: &mut TenantTx, today: &str) -> Result<Vec<(ItemRow, String)>> {
    let sql = format!(
        "SELECT {cols}, v.title FROM items i JOIN item_versions v ON v.tenant_id = i.tenant_id \
         AND v.item_id = i.id AND v.number = i.version WHERE i.tenant_id = $1 \
         AND i.working_state IS NOT NULL AND i.due_on IS NOT NULL AND i.due_on < $2 ORDER BY i.due_on",
        cols = item_columns_of("i")
    );
    let rows = tx
        .query(&sql)
        .bind(today.to_string())
        .try_map(decode::<ListedRecord>)
        .fetch_all(tx.conn())
        .await?;
    rows.into_iter().map(TryInto::try_into).collect()
}

/// Ids of scheduled items whose time has come. On PostgreSQL the rows are locked and
/// rows locked by another replica are skipped, so each item is published once.
pub async fn due_scheduled(tx: &mut TenantTx, now: &str) -> Result<Vec<String>> {
    let sql = match tx.backend() {
        Backend::Postgres => {
            "SELECT id FROM items WHERE tenant_id = $1 AND working_state = 'scheduled' \
             AND scheduled_at <= $2 ORDER BY scheduled_at LIMIT 100 FOR UPDATE SKIP LOCKED"
        }
        Backend::Sqlite => {
            "SELECT id FROM items WHERE tenant_id = $1 AND working_state = 'scheduled' \
             AND scheduled_at <= $2 ORDER BY scheduled_at LIMIT 100"
        }
    };
    let ids = tx
        .query(sql)
        .bind(now.to_string())
        .try_map(decode::<(String,)>)
        .fetch_all(tx.conn())
        .await?;
    Ok(ids.into_iter().map(|(id,)| id).collect())
}
