//! Publication: the public rendition (redacted, rendered), publishing now or at a set
//! time, and the other transitions of a published item (revise, withdraw, repeal,
//! amend).

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use utoipa::ToSchema;

use super::items::due_on;
use super::{conflict, item_out, load, transition};
use crate::audit;
use crate::disclosure::kinds;
use crate::disclosure::lifecycle::{Action, DisclosureAttribute};
use crate::disclosure::model::*;
use crate::disclosure::plugin_kinds;
use crate::disclosure::render::markdown_to_html;
use crate::disclosure::store;
use crate::disclosure::Disclosure;
use crate::disclosure::{field_paths, scan};
use crate::kernel::actor::Actor;
use crate::kernel::clock::{day_in_china, Clock};
use crate::kernel::db::TenantTx;
use crate::kernel::error::{Error, Result};
use crate::kernel::ids;
use crate::tenancy::Tenant;

async fn unresolved(tx: &mut TenantTx, item: &ItemRow) -> Result<usize> {
    Ok(store::findings(tx, &item.id, Some(item.version))
        .await?
        .iter()
        .filter(|f| f.resolution.is_none())
        .count())
}

/// The public rendition of a version: every `redact` finding masked, private persons'
/// names in decision records masked, the Markdown rendered safely.
pub fn public_rendition(
    kind: &str,
    v: &Version,
    findings: &[FindingOut],
) -> (String, String, Value) {
    let redactions = |field: &str| -> Vec<(usize, usize, String)> {
        findings
            .iter()
            .filter(|f| f.field == field && f.resolution.as_deref() == Some("redact"))
            .map(|f| (f.start as usize, f.end as usize, f.masked.clone()))
            .collect()
    };
    let title = scan::apply_redactions(&v.title, &redactions("title"));
    // In Markdown a `*` of a mask would start emphasis: escape the masks of the body.
    let body_redactions: Vec<(usize, usize, String)> = redactions("body")
        .into_iter()
        .map(|(s, e, m)| (s, e, markdown_escape(&m)))
        .collect();
    let body = scan::apply_redactions(&v.body, &body_redactions);
    let mut fields = Map::new();
    let natural_person =
        v.fields.get("party_type").and_then(Value::as_str) == Some("natural_person");
    let spec = kinds::kind(kind);
    if let Value::Object(map) = &v.fields {
        for (name, value) in map {
            let person = spec
                .and_then(|k| k.fields.iter().find(|s| s.name == name))
                .is_some_and(|s| s.person_name);
            // Every string at any depth gets the redactions found at its path.
            let value =
                field_paths::map_strings(&format!("fields.{name}"), value, &mut |path, text| {
                    let text = scan::apply_redactions(text, &redactions(path));
                    if person && natural_person && path == format!("fields.{name}") {
                        scan::mask_person_name(&text)
                    } else {
                        text
                    }
                });
            fields.insert(name.clone(), value);
        }
    }
    if let Some(record) = &v.plugin {
        fields = plugin_kinds::public_fields(fields, record);
    }
    (title, markdown_to_html(&body), Value::Object(fields))
}

