//! `GET /console/{slug}/reports/{year}/cells/{cell}`: one figure — its value, the value
//! counted from the records and any adjustment with its reason — the records it counts
//! ("why is this 13?"), and the form that adjusts it: a reason is required, and a
//! refusal comes back beside the field with the values kept.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::Method;
use axum::response::Response;
use maud::html;

use super::list::reports;
use super::{anchor, input, summary, Refused, CELL_API};
use crate::app::AppState;
use crate::console::{field, form, see_other, Desk};
use crate::http::access::Ctx;
use crate::kernel::error::{Error, FieldProblem};
use crate::reports::model::AdjustInput;
use crate::reports::service;
use crate::web::error::PageResult;
use crate::web::PageReq;
use gongkai_rules::annual_report::layout::format_figure;
use gongkai_rules::annual_report::Cell;

pub async fn show(
    State(state): State<AppState>,
    req: PageReq,
    desk: Desk,
    Path((_slug, year, cell)): Path<(String, i32, String)>,
) -> Response {
    let result = render(&state, &req, &desk, year, &cell, &[], &[]).await;
    desk.finish(&req, result)
}

pub async fn adjust(
    State(state): State<AppState>,
    req: PageReq,
    ctx: Ctx,
    desk: Desk,
    Path((_slug, year, cell)): Path<(String, i32, String)>,
    body: Bytes,
) -> Response {
    let tenant = desk.tenant.as_ref().expect("a tenant route").tenant.clone();
    let pairs = form(&body);
    let typed = field(&pairs, "value").trim();
    // An empty value returns the figure to the counted one.
    let value = match typed {
        "" => Ok(None),
        text => text.parse::<i64>().map(Some).map_err(|_| {
            FieldProblem::new(
                "value",
                "a whole number, or nothing to use the counted value",
            )
        }),
    };
    let reason = Some(field(&pairs, "reason").to_string());
    let done = match value {
        Ok(value) => {
            let input = AdjustInput { value, reason };
            service::adjust(&reports(&state), &tenant, &ctx.actor(), year, &cell, input)
                .await
                .map(drop)
        }
        Err(problem) => {
            // The reason is checked too, so that every problem shows at once.
            let mut problems = vec![problem];
            if let Err(Error::Invalid(more)) = service::required_reason(reason.as_deref()) {
                problems.extend(more);
            }
            Err(Error::Invalid(problems))
        }
    };
    let refused = match done {
        Ok(()) => {
            return see_other(
                &format!("/console/{}/reports/{year}#{}", tenant.slug, anchor(&cell)),
                &[],
            )
        }
        Err(err) => match Refused::of(err) {
            Ok(r) => r,
            Err(other) => return desk.finish(&req, Err(other.into())),
        },
    };
    let status = refused.status;
    let problems = refused.all();
    let result = render(&state, &req, &desk, year, &cell, &pairs, &problems)
        .await
        .map(|p| p.status(status));
    desk.finish(&req, result)
}

async fn render(
    state: &AppState,
    req: &PageReq,
    desk: &Desk,
    year: i32,
    cell: &str,
    typed: &[(String, String)],
    problems: &[FieldProblem],
) -> PageResult {
    let lang = req.lang;
    let tenant = &desk.tenant.as_ref().expect("a tenant route").tenant;
    let slug = &tenant.slug;
    let reports = reports(state);
    let fig = service::figure(&reports, tenant, year, cell, Some(500)).await?;
    let parsed: Cell = fig.cell.cell.parse().map_err(Error::internal_from)?;
    let report = service::get(&reports, tenant, year).await?;
    let may_adjust = report.status == "draft" && desk.may(state, Method::PUT, CELL_API).await?;
    // Where a record is seen in the console: a request's or an item's page.
    let href = |id: &str| match parsed {
        Cell::T2(..) => Some(format!("/console/{slug}/items/{id}")),
        Cell::T3(..) => Some(format!("/console/{slug}/requests/{id}")),
        Cell::T4(..) => None,
    };
    let c = &fig.cell;
    let (value, reason) = if typed.is_empty() {
        (
            if c.adjusted {
                c.value.to_string()
            } else {
                String::new()
            },
            c.reason.clone().unwrap_or_default(),
        )
    } else {
        (
            field(typed, "value").to_string(),
            field(typed, "reason").to_string(),
        )
    };
    let title = c.label.clone();
    let main = html! {
        p { a href=(format!("/console/{slug}/reports/{year}#{}", anchor(&c.cell))) { (lang.tr("console-report-title", &[("year", year.to_string().into())])) } }
        h1 { (title) }
        dl class="facts" {
            dt { (lang.t("console-figure-value")) } dd { (format_figure(parsed, c.value)) }
            dt { (lang.t("console-figure-computed")) } dd { (format_figure(parsed, c.computed)) }
            @if let Some(r) = &c.reason {
                dt { (lang.t("console-figure-reason")) }
                dd { (r) " (" (c.adjusted_by.clone().unwrap_or_default()) ", " (c.adjusted_at.clone().unwrap_or_default().get(..16).unwrap_or("").replace('T', " ")) ")" }
            }
        }
        section aria-labelledby="records-title" {
            h2 id="records-title" { (lang.tr("console-figure-records", &[("count", (fig.records.len() as i64).into())])) }
            @if fig.records.is_empty() {
                p { (lang.t("console-figure-no-records")) }
            } @else {
                ul class="records" {
                    @for r in &fig.records {
                        li {
                            @match href(&r.id) {
                                Some(h) => a href=(h) { (r.title) },
                                None => (r.title),
                            }
                        }
                    }
                }
                @if fig.truncated { p { (lang.t("console-figure-truncated")) } }
            }
        }
        @if may_adjust {
            section aria-labelledby="adjust-title" {
                h2 id="adjust-title" { (lang.t("console-figure-adjust")) }
                p { (lang.t("console-figure-adjust-help")) }
                (summary(lang, problems))
                form method="post" action=(format!("/console/{slug}/reports/{year}/cells/{}", c.cell)) {
                    (desk.csrf_field())
                    (input(lang, "value", "console-figure-new-value", &value, "text", problems))
                    (input(lang, "reason", "console-figure-reason", &reason, "area", problems))
                    button type="submit" { (lang.t("console-figure-save")) }
                }
            }
        }
    };
    Ok(desk.page(req, &title, main))
}
