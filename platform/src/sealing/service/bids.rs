//! Bids as bidders send them: fields checked by the kind's plugin, the sealed ones and
//! every document encrypted before anything is stored, a receipt (server time and the
//! hash of what was received) and a token to replace or withdraw the bid before the
//! deadline. After the deadline nothing changes.

use object_store::path::Path as ObjectPath;
use object_store::PutPayload;
use serde_json::{json, Map, Value};

use super::{
    b64, before_deadline, bid_kind, opening_or_404, part_view, place, seal_error, BidKind,
    FIELDS_PART,
};
use crate::audit;
use crate::disclosure::attachments::{object_store, read_at};
use crate::kernel::actor::Actor;
use crate::kernel::db::TenantTx;
use crate::kernel::error::{check, Error, FieldProblem, Result};
use crate::kernel::ids;
use crate::plugins::model::Severity;
use crate::plugins::service as plugins;
use crate::sealing::model::Receipt;
use crate::sealing::store::{self, BidRow, OpeningRow, PartRow, ShareRow};
use crate::sealing::Sealing;
use crate::tenancy::Tenant;
use gongkai_seal::sha256_hex;

/// Bids of one opening at most (each may carry documents up to the attachment limit).
const MAX_BIDS: i64 = 500;

fn bidder() -> Actor {
    Actor {
        user_id: None,
        label: "bidder".into(),
    }
}

/// Checks the fields with the kind's plugin and splits them into clear and sealed; the
/// field the kind seals until takes the opening time. Every problem at once (422).
async fn checked_fields(
    s: &Sealing,
    tenant: &Tenant,
    kind: &BidKind,
    o: &OpeningRow,
    mut fields: Map<String, Value>,
) -> Result<(Map<String, Value>, Map<String, Value>)> {
    check(
        fields
            .keys()
            .filter(|k| !kind.fields.contains(*k))
            .map(|k| FieldProblem::new(format!("fields.{k}"), "the kind has no such field"))
            .collect(),
    )?;
    let opening_at = super::parse_stamp(&o.opening_at)?;
    fields.insert(
        kind.until_field.clone(),
        Value::String(kind.until_value(opening_at)),
    );
    let evaluation = plugins::evaluate(
        &s.plugins,
        tenant,
        &kind.plugin,
        &kind.kind,
        &fields,
        s.clock.today(),
    )
    .await?;
    check(
        evaluation
            .problems
            .into_iter()
            .filter(|p| p.severity == Severity::Error)
            .map(|p| FieldProblem {
                field: format!("fields.{}", p.path),
                message: p.message,
                code: Some(p.code),
            })
            .collect(),
    )?;
    let (sealed, clear) = fields
        .into_iter()
        .partition(|(k, _)| kind.sealed_fields.contains(k));
    Ok((clear, sealed))
}

/// Seals `plaintext` as part `name` of the bid: the part row and one share per holder.
async fn seal_part(
    tx: &mut TenantTx,
    o: &OpeningRow,
    bid_id: &str,
    name: &str,
    plaintext: Vec<u8>,
) -> Result<(gongkai_seal::Sealed, Vec<store::HolderRow>)> {
    let holders = store::holders(tx, &o.id).await?;
    let recipients: Vec<String> = holders.iter().map(|h| h.recipient.clone()).collect();
    let threshold = u8::try_from(o.threshold).map_err(Error::internal_from)?;
    let at = place(&o.id, bid_id, name);
    let sealed = tokio::task::spawn_blocking(move || {
        gongkai_seal::seal(&plaintext, &at, threshold, &recipients)
    })
    .await
    .map_err(|e| Error::internal_cause("sealing", e))?
    .map_err(seal_error)?;
    Ok((sealed, holders))
}

async fn store_shares(
    tx: &mut TenantTx,
    bid_id: &str,
    name: &str,
    sealed: &gongkai_seal::Sealed,
    holders: &[store::HolderRow],
) -> Result<()> {
    for (share, holder) in sealed.shares.iter().zip(holders) {
        store::insert_share(
            tx,
            &ShareRow {
                bid_id: bid_id.to_string(),
                part: name.to_string(),
                user_id: holder.user_id.clone(),
                encrypted: b64(&share.encrypted),
                commitment: share.commitment.clone(),
                contributed: None,
            },
        )
        .await?;
    }
    Ok(())
}

