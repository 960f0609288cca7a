//! The steps of handling a request before its answer: registration, correction,
//! assignment, referral, consultations, extension and fees. Each says what it did as an
//! [`Effect`]; `apply` records it.

use serde_json::json;

use super::{Ctx, Effect, Notice};
use crate::kernel::error::{Error, Result};
use crate::kernel::ids;
use crate::requests::model::FeeView;
use crate::requests::service::open_description;
use crate::requests::store;
use gongkai_rules::requests::deadline::{self, ClockEvent, PauseReason};
use gongkai_rules::requests::fees::{self, ChargeBasis};
use gongkai_rules::requests::lifecycle::{ConsultParty, Phase};

/// The clock of an online request starts on the day it is registered.
pub(super) fn register(cx: &Ctx<'_>) -> Effect {
    Effect::plain().clock(ClockEvent::Received { on: cx.today })
}

pub(super) fn request_correction(cx: &Ctx<'_>, what: &str, within: u32) -> Result<Effect> {
    let respond_by = cx
        .cal
        .add_working_days(cx.today, within)
        .map_err(|e| Error::invalid("respond_within_working_days", e.to_string()))?;
    let what = what.trim();
    Ok(
        Effect::new(json!({"what": what, "respond_by": respond_by.to_string()}))
            .clock(ClockEvent::CorrectionRequested {
                on: cx.today,
                respond_by,
            })
            .notice(Notice::Correction {
                what: what.to_string(),
                respond_by: respond_by.to_string(),
            }),
    )
}

/// The correction arrived; its text, if any, is added to the sealed description.
pub(super) fn receive_correction(cx: &mut Ctx<'_>, text: Option<&str>) -> Result<Effect> {
    if let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) {
        let before = open_description(cx.requests, &cx.row)?;
        cx.row.description_sealed = cx
            .requests
            .secrets
            .seal(&format!("{before}\n\n【补正 {}】{text}", cx.on));
    }
    Ok(Effect::plain().clock(ClockEvent::Corrected { on: cx.today }))
}

/// To an officer (a member of the agency) and/or a department.
pub(super) async fn assign(
    cx: &mut Ctx<'_>,
    assignee_id: Option<&str>,
    department: Option<&str>,
) -> Result<Effect> {
    if let Some(user_id) = assignee_id {
        if !store::is_member(cx.tx, user_id).await? {
            return Err(Error::invalid("assignee_id", "not a member of this agency"));
        }
    }
    cx.row.assignee_id = assignee_id.map(str::to_string);
    cx.row.department = department
        .map(|d| d.trim().to_string())
        .filter(|d| !d.is_empty());
    Ok(Effect::new(
        json!({"assignee_id": cx.row.assignee_id, "department": cx.row.department}),
    ))
}

/// The agency that holds the information (named by the reply of outcome 4.1).
pub(super) fn refer(cx: &mut Ctx<'_>, agency: &str) -> Effect {
    let agency = agency.trim();
    cx.row.referred_to = Some(agency.to_string());
    Effect::new(json!({ "agency": agency }))
}

/// The first open consultation pauses the clock; the party has a period to reply.
pub(super) fn start_consultation(cx: &Ctx<'_>, party: ConsultParty) -> Effect {
    let reply_by = cx
        .cal
        .add_working_days(cx.today, deadline::CONSULTATION_REPLY)
        .ok();
    let opens = !matches!(cx.current.phase, Phase::Consulting { .. });
    let effect = Effect::new(
        json!({"party": party, "pause": opens, "reply_by": reply_by.map(|d| d.to_string())}),
    );
    if !opens {
        return effect;
    }
    effect.clock(ClockEvent::PauseStarted {
        on: cx.today,
        reason: match party {
            ConsultParty::ThirdParty => PauseReason::ThirdParty,
            ConsultParty::OtherAgency => PauseReason::OtherAgency,
        },
    })
}

/// The last open consultation ending restarts the clock.
pub(super) fn end_consultation(cx: &Ctx<'_>, result: &str) -> Effect {
    let closes = matches!(cx.next.phase, Phase::Assigned);
    let effect = Effect::new(json!({"result": result, "pause": closes}));
    if closes {
        effect.clock(ClockEvent::PauseEnded { on: cx.today })
    } else {
        effect
    }
}

pub(super) fn extend(cx: &Ctx<'_>, working_days: u32, reason: &str) -> Effect {
    let reason = reason.trim();
    Effect::new(json!({"working_days": working_days, "reason": reason}))
        .clock(ClockEvent::Extended {
            on: cx.today,
            working_days,
        })
        .notice(Notice::Extension {
            working_days,
            reason: reason.to_string(),
        })
}

/// A fee notice by pages, or by the request's place among the applicant's requests
/// this month; refused when the quote is nothing.
pub(super) async fn notify_fee(
    cx: &mut Ctx<'_>,
    basis: &str,
    pages: Option<u32>,
) -> Result<Effect> {
    let charge = match (basis, pages) {
        ("pages", Some(pages)) => ChargeBasis::ByPages { pages },
        _ => {
            let month = &cx.row.received_on[..7];
            let list = store::applicant_month(cx.tx, &cx.row.applicant_key, month).await?;
            let nth = list
                .iter()
                .position(|x| *x == cx.row.id)
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
    let pay_by = cx
        .cal
        .add_working_days(cx.today, deadline::FEE_PAYMENT)
        .map_err(|e| Error::invalid("basis", e.to_string()))?;
    let units = match charge {
        ChargeBasis::ByCount { nth_in_month } => nth_in_month,
        ChargeBasis::ByPages { pages } => pages,
    };
    let fee = FeeView {
        id: ids::new_id(),
        basis: basis.to_string(),
        units: i64::from(units),
        amount_yuan: quote.total_yuan as i64,
        noticed_on: cx.on.clone(),
        pay_by: pay_by.to_string(),
        status: "pending".into(),
        paid_on: None,
    };
    store::insert_fee(cx.tx, &cx.row.id, &fee).await?;
    Ok(Effect::new(
        json!({"amount_yuan": quote.total_yuan, "basis": basis, "units": units, "pay_by": fee.pay_by, "bands": quote.bands}),
    )
    .clock(ClockEvent::FeeNoticed { on: cx.today })
    .notice(Notice::Fee {
        amount_yuan: quote.total_yuan,
        pay_by: fee.pay_by,
    }))
}

pub(super) async fn fee_paid(cx: &mut Ctx<'_>) -> Result<Effect> {
    store::settle_fee(cx.tx, &cx.row.id, "paid", Some(&cx.on)).await?;
    Ok(Effect::plain().clock(ClockEvent::FeePaid { on: cx.today }))
}