/// Escapes the characters of a mask that Markdown would read as markup.
fn markdown_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for c in text.chars() {
        if matches!(
            c,
            '*' | '_' | '\\' | '`' | '[' | ']' | '<' | '>' | '#' | '~'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Publishes the approved (or scheduled) working version. Used by the API and the scheduler.
pub async fn publish_in(
    tx: &mut TenantTx,
    clock: &Clock,
    actor: &Actor,
    id: &str,
) -> Result<ItemRow> {
    let mut item = load(tx, id, true).await?;
    let next = transition(item.state, &Action::Publish)?;
    if item.attribute != "proactive" {
        return Err(conflict(
            "only a proactive item is published; this one is disclosed on request or not at all",
            &item.state,
        ));
    }
    let open = unresolved(tx, &item).await?;
    if open > 0 {
        return Err(conflict(
            format!("{open} scan finding(s) are not resolved"),
            &item.state,
        ));
    }
    let v = store::version(tx, id, item.version).await?;
    if let Some(day) = plugin_kinds::embargo(v.plugin.as_ref(), clock.today()) {
        return Err(conflict(
            format!("embargoed: not to be published before {day}"),
            &item.state,
        ));
    }
    let findings = store::findings(tx, id, Some(item.version)).await?;
    let (title, html, fields) = public_rendition(&item.kind, &v, &findings);
    let doc_number = fields
        .get("document_number")
        .and_then(Value::as_str)
        .map(str::to_string);
    store::set_public_rendition(tx, id, &title, &html, &fields, doc_number.as_deref()).await?;
    let now = ids::to_text(clock.now());
    item.state = next;
    item.published_version = Some(item.version);
    item.published_at = Some(now.clone());
    if item.first_published_at.is_none() {
        item.first_published_at = Some(now.clone());
    }
    item.withdrawn_reason = None;
    item.updated_at = now;
    store::save_item(tx, &item).await?;
    // Searchable in the same transaction: the index never trails the portal.
    crate::search::index::refresh(tx, id).await?;
    audit::append(
        tx,
        actor,
        "item.publish",
        "item",
        id,
        json!({
        "version": item.version, "index_number": item.index_number,
        "redacted": findings.iter().filter(|f| f.resolution.as_deref() == Some("redact")).count()}),
    )
    .await?;
    Ok(item)
}

pub async fn publish(d: &Disclosure, actor: &Actor, tenant: &Tenant, id: &str) -> Result<ItemOut> {
    let mut tx = d.db.tenant(&tenant.id).await?;
    let item = publish_in(&mut tx, &d.clock, actor, id).await?;
    let out = item_out(&mut tx, tenant, item).await?;
    tx.commit().await?;
    d.public_items.forget(&tenant.id, id);
    Ok(out)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleInput {
    /// RFC 3339, in the future.
    pub at: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonInput {
    pub reason: String,
}

/// The simple transitions: schedule, unschedule, revise, withdraw, repeal, amend.
pub async fn act(
    d: &Disclosure,
    actor: &Actor,
    tenant: &Tenant,
    id: &str,
    action: Action,
) -> Result<ItemOut> {
    act_noted(d, actor, tenant, id, action, "").await
}

/// [`act`] with a note for the audit log: why a document is repealed (e.g. the later
/// decision that repeals it). The withdrawal's reason is part of its action.
pub async fn act_noted(
    d: &Disclosure,
    actor: &Actor,
    tenant: &Tenant,
    id: &str,
    action: Action,
    note: &str,
) -> Result<ItemOut> {
    let today = d.today();
    if let Action::Schedule { at } = &action {
        if *at <= d.clock.now() {
            return Err(Error::invalid("at", "must be in the future"));
        }
    }
    let due = due_on(d, &tenant.id, DisclosureAttribute::Proactive, today, None).await;
    let mut tx = d.db.tenant(&tenant.id).await?;
    let mut item = load(&mut tx, id, true).await?;
    let next = transition(item.state, &action)?;
    let mut details = json!({"from": item.state.stage().as_str()});
    match &action {
        Action::Schedule { at } => {
            let open = unresolved(&mut tx, &item).await?;
            if open > 0 {
                return Err(conflict(
                    format!("{open} scan finding(s) are not resolved"),
                    &item.state,
                ));
            }
            if item.attribute != "proactive" {
                return Err(conflict("only a proactive item is published", &item.state));
            }
            let v = store::version(&mut tx, id, item.version).await?;
            if let Some(day) = plugin_kinds::embargo(v.plugin.as_ref(), day_in_china(*at)) {
                return Err(Error::invalid(
                    "at",
                    format!("embargoed: not to be published before {day}"),
                ));
            }
            details["at"] = json!(ids::to_text(*at));
        }
        Action::Revise => {
            // A new working version, copied from the newest; reviewed again from scratch.
            let mut v = store::version(&mut tx, id, item.version).await?;
            v.number = item.version + 1;
            v.created_by = actor.user_id.clone();
            v.created_at = d.now_text();
            store::insert_version(&mut tx, id, &v).await?;
            item.version = v.number;
            item.cycle_start = v.number;
            item.changed_on = today.to_string();
            if item.attribute == "proactive" {
                item.due_on = due;
            }
            details["version"] = json!(item.version);
        }
        Action::Withdraw { reason } => {
            item.withdrawn_reason = Some(reason.trim().to_string());
            details["reason"] = json!(reason.trim());
        }
        Action::Repeal => {
            item.repealed_on = Some(today.to_string());
            details["repealed_on"] = json!(today.to_string());
            if !note.trim().is_empty() {
                details["reason"] = json!(note.trim());
            }
        }
        _ => {}
    }
    item.state = next;
    item.updated_at = d.now_text();
    store::save_item(&mut tx, &item).await?;
    // A withdrawn item leaves the index in this transaction; the others are indexed
    // again from what they show (a revision keeps showing its published version).
    crate::search::index::refresh(&mut tx, id).await?;
    audit::append(
        &mut tx,
        actor,
        &format!("item.{}", action.kind().as_str()),
        "item",
        id,
        details,
    )
    .await?;
    let out = item_out(&mut tx, tenant, item).await?;
    tx.commit().await?;
    d.public_items.forget(&tenant.id, id);
    Ok(out)
}

pub fn parse_at(text: &str) -> Result<DateTime<Utc>> {
    ids::parse_time(text)
        .ok_or_else(|| Error::invalid("at", "an RFC 3339 time such as 2026-12-01T09:00:00+08:00"))
}