/// Stores the sealed fields part (replacing the earlier one).
async fn put_fields_part(
    tx: &mut TenantTx,
    o: &OpeningRow,
    bid_id: &str,
    sealed_fields: &Map<String, Value>,
) -> Result<()> {
    store::delete_parts(tx, bid_id, Some(FIELDS_PART)).await?;
    if sealed_fields.is_empty() {
        return Ok(());
    }
    let plaintext = serde_json::to_vec(sealed_fields).map_err(Error::internal_from)?;
    let (sealed, holders) = seal_part(tx, o, bid_id, FIELDS_PART, plaintext).await?;
    store::insert_part(
        tx,
        &PartRow {
            bid_id: bid_id.to_string(),
            name: FIELDS_PART.into(),
            file_name: None,
            ciphertext: Some(b64(&sealed.ciphertext)),
            object_key: None,
            size: sealed.ciphertext.len() as i64,
            ciphertext_sha256: sha256_hex(&sealed.ciphertext),
            content_key: None,
            plaintext_sha256: None,
        },
    )
    .await?;
    store_shares(tx, bid_id, FIELDS_PART, &sealed, &holders).await
}

/// The hash the receipt shows: over the bid as received (ids, time, clear fields and each
/// part's ciphertext hash), so that a bidder can later show what the server took in.
fn receipt_hash(b: &BidRow, parts: &[PartRow]) -> Result<String> {
    let parts: Map<String, Value> = parts
        .iter()
        .map(|p| (p.name.clone(), Value::String(p.ciphertext_sha256.clone())))
        .collect();
    let clear: Value = serde_json::from_str(&b.clear_fields).map_err(Error::internal_from)?;
    let canonical = json!({
        "opening": b.opening_id, "bid": b.id, "received_at": b.received_at,
        "clear_fields": clear, "parts": parts,
    });
    Ok(sha256_hex(canonical.to_string().as_bytes()))
}

/// Stamps the bid received now, rehashes it, and answers its receipt.
async fn restamp(
    s: &Sealing,
    tx: &mut TenantTx,
    mut b: BidRow,
    action: &str,
    token: Option<String>,
) -> Result<Receipt> {
    let parts = store::parts(tx, &b.id).await?;
    b.received_at = ids::to_text(s.clock.now());
    b.receipt_hash = receipt_hash(&b, &parts)?;
    store::update_bid(tx, &b).await?;
    audit::append(
        tx,
        &bidder(),
        action,
        "sealed_bid",
        &b.id,
        json!({"opening": b.opening_id, "receipt_hash": b.receipt_hash,
               "received_at": b.received_at,
               "parts": parts.iter().map(|p| json!({"name": p.name, "size": p.size,
                   "ciphertext_sha256": p.ciphertext_sha256})).collect::<Vec<_>>()}),
    )
    .await?;
    Ok(receipt_of(b, parts, token))
}

fn receipt_of(b: BidRow, parts: Vec<PartRow>, token: Option<String>) -> Receipt {
    Receipt {
        opening_id: b.opening_id,
        bid_id: b.id,
        received_at: b.received_at,
        receipt_hash: b.receipt_hash,
        parts: parts.into_iter().map(part_view).collect(),
        token,
    }
}

