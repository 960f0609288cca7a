//! The sealing operations, one file per actor: holders' keys (`keys`), the openings staff
//! make and read (`openings`), bidders' bids (`bids`), and the ceremony (`ceremony`).
//! What they share lives here: times, the bid kind's declaration, views, base64.

pub mod bids;
pub mod ceremony;
pub mod keys;
pub mod openings;

use std::collections::BTreeSet;

use base64::Engine;
use chrono::{DateTime, SecondsFormat, Utc};

use super::model::{HolderView, OpeningView, PartView};
use super::store::{self, OpeningRow, PartRow};
use super::Sealing;
use crate::kernel::clock::china;
use crate::kernel::db::TenantTx;
use crate::kernel::error::{Error, Result};
use crate::plugins::model::{FieldType, ValueType};
use crate::plugins::service as plugins;
use crate::tenancy::Tenant;
use gongkai_seal::SealError;

/// The part that holds a bid's sealed fields; every other part is a document slot.
pub const FIELDS_PART: &str = "fields";

/// Times as stored and shown: RFC 3339, UTC, whole seconds.
pub fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn parse_stamp(text: &str) -> Result<DateTime<Utc>> {
    crate::kernel::ids::parse_time(text)
        .ok_or_else(|| Error::internal(format!("stored time `{text}` does not parse")))
}

pub fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

pub fn unb64(text: &str) -> Result<Vec<u8>> {
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .map_err(|e| Error::internal_cause("stored sealed value is not base64", e))
}

/// Where a part is sealed: bound into its ciphertext and its shares' commitments.
pub fn place(opening_id: &str, bid_id: &str, part: &str) -> String {
    format!("{opening_id}/{bid_id}/{part}")
}

/// `receiving` until the deadline, `closed` until opened, then `opened`.
fn status(o: &OpeningRow, now: DateTime<Utc>) -> Result<&'static str> {
    Ok(if o.opened_at.is_some() {
        "opened"
    } else if now < parse_stamp(&o.deadline_at)? {
        "receiving"
    } else {
        "closed"
    })
}

/// Bids are received (and changed) only before the deadline, by the server's clock.
fn before_deadline(o: &OpeningRow, now: DateTime<Utc>) -> Result<()> {
    if now >= parse_stamp(&o.deadline_at)? {
        return Err(Error::Conflict {
            message: format!(
                "bids closed at {} (server time {}): nothing is received or changed after the deadline",
                o.deadline_at,
                stamp(now)
            ),
            current_state: Some("closed".into()),
        });
    }
    Ok(())
}

async fn opening_or_404(tx: &mut TenantTx, id: &str, for_update: bool) -> Result<OpeningRow> {
    store::opening(tx, id, for_update)
        .await?
        .ok_or_else(|| Error::NotFound("opening".into()))
}

async fn opening_view(tx: &mut TenantTx, o: OpeningRow, now: DateTime<Utc>) -> Result<OpeningView> {
    let holders = store::holders(tx, &o.id)
        .await?
        .into_iter()
        .map(|h| HolderView {
            user_id: h.user_id,
            display_name: h.display_name,
            recipient: h.recipient,
            contributed_at: h.contributed_at,
        })
        .collect();
    let bids = store::bid_count(tx, &o.id).await?;
    Ok(OpeningView {
        status: status(&o, now)?.into(),
        id: o.id,
        title: o.title,
        reference: o.reference,
        kind: o.kind,
        deadline_at: o.deadline_at,
        opening_at: o.opening_at,
        threshold: o.threshold,
        opened_at: o.opened_at,
        holders,
        bids,
    })
}

fn part_view(p: PartRow) -> PartView {
    PartView {
        name: p.name,
        file_name: p.file_name,
        size: p.size,
        ciphertext_sha256: p.ciphertext_sha256,
        plaintext_sha256: p.plaintext_sha256,
    }
}

fn seal_error(e: SealError) -> Error {
    match e {
        SealError::ShortPassphrase | SealError::WrongPassphrase => {
            Error::invalid("passphrase", e.to_string())
        }
        SealError::BadThreshold { .. } => Error::invalid("threshold", e.to_string()),
        other => Error::internal_cause("sealing", other),
    }
}

/// What a bid kind declares: its field ids, which of them are sealed, its sealed document
/// slots, and the field holding the time they are sealed until.
#[derive(Debug, Clone)]
pub struct BidKind {
    pub plugin: String,
    pub kind: String,
    pub fields: BTreeSet<String>,
    pub sealed_fields: BTreeSet<String>,
    pub slots: BTreeSet<String>,
    pub until_field: String,
    pub until_is_date: bool,
}

impl BidKind {
    /// The value the until-field takes for an opening at `at`.
    pub fn until_value(&self, at: DateTime<Utc>) -> String {
        let local = at.with_timezone(&china());
        if self.until_is_date {
            local.format("%Y-%m-%d").to_string()
        } else {
            local.format("%Y-%m-%dT%H:%M:%S+08:00").to_string()
        }
    }
}

/// The declaration of `plugin/kind` in the tenant's pinned version of the plugin: 404 for
/// an unknown kind, 422 for a kind that seals nothing.
pub async fn bid_kind(s: &Sealing, tenant: &Tenant, code: &str) -> Result<BidKind> {
    let unknown = || {
        Error::invalid(
            "kind",
            format!("`{code}` is not a `plugin/kind` of an enabled plugin"),
        )
    };
    let (plugin, kind_id) = code.split_once('/').ok_or_else(unknown)?;
    let package = plugins::enabled_package(&s.plugins, tenant, plugin)
        .await
        .map_err(|_| unknown())?;
    let kind = package
        .manifest
        .kinds
        .iter()
        .find(|k| k.id == kind_id)
        .ok_or_else(unknown)?;
    let Some(first) = kind.sealed.first() else {
        return Err(Error::invalid(
            "kind",
            format!("`{code}` declares no sealed field or slot: its bids would be readable before the opening"),
        ));
    };
    let fields: BTreeSet<String> = kind.fields.iter().map(|f| f.id.clone()).collect();
    let until_is_date = kind.fields.iter().any(|f| {
        f.id == first.until_field
            && f.field_type
                == FieldType::Value {
                    value_type: ValueType::Date,
                }
    });
    let (sealed_fields, slots) = kind
        .sealed
        .iter()
        .map(|d| d.field.clone())
        .partition(|f| fields.contains(f));
    Ok(BidKind {
        plugin: plugin.to_string(),
        kind: kind_id.to_string(),
        fields,
        sealed_fields,
        slots,
        until_field: first.until_field.clone(),
        until_is_date,
    })
}
