//! Review: submission (the review chain is fixed and the version scanned), the
//! decisions of each step, and the resolution of scan findings (redact or keep).

use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

use super::{conflict, item_out, load, transition};
use crate::audit;
use crate::disclosure::extract::Extracted;
use crate::disclosure::lifecycle::{apply, review, Action, Working};
use crate::disclosure::model::*;
use crate::disclosure::plugin_kinds;
use crate::disclosure::store;
use crate::disclosure::Disclosure;
use crate::disclosure::{field_paths, scan};
use crate::kernel::actor::Actor;
use crate::kernel::db::TenantTx;
use crate::kernel::error::{check, Error, FieldProblem, Result};
use crate::kernel::ids;
use crate::tenancy::Tenant;

/// Scans a version (title, body, text fields, attachments) with the tenant's words. An
/// attachment comes as its text, as why it could not be read (an `unreadable` finding),
/// or as of a type the scan does not read (an `unscanned` finding).
fn scan_version(
    v: &Version,
    attachments: &[(String, Extracted)],
    words: &[String],
    today: NaiveDate,
) -> Vec<scan::Finding> {
    let mut out = scan::scan("title", &v.title, words, today);
    out.extend(scan::scan("body", &v.body, words, today));
    // Every string of every field, tables and objects included.
    for (path, text) in field_paths::strings("fields", &v.fields) {
        out.extend(scan::scan(&path, text, words, today));
    }
    for (id, text) in attachments {
        let field = format!("attachments.{id}");
        match text {
            Extracted::Text(text) => out.extend(scan::scan(&field, text, words, today)),
            Extracted::Unreadable(reason) => {
                out.push(scan::Finding::unreadable(field, reason.as_str()))
            }
            Extracted::NotScanned => out.push(scan::Finding::unscanned(
                field,
                "the scan does not read files of this type: check it by eye",
            )),
        }
    }
    out
}

pub async fn submit(d: &Disclosure, actor: &Actor, tenant: &Tenant, id: &str) -> Result<ItemOut> {
    // The state is checked, and attachment texts are read (files parsed, each once, in a
    // bounded child process), before the write transaction: nothing is locked while
    // parsing, and nothing is parsed for an item that cannot be submitted or whose
    // version was scanned already. A file added or removed in that window is a conflict.
    let (read_ids, texts, scanned) = {
        let mut tx = d.db.tenant_read(&tenant.id).await?;
        let item = load(&mut tx, id, false).await?;
        transition(item.state, &Action::Submit)?;
        let scanned = !store::findings(&mut tx, id, Some(item.version))
            .await?
            .is_empty();
        let list = store::attachments(&mut tx, id).await?;
        tx.commit().await?;
        let texts = if scanned {
            Vec::new()
        } else {
            crate::disclosure::attachments::scan_texts(d, &tenant.id, &list).await?
        };
        (
            list.into_iter().map(|a| a.id).collect::<Vec<_>>(),
            texts,
            scanned,
        )
    };
    let mut tx = d.db.tenant(&tenant.id).await?;
    let mut item = load(&mut tx, id, true).await?;
    let attachments = store::attachments(&mut tx, id).await?;
    if !attachments.iter().map(|a| &a.id).eq(&read_ids) {
        return Err(conflict(
            "the attachments changed while the item was being submitted: submit it again",
            &item.state,
        ));
    }
    let next = transition(item.state, &Action::Submit)?;
    let node = store::node(&mut tx, &item.node_id)
        .await?
        .ok_or_else(|| Error::internal("item without node"))?;
    let current = store::version(&mut tx, id, item.version).await?;
    // A chain is never empty (issue 11 point 6); a node stored empty before that rule
    // takes the default chain.
    let node_chain = if node.review_chain.is_empty() {
        super::catalog::default_chain()
    } else {
        node.review_chain.clone()
    };
    item.review_chain = review::chain(
        &node_chain,
        &plugin_kinds::extra_steps(current.plugin.as_ref()),
    );
    // Scan the version once; a version sent back and resubmitted unchanged keeps its findings.
    let existing = store::findings(&mut tx, id, Some(item.version)).await?;
    let mut found = existing.len();
    if existing.is_empty() && scanned {
        return Err(conflict(
            "the item changed while it was being submitted: submit it again",
            &item.state,
        ));
    }
    if existing.is_empty() {
        let words = store::sensitive_words(&mut tx).await?;
        let at = d.now_text();
        // The attachments' text, for the search index once the item is published.
        let kept: Vec<(String, String)> = texts
            .iter()
            .filter_map(|(id, t)| match t {
                Extracted::Text(text) => Some((id.clone(), text.clone())),
                _ => None,
            })
            .collect();
        crate::search::index::keep_attachment_texts(&mut tx, &kept, &at).await?;
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
    // The last signature signs the resolutions too: none may be open then.
    if matches!(
        action,
        Action::ApproveStep {
            chain_complete: true
        }
    ) {
        let open = store::findings(&mut tx, id, Some(item.version))
            .await?
            .iter()
            .filter(|f| f.resolution.is_none())
            .count();
        if open > 0 {
            return Err(conflict(
                format!(
                    "{open} scan finding(s) are unresolved: resolve them before the last approval"
                ),
                &item.state,
            ));
        }
    }
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
    let mut item = load(&mut tx, id, true).await?;
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
    // A resolution is part of what the chain signs: changing one takes a second person
    // and a reason, and sends the version back to the start of its review.
    let changing = finding.resolution.is_some();
    if changing {
        if finding.resolved_by.as_deref() == Some(user_id.as_str()) {
            return Err(Error::Forbidden(
                "a resolution is changed by someone other than who made it".into(),
            ));
        }
        if input.reason.trim().is_empty() {
            return Err(Error::invalid("reason", "say why the resolution changes"));
        }
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
    if changing {
        reopen(
            d,
            &mut tx,
            &mut item,
            &user_id,
            &finding.id,
            input.reason.trim(),
        )
        .await?;
    }
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

/// After a resolution changed: the version's approvals no longer count (a `reject`
/// decision by whoever changed it cuts them off) and an approved version is in review
/// again, from its first step. An empty chain has nothing to sign again.
async fn reopen(
    d: &Disclosure,
    tx: &mut TenantTx,
    item: &mut ItemRow,
    user_id: &str,
    finding_id: &str,
    reason: &str,
) -> Result<()> {
    let Some(first) = item.review_chain.first() else {
        return Ok(());
    };
    let decision = DecisionOut {
        id: ids::new_id(),
        version: item.version,
        step: 0,
        step_name: first.name.clone(),
        verdict: "reject".into(),
        comments: format!("发现项 {finding_id} 的处理意见已更改，重新审核：{reason}"),
        decided_by: user_id.to_string(),
        decided_at: d.now_text(),
    };
    store::insert_decision(tx, &item.id, &decision).await?;
    item.state = transition(item.state, &Action::Reopen)?;
    item.updated_at = d.now_text();
    store::save_item(tx, item).await
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
    if scan::FindingKind::parse(&finding.kind).is_some_and(scan::Finding::is_about_a_file)
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