/// A new bid: 201 with its receipt and the bidder's token (shown once).
pub async fn submit(
    s: &Sealing,
    tenant: &Tenant,
    opening_id: &str,
    fields: Map<String, Value>,
) -> Result<Receipt> {
    let mut tx = s.db.tenant(&tenant.id).await?;
    let o = opening_or_404(&mut tx, opening_id, true).await?;
    before_deadline(&o, s.clock.now())?;
    if store::bid_count(&mut tx, &o.id).await? >= MAX_BIDS {
        return Err(Error::conflict(format!(
            "this opening has received {MAX_BIDS} bids, the most one opening takes"
        )));
    }
    let kind = bid_kind(s, tenant, &o.kind).await?;
    let (clear, sealed) = checked_fields(s, tenant, &kind, &o, fields).await?;
    let token = crate::kernel::crypto::random_token(32);
    let b = BidRow {
        id: ids::new_id(),
        opening_id: o.id.clone(),
        token_hash: sha256_hex(token.as_bytes()),
        clear_fields: Value::Object(clear).to_string(),
        receipt_hash: String::new(),
        received_at: String::new(),
        withdrawn_at: None,
        opened_fields: None,
    };
    store::insert_bid(&mut tx, &b).await?;
    put_fields_part(&mut tx, &o, &b.id, &sealed).await?;
    let receipt = restamp(s, &mut tx, b, "sealing.bid.receive", Some(token)).await?;
    tx.commit().await?;
    Ok(receipt)
}

/// The bid, when `token` is its bidder's; 404 for an unknown or withdrawn bid, 403 for a
/// wrong token.
async fn own_bid(tx: &mut TenantTx, opening_id: &str, bid_id: &str, token: &str) -> Result<BidRow> {
    let b = store::bid(tx, opening_id, bid_id, true)
        .await?
        .filter(|b| b.withdrawn_at.is_none())
        .ok_or_else(|| Error::NotFound("bid".into()))?;
    if sha256_hex(token.as_bytes()) != b.token_hash {
        return Err(Error::Forbidden(
            "the bid token (header Gongkai-Bid-Token) is not this bid's".into(),
        ));
    }
    Ok(b)
}

/// The bid's receipt as it stands.
pub async fn receipt(
    s: &Sealing,
    tenant: &Tenant,
    opening_id: &str,
    bid_id: &str,
    token: &str,
) -> Result<Receipt> {
    let mut tx = s.db.tenant_read(&tenant.id).await?;
    let b = own_bid(&mut tx, opening_id, bid_id, token).await?;
    let parts = store::parts(&mut tx, &b.id).await?;
    tx.commit().await?;
    Ok(receipt_of(b, parts, None))
}

/// Replaces the bid's fields before the deadline; documents stay.
pub async fn replace(
    s: &Sealing,
    tenant: &Tenant,
    opening_id: &str,
    bid_id: &str,
    token: &str,
    fields: Map<String, Value>,
) -> Result<Receipt> {
    let mut tx = s.db.tenant(&tenant.id).await?;
    let o = opening_or_404(&mut tx, opening_id, true).await?;
    let mut b = own_bid(&mut tx, opening_id, bid_id, token).await?;
    before_deadline(&o, s.clock.now())?;
    let kind = bid_kind(s, tenant, &o.kind).await?;
    let (clear, sealed) = checked_fields(s, tenant, &kind, &o, fields).await?;
    b.clear_fields = Value::Object(clear).to_string();
    put_fields_part(&mut tx, &o, &b.id, &sealed).await?;
    let receipt = restamp(s, &mut tx, b, "sealing.bid.replace", None).await?;
    tx.commit().await?;
    Ok(receipt)
}

fn object_path(tenant: &Tenant, part: &PartRow) -> Result<ObjectPath> {
    let key = part
        .object_key
        .as_deref()
        .ok_or_else(|| Error::internal(format!("part `{}` has no stored object", part.name)))?;
    // Keys are made under the tenant's prefix: one that is not is never read or deleted.
    if !key.starts_with(&format!("tenants/{}/sealed/", tenant.id)) {
        return Err(Error::internal(format!(
            "part `{}` points outside the tenant's sealed objects",
            part.name
        )));
    }
    Ok(ObjectPath::from(key))
}

/// A sealed document's ciphertext from the object store.
pub async fn read_object(s: &Sealing, tenant: &Tenant, part: &PartRow) -> Result<Vec<u8>> {
    read_at(&s.config, &object_path(tenant, part)?).await
}

async fn delete_objects(s: &Sealing, tenant: &Tenant, parts: &[PartRow]) {
    let Ok(store) = object_store(&s.config) else {
        return;
    };
    for p in parts.iter().filter(|p| p.object_key.is_some()) {
        if let Ok(path) = object_path(tenant, p) {
            if let Err(e) = store.delete(&path).await {
                tracing::warn!(error = %e, part = %p.name, "sealed document left in the object store");
            }
        }
    }
}

