//! Catalog configuration: the default catalog seeded on first use, nodes and their
//! review chains, the index-number settings and the sensitive words.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::audit;
use crate::authz::catalog as permissions;
use crate::disclosure::catalog_tree;
use crate::disclosure::index_number::IndexPattern;
use crate::disclosure::lifecycle::review;
use crate::disclosure::model::*;
use crate::disclosure::store;
use crate::disclosure::Disclosure;
use crate::kernel::actor::Actor;
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

/// The tenant's catalog (seeded on first use), each node with its review chain.
pub async fn nodes(d: &Disclosure, tenant: &Tenant) -> Result<Vec<CatalogNode>> {
    ensure_seeded(d, tenant).await?;
    let mut tx = d.db.tenant_read(&tenant.id).await?;
    let nodes = store::nodes(&mut tx).await?;
    tx.commit().await?;
    Ok(nodes)
}

/// Seeds the tenant's settings and default catalog on first use (idempotent, safe when
/// two requests race: only the one that inserts the settings row seeds).
pub async fn ensure_seeded(d: &Disclosure, tenant: &Tenant) -> Result<()> {
    let mut tx = d.db.tenant_read(&tenant.id).await?;
    let present = store::settings(&mut tx).await?.is_some();
    tx.commit().await?;
    if present {
        return Ok(());
    }
    let mut tx = d.db.tenant(&tenant.id).await?;
    let at = d.now_text();
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

/// A review chain: 1–10 named steps, each signed by a tenant role. Never empty (issue 11
/// point 6): at least one person other than the editor signs before anything is
/// published, as the confidentiality review (保密审查) requires; the signer of a step is
/// never the version's editor (`lifecycle::review`).
fn check_chain(chain: &[ReviewStep], problems: &mut Vec<FieldProblem>) -> Vec<review::Step> {
    if chain.is_empty() {
        problems.push(FieldProblem::new(
            "review_chain",
            "at least one step: someone other than the editor signs before anything is published",
        ));
    }
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
    d: &Disclosure,
    actor: &Actor,
    tenant: &Tenant,
    input: NewNode,
) -> Result<CatalogNode> {
    ensure_seeded(d, tenant).await?;
    let mut problems = Vec::new();
    check_code(&input.code, &mut problems);
    check_node_name(&input.name, &mut problems);
    let chain = match &input.review_chain {
        Some(chain) => check_chain(chain, &mut problems),
        None => default_chain(),
    };
    let mut tx = d.db.tenant(&tenant.id).await?;
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
    store::insert_node(&mut tx, &node, &d.now_text()).await?;
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
    d: &Disclosure,
    actor: &Actor,
    tenant: &Tenant,
    id: &str,
    patch: NodePatch,
) -> Result<CatalogNode> {
    let mut problems = Vec::new();
    if let Some(name) = &patch.name {
        check_node_name(name, &mut problems);
    }
    let mut tx = d.db.tenant(&tenant.id).await?;
    if patch.parent_id.is_some() {
        store::lock_catalog(&mut tx).await?;
    }
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

pub async fn delete_node(d: &Disclosure, actor: &Actor, tenant: &Tenant, id: &str) -> Result<()> {
    let mut tx = d.db.tenant(&tenant.id).await?;
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
    d: &Disclosure,
    actor: &Actor,
    tenant: &Tenant,
    id: &str,
    chain: Vec<ReviewStep>,
) -> Result<CatalogNode> {
    let mut problems = Vec::new();
    let steps = check_chain(&chain, &mut problems);
    check(problems)?;
    let mut tx = d.db.tenant(&tenant.id).await?;
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
    d: &Disclosure,
    actor: &Actor,
    tenant: &Tenant,
    input: SettingsInput,
) -> Result<Settings> {
    ensure_seeded(d, tenant).await?;
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
    let mut tx = d.db.tenant(&tenant.id).await?;
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
    d: &Disclosure,
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
    let mut tx = d.db.tenant(&tenant.id).await?;
    store::replace_sensitive_words(&mut tx, &clean, &d.now_text()).await?;
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
