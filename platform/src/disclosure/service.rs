//! The disclosure rules applied to stored data: catalog configuration, items and their
//! versions, the review chain, the confidentiality scan and publication. Every change is
//! validated, stored and audited in one tenant transaction.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Utc};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use utoipa::ToSchema;

use super::catalog_tree;
use super::index_number::{IndexFields, IndexPattern};
use super::kinds;
use super::lifecycle::{
    self, apply, review, Action, DisclosureAttribute, ItemState, LegalGround, Working,
};
use super::model::*;
use super::plugin_kinds;
use super::render::markdown_to_html;
use super::scan;
use super::store;
use crate::app::AppState;
use crate::audit;
use crate::authz::catalog as permissions;
use crate::kernel::actor::Actor;
use crate::kernel::db::{Db, TenantTx};
use crate::kernel::error::{check, Error, FieldProblem, Result};
use crate::kernel::ids;
use crate::tenancy::Tenant;

/// The national-style default catalog: (code, name, parent code).
pub const DEFAULT_CATALOG: &[(&str, &str, Option<&str>)] = &[
    ("JGZN", "机构职能", None),
    ("FGWJ", "法规文件", None),
    ("FGWJ-GZ", "规章", Some("FGWJ")),
    ("FGWJ-GFXWJ", "行政规范性文件", Some("FGWJ")),
    ("GHJH", "规划计划", None),
    ("CZXX", "财政信息", None),
    ("CZXX-YJS", "预决算", Some("CZXX")),
    ("CZXX-SGJF", "三公经费", Some("CZXX")),
    ("RSXX", "人事信息", None),
    ("XZXK", "行政许可", None),
    ("XZCF", "行政处罚", None),
    ("XZQZ", "行政强制", None),
    ("XZSYXSF", "行政事业性收费", None),
    ("ZDLY", "重点领域", None),
    ("ZCJD", "政策解读", None),
    ("GZDT", "工作动态", None),
    ("NDBG", "年度报告", None),
];

pub const DEFAULT_PATTERN: &str = "{org}/{year}-{seq:05}";

/// The default review chain of every seeded node (三级审查 in its usual two signatures
/// after the editor: confidentiality review, then the leader's sign-off).
pub fn default_chain() -> Vec<review::Step> {
    vec![
        review::Step::new("保密审查", "reviewer"),
        review::Step::new("领导签发", "approver"),
    ]
}

/// Today in China (UTC+8): deadlines are counted in the agencies' days.
pub fn today() -> NaiveDate {
    day_in_china(Utc::now())
}

fn day_in_china(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&FixedOffset::east_opt(8 * 3600).expect("valid offset"))
        .date_naive()
}

fn conflict(message: impl Into<String>, state: &ItemState) -> Error {
    Error::Conflict {
        message: message.into(),
        current_state: Some(state.stage().as_str().to_string()),
    }
}

fn transition(state: ItemState, action: &Action) -> Result<ItemState> {
    apply(state, action).map_err(|e| conflict(e.to_string(), &e.state))
}

