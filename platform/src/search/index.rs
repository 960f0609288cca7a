//! The index: what a published item contributes, written in the transaction that
//! publishes, withdraws or repeals it, and rebuilt by `gongkai search reindex`.
//!
//! Only the public rendition is read (`items.public_*`: redacted, masks in place), the
//! tenant's name as the issuing body, and the stored text of the attachments the
//! published version shows, with the redactions of its findings applied. Plugin kinds
//! declare no "searchable" flag in contract 0.2, so every public field's text is indexed:
//! masked values are asterisks there and give no term.

use chrono::Datelike;
use serde_json::Value;
use sqlx::any::AnyRow;
use sqlx::FromRow;

use gongkai_search::query::scope_token;
use gongkai_search::{html_to_text, Document, Weight};

use crate::disclosure::scan;
use crate::disclosure::store as items;
use crate::kernel::clock::day_in_china;
use crate::kernel::db::{Backend, TenantTx};
use crate::kernel::error::Result;
use crate::kernel::ids;

fn decode<T: for<'r> FromRow<'r, AnyRow>>(row: AnyRow) -> sqlx::Result<T> {
    T::from_row(&row)
}

/// At most this many characters of plain text are kept for snippets.
const MAX_SNIPPET_SOURCE: usize = gongkai_search::query::MAX_INDEXED_CHARS;

#[derive(FromRow)]
struct Published {
    public_state: String,
    published_version: Option<i64>,
    index_number: String,
    published_at: Option<String>,
    public_title: Option<String>,
    public_body_html: Option<String>,
    public_fields: Option<String>,
    public_document_number: Option<String>,
}

/// The text of a public field's value: strings and numbers at any depth.
fn field_text(value: &Value, out: &mut String) {
    match value {
        Value::String(s) => {
            out.push_str(s);
            out.push('\n');
        }
        Value::Number(n) => {
            out.push_str(&n.to_string());
            out.push('\n');
        }
        Value::Array(list) => list.iter().for_each(|v| field_text(v, out)),
        Value::Object(map) => map.values().for_each(|v| field_text(v, out)),
        _ => {}
    }
}

async fn issuer(tx: &mut TenantTx) -> Result<String> {
    let id = tx.tenant_id().to_string();
    let name: Option<(String,)> = sqlx::query_as("SELECT name_zh FROM tenants WHERE id = $1")
        .bind(id)
        .fetch_optional(tx.conn())
        .await?;
    Ok(name.map(|n| n.0).unwrap_or_default())
}

/// The redacted text of the attachments the published version shows.
async fn attachment_text(tx: &mut TenantTx, item_id: &str, version: i64) -> Result<String> {
    let rows = items::attachments_with_removed(tx, item_id).await?;
    let shown: Vec<String> = rows
        .iter()
        .filter(|r| r.in_version(version))
        .map(|r| r.attachment.id.clone())
        .collect();
    if shown.is_empty() {
        return Ok(String::new());
    }
    let findings = items::findings(tx, item_id, Some(version)).await?;
    let mut out = String::new();
    for id in shown {
        let text: Option<(String,)> = tx
            .query("SELECT text FROM attachment_texts WHERE tenant_id = $1 AND attachment_id = $2")
            .bind(id.clone())
            .try_map(decode::<(String,)>)
            .fetch_optional(tx.conn())
            .await?;
        let Some((text,)) = text else { continue };
        let field = format!("attachments.{id}");
        let redactions: Vec<(usize, usize, String)> = findings
            .iter()
            .filter(|f| f.field == field && f.resolution.as_deref() == Some("redact"))
            .map(|f| (f.start as usize, f.end as usize, f.masked.clone()))
            .collect();
        out.push_str(&scan::apply_redactions(&text, &redactions));
        out.push('\n');
    }
    Ok(out)
}

