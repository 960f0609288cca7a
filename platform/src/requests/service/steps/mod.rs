//! The staff workflow, one step at a time. [`step_on`] checks the input, loads the
//! request and checks the lifecycle; the step's own function (one per step, over a
//! [`Ctx`]) does what only it does and says what happened ([`Effect`]); [`apply`] then
//! checks the clock and writes the event, the row, the e-mails and the audit entry.

mod answer;
mod handling;
mod input;

use chrono::NaiveDate;
use serde_json::{json, Value};

pub use input::Step;

use super::clock::{check_clock, clock_events, deadline_view};
use super::open_applicant;
use crate::audit;
use crate::kernel::actor::Actor;
use crate::kernel::db::TenantTx;
use crate::kernel::error::{Error, Result};
use crate::kernel::ids;
use crate::requests::mail::{self, Outgoing};
use crate::requests::model::Applicant;
use crate::requests::store::{self, NewEvent, RequestRow};
use crate::requests::texts::{self, ApplicantMail, StaffMail};
use crate::requests::Requests;
use crate::tenancy::Tenant;
use gongkai_rules::calendar::Calendar;
use gongkai_rules::requests::deadline::ClockEvent;
use gongkai_rules::requests::lifecycle::RequestState;

/// Takes one step on request `id` of `tenant`, as `actor` (staff, the applicant, or
/// the system's jobs).
pub async fn step(
    requests: &Requests,
    tenant: &Tenant,
    actor: &Actor,
    id: &str,
    step: Step,
) -> Result<()> {
    let today = requests.clock.today();
    step_on(requests, tenant, actor, id, step, today).await
}

/// [`step`] as of a given day (demo data, jobs that sweep a given day).
pub async fn step_on(
    requests: &Requests,
    tenant: &Tenant,
    actor: &Actor,
    id: &str,
    step: Step,
    today: NaiveDate,
) -> Result<()> {
    step.check()?;
    let cal = requests
        .calendar
        .for_tenant(&requests.db, &tenant.id)
        .await?;
    let mut tx = requests.db.tenant(&tenant.id).await?;
    let row = store::get(&mut tx, id, true)
        .await?
        .ok_or_else(|| Error::NotFound(format!("request {id}")))?;
    let next = step.transition(&row)?;
    let mut cx = Ctx {
        requests,
        tenant,
        cal: &cal,
        actor,
        today,
        on: today.to_string(),
        now: ids::now_text(),
        applicant: open_applicant(requests, &row)?,
        current: row.state,
        next,
        row,
        tx: &mut tx,
    };
    apply(&mut cx, &step).await?;
    tx.commit().await?;
    requests.wake_outbox();
    Ok(())
}

/// What every step works with.
struct Ctx<'a> {
    requests: &'a Requests,
    tx: &'a mut TenantTx,
    tenant: &'a Tenant,
    cal: &'a Calendar,
    actor: &'a Actor,
    today: NaiveDate,
    /// `today` as text: the day of the event.
    on: String,
    /// The time of the event.
    now: String,
    /// The request, changed by the step and written back by [`apply`].
    row: RequestRow,
    applicant: Applicant,
    /// The lifecycle state before the step and after it.
    current: RequestState,
    next: RequestState,
}

impl Ctx<'_> {
    /// A refusal in the request's current phase.
    fn conflict(&self, message: impl Into<String>) -> Error {
        conflict(&self.row, message)
    }
}

fn conflict(row: &RequestRow, message: impl Into<String>) -> Error {
    Error::Conflict {
        message: message.into(),
        current_state: Some(row.phase().to_string()),
    }
}

/// What a step did, for [`apply`] to record: the event's details, the event on the
/// statutory clock, the notice the applicant is sent.
struct Effect {
    details: Value,
    clock: Option<ClockEvent>,
    notice: Option<Notice>,
}

impl Effect {
    fn new(details: Value) -> Effect {
        Effect {
            details,
            clock: None,
            notice: None,
        }
    }

    /// An event with no details.
    fn plain() -> Effect {
        Effect::new(json!({}))
    }

    fn clock(mut self, event: ClockEvent) -> Effect {
        self.clock = Some(event);
        self
    }

    fn notice(mut self, notice: Notice) -> Effect {
        self.notice = Some(notice);
        self
    }
}

/// A notice to the applicant (sent when the applicant gave an e-mail address).
enum Notice {
    Correction { what: String, respond_by: String },
    Extension { working_days: u32, reason: String },
    Fee { amount_yuan: u64, pay_by: String },
}

impl Notice {
    /// The mail and its outbox kind; `due` is the due date after the step.
    fn mail<'a>(&'a self, due: &'a str) -> (ApplicantMail<'a>, &'static str) {
        match self {
            Notice::Correction { what, respond_by } => (
                ApplicantMail::CorrectionNotice { what, respond_by },
                "correction_notice",
            ),
            Notice::Extension {
                working_days,
                reason,
            } => (
                ApplicantMail::ExtensionNotice {
                    working_days: *working_days,
                    reason,
                    due,
                },
                "extension_notice",
            ),
            Notice::Fee {
                amount_yuan,
                pay_by,
            } => (
                ApplicantMail::FeeNotice {
                    amount_yuan: *amount_yuan,
                    pay_by,
                },
                "fee_notice",
            ),
        }
    }
}

