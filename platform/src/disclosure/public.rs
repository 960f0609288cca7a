//! The public read API: the catalog tree and the published items' public rendition
//! (redacted, rendered), with filters and pagination. No account needed; a deactivated
//! tenant has no portal.

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, Method};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use sqlx::any::AnyRow;
use sqlx::Row;
use utoipa::IntoParams;

use super::model::*;
use super::{service, store};
use crate::app::AppState;
use crate::http::access::Access;
use crate::http::problem::Problem;
use crate::http::Routes;
use crate::kernel::db::TenantTx;
use crate::kernel::error::{Error, FieldProblem, Result};
use crate::plugins::model::ExportItemInput;
use gongkai_rules::disclosure::kinds::parse_date;

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

fn public_row(r: &AnyRow) -> Result<PublicItem> {
    let validity: String = r.try_get("validity")?;
    let fields: Option<String> = r.try_get("public_fields")?;
    let v = validity_from(&validity)?;
    Ok(PublicItem {
        id: r.try_get("id")?,
        index_number: r.try_get("index_number")?,
        catalog_code: r.try_get("code")?,
        catalog_name: r.try_get("name")?,
        kind: r.try_get("kind")?,
        title: r
            .try_get::<Option<String>, _>("public_title")?
            .unwrap_or_default(),
        body_html: r
            .try_get::<Option<String>, _>("public_body_html")?
            .unwrap_or_default(),
        fields: fields
            .and_then(|f| serde_json::from_str(&f).ok())
            .unwrap_or(serde_json::Value::Null),
        document_number: r.try_get("public_document_number")?,
        validity: validity.clone(),
        validity_zh: v.label_zh().into(),
        published_at: r
            .try_get::<Option<String>, _>("published_at")?
            .unwrap_or_default(),
        first_published_at: r
            .try_get::<Option<String>, _>("first_published_at")?
            .unwrap_or_default(),
    })
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
    let row = tx
        .query(&sql)
        .bind(value.to_string())
        .fetch_optional(tx.conn())
        .await?
        .ok_or_else(|| Error::NotFound("published item".into()))?;
    public_row(&row)
}

/// A published item (redacted rendition).
#[utoipa::path(get, path = "/api/v1/public/{slug}/items/{id}", tag = "public",
    params(("slug" = String, Path), ("id" = String, Path)),
    responses((status = 200, body = PublicItem), (status = 404, body = Problem)))]
pub async fn get(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Json<PublicItem>> {
    let tenant = state.tenants.public(&state.db, &slug).await?;
    if let Some(item) = state.public_items.get(&tenant.id, &id) {
        return Ok(Json(item.as_ref().clone()));
    }
    let mut tx = state.db.tenant_read(&tenant.id).await?;
    let item = one(&mut tx, "id", &id).await?;
    tx.commit().await?;
    state.public_items.keep(&tenant.id, &item);
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
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(q): Query<IndexQuery>,
) -> Result<Json<PublicItem>> {
    let tenant = state.tenants.public(&state.db, &slug).await?;
    let mut tx = state.db.tenant_read(&tenant.id).await?;
    let item = one(&mut tx, "index_number", &q.number).await?;
    tx.commit().await?;
    Ok(Json(item))
}

/// The catalog tree (flat, with parent ids), without review configuration.
#[utoipa::path(get, path = "/api/v1/public/{slug}/catalog", tag = "public", params(("slug" = String, Path)),
    responses((status = 200, body = Vec<PublicNode>), (status = 404, body = Problem)))]
