//! The agency's portal home (`/{slug}/`), the platform's index of agencies (`/`), and
//! `/` on an agency's own host name.

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};

use super::plugin_fields;
use super::view::{self, title_list};
use super::{platform_chrome, site, tenant_name, Site};
use crate::app::AppState;
use crate::disclosure::model::{PublicItem, PublicNode};
use crate::disclosure::public::{self, PublicQuery};
use crate::kernel::error::Result;
use crate::plugins::model::ItemKind;
use crate::tenancy::Tenant;
use crate::web::error::{self, PageError, PageResult};
use crate::web::{layout, Lang, PageReq, PageResponse};

/// The catalog node whose children are the key-area columns (重点领域).
const KEY_AREAS: &str = "ZDLY";
const LATEST: i64 = 10;
const PER_COLUMN: i64 = 5;

/// `GET /`: the portal of the agency whose host name this is, else the index of agencies.
pub async fn root(State(state): State<AppState>, req: PageReq) -> Response {
    let hosted = match &req.host {
        Some(host) => site::tenant_of_host(&state.db, host).await,
        None => Ok(None),
    };
    let tenant_id = match hosted {
        Ok(id) => id,
        Err(err) => return error::page(&req, &platform_chrome(&req), PageError(err)),
    };
    let slug = match tenant_id {
        Some(id) => crate::tenancy::store::all(&state.db)
            .await
            .ok()
            .and_then(|all| all.into_iter().find(|t| t.id == id))
            .map(|t| t.slug),
        None => None,
    };
    match slug {
        Some(slug) => home(State(state), req, Path(slug)).await,
        None => {
            let result = index(&state, &req).await;
            match result {
                Ok(page) => page.finish(&req),
                Err(err) => error::page(&req, &platform_chrome(&req), err),
            }
        }
    }
}

/// `GET /{slug}`: the home page lives at `/{slug}/`.
pub async fn without_slash(Path(slug): Path<String>, req: PageReq) -> Response {
    // Only a slug's characters go into the Location (no `//host` redirect).
    let mut problems = Vec::new();
    crate::tenancy::model::check_slug(&slug, &mut problems);
    if !problems.is_empty() {
        let err = crate::kernel::error::Error::NotFound(format!("portal `{slug}`"));
        return error::page(&req, &platform_chrome(&req), PageError(err));
    }
    let target = format!("/{slug}/");
    (StatusCode::PERMANENT_REDIRECT, [(header::LOCATION, target)]).into_response()
}

/// `GET /{slug}/`
pub async fn home(
    State(state): State<AppState>,
    req: PageReq,
    Path(slug): Path<String>,
) -> Response {
    let site = match Site::open(&state, &req, &slug).await {
        Ok(site) => site,
        Err(response) => return response,
    };
    let result = home_page(&state, &req, &site).await;
    site.finish(&req, result)
}

async fn latest(
    state: &AppState,
    site: &Site,
    catalog: Option<&str>,
    n: i64,
) -> Result<Vec<PublicItem>> {
    let q = PublicQuery {
        catalog: catalog.map(str::to_string),
        per_page: Some(n),
        summary: Some(true),
        ..PublicQuery::default()
    };
    query(state, site, &q).await
}

async fn query(state: &AppState, site: &Site, q: &PublicQuery) -> Result<Vec<PublicItem>> {
    let mut tx = state.db.tenant_read(&site.tenant.id).await?;
    let f = public::filter(&mut tx, q).await?;
    let (items, _) = public::page(&mut tx, &f).await?;
    tx.commit().await?;
    Ok(items)
}

