//! The records of the disclosure capability as the service and the API see them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::kernel::error::{Error, Result};
use gongkai_rules::disclosure::lifecycle::{review::Step, ItemState, Public, Validity, Working};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CatalogNode {
    pub id: String,
    pub parent_id: Option<String>,
    /// Short code, used by `{cat}` in index-number patterns and in public URLs.
    pub code: String,
    pub name: String,
    pub position: i64,
    /// The review chain of items placed here, in order.
    #[schema(value_type = Vec<ReviewStep>)]
    pub review_chain: Vec<Step>,
}

/// One step of a review chain: `{ "name": "保密审查", "role": "reviewer" }`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewStep {
    pub name: String,
    pub role: String,
}

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Settings {
    /// The agency code that `{org}` stands for (often its unified social credit code).
    pub org_code: String,
    /// The index-number pattern, e.g. `{org}/{year}-{seq:05}`.
    pub index_pattern: String,
}

/// An item as stored (without version content).
#[derive(Debug, Clone)]
pub struct ItemRow {
    pub id: String,
    pub node_id: String,
    pub kind: String,
    pub index_number: String,
    pub attribute: String,
    pub legal_ground: Option<String>,
    pub attribute_reason: String,
    pub state: ItemState,
    pub version: i64,
    pub cycle_start: i64,
    pub published_version: Option<i64>,
    pub review_chain: Vec<Step>,
    pub withdrawn_reason: Option<String>,
    pub changed_on: String,
    pub due_on: Option<String>,
    pub created_by: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub published_at: Option<String>,
    pub first_published_at: Option<String>,
    /// The day (China, YYYY-MM-DD) it was repealed (废止).
    pub repealed_on: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Version {
    pub number: i64,
    pub title: String,
    /// Markdown.
    pub body: String,
    #[schema(value_type = Object)]
    pub fields: Value,
    pub document_number: Option<String>,
    pub created_by: Option<String>,
    pub created_at: String,
    /// For a plugin kind: what the plugin version that validated this version said.
    pub plugin: Option<PluginRecord>,
}

/// What a plugin said of one version of an item when it was saved: the version (and
/// content hash) that validated it, the fields it derived, its publication rules and any
/// warnings. Kept with the version, so an upgrade of the plugin never changes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PluginRecord {
    pub plugin_id: String,
    pub plugin_version: String,
    pub sha256: String,
    #[schema(value_type = Object)]
    pub derived: serde_json::Map<String, Value>,
    pub rules: crate::plugins::model::PublicationRules,
    pub warnings: Vec<crate::plugins::model::PluginProblem>,
}

pub fn working_text(state: &ItemState) -> (Option<&'static str>, Option<String>) {
    match state.working {
        None => (None, None),
        Some(Working::Draft) => (Some("draft"), None),
        Some(Working::InReview) => (Some("in_review"), None),
        Some(Working::Approved) => (Some("approved"), None),
        Some(Working::Scheduled { at }) => {
            (Some("scheduled"), Some(crate::kernel::ids::to_text(at)))
        }
    }
}

pub fn public_text(public: Public) -> &'static str {
    match public {
        Public::Never => "never",
        Public::Published => "published",
        Public::Withdrawn => "withdrawn",
    }
}

pub fn validity_from(text: &str) -> Result<Validity> {
    Ok(match text {
        "in_force" => Validity::InForce,
        "amended" => Validity::Amended,
        "repealed" => Validity::Repealed,
        other => return Err(Error::internal(format!("bad stored validity {other}"))),
    })
}

pub fn state_from(
    working: Option<&str>,
    scheduled_at: Option<&str>,
    public: &str,
    validity: &str,
) -> Result<ItemState> {
    let bad = |what: &str| Error::internal(format!("bad stored item state {what}"));
    let working = match working {
        None => None,
        Some("draft") => Some(Working::Draft),
        Some("in_review") => Some(Working::InReview),
        Some("approved") => Some(Working::Approved),
        Some("scheduled") => {
            let at: DateTime<Utc> = scheduled_at
                .and_then(crate::kernel::ids::parse_time)
                .ok_or_else(|| bad("scheduled without a time"))?;
            Some(Working::Scheduled { at })
        }
        Some(other) => return Err(bad(other)),
    };
    let public = match public {
        "never" => Public::Never,
        "published" => Public::Published,
        "withdrawn" => Public::Withdrawn,
        other => return Err(bad(other)),
    };
    Ok(ItemState {
        working,
        public,
        validity: validity_from(validity)?,
    })
}

