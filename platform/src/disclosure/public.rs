//! The public read API: the catalog tree and the published items' public rendition
//! (redacted, rendered), with filters and pagination; feeds and exports are in `feeds`.
//! No account needed; a deactivated tenant has no portal.

use axum::extract::{Path, Query, State};
use axum::http::Method;
use axum::Json;
use serde::Deserialize;
use sqlx::FromRow;
use utoipa::IntoParams;

use super::feeds::{export_csv, export_json, feed, node_feed};
use super::kinds::parse_date;
use super::model::*;
use super::plugin_exports::export_plugin;
use super::{catalog_tree, service, store, Disclosure};
use crate::http::access::Access;
use crate::http::problem::Problem;
use crate::http::Routes;
use crate::kernel::db::TenantTx;
use crate::kernel::error::{Error, FieldProblem, Result};

pub fn routes(r: Routes) -> Routes {
    r.add(
        Method::GET,
        "/api/v1/public/{slug}/catalog",
        Access::Public,
        catalog,
    )
    .add(
        Method::GET,
        "/api/v1/public/{slug}/items",
        Access::Public,
        list,
    )
    .add(
        Method::GET,
        "/api/v1/public/{slug}/items/by-index",
        Access::Public,
        by_index,
    )
    .add(
        Method::GET,
        "/api/v1/public/{slug}/items/{id}",
        Access::Public,
        get,
    )
    .add(
        Method::GET,
        "/api/v1/public/{slug}/feed.atom",
        Access::Public,
        feed,
    )
    .add(
        Method::GET,
        "/api/v1/public/{slug}/catalog/{code}/feed.atom",
        Access::Public,
        node_feed,
    )
    .add(
        Method::GET,
        "/api/v1/public/{slug}/catalog/{code}/export.csv",
        Access::Public,
        export_csv,
    )
    .add(
        Method::GET,
        "/api/v1/public/{slug}/catalog/{code}/export.json",
        Access::Public,
        export_json,
    )
    .add(
        Method::GET,
        "/api/v1/public/{slug}/catalog/{code}/export/{plugin}/{format}",
        Access::Public,
        export_plugin,
    )
}

const PUBLIC_COLUMNS: &str = "i.id, i.index_number, n.code, n.name, i.kind, i.public_title, \
    i.public_body_html, i.public_fields, i.public_document_number, i.validity, i.published_at, \
    i.first_published_at, i.repealed_on";

/// The summary form of lists: no body, no fields (a list page never shows them).
const SUMMARY_COLUMNS: &str = "i.id, i.index_number, n.code, n.name, i.kind, i.public_title, \
    '' AS public_body_html, NULL AS public_fields, i.public_document_number, i.validity, \
    i.published_at, i.first_published_at, i.repealed_on";

/// A published item's row (`PUBLIC_COLUMNS`).
#[derive(FromRow)]
struct PublicRecord {
    id: String,
    index_number: String,
    code: String,
    name: String,
    kind: String,
    public_title: Option<String>,
    public_body_html: Option<String>,
    public_fields: Option<String>,
    public_document_number: Option<String>,
    validity: String,
    published_at: Option<String>,
    first_published_at: Option<String>,
    repealed_on: Option<String>,
}

impl TryFrom<PublicRecord> for PublicItem {
    type Error = Error;

    fn try_from(r: PublicRecord) -> Result<PublicItem> {
        let validity = validity_from(&r.validity)?;
        Ok(PublicItem {
            id: r.id,
            index_number: r.index_number,
            catalog_code: r.code,
            catalog_name: r.name,
            kind: r.kind,
            title: r.public_title.unwrap_or_default(),
            body_html: r.public_body_html.unwrap_or_default(),
            fields: r
                .public_fields
                .and_then(|f| serde_json::from_str(&f).ok())
                .unwrap_or(serde_json::Value::Null),
            document_number: r.public_document_number,
            validity_zh: validity.label_zh().into(),
            validity: r.validity,
            published_at: r.published_at.unwrap_or_default(),
            first_published_at: r.first_published_at.unwrap_or_default(),
            repealed_on: r.repealed_on,
        })
    }
}

/// How long another process's publication change may go unseen on the portal.
pub const PUBLIC_ITEM_TTL: std::time::Duration = std::time::Duration::from_secs(5);

