//! The request capability's operations: public submission (idempotent, rate-limited),
//! tracking by the applicant, and every step of the staff workflow. Each step checks the
//! lifecycle (`lifecycle::apply`) and the statutory clock (`deadline::compute` with the new
//! event appended) before it writes anything; a refused step changes nothing. The event,
//! the row, the audit entry and any e-mail are written in one transaction.

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use serde_json::{json, Value};
use utoipa::ToSchema;

use super::deadline::{self, ClockEvent, ClockState, DeadlineError, PauseReason};
use super::fees::{self, ChargeBasis};
use super::lifecycle::{self, AbandonReason, Action, ConsultParty, Phase};
use super::mail::{self, Outgoing};
use super::model::{
    self, Applicant, DeadlineView, PublicView, Receipt, RemedyView, RequestSummary, StaffView,
    Submission,
};
use super::outcome::Outcome;
use super::store::{self, EventRow, RequestRow};
use super::texts::{self, ApplicantMail, StaffMail};
use crate::app::AppState;
use crate::audit;
use crate::calendar::rules::{Calendar, CalendarError};
use crate::kernel::actor::Actor;
use crate::kernel::crypto::{random_token, sha256_hex};
use crate::kernel::db::{is_unique_violation, TenantTx};
use crate::kernel::error::{Error, FieldProblem, Result};
use crate::kernel::ids;
use crate::tenancy::Tenant;

fn day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

fn parse_day(field: &str, text: &str) -> Result<NaiveDate> {
    day(text).ok_or_else(|| Error::invalid(field, "a date as YYYY-MM-DD"))
}

fn open_applicant(state: &AppState, row: &RequestRow) -> Result<Applicant> {
    let text = state
        .secrets
        .open(&row.applicant_sealed)
        .map_err(Error::internal_from)?;
    serde_json::from_str(&text).map_err(|e| Error::internal_cause("applicant data", e))
}

fn open_description(state: &AppState, row: &RequestRow) -> Result<String> {
    state
        .secrets
        .open(&row.description_sealed)
        .map_err(Error::internal_from)
}

/// A keyed hash that recognises one applicant across requests without revealing who.
fn applicant_key(state: &AppState, a: &Applicant) -> String {
    let id = a
        .id_number
        .clone()
        .or_else(|| a.credit_code.clone())
        .unwrap_or_else(|| a.name.clone());
    let mut data = state.secrets.cookie_key().to_vec();
    data.extend_from_slice(b"applicant:");
    data.extend_from_slice(id.as_bytes());
    sha256_hex(&data)
}

// --- the clock ------------------------------------------------------------------------

/// The statutory clock's events in a request's timeline. The clock of an online request
/// starts on the day the agency registers it (art. 31).
pub fn clock_events(events: &[EventRow]) -> Vec<ClockEvent> {
    let mut out = Vec::new();
    for e in events {
        let Some(on) = day(&e.on) else { continue };
        let d = &e.details;
        let pause = d["pause"].as_bool().unwrap_or(false);
        let ev = match e.kind.as_str() {
            "registered" => ClockEvent::Received { on },
            "correction_requested" => ClockEvent::CorrectionRequested {
                on,
                respond_by: d["respond_by"].as_str().and_then(day).unwrap_or(on),
            },
            "corrected" => ClockEvent::Corrected { on },
            "consultation_started" if pause => ClockEvent::PauseStarted {
                on,
                reason: if d["party"] == "other_agency" {
                    PauseReason::OtherAgency
                } else {
                    PauseReason::ThirdParty
                },
            },
            "consultation_ended" if pause => ClockEvent::PauseEnded { on },
            "extended" => ClockEvent::Extended {
                on,
                working_days: d["working_days"].as_u64().unwrap_or(0) as u32,
            },
            "fee_noticed" => ClockEvent::FeeNoticed { on },
            "fee_paid" => ClockEvent::FeePaid { on },
            "delivered" => ClockEvent::Answered { on },
            _ => continue,
        };
        out.push(ev);
    }
    out
}

/// The due date as shown to applicants and staff.
pub fn deadline_view(
    row_phase: &str,
    clock: &[ClockEvent],
    cal: &Calendar,
    today: NaiveDate,
) -> DeadlineView {
    let stopped = matches!(row_phase, "withdrawn" | "abandoned");
    let mut view = DeadlineView {
        state: String::new(),
        due: None,
        provisional: false,
        working_days_left: None,
        overdue: false,
        message: None,
        explanation: Vec::new(),
    };
    if clock.is_empty() {
        view.state = if stopped {
            "stopped"
        } else {
            "awaiting_registration"
        }
        .into();
        view.message = Some(
            "网上申请以本机关登记之日为收到申请之日，答复期限自登记后起算。 / An online request counts as received on the day the agency registers it; the period starts then."
                .into(),
        );
        return view;
    }
    match deadline::compute(clock, cal, today) {
        Ok(d) => {
            view.due = d.due.map(|x| x.to_string());
            view.provisional = d.due_is_provisional;
            view.explanation = d.explanation;
            view.state = match d.state {
                _ if stopped => "stopped",
                ClockState::Running => "due",
                ClockState::AwaitingCorrection { .. } => "awaiting_correction",
                ClockState::Paused { .. } => "paused",
                ClockState::AwaitingFee { .. } => "awaiting_fee",
                ClockState::Answered { .. } => "answered",
            }
            .into();
            if !stopped && !matches!(d.state, ClockState::Answered { .. }) && d.due.is_some() {
                view.working_days_left = Some(d.working_days_left);
                view.overdue = d.overdue;
            }
        }
        Err(DeadlineError::Calendar(CalendarError::NoDataForYear(year))) => {
            view.state = if stopped { "stopped" } else { "no_calendar" }.into();
            view.message = Some(format!(
                "答复期限需待{year}年节假日安排载入后计算。 / The due date cannot be computed until the {year} holiday calendar is loaded."
            ));
        }
        Err(err) => {
            view.state = "error".into();
            view.message = Some(err.to_string());
        }
    }
    view
}

