//! What a reviewer needs besides the item: the steps waiting for the caller's roles
//! (the review inbox), whether the caller may decide an item's pending step and, if
//! not, which rule says no (separation of duties made visible), and the item as it
//! would be published with the resolutions made so far (the redacted rendition).
//!
//! The answers come from the same rules `decide` enforces (`review::may_decide`), so
//! what the inbox says and what a decision meets never differ.

use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::publication::public_rendition;
use super::{load, reads};
use crate::disclosure::lifecycle::{review, Working};
use crate::disclosure::model::*;
use crate::disclosure::store;
use crate::disclosure::Disclosure;
use crate::kernel::db::TenantTx;
use crate::kernel::error::Result;
use crate::tenancy::Tenant;

/// The caller and an item's pending review step.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReviewTurn {
    /// The version in review.
    pub version: i64,
    /// The step waiting for a decision (index into the review chain), its name and role;
    /// absent when the item is not in review.
    pub step: Option<usize>,
    pub step_name: Option<String>,
    pub role: Option<String>,
    /// Whether the caller may approve or return the pending step now.
    pub may_decide: bool,
    /// Why not: `not_in_review`, `edited_this_version` (whoever edited the version may
    /// not review it), `already_signed` (one person signs one step), `wrong_role`.
    pub refusal: Option<String>,
    /// The same, in words (Chinese, as the rules say it).
    pub refusal_text: Option<String>,
}

/// A step waiting in the caller's review inbox.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InboxEntry {
    pub item: ItemSummary,
    pub turn: ReviewTurn,
}

/// The item as it would be published now: the working version with every `redact`
/// resolution applied and the plugin's masks, the Markdown rendered.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Preview {
    pub version: i64,
    pub title: String,
    /// Safe HTML rendered from the redacted Markdown.
    pub body_html: String,
    #[schema(value_type = Object)]
    pub fields: Value,
    /// Findings of this version not resolved yet (shown as written until they are).
    pub unresolved_findings: i64,
}

fn refusal_code(r: &review::Refusal) -> &'static str {
    match r {
        review::Refusal::NothingPending => "nothing_pending",
        review::Refusal::NotPending { .. } => "not_pending",
        review::Refusal::EditedThisVersion => "edited_this_version",
        review::Refusal::AlreadySigned => "already_signed",
        review::Refusal::WrongRole { .. } => "wrong_role",
    }
}

async fn turn_of(
    tx: &mut TenantTx,
    item: &ItemRow,
    user_id: &str,
    roles: &[String],
) -> Result<ReviewTurn> {
    let mut turn = ReviewTurn {
        version: item.version,
        step: None,
        step_name: None,
        role: None,
        may_decide: false,
        refusal: Some("not_in_review".into()),
        refusal_text: Some("only a version in review can be decided".into()),
    };
    if item.state.working != Some(Working::InReview) {
        return Ok(turn);
    }
    let all = store::decisions(tx, &item.id).await?;
    let decisions = store::as_rules(&all, item.version);
    let Some(step) = review::pending_step(&item.review_chain, &decisions) else {
        return Ok(turn);
    };
    let editors = store::editors(tx, &item.id, item.cycle_start).await?;
    let user = user_id.to_string();
    let verdict = review::may_decide(&item.review_chain, &decisions, step, &user, roles, &editors);
    turn.step = Some(step);
    turn.step_name = Some(item.review_chain[step].name.clone());
    turn.role = Some(item.review_chain[step].role.clone());
    turn.may_decide = verdict.is_ok();
    turn.refusal = verdict.as_ref().err().map(|r| refusal_code(r).to_string());
    turn.refusal_text = verdict.err().map(|r| r.to_string());
    Ok(turn)
}

/// Whether `user_id` may decide the pending step of item `id`, and why not.
pub async fn review_turn(
    d: &Disclosure,
    tenant: &Tenant,
    user_id: &str,
    id: &str,
) -> Result<ReviewTurn> {
    let roles = d.authz.roles_in(user_id, &tenant.id).await;
    let mut tx = d.db.tenant_read(&tenant.id).await?;
    let item = load(&mut tx, id, false).await?;
    let turn = turn_of(&mut tx, &item, user_id, &roles).await?;
    tx.commit().await?;
    Ok(turn)
}

/// Items in review whose pending step needs one of the caller's roles, oldest change
/// first; each with whether the caller may decide it (the author of a version sees it,
/// and why it is not theirs to sign).
pub async fn review_inbox(
    d: &Disclosure,
    tenant: &Tenant,
    user_id: &str,
) -> Result<Vec<InboxEntry>> {
    let roles = d.authz.roles_in(user_id, &tenant.id).await;
    let mut tx = d.db.tenant_read(&tenant.id).await?;
    let rows = store::list_items(&mut tx, Some("in_review"), None, None, None, 1000, 0).await?;
    let mut out = Vec::new();
    for (item, title) in rows {
        let turn = turn_of(&mut tx, &item, user_id, &roles).await?;
        if turn.role.as_ref().is_some_and(|r| roles.contains(r)) {
            out.push(InboxEntry {
                item: reads::summary(tenant, item, title),
                turn,
            });
        }
    }
    tx.commit().await?;
    out.reverse();
    Ok(out)
}

/// The working version as it would be published with the resolutions made so far.
pub async fn preview(d: &Disclosure, tenant: &Tenant, id: &str) -> Result<Preview> {
    let mut tx = d.db.tenant_read(&tenant.id).await?;
    let item = load(&mut tx, id, false).await?;
    let v = store::version(&mut tx, id, item.version).await?;
    let findings = store::findings(&mut tx, id, Some(item.version)).await?;
    tx.commit().await?;
    let (title, body_html, fields) = public_rendition(&item.kind, &v, &findings);
    Ok(Preview {
        version: item.version,
        title,
        body_html,
        fields,
        unresolved_findings: findings.iter().filter(|f| f.resolution.is_none()).count() as i64,
    })
}
