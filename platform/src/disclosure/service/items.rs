//! Items: creation (kind, fields, index number, publication deadline), editing the
//! working draft (a new version each time) and the staff view of an item.

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use utoipa::ToSchema;

use super::{conflict, ensure_seeded, load};
use crate::audit;
use crate::disclosure::index_number::{IndexFields, IndexPattern};
use crate::disclosure::kinds;
use crate::disclosure::lifecycle::{
    self, review, DisclosureAttribute, ItemState, LegalGround, Working,
};
use crate::disclosure::model::*;
use crate::disclosure::plugin_kinds;
use crate::disclosure::store;
use crate::disclosure::Disclosure;
use crate::kernel::actor::Actor;
use crate::kernel::db::TenantTx;
use crate::kernel::error::{check, Error, FieldProblem, Result};
use crate::kernel::ids;
use crate::tenancy::Tenant;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewItem {
    /// Where the item goes in the catalog; a plugin kind defaults to its plugin's place.
    pub node_id: Option<String>,
    /// A built-in kind (notice, policy, licensing, penalty, enforcement, fee, news,
    /// interpretation) or an enabled plugin's, as `plugin/kind`; see `item-kinds`.
    pub kind: String,
    pub title: String,
    /// Markdown.
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    #[schema(value_type = Object)]
    pub fields: Value,
    /// `proactive` (default), `on_request` or `not_disclosed`.
    #[serde(default = "proactive")]
    #[schema(value_type = String)]
    pub attribute: DisclosureAttribute,
    #[schema(value_type = Option<String>)]
    pub legal_ground: Option<LegalGround>,
    #[serde(default)]
    pub attribute_reason: String,
}

fn proactive() -> DisclosureAttribute {
    DisclosureAttribute::Proactive
}

/// An edit of the working draft; `version` is the version the client edited.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemPatch {
    pub version: i64,
    pub title: Option<String>,
    pub body: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub fields: Option<Value>,
    pub node_id: Option<String>,
}

fn attribute_text(a: DisclosureAttribute) -> &'static str {
    match a {
        DisclosureAttribute::Proactive => "proactive",
        DisclosureAttribute::OnRequest => "on_request",
        DisclosureAttribute::NotDisclosed => "not_disclosed",
    }
}

fn check_title_body(title: &str, body: &str, problems: &mut Vec<FieldProblem>) {
    let n = title.trim().chars().count();
    if n == 0 || n > 300 {
        problems.push(FieldProblem::new("title", "1–300 characters"));
    }
    if body.len() > 2 * 1024 * 1024 {
        problems.push(FieldProblem::new("body", "at most 2 MiB"));
    }
}

/// Checks that an interpretation points at a policy item of the same tenant.
async fn check_refs(
    tx: &mut TenantTx,
    kind: &kinds::KindSpec,
    fields: &Value,
    problems: &mut Vec<FieldProblem>,
) -> Result<()> {
    for spec in kind
        .fields
        .iter()
        .filter(|s| s.ty == kinds::FieldType::ItemRef)
    {
        if let Some(id) = fields.get(spec.name).and_then(Value::as_str) {
            if uuid::Uuid::parse_str(id).is_err() {
                continue; // already reported by the kind's validator
            }
            match store::item(tx, id, false).await? {
                Some(target) if target.kind == "policy" => {}
                Some(_) => problems.push(FieldProblem::new(
                    format!("fields.{}", spec.name),
                    "must be a policy item",
                )),
                None => problems.push(FieldProblem::new(
                    format!("fields.{}", spec.name),
                    "no such item",
                )),
            }
        }
    }
    Ok(())
}

/// The publication deadline: the general one (20 working days), or a plugin's when it
/// is earlier.
pub(super) async fn due_on(
    d: &Disclosure,
    tenant_id: &str,
    attribute: DisclosureAttribute,
    from: NaiveDate,
    plugin: Option<&PluginRecord>,
) -> Option<String> {
    let cal = match d.calendar.for_tenant(&d.db, tenant_id).await {
        Ok(cal) => cal,
        Err(err) => {
            tracing::warn!(error = %err, "no calendar for the publication deadline");
            return None;
        }
    };
    let add = |d, n| cal.add_working_days(d, n);
    let general = match lifecycle::publication_due(attribute, from, &cal) {
        Ok(due) => due,
        Err(err) => {
            // A year without holiday data: the deadline is unknown, never guessed.
            tracing::warn!(error = %err, "publication deadline unknown");
            None
        }
    };
    let by_plugin = plugin
        .and_then(|p| p.rules.publish_by.as_ref())
        .filter(|_| attribute == DisclosureAttribute::Proactive)
        .and_then(|d| {
            let start = NaiveDate::parse_from_str(&d.start, "%Y-%m-%d").ok()?;
            add(start, d.working_days).ok()
        });
    general
        .into_iter()
        .chain(by_plugin)
        .min()
        .map(|d| d.to_string())
}