/// Refuses a step whose clock event breaks a rule of the clock; a year without calendar
/// data does not block work (the due date waits for the calendar, the request does not).
fn check_clock(clock: &[ClockEvent], cal: &Calendar, today: NaiveDate, phase: &str) -> Result<()> {
    match deadline::compute(clock, cal, today) {
        Ok(_) | Err(DeadlineError::Calendar(CalendarError::NoDataForYear(_))) => Ok(()),
        Err(err) => Err(Error::Conflict {
            message: err.to_string(),
            current_state: Some(phase.to_string()),
        }),
    }
}

fn summary(row: &RequestRow, today: NaiveDate) -> RequestSummary {
    let open = matches!(row.due_state.as_str(), "due" | "paused" | "awaiting_fee");
    RequestSummary {
        id: row.id.clone(),
        tracking_number: row.tracking_number.clone(),
        applicant_type: row.applicant_type.clone(),
        status: row.phase.clone(),
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
        extended: row.extended,
        fee_pending: row.fee_pending,
    }
}

// --- submission -----------------------------------------------------------------------

/// Submits a request. With an idempotency key, a retry of the same body returns the first
/// receipt and a different body is refused.
pub async fn submit(
    state: &AppState,
    tenant: &Tenant,
    input: Submission,
    body_hash: &str,
    idempotency_key: Option<String>,
) -> Result<Receipt> {
    submit_on(
        state,
        tenant,
        input,
        body_hash,
        idempotency_key,
        state.clock.today(),
    )
    .await
}

/// [`submit`] as of a given day (demo data, imports of paper requests).
pub async fn submit_on(
    state: &AppState,
    tenant: &Tenant,
    input: Submission,
    body_hash: &str,
    idempotency_key: Option<String>,
    today: NaiveDate,
) -> Result<Receipt> {
    if let Some(key) = &idempotency_key {
        if key.is_empty() || key.len() > 200 {
            return Err(Error::invalid("Idempotency-Key", "1 to 200 characters"));
        }
    }
    let applicant = model::check_submission(&input, today).map_err(Error::Invalid)?;
    for attempt in 0..5 {
        match submit_once(
            state,
            tenant,
            &input,
            &applicant,
            body_hash,
            idempotency_key.as_deref(),
            today,
        )
        .await
        {
            Err(Error::Database(err)) if is_unique_violation(&err) && attempt < 4 => continue,
            other => return other,
        }
    }
    Err(Error::internal("could not allocate a tracking number"))
}

async fn submit_once(
    state: &AppState,
    tenant: &Tenant,
    input: &Submission,
    applicant: &Applicant,
    body_hash: &str,
    key: Option<&str>,
    today: NaiveDate,
) -> Result<Receipt> {
    let mut tx = state.db.tenant(&tenant.id).await?;
    if let Some(key) = key {
        if let Some((hash, _status, sealed)) = store::idempotency(&mut tx, key).await? {
            if hash != body_hash {
                return Err(Error::invalid(
                    "Idempotency-Key",
                    "this key was already used with a different request body; use a new key for a new request",
                ));
            }
            let text = state
                .secrets
                .open(&sealed)
                .map_err(Error::internal_from)?;
            return serde_json::from_str(&text).map_err(Error::internal_from);
        }
    }
    let now = ids::now_text();
    let access_code = random_token(9);
    let row = RequestRow {
        id: ids::new_id(),
        tracking_number: store::next_tracking_number(&mut tx, today.year()).await?,
        access_code_hash: sha256_hex(access_code.as_bytes()),
        applicant_type: input.applicant_type.clone(),
        applicant_sealed: state
            .secrets
            .seal(&serde_json::to_string(applicant).map_err(Error::internal_from)?),
        applicant_key: applicant_key(state, applicant),
        description_sealed: state.secrets.seal(input.description.trim()),
        delivery_method: input.delivery_method.clone(),
        delivery_form: input.delivery_form.clone(),
        language: input.language.clone().unwrap_or_else(|| "zh".into()),
        received_on: today.to_string(),
        phase: "received".into(),
        abandon_reason: None,
        open_consultations: 0,
        correction_used: false,
        extended: false,
        fee_pending: false,
        outcome_code: None,
        assignee_id: None,
        department: None,
        referred_to: None,
        due_state: "awaiting_registration".into(),
        due_on: None,
        answered_on: None,
        created_at: now.clone(),
        updated_at: now.clone(),
    };
    store::insert(&mut tx, &row).await?;
    store::add_event(
        &mut tx,
        &row.id,
        1,
        "received",
        &row.received_on,
        &now,
        "applicant",
        &json!({"channel": "online", "delivery_method": row.delivery_method, "delivery_form": row.delivery_form}),
    )
    .await?;
    let track_url = format!(
        "/api/v1/portal/{}/requests/{}",
        tenant.slug, row.tracking_number
    );
    if let Some(to) = &applicant.email {
        let mail = texts::applicant_mail(
            ApplicantMail::Acknowledgement {
                access_code_hint: &access_code,
                track_url: &track_url,
            },
            &tenant.name_zh,
            &row.tracking_number,
            row.language == "en",
        );
        mail::enqueue(
            &mut tx,
            &state.secrets,
            Outgoing {
                kind: "acknowledgement",
                request_id: Some(&row.id),
                to,
                mail,
                attachment: None,
            },
        )
        .await?;
    }
    audit::append(
        &mut tx,
        &Actor {
            user_id: None,
            label: "applicant".into(),
        },
        "request.submit",
        "request",
        &row.id,
        json!({"tracking_number": row.tracking_number, "applicant_type": row.applicant_type}),
    )
    .await?;
    let receipt = Receipt {
        tracking_number: row.tracking_number.clone(),
        access_code,
        status: "received".into(),
        received_on: row.received_on.clone(),
        track_url,
    };
    if let Some(key) = key {
        let sealed = state
            .secrets
            .seal(&serde_json::to_string(&receipt).map_err(Error::internal_from)?);
        store::put_idempotency(&mut tx, key, body_hash, 201, &sealed, &now).await?;
    }
    tx.commit().await?;
    state.requests.wake_outbox();
    Ok(receipt)
}

