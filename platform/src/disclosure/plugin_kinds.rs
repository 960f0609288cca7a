//! Item kinds defined by plugins. Such a kind is named `{plugin}/{kind}` (for example
//! `environment/air-quality-reading`); the tenant's pinned version of the plugin validates
//! its fields, derives computed ones and states publication rules, and what it said is
//! stored with the version ([`PluginRecord`]) so that an upgrade never changes how a
//! saved or published item reads.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::{json, Map, Value};
use utoipa::ToSchema;

use super::kinds;
use super::lifecycle::review;
use super::model::{CatalogNode, PluginRecord};
use super::{store, Disclosure};
use crate::audit;
use crate::authz::catalog as permissions;
use crate::kernel::actor::Actor;
use crate::kernel::error::{Error, FieldProblem, Result};
use crate::kernel::ids;
use crate::plugins::model::{ExportItemInput, Package, Severity};
use crate::plugins::service as plugins;
use crate::tenancy::Tenant;

/// `(plugin id, kind id)` of a plugin kind; `None` for a built-in kind.
pub fn split(kind: &str) -> Option<(&str, &str)> {
    kind.split_once('/')
}

/// A kind a tenant's staff can create, built in or from an enabled plugin.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TenantKind {
    /// What `kind` takes when creating an item.
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// The plugin and pinned version that define it; absent for built-in kinds.
    pub plugin: Option<String>,
    pub plugin_version: Option<String>,
    /// The catalog node the plugin places it in (items default to it).
    pub catalog_node_id: Option<String>,
    pub portal_column: Option<String>,
    /// The fields: a built-in kind's field specs, or the plugin's field schema.
    #[schema(value_type = Object)]
    pub fields: Value,
    /// Computed fields the plugin adds.
    #[schema(value_type = Object)]
    pub derived: Value,
}

/// The built-in kinds and every kind of the tenant's enabled plugins, placed in the
/// tenant's catalog (missing places are created). Kinds another capability makes (the
/// annual report's) are not offered: no one creates them by hand.
pub async fn tenant_kinds(d: &Disclosure, tenant: &Tenant) -> Result<Vec<TenantKind>> {
    let mut out: Vec<TenantKind> = kinds::KINDS
        .iter()
        .filter(|k| k.made_by.is_none())
        .map(|k| TenantKind {
            code: k.code.to_string(),
            name_zh: k.label_zh.to_string(),
            name_en: String::new(),
            plugin: None,
            plugin_version: None,
            catalog_node_id: None,
            portal_column: None,
            fields: json!(k.fields),
            derived: json!([]),
        })
        .collect();
    let packages = plugins::enabled_packages(&d.plugins, tenant).await?;
    if !packages.is_empty() {
        super::service::ensure_seeded(d, tenant).await?;
    }
    // Kinds of one plugin usually share a place: look each path up once.
    let mut placed: HashMap<(String, String), String> = HashMap::new();
    for package in packages {
        // Kinds that seal fields are bids of sealed openings, not items.
        for kind in package
            .manifest
            .kinds
            .iter()
            .filter(|k| k.sealed.is_empty())
        {
            let key = (package.id.clone(), kind.catalog.path.clone());
            let node_id = match placed.get(&key) {
                Some(id) => id.clone(),
                None => {
                    let id = placement(d, tenant, &package, &key.1).await?.id;
                    placed.insert(key, id.clone());
                    id
                }
            };
            out.push(TenantKind {
                code: format!("{}/{}", package.id, kind.id),
                name_zh: kind.name.zh.clone(),
                name_en: kind.name.en.clone(),
                plugin: Some(package.id.clone()),
                plugin_version: Some(package.version.clone()),
                catalog_node_id: Some(node_id),
                portal_column: Some(kind.catalog.portal_column.zh.clone()),
                fields: json!(kind.fields),
                derived: json!(kind.derived),
            });
        }
    }
    Ok(out)
}

/// The catalog node a plugin kind belongs in, for an item created without one (in a
/// seeded catalog).
pub async fn default_node(d: &Disclosure, tenant: &Tenant, kind: &str) -> Result<CatalogNode> {
    let (plugin_id, kind_id) = split(kind).ok_or_else(|| Error::invalid("node_id", "required"))?;
    let package = plugins::enabled_package(&d.plugins, tenant, plugin_id)
        .await
        .map_err(|e| enabled_error(e, plugin_id))?;
    let path = package
        .manifest
        .kind(kind_id)
        .map(|k| k.catalog.path.clone())
        .ok_or_else(|| unknown_kind(&package, kind_id))?;
    placement(d, tenant, &package, &path).await
}

/// A plugin that is not enabled is the caller's choice of kind: a 422 on `kind`.
fn enabled_error(e: Error, plugin_id: &str) -> Error {
    match e {
        Error::NotFound(_) | Error::Conflict { .. } => not_enabled(plugin_id),
        other => other,
    }
}