/// A scan finding with its resolution.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FindingOut {
    pub id: String,
    pub version: i64,
    /// `title`, `body`, `fields.<name>` or `attachments.<id>`.
    pub field: String,
    /// `resident_id`, `mobile`, `bank_card`, `email`, `sensitive_word`, or `unreadable`
    /// (an attachment whose text could not be read: a person must look at the file).
    pub kind: String,
    pub kind_zh: String,
    /// Char offsets in the field.
    pub start: i64,
    pub end: i64,
    /// The text found (internal: this API is for staff only); for `unreadable`, why.
    pub matched: String,
    /// What the public rendition shows if redacted.
    pub masked: String,
    /// `redact` or `keep`; absent while unresolved.
    pub resolution: Option<String>,
    pub reason: Option<String>,
    pub resolved_by: Option<String>,
    pub resolved_at: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct DecisionOut {
    pub id: String,
    pub version: i64,
    pub step: i64,
    pub step_name: String,
    pub verdict: String,
    pub comments: String,
    pub decided_by: String,
    pub decided_at: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AttachmentOut {
    pub id: String,
    pub name: String,
    pub media_type: String,
    pub size: i64,
    pub sha256: String,
    pub created_at: String,
}

/// An item for staff: its state, the newest version's content and what review needs.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ItemOut {
    pub id: String,
    pub tenant: String,
    pub node_id: String,
    pub kind: String,
    pub index_number: String,
    /// `proactive`, `on_request` or `not_disclosed`.
    pub attribute: String,
    pub legal_ground: Option<String>,
    pub attribute_reason: String,
    /// `draft`, `in_review`, `approved`, `scheduled`, `published` or `withdrawn`.
    pub stage: String,
    pub stage_zh: String,
    /// Whether a version is on the portal (a published item can be under revision).
    pub public: bool,
    /// `in_force`, `amended` or `repealed`.
    pub validity: String,
    pub scheduled_at: Option<String>,
    /// The newest version: send it back as `version` when editing.
    pub version: i64,
    pub published_version: Option<i64>,
    pub title: String,
    pub body: String,
    #[schema(value_type = Object)]
    pub fields: Value,
    pub document_number: Option<String>,
    /// For a plugin kind: the plugin version that validated the current version, its
    /// derived fields, publication rules and warnings.
    pub plugin: Option<PluginRecord>,
    #[schema(value_type = Vec<ReviewStep>)]
    pub review_chain: Vec<Step>,
    /// The index of the step waiting for a decision, while in review.
    pub pending_step: Option<usize>,
    pub unresolved_findings: i64,
    pub withdrawn_reason: Option<String>,
    /// Last day to publish (20 working days after creation or revision), proactive items only.
    pub due_on: Option<String>,
    pub created_by: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub published_at: Option<String>,
    pub first_published_at: Option<String>,
    /// The day it was repealed (废止), China time.
    pub repealed_on: Option<String>,
}

/// A line of a staff list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ItemSummary {
    pub id: String,
    pub tenant: String,
    pub node_id: String,
    pub kind: String,
    pub index_number: String,
    pub title: String,
    pub stage: String,
    pub validity: String,
    pub version: i64,
    pub due_on: Option<String>,
    pub updated_at: String,
    pub published_at: Option<String>,
}

/// The public rendition of a published item: redacted, Markdown rendered.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicItem {
    pub id: String,
    pub index_number: String,
    pub catalog_code: String,
    pub catalog_name: String,
    pub kind: String,
    pub title: String,
    /// Safe HTML rendered from the redacted Markdown.
    pub body_html: String,
    #[schema(value_type = Object)]
    pub fields: Value,
    pub document_number: Option<String>,
    pub validity: String,
    pub validity_zh: String,
    pub published_at: String,
    pub first_published_at: String,
    /// The day it was repealed (废止), China time, when it was.
    pub repealed_on: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicPage {
    pub items: Vec<PublicItem>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// A catalog node on the portal.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicNode {
    pub id: String,
    pub parent_id: Option<String>,
    pub code: String,
    pub name: String,
}
