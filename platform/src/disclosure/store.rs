//! The disclosure tables. Every query goes through a `TenantTx` (tenant id bound as `$1`).

use serde_json::Value;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::model::{
    self, AttachmentOut, CatalogNode, DecisionOut, FindingOut, ItemRow, Settings, Version,
};
use crate::kernel::db::{Backend, TenantTx};
use crate::kernel::error::{Error, Result};
use gongkai_rules::disclosure::lifecycle::review::{Decision, Step, Verdict};

// ---------------------------------------------------------------------------------------
// Settings and catalog.

pub async fn settings(tx: &mut TenantTx) -> Result<Option<Settings>> {
    let row = tx
        .query("SELECT org_code, index_pattern FROM disclosure_settings WHERE tenant_id = $1")
        .fetch_optional(tx.conn())
        .await?;
    row.map(|r| {
        Ok(Settings {
            org_code: r.try_get("org_code")?,
            index_pattern: r.try_get("index_pattern")?,
        })
    })
    .transpose()
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

pub async fn nodes(tx: &mut TenantTx) -> Result<Vec<CatalogNode>> {
    let rows = tx
        .query(
            "SELECT id, parent_id, code, name, position FROM catalog_nodes WHERE tenant_id = $1 \
             ORDER BY position, code",
        )
        .fetch_all(tx.conn())
        .await?;
    let steps = tx
        .query(
            "SELECT node_id, name, role FROM catalog_review_steps WHERE tenant_id = $1 \
             ORDER BY node_id, position",
        )
        .fetch_all(tx.conn())
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let id: String = r.try_get("id")?;
        let mut chain = Vec::new();
        for s in &steps {
            if s.try_get::<String, _>("node_id")? == id {
                chain.push(Step::new(
                    &s.try_get::<String, _>("name")?,
                    &s.try_get::<String, _>("role")?,
                ));
            }
        }
        out.push(CatalogNode {
            id,
            parent_id: r.try_get("parent_id")?,
            code: r.try_get("code")?,
            name: r.try_get("name")?,
            position: r.try_get("position")?,
            review_chain: chain,
        });
    }
    Ok(out)
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
    let children: i64 = tx
        .query("SELECT COUNT(*) AS n FROM catalog_nodes WHERE tenant_id = $1 AND parent_id = $2")
        .bind(id.to_string())
        .fetch_one(tx.conn())
        .await?
        .try_get("n")?;
    let items: i64 = tx
        .query("SELECT COUNT(*) AS n FROM items WHERE tenant_id = $1 AND node_id = $2")
        .bind(id.to_string())
        .fetch_one(tx.conn())
        .await?
        .try_get("n")?;
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
    let rows = tx
        .query("SELECT word FROM sensitive_words WHERE tenant_id = $1 ORDER BY word")
        .fetch_all(tx.conn())
        .await?;
    rows.iter().map(|r| Ok(r.try_get("word")?)).collect()
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
    let row = tx
        .query(
            "UPDATE index_sequences SET last_seq = last_seq + 1 WHERE tenant_id = $1 AND year = $2 \
             RETURNING last_seq",
        )
        .bind(i64::from(year))
        .fetch_one(tx.conn())
        .await?;
    Ok(row.try_get("last_seq")?)
}

// ---------------------------------------------------------------------------------------
// Items.

const ITEM_COLUMNS: &str =
    "id, node_id, kind, index_number, attribute, legal_ground, attribute_reason, \
    working_state, scheduled_at, public_state, validity, version, cycle_start, published_version, \
    review_chain, withdrawn_reason, changed_on, due_on, created_by, created_at, updated_at, \
    published_at, first_published_at";

