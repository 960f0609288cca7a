//! An item's page for staff: its facts (index number, kind, stage, disclosure
//! attribute, deadline), the working version as written (fields as the kind or the
//! plugin describes them, the plugin's warnings), the scan's findings beside the text,
//! the attachments, the review chain with its decisions, and the forms of the steps
//! the user may take. Reads through the services of `GET …/items/{id}` and its
//! sub-resources; another agency's item is not found (404), as in the API.

use axum::extract::{FromRef, Path, State};
use axum::http::Method;
use axum::response::Response;
use maud::{html, Markup, PreEscaped};
use serde_json::Value;

use super::editor::{attribute_label, form_kind};
use super::list::kind_label;
use super::{actions, findings, stage_label, Failed, FormKind, Origin, VERSIONS_API, VIEW_API};
use crate::app::AppState;
use crate::console::Desk;
use crate::disclosure::model::{DecisionOut, ItemOut};
use crate::disclosure::render::markdown_to_html;
use crate::disclosure::{attachments, plugin_kinds, service, Disclosure};
use crate::http::access::Ctx;
use crate::web::error::PageResult;
use crate::web::{Lang, PageReq};

/// `GET /console/{slug}/items/{id}`
pub async fn show(
    State(state): State<AppState>,
    req: PageReq,
    ctx: Ctx,
    desk: Desk,
    Path((_slug, id)): Path<(String, String)>,
) -> Response {
    let result = item_page(&state, &req, &ctx, &desk, &id, None).await;
    desk.finish(&req, result)
}

/// The entered and derived fields of the working version, as the kind describes them.
pub async fn fields_view(state: &AppState, lang: Lang, desk: &Desk, item: &ItemOut) -> Markup {
    let tenant = &desk.tenant.as_ref().expect("a tenant route").tenant;
    let mut values = item.fields.as_object().cloned().unwrap_or_default();
    if let Some(record) = &item.plugin {
        for (k, v) in &record.derived {
            values.insert(k.clone(), v.clone());
        }
    }
    match form_kind(state, tenant, &item.kind).await {
        Some(FormKind::Plugin(kind)) => crate::portal::plugin_fields::render(lang, &kind, &values),
        Some(FormKind::Builtin(spec)) => html! {
            dl class="facts" {
                @for f in spec.fields {
                    @if let Some(v) = values.get(f.name).filter(|v| !v.is_null()) {
                        dt { (f.label_zh) }
                        dd { (match v { Value::String(s) => s.clone(), other => other.to_string() }) }
                    }
                }
            }
        },
        None => html! { pre { (Value::Object(values).to_string()) } },
    }
}

/// The review chain and the decisions made on each version (newest last).
pub fn chain_view(lang: Lang, item: &ItemOut, decisions: &[DecisionOut]) -> Markup {
    html! {
        @if !item.review_chain.is_empty() {
            ol class="chain" {
                @for (i, step) in item.review_chain.iter().enumerate() {
                    li aria-current=[(item.pending_step == Some(i)).then_some("step")] {
                        (step.name) " · " (lang.t(&format!("role-{}", step.role)))
                        @if item.pending_step == Some(i) { " · " strong { (lang.t("console-review-pending")) } }
                    }
                }
            }
        }
        @if decisions.is_empty() {
            p { (lang.t("console-review-no-decisions")) }
        } @else {
            table class="data decisions" {
                thead { tr {
                    th scope="col" { (lang.t("console-item-version")) }
                    th scope="col" { (lang.t("console-review-step")) }
                    th scope="col" { (lang.t("console-review-verdict")) }
                    th scope="col" { (lang.t("console-review-comments")) }
                    th scope="col" { (lang.t("console-review-by")) }
                } }
                tbody {
                    @for dcs in decisions {
                        tr {
                            td { (dcs.version) }
                            td { (dcs.step_name) }
                            td { (lang.t(&format!("console-verdict-{}", dcs.verdict))) }
                            td { (dcs.comments) }
                            td { (dcs.decided_by.get(..8).unwrap_or(&dcs.decided_by)) "… " (dcs.decided_at.get(..16).unwrap_or(&dcs.decided_at)) }
                        }
                    }
                }
            }
        }
    }
}