/// A kind that seals fields is never an item: an item's fields are stored and published in
/// clear. Its records arrive as bids of a sealed opening.
fn sealed_kind(kind: &str) -> Error {
    Error::invalid(
        "kind",
        format!("`{kind}` seals fields until an opening: its records arrive as bids of a sealed opening (/openings), never as items"),
    )
}

fn not_enabled(plugin_id: &str) -> Error {
    Error::invalid(
        "kind",
        format!("the plugin `{plugin_id}` is not enabled for this tenant"),
    )
}

fn unknown_kind(package: &Package, kind_id: &str) -> Error {
    Error::invalid(
        "kind",
        format!(
            "plugin {} {} has no kind `{kind_id}`; it has {}",
            package.id,
            package.version,
            package
                .manifest
                .kinds
                .iter()
                .map(|k| k.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    )
}

/// The node at a `/`-separated path of names ("重点领域/环境保护") of the tenant's seeded
/// catalog, created where missing (with the default review chain; audited as the
/// system's act).
async fn placement(
    d: &Disclosure,
    tenant: &Tenant,
    package: &Package,
    path: &str,
) -> Result<CatalogNode> {
    let names: Vec<&str> = path
        .split('/')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .collect();
    let mut tx = d.db.tenant_read(&tenant.id).await?;
    let nodes = store::nodes(&mut tx).await?;
    tx.commit().await?;
    if let Some(node) = walk(&nodes, &names) {
        return Ok(node);
    }
    let mut tx = d.db.tenant(&tenant.id).await?;
    let mut nodes = store::nodes(&mut tx).await?;
    let mut parent: Option<CatalogNode> = None;
    let mut created = false;
    for &name in &names {
        let parent_id = parent.as_ref().map(|p| p.id.clone());
        let found = child(&nodes, parent_id.as_deref(), name).cloned();
        let node = match found {
            Some(node) => node,
            None => {
                let node = CatalogNode {
                    id: ids::new_id(),
                    code: free_code(&nodes, parent.as_ref(), &package.id),
                    parent_id,
                    name: name.to_string(),
                    position: nodes.len() as i64,
                    review_chain: super::service::default_chain(),
                };
                store::insert_node(&mut tx, &node, &d.now_text()).await?;
                audit::append(
                    &mut tx,
                    &Actor::system(),
                    "catalog.create",
                    "catalog_node",
                    &node.id,
                    json!({"code": node.code, "name": node.name, "parent_id": node.parent_id,
                           "plugin": package.id}),
                )
                .await?;
                nodes.push(node.clone());
                created = true;
                node
            }
        };
        parent = Some(node);
    }
    if created {
        tx.commit().await?;
    }
    parent.ok_or_else(|| Error::Upstream {
        slug: "plugin-failed",
        detail: format!(
            "plugin {} {}: empty catalog path",
            package.id, package.version
        ),
    })
}

/// The node at the end of a path of names, when every step exists.
fn walk(nodes: &[CatalogNode], names: &[&str]) -> Option<CatalogNode> {
    let mut parent: Option<&CatalogNode> = None;
    for name in names {
        parent = Some(child(nodes, parent.map(|p| p.id.as_str()), name)?);
    }
    parent.cloned()
}

/// The node called `name` under `parent_id` (`None`: the top level).
fn child<'a>(
    nodes: &'a [CatalogNode],
    parent_id: Option<&str>,
    name: &str,
) -> Option<&'a CatalogNode> {
    nodes
        .iter()
        .find(|n| n.parent_id.as_deref() == parent_id && n.name == name)
}

/// A node code not yet used: the parent's code and the plugin id, upper-cased.
fn free_code(nodes: &[CatalogNode], parent: Option<&CatalogNode>, plugin_id: &str) -> String {
    let tail: String = plugin_id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect::<String>()
        .to_uppercase();
    let base: String = match parent {
        Some(p) => format!("{}-{tail}", p.code),
        None => tail,
    }
    .chars()
    .take(28)
    .collect();
    let taken = |code: &str| nodes.iter().any(|n| n.code == code);
    if !taken(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|c| !taken(c))
        .expect("some number is free")
}