// --- tracking -------------------------------------------------------------------------

fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The request behind a tracking number and access code; one answer for "no such
/// number" and "wrong code", so neither leaks.
async fn locate(tx: &mut TenantTx, number: &str, access_code: &str) -> Result<RequestRow> {
    let not_found = || Error::NotFound("request with this tracking number and access code".into());
    let row = store::by_number(tx, number.trim())
        .await?
        .ok_or_else(not_found)?;
    if !same_secret(
        &row.access_code_hash,
        &sha256_hex(access_code.trim().as_bytes()),
    ) {
        return Err(not_found());
    }
    Ok(row)
}

pub async fn track(
    state: &AppState,
    tenant: &Tenant,
    number: &str,
    access_code: &str,
) -> Result<PublicView> {
    let cal = state.calendar.for_tenant(&state.db, &tenant.id).await?;
    let today = state.clock.today();
    let mut tx = state.db.tenant_read(&tenant.id).await?;
    let row = locate(&mut tx, number, access_code).await?;
    let events = store::events(&mut tx, &row.id).await?;
    let fees = store::fees(&mut tx, &row.id).await?;
    let answers = store::answers(&mut tx, &row.id).await?;
    tx.commit().await?;
    let clock = clock_events(&events);
    Ok(PublicView {
        tracking_number: row.tracking_number.clone(),
        status: row.phase.clone(),
        status_zh: row.state().phase.label_zh().into(),
        received_on: row.received_on.clone(),
        outcome_code: row.outcome_code.clone(),
        deadline: deadline_view(&row.phase, &clock, &cal, today),
        timeline: events.iter().map(EventRow::view).collect(),
        fee: fees.into_iter().last(),
        answer: answers.into_iter().rfind(|a| a.status == "delivered"),
    })
}

// --- steps ----------------------------------------------------------------------------

/// Who takes a step (staff, the applicant, or the system's jobs).
pub struct By<'a> {
    pub actor: &'a Actor,
    pub label: String,
}

/// One step of the workflow, with what it needs.
#[derive(Debug, Clone)]
pub enum Step {
    Register,
    RequestCorrection {
        what: String,
        respond_within_working_days: u32,
    },
    /// The corrected request arrived (from the applicant's page, or on paper).
    ReceiveCorrection {
        text: Option<String>,
    },
    Assign {
        assignee_id: Option<String>,
        department: Option<String>,
    },
    Refer {
        agency: String,
    },
    StartConsultation {
        party: ConsultParty,
        with: String,
    },
    EndConsultation {
        result: String,
    },
    Extend {
        working_days: u32,
        reason: String,
    },
    NotifyFee {
        basis: String,
        pages: Option<u32>,
    },
    FeePaid,
    Draft {
        outcome: String,
        reply_text: Option<String>,
    },
    Approve,
    Return {
        comments: String,
    },
    Deliver {
        note: Option<String>,
    },
    Close,
    Withdraw {
        reason: Option<String>,
    },
    Abandon(AbandonReason),
}

impl Step {
    fn name(&self) -> &'static str {
        match self {
            Step::Register => "registered",
            Step::RequestCorrection { .. } => "correction_requested",
            Step::ReceiveCorrection { .. } => "corrected",
            Step::Assign { .. } => "assigned",
            Step::Refer { .. } => "referred",
            Step::StartConsultation { .. } => "consultation_started",
            Step::EndConsultation { .. } => "consultation_ended",
            Step::Extend { .. } => "extended",
            Step::NotifyFee { .. } => "fee_noticed",
            Step::FeePaid => "fee_paid",
            Step::Draft { .. } => "answer_drafted",
            Step::Approve => "answer_approved",
            Step::Return { .. } => "answer_returned",
            Step::Deliver { .. } => "delivered",
            Step::Close => "closed",
            Step::Withdraw { .. } => "withdrawn",
            Step::Abandon(_) => "abandoned",
        }
    }
}

fn conflict(row: &RequestRow, message: impl Into<String>) -> Error {
    Error::Conflict {
        message: message.into(),
        current_state: Some(row.phase.clone()),
    }
}

