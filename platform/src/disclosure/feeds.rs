//! Public feeds and exports of a catalog node's published items: Atom, CSV, JSON and the
//! formats of the tenant's plugins.

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::IntoParams;

use super::model::*;
use super::public::{filter, page, PublicQuery};
use super::{service, Disclosure};
use crate::http::problem::Problem;
use crate::http::ClientAddr;
use crate::kernel::error::{Error, Result};

/// Entries in a feed.
const FEED_ENTRIES: i64 = 50;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    /// From 1 (default 1); a page holds at most `public_export_page_items` (5,000 by
    /// default) items, oldest first.
    pub page: Option<i64>,
}

/// One page of a node's published items for an export, oldest first, and how many there
/// are in all.
pub(super) struct ExportPage {
    pub(super) tenant: crate::tenancy::Tenant,
    /// The page's items, or its first batch's when it is read in batches.
    pub(super) items: Vec<PublicItem>,
    /// The node and its children.
    pub(super) node_ids: Vec<String>,
    pub(super) page: i64,
    pub(super) per_page: i64,
    pub(super) total: i64,
}

impl ExportPage {
    /// The export's response with its paging headers: the total, and the next page.
    pub(super) fn respond(&self, path: &str, mut response: Response) -> Response {
        let h = response.headers_mut();
        if let Ok(v) = HeaderValue::from_str(&self.total.to_string()) {
            h.insert("x-total-count", v);
        }
        if self.page * self.per_page < self.total {
            let next = format!("<{path}?page={}>; rel=\"next\"", self.page + 1);
            if let Ok(v) = HeaderValue::from_str(&next) {
                h.insert(header::LINK, v);
            }
        }
        response
    }
}

/// The page `q` asks for, with its items, or with only its first `batch` items when the
/// page is read in batches (`batch` divides the page size; see [`page_batch`]).
pub(super) async fn export_page(
    d: &Disclosure,
    slug: &str,
    code: &str,
    q: &ExportQuery,
    batch: Option<i64>,
) -> Result<ExportPage> {
    let page = q.page.unwrap_or(1);
    if !(1..=100_000).contains(&page) {
        return Err(Error::invalid("page", "a page number from 1"));
    }
    // A larger column is exported page by page (`?page=2`, a `Link: <…>; rel="next"`
    // header while more follow), so that one request never renders more than a page.
    let per_page = i64::from(d.config.public_export_page_items);
    let tenant = d.tenants.public(&d.db, slug).await?;
    let (read, number) = match batch {
        Some(b) => (b, page_batch(per_page, b, page, 0)),
        None => (per_page, page),
    };
    let (items, total, node_ids) =
        published_page(d, &tenant, Some(code), read, number, true, true).await?;
    Ok(ExportPage {
        tenant,
        items,
        node_ids,
        page,
        per_page,
        total,
    })
}

/// Batch `k` (from 0) of export page `page` (from 1), as a page number of `batch`-item
/// pages: `batch` divides `per_page`, so page `page` starts at batch page
/// `(page − 1) · per_page / batch + 1`.
pub(super) fn page_batch(per_page: i64, batch: i64, page: i64, k: i64) -> i64 {
    (page - 1) * (per_page / batch) + k + 1
}

async fn published(
    d: &Disclosure,
    slug: &str,
    code: Option<&str>,
    limit: i64,
) -> Result<(crate::tenancy::Tenant, Vec<PublicItem>)> {
    let tenant = d.tenants.public(&d.db, slug).await?;
    let (items, _, _) = published_page(d, &tenant, code, limit, 1, false, false).await?;
    Ok((tenant, items))
}

