//! 我的工作: what waits for the signed-in user in the current agency. Each part shows
//! only when the route table lets the user read what it lists, and reads it through
//! the same service as the API.

use axum::extract::State;
use axum::http::Method;
use axum::response::Response;
use maud::html;

use super::requests::table;
use super::{Desk, AGENCY_COOKIE};
use crate::app::AppState;
use crate::requests::model::RequestRead;
use crate::requests::service::{self as requests, ListQuery, Reader};
use crate::web::error::PageResult;
use crate::web::{Lang, PageReq};

/// `GET /console/{slug}/`: the dashboard; remembers this agency for the next sign-in.
pub async fn dashboard(State(state): State<AppState>, req: PageReq, desk: Desk) -> Response {
    let result =
        render(&state, &req, &desk).await.map(|page| {
            let slug = desk.slug().unwrap_or_default();
            page.cookie(format!(
            "{AGENCY_COOKIE}={slug}; Path=/console/; Max-Age=31536000; SameSite=Lax; HttpOnly{}",
            if state.config.cookie_secure { "; Secure" } else { "" }
        ))
        });
    desk.finish(&req, result)
}

async fn render(state: &AppState, req: &PageReq, desk: &Desk) -> PageResult {
    let lang = req.lang;
    let tenant = &desk.tenant.as_ref().expect("a tenant route").tenant;
    let roles = desk
        .agencies
        .iter()
        .find(|a| a.slug == tenant.slug)
        .map(|a| a.roles.clone())
        .unwrap_or_default();
    let reads_requests = desk
        .may(state, Method::GET, super::requests::LIST_API)
        .await?;
    let mine = if reads_requests {
        let mut list = requests::list(
            &state.requests,
            tenant,
            ListQuery {
                assignee: Some(desk.principal.user.id.clone()),
                ..ListQuery::default()
            },
        )
        .await?;
        list.retain(|r| r.due_on.is_some());
        list.sort_by(|a, b| b.overdue.cmp(&a.overdue).then(a.due_on.cmp(&b.due_on)));
        list.truncate(50);
        // Working days left, as the request's own page explains them.
        let mut left = Vec::with_capacity(list.len());
        for r in &list {
            // The summary's reading: no personal data opened, nothing to audit.
            let read = requests::view(&state.requests, tenant, &r.id, &Reader::Oversight).await?;
            let deadline = match read {
                RequestRead::Full(v) => v.deadline,
                RequestRead::Oversight(o) => o.deadline,
            };
            left.push(deadline.working_days_left);
        }
        Some((list, left))
    } else {
        None
    };
    let overdue = if reads_requests {
        Some(
            requests::list(
                &state.requests,
                tenant,
                ListQuery {
                    overdue: Some(true),
                    ..ListQuery::default()
                },
            )
            .await?,
        )
    } else {
        None
    };
    // From 1 January: last year's annual report, until its item is published.
    let report_due = if desk
        .may(state, Method::GET, "/api/v1/tenants/{slug}/reports/{year}")
        .await?
    {
        let reports = crate::reports::Reports::new(axum::extract::FromRef::from_ref(state));
        crate::reports::reminders::due(&reports, tenant).await?
    } else {
        None
    };
    let title = lang.t("console-desk-title");
    let main = html! {
        h1 { (title) }
        p class="roles" { (crate::web::layout::labelled(lang, "console-my-roles", &role_names(lang, &roles))) }
        @if let Some((list, left)) = &mine {
            section aria-labelledby="mine-title" {
                h2 id="mine-title" { (lang.t("console-desk-mine")) }
                (table(lang, desk, list, "console-desk-mine-none", Some(left)))
            }
        }
        @if let Some(list) = &overdue {
            section aria-labelledby="overdue-title" {
                h2 id="overdue-title" { (lang.t("console-desk-overdue")) }
                (table(lang, desk, list, "console-desk-overdue-none", None))
            }
        }
        @if let Some(r) = &report_due {
            @let args = [
                ("year", r.year.to_string().into()),
                ("due", r.due_on.to_string().into()),
                ("status", lang.t(&format!("console-report-status-{}", r.status)).into()),
            ];
            section aria-labelledby="report-due-title" class=(if r.overdue { "report-due overdue" } else { "report-due" }) {
                h2 id="report-due-title" { (lang.t("console-report-due-title")) }
                p role=[r.overdue.then_some("alert")] {
                    @if r.overdue { strong { (lang.tr("console-report-overdue", &args)) } }
                    @else { (lang.tr("console-report-due", &args)) }
                }
            }
        }
        @if mine.is_none() && overdue.is_none() && report_due.is_none() {
            p { (lang.t("console-desk-nothing")) }
        }
    };
    Ok(desk.page(req, &title, main))
}

/// The roles' names in the page language (the catalogue's `role-…` keys).
pub fn role_names(lang: Lang, roles: &[String]) -> String {
    let sep = match lang {
        Lang::Zh => "、",
        Lang::En => ", ",
    };
    roles
        .iter()
        .map(|r| lang.t(&format!("role-{r}")))
        .collect::<Vec<_>>()
        .join(sep)
}
