//! What the sealed-openings API takes and shows.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct KeyInput {
    /// At least 12 characters. It protects the private key and is never stored; losing it
    /// makes the holder's shares unusable (another holder set must then open).
    pub passphrase: String,
}

/// A holder's public key.
#[derive(Debug, Serialize, ToSchema)]
pub struct KeyView {
    pub user_id: String,
    /// The age X25519 public key (`age1…`) shares are encrypted to.
    pub recipient: String,
    pub created_at: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOpening {
    pub title: String,
    /// The procurement's project number.
    pub reference: String,
    /// `plugin/kind` of the bids, a kind that declares sealed fields or slots.
    pub kind: String,
    /// Bids are received until then (RFC 3339).
    pub deadline_at: String,
    /// Shares are accepted, and the bids opened, from then (RFC 3339, not before the
    /// deadline).
    pub opening_at: String,
    /// How many holders must contribute (default: all of them; at least 2).
    #[serde(default)]
    pub threshold: Option<u8>,
    /// User ids of the key holders (2–16, each with a registered key).
    pub holders: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HolderView {
    pub user_id: String,
    pub display_name: String,
    pub recipient: String,
    pub contributed_at: Option<String>,
}

/// `receiving` until the deadline, `closed` until opened, then `opened`.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpeningView {
    pub id: String,
    pub title: String,
    pub reference: String,
    pub kind: String,
    pub deadline_at: String,
    pub opening_at: String,
    pub threshold: i64,
    pub status: String,
    pub opened_at: Option<String>,
    pub holders: Vec<HolderView>,
    /// Bids received and not withdrawn.
    pub bids: i64,
}

/// A bid as staff see it: its clear fields and receipt always; its sealed fields and
/// documents' hashes once opened.
#[derive(Debug, Serialize, ToSchema)]
pub struct BidView {
    pub id: String,
    pub received_at: String,
    pub receipt_hash: String,
    #[schema(value_type = Object)]
    pub clear_fields: Map<String, Value>,
    /// Absent until the opening.
    #[schema(value_type = Option<Object>)]
    pub opened_fields: Option<Map<String, Value>>,
    pub parts: Vec<PartView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PartView {
    /// `fields` or a document slot.
    pub name: String,
    pub file_name: Option<String>,
    /// Bytes of ciphertext.
    pub size: i64,
    pub ciphertext_sha256: String,
    /// Set at the opening.
    pub plaintext_sha256: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BidInput {
    /// The kind's fields, sealed and clear together; the field the kind seals until is
    /// set to the opening time.
    #[schema(value_type = Object)]
    pub fields: Map<String, Value>,
}

/// What the bidder keeps: when the bid was received and the hash of what was received.
/// `token` (only in the answer that creates the bid) withdraws or replaces it before the
/// deadline (header `Gongkai-Bid-Token`).
#[derive(Debug, Serialize, ToSchema)]
pub struct Receipt {
    pub opening_id: String,
    pub bid_id: String,
    pub received_at: String,
    pub receipt_hash: String,
    pub parts: Vec<PartView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContributionInput {
    /// The holder's key passphrase: unlocks the private key for this contribution only.
    pub passphrase: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContributionView {
    pub opening: OpeningView,
    /// Shares this contribution decrypted and checked.
    pub shares: i64,
}

/// What anyone may see of an opening: its notice, not its bids.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicOpeningView {
    pub id: String,
    pub title: String,
    pub reference: String,
    pub deadline_at: String,
    pub opening_at: String,
    pub status: String,
    pub threshold: i64,
    pub holders: i64,
    pub opened_at: Option<String>,
}