/// Published items by (tenant, id), for a few seconds: the portal's most frequent read.
/// This process forgets an item as soon as a change to it commits (publish, withdraw,
/// repeal, amend, a scheduled publication); another process's change shows within
/// [`PUBLIC_ITEM_TTL`].
#[derive(Clone)]
pub struct PublicItemCache(moka::sync::Cache<(String, String), std::sync::Arc<PublicItem>>);

impl Default for PublicItemCache {
    fn default() -> Self {
        PublicItemCache(
            moka::sync::Cache::builder()
                .max_capacity(20_000)
                .time_to_live(PUBLIC_ITEM_TTL)
                .build(),
        )
    }
}

impl PublicItemCache {
    fn get(&self, tenant_id: &str, item_id: &str) -> Option<std::sync::Arc<PublicItem>> {
        self.0.get(&(tenant_id.to_string(), item_id.to_string()))
    }

    fn keep(&self, tenant_id: &str, item: &PublicItem) {
        self.0.insert(
            (tenant_id.to_string(), item.id.clone()),
            std::sync::Arc::new(item.clone()),
        );
    }

    pub fn forget(&self, tenant_id: &str, item_id: &str) {
        self.0
            .invalidate(&(tenant_id.to_string(), item_id.to_string()));
    }
}

/// Published items only; the public columns hold the redacted rendition.
async fn one(tx: &mut TenantTx, column: &str, value: &str) -> Result<PublicItem> {
    let sql = format!(
        "SELECT {PUBLIC_COLUMNS} FROM items i JOIN catalog_nodes n ON n.tenant_id = i.tenant_id \
         AND n.id = i.node_id WHERE i.tenant_id = $1 AND i.{column} = $2 AND i.public_state = 'published'"
    );
    tx.query(&sql)
        .bind(value.to_string())
        .try_map(store::decode::<PublicRecord>)
        .fetch_optional(tx.conn())
        .await?
        .ok_or_else(|| Error::NotFound("published item".into()))?
        .try_into()
}

/// A published item (redacted rendition).
#[utoipa::path(get, path = "/api/v1/public/{slug}/items/{id}", tag = "public",
    params(("slug" = String, Path), ("id" = String, Path)),
    responses((status = 200, body = PublicItem), (status = 404, body = Problem)))]
pub async fn get(
    State(d): State<Disclosure>,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Json<PublicItem>> {
    let tenant = d.tenants.public(&d.db, &slug).await?;
    let item = published_item(&d, &tenant, &id).await?;
    Ok(Json(item.as_ref().clone()))
}

/// A published item's public rendition, through the cache (the API and the portal).
pub async fn published_item(
    d: &Disclosure,
    tenant: &crate::tenancy::Tenant,
    id: &str,
) -> Result<std::sync::Arc<PublicItem>> {
    if let Some(item) = d.public_items.get(&tenant.id, id) {
        return Ok(item);
    }
    let mut tx = d.db.tenant_read(&tenant.id).await?;
    let item = one(&mut tx, "id", id).await?;
    tx.commit().await?;
    d.public_items.keep(&tenant.id, &item);
    Ok(std::sync::Arc::new(item))
}

/// How many published items each catalog node holds (by node id, children not added).
pub async fn node_counts(tx: &mut TenantTx) -> Result<std::collections::HashMap<String, i64>> {
    let rows = tx
        .query(
            "SELECT node_id, COUNT(*) AS n FROM items WHERE tenant_id = $1 \
             AND public_state = 'published' GROUP BY node_id",
        )
        .try_map(store::decode::<(String, i64)>)
        .fetch_all(tx.conn())
        .await?;
    Ok(rows.into_iter().collect())
}

/// The published interpretations (政策解读) of a policy, newest first, in summary form.
pub async fn interpretations_of(tx: &mut TenantTx, policy_id: &str) -> Result<Vec<PublicItem>> {
    // Ids are UUIDs we made: a plain substring of the stored fields' JSON text.
    if uuid::Uuid::parse_str(policy_id).is_err() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} FROM items i JOIN catalog_nodes n ON n.tenant_id = i.tenant_id \
         AND n.id = i.node_id WHERE i.tenant_id = $1 AND i.public_state = 'published' \
         AND i.kind = 'interpretation' AND i.public_fields LIKE $2 ORDER BY i.published_at DESC"
    );
    let rows = tx
        .query(&sql)
        .bind(format!("%\"policy_item_id\":\"{policy_id}\"%"))
        .try_map(store::decode::<PublicRecord>)
        .fetch_all(tx.conn())
        .await?;
    rows.into_iter().map(PublicItem::try_from).collect()
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct IndexQuery {
    /// The index number (索引号), e.g. `ORG/2026-00001`.
    pub number: String,
}

