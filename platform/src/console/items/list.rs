//! `GET /console/{slug}/items`: the agency's items, newest change first, filtered by
//! stage, kind, catalog node and "my drafts", a page at a time; summaries only (the
//! same service and filters as `GET /api/v1/tenants/{slug}/items`).

use axum::extract::{FromRef, State};
use axum::http::Method;
use axum::response::Response;
use maud::html;

use super::{builtin_kind_label, stage_label, LIST_API};
use crate::app::AppState;
use crate::console::Desk;
use crate::disclosure::plugin_kinds;
use crate::disclosure::service::{self, ListFilter};
use crate::disclosure::Disclosure;
use crate::web::error::PageResult;
use crate::web::{Lang, PageReq};

const PER_PAGE: i64 = 50;

/// The stages an item list is filtered by.
pub const STAGES: &[&str] = &[
    "draft",
    "in_review",
    "approved",
    "scheduled",
    "published",
    "withdrawn",
];

pub async fn page(State(state): State<AppState>, req: PageReq, desk: Desk) -> Response {
    let result = render(&state, &req, &desk).await;
    desk.finish(&req, result)
}

/// The name of a kind among the tenant's kinds (a plugin kind's in the page language).
pub fn kind_label(lang: Lang, kinds: &[plugin_kinds::TenantKind], code: &str) -> String {
    match kinds.iter().find(|k| k.code == code) {
        Some(k) if k.plugin.is_some() => match lang {
            Lang::En if !k.name_en.is_empty() => k.name_en.clone(),
            _ => k.name_zh.clone(),
        },
        _ => builtin_kind_label(lang, code),
    }
}

async fn render(state: &AppState, req: &PageReq, desk: &Desk) -> PageResult {
    let lang = req.lang;
    let d = Disclosure::from_ref(state);
    let tenant = &desk.tenant.as_ref().expect("a tenant route").tenant;
    let slug = &tenant.slug;
    let stage = req.param("stage").map(str::to_string);
    let kind = req.param("kind").map(str::to_string);
    let node = req.param("node").map(str::to_string);
    let mine = req.param("mine").is_some();
    let page: i64 = req
        .param("page")
        .and_then(|p| p.parse().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1);
    let mut list = service::list(
        &d,
        tenant,
        ListFilter {
            stage: stage.clone(),
            node_id: node.clone(),
            kind: kind.clone(),
            created_by: mine.then(|| desk.principal.user.id.clone()),
            limit: PER_PAGE + 1,
            offset: (page - 1) * PER_PAGE,
        },
    )
    .await?;
    let more = list.len() as i64 > PER_PAGE;
    list.truncate(PER_PAGE as usize);
    let kinds = plugin_kinds::tenant_kinds(&d, tenant).await?;
    let nodes = service::nodes(&d, tenant).await?;
    let may_create = desk.may(state, Method::POST, LIST_API).await?;
    let title = lang.t("console-items-title");
    let main = html! {
        h1 { (title) }
        @if may_create {
            p { a class="button" href=(format!("/console/{slug}/items/new")) { (lang.t("console-item-new")) } }
        }
        form class="filters" method="get" action=(req.path) {
            p class="field" {
                label for="stage" { (lang.t("console-item-stage")) }
                select id="stage" name="stage" {
                    option value="" { (lang.t("console-filter-any")) }
                    @for s in STAGES {
                        option value=(s) selected[stage.as_deref() == Some(*s)] { (stage_label(lang, s)) }
                    }
                }
            }
            p class="field" {
                label for="kind" { (lang.t("console-item-kind")) }
                select id="kind" name="kind" {
                    option value="" { (lang.t("console-filter-any")) }
                    @for k in &kinds {
                        option value=(k.code) selected[kind.as_deref() == Some(k.code.as_str())] { (kind_label(lang, &kinds, &k.code)) }
                    }
                }
            }
            p class="field" {
                label for="node" { (lang.t("console-item-node")) }
                select id="node" name="node" {
                    option value="" { (lang.t("console-filter-any")) }
                    @for n in &nodes {
                        option value=(n.id) selected[node.as_deref() == Some(n.id.as_str())] { (n.code) " " (n.name) }
                    }
                }
            }
            p class="field check" {
                input type="checkbox" id="mine" name="mine" value="1" checked[mine];
                label for="mine" { (lang.t("console-filter-my-items")) }
            }
            p { button type="submit" { (lang.t("console-filter-apply")) } }
        }
        @if list.is_empty() {
            p { (lang.t("console-items-none")) }
        } @else {
            table class="data items" {
                thead { tr {
                    th scope="col" { (lang.t("console-item-index")) }
                    th scope="col" { (lang.t("console-item-title")) }
                    th scope="col" { (lang.t("console-item-kind")) }
                    th scope="col" { (lang.t("console-item-stage")) }
                    th scope="col" { (lang.t("console-item-version")) }
                    th scope="col" { (lang.t("console-item-due")) }
                    th scope="col" { (lang.t("console-item-updated")) }
                } }
                tbody {
                    @for i in &list {
                        tr {
                            td class="mono" { (i.index_number) }
                            td { a href=(format!("/console/{slug}/items/{}", i.id)) { (i.title) } }
                            td { (kind_label(lang, &kinds, &i.kind)) }
                            td {
                                (stage_label(lang, &i.stage))
                                @if i.validity != "in_force" {
                                    " · " (super::or_code(lang, &format!("validity-{}", i.validity), &i.validity))
                                }
                            }
                            td { (i.version) }
                            td { (i.due_on.as_deref().unwrap_or("—")) }
                            td { (i.updated_at.get(..10).unwrap_or(&i.updated_at)) }
                        }
                    }
                }
            }
        }
        nav class="pager" aria-label=(lang.t("console-pages")) {
            @if page > 1 {
                a rel="prev" href=(req.href_with(&[("page", (page - 1).to_string().as_str())])) { (lang.t("console-page-prev")) }
                " "
            }
            span { (lang.tr("console-page-n", &[("page", page.into())])) }
            @if more {
                " "
                a rel="next" href=(req.href_with(&[("page", (page + 1).to_string().as_str())])) { (lang.t("console-page-next")) }
            }
        }
    };
    Ok(desk.page(req, &title, main))
}