pub async fn catalog(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Json<Vec<PublicNode>>> {
    let tenant = state.tenants.public(&state.db, &slug).await?;
    service::ensure_seeded(&state.db, &tenant).await?;
    let mut tx = state.db.tenant_read(&tenant.id).await?;
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
    let total: i64 = tx
        .query(&format!(
            "SELECT COUNT(*) AS n FROM items i WHERE {conditions}"
        ))
        .bind(f.kind.clone())
        .bind(f.from.clone())
        .bind(f.to.clone())
        .bind(f.validity.clone())
        .fetch_one(tx.conn())
        .await?
        .try_get("n")?;
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
        .fetch_all(tx.conn())
        .await?;
    let items = rows.iter().map(public_row).collect::<Result<Vec<_>>>()?;
    Ok((items, total))
}

/// Published items, newest first, filtered and paginated.
#[utoipa::path(get, path = "/api/v1/public/{slug}/items", tag = "public",
    params(("slug" = String, Path), PublicQuery),
    responses((status = 200, body = PublicPage), (status = 422, body = Problem), (status = 404, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(q): Query<PublicQuery>,
) -> Result<Json<PublicPage>> {
    let tenant = state.tenants.public(&state.db, &slug).await?;
    let mut tx = state.db.tenant_read(&tenant.id).await?;
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

// ---------------------------------------------------------------------------------------
// Feeds and exports.

/// Entries in a feed; exports hold every published item of the node.
const FEED_ENTRIES: i64 = 50;
const EXPORT_MAX: i64 = 100_000;

async fn published(
    state: &AppState,
    slug: &str,
    code: Option<&str>,
    limit: i64,
) -> Result<(crate::tenancy::Tenant, Vec<PublicItem>)> {
    let tenant = state.tenants.public(&state.db, slug).await?;
    service::ensure_seeded(&state.db, &tenant).await?;
    let mut tx = state.db.tenant_read(&tenant.id).await?;
    let q = PublicQuery {
        catalog: code.map(str::to_string),
        ..PublicQuery::default()
    };
    let mut f = filter(&mut tx, &q).await.map_err(|e| match e {
        Error::Invalid(_) => {
            Error::NotFound(format!("catalog node `{}`", code.unwrap_or_default()))
        }
        other => other,
    })?;
    f.per_page = limit;
    let (items, _) = page(&mut tx, &f).await?;
    tx.commit().await?;
    Ok((tenant, items))
}

fn fixed(text: &str) -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339(text)
        .unwrap_or_else(|_| chrono::DateTime::UNIX_EPOCH.fixed_offset())
}

fn atom(
    title: String,
    self_url: String,
    base: &str,
    slug: &str,
    items: Vec<PublicItem>,
) -> Response {
    use atom_syndication::{Content, Entry, Feed, Link, Text};
    let updated = items
        .first()
        .map(|i| fixed(&i.published_at))
        .unwrap_or_else(|| fixed(""));
    let entries = items
        .into_iter()
        .map(|i| {
            let url = format!("{base}/api/v1/public/{slug}/items/{}", i.id);
            Entry {
                title: Text::plain(i.title),
                id: format!("urn:uuid:{}", i.id),
                updated: fixed(&i.published_at),
                published: Some(fixed(&i.first_published_at)),
                links: vec![Link {
                    href: url,
                    rel: "alternate".into(),
                    ..Default::default()
                }],
                summary: Some(Text::plain(format!(
                    "{} {} {}",
                    i.index_number, i.catalog_name, i.validity_zh
                ))),
                content: Some(Content {
                    value: Some(i.body_html),
                    content_type: Some("html".into()),
                    ..Default::default()
                }),
                ..Default::default()
            }
        })
        .collect();
    let feed = Feed {
        title: Text::plain(title),
        id: self_url.clone(),
        updated,
        links: vec![Link {
            href: self_url,
            rel: "self".into(),
            ..Default::default()
        }],
        entries,
        ..Default::default()
    };
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/atom+xml; charset=utf-8"),
        )],
        feed.to_string(),
    )
        .into_response()
}

/// The newest published items of the tenant as an Atom feed.
#[utoipa::path(get, path = "/api/v1/public/{slug}/feed.atom", tag = "public", params(("slug" = String, Path)),
    responses((status = 200, content_type = "application/atom+xml"), (status = 404, body = Problem)))]