/// Input checks that need no database (422, every problem at once).
fn check_step(step: &Step) -> Result<()> {
    let mut problems = Vec::new();
    match step {
        Step::RequestCorrection {
            what,
            respond_within_working_days,
        } => {
            if what.trim().is_empty() {
                problems.push(FieldProblem::new(
                    "what",
                    "say what the applicant must correct",
                ));
            }
            if !(1..=30).contains(respond_within_working_days) {
                problems.push(FieldProblem::new(
                    "respond_within_working_days",
                    "1 to 30 working days",
                ));
            }
        }
        Step::Assign {
            assignee_id: None,
            department,
        } if department.as_deref().unwrap_or("").trim().is_empty() => {
            problems.push(FieldProblem::new(
                "assignee_id",
                "name an officer or a department",
            ));
        }
        Step::Refer { agency } if agency.trim().is_empty() => {
            problems.push(FieldProblem::new(
                "agency",
                "name the agency that holds the information",
            ));
        }
        Step::StartConsultation { with, .. } if with.trim().is_empty() => {
            problems.push(FieldProblem::new("with", "name the party consulted"));
        }
        Step::EndConsultation { result }
            if !matches!(result.as_str(), "consent" | "objection" | "no_reply") =>
        {
            problems.push(FieldProblem::new(
                "result",
                "consent, objection or no_reply",
            ));
        }
        Step::Extend {
            working_days,
            reason,
        } => {
            if !(1..=deadline::MAX_EXTENSION).contains(working_days) {
                problems.push(FieldProblem::new(
                    "working_days",
                    format!(
                        "an extension is 1 to {} working days (art. 33)",
                        deadline::MAX_EXTENSION
                    ),
                ));
            }
            if reason.trim().is_empty() {
                problems.push(FieldProblem::new("reason", "the applicant is told why"));
            }
        }
        Step::NotifyFee { basis, pages } => match (basis.as_str(), pages) {
            ("count", None) => {}
            ("count", Some(_)) => problems.push(FieldProblem::new(
                "pages",
                "a fee by count does not take pages: never both on one request",
            )),
            ("pages", Some(p)) if *p > 0 => {}
            ("pages", _) => problems.push(FieldProblem::new(
                "pages",
                "the number of pages (above zero)",
            )),
            _ => problems.push(FieldProblem::new("basis", "count or pages")),
        },
        Step::Draft { outcome, .. } => match outcome.parse::<Outcome>() {
            Err(e) => problems.push(FieldProblem::new("outcome_code", e.to_string())),
            Ok(o) if matches!(o.code(), "6.1" | "6.2") => problems.push(FieldProblem::new(
                "outcome_code",
                "6.1 and 6.2 follow from a correction or fee that lapsed; they are not drafted",
            )),
            Ok(_) => {}
        },
        Step::Return { comments } if comments.trim().is_empty() => {
            problems.push(FieldProblem::new("comments", "say what to change"));
        }
        _ => {}
    }
    crate::kernel::error::check(problems)
}

/// Takes one step on request `id` of `tenant`. Returns the staff view afterwards.
pub async fn step(
    state: &AppState,
    tenant: &Tenant,
    by: &By<'_>,
    id: &str,
    step: Step,
) -> Result<()> {
    step_on(state, tenant, by, id, step, state.clock.today()).await
}