/// A published item by its index number.
#[utoipa::path(get, path = "/api/v1/public/{slug}/items/by-index", tag = "public",
    params(("slug" = String, Path), IndexQuery),
    responses((status = 200, body = PublicItem), (status = 404, body = Problem)))]
pub async fn by_index(
    State(d): State<Disclosure>,
    Path(slug): Path<String>,
    Query(q): Query<IndexQuery>,
) -> Result<Json<PublicItem>> {
    let tenant = d.tenants.public(&d.db, &slug).await?;
    let mut tx = d.db.tenant_read(&tenant.id).await?;
    let item = one(&mut tx, "index_number", &q.number).await?;
    tx.commit().await?;
    Ok(Json(item))
}

/// The catalog tree (flat, with parent ids), without review configuration.
#[utoipa::path(get, path = "/api/v1/public/{slug}/catalog", tag = "public", params(("slug" = String, Path)),
    responses((status = 200, body = Vec<PublicNode>), (status = 404, body = Problem)))]
pub async fn catalog(
    State(d): State<Disclosure>,
    Path(slug): Path<String>,
) -> Result<Json<Vec<PublicNode>>> {
    let tenant = d.tenants.public(&d.db, &slug).await?;
    Ok(Json(catalog_nodes(&d, &tenant).await?))
}