fn item_row(r: &AnyRow) -> Result<ItemRow> {
    let working: Option<String> = r.try_get("working_state")?;
    let scheduled: Option<String> = r.try_get("scheduled_at")?;
    let public: String = r.try_get("public_state")?;
    let validity: String = r.try_get("validity")?;
    let chain: String = r.try_get("review_chain")?;
    Ok(ItemRow {
        id: r.try_get("id")?,
        node_id: r.try_get("node_id")?,
        kind: r.try_get("kind")?,
        index_number: r.try_get("index_number")?,
        attribute: r.try_get("attribute")?,
        legal_ground: r.try_get("legal_ground")?,
        attribute_reason: r.try_get("attribute_reason")?,
        state: model::state_from(working.as_deref(), scheduled.as_deref(), &public, &validity)?,
        version: r.try_get("version")?,
        cycle_start: r.try_get("cycle_start")?,
        published_version: r.try_get("published_version")?,
        review_chain: serde_json::from_str(&chain)
            .map_err(|e| Error::internal_cause("bad stored review chain", e))?,
        withdrawn_reason: r.try_get("withdrawn_reason")?,
        changed_on: r.try_get("changed_on")?,
        due_on: r.try_get("due_on")?,
        created_by: r.try_get("created_by")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
        published_at: r.try_get("published_at")?,
        first_published_at: r.try_get("first_published_at")?,
    })
}

/// One item; `lock` takes its row lock on PostgreSQL (SQLite's write transaction
/// already serialises writers).
pub async fn item(
    tx: &mut TenantTx,
    backend: Backend,
    id: &str,
    lock: bool,
) -> Result<Option<ItemRow>> {
    let sql = if lock && backend == Backend::Postgres {
        format!("SELECT {ITEM_COLUMNS} FROM items WHERE tenant_id = $1 AND id = $2 FOR UPDATE")
    } else {
        format!("SELECT {ITEM_COLUMNS} FROM items WHERE tenant_id = $1 AND id = $2")
    };
    let row = tx
        .query(&sql)
        .bind(id.to_string())
        .fetch_optional(tx.conn())
        .await?;
    row.as_ref().map(item_row).transpose()
}