/// A page of published items of a node (and its children): newest first for feeds,
/// oldest first for exports (so that pages stay put while new items are published); the
/// total when `counted` (0 otherwise: at 100k items the count is most of a page's cost on
/// PostgreSQL), and the ids of the node and its children.
pub(super) async fn published_page(
    d: &Disclosure,
    tenant: &crate::tenancy::Tenant,
    code: Option<&str>,
    limit: i64,
    page_number: i64,
    oldest_first: bool,
    counted: bool,
) -> Result<(Vec<PublicItem>, i64, Vec<String>)> {
    service::ensure_seeded(d, tenant).await?;
    let mut tx = d.db.tenant_read(&tenant.id).await?;
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
    f.page = page_number;
    f.oldest_first = oldest_first;
    f.counted = counted;
    let (items, total) = page(&mut tx, &f).await?;
    tx.commit().await?;
    Ok((items, total, f.node_ids))
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
pub async fn feed(
    State(d): State<Disclosure>,
    ClientAddr(addr): ClientAddr,
    Path(slug): Path<String>,
) -> Result<Response> {
    d.downloads.admit(addr)?;
    let (tenant, items) = published(&d, &slug, None, FEED_ENTRIES).await?;
    // The configured public address, never the request's `Host`.
    let base = d.config.public_base_url();
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
    State(d): State<Disclosure>,
    ClientAddr(addr): ClientAddr,
    Path((slug, code)): Path<(String, String)>,
) -> Result<Response> {
    d.downloads.admit(addr)?;
    let (tenant, items) = published(&d, &slug, Some(&code), FEED_ENTRIES).await?;
    // The configured public address, never the request's `Host`.
    let base = d.config.public_base_url();
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

pub(super) fn download_bytes(
    content_type: HeaderValue,
    name: String,
    body: impl IntoResponse,
) -> Response {
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

/// The published items of a catalog node (and its children) as CSV (UTF-8 with BOM),
/// oldest first, a page at a time (`Link: rel="next"` while more follow; `X-Total-Count`).
#[utoipa::path(get, path = "/api/v1/public/{slug}/catalog/{code}/export.csv", tag = "public",
    params(("slug" = String, Path), ("code" = String, Path), ExportQuery),
    responses((status = 200, content_type = "text/csv"), (status = 404, body = Problem),
              (status = 429, body = Problem)))]
pub async fn export_csv(
    State(d): State<Disclosure>,
    ClientAddr(addr): ClientAddr,
    Path((slug, code)): Path<(String, String)>,
    Query(q): Query<ExportQuery>,
) -> Result<Response> {
    d.downloads.admit(addr)?;
    let page = export_page(&d, &slug, &code, &q, None).await?;
    let response = download(
        "text/csv; charset=utf-8",
        format!("{slug}-{}.csv", file_safe(&code)),
        to_csv(&page.items),
    );
    Ok(page.respond(
        &format!("/api/v1/public/{slug}/catalog/{code}/export.csv"),
        response,
    ))
}

/// `text` with only ASCII letters, digits and `-`, for a file name.
pub(super) fn file_safe(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}

/// The published items of a catalog node (and its children) as JSON, paged like the CSV.
#[utoipa::path(get, path = "/api/v1/public/{slug}/catalog/{code}/export.json", tag = "public",
    params(("slug" = String, Path), ("code" = String, Path), ExportQuery),
    responses((status = 200, body = Vec<PublicItem>), (status = 404, body = Problem),
              (status = 429, body = Problem)))]
pub async fn export_json(
    State(d): State<Disclosure>,
    ClientAddr(addr): ClientAddr,
    Path((slug, code)): Path<(String, String)>,
    Query(q): Query<ExportQuery>,
) -> Result<Response> {
    d.downloads.admit(addr)?;
    let page = export_page(&d, &slug, &code, &q, None).await?;
    let body = serde_json::to_string(&page.items).map_err(Error::internal_from)?;
    let response = download(
        "application/json",
        format!("{slug}-{}.json", file_safe(&code)),
        body,
    );
    Ok(page.respond(
        &format!("/api/v1/public/{slug}/catalog/{code}/export.json"),
        response,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_and_formulas_defused() {
        assert_eq!(csv_cell("a\"b,c"), "\"a\"\"b,c\"");
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("示政规〔2026〕3号"), "\"示政规〔2026〕3号\"");
    }
}