/// Takes the item out of the index (nothing happens when it is not there).
pub async fn remove(tx: &mut TenantTx, item_id: &str) -> Result<()> {
    match tx.backend() {
        Backend::Sqlite => {
            tx.query(
                "DELETE FROM search_fts WHERE rowid = (SELECT fts_rowid FROM search_fts_rows \
                 WHERE tenant_id = $1 AND item_id = $2)",
            )
            .bind(item_id.to_string())
            .execute(tx.conn())
            .await?;
            tx.query("DELETE FROM search_fts_rows WHERE tenant_id = $1 AND item_id = $2")
                .bind(item_id.to_string())
                .execute(tx.conn())
                .await?;
        }
        Backend::Postgres => {
            tx.query("DELETE FROM search_terms WHERE tenant_id = $1 AND item_id = $2")
                .bind(item_id.to_string())
                .execute(tx.conn())
                .await?;
        }
    }
    tx.query("DELETE FROM search_documents WHERE tenant_id = $1 AND item_id = $2")
        .bind(item_id.to_string())
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// Makes the index say what the item shows now: its published rendition, or nothing
/// when it is not published (never published, withdrawn). Called in the transaction of
/// every change of an item's publication.
pub async fn refresh(tx: &mut TenantTx, item_id: &str) -> Result<()> {
    let issuer = issuer(tx).await?;
    remove(tx, item_id).await?;
    match entry(tx, &issuer, item_id).await? {
        Some(entry) => insert(tx, &[entry]).await,
        None => Ok(()),
    }
}

/// What the item puts in the index now: nothing unless it is published.
pub async fn entry(tx: &mut TenantTx, issuer: &str, item_id: &str) -> Result<Option<Entry>> {
    let row: Option<Published> = tx
        .query(
            "SELECT public_state, published_version, index_number, published_at, public_title, \
             public_body_html, public_fields, public_document_number FROM items \
             WHERE tenant_id = $1 AND id = $2",
        )
        .bind(item_id.to_string())
        .try_map(decode::<Published>)
        .fetch_optional(tx.conn())
        .await?;
    let Some(p) = row else { return Ok(None) };
    let (Some(version), Some(title), "published") =
        (p.published_version, p.public_title, p.public_state.as_str())
    else {
        return Ok(None);
    };
    let attachments = attachment_text(tx, item_id, version).await?;
    let entry = Entry::new(
        item_id,
        Public {
            published_at: p.published_at.as_deref(),
            title: &title,
            index_number: &p.index_number,
            document_number: p.public_document_number.as_deref(),
            body_html: p.public_body_html.as_deref().unwrap_or_default(),
            fields: p.public_fields.as_deref(),
        },
        issuer,
        &attachments,
    );
    Ok(Some(entry))
}

/// The public rendition of an item, as `items.public_*` hold it.
pub struct Public<'a> {
    pub published_at: Option<&'a str>,
    pub title: &'a str,
    pub index_number: &'a str,
    pub document_number: Option<&'a str>,
    pub body_html: &'a str,
    /// The public fields (JSON object), if any.
    pub fields: Option<&'a str>,
}

/// What one published item puts in the index: the row of `search_documents` and the
/// weighted terms (pure; [`insert`] writes it).
pub struct Entry {
    item_id: String,
    year: i64,
    title: String,
    index_number: String,
    document_number: Option<String>,
    issuer: String,
    body_text: String,
    doc: Document,
}

impl Entry {
    pub fn new(item_id: &str, p: Public, issuer: &str, attachments: &str) -> Entry {
        let year = p
            .published_at
            .and_then(ids::parse_time)
            .map(|at| day_in_china(at).year())
            .unwrap_or(0) as i64;
        let body = html_to_text(p.body_html);
        let fields: Value = p
            .fields
            .and_then(|f| serde_json::from_str(f).ok())
            .unwrap_or(Value::Null);
        let mut field_texts = String::new();
        if let Value::Object(map) = &fields {
            for (name, value) in map {
                if name != "document_number" {
                    field_text(value, &mut field_texts);
                }
            }
        }
        let document_number = p.document_number.unwrap_or_default();
        let numbers = format!("{document_number}\n{}", p.index_number);

        let mut doc = Document::default();
        doc.add(Weight::A, p.title);
        doc.add(Weight::B, &numbers);
        doc.add(Weight::C, &format!("{issuer}\n{field_texts}"));
        doc.add(Weight::D, &body);
        doc.add(Weight::D, attachments);

        let body_text: String = format!("{body}\n{field_texts}\n{attachments}")
            .chars()
            .take(MAX_SNIPPET_SOURCE)
            .collect();
        Entry {
            item_id: item_id.to_string(),
            year,
            title: p.title.to_string(),
            index_number: p.index_number.to_string(),
            document_number: (!document_number.is_empty()).then(|| document_number.to_string()),
            issuer: issuer.to_string(),
            body_text,
            doc,
        }
    }
}

/// Rows per statement of [`insert`] (well under both backends' limits on parameters).
const INSERT_BATCH: usize = 250;

/// `(…), (…)`: `rows` rows of `columns`, each `?` a parameter numbered from `$first`
/// on (`$1` is the tenant of a [`TenantTx::query`]).
fn values(rows: usize, columns: &[&str], first: usize) -> String {
    let mut n = first;
    let mut row = || {
        let cells: Vec<String> = columns
            .iter()
            .map(|c| {
                let cell = c.replace('?', &format!("${n}"));
                n += usize::from(c.contains('?'));
                cell
            })
            .collect();
        format!("({})", cells.join(", "))
    };
    (0..rows).map(|_| row()).collect::<Vec<_>>().join(", ")
}

