//! `GET /console/{slug}/reports/{year}`: the report as staff work on it. The cross-checks
//! that fail are listed first, each naming its cell and linking to it; tables 2–4 as
//! printed, every figure linked to the records it counts and an adjusted one marked
//! with the counted value beside it; the sections form; submission, which makes the
//! report's item and opens it, where it is sent to review like any item.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::Method;
use axum::response::Response;
use maud::{html, Markup};

use super::list::reports;
use super::{
    anchor, input, input_labelled, summary, Refused, CARRIED_API, COMPARE_API, SECTIONS_API,
    SUBMIT_API,
};
use crate::app::AppState;
use crate::console::{field, form, see_other, Desk};
use crate::http::access::Ctx;
use crate::kernel::error::FieldProblem;
use crate::reports::model::{CellView, PriorCarriedInput, ReportView, SectionsInput};
use crate::reports::service;
use crate::web::error::PageResult;
use crate::web::{Lang, PageReq};
use gongkai_rules::annual_report::layout::{self, format_figure};
use gongkai_rules::annual_report::Column;

/// What came back from a form of the page.
#[derive(Default)]
struct Failed {
    /// The sections as typed.
    values: Vec<(String, String)>,
    problems: Vec<FieldProblem>,
    /// A refusal of the whole action (a year not over, a report no longer a draft).
    refusal: Option<String>,
    /// Which form: `sections`, `carried` or `submit` (whose failures are the checks
    /// listed on the page anyway).
    form: &'static str,
}

pub async fn show(
    State(state): State<AppState>,
    req: PageReq,
    desk: Desk,
    Path((_slug, year)): Path<(String, i32)>,
) -> Response {
    let result = render(&state, &req, &desk, year, &Failed::default()).await;
    desk.finish(&req, result)
}

pub async fn save_sections(
    State(state): State<AppState>,
    req: PageReq,
    ctx: Ctx,
    desk: Desk,
    Path((_slug, year)): Path<(String, i32)>,
    body: Bytes,
) -> Response {
    let tenant = desk.tenant.as_ref().expect("a tenant route").tenant.clone();
    let pairs = form(&body);
    let input = SectionsInput {
        overview: Some(field(&pairs, "overview").to_string()),
        problems: Some(field(&pairs, "problems").to_string()),
        other_matters: Some(field(&pairs, "other_matters").to_string()),
    };
    let done = service::edit_sections(&reports(&state), &tenant, &ctx.actor(), year, input).await;
    answer(&state, &req, &desk, year, done.map(drop), pairs, "sections").await
}

/// The six applicant columns of last year's row 四, typed in with a reason, for a
/// first year on the platform (no report of last year to carry over from).
pub async fn save_carried(
    State(state): State<AppState>,
    req: PageReq,
    ctx: Ctx,
    desk: Desk,
    Path((_slug, year)): Path<(String, i32)>,
    body: Bytes,
) -> Response {
    let tenant = desk.tenant.as_ref().expect("a tenant route").tenant.clone();
    let pairs = form(&body);
    let mut columns = std::collections::BTreeMap::new();
    let mut problems = Vec::new();
    for c in Column::APPLICANTS {
        let name = format!("columns.{}", c.code());
        match field(&pairs, &name).trim() {
            "" => {}
            text => match text.parse::<i64>() {
                Ok(n) => {
                    columns.insert(c.code().to_string(), n);
                }
                Err(_) => problems.push(FieldProblem::new(name, "a whole number, 0 or more")),
            },
        }
    }
    let done = if problems.is_empty() {
        let input = PriorCarriedInput {
            columns,
            reason: Some(field(&pairs, "carried_reason").to_string()),
        };
        service::set_prior_carried(&reports(&state), &tenant, &ctx.actor(), year, input)
            .await
            .map(drop)
            .map_err(|e| match e {
                // The service names the reason `reason`; on this page it is `carried_reason`.
                crate::kernel::error::Error::Invalid(ps) => crate::kernel::error::Error::Invalid(
                    ps.into_iter()
                        .map(|mut p| {
                            if p.field == "reason" {
                                p.field = "carried_reason".into();
                            }
                            p
                        })
                        .collect(),
                ),
                other => other,
            })
    } else {
        // Every problem at once: the reason's too.
        if field(&pairs, "carried_reason").trim().is_empty() {
            problems.push(FieldProblem::new(
                "carried_reason",
                "say where the figures come from",
            ));
        }
        Err(crate::kernel::error::Error::Invalid(problems))
    };
    answer(&state, &req, &desk, year, done, pairs, "carried").await
}

