//! Review: submission (the review chain is fixed and the version scanned), the
//! decisions of each step, and the resolution of scan findings (redact or keep).

use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{json, Value};
use utoipa::ToSchema;

use super::{conflict, item_out, load, transition};
use crate::audit;
use crate::disclosure::lifecycle::{apply, review, Action, Working};
use crate::disclosure::model::*;
use crate::disclosure::plugin_kinds;
use crate::disclosure::scan;
use crate::disclosure::store;
use crate::disclosure::Disclosure;
use crate::kernel::actor::Actor;
use crate::kernel::db::TenantTx;
use crate::kernel::error::{check, Error, FieldProblem, Result};
use crate::kernel::ids;
use crate::tenancy::Tenant;

/// Scans a version (title, body, text fields, attachments) with the tenant's words. An
/// attachment comes as its text, or as why it could not be read: an `unreadable` finding.
fn scan_version(
    v: &Version,
    attachments: &[(String, std::result::Result<String, String>)],
    words: &[String],
    today: NaiveDate,
) -> Vec<scan::Finding> {
    let mut out = scan::scan("title", &v.title, words, today);
    out.extend(scan::scan("body", &v.body, words, today));
    if let Value::Object(map) = &v.fields {
        for (name, value) in map {
            if let Some(text) = value.as_str() {
                out.extend(scan::scan(&format!("fields.{name}"), text, words, today));
            }
        }
    }
    for (id, text) in attachments {
        let field = format!("attachments.{id}");
        match text {
            Ok(text) => out.extend(scan::scan(&field, text, words, today)),
            Err(reason) => out.push(scan::Finding::unreadable(field, reason.as_str())),
        }
    }
    out
}

