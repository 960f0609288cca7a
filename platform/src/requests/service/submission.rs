//! Public submission: checked, idempotent with a key, numbered, acknowledged by e-mail.

use chrono::{Datelike, NaiveDate};
use serde_json::json;

use super::documents::{self, Document};
use crate::audit;
use crate::kernel::actor::Actor;
use crate::kernel::crypto::{random_token, sha256_hex};
use crate::kernel::error::{Constraint, Error, Result};
use crate::kernel::ids;
use crate::requests::mail::{self, Outgoing};
use crate::requests::model::{self, Applicant, Receipt, Submission};
use crate::requests::store::{self, NewEvent, RequestRow};
use crate::requests::texts::{self, ApplicantMail};
use crate::requests::Requests;
use crate::tenancy::Tenant;
use gongkai_rules::requests::lifecycle::{Phase, RequestState};

/// A keyed hash that recognises one applicant across requests without revealing who.
fn applicant_key(requests: &Requests, a: &Applicant) -> String {
    let id = a
        .id_number
        .clone()
        .or_else(|| a.credit_code.clone())
        .unwrap_or_else(|| a.name.clone());
    let mut data = requests.secrets.cookie_key().to_vec();
    data.extend_from_slice(b"applicant:");
    data.extend_from_slice(id.as_bytes());
    sha256_hex(&data)
}

/// Submits a request. With an idempotency key, a retry of the same body returns the first
/// receipt and a different body is refused.
/// `documents` (an ID copy) are stored with the request, sealed, in the same transaction.
pub async fn submit(
    requests: &Requests,
    tenant: &Tenant,
    input: Submission,
    documents: &[Document],
    body_hash: &str,
    idempotency_key: Option<String>,
) -> Result<Receipt> {
    let today = requests.clock.today();
    submit_on(
        requests,
        tenant,
        input,
        documents,
        body_hash,
        idempotency_key,
        today,
    )
    .await
}

/// [`submit`] as of a given day (demo data, imports of paper requests).
pub async fn submit_on(
    requests: &Requests,
    tenant: &Tenant,
    input: Submission,
    documents: &[Document],
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
    let submission = Checked {
        tenant,
        input: &input,
        documents,
        applicant: &applicant,
        body_hash,
        key: idempotency_key.as_deref(),
        today,
    };
    // Two submissions may race for a tracking number: the loser tries again.
    for attempt in 0..5 {
        match submit_once(requests, &submission).await {
            Err(Error::Database(err)) if Constraint::Unique.violated_by(&err) && attempt < 4 => {
                continue
            }
            other => return other,
        }
    }
    Err(Error::internal("could not allocate a tracking number"))
}

/// A submission that passed its checks.
struct Checked<'a> {
    tenant: &'a Tenant,
    input: &'a Submission,
    documents: &'a [Document],
    applicant: &'a Applicant,
    body_hash: &'a str,
    key: Option<&'a str>,
    today: NaiveDate,
}

async fn submit_once(requests: &Requests, s: &Checked<'_>) -> Result<Receipt> {
    let (tenant, input, applicant) = (s.tenant, s.input, s.applicant);
    let mut tx = requests.db.tenant(&tenant.id).await?;
    if let Some(key) = s.key {
        if let Some(used) = store::idempotency(&mut tx, key).await? {
            if used.body_hash != s.body_hash {
                return Err(Error::invalid(
                    "Idempotency-Key",
                    "this key was already used with a different request body; use a new key for a new request",
                ));
            }
            let text = requests
                .secrets
                .open(&used.response)
                .map_err(Error::internal_from)?;
            return serde_json::from_str(&text).map_err(Error::internal_from);
        }
    }
    let now = ids::now_text();
    let access_code = random_token(9);
    let row = RequestRow {
        id: ids::new_id(),
        tracking_number: store::next_tracking_number(&mut tx, s.today.year()).await?,
        access_code_hash: sha256_hex(access_code.as_bytes()),
        applicant_type: input.applicant_type.clone(),
        applicant_sealed: requests
            .secrets
            .seal(&serde_json::to_string(applicant).map_err(Error::internal_from)?),
        applicant_key: applicant_key(requests, applicant),
        description_sealed: requests.secrets.seal(input.description.trim()),
        delivery_method: input.delivery_method.clone(),
        delivery_form: input.delivery_form.clone(),
        language: input.language.clone().unwrap_or_else(|| "zh".into()),
        received_on: s.today.to_string(),
        state: RequestState {
            phase: Phase::Received,
            correction_used: false,
            extended: false,
            fee_pending: false,
        },
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
    documents::store_all(requests, &mut tx, &row.id, s.documents).await?;
    store::add_event(
        &mut tx,
        NewEvent {
            request_id: &row.id,
            seq: 1,
            kind: "received",
            on: &row.received_on,
            at: &now,
            actor: "applicant",
            details: &json!({"channel": "online", "delivery_method": row.delivery_method, "delivery_form": row.delivery_form}),
        },
    )
    .await?;
    let track_url = format!(
        "{}/api/v1/portal/{}/requests/{}",
        requests.settings.public_base_url, tenant.slug, row.tracking_number
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
            &requests.secrets,
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
        json!({"tracking_number": row.tracking_number, "applicant_type": row.applicant_type, "documents": s.documents.len()}),
    )
    .await?;
    let receipt = Receipt {
        tracking_number: row.tracking_number.clone(),
        access_code,
        status: "received".into(),
        received_on: row.received_on.clone(),
        track_url,
    };
    if let Some(key) = s.key {
        let sealed = requests
            .secrets
            .seal(&serde_json::to_string(&receipt).map_err(Error::internal_from)?);
        store::put_idempotency(&mut tx, key, s.body_hash, 201, &sealed, &now).await?;
    }
    tx.commit().await?;
    requests.wake_outbox();
    Ok(receipt)
}
