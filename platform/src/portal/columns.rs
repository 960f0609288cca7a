//! Three of the four fixed sub-columns national guidance requires (国办公开办函〔2019〕61号):
//! the guide (指南) and the rules (制度), versioned Markdown with "last updated", and the
//! annual reports (年报). The fourth, 法定主动公开内容, is the catalog (`items`).
//! A tenant that never wrote its guide gets one made from its settings, so a new
//! portal is never empty.

use axum::extract::{Path, State};
use axum::response::Response;
use maud::{html, PreEscaped};

use super::site::{self, ColumnPage};
use super::view::{breadcrumbs, item_table, pagination};
use super::Site;
use crate::app::AppState;
use crate::disclosure::public::{self, PublicQuery};
use crate::disclosure::render::markdown_to_html;
use crate::kernel::ids::parse_time;
use crate::web::error::PageResult;
use crate::web::{layout, Lang, PageReq, PageResponse};

/// The catalog node of the annual reports in the default catalog.
const REPORTS_NODE: &str = "NDBG";

pub async fn guide(
    State(state): State<AppState>,
    req: PageReq,
    Path(slug): Path<String>,
) -> Response {
    column(state, req, slug, ColumnPage::Guide).await
}

pub async fn rules(
    State(state): State<AppState>,
    req: PageReq,
    Path(slug): Path<String>,
) -> Response {
    column(state, req, slug, ColumnPage::Rules).await
}

async fn column(state: AppState, req: PageReq, slug: String, page: ColumnPage) -> Response {
    let site = match Site::open(&state, &req, &slug).await {
        Ok(site) => site,
        Err(response) => return response,
    };
    let result = column_page(&state, &req, &site, page).await;
    site.finish(&req, result)
}

/// The guide made from the tenant's settings, in the page language.
pub fn default_guide(lang: Lang, site: &Site) -> String {
    let s = &site.settings;
    let or_unset = |v: &str| {
        if v.trim().is_empty() {
            lang.t("guide-unset")
        } else {
            v.to_string()
        }
    };
    lang.tr(
        "guide-default",
        &[
            ("agency", site.name(lang).to_string().into()),
            ("office", or_unset(&s.office_name).into()),
            ("address", or_unset(&s.address).into()),
            ("hours", or_unset(&s.office_hours).into()),
            ("phone", or_unset(&s.phone).into()),
            ("email", or_unset(&s.email).into()),
            ("apply", site.href("apply").into()),
            ("track", site.href("track").into()),
            ("catalog", site.href("catalog").into()),
        ],
    )
}

async fn column_page(state: &AppState, req: &PageReq, site: &Site, page: ColumnPage) -> PageResult {
    let lang = req.lang;
    let saved = site::current_page(&state.db, &site.tenant.id, page).await?;
    let (title, markdown, updated) = match (page, &saved) {
        (ColumnPage::Guide, Some(v)) => (
            lang.t("nav-guide"),
            v.body.clone(),
            Some(v.created_at.clone()),
        ),
        (ColumnPage::Rules, Some(v)) => (
            lang.t("nav-rules"),
            v.body.clone(),
            Some(v.created_at.clone()),
        ),
        (ColumnPage::Guide, None) => (lang.t("nav-guide"), default_guide(lang, site), None),
        (ColumnPage::Rules, None) => (lang.t("nav-rules"), lang.t("rules-default"), None),
    };
    // What the agency wrote stays in its language; our defaults follow the page's.
    let content_lang = if saved.is_some() { "zh-CN" } else { lang.tag() };
    let main = html! {
        (breadcrumbs(lang, site, &[], &title))
        article class="column-page" {
            h1 { (title) }
            p class="updated" {
                @match &updated {
                    Some(at) => {
                        (lang.t("last-updated")) " "
                        time datetime=(super::view::day(at)) { (super::view::day(at)) }
                    }
                    None => { (lang.t("default-text-note")) }
                }
            }
            div class="body" lang=(content_lang) { (PreEscaped(markdown_to_html(&markdown))) }
        }
    };
    let modified = updated.as_deref().and_then(parse_time);
    Ok(
        PageResponse::new(layout::page(req, &site.chrome(req), &title, main))
            .last_modified(modified),
    )
}

/// `GET /{slug}/reports`: the annual reports published in the catalog.
pub async fn reports(
    State(state): State<AppState>,
    req: PageReq,
    Path(slug): Path<String>,
) -> Response {
    let site = match Site::open(&state, &req, &slug).await {
        Ok(site) => site,
        Err(response) => return response,
    };
    let result = reports_page(&state, &req, &site).await;
    site.finish(&req, result)
}

async fn reports_page(state: &AppState, req: &PageReq, site: &Site) -> PageResult {
    let lang = req.lang;
    let title = site.report_label(lang);
    let catalog = site.catalog(state).await?;
    let (items, total) = if catalog.nodes.iter().any(|n| n.code == REPORTS_NODE) {
        let mut tx = state.db.tenant_read(&site.tenant.id).await?;
        let q = PublicQuery {
            catalog: Some(REPORTS_NODE.into()),
            per_page: Some(100),
            summary: Some(true),
            ..PublicQuery::default()
        };
        let f = public::filter(&mut tx, &q).await?;
        let found = public::page(&mut tx, &f).await?;
        tx.commit().await?;
        found
    } else {
        (Vec::new(), 0)
    };
    let main = html! {
        (breadcrumbs(lang, site, &[], &title))
        h1 { (title) }
        p { (lang.t("reports-intro")) }
        @if items.is_empty() {
            p class="empty" { (lang.t("reports-none")) }
        } @else {
            (item_table(lang, site, &items, &title))
            (pagination(req, 1, 100, total))
        }
    };
    Ok(
        PageResponse::new(layout::page(req, &site.chrome(req), &title, main))
            .last_modified(super::view::newest(&items)),
    )
}