/// [`step`] as of a given day (demo data, jobs that sweep a given day).
pub async fn step_on(
    state: &AppState,
    tenant: &Tenant,
    by: &By<'_>,
    id: &str,
    step: Step,
    today: NaiveDate,
) -> Result<()> {
    check_step(&step)?;
    let cal = state.calendar.for_tenant(&state.db, &tenant.id).await?;
    let mut tx = state.db.tenant(&tenant.id).await?;
    let mut row = store::get(&mut tx, state.db.backend(), id, true)
        .await?
        .ok_or_else(|| Error::NotFound(format!("request {id}")))?;
    apply_step(state, &mut tx, tenant, &cal, today, by, &mut row, step).await?;
    tx.commit().await?;
    state.requests.wake_outbox();
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn apply_step(
    state: &AppState,
    tx: &mut TenantTx,
    tenant: &Tenant,
    cal: &Calendar,
    today: NaiveDate,
    by: &By<'_>,
    row: &mut RequestRow,
    step: Step,
) -> Result<()> {
    let current = row.state();
    let action = match &step {
        Step::Register => Some(Action::Register {
            tracking_number: row.tracking_number.clone(),
        }),
        Step::RequestCorrection { .. } => Some(Action::RequestCorrection),
        Step::ReceiveCorrection { .. } => Some(Action::ReceiveCorrection),
        // Reassigning a request in hand keeps its phase.
        Step::Assign { .. } if current.phase == Phase::Assigned => None,
        Step::Assign { .. } => Some(Action::Assign),
        Step::Refer { .. } => None,
        Step::StartConsultation { party, .. } => Some(Action::StartConsultation { party: *party }),
        Step::EndConsultation { .. } => Some(Action::EndConsultation),
        Step::Extend { .. } => Some(Action::Extend),
        Step::NotifyFee { .. } => Some(Action::NotifyFee),
        Step::FeePaid => Some(Action::FeePaid),
        Step::Draft { .. } => Some(Action::DraftAnswer),
        Step::Approve => Some(Action::ApproveAnswer),
        Step::Return { comments } => Some(Action::ReturnAnswer {
            comments: comments.clone(),
        }),
        Step::Deliver { .. } => Some(Action::Deliver),
        Step::Close => Some(Action::Close),
        Step::Withdraw { .. } => Some(Action::Withdraw),
        Step::Abandon(reason) => Some(Action::Abandon { reason: *reason }),
    };
    let next = match &action {
        Some(a) => lifecycle::apply(current, a).map_err(|e| conflict(row, e.to_string()))?,
        None => {
            if !current.phase.before_answer() || matches!(current.phase, Phase::Received) {
                return Err(conflict(
                    row,
                    format!("cannot {} a request that is {}", step.name(), row.phase),
                ));
            }
            current
        }
    };

    let mut events = store::events(tx, &row.id).await?;
    let mut clock = clock_events(&events);
    let on = today.to_string();
    let now = ids::now_text();
    let mut details = json!({});
    let mut clock_event: Option<ClockEvent> = None;
    let applicant = open_applicant(state, row)?;
    let english = row.language == "en";
    let extension_reason;
    let correction_what;
    let respond_by_text;
    let fee_pay_by;
    let mut to_applicant: Option<(ApplicantMail, &'static str)> = None;
    let mut extension_days = 0u32;

    match &step {
        Step::Register => {
            clock_event = Some(ClockEvent::Received { on: today });
        }
        Step::RequestCorrection {
            what,
            respond_within_working_days,
        } => {
            let respond_by = cal
                .add_working_days(today, *respond_within_working_days)
                .map_err(|e| Error::invalid("respond_within_working_days", e.to_string()))?;
            clock_event = Some(ClockEvent::CorrectionRequested {
                on: today,
                respond_by,
            });
            details = json!({"what": what.trim(), "respond_by": respond_by.to_string()});
            correction_what = what.trim().to_string();
            respond_by_text = respond_by.to_string();
            to_applicant = Some((
                ApplicantMail::CorrectionNotice {
                    what: &correction_what,
                    respond_by: &respond_by_text,
                },
                "correction_notice",
            ));
        }
        Step::ReceiveCorrection { text } => {
            clock_event = Some(ClockEvent::Corrected { on: today });
            if let Some(text) = text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                let before = open_description(state, row)?;
                row.description_sealed = state
                    .secrets
                    .seal(&format!("{before}\n\n【补正 {on}】{text}"));
            }
        }
        Step::Assign {
            assignee_id,
            department,
        } => {
            if let Some(user_id) = assignee_id {
                let member = sqlx::query(
                    "SELECT 1 AS one FROM role_assignments WHERE tenant_id = $1 AND user_id = $2",
                )
                .bind(tenant.id.clone())
                .bind(user_id.clone())
                .fetch_optional(&mut *tx.conn())
                .await?;
                if member.is_none() {
                    return Err(Error::invalid("assignee_id", "not a member of this agency"));
                }
            }
            row.assignee_id = assignee_id.clone();
            row.department = department
                .clone()
                .map(|d| d.trim().to_string())
                .filter(|d| !d.is_empty());
            details = json!({"assignee_id": row.assignee_id, "department": row.department});
        }
        Step::Refer { agency } => {
            row.referred_to = Some(agency.trim().to_string());
            details = json!({"agency": agency.trim()});
        }
        Step::StartConsultation { party, with } => {
            let reply_by = cal
                .add_working_days(today, deadline::CONSULTATION_REPLY)
                .ok();
            let opens = !matches!(current.phase, Phase::Consulting { .. });
            if opens {
                clock_event = Some(ClockEvent::PauseStarted {
                    on: today,
                    reason: match party {
                        ConsultParty::ThirdParty => PauseReason::ThirdParty,
                        ConsultParty::OtherAgency => PauseReason::OtherAgency,
                    },
                });
            }
            // The consulted party's name may be a person's: it stays off the public timeline.
            details = json!({"party": party, "pause": opens, "reply_by": reply_by.map(|d| d.to_string())});
            let _ = with;
        }
        Step::EndConsultation { result } => {
            let closes = matches!(next.phase, Phase::Assigned);
            if closes {
                clock_event = Some(ClockEvent::PauseEnded { on: today });
            }
            details = json!({"result": result, "pause": closes});
        }
        Step::Extend {
            working_days,
            reason,
        } => {
            clock_event = Some(ClockEvent::Extended {
                on: today,
                working_days: *working_days,
            });
            details = json!({"working_days": working_days, "reason": reason.trim()});
            extension_days = *working_days;
        }
        Step::NotifyFee { basis, pages } => {
            let charge = match (basis.as_str(), pages) {
                ("pages", Some(p)) => ChargeBasis::ByPages { pages: *p },
                _ => {
                    let month = &row.received_on[..7];
                    let list = store::applicant_month(tx, &row.applicant_key, month).await?;
                    let nth = list
                        .iter()
                        .position(|x| *x == row.id)
                        .map(|i| i as u32 + 1)
                        .unwrap_or(1);
                    ChargeBasis::ByCount { nth_in_month: nth }
                }
            };
            let quote = fees::fee_for_request(charge);
            if quote.total_yuan == 0 {
                return Err(Error::invalid(
                    "basis",
                    match charge {
                        ChargeBasis::ByCount { nth_in_month } => format!(
                            "no fee: this is the applicant's request no. {nth_in_month} this month and the first 10 are free"
                        ),
                        ChargeBasis::ByPages { pages } => format!("no fee: {pages} pages, and the first 30 are free"),
                    },
                ));
            }
            let pay_by = cal
                .add_working_days(today, deadline::FEE_PAYMENT)
                .map_err(|e| Error::invalid("basis", e.to_string()))?;
            clock_event = Some(ClockEvent::FeeNoticed { on: today });
            let units = match charge {
                ChargeBasis::ByCount { nth_in_month } => nth_in_month,
                ChargeBasis::ByPages { pages } => pages,
            };
            let fee = model::FeeView {
                id: ids::new_id(),
                basis: basis.clone(),
                units: i64::from(units),
                amount_yuan: quote.total_yuan as i64,
                noticed_on: on.clone(),
                pay_by: pay_by.to_string(),
                status: "pending".into(),
                paid_on: None,
            };
            store::insert_fee(tx, &row.id, &fee).await?;
            details = json!({"amount_yuan": quote.total_yuan, "basis": basis, "units": units, "pay_by": fee.pay_by, "bands": quote.bands});
            fee_pay_by = fee.pay_by.clone();
            to_applicant = Some((
                ApplicantMail::FeeNotice {
                    amount_yuan: quote.total_yuan,
                    pay_by: &fee_pay_by,
                },
                "fee_notice",
            ));
        }
        Step::FeePaid => {
            clock_event = Some(ClockEvent::FeePaid { on: today });
            store::settle_fee(tx, &row.id, "paid", Some(&on)).await?;
        }
        Step::Draft {
            outcome,
            reply_text,
        } => {
            let outcome: Outcome =
                outcome
                    .parse()
                    .map_err(|e: super::outcome::UnknownOutcome| {
                        Error::invalid("outcome_code", e.to_string())
                    })?;
            let text = match reply_text
                .as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty())
            {
                Some(t) => t.to_string(),
                None => reply_document(state, tx, tenant, row, &applicant, outcome, today).await?,
            };
            let answer_id =
                store::insert_answer(tx, &row.id, outcome.code(), &text, &by.label, &now).await?;
            details = json!({"outcome_code": outcome.code(), "answer_id": answer_id});
        }
        Step::Approve | Step::Return { .. } => {
            let answers = store::answers(tx, &row.id).await?;
            let draft = answers
                .iter()
                .rfind(|a| matches!(a.status.as_str(), "draft" | "approved"))
                .ok_or_else(|| conflict(row, "no drafted answer"))?;
            match &step {
                Step::Approve => {
                    store::set_answer_status(
                        tx,
                        &draft.id,
                        "approved",
                        Some(&by.label),
                        None,
                        &now,
                    )
                    .await?;
                    details = json!({"outcome_code": draft.outcome_code});
                }
                Step::Return { comments } => {
                    store::set_answer_status(
                        tx,
                        &draft.id,
                        "returned",
                        Some(&by.label),
                        Some(comments.trim()),
                        &now,
                    )
                    .await?;
                    details = json!({"outcome_code": draft.outcome_code});
                }
                _ => unreachable!(),
            }
        }
        Step::Deliver { note } => {
            let answers = store::answers(tx, &row.id).await?;
            let answer = answers
                .iter()
                .rfind(|a| a.status == "approved")
                .ok_or_else(|| conflict(row, "no approved answer"))?
                .clone();
            store::set_answer_status(tx, &answer.id, "delivered", None, None, &now).await?;
            clock_event = Some(ClockEvent::Answered { on: today });
            row.outcome_code = Some(answer.outcome_code.clone());
            row.answered_on = Some(on.clone());
            details = json!({"outcome_code": answer.outcome_code, "method": row.delivery_method, "note": note});
            if row.delivery_method == "email" {
                if let Some(to) = &applicant.email {
                    let mail = texts::applicant_mail(
                        ApplicantMail::AnswerDelivered {
                            outcome: &answer.outcome_label,
                        },
                        &tenant.name_zh,
                        &row.tracking_number,
                        english,
                    );
                    mail::enqueue(
                        tx,
                        &state.secrets,
                        Outgoing {
                            kind: "answer_delivered",
                            request_id: Some(&row.id),
                            to,
                            mail,
                            attachment: Some((
                                format!("reply-{}.txt", row.tracking_number),
                                answer.reply_text.clone(),
                            )),
                        },
                    )
                    .await?;
                }
            }
        }
        Step::Close => {}
        Step::Withdraw { reason } => {
            details = json!({"reason": reason});
        }
        Step::Abandon(reason) => {
            row.outcome_code = Some(reason.outcome_code().to_string());
            row.answered_on = Some(on.clone());
            if *reason == AbandonReason::FeeLapsed {
                store::settle_fee(tx, &row.id, "lapsed", None).await?;
            }
            details = json!({"outcome_code": reason.outcome_code()});
        }
    }

    if let Some(ev) = &clock_event {
        clock.push(ev.clone());
        check_clock(&clock, cal, today, &row.phase)?;
    }
    row.set_state(next);
    row.updated_at = now.clone();
    let seq = events.last().map(|e| e.seq).unwrap_or(0) + 1;
    store::add_event(
        tx,
        &row.id,
        seq,
        step.name(),
        &on,
        &now,
        &by.label,
        &details,
    )
    .await?;
    events.push(EventRow {
        seq,
        kind: step.name().into(),
        on: on.clone(),
        at: now.clone(),
        details: details.clone(),
    });
    let view = deadline_view(&row.phase, &clock, cal, today);
    row.due_state = view.state.clone();
    row.due_on = view.due.clone();
    store::update(tx, row).await?;

    let due_text = view
        .due
        .clone()
        .unwrap_or_else(|| view.message.clone().unwrap_or_else(|| "—".into()));
    if let Step::Extend { reason, .. } = &step {
        extension_reason = reason.trim().to_string();
        to_applicant = Some((
            ApplicantMail::ExtensionNotice {
                working_days: extension_days,
                reason: &extension_reason,
                due: &due_text,
            },
            "extension_notice",
        ));
    }
    if let (Some((m, kind)), Some(to)) = (to_applicant, &applicant.email) {
        let mail = texts::applicant_mail(m, &tenant.name_zh, &row.tracking_number, english);
        mail::enqueue(
            tx,
            &state.secrets,
            Outgoing {
                kind,
                request_id: Some(&row.id),
                to,
                mail,
                attachment: None,
            },
        )
        .await?;
    }
    if let (Step::Assign { .. }, Some(user_id)) = (&step, &row.assignee_id) {
        if let Some(user) = crate::users::store::by_id(tx.conn(), user_id).await? {
            let mail = texts::staff_mail(
                StaffMail::Assigned,
                &tenant.name_zh,
                &row.tracking_number,
                &due_text,
            );
            mail::enqueue(
                tx,
                &state.secrets,
                Outgoing {
                    kind: StaffMail::Assigned.kind(),
                    request_id: Some(&row.id),
                    to: &user.email,
                    mail,
                    attachment: None,
                },
            )
            .await?;
        }
    }
    audit::append(
        tx,
        by.actor,
        &format!("request.{}", step.name()),
        "request",
        &row.id,
        json!({"tracking_number": row.tracking_number, "phase": row.phase, "details": details}),
    )
    .await?;
    Ok(())
}