/// Validates an item's fields through the tenant's pinned version of the plugin. Every
/// error-severity problem comes back at once as a 422 (paths under `fields.`);
/// warnings, derived fields and publication rules are kept in the record.
pub async fn evaluate(
    d: &Disclosure,
    tenant: &Tenant,
    kind: &str,
    fields: &Value,
    today: chrono::NaiveDate,
    item_id: Option<&str>,
) -> Result<PluginRecord> {
    let (plugin_id, kind_id) =
        split(kind).ok_or_else(|| Error::internal(format!("`{kind}` is a built-in kind")))?;
    let empty = Map::new();
    let map = match fields {
        Value::Object(map) => map,
        Value::Null => &empty,
        _ => return Err(Error::invalid("fields", "an object of field values")),
    };
    // Only the fields the kind declares are taken: anything else would publish unchecked.
    // (A plugin not enabled, or a kind it lacks, is the plugin call's error below.)
    let declared_kind = plugins::enabled_packages(&d.plugins, tenant)
        .await?
        .into_iter()
        .filter(|p| p.id == plugin_id)
        .flat_map(|p| p.manifest.kinds)
        .find(|k| k.id == kind_id);
    if declared_kind.as_ref().is_some_and(|k| !k.sealed.is_empty()) {
        return Err(sealed_kind(kind));
    }
    let related_by = declared_kind.as_ref().and_then(|k| k.related_by.clone());
    let declared: Option<Vec<String>> =
        declared_kind.map(|k| k.fields.into_iter().map(|f| f.id).collect());
    let undeclared: Vec<FieldProblem> = map
        .keys()
        .filter(|name| declared.as_ref().is_some_and(|d| !d.contains(name)))
        .map(|name| {
            FieldProblem::new(
                format!("fields.{name}"),
                format!("`{name}` is not a field of the kind {kind}"),
            )
        })
        .collect();
    if !undeclared.is_empty() {
        return Err(Error::Invalid(undeclared));
    }
    let related = match related_by.and_then(|field| {
        let value = map.get(&field)?.as_str()?.trim().to_string();
        (!value.is_empty()).then_some((field, value))
    }) {
        Some((field, value)) => {
            Some(related_items(d, tenant, plugin_id, &field, &value, item_id).await?)
        }
        None => None,
    };
    let item = plugins::ItemToEvaluate {
        kind: kind_id,
        fields: map,
        today,
        locale: "zh-CN",
        related,
    };
    let evaluation = plugins::evaluate_item(&d.plugins, tenant, plugin_id, item)
        .await
        .map_err(|e| enabled_error(e, plugin_id))?;
    let (errors, warnings): (Vec<_>, Vec<_>) = evaluation
        .problems
        .into_iter()
        .partition(|p| p.severity == Severity::Error);
    if !errors.is_empty() {
        return Err(Error::Invalid(
            errors
                .into_iter()
                .map(|p| FieldProblem::new(field_path(&p.path), p.message))
                .collect(),
        ));
    }
    let rules = evaluation.publication_rules;
    // A step must be signed by someone: the plugin may only name a tenant role.
    if let Some(step) = rules
        .review_steps
        .iter()
        .find(|s| !permissions::is_role(&s.role) || s.role == "platform_admin")
    {
        return Err(Error::Upstream {
            slug: "plugin-failed",
            detail: format!(
                "plugin {} {}: its review step `{}` names `{}`, which is not a tenant role",
                evaluation.plugin_id, evaluation.plugin_version, step.name.zh, step.role
            ),
        });
    }
    Ok(PluginRecord {
        plugin_id: evaluation.plugin_id,
        plugin_version: evaluation.plugin_version,
        sha256: evaluation.sha256,
        derived: evaluation.derived,
        rules,
        warnings,
    })
}

/// The plugin's published items sharing `value` in `field` (the kind's `related-by`),
/// as its `validate-related` receives them; the item being saved (`item_id`) left out.
async fn related_items(
    d: &Disclosure,
    tenant: &Tenant,
    plugin_id: &str,
    field: &str,
    value: &str,
    item_id: Option<&str>,
) -> Result<Vec<ExportItemInput>> {
    let mut tx = d.db.tenant_read(&tenant.id).await?;
    let rows = store::related(&mut tx, plugin_id, field, value, item_id.unwrap_or("")).await?;
    tx.commit().await?;
    let prefix = format!("{plugin_id}/");
    rows.into_iter()
        .map(|(id, kind, fields, published_at)| {
            let fields = serde_json::from_str::<Map<String, Value>>(&fields)
                .map_err(|e| Error::internal_cause("stored item fields", e))?;
            Ok(ExportItemInput {
                kind: kind.strip_prefix(&prefix).unwrap_or(&kind).to_string(),
                id,
                fields,
                published_at,
            })
        })
        .collect()
}

fn field_path(path: &str) -> String {
    if path.is_empty() {
        "fields".into()
    } else {
        format!("fields.{path}")
    }
}

/// The review steps the plugin adds to the node's chain.
pub fn extra_steps(record: Option<&PluginRecord>) -> Vec<review::Step> {
    record
        .map(|r| {
            r.rules
                .review_steps
                .iter()
                .map(|s| review::Step::new(&s.name.zh, &s.role))
                .collect()
        })
        .unwrap_or_default()
}