/// Built-in kinds' fields are normalised by their specs; a plugin's are kept as sent.
fn normalize(plugin_kind: bool, fields: &Value) -> Value {
    if plugin_kind {
        match fields {
            Value::Null => Value::Object(Map::new()),
            other => other.clone(),
        }
    } else {
        kinds::normalize(fields)
    }
}

pub async fn create_item(
    d: &Disclosure,
    actor: &Actor,
    tenant: &Tenant,
    input: NewItem,
) -> Result<ItemOut> {
    if let Some(by) = kinds::kind(&input.kind).and_then(|k| k.made_by) {
        return Err(Error::invalid(
            "kind",
            format!("`{}` items are made by the {by} capability (an annual report: by submitting it), not through the item API", input.kind),
        ));
    }
    ensure_seeded(d, tenant).await?;
    let today = d.today();
    let plugin_kind = plugin_kinds::split(&input.kind).is_some();
    let mut record = None;
    let mut problems = Vec::new();
    if plugin_kind {
        match plugin_kinds::evaluate(d, tenant, &input.kind, &input.fields, today, None).await {
            Ok(r) => record = Some(r),
            Err(Error::Invalid(list)) => problems.extend(list),
            Err(other) => return Err(other),
        }
    }
    let node_id = match (&input.node_id, plugin_kind && problems.is_empty()) {
        (Some(id), _) => Some(id.clone()),
        (None, true) => Some(plugin_kinds::default_node(d, tenant, &input.kind).await?.id),
        (None, false) => None,
    };
    let due = due_on(d, &tenant.id, input.attribute, today, record.as_ref()).await;
    let mut tx = d.db.tenant(&tenant.id).await?;
    let prepared = Prepared {
        node_id,
        record,
        due,
        problems,
    };
    let item = create_item_in(d, &mut tx, actor, input, prepared).await?;
    let out = item_out(&mut tx, tenant, item).await?;
    tx.commit().await?;
    Ok(out)
}

/// What [`create_item_in`] needs from outside the transaction: the node, the plugin's
/// record, the publication deadline and the problems found so far.
pub struct Prepared {
    pub node_id: Option<String>,
    pub record: Option<PluginRecord>,
    pub due: Option<String>,
    pub problems: Vec<FieldProblem>,
}

/// The publication deadline of a new proactive item of a built-in kind, made today:
/// what [`Prepared::due`] holds for an item another capability makes.
pub async fn due_today(d: &Disclosure, tenant: &Tenant) -> Option<String> {
    due_on(
        d,
        &tenant.id,
        DisclosureAttribute::Proactive,
        d.today(),
        None,
    )
    .await
}