/// The reply document for `outcome` from the tenant's template (or the standard text).
async fn reply_document(
    _state: &AppState,
    tx: &mut TenantTx,
    tenant: &Tenant,
    row: &RequestRow,
    applicant: &Applicant,
    outcome: Outcome,
    today: NaiveDate,
) -> Result<String> {
    let language = if row.language == "en" { "en" } else { "zh" };
    let template = match store::template(tx, outcome.code(), language).await? {
        Some(t) => t,
        None => texts::standard_reply(outcome, language),
    };
    let referred = match &row.referred_to {
        Some(agency) if language == "en" => format!("Please apply to {agency}."),
        Some(agency) => format!("建议您向{agency}申请。"),
        None => String::new(),
    };
    let who = applicant
        .organisation
        .clone()
        .unwrap_or_else(|| applicant.name.clone());
    Ok(texts::fill(
        &template,
        &[
            ("applicant", who),
            ("tracking_number", row.tracking_number.clone()),
            ("received_on", row.received_on.clone()),
            ("agency", tenant.name_zh.clone()),
            ("date", today.to_string()),
            ("outcome", outcome.row_heading()),
            ("referred_to", referred),
        ],
    ))
}

/// A step the applicant takes from the tracking page.
pub async fn applicant_step(
    state: &AppState,
    tenant: &Tenant,
    number: &str,
    access_code: &str,
    step: Step,
) -> Result<PublicView> {
    let id = {
        let mut tx = state.db.tenant_read(&tenant.id).await?;
        let row = locate(&mut tx, number, access_code).await?;
        tx.commit().await?;
        row.id
    };
    let actor = Actor {
        user_id: None,
        label: "applicant".into(),
    };
    let by = By {
        actor: &actor,
        label: "applicant".into(),
    };
    self::step(state, tenant, &by, &id, step).await?;
    track(state, tenant, number, access_code).await
}

