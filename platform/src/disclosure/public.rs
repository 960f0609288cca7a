//! The public read API: the catalog tree and the published items' public rendition
//! (redacted, rendered), with filters and pagination; feeds and exports are in `feeds`.
//! No account needed; a deactivated tenant has no portal.

use axum::extract::{Path, Query, State};
use axum::http::Method;
use axum::Json;
use serde::Deserialize;
use sqlx::FromRow;
use utoipa::IntoParams;

use super::feeds::{export_csv, export_json, export_plugin, feed, node_feed};
use super::kinds::parse_date;
use super::model::*;
use super::{service, store, Disclosure};
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
    i.first_published_at";

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
    if let Some(item) = d.public_items.get(&tenant.id, &id) {
        return Ok(Json(item.as_ref().clone()));
    }
    let mut tx = d.db.tenant_read(&tenant.id).await?;
    let item = one(&mut tx, "id", &id).await?;
    tx.commit().await?;
    d.public_items.keep(&tenant.id, &item);
    Ok(Json(item))
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
    service::ensure_seeded(&d, &tenant).await?;
    let mut tx = d.db.tenant_read(&tenant.id).await?;
    let nodes = store::nodes(&mut tx).await?;
    tx.commit().await?;
    Ok(Json(
        nodes
            .into_iter()
            .map(|n| PublicNode {
                id: n.id,
                parent_id: n.parent_id,
                code: n.code,
                name: n.name,
            })
            .collect(),
    ))
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
    let mut node_ids = Vec::new();
    if let Some(code) = &q.catalog {
        let nodes = store::nodes(tx).await?;
        match nodes.iter().find(|n| &n.code == code) {
            None => problems.push(FieldProblem::new("catalog", "no such catalog node")),
            Some(root) => {
                node_ids.push(root.id.clone());
                let mut i = 0;
                while i < node_ids.len() {
                    let parent = node_ids[i].clone();
                    node_ids.extend(
                        nodes
                            .iter()
                            .filter(|n| n.parent_id.as_deref() == Some(&parent))
                            .map(|n| n.id.clone()),
                    );
                    i += 1;
                }
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
    })
}

/// One page of published items matching the filter, newest first, and the total.
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
         AND ($5 = '' OR i.validity = $5)"
    );
    let (total,): (i64,) = tx
        .query(&format!(
            "SELECT COUNT(*) AS n FROM items i WHERE {conditions}"
        ))
        .bind(f.kind.clone())
        .bind(f.from.clone())
        .bind(f.to.clone())
        .bind(f.validity.clone())
        .try_map(store::decode::<(i64,)>)
        .fetch_one(tx.conn())
        .await?;
    let sql = format!(
        "SELECT {PUBLIC_COLUMNS} FROM items i JOIN catalog_nodes n ON n.tenant_id = i.tenant_id \
         AND n.id = i.node_id WHERE {conditions} ORDER BY i.published_at DESC, i.id DESC LIMIT $6 OFFSET $7"
    );
    let rows = tx
        .query(&sql)
        .bind(f.kind.clone())
        .bind(f.from.clone())
        .bind(f.to.clone())
        .bind(f.validity.clone())
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