/// Runs the step's own function.
async fn take(cx: &mut Ctx<'_>, step: &Step) -> Result<Effect> {
    match step {
        Step::Register => Ok(handling::register(cx)),
        Step::RequestCorrection {
            what,
            respond_within_working_days,
        } => handling::request_correction(cx, what, *respond_within_working_days),
        Step::ReceiveCorrection { text } => handling::receive_correction(cx, text.as_deref()),
        Step::Assign {
            assignee_id,
            department,
        } => handling::assign(cx, assignee_id.as_deref(), department.as_deref()).await,
        Step::Refer { agency } => Ok(handling::refer(cx, agency)),
        // Whom was consulted may name a person: it stays off the public timeline.
        Step::StartConsultation { party, with: _ } => Ok(handling::start_consultation(cx, *party)),
        Step::EndConsultation { result } => Ok(handling::end_consultation(cx, result)),
        Step::Extend {
            working_days,
            reason,
        } => Ok(handling::extend(cx, *working_days, reason)),
        Step::NotifyFee { basis, pages } => handling::notify_fee(cx, basis, *pages).await,
        Step::FeePaid => handling::fee_paid(cx).await,
        Step::Draft {
            outcome,
            reply_text,
        } => answer::draft(cx, outcome, reply_text.as_deref()).await,
        Step::Approve => answer::review(cx, None).await,
        Step::Return { comments } => answer::review(cx, Some(comments)).await,
        Step::Deliver { note } => answer::deliver(cx, note.as_deref()).await,
        Step::Close => Ok(Effect::plain()),
        Step::Withdraw { reason } => Ok(Effect::new(json!({ "reason": reason }))),
        Step::Abandon(reason) => answer::abandon(cx, *reason).await,
    }
}

/// Takes the step and records it: the clock checked with its event, the request's new
/// state and due date, the event, the applicant's notice, the assignee's mail, the audit
/// entry. All in the caller's transaction.
async fn apply(cx: &mut Ctx<'_>, step: &Step) -> Result<()> {
    let events = store::events(cx.tx, &cx.row.id).await?;
    let mut clock = clock_events(&events);
    let effect = take(cx, step).await?;
    if let Some(event) = &effect.clock {
        clock.push(event.clone());
        check_clock(&clock, cx.cal, cx.today, cx.row.phase())?;
    }
    cx.row.state = cx.next;
    cx.row.updated_at = cx.now.clone();
    store::add_event(
        cx.tx,
        NewEvent {
            request_id: &cx.row.id,
            seq: events.last().map(|e| e.seq).unwrap_or(0) + 1,
            kind: step.name(),
            on: &cx.on,
            at: &cx.now,
            actor: &cx.actor.label,
            details: &effect.details,
        },
    )
    .await?;
    let view = deadline_view(cx.row.phase(), &clock, cx.cal, cx.today);
    cx.row.due_state = view.state.clone();
    cx.row.due_on = view.due.clone();
    store::update(cx.tx, &cx.row).await?;

    let due = view.due.or(view.message).unwrap_or_else(|| "—".into());
    if let (Some(notice), Some(to)) = (&effect.notice, &cx.applicant.email) {
        let (letter, kind) = notice.mail(&due);
        let mail = texts::applicant_mail(
            letter,
            &cx.tenant.name_zh,
            &cx.row.tracking_number,
            cx.row.language == "en",
        );
        let out = Outgoing {
            kind,
            request_id: Some(&cx.row.id),
            to,
            mail,
            attachment: None,
        };
        mail::enqueue(cx.tx, &cx.requests.secrets, out).await?;
    }
    if let (Step::Assign { .. }, Some(user_id)) = (step, &cx.row.assignee_id) {
        if let Some(user) = crate::users::store::by_id(cx.tx.conn(), user_id).await? {
            let mail = texts::staff_mail(
                StaffMail::Assigned,
                &cx.tenant.name_zh,
                &cx.row.tracking_number,
                &due,
            );
            let out = Outgoing {
                kind: StaffMail::Assigned.kind(),
                request_id: Some(&cx.row.id),
                to: &user.email,
                mail,
                attachment: None,
            };
            mail::enqueue(cx.tx, &cx.requests.secrets, out).await?;
        }
    }
    audit::append(
        cx.tx,
        cx.actor,
        &format!("request.{}", step.name()),
        "request",
        &cx.row.id,
        json!({"tracking_number": cx.row.tracking_number, "phase": cx.row.phase(), "details": effect.details}),
    )
    .await?;
    Ok(())
}
