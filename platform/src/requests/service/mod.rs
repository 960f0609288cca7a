//! The request capability's operations: public submission (idempotent, rate-limited),
//! tracking by the applicant, and every step of the staff workflow. Each step checks the
//! lifecycle (`lifecycle::apply`) and the statutory clock (`deadline::compute` with the new
//! event appended) before it writes anything; a refused step changes nothing. The event,
//! the row, the audit entry and any e-mail are written in one transaction.
//!
//! One file per seam: the clock as shown, submission, tracking, the staff steps, staff
//! reads, remedies, reply templates.

mod clock;
pub mod documents;
mod reads;
mod remedies;
mod steps;
mod submission;
mod templates;
mod tracking;

use chrono::NaiveDate;

pub use clock::{clock_events, deadline_view};
pub use reads::{list, outcome_counts, view, ListQuery, OutcomeCount, Reader};
pub use remedies::{add_remedy, remedy_table, update_remedy, RemedyInput, RemedyUpdate};
pub use steps::{step, step_on, Step};
pub use submission::{submit, submit_on};
pub use templates::{put_template, templates, TemplateInput, TemplateView};
pub use tracking::{applicant_fee, applicant_step, track};

use super::model::Applicant;
use super::store::RequestRow;
use super::Requests;
use crate::kernel::error::{Error, Result};

fn day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

fn parse_day(field: &str, text: &str) -> Result<NaiveDate> {
    day(text).ok_or_else(|| Error::invalid(field, "a date as YYYY-MM-DD"))
}

fn open_applicant(requests: &Requests, row: &RequestRow) -> Result<Applicant> {
    let text = requests
        .secrets
        .open(&row.applicant_sealed)
        .map_err(Error::internal_from)?;
    serde_json::from_str(&text).map_err(|e| Error::internal_cause("applicant data", e))
}

fn open_description(requests: &Requests, row: &RequestRow) -> Result<String> {
    requests
        .secrets
        .open(&row.description_sealed)
        .map_err(Error::internal_from)
}
