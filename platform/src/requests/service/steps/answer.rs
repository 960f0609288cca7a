//! The steps of the answer: drafting, review, delivery, and the end of a request
//! abandoned by its applicant.

use serde_json::json;

use super::{Ctx, Effect};
use crate::kernel::error::{Error, Result};
use crate::requests::mail::{self, Outgoing};
use crate::requests::service::templates::reply_document;
use crate::requests::store;
use crate::requests::texts::{self, ApplicantMail};
use gongkai_rules::requests::deadline::ClockEvent;
use gongkai_rules::requests::lifecycle::AbandonReason;
use gongkai_rules::requests::outcome::{Outcome, UnknownOutcome};

/// A draft with one outcome code; the reply is the tenant's template filled in unless
/// the officer wrote it.
pub(super) async fn draft(
    cx: &mut Ctx<'_>,
    outcome: &str,
    reply_text: Option<&str>,
) -> Result<Effect> {
    let outcome: Outcome = outcome
        .parse()
        .map_err(|e: UnknownOutcome| Error::invalid("outcome_code", e.to_string()))?;
    let text = match reply_text.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => t.to_string(),
        None => reply_document(cx.tx, cx.tenant, &cx.row, &cx.applicant, outcome, cx.today).await?,
    };
    let answer_id = store::insert_answer(
        cx.tx,
        &cx.row.id,
        outcome.code(),
        &text,
        &cx.actor.label,
        &cx.now,
    )
    .await?;
    Ok(Effect::new(
        json!({"outcome_code": outcome.code(), "answer_id": answer_id}),
    ))
}

/// Approves the latest draft, or returns it with `comments`.
pub(super) async fn review(cx: &mut Ctx<'_>, comments: Option<&str>) -> Result<Effect> {
    let answers = store::answers(cx.tx, &cx.row.id).await?;
    let draft = answers
        .iter()
        .rfind(|a| matches!(a.status.as_str(), "draft" | "approved"))
        .ok_or_else(|| cx.conflict("no drafted answer"))?;
    // Separation of duties, as for items: the drafter's own review would be no review.
    // Returning a draft with comments is refused too: it would let the drafter clear it.
    if draft.drafted_by == cx.actor.label {
        return Err(Error::Forbidden(
            "whoever drafted this answer may not review it".into(),
        ));
    }
    let status = if comments.is_some() {
        "returned"
    } else {
        "approved"
    };
    store::set_answer_status(
        cx.tx,
        &draft.id,
        status,
        Some(&cx.actor.label),
        comments.map(str::trim),
        &cx.now,
    )
    .await?;
    Ok(Effect::new(json!({"outcome_code": draft.outcome_code})))
}

/// Delivers the approved answer; by e-mail, with the reply document attached.
pub(super) async fn deliver(cx: &mut Ctx<'_>, note: Option<&str>) -> Result<Effect> {
    let answers = store::answers(cx.tx, &cx.row.id).await?;
    let answer = answers
        .iter()
        .rfind(|a| a.status == "approved")
        .ok_or_else(|| cx.conflict("no approved answer"))?;
    store::set_answer_status(cx.tx, &answer.id, "delivered", None, None, &cx.now).await?;
    cx.row.outcome_code = Some(answer.outcome_code.clone());
    cx.row.answered_on = Some(cx.on.clone());
    let by_email = cx.row.delivery_method == "email";
    if let Some(to) = cx.applicant.email.as_deref().filter(|_| by_email) {
        let mail = texts::applicant_mail(
            ApplicantMail::AnswerDelivered {
                outcome: &answer.outcome_label,
            },
            &cx.tenant.name_zh,
            &cx.row.tracking_number,
            cx.row.language == "en",
        );
        let out = Outgoing {
            kind: "answer_delivered",
            request_id: Some(&cx.row.id),
            to,
            mail,
            attachment: Some((
                format!("reply-{}.txt", cx.row.tracking_number),
                answer.reply_text.clone(),
            )),
        };
        mail::enqueue(cx.tx, &cx.requests.secrets, out).await?;
    }
    Ok(Effect::new(
        json!({"outcome_code": answer.outcome_code, "method": cx.row.delivery_method, "note": note}),
    )
    .clock(ClockEvent::Answered { on: cx.today }))
}

/// The applicant let a correction or a fee lapse (outcomes 6.1, 6.2).
pub(super) async fn abandon(cx: &mut Ctx<'_>, reason: AbandonReason) -> Result<Effect> {
    cx.row.outcome_code = Some(reason.outcome_code().to_string());
    cx.row.answered_on = Some(cx.on.clone());
    if reason == AbandonReason::FeeLapsed {
        store::settle_fee(cx.tx, &cx.row.id, "lapsed", None).await?;
    }
    Ok(Effect::new(json!({"outcome_code": reason.outcome_code()})))
}