pub async fn submit(
    State(state): State<AppState>,
    req: PageReq,
    ctx: Ctx,
    desk: Desk,
    Path((_slug, year)): Path<(String, i32)>,
) -> Response {
    let tenant = desk.tenant.as_ref().expect("a tenant route").tenant.clone();
    match service::submit(&reports(&state), &tenant, &ctx.actor(), year).await {
        // The report's item, to be sent to review from its page.
        Ok(view) => match view.item_id {
            Some(item) => see_other(&format!("/console/{}/items/{item}", tenant.slug), &[]),
            None => see_other(&format!("/console/{}/reports/{year}", tenant.slug), &[]),
        },
        Err(err) => answer(&state, &req, &desk, year, Err(err), Vec::new(), "submit").await,
    }
}

/// `303` back to the report, or the report again with the failure (422, 409).
async fn answer(
    state: &AppState,
    req: &PageReq,
    desk: &Desk,
    year: i32,
    done: crate::kernel::error::Result<()>,
    values: Vec<(String, String)>,
    form: &'static str,
) -> Response {
    let slug = desk.slug().unwrap_or_default().to_string();
    let refused = match done {
        Ok(()) => return see_other(&format!("/console/{slug}/reports/{year}"), &[]),
        Err(err) => match Refused::of(err) {
            Ok(r) => r,
            Err(other) => return desk.finish(req, Err(other.into())),
        },
    };
    let status = refused.status;
    // A refused submission lists the failing checks, which the page shows anyway.
    let submit = form == "submit";
    let failed = Failed {
        values,
        problems: if submit { Vec::new() } else { refused.problems },
        form: if submit && refused.refusal.is_some() {
            ""
        } else {
            form
        },
        refusal: refused.refusal,
    };
    let result = render(state, req, desk, year, &failed)
        .await
        .map(|p| p.status(status));
    desk.finish(req, result)
}

/// A figure as a link to its records; an adjusted one marked, the counted value beside.
fn figure(
    lang: Lang,
    slug: &str,
    year: i32,
    c: &CellView,
    cell: gongkai_rules::annual_report::Cell,
) -> Markup {
    let href = format!("/console/{slug}/reports/{year}/cells/{}", c.cell);
    html! {
        a id=(anchor(&c.cell)) href=(href) title=(c.label) { (format_figure(cell, c.value)) }
        @if c.adjusted {
            " "
            span class="adjusted" {
                (lang.tr("console-report-adjusted", &[("computed", format_figure(cell, c.computed).into())]))
            }
        }
    }
}