/// The item's page; `failed` is a form that came back with problems.
pub async fn item_page(
    state: &AppState,
    req: &PageReq,
    _ctx: &Ctx,
    desk: &Desk,
    id: &str,
    failed: Option<&Failed>,
) -> PageResult {
    let lang = req.lang;
    let d = Disclosure::from_ref(state);
    let tenant = &desk.tenant.as_ref().expect("a tenant route").tenant;
    let slug = &tenant.slug;
    let item = service::get_item(&d, tenant, id).await?;
    let kinds = plugin_kinds::tenant_kinds(&d, tenant).await?;
    let nodes = service::nodes(&d, tenant).await?;
    let found = service::findings(&d, tenant, id).await?;
    let decisions = service::decisions(&d, tenant, id).await?;
    let files = attachments::staff_list(&d, &tenant.id, id).await?;
    let node = nodes
        .iter()
        .find(|n| n.id == item.node_id)
        .map(|n| format!("{} {}", n.code, n.name))
        .unwrap_or_default();
    let may_edit = item.stage == "draft" && desk.may(state, Method::PATCH, VIEW_API).await?;
    let may_history = desk.may(state, Method::GET, VERSIONS_API).await?;
    let forms = actions::forms(state, lang, desk, &item, Origin::Item, failed).await?;
    let findings_view =
        findings::section(state, lang, desk, &item, &found, Origin::Item, failed).await?;
    let files_view = actions::section(state, lang, desk, &item, &files, failed).await?;
    let fields = fields_view(state, lang, desk, &item).await;
    let title = item.title.clone();
    let facts: Vec<(&str, String)> = vec![
        ("console-item-index", item.index_number.clone()),
        ("console-item-kind", kind_label(lang, &kinds, &item.kind)),
        ("console-item-node", node),
        ("console-item-stage", stage_label(lang, &item.stage)),
        (
            "console-item-validity",
            super::or_code(lang, &format!("validity-{}", item.validity), &item.validity),
        ),
        ("console-item-version", item.version.to_string()),
        (
            "console-item-attribute",
            attribute_label(lang, &item.attribute),
        ),
        (
            "console-item-due",
            item.due_on.clone().unwrap_or("—".into()),
        ),
    ];
    let main = html! {
        h1 { (title) }
        dl class="item-facts" {
            @for (key, value) in &facts {
                dt { (lang.t(key)) }
                dd { (value) }
            }
            @if let Some(g) = &item.legal_ground {
                dt { (lang.t("console-item-legal_ground")) }
                dd { (g) " · " (item.attribute_reason) }
            }
            @if let Some(at) = &item.scheduled_at {
                dt { (lang.t("console-item-scheduled")) } dd { (at) }
            }
            @if let Some(r) = &item.withdrawn_reason {
                dt { (lang.t("console-item-withdrawn")) } dd { (r) }
            }
            @if let Some(on) = &item.repealed_on {
                dt { (lang.t("console-item-repealed")) } dd { (on) }
            }
        }
        p class="links" {
            @if may_edit { a class="button" href=(format!("/console/{slug}/items/{id}/edit")) { (lang.t("console-item-edit")) } " " }
            @if may_history { a href=(format!("/console/{slug}/items/{id}/history")) { (lang.t("console-history-title")) } " " }
            @if item.stage == "in_review" { a href=(format!("/console/{slug}/review/{id}")) { (lang.t("console-review-open")) } }
        }
        section aria-labelledby="actions-title" {
            h2 id="actions-title" { (lang.t("console-item-actions")) }
            (forms)
        }
        section aria-labelledby="content-title" {
            h2 id="content-title" { (lang.t("console-item-content")) }
            div class="item-body" { (PreEscaped(markdown_to_html(&item.body))) }
            (fields)
            @if let Some(record) = &item.plugin {
                p class="hint" { (record.plugin_id) " " (record.plugin_version) }
                @if !record.warnings.is_empty() {
                    ul class="warnings" {
                        @for w in &record.warnings { li { (w.path) "：" (w.message) } }
                    }
                }
            }
        }
        (findings_view)
        (files_view)
        section aria-labelledby="chain-title" {
            h2 id="chain-title" { (lang.t("console-review-chain")) }
            (chain_view(lang, &item, &decisions))
        }
    };
    Ok(desk.page(req, &title, main))
}