/// The plugin columns of the key areas: for each kind a plugin places under a key-area
/// column (e.g. 空气质量 under 环境保护), its latest published items as a table of the
/// values people look for (an AQI and its level), so a reader sees today's figures on
/// the home page.
async fn plugin_columns(
    state: &AppState,
    site: &Site,
    root: Option<&PublicNode>,
    areas: &[&PublicNode],
) -> Result<Vec<(ItemKind, Vec<PublicItem>)>> {
    let Some(root) = root else {
        return Ok(Vec::new());
    };
    let packages = crate::plugins::service::enabled_packages(&state.plugins, &site.tenant).await?;
    // As plugins write the catalog paths of their kinds: `重点领域/环境保护`.
    let area_names: Vec<String> = areas
        .iter()
        .map(|n| format!("{}/{}", root.name.trim(), n.name.trim()))
        .collect();
    let mut out = Vec::new();
    for package in &packages {
        for kind in &package.manifest.kinds {
            let path = kind.catalog.path.trim().trim_matches('/');
            if !kind.sealed.is_empty() || !area_names.iter().any(|a| a == path) {
                continue;
            }
            let q = PublicQuery {
                kind: Some(format!("{}/{}", package.id, kind.id)),
                per_page: Some(PER_COLUMN),
                ..PublicQuery::default()
            };
            let items = query(state, site, &q).await?;
            if !items.is_empty() {
                out.push((kind.clone(), items));
            }
        }
    }
    Ok(out)
}

async fn home_page(state: &AppState, req: &PageReq, site: &Site) -> PageResult {
    let lang = req.lang;
    let catalog = site.catalog(state).await?;
    let nodes = &catalog.nodes;
    let items = latest(state, site, None, LATEST).await?;
    let mut columns: Vec<(PublicNode, Vec<PublicItem>)> = Vec::new();
    let root = nodes.iter().find(|n| n.code == KEY_AREAS);
    let areas: Vec<&PublicNode> = match root {
        Some(root) => nodes
            .iter()
            .filter(|n| n.parent_id.as_deref() == Some(&root.id))
            .collect(),
        None => Vec::new(),
    };
    for node in &areas {
        let list = latest(state, site, Some(&node.code), PER_COLUMN).await?;
        columns.push(((*node).clone(), list));
    }
    let plugin_tables = plugin_columns(state, site, root, &areas).await?;
    let children: Vec<Tenant> = crate::tenancy::store::all(&state.db)
        .await?
        .into_iter()
        .filter(|t| t.active && t.parent_id.as_deref() == Some(&site.tenant.id))
        .collect();
    let kiosk = site.kiosk(req);
    let s = &site.settings;
    let main = html! {
        h1 { (site.name(lang)) " " span class="h1-sub" { (lang.t("column-name")) } }
        @if let Some(parent) = site.ancestors.first() {
            p class="parent" {
                (lang.t("home-parent")) " "
                a href={ "/" (parent.slug) "/" } { (tenant_name(parent, lang)) }
            }
        }
        section class="apply-box" aria-labelledby="apply-title" {
            h2 id="apply-title" { (lang.t("home-apply-title")) }
            p { (lang.t("home-apply-text")) }
            p class="actions" {
                a class="button primary" href=(site.href("apply")) { (lang.t("home-apply-button")) }
                " "
                a class="button" href=(site.href("track")) { (lang.t("home-track-button")) }
            }
        }
        nav class="subcolumns" aria-label=(lang.t("home-subcolumns")) {
            ul {
                li { a href=(site.href("guide")) { (lang.t("nav-guide")) } }
                li { a href=(site.href("rules")) { (lang.t("nav-rules")) } }
                li { a href=(site.href("catalog")) { (lang.t("nav-catalog")) } }
                li { a href=(site.href("reports")) { (site.report_label(lang)) } }
            }
        }
        div class="home-grid" {
            section aria-labelledby="latest-title" {
                h2 id="latest-title" { (lang.t("home-latest")) }
                (title_list(site, &items, lang))
                p class="more" {
                    a href=(site.href("catalog")) { (lang.t("home-all-items")) }
                    @if !kiosk {
                        " · "
                        a href={ "/api/v1/public/" (site.slug()) "/feed.atom" } type="application/atom+xml" { (lang.t("feed-atom")) }
                    }
                }
            }
            section aria-labelledby="contact-title" class="contact" {
                h2 id="contact-title" { (lang.t("home-contact")) }
                (contact(lang, s))
            }
        }
        @if !columns.is_empty() {
            section aria-labelledby="areas-title" {
                h2 id="areas-title" { (lang.t("home-key-areas")) }
                div class="area-grid" {
                    @for (node, list) in &columns {
                        section class="area" aria-labelledby={ "area-" (node.code) } {
                            h3 id={ "area-" (node.code) } {
                                a href=(site.href(&format!("catalog/{}", node.code))) lang="zh-CN" { (node.name) }
                            }
                            (title_list(site, list, lang))
                        }
                    }
                }
            }
        }
        @if !plugin_tables.is_empty() {
            section aria-labelledby="plugin-columns-title" class="plugin-columns" {
                h2 id="plugin-columns-title" { (lang.t("home-plugin-columns")) }
                @for (kind, items) in &plugin_tables {
                    @let rows: Vec<_> = items.iter().map(|i| (i.id.as_str(), i.title.as_str(), &i.fields)).collect();
                    (plugin_fields::summary_table(lang, kind, &rows, |id| site.href(&format!("items/{id}"))))
                }
            }
        }
        @if !children.is_empty() {
            section aria-labelledby="children-title" {
                h2 id="children-title" { (lang.t("home-children")) }
                ul class="agencies" {
                    @for child in &children {
                        li { a href={ "/" (child.slug) "/" } { (tenant_name(child, lang)) } }
                    }
                }
            }
        }
    };
    let page = layout::page(req, &site.chrome(req), site.name(lang), main);
    Ok(PageResponse::new(page).last_modified(view::newest(&items)))
}