/// The public fields of a plugin item: what staff entered and what the plugin derived,
/// with the fields the plugin's rules mask replaced.
pub fn public_fields(mut fields: Map<String, Value>, record: &PluginRecord) -> Map<String, Value> {
    for (name, value) in &record.derived {
        fields.insert(name.clone(), value.clone());
    }
    for path in &record.rules.mask {
        mask_at(&mut fields, path);
    }
    fields
}

/// Masks the value at a field path (`sampler`, `suppliers[1].id_number`): only that
/// value, so that a table keeps its other cells (an award's winners stay public while a
/// natural person's ID number among them is masked). A path that does not reach a value
/// masks the deepest value it reaches (fail closed); one whose field is absent, nothing.
fn mask_at(fields: &mut Map<String, Value>, path: &str) {
    let mut steps = path.split(['.', '[']).filter(|s| !s.is_empty());
    let Some(mut value) = steps.next().and_then(|top| fields.get_mut(top)) else {
        return;
    };
    for step in steps {
        let next_exists = match step.strip_suffix(']') {
            Some(index) => index
                .parse::<usize>()
                .ok()
                .is_some_and(|i| value.get(i).is_some()),
            None => value.get(step).is_some(),
        };
        if !next_exists {
            break;
        }
        value = match step.strip_suffix(']') {
            Some(index) => &mut value[index.parse::<usize>().expect("checked above")],
            None => &mut value[step],
        };
    }
    *value = mask(value);
}

fn mask(value: &Value) -> Value {
    match value {
        Value::Null => Value::Null,
        Value::String(s) => Value::String("*".repeat(s.chars().count().clamp(1, 8))),
        _ => Value::String("***".into()),
    }
}

/// An embargo (`not_before`, a date) that has not passed: publication must wait.
pub fn embargo(record: Option<&PluginRecord>, today: chrono::NaiveDate) -> Option<String> {
    let date = record?.rules.not_before.as_deref()?;
    match chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d") {
        Ok(d) if d > today => Some(date.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plugins::model::{PluginProblem, PublicationRules};

    fn record(mask: &[&str], not_before: Option<&str>) -> PluginRecord {
        PluginRecord {
            plugin_id: "environment".into(),
            plugin_version: "0.1.0".into(),
            sha256: String::new(),
            derived: json!({"aqi": 57, "level": "II"})
                .as_object()
                .unwrap()
                .clone(),
            rules: PublicationRules {
                review_steps: Vec::new(),
                publish_by: None,
                mask: mask.iter().map(|m| m.to_string()).collect(),
                not_before: not_before.map(str::to_string),
            },
            warnings: Vec::<PluginProblem>::new(),
        }
    }

    #[test]
    fn public_fields_add_derived_and_mask_what_the_rules_name() {
        let fields = json!({"station": "市监测站", "sampler": "王小明", "pm25": 40, "note": null});
        let out = public_fields(
            fields.as_object().unwrap().clone(),
            &record(&["sampler", "pm25", "note", "absent"], None),
        );
        assert_eq!(out["station"], "市监测站");
        assert_eq!(out["sampler"], "***");
        assert_eq!(out["pm25"], "***");
        assert_eq!(out["note"], Value::Null);
        assert_eq!(out["aqi"], 57);
        assert!(!out.contains_key("absent"));
    }

    #[test]
    fn a_nested_mask_hides_one_cell_and_keeps_the_table() {
        let fields = json!({"suppliers": [
            {"name": "某科技有限公司", "amount": "880000.00"},
            {"name": "张三", "id_number": "11010519491231002X", "amount": "0.50"}],
            "panel": {"chair": "李四"}});
        let out = public_fields(
            fields.as_object().unwrap().clone(),
            &record(&["suppliers[1].id_number", "panel.chair"], None),
        );
        assert_eq!(out["suppliers"][0]["name"], "某科技有限公司");
        assert_eq!(out["suppliers"][1]["name"], "张三");
        assert_eq!(out["suppliers"][1]["id_number"], "********");
        assert_eq!(out["panel"]["chair"], "**");
        // A row that is not there: the deepest value reached (the table) is masked.
        let out = public_fields(
            fields.as_object().unwrap().clone(),
            &record(&["suppliers[7].name"], None),
        );
        assert_eq!(out["suppliers"], "***");
    }

    #[test]
    fn an_embargo_holds_until_its_day() {
        let day = |s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let r = record(&[], Some("2026-12-10"));
        assert_eq!(
            embargo(Some(&r), day("2026-12-09")).as_deref(),
            Some("2026-12-10")
        );
        assert_eq!(embargo(Some(&r), day("2026-12-10")), None);
        assert_eq!(embargo(None, day("2026-12-09")), None);
    }

    #[test]
    fn kind_names_split_at_the_slash() {
        assert_eq!(
            split("environment/eia-notice"),
            Some(("environment", "eia-notice"))
        );
        assert_eq!(split("notice"), None);
    }
}