/// A document a bidder sends for a sealed slot.
pub struct NewDocument {
    pub slot: String,
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// Puts (or replaces) the document of `slot`, sealed before it is stored.
pub async fn put_document(
    s: &Sealing,
    tenant: &Tenant,
    opening_id: &str,
    bid_id: &str,
    token: &str,
    doc: NewDocument,
) -> Result<Receipt> {
    let NewDocument {
        slot,
        file_name,
        bytes,
    } = doc;
    let slot = slot.as_str();
    let file_name = crate::disclosure::attachments::check_name(&file_name)?;
    if bytes.is_empty() {
        return Err(Error::invalid("body", "the file is empty"));
    }
    let mut tx = s.db.tenant(&tenant.id).await?;
    let o = opening_or_404(&mut tx, opening_id, true).await?;
    let b = own_bid(&mut tx, opening_id, bid_id, token).await?;
    before_deadline(&o, s.clock.now())?;
    let kind = bid_kind(s, tenant, &o.kind).await?;
    if !kind.slots.contains(slot) {
        return Err(Error::invalid(
            "slot",
            format!(
                "the kind seals the document slots {:?}, not `{slot}`",
                kind.slots
            ),
        ));
    }
    let old: Vec<PartRow> = store::parts(&mut tx, &b.id)
        .await?
        .into_iter()
        .filter(|p| p.name == slot)
        .collect();
    let (sealed, holders) = seal_part(&mut tx, &o, &b.id, slot, bytes).await?;
    let ciphertext_sha256 = sha256_hex(&sealed.ciphertext);
    let part = PartRow {
        bid_id: b.id.clone(),
        name: slot.to_string(),
        file_name: Some(file_name),
        ciphertext: None,
        object_key: Some(format!(
            "tenants/{}/sealed/{}/{}/{slot}-{}",
            tenant.id,
            o.id,
            b.id,
            &ciphertext_sha256[..16]
        )),
        size: sealed.ciphertext.len() as i64,
        ciphertext_sha256,
        content_key: None,
        plaintext_sha256: None,
    };
    object_store(&s.config)?
        .put(
            &object_path(tenant, &part)?,
            PutPayload::from(sealed.ciphertext.clone()),
        )
        .await
        .map_err(|e| Error::internal_cause("object store", e))?;
    store::delete_parts(&mut tx, &b.id, Some(slot)).await?;
    store::insert_part(&mut tx, &part).await?;
    store_shares(&mut tx, &b.id, slot, &sealed, &holders).await?;
    let receipt = restamp(s, &mut tx, b, "sealing.bid.document", None).await?;
    tx.commit().await?;
    delete_objects(s, tenant, &old).await;
    Ok(receipt)
}

/// Withdraws the bid before the deadline: its sealed parts and documents are deleted, the
/// withdrawal stays in the record.
pub async fn withdraw(
    s: &Sealing,
    tenant: &Tenant,
    opening_id: &str,
    bid_id: &str,
    token: &str,
) -> Result<()> {
    let mut tx = s.db.tenant(&tenant.id).await?;
    let o = opening_or_404(&mut tx, opening_id, true).await?;
    let mut b = own_bid(&mut tx, opening_id, bid_id, token).await?;
    before_deadline(&o, s.clock.now())?;
    let parts = store::parts(&mut tx, &b.id).await?;
    store::delete_parts(&mut tx, &b.id, None).await?;
    b.withdrawn_at = Some(ids::to_text(s.clock.now()));
    store::update_bid(&mut tx, &b).await?;
    audit::append(
        &mut tx,
        &bidder(),
        "sealing.bid.withdraw",
        "sealed_bid",
        &b.id,
        json!({"opening": b.opening_id, "withdrawn_at": b.withdrawn_at,
               "receipt_hash": b.receipt_hash}),
    )
    .await?;
    tx.commit().await?;
    delete_objects(s, tenant, &parts).await;
    Ok(())
}