/// Seeds the tenant's settings and default catalog on first use (idempotent, safe when
/// two requests race: only the one that inserts the settings row seeds).
pub async fn ensure_seeded(db: &Db, tenant: &Tenant) -> Result<()> {
    let mut tx = db.tenant_read(&tenant.id).await?;
    let present = store::settings(&mut tx).await?.is_some();
    tx.commit().await?;
    if present {
        return Ok(());
    }
    let mut tx = db.tenant(&tenant.id).await?;
    let at = ids::now_text();
    let settings = Settings {
        org_code: tenant.slug.to_uppercase(),
        index_pattern: DEFAULT_PATTERN.to_string(),
    };
    if store::insert_settings(&mut tx, &settings, &at).await? {
        let mut by_code: BTreeMap<&str, String> = BTreeMap::new();
        for (position, (code, name, parent)) in DEFAULT_CATALOG.iter().enumerate() {
            let node = CatalogNode {
                id: ids::new_id(),
                parent_id: parent.and_then(|p| by_code.get(p).cloned()),
                code: code.to_string(),
                name: name.to_string(),
                position: position as i64,
                review_chain: default_chain(),
            };
            store::insert_node(&mut tx, &node, &at).await?;
            by_code.insert(code, node.id);
        }
        audit::append(
            &mut tx,
            &Actor::system(),
            "catalog.seed",
            "tenant",
            &tenant.id,
            json!({"nodes": DEFAULT_CATALOG.len(), "index_pattern": DEFAULT_PATTERN}),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Catalog configuration.

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewNode {
    pub parent_id: Option<String>,
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub position: i64,
    /// Defaults to the standard chain (保密审查 by reviewer, 领导签发 by approver).
    pub review_chain: Option<Vec<ReviewStep>>,
}

/// A change of a catalog node; absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NodePatch {
    pub name: Option<String>,
    pub position: Option<i64>,
    /// Moves the node (with its subtree and items): a node id, or `null` for the top
    /// level. Never under the node itself or one of its descendants.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub parent_id: Option<Option<String>>,
}

/// For a field that may be absent (`None`), `null` (`Some(None)`) or a value: with
/// `#[serde(default)]` an absent field never reaches this function.
fn present<'de, D, T>(d: D) -> std::result::Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

fn check_chain(chain: &[ReviewStep], problems: &mut Vec<FieldProblem>) -> Vec<review::Step> {
    if chain.len() > 10 {
        problems.push(FieldProblem::new("review_chain", "at most 10 steps"));
    }
    for (i, step) in chain.iter().enumerate() {
        if step.name.trim().is_empty() {
            problems.push(FieldProblem::new(
                format!("review_chain[{i}].name"),
                "required",
            ));
        }
        if !permissions::is_role(&step.role) || step.role == "platform_admin" {
            problems.push(FieldProblem::new(
                format!("review_chain[{i}].role"),
                format!("`{}` is not a tenant role", step.role),
            ));
        }
        if chain[..i].iter().any(|s| s.name.trim() == step.name.trim()) {
            problems.push(FieldProblem::new(
                format!("review_chain[{i}].name"),
                "repeated step",
            ));
        }
    }
    chain
        .iter()
        .map(|s| review::Step::new(s.name.trim(), &s.role))
        .collect()
}

fn check_code(code: &str, problems: &mut Vec<FieldProblem>) {
    let ok = !code.is_empty()
        && code.len() <= 32
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !ok {
        problems.push(FieldProblem::new("code", "1–32 letters, digits, - or _"));
    }
}

fn check_node_name(name: &str, problems: &mut Vec<FieldProblem>) {
    let n = name.trim().chars().count();
    if n == 0 || n > 100 {
        problems.push(FieldProblem::new("name", "1–100 characters"));
    }
}

pub async fn create_node(
    db: &Db,
    actor: &Actor,
    tenant: &Tenant,
    input: NewNode,
) -> Result<CatalogNode> {
    ensure_seeded(db, tenant).await?;
    let mut problems = Vec::new();
    check_code(&input.code, &mut problems);
    check_node_name(&input.name, &mut problems);
    let chain = match &input.review_chain {
        Some(chain) => check_chain(chain, &mut problems),
        None => default_chain(),
    };
    let mut tx = db.tenant(&tenant.id).await?;
    let existing = store::nodes(&mut tx).await?;
    if let Some(parent) = &input.parent_id {
        if !existing.iter().any(|n| &n.id == parent) {
            problems.push(FieldProblem::new("parent_id", "no such catalog node"));
        }
    }
    if existing.iter().any(|n| n.code == input.code) {
        problems.push(FieldProblem::new("code", "already used by another node"));
    }
    check(problems)?;
    let node = CatalogNode {
        id: ids::new_id(),
        parent_id: input.parent_id,
        code: input.code,
        name: input.name.trim().to_string(),
        position: input.position,
        review_chain: chain,
    };
    store::insert_node(&mut tx, &node, &ids::now_text()).await?;
    audit::append(
        &mut tx,
        actor,
        "catalog.create",
        "catalog_node",
        &node.id,
        json!({"code": node.code, "name": node.name, "parent_id": node.parent_id}),
    )
    .await?;
    tx.commit().await?;
    Ok(node)
}

pub async fn update_node(
    db: &Db,
    actor: &Actor,
    tenant: &Tenant,
    id: &str,
    patch: NodePatch,
) -> Result<CatalogNode> {
    let mut problems = Vec::new();
    if let Some(name) = &patch.name {
        check_node_name(name, &mut problems);
    }
    let mut tx = db.tenant(&tenant.id).await?;
    let nodes = store::nodes(&mut tx).await?;
    let mut node = nodes
        .iter()
        .find(|n| n.id == id)
        .cloned()
        .ok_or_else(|| Error::NotFound("catalog node".into()))?;
    if let Some(parent) = &patch.parent_id {
        let tree: Vec<(&str, Option<&str>)> = nodes
            .iter()
            .map(|n| (n.id.as_str(), n.parent_id.as_deref()))
            .collect();
        if let Err(e) = catalog_tree::check_move(&tree, id, parent.as_deref()) {
            problems.push(FieldProblem::new("parent_id", e.to_string()));
        }
    }
    check(problems)?;
    let renamed = patch.name.is_some() || patch.position.is_some();
    if let Some(name) = patch.name {
        node.name = name.trim().to_string();
    }
    if let Some(position) = patch.position {
        node.position = position;
    }
    let from = node.parent_id.clone();
    if let Some(parent) = patch.parent_id {
        node.parent_id = parent;
    }
    store::update_node(&mut tx, &node).await?;
    if renamed {
        audit::append(
            &mut tx,
            actor,
            "catalog.update",
            "catalog_node",
            id,
            json!({"name": node.name, "position": node.position}),
        )
        .await?;
    }
    if node.parent_id != from {
        audit::append(
            &mut tx,
            actor,
            "catalog.move",
            "catalog_node",
            id,
            json!({"code": node.code, "from": from, "to": node.parent_id}),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(node)
}

pub async fn delete_node(db: &Db, actor: &Actor, tenant: &Tenant, id: &str) -> Result<()> {
    let mut tx = db.tenant(&tenant.id).await?;
    let node = store::node(&mut tx, id)
        .await?
        .ok_or_else(|| Error::NotFound("catalog node".into()))?;
    let (children, items) = store::count_node_use(&mut tx, id).await?;
    if children > 0 || items > 0 {
        return Err(Error::Conflict {
            message: format!(
                "the node has {children} child node(s) and {items} item(s); move them first"
            ),
            current_state: Some("in_use".into()),
        });
    }
    store::delete_node(&mut tx, id).await?;
    audit::append(
        &mut tx,
        actor,
        "catalog.delete",
        "catalog_node",
        id,
        json!({"code": node.code, "name": node.name}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn set_chain(
    db: &Db,
    actor: &Actor,
    tenant: &Tenant,
    id: &str,
    chain: Vec<ReviewStep>,
) -> Result<CatalogNode> {
    let mut problems = Vec::new();
    let steps = check_chain(&chain, &mut problems);
    check(problems)?;
    let mut tx = db.tenant(&tenant.id).await?;
    let mut node = store::node(&mut tx, id)
        .await?
        .ok_or_else(|| Error::NotFound("catalog node".into()))?;
    store::set_chain(&mut tx, id, &steps).await?;
    audit::append(
        &mut tx,
        actor,
        "catalog.review_chain",
        "catalog_node",
        id,
        json!({"steps": steps}),
    )
    .await?;
    tx.commit().await?;
    node.review_chain = steps;
    Ok(node)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsInput {
    pub org_code: String,
    pub index_pattern: String,
}

pub async fn update_settings(
    db: &Db,
    actor: &Actor,
    tenant: &Tenant,
    input: SettingsInput,
) -> Result<Settings> {
    ensure_seeded(db, tenant).await?;
    let mut problems = Vec::new();
    if input.org_code.trim().is_empty() || input.org_code.chars().count() > 64 {
        problems.push(FieldProblem::new("org_code", "1–64 characters"));
    }
    if let Err(e) = IndexPattern::parse(&input.index_pattern) {
        problems.push(FieldProblem::new("index_pattern", e.to_string()));
    }
    check(problems)?;
    let settings = Settings {
        org_code: input.org_code.trim().to_string(),
        index_pattern: input.index_pattern,
    };
    let mut tx = db.tenant(&tenant.id).await?;
    store::update_settings(&mut tx, &settings).await?;
    audit::append(
        &mut tx,
        actor,
        "disclosure.settings",
        "tenant",
        &tenant.id,
        json!({"org_code": settings.org_code, "index_pattern": settings.index_pattern}),
    )
    .await?;
    tx.commit().await?;
    Ok(settings)
}

pub async fn set_sensitive_words(
    db: &Db,
    actor: &Actor,
    tenant: &Tenant,
    words: Vec<String>,
) -> Result<Vec<String>> {
    let mut clean: Vec<String> = words
        .iter()
        .map(|w| w.trim().to_string())
        .filter(|w| !w.is_empty())
        .collect();
    clean.sort();
    clean.dedup();
    let problems: Vec<FieldProblem> = clean
        .iter()
        .enumerate()
        .filter(|(_, w)| w.chars().count() > 50)
        .map(|(i, _)| FieldProblem::new(format!("words[{i}]"), "at most 50 characters"))
        .collect();
    check(problems)?;
    let mut tx = db.tenant(&tenant.id).await?;
    store::replace_sensitive_words(&mut tx, &clean, &ids::now_text()).await?;
    audit::append(
        &mut tx,
        actor,
        "disclosure.sensitive_words",
        "tenant",
        &tenant.id,
        json!({"count": clean.len()}),
    )
    .await?;
    tx.commit().await?;
    Ok(clean)
}

// ---------------------------------------------------------------------------------------
// Items.

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
    db: &Db,
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
            match store::item(tx, db.backend(), id, false).await? {
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
async fn due_on(
    state: &AppState,
    tenant_id: &str,
    attribute: DisclosureAttribute,
    from: NaiveDate,
    plugin: Option<&PluginRecord>,
) -> Option<String> {
    let cal = match state.calendar.for_tenant(&state.db, tenant_id).await {
        Ok(cal) => cal,
        Err(err) => {
            tracing::warn!(error = %err, "no calendar for the publication deadline");
            return None;
        }
    };
    let add = |d, n| cal.add_working_days(d, n);
    let general = match lifecycle::publication_due(attribute, from, &add) {
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
    state: &AppState,
    actor: &Actor,
    tenant: &Tenant,
    input: NewItem,
) -> Result<ItemOut> {
    let db = &state.db;
    ensure_seeded(db, tenant).await?;
    let mut problems = Vec::new();
    let kind = kinds::kind(&input.kind);
    let plugin_kind = plugin_kinds::split(&input.kind).is_some();
    let mut record = None;
    if plugin_kind {
        match plugin_kinds::evaluate(state, tenant, &input.kind, &input.fields, today()).await {
            Ok(r) => record = Some(r),
            Err(Error::Invalid(list)) => problems.extend(list),
            Err(other) => return Err(other),
        }
    } else if kind.is_none() {
        problems.push(FieldProblem::new(
            "kind",
            format!(
                "unknown kind; one of {}",
                kinds::KINDS
                    .iter()
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
    let node_id = match (&input.node_id, plugin_kind && problems.is_empty()) {
        (Some(id), _) => Some(id.clone()),
        (None, true) => Some(
            plugin_kinds::default_node(state, tenant, &input.kind)
                .await?
                .id,
        ),
        (None, false) => None,
    };
    let due = due_on(state, &tenant.id, input.attribute, today(), record.as_ref()).await;
    let mut tx = db.tenant(&tenant.id).await?;
    let node = match &node_id {
        Some(id) => store::node(&mut tx, id).await?,
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
        check_refs(&mut tx, db, kind, &input.fields, &mut problems).await?;
    }
    check(problems)?;
    let node = node.expect("checked above");
    let settings = store::settings(&mut tx)
        .await?
        .ok_or_else(|| Error::internal("disclosure settings missing"))?;
    let pattern =
        IndexPattern::parse(&settings.index_pattern).map_err(Error::internal_from)?;
    let year = today().year();
    let seq = store::next_seq(&mut tx, year).await?;
    let index_number = pattern
        .format(&IndexFields {
            org: settings.org_code.clone(),
            year,
            category: node.code.clone(),
            seq: seq as u64,
        })
        .map_err(Error::internal_from)?;

    let now = ids::now_text();
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
        changed_on: today().to_string(),
        due_on: due,
        created_by: actor.user_id.clone(),
        created_at: now.clone(),
        updated_at: now.clone(),
        published_at: None,
        first_published_at: None,
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
    store::save_item(&mut tx, &item).await?;
    store::insert_version(&mut tx, &item.id, &version).await?;
    audit::append(
        &mut tx,
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
    let out = item_out(&mut tx, tenant, item).await?;
    tx.commit().await?;
    Ok(out)
}

async fn load(tx: &mut TenantTx, db: &Db, id: &str, lock: bool) -> Result<ItemRow> {
    store::item(tx, db.backend(), id, lock)
        .await?
        .ok_or_else(|| Error::NotFound("item".into()))
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
        id: item.id,
    })
}

fn model_scheduled(state: &ItemState) -> Option<String> {
    working_text(state).1
}

pub async fn get_item(db: &Db, tenant: &Tenant, id: &str) -> Result<ItemOut> {
    let mut tx = db.tenant_read(&tenant.id).await?;
    let item = load(&mut tx, db, id, false).await?;
    let out = item_out(&mut tx, tenant, item).await?;
    tx.commit().await?;
    Ok(out)
}

pub async fn update_item(
    state: &AppState,
    actor: &Actor,
    tenant: &Tenant,
    id: &str,
    patch: ItemPatch,
) -> Result<ItemOut> {
    let db = &state.db;
    let mut tx = db.tenant(&tenant.id).await?;
    let mut item = load(&mut tx, db, id, true).await?;
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
    let current = store::version(&mut tx, id, item.version).await?;
    let title = patch.title.unwrap_or(current.title);
    let body = patch.body.unwrap_or(current.body);
    let fields = patch.fields.unwrap_or(current.fields);
    let mut problems = Vec::new();
    check_title_body(&title, &body, &mut problems);
    let plugin_kind = plugin_kinds::split(&item.kind).is_some();
    let mut record = None;
    if plugin_kind {
        // The plugin is called outside the transaction: it may take its full deadline.
        tx.commit().await?;
        match plugin_kinds::evaluate(state, tenant, &item.kind, &fields, today()).await {
            Ok(r) => record = Some(r),
            Err(Error::Invalid(list)) => problems.extend(list),
            Err(other) => return Err(other),
        }
        tx = db.tenant(&tenant.id).await?;
        let again = load(&mut tx, db, id, true).await?;
        if again.version != item.version || again.state != item.state {
            return Err(conflict(
                "the item changed while it was being validated: reload and apply your changes again",
                &again.state,
            ));
        }
    } else {
        let kind =
            kinds::kind(&item.kind).ok_or_else(|| Error::internal("unknown stored kind"))?;
        problems.extend(kinds::validate(kind, &fields));
        check_refs(&mut tx, db, kind, &fields, &mut problems).await?;
    }
    if let Some(node_id) = &patch.node_id {
        if store::node(&mut tx, node_id).await?.is_none() {
            problems.push(FieldProblem::new("node_id", "no such catalog node"));
        }
    }
    check(problems)?;
    let fields = normalize(plugin_kind, &fields);
    let now = ids::now_text();
    if record.is_some() && item.attribute == "proactive" {
        let changed_on = NaiveDate::parse_from_str(&item.changed_on, "%Y-%m-%d").unwrap_or(today());
        item.due_on = due_on(
            state,
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

pub async fn submit(state: &AppState, actor: &Actor, tenant: &Tenant, id: &str) -> Result<ItemOut> {
    let db = &state.db;
    // Attachment texts are read (PDFs parsed) before the transaction, so the item is not
    // locked meanwhile. A file added or removed in that window shows under the lock:
    // then the texts are read again, holding it.
    let input = super::attachments::texts_for_scan(state, tenant, id).await?;
    let mut tx = db.tenant(&tenant.id).await?;
    let mut item = load(&mut tx, db, id, true).await?;
    let attachments = store::attachments(&mut tx, id).await?;
    let texts = if attachments.iter().map(|a| &a.id).eq(&input.attachment_ids) {
        input.texts
    } else {
        super::attachments::scan_texts(state, &tenant.id, &attachments).await?
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
        let at = ids::now_text();
        let findings = scan_version(&current, &texts, &words, today());
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
    item.updated_at = ids::now_text();
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
    state: &AppState,
    actor: &Actor,
    tenant: &Tenant,
    id: &str,
    input: DecisionInput,
) -> Result<ItemOut> {
    let db = &state.db;
    let user_id = actor.user_id.clone().ok_or(Error::Unauthenticated)?;
    let roles = state.authz.roles_in(&user_id, &tenant.id).await;
    let mut tx = db.tenant(&tenant.id).await?;
    let mut item = load(&mut tx, db, id, true).await?;
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
        decided_at: ids::now_text(),
    };
    store::insert_decision(&mut tx, id, &decision).await?;
    item.state = next;
    item.updated_at = ids::now_text();
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

pub async fn decisions(db: &Db, tenant: &Tenant, id: &str) -> Result<Vec<DecisionOut>> {
    let mut tx = db.tenant_read(&tenant.id).await?;
    load(&mut tx, db, id, false).await?;
    let out = store::decisions(&mut tx, id).await?;
    tx.commit().await?;
    Ok(out)
}

pub async fn versions(db: &Db, tenant: &Tenant, id: &str) -> Result<Vec<Version>> {
    let mut tx = db.tenant_read(&tenant.id).await?;
    load(&mut tx, db, id, false).await?;
    let out = store::versions(&mut tx, id).await?;
    tx.commit().await?;
    Ok(out)
}

pub async fn findings(db: &Db, tenant: &Tenant, id: &str) -> Result<Vec<FindingOut>> {
    let mut tx = db.tenant_read(&tenant.id).await?;
    load(&mut tx, db, id, false).await?;
    let out = store::findings(&mut tx, id, None).await?;
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
    state: &AppState,
    actor: &Actor,
    tenant: &Tenant,
    id: &str,
    finding_id: &str,
    input: ResolutionInput,
) -> Result<FindingOut> {
    let db = &state.db;
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
    let mut tx = db.tenant(&tenant.id).await?;
    let item = load(&mut tx, db, id, true).await?;
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
    let at = ids::now_text();
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
        || !super::attachments::is_text(&media_type)
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
            let value = match value.as_str() {
                Some(text) => {
                    let mut text =
                        scan::apply_redactions(text, &redactions(&format!("fields.{name}")));
                    let person = spec
                        .and_then(|k| k.fields.iter().find(|s| s.name == name))
                        .is_some_and(|s| s.person_name);
                    if person && natural_person {
                        text = scan::mask_person_name(&text);
                    }
                    Value::String(text)
                }
                None => value.clone(),
            };
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
pub async fn publish_in(tx: &mut TenantTx, db: &Db, actor: &Actor, id: &str) -> Result<ItemRow> {
    let mut item = load(tx, db, id, true).await?;
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
    if let Some(day) = plugin_kinds::embargo(v.plugin.as_ref(), today()) {
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
    let now = ids::now_text();
    item.state = next;
    item.published_version = Some(item.version);
    item.published_at = Some(now.clone());
    if item.first_published_at.is_none() {
        item.first_published_at = Some(now.clone());
    }
    item.withdrawn_reason = None;
    item.updated_at = now;
    store::save_item(tx, &item).await?;
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

pub async fn publish(
    state: &AppState,
    actor: &Actor,
    tenant: &Tenant,
    id: &str,
) -> Result<ItemOut> {
    let mut tx = state.db.tenant(&tenant.id).await?;
    let item = publish_in(&mut tx, &state.db, actor, id).await?;
    let out = item_out(&mut tx, tenant, item).await?;
    tx.commit().await?;
    state.public_items.forget(&tenant.id, id);
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
    state: &AppState,
    actor: &Actor,
    tenant: &Tenant,
    id: &str,
    action: Action,
) -> Result<ItemOut> {
    let db = &state.db;
    if let Action::Schedule { at } = &action {
        if *at <= Utc::now() {
            return Err(Error::invalid("at", "must be in the future"));
        }
    }
    let due = due_on(
        state,
        &tenant.id,
        DisclosureAttribute::Proactive,
        today(),
        None,
    )
    .await;
    let mut tx = db.tenant(&tenant.id).await?;
    let mut item = load(&mut tx, db, id, true).await?;
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
            v.created_at = ids::now_text();
            store::insert_version(&mut tx, id, &v).await?;
            item.version = v.number;
            item.cycle_start = v.number;
            item.changed_on = today().to_string();
            if item.attribute == "proactive" {
                item.due_on = due;
            }
            details["version"] = json!(item.version);
        }
        Action::Withdraw { reason } => {
            item.withdrawn_reason = Some(reason.trim().to_string());
            details["reason"] = json!(reason.trim());
        }
        _ => {}
    }
    item.state = next;
    item.updated_at = ids::now_text();
    store::save_item(&mut tx, &item).await?;
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
    state.public_items.forget(&tenant.id, id);
    Ok(out)
}

pub fn parse_at(text: &str) -> Result<DateTime<Utc>> {
    ids::parse_time(text)
        .ok_or_else(|| Error::invalid("at", "an RFC 3339 time such as 2026-12-01T09:00:00+08:00"))
}

fn summary(tenant: &Tenant, item: ItemRow, title: String) -> ItemSummary {
    ItemSummary {
        tenant: tenant.slug.clone(),
        stage: item.state.stage().as_str().into(),
        validity: item.state.validity.as_str().into(),
        id: item.id,
        node_id: item.node_id,
        kind: item.kind,
        index_number: item.index_number,
        title,
        version: item.version,
        due_on: item.due_on,
        updated_at: item.updated_at,
        published_at: item.published_at,
    }
}

pub struct ListFilter {
    pub stage: Option<String>,
    pub node_id: Option<String>,
    pub kind: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

pub async fn list(db: &Db, tenant: &Tenant, f: ListFilter) -> Result<Vec<ItemSummary>> {
    let mut tx = db.tenant_read(&tenant.id).await?;
    let rows = store::list_items(
        &mut tx,
        f.stage.as_deref(),
        f.node_id.as_deref(),
        f.kind.as_deref(),
        f.limit,
        f.offset,
    )
    .await?;
    tx.commit().await?;
    Ok(rows
        .into_iter()
        .map(|(i, t)| summary(tenant, i, t))
        .collect())
}

/// Overdue items of the tenant and of every descendant the caller may read.
pub async fn overdue(state: &AppState, user_id: &str, tenant: &Tenant) -> Result<Vec<ItemSummary>> {
    let today = today().to_string();
    let mut scope = vec![tenant.clone()];
    for t in crate::tenancy::store::all(&state.db).await? {
        if t.id == tenant.id || !t.active {
            continue;
        }
        let ancestors = crate::tenancy::store::ancestors(&state.db, &t).await?;
        if ancestors.iter().any(|a| a.id == tenant.id)
            && state
                .authz
                .allowed(user_id, &t, &ancestors, "items", "read")
                .await
        {
            scope.push(t);
        }
    }
    let mut out = Vec::new();
    for t in scope {
        let mut tx = state.db.tenant_read(&t.id).await?;
        let rows = store::overdue(&mut tx, &today).await?;
        tx.commit().await?;
        out.extend(rows.into_iter().map(|(i, title)| summary(&t, i, title)));
    }
    out.sort_by(|a, b| a.due_on.cmp(&b.due_on));
    Ok(out)
}