/// The applicant's answer to a fee notice: `accept` (will pay; staff record the
/// payment) or `decline` (the fee lapses now, outcome 6.2).
pub async fn applicant_fee(
    state: &AppState,
    tenant: &Tenant,
    number: &str,
    access_code: &str,
    accept: bool,
) -> Result<PublicView> {
    if accept {
        let view = track(state, tenant, number, access_code).await?;
        if view.fee.as_ref().is_none_or(|f| f.status != "pending") {
            return Err(Error::Conflict {
                message: "no fee is pending".into(),
                current_state: Some(view.status),
            });
        }
        return Ok(view);
    }
    applicant_step(
        state,
        tenant,
        number,
        access_code,
        Step::Abandon(AbandonReason::FeeLapsed),
    )
    .await
}

// --- staff reads --------------------------------------------------------------------

pub async fn view(state: &AppState, tenant: &Tenant, id: &str) -> Result<StaffView> {
    let cal = state.calendar.for_tenant(&state.db, &tenant.id).await?;
    let today = state.clock.today();
    let mut tx = state.db.tenant_read(&tenant.id).await?;
    let row = store::get(&mut tx, state.db.backend(), id, false)
        .await?
        .ok_or_else(|| Error::NotFound(format!("request {id}")))?;
    let events = store::events(&mut tx, id).await?;
    let answers = store::answers(&mut tx, id).await?;
    let fees = store::fees(&mut tx, id).await?;
    let remedies = store::remedies(&mut tx, Some(id)).await?;
    tx.commit().await?;
    let clock = clock_events(&events);
    Ok(StaffView {
        summary: summary(&row, today),
        applicant: open_applicant(state, &row)?,
        description: open_description(state, &row)?,
        delivery_method: row.delivery_method.clone(),
        delivery_form: row.delivery_form.clone(),
        language: row.language.clone(),
        referred_to: row.referred_to.clone(),
        correction_used: row.correction_used,
        open_consultations: row.open_consultations,
        deadline: deadline_view(&row.phase, &clock, &cal, today),
        timeline: events.iter().map(EventRow::view).collect(),
        answers,
        fees,
        remedies,
    })
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

pub async fn list(state: &AppState, tenant: &Tenant, q: ListQuery) -> Result<Vec<RequestSummary>> {
    let today = state.clock.today();
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
    let mut tx = state.db.tenant_read(&tenant.id).await?;
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
    state: &AppState,
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
    crate::kernel::error::check(problems)?;
    let mut tx = state.db.tenant_read(&tenant.id).await?;
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

// --- remedies -----------------------------------------------------------------------

pub const REMEDY_KINDS: &[&str] = &[
    "reconsideration",
    "litigation_direct",
    "litigation_after_reconsideration",
];
pub const REMEDY_RESULTS: &[&str] = &["upheld", "corrected", "other", "pending"];

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RemedyInput {
    /// `reconsideration` (行政复议), `litigation_direct` (未经复议直接起诉) or
    /// `litigation_after_reconsideration` (复议后起诉).
    pub kind: String,
    /// `upheld` (维持), `corrected` (纠正), `other` (其他), `pending` (尚未审结).
    pub result: Option<String>,
    pub case_number: Option<String>,
    pub filed_on: String,
    pub decided_on: Option<String>,
}

pub async fn add_remedy(
    state: &AppState,
    tenant: &Tenant,
    actor: &Actor,
    request_id: &str,
    input: RemedyInput,
) -> Result<RemedyView> {
    let mut problems = Vec::new();
    if !REMEDY_KINDS.contains(&input.kind.as_str()) {
        problems.push(FieldProblem::new(
            "kind",
            "reconsideration, litigation_direct or litigation_after_reconsideration",
        ));
    }
    let result = input.result.clone().unwrap_or_else(|| "pending".into());
    if !REMEDY_RESULTS.contains(&result.as_str()) {
        problems.push(FieldProblem::new(
            "result",
            "upheld, corrected, other or pending",
        ));
    }
    if day(&input.filed_on).is_none() {
        problems.push(FieldProblem::new("filed_on", "a date as YYYY-MM-DD"));
    }
    if input
        .decided_on
        .as_deref()
        .is_some_and(|d| day(d).is_none())
    {
        problems.push(FieldProblem::new("decided_on", "a date as YYYY-MM-DD"));
    }
    crate::kernel::error::check(problems)?;
    let mut tx = state.db.tenant(&tenant.id).await?;
    store::get(&mut tx, state.db.backend(), request_id, false)
        .await?
        .ok_or_else(|| Error::NotFound(format!("request {request_id}")))?;
    let remedy = RemedyView {
        id: ids::new_id(),
        request_id: request_id.into(),
        kind: input.kind,
        result,
        case_number: input.case_number.unwrap_or_default(),
        filed_on: input.filed_on,
        decided_on: input.decided_on,
    };
    store::insert_remedy(&mut tx, &remedy, &ids::now_text()).await?;
    audit::append(
        &mut tx,
        actor,
        "request.remedy_add",
        "remedy",
        &remedy.id,
        json!({"request_id": request_id, "kind": remedy.kind, "result": remedy.result}),
    )
    .await?;
    tx.commit().await?;
    Ok(remedy)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RemedyUpdate {
    pub result: String,
    pub decided_on: Option<String>,
    pub case_number: Option<String>,
}

pub async fn update_remedy(
    state: &AppState,
    tenant: &Tenant,
    actor: &Actor,
    remedy_id: &str,
    input: RemedyUpdate,
) -> Result<RemedyView> {
    if !REMEDY_RESULTS.contains(&input.result.as_str()) {
        return Err(Error::invalid(
            "result",
            "upheld, corrected, other or pending",
        ));
    }
    if input
        .decided_on
        .as_deref()
        .is_some_and(|d| day(d).is_none())
    {
        return Err(Error::invalid("decided_on", "a date as YYYY-MM-DD"));
    }
    let mut tx = state.db.tenant(&tenant.id).await?;
    let mut remedy = store::remedies(&mut tx, None)
        .await?
        .into_iter()
        .find(|r| r.id == remedy_id)
        .ok_or_else(|| Error::NotFound(format!("remedy {remedy_id}")))?;
    remedy.result = input.result;
    remedy.decided_on = input.decided_on.or(remedy.decided_on);
    if let Some(c) = input.case_number {
        remedy.case_number = c;
    }
    store::update_remedy(&mut tx, &remedy, &ids::now_text()).await?;
    audit::append(
        &mut tx,
        actor,
        "request.remedy_update",
        "remedy",
        &remedy.id,
        json!({"result": remedy.result}),
    )
    .await?;
    tx.commit().await?;
    Ok(remedy)
}

/// Table 4 of the annual report: remedies filed in `year` by kind and result.
pub async fn remedy_table(state: &AppState, tenant: &Tenant, year: i32) -> Result<Value> {
    let mut tx = state.db.tenant_read(&tenant.id).await?;
    let all = store::remedies(&mut tx, None).await?;
    tx.commit().await?;
    let prefix = format!("{year}-");
    let mut out = serde_json::Map::new();
    for kind in REMEDY_KINDS {
        let mut counts = serde_json::Map::new();
        let mut total = 0;
        for result in REMEDY_RESULTS {
            let n = all
                .iter()
                .filter(|r| {
                    r.kind == *kind && r.result == *result && r.filed_on.starts_with(&prefix)
                })
                .count();
            total += n;
            counts.insert(result.to_string(), json!(n));
        }
        counts.insert("total".into(), json!(total));
        out.insert(kind.to_string(), Value::Object(counts));
    }
    Ok(Value::Object(out))
}

// --- templates ----------------------------------------------------------------------

#[derive(Debug, serde::Serialize, ToSchema)]
pub struct TemplateView {
    pub outcome_code: String,
    pub language: String,
    pub body: String,
    /// `standard` (shipped) or `tenant` (edited).
    pub source: String,
}

pub async fn templates(state: &AppState, tenant: &Tenant) -> Result<Vec<TemplateView>> {
    let mut tx = state.db.tenant_read(&tenant.id).await?;
    let own = store::templates(&mut tx).await?;
    tx.commit().await?;
    let mut out = Vec::new();
    for o in Outcome::all() {
        for language in ["zh", "en"] {
            let mine = own
                .iter()
                .find(|(c, l, _, _)| c == o.code() && l == language);
            out.push(TemplateView {
                outcome_code: o.code().into(),
                language: language.into(),
                body: mine
                    .map(|m| m.2.clone())
                    .unwrap_or_else(|| texts::standard_reply(o, language)),
                source: if mine.is_some() { "tenant" } else { "standard" }.into(),
            });
        }
    }
    Ok(out)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplateInput {
    pub body: String,
}

pub async fn put_template(
    state: &AppState,
    tenant: &Tenant,
    actor: &Actor,
    code: &str,
    language: &str,
    input: TemplateInput,
) -> Result<TemplateView> {
    let mut problems = Vec::new();
    let outcome = code.parse::<Outcome>();
    if let Err(e) = &outcome {
        problems.push(FieldProblem::new("outcome_code", e.to_string()));
    }
    if language != "zh" && language != "en" {
        problems.push(FieldProblem::new("language", "zh or en"));
    }
    if !input.body.contains("{tracking_number}") {
        problems.push(FieldProblem::new(
            "body",
            "a reply names the request: include {tracking_number}",
        ));
    }
    for word in input.body.split('{').skip(1) {
        if let Some((name, _)) = word.split_once('}') {
            if !texts::PLACEHOLDERS.contains(&format!("{{{name}}}").as_str()) {
                problems.push(FieldProblem::new(
                    "body",
                    format!(
                        "unknown placeholder {{{name}}}; known: {}",
                        texts::PLACEHOLDERS.join(" ")
                    ),
                ));
            }
        }
    }
    crate::kernel::error::check(problems)?;
    let mut tx = state.db.tenant(&tenant.id).await?;
    store::put_template(&mut tx, code, language, &input.body, &ids::now_text()).await?;
    audit::append(
        &mut tx,
        actor,
        "request.template_put",
        "reply_template",
        &format!("{code}/{language}"),
        json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(TemplateView {
        outcome_code: code.into(),
        language: language.into(),
        body: input.body,
        source: "tenant".into(),
    })
}
