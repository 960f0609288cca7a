//! The requests workbench: the agency's requests with their due dates and filters, and
//! a request's page (details, the due date explained day by day, the timeline, answers)
//! with the forms of the steps the user may take. Reads go through the same services
//! as `GET /api/v1/tenants/{slug}/requests[/{id}]`, registered with those routes' rules.

use axum::extract::{Path, State};
use axum::http::Method;
use axum::response::Response;
use maud::{html, Markup};

use super::request_steps::{self, Failed};
use super::Desk;
use crate::app::AppState;
use crate::http::access::Ctx;
use crate::http::Routes;
use crate::requests::model::{OversightView, RequestRead, RequestSummary, StaffView};
use crate::requests::service::{self as requests, ListQuery};
use crate::web::error::PageResult;
use crate::web::{Lang, PageReq};

pub const LIST_API: &str = "/api/v1/tenants/{slug}/requests";
const VIEW_API: &str = "/api/v1/tenants/{slug}/requests/{id}";

pub fn routes(r: Routes) -> Routes {
    let list = r.access_of(&Method::GET, LIST_API);
    let view = r.access_of(&Method::GET, VIEW_API);
    let r = r
        .add_page(Method::GET, "/console/{slug}/requests", list, list_page)
        .add_page(Method::GET, "/console/{slug}/requests/{id}", view, show);
    request_steps::routes(r)
}

/// `GET /console/{slug}/requests?status=&overdue=1&mine=1`
async fn list_page(State(state): State<AppState>, req: PageReq, desk: Desk) -> Response {
    let result = render_list(&state, &req, &desk).await;
    desk.finish(&req, result)
}

async fn render_list(state: &AppState, req: &PageReq, desk: &Desk) -> PageResult {
    let lang = req.lang;
    let tenant = &desk.tenant.as_ref().expect("a tenant route").tenant;
    let mine = req.param("mine").is_some();
    let overdue = req.param("overdue").is_some();
    let status = req.param("status").map(str::to_string);
    let mut list = requests::list(
        &state.requests,
        tenant,
        ListQuery {
            status: status.clone(),
            assignee: mine.then(|| desk.principal.user.id.clone()),
            overdue: overdue.then_some(true),
            ..ListQuery::default()
        },
    )
    .await?;
    list.sort_by(|a, b| b.overdue.cmp(&a.overdue).then(a.due_on.cmp(&b.due_on)));
    let title = lang.t("console-requests-title");
    let main = html! {
        h1 { (title) }
        form class="filters" method="get" action=(req.path) {
            p class="field" {
                label for="status" { (lang.t("console-request-status")) }
                select id="status" name="status" {
                    option value="" { (lang.t("console-filter-any")) }
                    @for s in STATUSES {
                        option value=(s) selected[status.as_deref() == Some(*s)] { (status_label(lang, s)) }
                    }
                }
            }
            p class="field check" {
                input type="checkbox" id="mine" name="mine" value="1" checked[mine];
                label for="mine" { (lang.t("console-filter-mine")) }
            }
            p class="field check" {
                input type="checkbox" id="overdue" name="overdue" value="1" checked[overdue];
                label for="overdue" { (lang.t("console-filter-overdue")) }
            }
            p { button type="submit" { (lang.t("console-filter-apply")) } }
        }
        (table(lang, desk, &list, "console-requests-none", None))
    };
    Ok(desk.page(req, &title, main))
}

/// The request phases a list can be filtered by.
const STATUSES: &[&str] = &[
    "received",
    "registered",
    "correction_requested",
    "corrected",
    "assigned",
    "consulting",
    "answer_drafted",
    "answer_reviewed",
    "answered",
    "closed",
    "withdrawn",
    "abandoned",
];

pub fn status_label(lang: Lang, status: &str) -> String {
    let key = format!("console-status-{status}");
    let label = lang.t(&key);
    if label == key {
        status.to_string()
    } else {
        label
    }
}

