//! `GET /console/{slug}/reports`: the agency's reports by year, and the form that drafts
//! a year (or counts a draft again); `POST` drafts and opens the report, or shows the
//! refusal (a future year, a year with no records) beside the year, the value kept.

use axum::body::Bytes;
use axum::extract::{FromRef, State};
use axum::http::Method;
use axum::response::Response;
use chrono::Datelike;
use maud::html;

use super::{input, summary, Refused, MONTHLY_API, REPORT_API};
use crate::app::AppState;
use crate::console::{field, form, see_other, Desk};
use crate::disclosure::Disclosure;
use crate::http::access::Ctx;
use crate::kernel::error::{Error, FieldProblem};
use crate::reports::{service, Reports};
use crate::web::error::PageResult;
use crate::web::PageReq;

pub fn reports(state: &AppState) -> Reports {
    Reports::new(Disclosure::from_ref(state))
}

pub async fn page(State(state): State<AppState>, req: PageReq, desk: Desk) -> Response {
    let result = render(&state, &req, &desk, None, &[]).await;
    desk.finish(&req, result)
}

pub async fn draft(
    State(state): State<AppState>,
    req: PageReq,
    ctx: Ctx,
    desk: Desk,
    body: Bytes,
) -> Response {
    let tenant = desk.tenant.as_ref().expect("a tenant route").tenant.clone();
    let pairs = form(&body);
    let typed = field(&pairs, "year").trim().to_string();
    let done = match typed.parse::<i32>() {
        Ok(year) => service::draft(&reports(&state), &tenant, &ctx.actor(), year)
            .await
            .map(|_| year),
        Err(_) => Err(Error::invalid(
            "year",
            "write the year as four digits, e.g. 2025",
        )),
    };
    let refused = match done {
        Ok(year) => return see_other(&format!("/console/{}/reports/{year}", tenant.slug), &[]),
        Err(err) => match Refused::of(err) {
            Ok(r) => r,
            Err(other) => return desk.finish(&req, Err(other.into())),
        },
    };
    let (problems, refusal, status) = (refused.problems, refused.refusal, refused.status);
    let result = render(&state, &req, &desk, Some((&typed, refusal)), &problems)
        .await
        .map(|p| p.status(status));
    desk.finish(&req, result)
}

async fn render(
    state: &AppState,
    req: &PageReq,
    desk: &Desk,
    typed: Option<(&str, Option<String>)>,
    problems: &[FieldProblem],
) -> PageResult {
    let lang = req.lang;
    let tenant = &desk.tenant.as_ref().expect("a tenant route").tenant;
    let slug = &tenant.slug;
    let reports = reports(state);
    let rows = service::list(&reports, tenant).await?;
    let may_draft = desk.may(state, Method::POST, REPORT_API).await?;
    let may_statistics = desk.may(state, Method::GET, MONTHLY_API).await?;
    let last_year = (reports.clock.today().year() - 1).to_string();
    let (value, refusal) = typed.unwrap_or((&last_year, None));
    let title = lang.t("console-reports-title");
    let main = html! {
        h1 { (title) }
        @if may_statistics {
            p { a href=(format!("/console/{slug}/statistics")) { (lang.t("console-statistics-title")) } }
        }
        @if rows.is_empty() {
            p { (lang.t("console-reports-none")) }
        } @else {
            table class="list" {
                caption { (lang.t("console-reports-title")) }
                thead { tr {
                    th scope="col" { (lang.t("console-reports-year")) }
                    th scope="col" { (lang.t("console-reports-status")) }
                    th scope="col" { (lang.t("console-reports-computed")) }
                } }
                tbody {
                    @for r in &rows {
                        tr {
                            td { a href=(format!("/console/{slug}/reports/{}", r.year)) { (r.year) } }
                            td { (lang.t(&format!("console-report-status-{}", r.status))) }
                            td { (r.computed_at.get(..16).unwrap_or(&r.computed_at).replace('T', " ")) }
                        }
                    }
                }
            }
        }
        @if may_draft {
            section aria-labelledby="draft-title" {
                h2 id="draft-title" { (lang.t("console-reports-draft")) }
                p { (lang.t("console-reports-draft-help")) }
                (summary(lang, problems))
                @if let Some(message) = &refusal {
                    p class="refusal" role="alert" { (message) }
                }
                form method="post" action=(format!("/console/{slug}/reports")) {
                    (desk.csrf_field())
                    (input(lang, "year", "console-reports-year", value, "text", problems))
                    button type="submit" { (lang.t("console-reports-draft-button")) }
                }
            }
        }
    };
    Ok(desk.page(req, &title, main))
}