async fn render(
    state: &AppState,
    req: &PageReq,
    desk: &Desk,
    year: i32,
    failed: &Failed,
) -> PageResult {
    let lang = req.lang;
    let tenant = &desk.tenant.as_ref().expect("a tenant route").tenant;
    let slug = tenant.slug.clone();
    let view: ReportView = service::get(&reports(state), tenant, year).await?;
    let draft = view.status == "draft";
    let may_write = draft && desk.may(state, Method::PUT, SECTIONS_API).await?;
    let may_submit = draft && desk.may(state, Method::POST, SUBMIT_API).await?;
    let may_compare = desk.may(state, Method::GET, COMPARE_API).await?;
    // Typed in only when the platform has no report of last year (its row 四 counts).
    let may_carry = draft
        && desk.may(state, Method::PUT, CARRIED_API).await?
        && !service::list(&reports(state), tenant)
            .await?
            .iter()
            .any(|r| r.year == i64::from(year) - 1);
    let none: &[FieldProblem] = &[];
    let sections_problems = if failed.form == "sections" {
        &failed.problems[..]
    } else {
        none
    };
    let carried_problems = if failed.form == "carried" {
        &failed.problems[..]
    } else {
        none
    };
    let cells: std::collections::BTreeMap<&str, &CellView> =
        view.cells.iter().map(|c| (c.cell.as_str(), c)).collect();
    let show = |cell: gongkai_rules::annual_report::Cell| -> Markup {
        match cells.get(cell.to_string().as_str()) {
            Some(c) => figure(lang, &slug, year, c, cell),
            None => html! { "—" },
        }
    };
    let section_value = |name: &str, saved: &str| -> String {
        if failed.form != "sections" {
            saved.to_string()
        } else {
            field(&failed.values, name).to_string()
        }
    };
    let title = lang.tr("console-report-title", &[("year", year.to_string().into())]);
    let main = html! {
        h1 { (title) }
        p {
            (lang.t(&format!("console-report-status-{}", view.status)))
            " · "
            (crate::web::layout::labelled(lang, "console-reports-computed", &view.computed_at.get(..16).unwrap_or(&view.computed_at).replace('T', " ")))
            @if let Some(item) = &view.item_id {
                " · " a href=(format!("/console/{slug}/items/{item}")) { (lang.t("console-report-item")) }
            }
            @if may_compare {
                " · " a href=(format!("/console/{slug}/reports/{year}/compare")) { (lang.t("console-compare-title")) }
            }
        }
        @if let Some(message) = &failed.refusal {
            p class="refusal" role="alert" { (message) }
        }
        @if !view.checks.is_empty() {
            div class="error-summary" role=[(failed.form == "submit").then_some("alert")] tabindex="-1" id="checks" {
                h2 { (lang.t(if failed.form == "submit" { "console-report-submit-refused" } else { "console-report-checks" })) }
                ul {
                    @for p in &view.checks {
                        li {
                            @if p.field.starts_with('t') { a href=(format!("#{}", anchor(&p.field))) { (p.message) } }
                            @else { (p.message) }
                        }
                    }
                }
            }
        }
        p { (lang.t("console-report-figures-help")) }
        @for t in layout::tables() {
            section class="report-section" {
                h2 { (t.section) }
                (crate::reports::render::html::table_with(&t, &show))
            }
        }
        @if may_write {
            section aria-labelledby="sections-title" {
                h2 id="sections-title" { (lang.t("console-report-sections")) }
                @if failed.form == "sections" { (summary(lang, &failed.problems)) }
                form method="post" action=(format!("/console/{slug}/reports/{year}/sections")) {
                    (desk.csrf_field())
                    (input(lang, "overview", "console-report-overview", &section_value("overview", &view.sections.overview), "area", sections_problems))
                    (input(lang, "problems", "console-report-problems", &section_value("problems", &view.sections.problems), "area", sections_problems))
                    (input(lang, "other_matters", "console-report-other", &section_value("other_matters", &view.sections.other_matters), "area", sections_problems))
                    button type="submit" { (lang.t("console-report-save")) }
                }
            }
        } @else {
            section aria-labelledby="sections-title" {
                h2 id="sections-title" { (lang.t("console-report-sections")) }
                @for (label, text) in [("console-report-overview", &view.sections.overview), ("console-report-problems", &view.sections.problems), ("console-report-other", &view.sections.other_matters)] {
                    h3 { (lang.t(label)) }
                    p class="pre" { (text) }
                }
            }
        }
        @if may_carry {
            section aria-labelledby="carried-title" {
                h2 id="carried-title" { (lang.tr("console-report-carried", &[("previous", (year - 1).to_string().into())])) }
                p { (lang.t("console-report-carried-help")) }
                @if let Some(set) = &view.prior_carried {
                    p { (crate::web::layout::labelled(lang, "console-figure-reason", &set.reason)) }
                }
                @if failed.form == "carried" { (summary(lang, &failed.problems)) }
                form method="post" action=(format!("/console/{slug}/reports/{year}/prior-carried")) {
                    (desk.csrf_field())
                    fieldset {
                        legend { (lang.t("console-report-carried-columns")) }
                        @for c in Column::APPLICANTS {
                            @let name = format!("columns.{}", c.code());
                            @let saved = view.prior_carried.as_ref().and_then(|p| p.columns.get(c.code())).map(|n| n.to_string()).unwrap_or_default();
                            @let value = if failed.form == "carried" { field(&failed.values, &name).to_string() } else { saved };
                            (input_labelled(&name, c.label_zh(), &value, carried_problems))
                        }
                    }
                    (input(lang, "carried_reason", "console-figure-reason", &if failed.form == "carried" { field(&failed.values, "carried_reason").to_string() } else { String::new() }, "area", carried_problems))
                    button type="submit" { (lang.t("console-report-carried-save")) }
                }
            }
        }
        @if may_submit {
            section aria-labelledby="submit-title" {
                h2 id="submit-title" { (lang.t("console-report-submit")) }
                p { (lang.t("console-report-submit-help")) }
                form method="post" action=(format!("/console/{slug}/reports/{year}/submit")) {
                    (desk.csrf_field())
                    button type="submit" { (lang.t("console-report-submit")) }
                }
            }
        }
    };
    Ok(desk.page(req, &title, main))
}
