//! 法定主动公开内容: the catalog with counts, a node's items (filters, sorting,
//! pagination, feed and exports), an item's page, and the title search.

use std::collections::HashMap;

use axum::extract::{FromRef, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::{html, Markup, PreEscaped};
use serde_json::Value;

use super::view::{self, breadcrumbs, day, item_table, kind_label, pagination, validity_badge};
use super::Site;
use crate::app::AppState;
use crate::disclosure::kinds;
use crate::disclosure::model::{PublicItem, PublicNode};
use crate::disclosure::public::{self, PublicQuery};
use crate::disclosure::Disclosure;
use crate::kernel::error::Error;
use crate::kernel::ids::parse_time;
use crate::plugins::Package;
use crate::search::page;
use crate::search::service::{FacetValue, SearchHit};
use crate::tenancy::Tenant;
use crate::web::error::PageResult;
use crate::web::{layout, Lang, PageReq, PageResponse};

const PER_PAGE: i64 = 20;

/// `GET /{slug}/catalog`: the tree with counts, and every item, newest first.
pub async fn catalog(
    State(state): State<AppState>,
    req: PageReq,
    Path(slug): Path<String>,
) -> Response {
    let site = match Site::open(&state, &req, &slug).await {
        Ok(site) => site,
        Err(response) => return response,
    };
    let result = list_page(&state, &req, &site, None).await;
    site.finish(&req, result)
}

/// `GET /{slug}/catalog/{code}`: one node's items (its children's included).
pub async fn node(
    State(state): State<AppState>,
    req: PageReq,
    Path((slug, code)): Path<(String, String)>,
) -> Response {
    let site = match Site::open(&state, &req, &slug).await {
        Ok(site) => site,
        Err(response) => return response,
    };
    let result = list_page(&state, &req, &site, Some(&code)).await;
    site.finish(&req, result)
}

/// `GET /{slug}/search?q=`: titles and index numbers containing the words.
pub async fn search(
    State(state): State<AppState>,
    req: PageReq,
    Path(slug): Path<String>,
) -> Response {
    let site = match Site::open(&state, &req, &slug).await {
        Ok(site) => site,
        Err(response) => return response,
    };
    let result = search_page(&state, &req, &site).await;
    site.finish(&req, result)
}

/// The query of a list page, from the page's own parameters.
fn list_query(req: &PageReq, code: Option<&str>) -> Result<PublicQuery, Error> {
    let page = match req.param("page") {
        None => 1,
        Some(p) => p
            .parse::<i64>()
            .ok()
            .filter(|p| *p >= 1 && *p <= 100_000)
            .ok_or_else(|| Error::NotFound(format!("page {p}")))?,
    };
    let (from, to) = match req.param("year") {
        None => (None, None),
        Some(y) => match y.parse::<i32>() {
            Ok(y) if (1949..=9999).contains(&y) => {
                (Some(format!("{y}-01-01")), Some(format!("{y}-12-31")))
            }
            _ => return Err(Error::invalid("year", "a year such as 2026")),
        },
    };
    Ok(PublicQuery {
        catalog: code.map(str::to_string),
        kind: req.param("kind").map(str::to_string),
        from,
        to,
        validity: req.param("validity").map(str::to_string),
        page: Some(page),
        per_page: Some(PER_PAGE),
        q: req.param("q").map(str::to_string),
        order: req.param("order").map(str::to_string),
        summary: Some(true),
    })
}

/// Nodes in tree order with their depth.
fn tree(nodes: &[PublicNode]) -> Vec<(usize, &PublicNode)> {
    fn walk<'a>(
        nodes: &'a [PublicNode],
        parent: Option<&str>,
        depth: usize,
        out: &mut Vec<(usize, &'a PublicNode)>,
    ) {
        for n in nodes.iter().filter(|n| n.parent_id.as_deref() == parent) {
            out.push((depth, n));
            if depth < 8 {
                walk(nodes, Some(&n.id), depth + 1, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(nodes, None, 0, &mut out);
    out
}

/// A node's count with its descendants'.
fn total(nodes: &[PublicNode], counts: &HashMap<String, i64>, id: &str) -> i64 {
    counts.get(id).copied().unwrap_or(0)
        + nodes
            .iter()
            .filter(|n| n.parent_id.as_deref() == Some(id))
            .map(|n| total(nodes, counts, &n.id))
            .sum::<i64>()
}

fn catalog_nav(
    lang: Lang,
    site: &Site,
    nodes: &[PublicNode],
    counts: &HashMap<String, i64>,
    current: Option<&str>,
) -> Markup {
    html! {
        nav class="catalog-tree" aria-label=(lang.t("catalog-tree")) {
            h2 { (lang.t("catalog-tree")) }
            ul {
                @for (depth, n) in tree(nodes) {
                    li class={ "depth-" (depth) } {
                        @let href = site.href(&format!("catalog/{}", n.code));
                        @let count = total(nodes, counts, &n.id);
                        @if current == Some(n.code.as_str()) {
                            a href=(href) aria-current="page" lang="zh-CN" { (n.name) }
                        } @else {
                            a href=(href) lang="zh-CN" { (n.name) }
                        }
                        " " span class="count" { "(" (count) ")" }
                    }
                }
            }
        }
    }
}

fn filters(req: &PageReq, action: &str) -> Markup {
    let lang = req.lang;
    let selected = |name: &str, value: &str| req.param(name) == Some(value);
    let this_year = chrono::Datelike::year(&chrono::Utc::now());
    html! {
        form class="filters" method="get" action=(action) {
            div class="field" {
                label for="f-q" { (lang.t("filter-words")) }
                input id="f-q" name="q" type="text" maxlength="100" value=[req.param("q")];
            }
            div class="field" {
                label for="f-kind" { (lang.t("filter-kind")) }
                select id="f-kind" name="kind" {
                    option value="" { (lang.t("filter-any")) }
                    @for k in kinds::KINDS {
                        option value=(k.code) selected[selected("kind", k.code)] { (kind_label(lang, k.code)) }
                    }
                }
            }
            div class="field" {
                label for="f-year" { (lang.t("filter-year")) }
                select id="f-year" name="year" {
                    option value="" { (lang.t("filter-any")) }
                    @for y in (2008..=this_year).rev() {
                        @let y = y.to_string();
                        option value=(y) selected[selected("year", &y)] { (y) }
                    }
                }
            }
            div class="field" {
                label for="f-validity" { (lang.t("filter-validity")) }
                select id="f-validity" name="validity" {
                    option value="" { (lang.t("filter-any")) }
                    @for v in ["in_force", "amended", "repealed"] {
                        option value=(v) selected[selected("validity", v)] { (view::validity_label(lang, v)) }
                    }
                }
            }
            div class="field" {
                label for="f-order" { (lang.t("filter-order")) }
                select id="f-order" name="order" {
                    option value="newest" selected[!selected("order", "oldest")] { (lang.t("order-newest")) }
                    option value="oldest" selected[selected("order", "oldest")] { (lang.t("order-oldest")) }
                }
            }
            div class="field submit" {
                button type="submit" { (lang.t("filter-apply")) }
            }
        }
    }
}

async fn list_page(state: &AppState, req: &PageReq, site: &Site, code: Option<&str>) -> PageResult {
    let lang = req.lang;
    let catalog = site.catalog(state).await?;
    let (nodes, counts) = (&catalog.nodes, &catalog.counts);
    let node = match code {
        Some(code) => Some(
            nodes
                .iter()
                .find(|n| n.code == code)
                .ok_or_else(|| Error::NotFound(format!("catalog node `{code}`")))?,
        ),
        None => None,
    };
    let q = list_query(req, code)?;
    let mut tx = state.db.tenant_read(&site.tenant.id).await?;
    let f = public::filter(&mut tx, &q).await?;
    let (items, total) = public::page(&mut tx, &f).await?;
    tx.commit().await?;
    if f.page > 1 && items.is_empty() {
        return Err(Error::NotFound(format!("page {}", f.page)).into());
    }
    let title = node.map_or_else(|| lang.t("nav-catalog"), |n| n.name.clone());
    let action = match code {
        Some(code) => site.href(&format!("catalog/{code}")),
        None => site.href("catalog"),
    };
    let kiosk = site.kiosk(req);
    // A column may show its plugins' charts and its departments' tables: one read of the
    // tenant's plugins serves both.
    let (charts, departments) = match (code, node) {
        (Some(code), Some(node)) => {
            let packages =
                crate::plugins::service::enabled_packages(&state.plugins, &site.tenant).await?;
            (
                charts(site, code, &packages, &items, lang),
                departments(state, site, &packages, nodes, node).await?,
            )
        }
        _ => (Vec::new(), Vec::new()),
    };
    let trail = match node {
        Some(_) => vec![(site.href("catalog"), lang.t("nav-catalog"))],
        None => Vec::new(),
    };
    let main = html! {
        (breadcrumbs(lang, site, &trail, &title))
        div class="with-sidebar" {
            (catalog_nav(lang, site, nodes, counts, code))
            div class="content" {
                h1 { (title) }
                (filters(req, &action))
                (item_table(lang, site, &items, &title))
                (pagination(req, f.page, f.per_page, total))
                @for (href, name) in &charts {
                    figure class="chart" {
                        img src=(href) alt=(name) width="640" height="260";
                        figcaption { (name) }
                    }
                }
                @if !departments.is_empty() {
                    (departments_table(lang, &departments))
                }
                @if let (Some(code), false) = (code, kiosk) {
                    p class="downloads" {
                        (lang.t("downloads")) " "
                        a href={ "/api/v1/public/" (site.slug()) "/catalog/" (code) "/feed.atom" } type="application/atom+xml" { (lang.t("feed-atom")) }
                        " · "
                        a href={ "/api/v1/public/" (site.slug()) "/catalog/" (code) "/export.csv" } download { "CSV" }
                        " · "
                        a href={ "/api/v1/public/" (site.slug()) "/catalog/" (code) "/export.json" } download { "JSON" }
                    }
                }
            }
        }
    };
    let page = layout::page(req, &site.chrome(req), &title, main);
    Ok(PageResponse::new(page).last_modified(view::newest(&items)))
}

/// The SVG charts the tenant's plugins export for the kinds listed on a column's page
/// (e.g. 三公经费 over the years): (address of the chart, its name in the reader's language).
fn charts(
    site: &Site,
    code: &str,
    packages: &[Package],
    items: &[PublicItem],
    lang: Lang,
) -> Vec<(String, String)> {
    let listed: std::collections::HashSet<&str> = items.iter().map(|i| i.kind.as_str()).collect();
    let mut out = Vec::new();
    for package in packages {
        for format in &package.manifest.export_formats {
            let shown = format.media_type == crate::disclosure::plugin_exports::SVG
                && format
                    .kinds
                    .iter()
                    .any(|k| listed.contains(format!("{}/{k}", package.id).as_str()));
            if shown {
                let name = match lang {
                    Lang::En if !format.name.en.is_empty() => format.name.en.clone(),
                    _ => format.name.zh.clone(),
                };
                out.push((
                    format!(
                        "/api/v1/public/{}/catalog/{code}/export/{}/{}",
                        site.slug(),
                        package.id,
                        format.id
                    ),
                    name,
                ));
            }
        }
    }
    out
}

/// The `/`-joined names from the root to `node` ("财政预决算/三公经费"), as plugins
/// place their kinds.
fn node_path(nodes: &[PublicNode], node: &PublicNode) -> String {
    let mut names = vec![node.name.trim()];
    let mut parent = node.parent_id.as_deref();
    // Bounded: a tree is never deeper than this, and a cycle never walks forever.
    for _ in 0..16 {
        let Some(p) = parent.and_then(|id| nodes.iter().find(|n| n.id == id)) else {
            break;
        };
        names.push(p.name.trim());
        parent = p.parent_id.as_deref();
    }
    names.reverse();
    names.join("/")
}

/// On a government's column of plugin kinds (e.g. 三公经费), the tables its departments
/// (the agencies directly under it) have published of those kinds: (department, item),
/// by department, newest first, at most 20 each.
async fn departments(
    state: &AppState,
    site: &Site,
    packages: &[Package],
    nodes: &[PublicNode],
    node: &PublicNode,
) -> Result<Vec<(Tenant, PublicItem)>, Error> {
    let path = node_path(nodes, node);
    let kinds: Vec<String> = packages
        .iter()
        .flat_map(|p| {
            p.manifest
                .kinds
                .iter()
                .filter(|k| k.sealed.is_empty())
                .filter(|k| {
                    k.catalog
                        .path
                        .split('/')
                        .map(str::trim)
                        .filter(|n| !n.is_empty())
                        .collect::<Vec<_>>()
                        .join("/")
                        == path
                })
                .map(move |k| format!("{}/{}", p.id, k.id))
        })
        .collect();
    if kinds.is_empty() {
        return Ok(Vec::new());
    }
    let children: Vec<Tenant> = crate::tenancy::store::all(&state.db)
        .await?
        .into_iter()
        .filter(|t| t.active && t.parent_id.as_deref() == Some(&site.tenant.id))
        .collect();
    let mut out = Vec::new();
    for child in children {
        let mut tx = state.db.tenant_read(&child.id).await?;
        for kind in &kinds {
            let q = PublicQuery {
                kind: Some(kind.clone()),
                per_page: Some(20),
                summary: Some(true),
                ..PublicQuery::default()
            };
            let f = public::filter(&mut tx, &q).await?;
            let (items, _) = public::page(&mut tx, &f).await?;
            out.extend(items.into_iter().map(|i| (child.clone(), i)));
        }
        tx.commit().await?;
    }
    Ok(out)
}

fn departments_table(lang: Lang, rows: &[(Tenant, PublicItem)]) -> Markup {
    html! {
        section aria-labelledby="departments-title" {
            h2 id="departments-title" { (lang.t("column-departments")) }
            div class="table-scroll" {
                table class="items" {
                    thead {
                        tr {
                            th scope="col" { (lang.t("col-department")) }
                            th scope="col" { (lang.t("col-title")) }
                            th scope="col" class="narrow" { (lang.t("col-published")) }
                        }
                    }
                    tbody {
                        @for (child, item) in rows {
                            tr {
                                td { a href={ "/" (child.slug) "/" } { (super::tenant_name(child, lang)) } }
                                td { a href={ "/" (child.slug) "/items/" (item.id) } lang="zh-CN" { (item.title) } }
                                td class="mono" { time datetime=(day(&item.published_at)) { (day(&item.published_at)) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A facet value's name on the portal (kinds and validity in the page language).
fn facet_label(lang: Lang, facet: &str, v: &FacetValue) -> String {
    match facet {
        "kind" => kind_label(lang, &v.value),
        "validity" => view::validity_label(lang, &v.value),
        _ => v.label.clone(),
    }
}

async fn search_page(state: &AppState, req: &PageReq, site: &Site) -> PageResult {
    let lang = req.lang;
    let words = req.param("q").map(str::trim).unwrap_or("");
    let title = lang.t("search-title");
    let children = req.param("scope") == Some("children");
    let result = if words.is_empty() {
        None
    } else {
        let d = Disclosure::from_ref(state);
        Some(crate::search::service::public_search(&d, &site.tenant, &page::query_of(req)).await?)
    };
    let main = html! {
        (breadcrumbs(lang, site, &[], &title))
        h1 { (title) }
        form class="filters" method="get" action=(site.href("search")) role="search" {
            div class="field wide" {
                label for="s-q" { (lang.t("search-label")) }
                input id="s-q" name="q" type="search" maxlength="100" value=(words);
            }
            div class="field" {
                label for="s-scope" { (lang.t("search-scope")) }
                select id="s-scope" name="scope" {
                    option value="self" selected[!children] { (lang.t("search-scope-self")) }
                    option value="children" selected[children] { (lang.t("search-scope-children")) }
                }
            }
            (page::sort_and_filters(req, "s-sort"))
            div class="field submit" { button type="submit" { (lang.t("search-button")) } }
        }
        @match &result {
            None => { p { (lang.t("search-hint")) } }
            Some(found) => {
                (page::results(req, found, children, &|facet: &str, v: &FacetValue| facet_label(lang, facet, v),
                    html! {
                        @if !children {
                            p { a href=(req.href_with(&[("scope", "children"), ("page", "1")])) { (lang.t("search-try-children")) } }
                        }
                    },
                    &|hit: &SearchHit| page::hit(hit, &hit.url, html! {
                        @if children { span { (hit.agency_name) } " · " }
                        @if let Some(n) = &hit.document_number { span class="mono" { (n) } " · " }
                        span class="mono" { (hit.index_number) } " · "
                        span { (kind_label(lang, &hit.kind)) } " · "
                        (validity_badge(lang, &hit.validity)) " · "
                        time datetime=(day(&hit.published_at)) { (day(&hit.published_at)) }
                    })))
            }
        }
    };
    Ok(PageResponse::new(layout::page(
        req,
        &site.chrome(req),
        &title,
        main,
    )))
}

/// `GET /{slug}/items/{id}`: the published item; 404 when withdrawn or never
/// published, 410 with the notice when repealed.
pub async fn item(
    State(state): State<AppState>,
    req: PageReq,
    Path((slug, id)): Path<(String, String)>,
) -> Response {
    let site = match Site::open(&state, &req, &slug).await {
        Ok(site) => site,
        Err(response) => return response,
    };
    let result = item_page(&state, &req, &site, &id).await;
    site.finish(&req, result)
}

fn field_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Fields shown in the item's facts rather than in its own list.
const FACT_FIELDS: &[&str] = &[
    "document_number",
    "issued_on",
    "effective_on",
    "expires_on",
    "policy_item_id",
];

async fn item_page(state: &AppState, req: &PageReq, site: &Site, id: &str) -> PageResult {
    let lang = req.lang;
    let disclosure = Disclosure::from_ref(state);
    let item = public::published_item(&disclosure, &site.tenant, id).await?;
    let attachments =
        crate::disclosure::attachments::public_list(&state.db, &site.tenant.id, &item.id).await?;
    let interpretations = if item.kind == "policy" {
        let mut tx = state.db.tenant_read(&site.tenant.id).await?;
        let found = public::interpretations_of(&mut tx, &item.id).await?;
        tx.commit().await?;
        found
    } else {
        Vec::new()
    };
    let fields = item.fields.as_object().cloned().unwrap_or_default();
    let text = |name: &str| fields.get(name).map(field_text).filter(|t| !t.is_empty());
    let policy: Option<std::sync::Arc<PublicItem>> = match text("policy_item_id") {
        Some(pid) if item.kind == "interpretation" => {
            public::published_item(&disclosure, &site.tenant, &pid)
                .await
                .ok()
        }
        _ => None,
    };
    let spec = kinds::kind(&item.kind);
    let plugin_kind = if spec.is_none() {
        super::plugin_fields::kind_of(state, &site.tenant, &item.kind).await
    } else {
        None
    };
    // An annual report shows its sections and tables as frozen in the published item.
    let report = if item.kind == "annual_report" {
        let doc = crate::reports::document::ReportDoc::from_fields(
            &site.tenant.name_zh,
            &item.title,
            &item.fields,
        )?;
        let base = format!(
            "/api/v1/public/{}/reports/{}/download",
            site.slug(),
            doc.year
        );
        Some(crate::reports::render::html::report(lang, &doc, |f| {
            format!("{base}/{}", f.extension())
        }))
    } else {
        None
    };
    let repealed = item.validity == "repealed";
    let document_number = item
        .document_number
        .clone()
        .or_else(|| text("document_number"));
    let kiosk = site.kiosk(req);
    let trail = vec![
        (site.href("catalog"), lang.t("nav-catalog")),
        (
            site.href(&format!("catalog/{}", item.catalog_code)),
            item.catalog_name.clone(),
        ),
    ];
    let main = html! {
        (breadcrumbs(lang, site, &trail, &item.title))
        article class="item" {
            @if repealed {
                div class="notice repealed" role="note" {
                    strong { (lang.t("item-repealed-title")) }
                    @if let Some(d) = &item.repealed_on {
                        " " (lang.tr("item-repealed-on", &[("date", d.clone().into())]))
                    }
                    " " (lang.t("item-repealed-text"))
                }
            } @else if item.validity == "amended" {
                div class="notice amended" role="note" { (lang.t("item-amended-text")) }
            }
            h1 lang="zh-CN" { (item.title) }
            dl class="facts item-facts" {
                dt { (lang.t("item-index-number")) } dd class="mono" { (item.index_number) }
                dt { (lang.t("item-issuer")) } dd { (site.name(lang)) }
                @if let Some(n) = &document_number {
                    dt { (lang.t("item-document-number")) } dd lang="zh-CN" { (n) }
                }
                dt { (lang.t("item-catalog")) } dd lang="zh-CN" { (item.catalog_name) }
                dt { (lang.t("item-kind")) }
                dd {
                    @match &plugin_kind {
                        Some(kind) => { (super::plugin_fields::kind_name(lang, kind)) }
                        None => { (kind_label(lang, &item.kind)) }
                    }
                }
                @if let Some(d) = text("issued_on") {
                    dt { (lang.t("item-issued-on")) } dd { time datetime=(d) { (d) } }
                }
                dt { (lang.t("item-published-on")) } dd { time datetime=(day(&item.first_published_at)) { (day(&item.first_published_at)) } }
                @if day(&item.published_at) != day(&item.first_published_at) {
                    dt { (lang.t("item-updated-on")) } dd { time datetime=(day(&item.published_at)) { (day(&item.published_at)) } }
                }
                dt { (lang.t("item-validity")) }
                dd {
                    (validity_badge(lang, &item.validity))
                    @if let (true, Some(d)) = (repealed, &item.repealed_on) {
                        " " (lang.tr("item-repealed-on", &[("date", d.clone().into())]))
                    }
                    @if let Some(d) = text("effective_on") { " " (lang.tr("item-effective-on", &[("date", d.into())])) }
                    @if let Some(d) = text("expires_on") { " " (lang.tr("item-expires-on", &[("date", d.into())])) }
                }
            }
            @if let Some(report) = &report {
                (report)
            } @else {
                div class="body" lang="zh-CN" { (PreEscaped(&item.body_html)) }
            }
            @let shown: Vec<(String, String)> = fields.iter()
                .filter(|(k, _)| !FACT_FIELDS.contains(&k.as_str()))
                .map(|(k, v)| {
                    let label = spec.and_then(|s| s.fields.iter().find(|f| f.name == k.as_str())).map_or(k.clone(), |f| f.label_zh.to_string());
                    (label, field_text(v))
                })
                .filter(|(_, v)| !v.is_empty())
                .collect();
            @if let Some(kind) = &plugin_kind {
                section aria-labelledby="fields-title" {
                    h2 id="fields-title" { (lang.t("item-fields")) }
                    (super::plugin_fields::render(lang, kind, &fields))
                }
            } @else if !shown.is_empty() && report.is_none() {
                section aria-labelledby="fields-title" {
                    h2 id="fields-title" { (lang.t("item-fields")) }
                    dl class="facts" lang="zh-CN" {
                        @for (label, value) in &shown { dt { (label) } dd { (value) } }
                    }
                }
            }
            @if let Some(p) = &policy {
                section aria-labelledby="policy-title" {
                    h2 id="policy-title" { (lang.t("item-policy")) }
                    p { a href=(site.href(&format!("items/{}", p.id))) lang="zh-CN" { (p.title) } }
                }
            }
            @if !interpretations.is_empty() {
                section aria-labelledby="interp-title" {
                    h2 id="interp-title" { (lang.t("item-interpretations")) }
                    (view::title_list(site, &interpretations, lang))
                }
            }
            @if !attachments.is_empty() {
                section aria-labelledby="att-title" {
                    h2 id="att-title" { (lang.t("item-attachments")) }
                    ul class="attachments" {
                        @for a in &attachments {
                            li {
                                a href={ "/api/v1/public/" (site.slug()) "/items/" (item.id) "/attachments/" (a.id) } download=(a.name) lang="zh-CN" { (a.name) }
                                " " span class="meta" { "(" (a.media_type) ", " (crate::web::layout::file_size(a.size)) ")" }
                            }
                        }
                    }
                }
            }
            @if !kiosk {
                p class="print-hint" { (lang.t("item-print-hint")) }
            }
        }
    };
    let page = layout::page(req, &site.chrome(req), &item.title, main);
    let status = if repealed {
        StatusCode::GONE
    } else {
        StatusCode::OK
    };
    Ok(PageResponse::new(page)
        .status(status)
        .last_modified(parse_time(&item.published_at)))
}