/// The tenant's catalog (seeded with the default on first use), in position order.
pub async fn catalog_nodes(
    d: &Disclosure,
    tenant: &crate::tenancy::Tenant,
) -> Result<Vec<PublicNode>> {
    service::ensure_seeded(d, tenant).await?;
    let mut tx = d.db.tenant_read(&tenant.id).await?;
    let nodes = store::nodes(&mut tx).await?;
    tx.commit().await?;
    Ok(nodes
        .into_iter()
        .map(|n| PublicNode {
            id: n.id,
            parent_id: n.parent_id,
            code: n.code,
            name: n.name,
        })
        .collect())
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PublicQuery {
    /// A catalog code; its child nodes are included.
    pub catalog: Option<String>,
    pub kind: Option<String>,
    /// Published on or after (YYYY-MM-DD, China time).
    pub from: Option<String>,
    /// Published on or before (YYYY-MM-DD).
    pub to: Option<String>,
    /// in_force, amended or repealed.
    pub validity: Option<String>,
    /// From 1.
    pub page: Option<i64>,
    /// 1–100, default 20.
    pub per_page: Option<i64>,
    /// Words of the title or the index number (at most 100 characters).
    pub q: Option<String>,
    /// `newest` (default) or `oldest` first.
    pub order: Option<String>,
    /// `true`: each item without body and fields (lists of titles).
    pub summary: Option<bool>,
}

/// Filters checked, with every problem listed.
pub struct PublicFilter {
    pub node_ids: Vec<String>,
    pub kind: String,
    pub from: String,
    pub to: String,
    pub validity: String,
    pub page: i64,
    pub per_page: i64,
    /// A LIKE pattern over the title and the index number, or empty.
    pub words: String,
    pub oldest_first: bool,
    pub summary: bool,
    /// Whether [`page`] counts the matches (a `COUNT(*)` over them all); callers that
    /// ignore the total (feeds, the later batches of a streamed export) turn it off.
    pub counted: bool,
}

/// `text` as a LIKE pattern that matches it anywhere, its wildcards escaped with `\`.
fn contains_pattern(text: &str) -> String {
    let escaped: String = text
        .trim()
        .to_lowercase()
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    format!("%{escaped}%")
}

/// Turns a query into a filter (dates as UTC bounds of China days).
pub async fn filter(tx: &mut TenantTx, q: &PublicQuery) -> Result<PublicFilter> {
    let mut problems = Vec::new();
    let bound = |name: &str, text: &Option<String>, end: bool, problems: &mut Vec<FieldProblem>| {
        text.as_ref()
            .map_or(String::new(), |t| match parse_date(t) {
                Some(d) => {
                    // China midnight is 16:00 UTC the day before.
                    let day = if end { d } else { d.pred_opt().unwrap_or(d) };
                    format!("{day}T16:00:00.000000Z")
                }
                None => {
                    problems.push(FieldProblem::new(name, "a date YYYY-MM-DD"));
                    String::new()
                }
            })
    };
    let from = bound("from", &q.from, false, &mut problems);
    let to = bound("to", &q.to, true, &mut problems);
    if let Some(v) = &q.validity {
        if validity_from(v).is_err() {
            problems.push(FieldProblem::new(
                "validity",
                "in_force, amended or repealed",
            ));
        }
    }
    let page = q.page.unwrap_or(1);
    if page < 1 {
        problems.push(FieldProblem::new("page", "from 1"));
    }
    let per_page = q.per_page.unwrap_or(20);
    if !(1..=100).contains(&per_page) {
        problems.push(FieldProblem::new("per_page", "1–100"));
    }
    let words = q.q.as_deref().map(str::trim).unwrap_or("");
    if words.chars().count() > 100 {
        problems.push(FieldProblem::new("q", "at most 100 characters"));
    }
    let oldest_first = match q.order.as_deref() {
        None | Some("newest") => false,
        Some("oldest") => true,
        Some(_) => {
            problems.push(FieldProblem::new("order", "newest or oldest"));
            false
        }
    };
    let mut node_ids = Vec::new();
    if let Some(code) = &q.catalog {
        let nodes = store::nodes(tx).await?;
        match nodes.iter().find(|n| &n.code == code) {
            None => problems.push(FieldProblem::new("catalog", "no such catalog node")),
            Some(root) => {
                let tree: Vec<(&str, Option<&str>)> = nodes
                    .iter()
                    .map(|n| (n.id.as_str(), n.parent_id.as_deref()))
                    .collect();
                node_ids = catalog_tree::subtree(&tree, &root.id)
                    .into_iter()
                    .map(str::to_string)
                    .collect();
            }
        }
    }
    crate::kernel::error::check(problems)?;
    Ok(PublicFilter {
        node_ids,
        kind: q.kind.clone().unwrap_or_default(),
        from,
        to,
        validity: q.validity.clone().unwrap_or_default(),
        page,
        per_page,
        words: if words.is_empty() {
            String::new()
        } else {
            contains_pattern(words)
        },
        oldest_first,
        summary: q.summary.unwrap_or(false),
        counted: true,
    })
}

/// One page of published items matching the filter, newest first, and the total (0 when
/// the filter is not `counted`).
pub async fn page(tx: &mut TenantTx, f: &PublicFilter) -> Result<(Vec<PublicItem>, i64)> {
    // Node ids are ids we generated (UUIDs), quoted into an IN list.
    let nodes = if f.node_ids.is_empty() {
        String::new()
    } else {
        let quoted: Vec<String> = f
            .node_ids
            .iter()
            .filter(|id| uuid::Uuid::parse_str(id).is_ok())
            .map(|id| format!("'{id}'"))
            .collect();
        format!(" AND i.node_id IN ({})", quoted.join(", "))
    };
    let conditions = format!(
        "i.tenant_id = $1 AND i.public_state = 'published'{nodes} AND ($2 = '' OR i.kind = $2) \
         AND ($3 = '' OR i.published_at >= $3) AND ($4 = '' OR i.published_at < $4) \
         AND ($5 = '' OR i.validity = $5) \
         AND ($6 = '' OR LOWER(i.public_title) LIKE $6 ESCAPE '\\' OR LOWER(i.index_number) LIKE $6 ESCAPE '\\')"
    );
    let total = if f.counted {
        let (n,): (i64,) = tx
            .query(&format!(
                "SELECT COUNT(*) AS n FROM items i WHERE {conditions}"
            ))
            .bind(f.kind.clone())
            .bind(f.from.clone())
            .bind(f.to.clone())
            .bind(f.validity.clone())
            .bind(f.words.clone())
            .try_map(store::decode::<(i64,)>)
            .fetch_one(tx.conn())
            .await?;
        n
    } else {
        0
    };
    let columns = if f.summary {
        SUMMARY_COLUMNS
    } else {
        PUBLIC_COLUMNS
    };
    let order = if f.oldest_first { "ASC" } else { "DESC" };
    let sql = format!(
        "SELECT {columns} FROM items i JOIN catalog_nodes n ON n.tenant_id = i.tenant_id \
         AND n.id = i.node_id WHERE {conditions} ORDER BY i.published_at {order}, i.id {order} \
         LIMIT $7 OFFSET $8"
    );
    let rows = tx
        .query(&sql)
        .bind(f.kind.clone())
        .bind(f.from.clone())
        .bind(f.to.clone())
        .bind(f.validity.clone())
        .bind(f.words.clone())
        .bind(f.per_page)
        .bind((f.page - 1) * f.per_page)
        .try_map(store::decode::<PublicRecord>)
        .fetch_all(tx.conn())
        .await?;
    let items = rows
        .into_iter()
        .map(PublicItem::try_from)
        .collect::<Result<Vec<_>>>()?;
    Ok((items, total))
}

/// The published items of `plugin`'s kinds, under `node_ids` (any node when empty),
/// whose public field `field` holds one of `values`, oldest first: the whole of each
/// procurement, so that an export keeps its notices together.
pub async fn published_sharing(
    tx: &mut TenantTx,
    plugin: &str,
    field: &str,
    values: &[String],
    node_ids: &[String],
) -> Result<Vec<PublicItem>> {
    // Field ids are lower snake case (the manifest is checked), safe in a JSON path; node
    // ids are UUIDs we generated.
    let path = match tx.backend() {
        crate::kernel::db::Backend::Postgres => format!("(i.public_fields::jsonb ->> '{field}')"),
        crate::kernel::db::Backend::Sqlite => format!("json_extract(i.public_fields, '$.{field}')"),
    };
    let nodes: Vec<String> = node_ids
        .iter()
        .filter(|id| uuid::Uuid::parse_str(id).is_ok())
        .map(|id| format!("'{id}'"))
        .collect();
    let in_nodes = if nodes.is_empty() {
        String::new()
    } else {
        format!(" AND i.node_id IN ({})", nodes.join(", "))
    };
    let mut items = Vec::new();
    // A few hundred values per statement keeps within every backend's parameter limit.
    for chunk in values.chunks(300) {
        let marks: Vec<String> = (0..chunk.len()).map(|n| format!("${}", n + 3)).collect();
        let sql = format!(
            "SELECT {PUBLIC_COLUMNS} FROM items i JOIN catalog_nodes n ON n.tenant_id = i.tenant_id \
             AND n.id = i.node_id WHERE i.tenant_id = $1 AND i.public_state = 'published' \
             AND substr(i.kind, 1, length($2)) = $2{in_nodes} AND {path} IN ({}) \
             ORDER BY i.published_at, i.id LIMIT 100000",
            marks.join(", ")
        );
        let mut query = tx.query(&sql).bind(format!("{plugin}/"));
        for value in chunk {
            query = query.bind(value.clone());
        }
        let rows = query
            .try_map(store::decode::<PublicRecord>)
            .fetch_all(tx.conn())
            .await?;
        for row in rows {
            items.push(PublicItem::try_from(row)?);
        }
    }
    items.sort_by(|a, b| (&a.published_at, &a.id).cmp(&(&b.published_at, &b.id)));
    Ok(items)
}

/// Published items, newest first, filtered and paginated.
#[utoipa::path(get, path = "/api/v1/public/{slug}/items", tag = "public",
    params(("slug" = String, Path), PublicQuery),
    responses((status = 200, body = PublicPage), (status = 422, body = Problem), (status = 404, body = Problem)))]
pub async fn list(
    State(d): State<Disclosure>,
    Path(slug): Path<String>,
    Query(q): Query<PublicQuery>,
) -> Result<Json<PublicPage>> {
    let tenant = d.tenants.public(&d.db, &slug).await?;
    let mut tx = d.db.tenant_read(&tenant.id).await?;
    let f = filter(&mut tx, &q).await?;
    let (items, total) = page(&mut tx, &f).await?;
    tx.commit().await?;
    Ok(Json(PublicPage {
        items,
        total,
        page: f.page,
        per_page: f.per_page,
    }))
}