/// Validates and stores a new item inside `tx` (with its first version and audit
/// entry). The item API and the capabilities that make items (the annual report) share
/// it, so an item is made one way whoever makes it.
pub async fn create_item_in(
    d: &Disclosure,
    tx: &mut TenantTx,
    actor: &Actor,
    input: NewItem,
    prepared: Prepared,
) -> Result<ItemRow> {
    let today = d.today();
    let Prepared {
        node_id,
        record,
        due,
        mut problems,
    } = prepared;
    let kind = kinds::kind(&input.kind);
    let plugin_kind = plugin_kinds::split(&input.kind).is_some();
    if !plugin_kind && kind.is_none() {
        problems.push(FieldProblem::new(
            "kind",
            format!(
                "unknown kind; one of {}",
                kinds::KINDS
                    .iter()
                    .filter(|k| k.made_by.is_none())
                    .map(|k| k.code)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    check_title_body(&input.title, &input.body, &mut problems);
    if let Some(kind) = kind {
        problems.extend(kinds::validate(kind, &input.fields));
    }
    if let Err(e) =
        lifecycle::check_attribute(input.attribute, input.legal_ground, &input.attribute_reason)
    {
        let field = match e {
            lifecycle::AttributeError::ReasonMissing(_) => "attribute_reason",
            _ => "legal_ground",
        };
        problems.push(FieldProblem::new(field, e.to_string()));
    }
    let node = match &node_id {
        Some(id) => store::node(tx, id).await?,
        None => None,
    };
    // A plugin kind without a node has its place once its kind is valid: only the kind's
    // problem is reported then.
    match (&node, &node_id) {
        (None, Some(_)) => problems.push(FieldProblem::new("node_id", "no such catalog node")),
        (None, None) if !plugin_kind => problems.push(FieldProblem::new("node_id", "required")),
        _ => {}
    }
    if let Some(kind) = kind {
        check_refs(tx, kind, &input.fields, &mut problems).await?;
    }
    check(problems)?;
    let node = node.expect("checked above");
    let settings = store::settings(tx)
        .await?
        .ok_or_else(|| Error::internal("disclosure settings missing"))?;
    let pattern = IndexPattern::parse(&settings.index_pattern).map_err(Error::internal_from)?;
    let year = today.year();
    let seq = store::next_seq(tx, year).await?;
    let index_number = pattern
        .format(&IndexFields {
            org: settings.org_code.clone(),
            year,
            category: node.code.clone(),
            seq: seq as u64,
        })
        .map_err(Error::internal_from)?;

    let now = d.now_text();
    let fields = normalize(plugin_kind, &input.fields);
    let item = ItemRow {
        id: ids::new_id(),
        node_id: node.id.clone(),
        kind: input.kind.clone(),
        index_number,
        attribute: attribute_text(input.attribute).into(),
        legal_ground: input.legal_ground.map(|g| {
            serde_json::to_value(g)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        }),
        attribute_reason: input.attribute_reason.trim().to_string(),
        state: ItemState::new(),
        version: 1,
        cycle_start: 1,
        published_version: None,
        review_chain: Vec::new(),
        withdrawn_reason: None,
        changed_on: today.to_string(),
        due_on: due,
        created_by: actor.user_id.clone(),
        created_at: now.clone(),
        updated_at: now.clone(),
        published_at: None,
        first_published_at: None,
        repealed_on: None,
    };
    let version = Version {
        number: 1,
        title: input.title.trim().to_string(),
        body: input.body,
        document_number: fields
            .get("document_number")
            .and_then(Value::as_str)
            .map(str::to_string),
        fields,
        created_by: actor.user_id.clone(),
        created_at: now,
        plugin: record,
    };
    store::save_item(tx, &item).await?;
    store::insert_version(tx, &item.id, &version).await?;
    audit::append(
        tx,
        actor,
        "item.create",
        "item",
        &item.id,
        json!({
        "index_number": item.index_number, "kind": item.kind, "node": node.code,
        "attribute": item.attribute, "title": version.title,
        "plugin": version.plugin.as_ref().map(|p| format!("{} {}", p.plugin_id, p.plugin_version))}),
    )
    .await?;
    Ok(item)
}

pub async fn item_out(tx: &mut TenantTx, tenant: &Tenant, item: ItemRow) -> Result<ItemOut> {
    let v = store::version(tx, &item.id, item.version).await?;
    let findings = store::findings(tx, &item.id, Some(item.version)).await?;
    let pending_step = if item.state.working == Some(Working::InReview) {
        let decisions = store::decisions(tx, &item.id).await?;
        review::pending_step(
            &item.review_chain,
            &store::as_rules(&decisions, item.version),
        )
    } else {
        None
    };
    let stage = item.state.stage();
    Ok(ItemOut {
        tenant: tenant.slug.clone(),
        node_id: item.node_id,
        kind: item.kind,
        index_number: item.index_number,
        attribute: item.attribute,
        legal_ground: item.legal_ground,
        attribute_reason: item.attribute_reason,
        stage: stage.as_str().into(),
        stage_zh: stage.label_zh().into(),
        public: item.state.is_public(),
        validity: item.state.validity.as_str().into(),
        scheduled_at: model_scheduled(&item.state),
        version: item.version,
        published_version: item.published_version,
        title: v.title,
        body: v.body,
        fields: v.fields,
        document_number: v.document_number,
        plugin: v.plugin,
        review_chain: item.review_chain,
        pending_step,
        unresolved_findings: findings.iter().filter(|f| f.resolution.is_none()).count() as i64,
        withdrawn_reason: item.withdrawn_reason,
        due_on: item.due_on,
        created_by: item.created_by,
        created_at: item.created_at,
        updated_at: item.updated_at,
        published_at: item.published_at,
        first_published_at: item.first_published_at,
        repealed_on: item.repealed_on,
        id: item.id,
    })
}

fn model_scheduled(state: &ItemState) -> Option<String> {
    working_text(state).1
}

pub async fn update_item(
    d: &Disclosure,
    actor: &Actor,
    tenant: &Tenant,
    id: &str,
    patch: ItemPatch,
) -> Result<ItemOut> {
    let mut tx = d.db.tenant(&tenant.id).await?;
    let mut item = load(&mut tx, id, true).await?;
    if item.state.working != Some(Working::Draft) {
        return Err(conflict(
            "only a draft can be edited; revise a published or approved item first",
            &item.state,
        ));
    }
    if patch.version != item.version {
        return Err(conflict(
            format!("you edited version {} but the item is at version {}: reload and apply your changes again", patch.version, item.version),
            &item.state,
        ));
    }
    if let Some(by) = kinds::kind(&item.kind).and_then(|k| k.made_by) {
        if patch.fields.is_some() || patch.node_id.is_some() {
            return Err(Error::invalid(
                "fields",
                format!("a `{}` item's fields and place come from the {by} capability: change the report and submit it again", item.kind),
            ));
        }
    }
    let current = store::version(&mut tx, id, item.version).await?;
    let title = patch.title.unwrap_or(current.title);
    let body = patch.body.unwrap_or(current.body);
    let fields = patch.fields.unwrap_or(current.fields);
    let mut problems = Vec::new();
    check_title_body(&title, &body, &mut problems);
    let today = d.today();
    let plugin_kind = plugin_kinds::split(&item.kind).is_some();
    let mut record = None;
    if plugin_kind {
        // The plugin is called outside the transaction: it may take its full deadline.
        tx.commit().await?;
        match plugin_kinds::evaluate(d, tenant, &item.kind, &fields, today, Some(id)).await {
            Ok(r) => record = Some(r),
            Err(Error::Invalid(list)) => problems.extend(list),
            Err(other) => return Err(other),
        }
        tx = d.db.tenant(&tenant.id).await?;
        let again = load(&mut tx, id, true).await?;
        if again.version != item.version || again.state != item.state {
            return Err(conflict(
                "the item changed while it was being validated: reload and apply your changes again",
                &again.state,
            ));
        }
    } else {
        let kind = kinds::kind(&item.kind).ok_or_else(|| Error::internal("unknown stored kind"))?;
        problems.extend(kinds::validate(kind, &fields));
        check_refs(&mut tx, kind, &fields, &mut problems).await?;
    }
    if let Some(node_id) = &patch.node_id {
        if store::node(&mut tx, node_id).await?.is_none() {
            problems.push(FieldProblem::new("node_id", "no such catalog node"));
        }
    }
    check(problems)?;
    let fields = normalize(plugin_kind, &fields);
    let now = d.now_text();
    if record.is_some() && item.attribute == "proactive" {
        let changed_on = NaiveDate::parse_from_str(&item.changed_on, "%Y-%m-%d").unwrap_or(today);
        item.due_on = due_on(
            d,
            &tenant.id,
            DisclosureAttribute::Proactive,
            changed_on,
            record.as_ref(),
        )
        .await;
    }
    let version = Version {
        number: item.version + 1,
        title: title.trim().to_string(),
        body,
        document_number: fields
            .get("document_number")
            .and_then(Value::as_str)
            .map(str::to_string),
        fields,
        created_by: actor.user_id.clone(),
        created_at: now.clone(),
        plugin: record,
    };
    store::insert_version(&mut tx, id, &version).await?;
    item.version = version.number;
    if let Some(node_id) = patch.node_id {
        item.node_id = node_id;
    }
    item.updated_at = now;
    store::save_item(&mut tx, &item).await?;
    audit::append(
        &mut tx,
        actor,
        "item.edit",
        "item",
        id,
        json!({"version": item.version}),
    )
    .await?;
    let out = item_out(&mut tx, tenant, item).await?;
    tx.commit().await?;
    Ok(out)
}
