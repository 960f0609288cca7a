//! Openings as staff make and read them: the bid kind, the deadline and opening time, the
//! named holders with the threshold; the bids (sealed parts shown as sealed until opened);
//! an opened document.

use std::collections::BTreeSet;

use serde_json::{json, Map, Value};

use super::{bid_kind, opening_or_404, opening_view, part_view, seal_error, status, unb64};
use crate::audit;
use crate::kernel::actor::Actor;
use crate::kernel::error::{check, Error, FieldProblem, Result};
use crate::kernel::ids;
use crate::sealing::model::{BidView, NewOpening, OpeningView, PublicOpeningView};
use crate::sealing::store::{self, OpeningRow, PartRow};
use crate::sealing::Sealing;
use crate::tenancy::Tenant;

fn text(problems: &mut Vec<FieldProblem>, field: &str, value: &str, max: usize) -> String {
    let v = value.trim();
    if v.is_empty() || v.chars().count() > max {
        problems.push(FieldProblem::new(field, format!("1–{max} characters")));
    }
    v.to_string()
}

/// Makes an opening. Every problem of the input is reported at once; nothing is stored
/// unless all is well.
pub async fn create(
    s: &Sealing,
    tenant: &Tenant,
    actor: &Actor,
    input: NewOpening,
) -> Result<OpeningView> {
    let now = s.clock.now();
    let mut problems = Vec::new();
    let title = text(&mut problems, "title", &input.title, 200);
    let reference = text(&mut problems, "reference", &input.reference, 100);
    let time = |problems: &mut Vec<FieldProblem>, field: &str, value: &str| {
        let parsed = ids::parse_time(value);
        if parsed.is_none() {
            problems.push(FieldProblem::new(
                field,
                "a date and time in RFC 3339, e.g. 2026-12-20T09:30:00+08:00",
            ));
        }
        parsed
    };
    let deadline = time(&mut problems, "deadline_at", &input.deadline_at);
    let opening = time(&mut problems, "opening_at", &input.opening_at);
    if let Some(d) = deadline {
        if d <= now {
            problems.push(FieldProblem::new("deadline_at", "the deadline has passed"));
        }
    }
    if let (Some(d), Some(o)) = (deadline, opening) {
        if o < d {
            problems.push(FieldProblem::new(
                "opening_at",
                "bids are opened at or after the deadline, never before",
            ));
        }
    }
    let distinct: BTreeSet<&String> = input.holders.iter().collect();
    if distinct.len() != input.holders.len() {
        problems.push(FieldProblem::new("holders", "a holder is named twice"));
    }
    let threshold = input
        .threshold
        .unwrap_or(u8::try_from(input.holders.len()).unwrap_or(u8::MAX));
    if let Err(e) = gongkai_seal::check_threshold(threshold, input.holders.len()) {
        problems.push(FieldProblem::new("threshold", e.to_string()));
    }
    if let Err(Error::Invalid(mut p)) = bid_kind(s, tenant, &input.kind).await {
        problems.append(&mut p);
    }
    let mut tx = s.db.tenant(&tenant.id).await?;
    let mut recipients = Vec::new();
    for (i, user) in input.holders.iter().enumerate() {
        match store::key(&mut tx, user).await? {
            Some(k) => recipients.push(k.recipient),
            None => problems.push(FieldProblem::new(
                format!("holders[{i}]"),
                "this person has no key registered in this agency (they register one with their passphrase first)",
            )),
        }
    }
    check(problems)?;
    let (Some(deadline), Some(opening)) = (deadline, opening) else {
        unreachable!("checked above")
    };
    let row = OpeningRow {
        id: ids::new_id(),
        title,
        reference,
        kind: input.kind,
        deadline_at: super::stamp(deadline),
        opening_at: super::stamp(opening),
        threshold: i64::from(threshold),
        created_by: actor.user_id.clone().unwrap_or_else(|| actor.label.clone()),
        created_at: super::stamp(now),
        opened_at: None,
    };
    store::insert_opening(&mut tx, &row).await?;
    for (i, (user, recipient)) in input.holders.iter().zip(&recipients).enumerate() {
        store::insert_holder(&mut tx, &row.id, user, i as i64 + 1, recipient).await?;
    }
    audit::append(
        &mut tx,
        actor,
        "sealing.opening.create",
        "sealed_opening",
        &row.id,
        json!({"title": row.title, "reference": row.reference, "kind": row.kind,
               "deadline_at": row.deadline_at, "opening_at": row.opening_at,
               "threshold": row.threshold, "holders": input.holders, "recipients": recipients}),
    )
    .await?;
    let view = opening_view(&mut tx, row, now).await?;
    tx.commit().await?;
    Ok(view)
}