pub async fn submit(d: &Disclosure, actor: &Actor, tenant: &Tenant, id: &str) -> Result<ItemOut> {
    // Attachment texts are read (PDFs parsed) before the transaction, so the item is not
    // locked meanwhile. A file added or removed in that window shows under the lock:
    // then the texts are read again, holding it.
    let input = crate::disclosure::attachments::texts_for_scan(d, tenant, id).await?;
    let mut tx = d.db.tenant(&tenant.id).await?;
    let mut item = load(&mut tx, id, true).await?;
    let attachments = store::attachments(&mut tx, id).await?;
    let texts = if attachments.iter().map(|a| &a.id).eq(&input.attachment_ids) {
        input.texts
    } else {
        crate::disclosure::attachments::scan_texts(d, &tenant.id, &attachments).await?
    };
    let mut next = transition(item.state, &Action::Submit)?;
    let node = store::node(&mut tx, &item.node_id)
        .await?
        .ok_or_else(|| Error::internal("item without node"))?;
    let current = store::version(&mut tx, id, item.version).await?;
    item.review_chain = review::chain(
        &node.review_chain,
        &plugin_kinds::extra_steps(current.plugin.as_ref()),
    );
    // Scan the version once; a version sent back and resubmitted unchanged keeps its findings.
    let existing = store::findings(&mut tx, id, Some(item.version)).await?;
    let mut found = existing.len();
    if existing.is_empty() {
        let words = store::sensitive_words(&mut tx).await?;
        let at = d.now_text();
        let findings = scan_version(&current, &texts, &words, d.today());
        found = findings.len();
        for f in findings {
            let out = FindingOut {
                id: ids::new_id(),
                version: item.version,
                field: f.field.clone(),
                kind: f.kind.as_str().into(),
                kind_zh: f.kind.label_zh().into(),
                start: f.start as i64,
                end: f.end as i64,
                masked: f.masked(),
                matched: f.matched,
                resolution: None,
                reason: None,
                resolved_by: None,
                resolved_at: None,
            };
            store::insert_finding(&mut tx, id, &out, &at).await?;
        }
    }
    // An empty chain is the tenant's choice: the version is approved at once.
    if item.review_chain.is_empty() {
        next = transition(
            next,
            &Action::ApproveStep {
                chain_complete: true,
            },
        )?;
    }
    item.state = next;
    item.updated_at = d.now_text();
    store::save_item(&mut tx, &item).await?;
    audit::append(
        &mut tx,
        actor,
        "item.submit",
        "item",
        id,
        json!({
        "version": item.version, "findings": found, "chain": item.review_chain}),
    )
    .await?;
    let out = item_out(&mut tx, tenant, item).await?;
    tx.commit().await?;
    Ok(out)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub enum VerdictInput {
    Approve,
    Reject,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionInput {
    /// The step decided (0-based index into the item's review chain).
    pub step: usize,
    pub verdict: VerdictInput,
    #[serde(default)]
    pub comments: String,
    /// The version reviewed; refused if the item has moved on.
    pub version: Option<i64>,
}

pub async fn decide(
    d: &Disclosure,
    actor: &Actor,
    tenant: &Tenant,
    id: &str,
    input: DecisionInput,
) -> Result<ItemOut> {
    let user_id = actor.user_id.clone().ok_or(Error::Unauthenticated)?;
    let roles = d.authz.roles_in(&user_id, &tenant.id).await;
    let mut tx = d.db.tenant(&tenant.id).await?;
    let mut item = load(&mut tx, id, true).await?;
    if item.state.working != Some(Working::InReview) {
        return Err(conflict(
            "only a version in review can be decided",
            &item.state,
        ));
    }
    if let Some(v) = input.version {
        if v != item.version {
            return Err(conflict(
                format!(
                    "version {v} is not the version in review ({})",
                    item.version
                ),
                &item.state,
            ));
        }
    }
    let all = store::decisions(&mut tx, id).await?;
    let mut decisions = store::as_rules(&all, item.version);
    let editors = store::editors(&mut tx, id, item.cycle_start).await?;
    review::may_decide(
        &item.review_chain,
        &decisions,
        input.step,
        &user_id,
        &roles,
        &editors,
    )
    .map_err(|r| match r {
        review::Refusal::NothingPending | review::Refusal::NotPending { .. } => {
            conflict(r.to_string(), &item.state)
        }
        _ => Error::Forbidden(r.to_string()),
    })?;
    let verdict = match input.verdict {
        VerdictInput::Approve => review::Verdict::Approve,
        VerdictInput::Reject => review::Verdict::Reject,
    };
    decisions.push(review::Decision {
        step: input.step,
        by: user_id.clone(),
        verdict,
    });
    let action = review::action_for(&item.review_chain, &decisions, verdict, &input.comments);
    let next = apply(item.state, &action).map_err(|e| match action {
        // The only refusal in review is a rejection without comments: an input problem.
        Action::Reject { .. } => Error::invalid("comments", e.reason),
        _ => conflict(e.to_string(), &e.state),
    })?;
    let step_name = item.review_chain[input.step].name.clone();
    let decision = DecisionOut {
        id: ids::new_id(),
        version: item.version,
        step: input.step as i64,
        step_name: step_name.clone(),
        verdict: if verdict == review::Verdict::Approve {
            "approve"
        } else {
            "reject"
        }
        .into(),
        comments: input.comments.trim().to_string(),
        decided_by: user_id,
        decided_at: d.now_text(),
    };
    store::insert_decision(&mut tx, id, &decision).await?;
    item.state = next;
    item.updated_at = d.now_text();
    store::save_item(&mut tx, &item).await?;
    audit::append(
        &mut tx,
        actor,
        "item.review",
        "item",
        id,
        json!({
        "version": item.version, "step": input.step, "step_name": step_name,
        "verdict": decision.verdict, "comments": decision.comments,
        "stage": item.state.stage().as_str()}),
    )
    .await?;
    let out = item_out(&mut tx, tenant, item).await?;
    tx.commit().await?;
    Ok(out)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResolutionInput {
    /// `redact` (the public rendition shows the mask) or `keep` (shown as written).
    pub resolution: String,
    /// Why; required to keep.
    #[serde(default)]
    pub reason: String,
}

pub async fn resolve(
    d: &Disclosure,
    actor: &Actor,
    tenant: &Tenant,
    id: &str,
    finding_id: &str,
    input: ResolutionInput,
) -> Result<FindingOut> {
    let user_id = actor.user_id.clone().ok_or(Error::Unauthenticated)?;
    let mut problems = Vec::new();
    if !matches!(input.resolution.as_str(), "redact" | "keep") {
        problems.push(FieldProblem::new("resolution", "redact or keep"));
    }
    if input.resolution == "keep" && input.reason.trim().is_empty() {
        problems.push(FieldProblem::new(
            "reason",
            "say why the text may be published as written",
        ));
    }
    check(problems)?;
    let mut tx = d.db.tenant(&tenant.id).await?;
    let item = load(&mut tx, id, true).await?;
    if !matches!(
        item.state.working,
        Some(Working::InReview | Working::Approved)
    ) {
        return Err(conflict(
            "findings are resolved while the version is in review or approved",
            &item.state,
        ));
    }
    let finding = store::findings(&mut tx, id, Some(item.version))
        .await?
        .into_iter()
        .find(|f| f.id == finding_id)
        .ok_or_else(|| Error::NotFound("finding of the current version".into()))?;
    if input.resolution == "redact" {
        check_maskable(&mut tx, id, &finding).await?;
    }
    if store::editors(&mut tx, id, item.cycle_start)
        .await?
        .contains(&user_id)
    {
        return Err(Error::Forbidden(
            "whoever edited this version may not review it".into(),
        ));
    }
    let at = d.now_text();
    store::resolve_finding(
        &mut tx,
        finding_id,
        &input.resolution,
        input.reason.trim(),
        &user_id,
        &at,
    )
    .await?;
    audit::append(
        &mut tx,
        actor,
        "item.finding.resolve",
        "item",
        id,
        json!({
        "finding": finding_id, "field": finding.field, "kind": finding.kind,
        "resolution": input.resolution, "reason": input.reason.trim()}),
    )
    .await?;
    tx.commit().await?;
    Ok(FindingOut {
        resolution: Some(input.resolution),
        reason: Some(input.reason.trim().to_string()),
        resolved_by: Some(user_id),
        resolved_at: Some(at),
        ..finding
    })
}

/// Only text can be masked. A finding in a PDF or DOCX (or in a file that could not be
/// read) is kept with a reason, or the version goes back to the editor to replace the
/// file with a redacted copy.
async fn check_maskable(tx: &mut TenantTx, item_id: &str, finding: &FindingOut) -> Result<()> {
    let Some(attachment_id) = finding.field.strip_prefix("attachments.") else {
        return Ok(());
    };
    let media_type = store::attachment(tx, item_id, attachment_id)
        .await?
        .map(|row| row.attachment.media_type)
        .unwrap_or_default();
    if finding.kind == scan::FindingKind::Unreadable.as_str()
        || !crate::disclosure::attachments::is_text(&media_type)
    {
        return Err(Error::invalid(
            "resolution",
            "only text attachments are masked: keep this finding with a reason if the file \
             may be published as it is, or reject the version so that the editor replaces \
             the file with a redacted copy",
        ));
    }
    Ok(())
}
