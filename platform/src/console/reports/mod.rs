//! The console's annual reports and statistics: the reports of the agency and a form to
//! draft a year (`list`); a report's tables with every figure linked to the records it
//! counts, adjusted figures marked, the cross-checks that fail naming their cells, the
//! sections and submission (`report`); one figure's records and its adjustment form
//! (`figure`); the monthly counts, a government's ranking and the year-on-year
//! comparison with their charts (`statistics`).
//!
//! Each page mirrors an API route and is registered with that route's rule; the pages
//! call the same services as the API.

mod figure;
mod list;
mod report;
mod statistics;

use axum::http::{Method, StatusCode};
use maud::{html, Markup};

use crate::http::Routes;
use crate::kernel::error::{Error, FieldProblem};
use crate::web::Lang;

pub const REPORT_API: &str = "/api/v1/tenants/{slug}/reports/{year}";
const CELL_API: &str = "/api/v1/tenants/{slug}/reports/{year}/cells/{cell}";
const FIGURE_API: &str = "/api/v1/tenants/{slug}/reports/{year}/figures/{cell}";
const SECTIONS_API: &str = "/api/v1/tenants/{slug}/reports/{year}/sections";
const SUBMIT_API: &str = "/api/v1/tenants/{slug}/reports/{year}/submit";
const CARRIED_API: &str = "/api/v1/tenants/{slug}/reports/{year}/prior-carried";
pub const MONTHLY_API: &str = "/api/v1/tenants/{slug}/statistics/monthly";
const RANKING_API: &str = "/api/v1/tenants/{slug}/statistics/ranking";
const COMPARE_API: &str = "/api/v1/tenants/{slug}/statistics/year-on-year/{year}";

pub fn routes(r: Routes) -> Routes {
    let read = r.access_of(&Method::GET, REPORT_API);
    let draft = r.access_of(&Method::POST, REPORT_API);
    let figure = r.access_of(&Method::GET, FIGURE_API);
    let adjust = r.access_of(&Method::PUT, CELL_API);
    let sections = r.access_of(&Method::PUT, SECTIONS_API);
    let submit = r.access_of(&Method::POST, SUBMIT_API);
    let carried = r.access_of(&Method::PUT, CARRIED_API);
    let monthly = r.access_of(&Method::GET, MONTHLY_API);
    let ranking = r.access_of(&Method::GET, RANKING_API);
    let compare = r.access_of(&Method::GET, COMPARE_API);
    r.add_page(Method::GET, "/console/{slug}/reports", read, list::page)
        .add_page(Method::POST, "/console/{slug}/reports", draft, list::draft)
        .add_page(
            Method::GET,
            "/console/{slug}/reports/{year}",
            read,
            report::show,
        )
        .add_page(
            Method::POST,
            "/console/{slug}/reports/{year}/sections",
            sections,
            report::save_sections,
        )
        .add_page(
            Method::POST,
            "/console/{slug}/reports/{year}/prior-carried",
            carried,
            report::save_carried,
        )
        .add_page(
            Method::POST,
            "/console/{slug}/reports/{year}/submit",
            submit,
            report::submit,
        )
        .add_page(
            Method::GET,
            "/console/{slug}/reports/{year}/cells/{cell}",
            figure,
            figure::show,
        )
        .add_page(
            Method::POST,
            "/console/{slug}/reports/{year}/cells/{cell}",
            adjust,
            figure::adjust,
        )
        .add_page(
            Method::GET,
            "/console/{slug}/reports/{year}/compare",
            compare,
            statistics::compare,
        )
        .add_page(
            Method::GET,
            "/console/{slug}/statistics",
            monthly,
            statistics::monthly,
        )
        .add_page(
            Method::GET,
            "/console/{slug}/statistics/ranking",
            ranking,
            statistics::ranking,
        )
}

/// The anchor of a figure in the report page (`c-t3-3_4-person`).
fn anchor(cell: &str) -> String {
    format!("c-{}", cell.replace(':', "-").replace('.', "_"))
}

fn problem<'a>(problems: &'a [FieldProblem], name: &str) -> Option<&'a str> {
    problems
        .iter()
        .find(|p| p.field == name)
        .map(|p| p.message.as_str())
}

/// A labelled input or text area (`label` a catalogue key), its problem beside it, the
/// value kept.
fn input(
    lang: Lang,
    id: &str,
    label: &str,
    value: &str,
    kind: &str,
    problems: &[FieldProblem],
) -> Markup {
    field_of(id, &lang.t(label), value, kind, problems)
}

/// A number input labelled by text of the report's format (a column of table 3).
fn input_labelled(id: &str, label: &str, value: &str, problems: &[FieldProblem]) -> Markup {
    field_of(id, label, value, "text", problems)
}

fn field_of(id: &str, label: &str, value: &str, kind: &str, problems: &[FieldProblem]) -> Markup {
    let error = problem(problems, id);
    let by = error.map(|_| format!("{id}-error"));
    let invalid = error.map(|_| "true");
    html! {
        div class="field" {
            label for=(id) { (label) }
            @if let Some(message) = error {
                span class="field-error" id=(format!("{id}-error")) { (message) }
            }
            @match kind {
                "area" => textarea id=(id) name=(id) rows="6" aria-invalid=[invalid] aria-describedby=[by.as_deref()] { (value) },
                other => input id=(id) name=(id) type=(other) value=(value) aria-invalid=[invalid] aria-describedby=[by.as_deref()];,
            }
        }
    }
}

/// The problems of a form as the summary above it, each linking to its input.
fn summary(lang: Lang, problems: &[FieldProblem]) -> Markup {
    let listed: Vec<(String, String)> = problems
        .iter()
        .map(|p| {
            let href = if p.field.is_empty() {
                String::new()
            } else {
                format!("#{}", p.field)
            };
            (href, p.message.clone())
        })
        .collect();
    crate::console::items::error_summary(lang, &listed)
}

/// A refused form or choice: its problems beside the fields (422), or a refusal of the
/// whole action (409). Any other error is the error page's.
struct Refused {
    problems: Vec<FieldProblem>,
    refusal: Option<String>,
    status: StatusCode,
}

impl Refused {
    fn of(err: Error) -> Result<Refused, Error> {
        match err {
            Error::Invalid(problems) => Ok(Refused {
                problems,
                refusal: None,
                status: StatusCode::UNPROCESSABLE_ENTITY,
            }),
            Error::Conflict { message, .. } => Ok(Refused {
                problems: Vec::new(),
                refusal: Some(message),
                status: StatusCode::CONFLICT,
            }),
            other => Err(other),
        }
    }

    /// The problems, a refusal of the whole action among them (for the summary).
    fn all(self) -> Vec<FieldProblem> {
        let mut all = self.problems;
        all.extend(self.refusal.map(|m| FieldProblem::new("", m)));
        all
    }
}