/// Requests as a table; `left` gives working days left per request, when known.
pub fn table(
    lang: Lang,
    desk: &Desk,
    list: &[RequestSummary],
    empty_key: &str,
    left: Option<&[Option<i64>]>,
) -> Markup {
    let slug = desk.slug().unwrap_or_default();
    html! {
        @if list.is_empty() {
            p { (lang.t(empty_key)) }
        } @else {
            table class="data" {
                thead { tr {
                    th scope="col" { (lang.t("console-request-number")) }
                    th scope="col" { (lang.t("console-request-status")) }
                    th scope="col" { (lang.t("console-request-received")) }
                    th scope="col" { (lang.t("console-request-due")) }
                    @if left.is_some() { th scope="col" { (lang.t("console-request-left")) } }
                } }
                tbody {
                    @for (i, r) in list.iter().enumerate() {
                        @let days = left.and_then(|l| l.get(i).copied().flatten());
                        @let urgent = r.overdue || days.is_some_and(|d| d <= 3);
                        tr class=[urgent.then_some("overdue")] {
                            td { a href=(format!("/console/{slug}/requests/{}", r.id)) { (r.tracking_number) } }
                            td { (status_label(lang, &r.status)) }
                            td { (r.received_on) }
                            td {
                                (r.due_on.as_deref().unwrap_or("—"))
                                @if r.overdue { " " strong class="late" { (lang.t("console-request-overdue")) } }
                            }
                            @if left.is_some() {
                                td { @if let Some(d) = days { (d) } @else { "—" } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `GET /console/{slug}/requests/{id}`
async fn show(
    State(state): State<AppState>,
    req: PageReq,
    ctx: Ctx,
    desk: Desk,
    Path((_slug, id)): Path<(String, String)>,
) -> Response {
    let result = request_page(&state, &req, &ctx, &desk, &id, None).await;
    desk.finish(&req, result)
}

/// A request's page; `failed` is a step form that came back with errors.
pub async fn request_page(
    state: &AppState,
    req: &PageReq,
    ctx: &Ctx,
    desk: &Desk,
    id: &str,
    failed: Option<Failed>,
) -> PageResult {
    let lang = req.lang;
    let tenant = &desk.tenant.as_ref().expect("a tenant route").tenant;
    // Unknown here (another agency's id included): 404, as the API answers. Who may
    // open the applicant's data is the API's rule (`requests::routes::reader`), and
    // the read is audited there.
    let reader = crate::requests::routes::reader(state, ctx).await?;
    let view = match requests::view(&state.requests, tenant, id, &reader).await? {
        RequestRead::Full(view) => *view,
        RequestRead::Oversight(o) => return Ok(oversight_page(req, desk, &o)),
    };
    let forms = request_steps::forms(state, lang, desk, id, failed.as_ref()).await?;
    let title =
        crate::web::layout::labelled(lang, "console-request-title", &view.summary.tracking_number);
    let main = html! {
        h1 { (title) }
        (facts(lang, &view, &format!("/api/v1/tenants/{}/requests/{id}", tenant.slug)))
        section aria-labelledby="due-title" {
            h2 id="due-title" { (lang.t("console-request-deadline")) }
            (deadline(lang, &view))
        }
        section aria-labelledby="steps-title" {
            h2 id="steps-title" { (lang.t("console-request-steps")) }
            (forms)
        }
        section aria-labelledby="answers-title" {
            h2 id="answers-title" { (lang.t("console-request-answers")) }
            @if view.answers.is_empty() { p { (lang.t("console-request-no-answer")) } }
            @for a in &view.answers {
                article class="answer" {
                    h3 { (a.outcome_code) " " (a.outcome_label) " · " (a.status) }
                    pre class="reply" { (a.reply_text) }
                    @if let Some(c) = &a.comments { p { (c) } }
                }
            }
        }
        section aria-labelledby="timeline-title" {
            h2 id="timeline-title" { (lang.t("console-request-timeline")) }
            ol class="timeline" {
                @for e in &view.timeline {
                    li {
                        span class="mono" { (e.on) } " "
                        strong { (lang_or(lang, &format!("console-event-{}", e.kind), &e.kind)) }
                        @if e.details.as_object().is_some_and(|o| !o.is_empty()) {
                            " " code { (e.details.to_string()) }
                        }
                    }
                }
            }
        }
    };
    Ok(desk.page(req, &title, main))
}

/// A request read through oversight only: status and due date, no personal data.
fn oversight_page(req: &PageReq, desk: &Desk, o: &OversightView) -> crate::web::PageResponse {
    let lang = req.lang;
    let title =
        crate::web::layout::labelled(lang, "console-request-title", &o.summary.tracking_number);
    let main = html! {
        h1 { (title) }
        p { (crate::web::layout::labelled(lang, "console-request-status", &status_label(lang, &o.summary.status))) }
        section aria-labelledby="due-title" {
            h2 id="due-title" { (lang.t("console-request-deadline")) }
            (deadline_of(lang, &o.deadline))
        }
    };
    desk.page(req, &title, main)
}

fn lang_or(lang: Lang, key: &str, fallback: &str) -> String {
    let text = lang.t(key);
    if text == key {
        fallback.to_string()
    } else {
        text
    }
}

/// The request's facts; `api` is the request's API address, under which the applicant's
/// documents are fetched (each fetch audited).
fn facts(lang: Lang, view: &StaffView, api: &str) -> Markup {
    let a = &view.applicant;
    let rows: Vec<(&str, String)> = vec![
        (
            "console-request-status",
            status_label(lang, &view.summary.status),
        ),
        ("console-request-received", view.summary.received_on.clone()),
        (
            "console-request-applicant",
            a.organisation
                .clone()
                .map_or(a.name.clone(), |o| format!("{o}（{}）", a.name)),
        ),
        (
            "console-request-contact",
            [a.phone.clone(), a.email.clone(), a.address.clone()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" · "),
        ),
        (
            "console-request-delivery",
            format!("{} / {}", view.delivery_method, view.delivery_form),
        ),
    ];
    html! {
        dl class="item-facts" {
            @for (key, value) in &rows {
                dt { (lang.t(key)) }
                dd { (value) }
            }
            dt { (lang.t("console-request-description")) }
            dd { p class="description" { (view.description) } }
            @if !view.documents.is_empty() {
                dt { (lang.t("console-request-documents")) }
                dd {
                    ul class="documents" {
                        @for d in &view.documents {
                            li {
                                a href={ (api) "/documents/" (d.id) } download { (d.file_name) }
                                " (" (d.media_type) ", " (crate::web::layout::file_size(d.size_bytes)) ")"
                            }
                        }
                    }
                }
            }
        }
    }
}

fn deadline(lang: Lang, view: &StaffView) -> Markup {
    deadline_of(lang, &view.deadline)
}

fn deadline_of(lang: Lang, d: &crate::requests::model::DeadlineView) -> Markup {
    html! {
        @if let Some(due) = &d.due {
            p class=[d.overdue.then_some("late")] {
                (crate::web::layout::labelled(lang, "console-request-due-on", due))
                @if let Some(left) = d.working_days_left {
                    " · " (lang.tr("console-request-days-left", &[("days", left.into())]))
                }
                @if d.overdue { " · " strong { (lang.t("console-request-overdue")) } }
            }
        }
        @if let Some(m) = &d.message { p { (in_lang(lang, m)) } }
        @if !d.explanation.is_empty() {
            ol class="explanation" {
                @for line in &d.explanation {
                    li { (in_lang(lang, line)) }
                }
            }
        }
    }
}

/// A line written "中文 / English", in the page's language.
fn in_lang(lang: Lang, line: &str) -> &str {
    match (line.split_once(" / "), lang) {
        (Some((zh, _)), Lang::Zh) => zh,
        (Some((_, en)), Lang::En) => en,
        _ => line,
    }
}