/// The disclosure office's contact details, each line only when set.
pub fn contact(lang: Lang, s: &site::PortalSettings) -> Markup {
    let rows = [
        ("contact-office", &s.office_name),
        ("contact-address", &s.address),
        ("contact-postcode", &s.postcode),
        ("contact-hours", &s.office_hours),
        ("contact-phone", &s.phone),
        ("contact-fax", &s.fax),
        ("contact-email", &s.email),
    ];
    html! {
        @if rows.iter().all(|(_, v)| v.trim().is_empty()) {
            p { (lang.t("contact-none")) }
        } @else {
            dl class="facts" {
                @for (key, value) in rows {
                    @if !value.trim().is_empty() {
                        dt { (lang.t(key).trim_end_matches(['：', ':', ' '])) }
                        dd { (value) }
                    }
                }
            }
        }
    }
}

/// The platform's index: every agency's portal, as the tree they form.
async fn index(state: &AppState, req: &PageReq) -> PageResult {
    let lang = req.lang;
    let all: Vec<Tenant> = crate::tenancy::store::all(&state.db)
        .await?
        .into_iter()
        .filter(|t| t.active && !t.is_platform())
        .collect();
    let ids: Vec<&str> = all.iter().map(|t| t.id.as_str()).collect();
    // Top level: agencies whose parent is not itself a listed agency.
    let roots: Vec<&Tenant> = all
        .iter()
        .filter(|t| t.parent_id.as_deref().is_none_or(|p| !ids.contains(&p)))
        .collect();
    fn branch(all: &[Tenant], t: &Tenant, lang: Lang, depth: usize) -> Markup {
        let children: Vec<&Tenant> = all
            .iter()
            .filter(|c| c.parent_id.as_deref() == Some(&t.id))
            .collect();
        html! {
            li {
                a href={ "/" (t.slug) "/" } { (tenant_name(t, lang)) }
                @if !children.is_empty() && depth < 8 {
                    ul {
                        @for c in children { (branch(all, c, lang, depth + 1)) }
                    }
                }
            }
        }
    }
    let main = html! {
        h1 { (lang.t("index-title")) }
        p { (lang.t("index-text")) }
        @if roots.is_empty() {
            p class="empty" { (lang.t("index-empty")) }
        } @else {
            ul class="agency-tree" {
                @for t in &roots { (branch(&all, t, lang, 0)) }
            }
        }
    };
    let chrome = platform_chrome(req);
    let title = lang.t("index-title");
    Ok(PageResponse::new(layout::page(req, &chrome, &title, main)))
}
