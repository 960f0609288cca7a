//! The opening ceremony. After the opening time each named holder signs in and gives their
//! passphrase: their private key is unlocked for the moment, decrypts their share of every
//! sealed part, and each share is checked against its commitment. When `threshold` holders
//! have contributed, every part is opened, its content key kept (the content is open now),
//! the decrypted shares erased, and the ceremony written to the audit chain: who
//! contributed when, and each bid's receipt and content hashes. Refusals (someone who is
//! not a holder, a wrong passphrase, a share that does not match its commitment) are
//! written to the audit chain too.

use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use tokio::sync::Semaphore;

use super::{b64, opening_or_404, opening_view, place, stamp, unb64, FIELDS_PART};
use crate::audit;
use crate::kernel::actor::Actor;
use crate::kernel::db::TenantTx;
use crate::kernel::error::{Error, Result};
use crate::sealing::model::ContributionView;
use crate::sealing::store::{self, HolderRow, OpeningRow};
use crate::sealing::Sealing;
use crate::tenancy::Tenant;
use gongkai_seal::{sha256_hex, SealError};

/// Unlocking a key takes 32 MiB of memory for scrypt: two at a time per replica.
static UNLOCKS: Semaphore = Semaphore::const_new(2);

/// A refused contribution: what the audit chain records, and the answer.
struct Refusal<'a> {
    opening_id: &'a str,
    action: &'static str,
    details: Value,
    answer: Error,
}

/// Ends `tx` (it wrote nothing), records the refusal in the audit chain in a transaction
/// of its own, and gives back the answer (or the failure to record it).
async fn refuse(
    s: &Sealing,
    tenant: &Tenant,
    actor: &Actor,
    tx: TenantTx,
    refusal: Refusal<'_>,
) -> Error {
    let recorded = async {
        tx.commit().await?;
        let mut tx = s.db.tenant(&tenant.id).await?;
        audit::append(
            &mut tx,
            actor,
            refusal.action,
            "sealed_opening",
            refusal.opening_id,
            refusal.details,
        )
        .await?;
        tx.commit().await?;
        Ok::<(), Error>(())
    };
    match recorded.await {
        Ok(()) => refusal.answer,
        Err(e) => e,
    }
}

/// The signed-in holder's contribution to the opening `opening_id`.
pub async fn contribute(
    s: &Sealing,
    tenant: &Tenant,
    actor: &Actor,
    opening_id: &str,
    passphrase: String,
) -> Result<ContributionView> {
    let now = s.clock.now();
    let user_id = actor.user_id.clone().unwrap_or_default();
    let mut tx = s.db.tenant(&tenant.id).await?;
    let o = opening_or_404(&mut tx, opening_id, true).await?;
    let holders = store::holders(&mut tx, &o.id).await?;
    let Some(holder) = holders.iter().find(|h| h.user_id == user_id).cloned() else {
        let refusal = Refusal {
            opening_id: &o.id,
            action: "sealing.contribution.refused",
            details: json!({"reason": "not a key holder of this opening"}),
            answer: Error::Forbidden(
                "you are not a key holder of this opening; the attempt is recorded".into(),
            ),
        };
        return Err(refuse(s, tenant, actor, tx, refusal).await);
    };
    if let Some(at) = &o.opened_at {
        return Err(Error::Conflict {
            message: format!("the bids were opened at {at}"),
            current_state: Some("opened".into()),
        });
    }
    if now < super::parse_stamp(&o.opening_at)? {
        return Err(Error::Conflict {
            message: format!(
                "the opening is at {} (server time now {}): shares are accepted from then",
                o.opening_at,
                stamp(now)
            ),
            current_state: Some(super::status(&o, now)?.into()),
        });
    }
    if let Some(at) = &holder.contributed_at {
        return Err(Error::conflict(format!("you contributed at {at}")));
    }
    let key = store::key(&mut tx, &user_id)
        .await?
        .filter(|k| k.recipient == holder.recipient)
        .ok_or_else(|| {
            Error::internal("a holder's key differs from the one the opening was made with")
        })?;
    let protected = unb64(&key.protected_identity)?;
    let unlocked = {
        let _permit = UNLOCKS
            .acquire()
            .await
            .map_err(|e| Error::internal_cause("unlock queue", e))?;
        tokio::task::spawn_blocking(move || gongkai_seal::unlock(&protected, &passphrase))
            .await
            .map_err(|e| Error::internal_cause("unlocking", e))?
    };
    let unlocked = match unlocked {
        Ok(k) => k,
        Err(SealError::WrongPassphrase) => {
            let refusal = Refusal {
                opening_id: &o.id,
                action: "sealing.contribution.refused",
                details: json!({"reason": "wrong passphrase", "position": holder.position}),
                answer: Error::invalid(
                    "passphrase",
                    "this passphrase does not unlock your key; the attempt is recorded",
                ),
            };
            return Err(refuse(s, tenant, actor, tx, refusal).await);
        }
        Err(e) => return Err(Error::internal_cause("unlocking a holder's key", e)),
    };

    let mut shares = store::shares(&mut tx, &o.id, Some(&user_id)).await?;
    for share in &mut shares {
        let at = place(&o.id, &share.bid_id, &share.part);
        let decrypted = unb64(&share.encrypted)
            .ok()
            .and_then(|e| unlocked.decrypt_share(&e).ok())
            .filter(|bytes| {
                gongkai_seal::commitment(&at, &holder.recipient, bytes) == share.commitment
            });
        let Some(bytes) = decrypted else {
            let message = format!(
                "the share of holder {} ({}) for bid {}, part `{}`, does not match the commitment \
                 stored when the bid was sealed: it was changed since and is not counted; \
                 nothing of this contribution is kept",
                holder.position, holder.display_name, share.bid_id, share.part
            );
            let refusal = Refusal {
                opening_id: &o.id,
                action: "sealing.share.mismatch",
                details: json!({"position": holder.position, "bid": share.bid_id, "part": share.part}),
                answer: Error::Conflict {
                    message,
                    current_state: Some("share-mismatch".into()),
                },
            };
            return Err(refuse(s, tenant, actor, tx, refusal).await);
        };
        share.contributed = Some(b64(&bytes));
    }
    for share in &shares {
        store::set_share_contributed(&mut tx, share).await?;
    }
    store::set_contributed(&mut tx, &o.id, &user_id, &stamp(now)).await?;
    audit::append(
        &mut tx,
        actor,
        "sealing.contribution",
        "sealed_opening",
        &o.id,
        json!({"position": holder.position, "at": stamp(now), "shares": shares.len()}),
    )
    .await?;
    let contributed = 1 + holders
        .iter()
        .filter(|h| h.contributed_at.is_some())
        .count();
    if contributed as i64 >= o.threshold {
        open_all(s, tenant, &mut tx, actor, &o, now).await?;
    }
    let o = opening_or_404(&mut tx, &o.id, false).await?;
    let view = opening_view(&mut tx, o, now).await?;
    tx.commit().await?;
    Ok(ContributionView {
        opening: view,
        shares: shares.len() as i64,
    })
}

