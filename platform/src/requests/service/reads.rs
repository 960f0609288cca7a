//! What staff read: one request in full, the filtered list, counts by outcome.

use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

use super::clock::{clock_events, deadline_view};
use super::{day, open_applicant, open_description, parse_day};
use crate::audit;
use crate::kernel::actor::Actor;
use crate::kernel::error::{check, Error, FieldProblem, Result};
use crate::requests::model::{OversightView, RequestRead, RequestSummary, StaffView};
use crate::requests::store::{self, EventRow, RequestRow};
use crate::requests::Requests;
use crate::tenancy::Tenant;
use gongkai_rules::requests::outcome::Outcome;

fn summary(row: &RequestRow, today: NaiveDate) -> RequestSummary {
    let open = matches!(row.due_state.as_str(), "due" | "paused" | "awaiting_fee");
    RequestSummary {
        id: row.id.clone(),
        tracking_number: row.tracking_number.clone(),
        applicant_type: row.applicant_type.clone(),
        status: row.phase().into(),
        received_on: row.received_on.clone(),
        due_state: row.due_state.clone(),
        due_on: row.due_on.clone(),
        overdue: open
            && row
                .due_on
                .as_deref()
                .and_then(day)
                .is_some_and(|d| d < today),
        assignee_id: row.assignee_id.clone(),
        department: row.department.clone(),
        outcome_code: row.outcome_code.clone(),
        extended: row.state.extended,
        fee_pending: row.state.fee_pending,
    }
}

/// Who reads a request, and so what they see of it.
pub enum Reader {
    /// Holds `requests:personal_data`: sees everything, and the read is audited.
    PersonalData(Actor),
    /// Reads through oversight or administration only: the [`OversightView`].
    Oversight,
}

/// One request as `reader` may see it. A full read is written to the tenant's audit
/// chain in the same transaction that reads the data.
pub async fn view(
    requests: &Requests,
    tenant: &Tenant,
    id: &str,
    reader: &Reader,
) -> Result<RequestRead> {
    let cal = requests
        .calendar
        .for_tenant(&requests.db, &tenant.id)
        .await?;
    let today = requests.clock.today();
    let mut tx = match reader {
        Reader::PersonalData(_) => requests.db.tenant(&tenant.id).await?,
        Reader::Oversight => requests.db.tenant_read(&tenant.id).await?,
    };
    let row = store::get(&mut tx, id, false)
        .await?
        .ok_or_else(|| Error::NotFound(format!("request {id}")))?;
    let events = store::events(&mut tx, id).await?;
    let answers = store::answers(&mut tx, id).await?;
    let fees = store::fees(&mut tx, id).await?;
    let remedies = store::remedies(&mut tx, Some(id)).await?;
    let documents = store::documents(&mut tx, id).await?;
    let clock = clock_events(&events);
    let deadline = deadline_view(row.phase(), &clock, &cal, today);
    let Reader::PersonalData(actor) = reader else {
        tx.commit().await?;
        return Ok(RequestRead::Oversight(Box::new(OversightView {
            summary: summary(&row, today),
            answered_on: row.answered_on.clone(),
            deadline,
            events: events.len(),
            answers: answers.len(),
            fees: fees.len(),
            remedies: remedies.len(),
        })));
    };
    audit::append(
        &mut tx,
        actor,
        "request.personal_data.read",
        "request",
        id,
        json!({"tracking_number": row.tracking_number}),
    )
    .await?;
    tx.commit().await?;
    Ok(RequestRead::Full(Box::new(StaffView {
        summary: summary(&row, today),
        applicant: open_applicant(requests, &row)?,
        description: open_description(requests, &row)?,
        delivery_method: row.delivery_method.clone(),
        delivery_form: row.delivery_form.clone(),
        language: row.language.clone(),
        referred_to: row.referred_to.clone(),
        correction_used: row.state.correction_used,
        open_consultations: row.open_consultations(),
        deadline,
        timeline: events.iter().map(EventRow::view).collect(),
        answers,
        fees,
        remedies,
        documents,
    })))
}

#[derive(Debug, Default, Deserialize, ToSchema, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// A phase, e.g. `assigned`.
    pub status: Option<String>,
    /// An officer's user id.
    pub assignee: Option<String>,
    /// Open requests due before this day (YYYY-MM-DD).
    pub due_before: Option<String>,
    /// `true`: open requests past their due date.
    pub overdue: Option<bool>,
    pub limit: Option<i64>,
}

pub async fn list(
    requests: &Requests,
    tenant: &Tenant,
    q: ListQuery,
) -> Result<Vec<RequestSummary>> {
    let today = requests.clock.today();
    if let Some(d) = &q.due_before {
        parse_day("due_before", d)?;
    }
    let filter = store::ListFilter {
        status: q.status,
        assignee_id: q.assignee,
        due_before: q.due_before,
        overdue_on: q.overdue.unwrap_or(false).then(|| today.to_string()),
        limit: q.limit.unwrap_or(200),
    };
    let mut tx = requests.db.tenant_read(&tenant.id).await?;
    let rows = store::list(&mut tx, &filter).await?;
    tx.commit().await?;
    Ok(rows.iter().map(|r| summary(r, today)).collect())
}

#[derive(Debug, serde::Serialize, ToSchema)]
pub struct OutcomeCount {
    pub outcome_code: String,
    pub label: String,
    pub count: i64,
}

/// Requests concluded in `from..=to`, counted by outcome (every code listed, zeros too).
pub async fn outcome_counts(
    requests: &Requests,
    tenant: &Tenant,
    from: &str,
    to: &str,
) -> Result<Vec<OutcomeCount>> {
    let mut problems = Vec::new();
    if day(from).is_none() {
        problems.push(FieldProblem::new("from", "a date as YYYY-MM-DD"));
    }
    if day(to).is_none() {
        problems.push(FieldProblem::new("to", "a date as YYYY-MM-DD"));
    }
    check(problems)?;
    let mut tx = requests.db.tenant_read(&tenant.id).await?;
    let counts = store::outcome_counts(&mut tx, from, to).await?;
    tx.commit().await?;
    Ok(Outcome::all()
        .map(|o| OutcomeCount {
            outcome_code: o.code().into(),
            label: o.row_heading(),
            count: counts
                .iter()
                .find(|(c, _)| c == o.code())
                .map(|(_, n)| *n)
                .unwrap_or(0),
        })
        .collect())
}