/// Writes an item: all of it when new, else its mutable part (state, counters, dates);
/// kind, index number, attribute and creation stay as first written.
pub async fn save_item(tx: &mut TenantTx, i: &ItemRow) -> Result<()> {
    let (working, scheduled) = model::working_text(&i.state);
    tx.query(
        "INSERT INTO items (tenant_id, id, node_id, kind, index_number, attribute, legal_ground, \
         attribute_reason, working_state, scheduled_at, public_state, validity, version, cycle_start, \
         published_version, review_chain, withdrawn_reason, changed_on, due_on, created_by, created_at, \
         updated_at, published_at, first_published_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, \
         $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24) \
         ON CONFLICT (tenant_id, id) DO UPDATE SET node_id = excluded.node_id, \
         working_state = excluded.working_state, scheduled_at = excluded.scheduled_at, \
         public_state = excluded.public_state, validity = excluded.validity, \
         version = excluded.version, cycle_start = excluded.cycle_start, \
         published_version = excluded.published_version, review_chain = excluded.review_chain, \
         withdrawn_reason = excluded.withdrawn_reason, changed_on = excluded.changed_on, \
         due_on = excluded.due_on, updated_at = excluded.updated_at, \
         published_at = excluded.published_at, first_published_at = excluded.first_published_at",
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

fn version_row(r: &AnyRow) -> Result<Version> {
    let fields: String = r.try_get("fields")?;
    Ok(Version {
        number: r.try_get("number")?,
        title: r.try_get("title")?,
        body: r.try_get("body")?,
        fields: serde_json::from_str(&fields).unwrap_or(Value::Null),
        document_number: r.try_get("document_number")?,
        created_by: r.try_get("created_by")?,
        created_at: r.try_get("created_at")?,
        plugin: r
            .try_get::<Option<String>, _>("plugin")?
            .map(|p| serde_json::from_str(&p))
            .transpose()
            .map_err(|e| Error::internal_cause("stored plugin record", e))?,
    })
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
    let row = tx
        .query(
            "SELECT number, title, body, fields, document_number, created_by, created_at, plugin \
             FROM item_versions WHERE tenant_id = $1 AND item_id = $2 AND number = $3",
        )
        .bind(item_id.to_string())
        .bind(number)
        .fetch_one(tx.conn())
        .await?;
    version_row(&row)
}

pub async fn versions(tx: &mut TenantTx, item_id: &str) -> Result<Vec<Version>> {
    let rows = tx
        .query(
            "SELECT number, title, body, fields, document_number, created_by, created_at, plugin \
             FROM item_versions WHERE tenant_id = $1 AND item_id = $2 ORDER BY number",
        )
        .bind(item_id.to_string())
        .fetch_all(tx.conn())
        .await?;
    rows.iter().map(version_row).collect()
}

/// Who wrote versions `from..` of an item or added or removed attachments in them (the
/// editors of the working cycle).
pub async fn editors(tx: &mut TenantTx, item_id: &str, from: i64) -> Result<Vec<String>> {
    let rows = tx
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
        .fetch_all(tx.conn())
        .await?;
    rows.iter().map(|r| Ok(r.try_get("created_by")?)).collect()
}

/// A staff list: (item, title of the newest version).
pub async fn list_items(
    tx: &mut TenantTx,
    stage: Option<&str>,
    node_id: Option<&str>,
    kind: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<Vec<(ItemRow, String)>> {
    let sql = format!(
        "SELECT {cols}, v.title FROM items i JOIN item_versions v ON v.tenant_id = i.tenant_id \
         AND v.item_id = i.id AND v.number = i.version WHERE i.tenant_id = $1 \
         AND ($2 = '' OR coalesce(i.working_state, i.public_state) = $2) \
         AND ($3 = '' OR i.node_id = $3) AND ($4 = '' OR i.kind = $4) \
         ORDER BY i.updated_at DESC LIMIT $5 OFFSET $6",
        cols = ITEM_COLUMNS
            .split(", ")
            .map(|c| format!("i.{}", c.trim()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let rows = tx
        .query(&sql)
        .bind(stage.unwrap_or_default().to_string())
        .bind(node_id.unwrap_or_default().to_string())
        .bind(kind.unwrap_or_default().to_string())
        .bind(limit)
        .bind(offset)
        .fetch_all(tx.conn())
        .await?;
    rows.iter()
        .map(|r| Ok((item_row(r)?, r.try_get("title")?)))
        .collect()
}

/// Unpublished working versions whose publication deadline has passed.
pub async fn overdue(tx: &mut TenantTx, today: &str) -> Result<Vec<(ItemRow, String)>> {
    let sql = format!(
        "SELECT {cols}, v.title FROM items i JOIN item_versions v ON v.tenant_id = i.tenant_id \
         AND v.item_id = i.id AND v.number = i.version WHERE i.tenant_id = $1 \
         AND i.working_state IS NOT NULL AND i.due_on IS NOT NULL AND i.due_on < $2 ORDER BY i.due_on",
        cols = ITEM_COLUMNS
            .split(", ")
            .map(|c| format!("i.{}", c.trim()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let rows = tx
        .query(&sql)
        .bind(today.to_string())
        .fetch_all(tx.conn())
        .await?;
    rows.iter()
        .map(|r| Ok((item_row(r)?, r.try_get("title")?)))
        .collect()
}

/// Ids of scheduled items whose time has come. On PostgreSQL the rows are locked and
/// rows locked by another replica are skipped, so each item is published once.
pub async fn due_scheduled(tx: &mut TenantTx, backend: Backend, now: &str) -> Result<Vec<String>> {
    let sql = match backend {
        Backend::Postgres => {
            "SELECT id FROM items WHERE tenant_id = $1 AND working_state = 'scheduled' \
             AND scheduled_at <= $2 ORDER BY scheduled_at LIMIT 100 FOR UPDATE SKIP LOCKED"
        }
        Backend::Sqlite => {
            "SELECT id FROM items WHERE tenant_id = $1 AND working_state = 'scheduled' \
             AND scheduled_at <= $2 ORDER BY scheduled_at LIMIT 100"
        }
    };
    let rows = tx
        .query(sql)
        .bind(now.to_string())
        .fetch_all(tx.conn())
        .await?;
    rows.iter().map(|r| Ok(r.try_get("id")?)).collect()
}

// ---------------------------------------------------------------------------------------
// Review decisions and findings.

pub async fn insert_decision(tx: &mut TenantTx, item_id: &str, d: &DecisionOut) -> Result<()> {
    tx.query(
        "INSERT INTO review_decisions (tenant_id, id, item_id, version, step, step_name, verdict, \
         comments, decided_by, decided_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(d.id.clone())
    .bind(item_id.to_string())
    .bind(d.version)
    .bind(d.step)
    .bind(d.step_name.clone())
    .bind(d.verdict.clone())
    .bind(d.comments.clone())
    .bind(d.decided_by.clone())
    .bind(d.decided_at.clone())
    .execute(tx.conn())
    .await?;
    Ok(())
}

pub async fn decisions(tx: &mut TenantTx, item_id: &str) -> Result<Vec<DecisionOut>> {
    let rows = tx
        .query(
            "SELECT id, version, step, step_name, verdict, comments, decided_by, decided_at \
             FROM review_decisions WHERE tenant_id = $1 AND item_id = $2 ORDER BY decided_at, id",
        )
        .bind(item_id.to_string())
        .fetch_all(tx.conn())
        .await?;
    rows.iter()
        .map(|r| {
            Ok(DecisionOut {
                id: r.try_get("id")?,
                version: r.try_get("version")?,
                step: r.try_get("step")?,
                step_name: r.try_get("step_name")?,
                verdict: r.try_get("verdict")?,
                comments: r.try_get("comments")?,
                decided_by: r.try_get("decided_by")?,
                decided_at: r.try_get("decided_at")?,
            })
        })
        .collect()
}

/// The decisions on one version, as the review rules take them.
pub fn as_rules(decisions: &[DecisionOut], version: i64) -> Vec<Decision<String>> {
    decisions
        .iter()
        .filter(|d| d.version == version)
        .map(|d| Decision {
            step: d.step as usize,
            by: d.decided_by.clone(),
            verdict: if d.verdict == "approve" {
                Verdict::Approve
            } else {
                Verdict::Reject
            },
        })
        .collect()
}

pub async fn insert_finding(
    tx: &mut TenantTx,
    item_id: &str,
    f: &FindingOut,
    at: &str,
) -> Result<()> {
    tx.query(
        "INSERT INTO scan_findings (tenant_id, id, item_id, version, field, kind, start_at, end_at, \
         matched, masked, found_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(f.id.clone())
    .bind(item_id.to_string())
    .bind(f.version)
    .bind(f.field.clone())
    .bind(f.kind.clone())
    .bind(f.start)
    .bind(f.end)
    .bind(f.matched.clone())
    .bind(f.masked.clone())
    .bind(at)
    .execute(tx.conn())
    .await?;
    Ok(())
}

pub async fn findings(
    tx: &mut TenantTx,
    item_id: &str,
    version: Option<i64>,
) -> Result<Vec<FindingOut>> {
    let rows = tx
        .query(
            "SELECT id, version, field, kind, start_at, end_at, matched, masked, resolution, reason, \
             resolved_by, resolved_at FROM scan_findings WHERE tenant_id = $1 AND item_id = $2 \
             AND ($3 < 0 OR version = $3) ORDER BY version, field, start_at",
        )
        .bind(item_id.to_string())
        .bind(version.unwrap_or(-1))
        .fetch_all(tx.conn())
        .await?;
    rows.iter()
        .map(|r| {
            let kind: String = r.try_get("kind")?;
            Ok(FindingOut {
                id: r.try_get("id")?,
                version: r.try_get("version")?,
                field: r.try_get("field")?,
                kind_zh: finding_kind_zh(&kind).to_string(),
                kind,
                start: r.try_get("start_at")?,
                end: r.try_get("end_at")?,
                matched: r.try_get("matched")?,
                masked: r.try_get("masked")?,
                resolution: r.try_get("resolution")?,
                reason: r.try_get("reason")?,
                resolved_by: r.try_get("resolved_by")?,
                resolved_at: r.try_get("resolved_at")?,
            })
        })
        .collect()
}

fn finding_kind_zh(kind: &str) -> &'static str {
    super::scan::FindingKind::parse(kind).map_or("其他", super::scan::FindingKind::label_zh)
}

pub async fn resolve_finding(
    tx: &mut TenantTx,
    id: &str,
    resolution: &str,
    reason: &str,
    by: &str,
    at: &str,
) -> Result<()> {
    tx.query(
        "UPDATE scan_findings SET resolution = $3, reason = $4, resolved_by = $5, resolved_at = $6 \
         WHERE tenant_id = $1 AND id = $2",
    )
    .bind(id.to_string())
    .bind(resolution.to_string())
    .bind(reason.to_string())
    .bind(by.to_string())
    .bind(at.to_string())
    .execute(tx.conn())
    .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Attachments.

/// The attachments of the working version (not removed), oldest first.
pub async fn attachments(tx: &mut TenantTx, item_id: &str) -> Result<Vec<AttachmentOut>> {
    let rows = tx
        .query(&format!(
            "SELECT {ATTACHMENT_COLUMNS} FROM attachments WHERE tenant_id = $1 AND item_id = $2 \
             AND removed_version IS NULL ORDER BY created_at, id"
        ))
        .bind(item_id.to_string())
        .fetch_all(tx.conn())
        .await?;
    rows.iter()
        .map(|r| Ok(attachment_row(r)?.attachment))
        .collect()
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
        .fetch_all(tx.conn())
        .await?;
    rows.iter().map(attachment_row).collect()
}

/// What [`attachment_row`] reads.
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

fn attachment_row(r: &AnyRow) -> Result<AttachmentRow> {
    Ok(AttachmentRow {
        attachment: AttachmentOut {
            id: r.try_get("id")?,
            name: r.try_get("name")?,
            media_type: r.try_get("media_type")?,
            size: r.try_get("size")?,
            sha256: r.try_get("sha256")?,
            created_at: r.try_get("created_at")?,
        },
        version: r.try_get("version")?,
        removed_version: r.try_get("removed_version")?,
    })
}

/// One attachment of an item, removed or not.
pub async fn attachment(
    tx: &mut TenantTx,
    item_id: &str,
    id: &str,
) -> Result<Option<AttachmentRow>> {
    let row = tx
        .query(&format!(
            "SELECT {ATTACHMENT_COLUMNS} FROM attachments WHERE tenant_id = $1 AND item_id = $2 \
             AND id = $3"
        ))
        .bind(item_id.to_string())
        .bind(id.to_string())
        .fetch_optional(tx.conn())
        .await?;
    row.as_ref().map(attachment_row).transpose()
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
    Ok(tx
        .query("SELECT COUNT(*) AS n FROM attachments WHERE tenant_id = $1 AND sha256 = $2")
        .bind(sha256.to_string())
        .fetch_one(tx.conn())
        .await?
        .try_get("n")?)
}

/// Serialises, until the transaction ends, the writers of one stored object: an upload
/// (bytes put, row inserted) and a release (rows counted, bytes deleted). PostgreSQL
/// takes a transaction-scoped advisory lock on (tenant, sha256); on SQLite the write
/// transaction already excludes every other writer.
pub async fn lock_object(tx: &mut TenantTx, backend: Backend, sha256: &str) -> Result<()> {
    if backend == Backend::Postgres {
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