/// Opens every part of every live bid with the contributed shares, keeps the content keys,
/// erases the decrypted shares and writes the ceremony to the audit chain. A part whose
/// ciphertext was altered in storage does not open; it is named in the record and the
/// others open.
async fn open_all(
    s: &Sealing,
    tenant: &Tenant,
    tx: &mut TenantTx,
    actor: &Actor,
    o: &OpeningRow,
    now: DateTime<Utc>,
) -> Result<()> {
    let threshold = u8::try_from(o.threshold).map_err(Error::internal_from)?;
    let holders: Vec<HolderRow> = store::holders(tx, &o.id).await?;
    let mut all = store::shares(tx, &o.id, None).await?;
    let mut opened = Vec::new();
    let mut failed = Vec::new();
    for mut bid in store::bids(tx, &o.id).await? {
        let mut parts_record = Vec::new();
        for part in store::parts(tx, &bid.id).await? {
            let shares = all
                .iter()
                .filter(|sh| sh.bid_id == bid.id && sh.part == part.name)
                .filter_map(|sh| sh.contributed.as_deref())
                .map(unb64)
                .collect::<Result<Vec<_>>>()?;
            let ciphertext = match &part.ciphertext {
                Some(text) => unb64(text)?,
                None => super::bids::read_object(s, tenant, &part).await?,
            };
            let at = place(&o.id, &bid.id, &part.name);
            let result = gongkai_seal::recover_key(threshold, &shares)
                .and_then(|key| gongkai_seal::open(&key, &ciphertext, &at).map(|p| (key, p)));
            match result {
                Ok((key, plaintext)) => {
                    let hash = sha256_hex(&plaintext);
                    if part.name == FIELDS_PART {
                        bid.opened_fields = Some(
                            String::from_utf8(plaintext)
                                .map_err(|e| Error::internal_cause("opened fields", e))?,
                        );
                    }
                    store::set_part_opened(tx, &bid.id, &part.name, &b64(&key), &hash).await?;
                    parts_record.push(json!({"name": part.name, "file_name": part.file_name,
                        "ciphertext_sha256": part.ciphertext_sha256, "plaintext_sha256": hash}));
                }
                Err(e) => failed.push(json!({"bid": bid.id, "part": part.name,
                    "ciphertext_sha256": part.ciphertext_sha256, "error": e.to_string()})),
            }
        }
        store::update_bid(tx, &bid).await?;
        opened.push(json!({"bid": bid.id, "received_at": bid.received_at,
            "receipt_hash": bid.receipt_hash, "parts": parts_record}));
    }
    // The content keys are kept now; the decrypted shares have done their work.
    for share in all.iter_mut().filter(|sh| sh.contributed.is_some()) {
        share.contributed = None;
        store::set_share_contributed(tx, share).await?;
    }
    store::set_opened(tx, &o.id, &stamp(now)).await?;
    let contributors: Vec<Value> = holders
        .iter()
        .filter_map(|h| {
            h.contributed_at.as_ref().map(|at| {
                json!({"user": h.user_id, "name": h.display_name, "position": h.position, "at": at})
            })
        })
        .collect();
    audit::append(
        tx,
        actor,
        "sealing.opened",
        "sealed_opening",
        &o.id,
        json!({"opened_at": stamp(now), "threshold": o.threshold, "holders": holders.len(),
               "contributors": contributors, "bids": opened, "failed": failed}),
    )
    .await?;
    Ok(())
}