/// Writes entries of items not in the index (after [`remove`], or never indexed), a
/// few hundred rows per statement: publication writes one, a reindex or a bulk load many.
pub async fn insert(tx: &mut TenantTx, entries: &[Entry]) -> Result<()> {
    let now = ids::to_text(chrono::Utc::now());
    for chunk in entries.chunks(INSERT_BATCH) {
        let sql = format!(
            "INSERT INTO search_documents (tenant_id, item_id, year, title, index_number, \
             document_number, issuer, body_text, indexed_at) VALUES {}",
            values(
                chunk.len(),
                &["$1", "?", "?", "?", "?", "?", "?", "?", "?"],
                2
            )
        );
        let mut q = tx.query(&sql);
        for e in chunk {
            q = q
                .bind(e.item_id.clone())
                .bind(e.year)
                .bind(e.title.clone())
                .bind(e.index_number.clone())
                .bind(e.document_number.clone())
                .bind(e.issuer.clone())
                .bind(e.body_text.clone())
                .bind(now.clone());
        }
        q.execute(tx.conn()).await?;
        match tx.backend() {
            Backend::Sqlite => insert_fts(tx, chunk).await?,
            Backend::Postgres => {
                let sql = format!(
                    "INSERT INTO search_terms (tenant_id, item_id, terms) VALUES {}",
                    values(chunk.len(), &["$1", "?", "CAST(? AS tsvector)"], 2)
                );
                let mut q = tx.query(&sql);
                for e in chunk {
                    q = q.bind(e.item_id.clone()).bind(e.doc.tsvector());
                }
                q.execute(tx.conn()).await?;
            }
        }
    }
    Ok(())
}

/// SQLite: the FTS5 rows (numbered after the highest in use; the transaction holds the
/// database's write lock) and the map from item to FTS5 row.
async fn insert_fts(tx: &mut TenantTx, chunk: &[Entry]) -> Result<()> {
    // FTS5 row ids are shared by all tenants: the highest is read across them.
    let (last,): (i64,) = sqlx::query_as("SELECT coalesce(max(fts_rowid), 0) FROM search_fts_rows")
        .fetch_one(tx.conn())
        .await?;
    let sql = format!(
        "INSERT INTO search_fts_rows (tenant_id, item_id, fts_rowid) VALUES {}",
        values(chunk.len(), &["$1", "?", "?"], 2)
    );
    let mut q = tx.query(&sql);
    for (k, e) in chunk.iter().enumerate() {
        q = q.bind(e.item_id.clone()).bind(last + 1 + k as i64);
    }
    q.execute(tx.conn()).await?;
    // The FTS5 table has no tenant column (the scope token is the tenant): no `$1`.
    let sql = format!(
        "INSERT INTO search_fts (rowid, scope, title, numbers, fields, body) VALUES {}",
        values(chunk.len(), &["?", "?", "?", "?", "?", "?"], 1)
    );
    let scope = scope_token(tx.tenant_id());
    let mut q = sqlx::query(&sql);
    for (k, e) in chunk.iter().enumerate() {
        q = q
            .bind(last + 1 + k as i64)
            .bind(scope.clone())
            .bind(e.doc.column(Weight::A))
            .bind(e.doc.column(Weight::B))
            .bind(e.doc.column(Weight::C))
            .bind(e.doc.column(Weight::D));
    }
    q.execute(tx.conn()).await?;
    Ok(())
}

/// Keeps the text the scan extracted from attachments (see the migration 0013).
pub async fn keep_attachment_texts(
    tx: &mut TenantTx,
    texts: &[(String, String)],
    at: &str,
) -> Result<()> {
    for (attachment_id, text) in texts {
        tx.query("DELETE FROM attachment_texts WHERE tenant_id = $1 AND attachment_id = $2")
            .bind(attachment_id.clone())
            .execute(tx.conn())
            .await?;
        tx.query(
            "INSERT INTO attachment_texts (tenant_id, attachment_id, text, extracted_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(attachment_id.clone())
        .bind(text.clone())
        .bind(at.to_string())
        .execute(tx.conn())
        .await?;
    }
    Ok(())
}

/// The tenant's published items, for a reindex.
pub async fn published_ids(tx: &mut TenantTx) -> Result<Vec<String>> {
    let rows: Vec<(String,)> = tx
        .query(
            "SELECT id FROM items WHERE tenant_id = $1 AND public_state = 'published' ORDER BY id",
        )
        .try_map(decode::<(String,)>)
        .fetch_all(tx.conn())
        .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Empties the tenant's index (before a reindex).
pub async fn clear(tx: &mut TenantTx) -> Result<()> {
    let ids: Vec<(String,)> = tx
        .query("SELECT item_id FROM search_documents WHERE tenant_id = $1")
        .try_map(decode::<(String,)>)
        .fetch_all(tx.conn())
        .await?;
    for (id,) in ids {
        remove(tx, &id).await?;
    }
    Ok(())
}