pub async fn feed(State(state): State<AppState>, Path(slug): Path<String>) -> Result<Response> {
    let (tenant, items) = published(&state, &slug, None, FEED_ENTRIES).await?;
    // The configured public address, never the request's `Host`.
    let base = state.config.public_base_url();
    let url = format!("{base}/api/v1/public/{slug}/feed.atom");
    Ok(atom(
        format!("{} 政府信息公开", tenant.name_zh),
        url,
        &base,
        &slug,
        items,
    ))
}

/// The newest published items of one catalog node (and its children) as an Atom feed.
#[utoipa::path(get, path = "/api/v1/public/{slug}/catalog/{code}/feed.atom", tag = "public",
    params(("slug" = String, Path), ("code" = String, Path)),
    responses((status = 200, content_type = "application/atom+xml"), (status = 404, body = Problem)))]
pub async fn node_feed(
    State(state): State<AppState>,
    Path((slug, code)): Path<(String, String)>,
) -> Result<Response> {
    let (tenant, items) = published(&state, &slug, Some(&code), FEED_ENTRIES).await?;
    // The configured public address, never the request's `Host`.
    let base = state.config.public_base_url();
    let url = format!("{base}/api/v1/public/{slug}/catalog/{code}/feed.atom");
    Ok(atom(
        format!("{} 政府信息公开 · {code}", tenant.name_zh),
        url,
        &base,
        &slug,
        items,
    ))
}

/// One CSV cell: quoted, and a leading = + - @ defused so that spreadsheets do not run it.
fn csv_cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    format!("\"{}\"", text.replace('"', "\"\""))
}

pub fn to_csv(items: &[PublicItem]) -> String {
    let mut out = String::from("\u{feff}索引号,标题,目录,类别,文号,效力,发布时间,编号\r\n");
    for i in items {
        let row = [
            i.index_number.as_str(),
            i.title.as_str(),
            i.catalog_name.as_str(),
            i.kind.as_str(),
            i.document_number.as_deref().unwrap_or(""),
            i.validity_zh.as_str(),
            i.published_at.as_str(),
            i.id.as_str(),
        ];
        out.push_str(
            &row.iter()
                .map(|c| csv_cell(c))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push_str("\r\n");
    }
    out
}

fn download(content_type: &'static str, name: String, body: String) -> Response {
    download_bytes(
        HeaderValue::from_static(content_type),
        name,
        body.into_bytes(),
    )
}

fn download_bytes(content_type: HeaderValue, name: String, body: Vec<u8>) -> Response {
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
        .unwrap_or(HeaderValue::from_static("attachment"));
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_DISPOSITION, disposition),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
        ],
        body,
    )
        .into_response()
}

/// Every published item of a catalog node (and its children) as CSV (UTF-8 with BOM).
#[utoipa::path(get, path = "/api/v1/public/{slug}/catalog/{code}/export.csv", tag = "public",
    params(("slug" = String, Path), ("code" = String, Path)),
    responses((status = 200, content_type = "text/csv"), (status = 404, body = Problem)))]
pub async fn export_csv(
    State(state): State<AppState>,
    Path((slug, code)): Path<(String, String)>,
) -> Result<Response> {
    let (_, items) = published(&state, &slug, Some(&code), EXPORT_MAX).await?;
    let safe: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    Ok(download(
        "text/csv; charset=utf-8",
        format!("{slug}-{safe}.csv"),
        to_csv(&items),
    ))
}

/// Every published item of a catalog node (and its children) as JSON.
#[utoipa::path(get, path = "/api/v1/public/{slug}/catalog/{code}/export.json", tag = "public",
    params(("slug" = String, Path), ("code" = String, Path)),
    responses((status = 200, body = Vec<PublicItem>), (status = 404, body = Problem)))]