pub async fn list(s: &Sealing, tenant: &Tenant) -> Result<Vec<OpeningView>> {
    let now = s.clock.now();
    let mut tx = s.db.tenant_read(&tenant.id).await?;
    let mut out = Vec::new();
    for o in store::openings(&mut tx).await? {
        out.push(opening_view(&mut tx, o, now).await?);
    }
    tx.commit().await?;
    Ok(out)
}

pub async fn get(s: &Sealing, tenant: &Tenant, id: &str) -> Result<OpeningView> {
    let mut tx = s.db.tenant_read(&tenant.id).await?;
    let o = opening_or_404(&mut tx, id, false).await?;
    let view = opening_view(&mut tx, o, s.clock.now()).await?;
    tx.commit().await?;
    Ok(view)
}

/// The opening's notice for anyone (bidders check the deadline and the server's status).
pub async fn public_get(s: &Sealing, tenant: &Tenant, id: &str) -> Result<PublicOpeningView> {
    let v = get(s, tenant, id).await?;
    Ok(PublicOpeningView {
        id: v.id,
        title: v.title,
        reference: v.reference,
        deadline_at: v.deadline_at,
        opening_at: v.opening_at,
        status: v.status,
        threshold: v.threshold,
        holders: v.holders.len() as i64,
        opened_at: v.opened_at,
    })
}

fn json_map(text: &str) -> Result<Map<String, Value>> {
    serde_json::from_str(text).map_err(|e| Error::internal_cause("stored bid fields", e))
}

/// The bids of an opening: receipts and clear fields; sealed fields once opened.
pub async fn bids(s: &Sealing, tenant: &Tenant, id: &str) -> Result<Vec<BidView>> {
    let mut tx = s.db.tenant_read(&tenant.id).await?;
    opening_or_404(&mut tx, id, false).await?;
    let mut out = Vec::new();
    for b in store::bids(&mut tx, id).await? {
        let parts = store::parts(&mut tx, &b.id).await?;
        out.push(BidView {
            clear_fields: json_map(&b.clear_fields)?,
            opened_fields: b.opened_fields.as_deref().map(json_map).transpose()?,
            id: b.id,
            received_at: b.received_at,
            receipt_hash: b.receipt_hash,
            parts: parts.into_iter().map(part_view).collect(),
        });
    }
    tx.commit().await?;
    Ok(out)
}

/// An opened document's part and bytes; 409 while the opening has not happened.
pub async fn document(
    s: &Sealing,
    tenant: &Tenant,
    opening_id: &str,
    bid_id: &str,
    slot: &str,
) -> Result<(PartRow, Vec<u8>)> {
    let mut tx = s.db.tenant_read(&tenant.id).await?;
    let o = opening_or_404(&mut tx, opening_id, false).await?;
    store::bid(&mut tx, opening_id, bid_id, false)
        .await?
        .filter(|b| b.withdrawn_at.is_none())
        .ok_or_else(|| Error::NotFound("bid".into()))?;
    let part = store::parts(&mut tx, bid_id)
        .await?
        .into_iter()
        .find(|p| p.name == slot && p.object_key.is_some())
        .ok_or_else(|| Error::NotFound("document".into()))?;
    tx.commit().await?;
    let Some(key) = &part.content_key else {
        return Err(Error::Conflict {
            message: format!(
                "sealed until the opening ({}); it opens when {} key holders have contributed",
                o.opening_at, o.threshold
            ),
            current_state: Some(status(&o, s.clock.now())?.into()),
        });
    };
    let key: [u8; gongkai_seal::KEY_LEN] = unb64(key)?
        .try_into()
        .map_err(|_| Error::internal("stored content key has the wrong length"))?;
    let ciphertext = super::bids::read_object(s, tenant, &part).await?;
    let plaintext = gongkai_seal::open(&key, &ciphertext, &super::place(opening_id, bid_id, slot))
        .map_err(seal_error)?;
    Ok((part, plaintext))
}
