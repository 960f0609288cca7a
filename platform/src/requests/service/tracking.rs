//! Tracking by the applicant (tracking number and access code), and the steps the
//! applicant takes from the tracking page.

use super::clock::{clock_events, deadline_view};
use super::steps::{self, Step};
use crate::kernel::actor::Actor;
use crate::kernel::crypto::sha256_hex;
use crate::kernel::db::TenantTx;
use crate::kernel::error::{Error, Result};
use crate::requests::model::PublicView;
use crate::requests::store::{self, EventRow, RequestRow};
use crate::requests::Requests;
use crate::tenancy::Tenant;
use gongkai_rules::requests::lifecycle::AbandonReason;

fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The request behind a tracking number and access code; one answer for "no such
/// number" and "wrong code", so neither leaks.
pub(super) async fn locate(
    tx: &mut TenantTx,
    number: &str,
    access_code: &str,
) -> Result<RequestRow> {
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
    requests: &Requests,
    tenant: &Tenant,
    number: &str,
    access_code: &str,
) -> Result<PublicView> {
    let cal = requests
        .calendar
        .for_tenant(&requests.db, &tenant.id)
        .await?;
    let today = requests.clock.today();
    let mut tx = requests.db.tenant_read(&tenant.id).await?;
    let row = locate(&mut tx, number, access_code).await?;
    let events = store::events(&mut tx, &row.id).await?;
    let fees = store::fees(&mut tx, &row.id).await?;
    let answers = store::answers(&mut tx, &row.id).await?;
    tx.commit().await?;
    let clock = clock_events(&events);
    Ok(PublicView {
        tracking_number: row.tracking_number.clone(),
        status: row.phase().into(),
        status_zh: row.state.phase.label_zh().into(),
        received_on: row.received_on.clone(),
        outcome_code: row.outcome_code.clone(),
        deadline: deadline_view(row.phase(), &clock, &cal, today),
        timeline: events.iter().map(EventRow::view).collect(),
        fee: fees.into_iter().last(),
        answer: answers.into_iter().rfind(|a| a.status == "delivered"),
    })
}

/// A step the applicant takes from the tracking page.
pub async fn applicant_step(
    requests: &Requests,
    tenant: &Tenant,
    number: &str,
    access_code: &str,
    step: Step,
) -> Result<PublicView> {
    let id = {
        let mut tx = requests.db.tenant_read(&tenant.id).await?;
        let row = locate(&mut tx, number, access_code).await?;
        tx.commit().await?;
        row.id
    };
    let actor = Actor {
        user_id: None,
        label: "applicant".into(),
    };
    steps::step(requests, tenant, &actor, &id, step).await?;
    track(requests, tenant, number, access_code).await
}

/// The applicant's answer to a fee notice: `accept` (will pay; staff record the
/// payment) or `decline` (the fee lapses now, outcome 6.2).
pub async fn applicant_fee(
    requests: &Requests,
    tenant: &Tenant,
    number: &str,
    access_code: &str,
    accept: bool,
) -> Result<PublicView> {
    if accept {
        let view = track(requests, tenant, number, access_code).await?;
        if view.fee.as_ref().is_none_or(|f| f.status != "pending") {
            return Err(Error::Conflict {
                message: "no fee is pending".into(),
                current_state: Some(view.status),
            });
        }
        return Ok(view);
    }
    applicant_step(
        requests,
        tenant,
        number,
        access_code,
        Step::Abandon(AbandonReason::FeeLapsed),
    )
    .await
}