pub async fn export_json(
    State(state): State<AppState>,
    Path((slug, code)): Path<(String, String)>,
) -> Result<Response> {
    let (_, items) = published(&state, &slug, Some(&code), EXPORT_MAX).await?;
    let safe: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    let body = serde_json::to_string(&items).map_err(Error::internal_from)?;
    Ok(download(
        "application/json",
        format!("{slug}-{safe}.json"),
        body,
    ))
}

/// A plugin's export format, served only as a type a browser will not run.
fn served_type(media_type: &str) -> HeaderValue {
    let lower = media_type.to_ascii_lowercase();
    let runnable = ["html", "javascript", "ecmascript", "xml", "svg"]
        .iter()
        .any(|t| lower.contains(t));
    match HeaderValue::from_str(media_type) {
        Ok(value) if !runnable => value,
        _ => HeaderValue::from_static("application/octet-stream"),
    }
}

/// The published items of a catalog node (and its children) of one plugin's kinds, in
/// one of the plugin's export formats (for the environment plugin: `csv` of air-quality
/// readings, `json-feed`), made by the tenant's pinned version.
#[utoipa::path(get, path = "/api/v1/public/{slug}/catalog/{code}/export/{plugin}/{format}", tag = "public",
    params(("slug" = String, Path), ("code" = String, Path), ("plugin" = String, Path), ("format" = String, Path)),
    responses((status = 200, description = "the plugin's format"), (status = 404, body = Problem),
              (status = 422, body = Problem), (status = 502, body = Problem)))]
pub async fn export_plugin(
    State(state): State<AppState>,
    Path((slug, code, plugin_id, format)): Path<(String, String, String, String)>,
) -> Result<Response> {
    let (tenant, items) = published(&state, &slug, Some(&code), EXPORT_MAX).await?;
    let package = crate::plugins::service::enabled_package(&state.plugins, &tenant, &plugin_id)
        .await
        .map_err(|e| match e {
            Error::NotFound(_) | Error::Conflict { .. } => {
                Error::NotFound(format!("plugin `{plugin_id}` on this portal"))
            }
            other => other,
        })?;
    let known = package
        .manifest
        .export_formats
        .iter()
        .find(|f| f.id == format);
    let Some(known) = known else {
        return Err(Error::NotFound(format!(
            "format `{format}` of plugin `{plugin_id}`"
        )));
    };
    let prefix = format!("{plugin_id}/");
    let items: Vec<ExportItemInput> = items
        .into_iter()
        .filter_map(|i| {
            let kind = i.kind.strip_prefix(&prefix)?.to_string();
            if !known.kinds.is_empty() && !known.kinds.contains(&kind) {
                return None;
            }
            Some(ExportItemInput {
                id: i.id,
                kind,
                fields: i.fields.as_object().cloned().unwrap_or_default(),
                published_at: Some(i.published_at),
            })
        })
        .collect();
    let out =
        crate::plugins::service::export(&state.plugins, &tenant, package, &format, items).await?;
    let safe = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect()
    };
    Ok(download_bytes(
        served_type(&out.media_type),
        format!(
            "{slug}-{}-{}.{}",
            safe(&code),
            safe(&format),
            safe(&out.extension)
        ),
        out.bytes,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plugin_exports_are_never_served_as_something_a_browser_runs() {
        assert_eq!(
            served_type("text/csv; charset=utf-8"),
            "text/csv; charset=utf-8"
        );
        assert_eq!(
            served_type("application/feed+json"),
            "application/feed+json"
        );
        for runnable in [
            "text/html",
            "application/javascript",
            "image/svg+xml",
            "text/xml",
            "bad\nvalue",
        ] {
            assert_eq!(
                served_type(runnable),
                "application/octet-stream",
                "{runnable}"
            );
        }
    }

    #[test]
    fn csv_cells_are_quoted_and_formulas_defused() {
        assert_eq!(csv_cell("a\"b,c"), "\"a\"\"b,c\"");
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("示政规〔2026〕3号"), "\"示政规〔2026〕3号\"");
    }
}
