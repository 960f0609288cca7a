//! What the platform keeps of a plugin: its manifest (the answer of `describe`, stored
//! as JSON at install), the tenant's setting, and the result of an evaluation.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::host::v0_2::wit;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Localized {
    pub zh: String,
    pub en: String,
}

impl From<wit::Localized> for Localized {
    fn from(l: wit::Localized) -> Self {
        Localized { zh: l.zh, en: l.en }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct EnumOption {
    pub value: String,
    pub label: Localized,
}

/// The type of one value; `unit` for decimals and money, `options` for enumerations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum ValueType {
    Text,
    RichText,
    Integer,
    Decimal { unit: String },
    Money { unit: String },
    Date,
    Datetime,
    Enumeration { options: Vec<EnumOption> },
    Boolean,
    PersonName,
    IdentityNumber,
    OrganisationCode,
}

impl From<wit::ValueType> for ValueType {
    fn from(v: wit::ValueType) -> Self {
        use wit::ValueType as W;
        match v {
            W::Text => ValueType::Text,
            W::RichText => ValueType::RichText,
            W::Integer => ValueType::Integer,
            W::Decimal(unit) => ValueType::Decimal { unit },
            W::Money(unit) => ValueType::Money { unit },
            W::Date => ValueType::Date,
            W::Datetime => ValueType::Datetime,
            W::Enumeration(options) => ValueType::Enumeration {
                options: options
                    .into_iter()
                    .map(|o| EnumOption {
                        value: o.value,
                        label: o.label.into(),
                    })
                    .collect(),
            },
            W::Boolean => ValueType::Boolean,
            W::PersonName => ValueType::PersonName,
            W::IdentityNumber => ValueType::IdentityNumber,
            W::OrganisationCode => ValueType::OrganisationCode,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Column {
    pub id: String,
    pub label: Localized,
    pub value_type: ValueType,
    pub required: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "shape", rename_all = "kebab-case")]
pub enum FieldType {
    Value { value_type: ValueType },
    Table { columns: Vec<Column> },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Field {
    pub id: String,
    pub label: Localized,
    pub field_type: FieldType,
    pub required: bool,
    pub help: Option<Localized>,
}

impl From<wit::Field> for Field {
    fn from(f: wit::Field) -> Self {
        Field {
            id: f.id,
            label: f.label.into(),
            field_type: match f.field_type {
                wit::FieldType::Value(v) => FieldType::Value {
                    value_type: v.into(),
                },
                wit::FieldType::Table(columns) => FieldType::Table {
                    columns: columns
                        .into_iter()
                        .map(|c| Column {
                            id: c.id,
                            label: c.label.into(),
                            value_type: c.value_type.into(),
                            required: c.required,
                        })
                        .collect(),
                },
            },
            required: f.required,
            help: f.help.map(Into::into),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CatalogPlacement {
    pub path: String,
    pub portal_column: Localized,
}

/// A field (or attachment slot) sealed until the date and time in `until_field`
/// (contract 0.2); `crate::sealing` seals and opens such content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SealedField {
    pub field: String,
    pub until_field: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ItemKind {
    pub id: String,
    pub name: Localized,
    pub fields: Vec<Field>,
    pub derived: Vec<Field>,
    pub catalog: CatalogPlacement,
    /// Empty for 0.1 plugins (and manifests stored before 0.2).
    #[serde(default)]
    pub sealed: Vec<SealedField>,
    /// The field whose value ties the plugin's items together: the published items
    /// sharing it are passed to the plugin's `validate-related` (contract 0.2).
    #[serde(default)]
    pub related_by: Option<String>,
}

/// An action a plugin offers (contract 0.2): public ones anyone may run on the
/// tenant's pinned version, the others only staff.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Action {
    pub name: String,
    pub label: Localized,
    pub public: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ExportFormat {
    pub id: String,
    pub name: Localized,
    pub media_type: String,
    pub kinds: Vec<String>,
    /// Made in parts that the host streams (`export-part`, contract 0.2). False for
    /// 0.1 plugins and manifests stored before it.
    #[serde(default)]
    pub streamed: bool,
}

/// A plugin version's self-description, as `describe` gave it at install.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Manifest {
    pub id: String,
    pub version: String,
    pub name: Localized,
    pub kinds: Vec<ItemKind>,
    pub export_formats: Vec<ExportFormat>,
    /// Empty for 0.1 plugins (and manifests stored before 0.2).
    #[serde(default)]
    pub actions: Vec<Action>,
    /// The WIT package the component implements (`gongkai:plugin@0.2.0`).
    #[serde(default = "contract_0_1")]
    pub contract: String,
}

fn contract_0_1() -> String {
    super::host::v0_1::CONTRACT.to_string()
}

impl Manifest {
    /// The manifest of what `describe` answered, for a component of `contract`.
    pub fn new(i: wit::PluginInfo, contract: super::host::Contract) -> Self {
        Manifest {
            contract: contract.package().to_string(),
            actions: i
                .actions
                .into_iter()
                .map(|a| Action {
                    name: a.name,
                    label: a.label.into(),
                    public: a.public,
                })
                .collect(),
            id: i.id,
            version: i.version,
            name: i.name.into(),
            kinds: i
                .kinds
                .into_iter()
                .map(|k| ItemKind {
                    id: k.id,
                    name: k.name.into(),
                    fields: k.fields.into_iter().map(Into::into).collect(),
                    derived: k.derived.into_iter().map(Into::into).collect(),
                    catalog: CatalogPlacement {
                        path: k.catalog.path,
                        portal_column: k.catalog.portal_column.into(),
                    },
                    sealed: k
                        .sealed
                        .into_iter()
                        .map(|s| SealedField {
                            field: s.field,
                            until_field: s.until_field,
                        })
                        .collect(),
                    related_by: k.related_by,
                })
                .collect(),
            export_formats: i
                .export_formats
                .into_iter()
                .map(|f| ExportFormat {
                    id: f.id,
                    name: f.name.into(),
                    media_type: f.media_type,
                    kinds: f.kinds,
                    streamed: f.streamed,
                })
                .collect(),
        }
    }
}

fn is_slug(s: &str, max: usize) -> bool {
    !s.is_empty()
        && s.len() <= max
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn is_field_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

impl Manifest {
    /// Every reason the manifest is unusable (empty = sane).
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if !is_slug(&self.id, 64) {
            problems.push(format!(
                "plugin id `{}` is not lower-case kebab case (a-z, 0-9, -; at most 64)",
                self.id
            ));
        }
        if semver::Version::parse(&self.version).is_err() {
            problems.push(format!(
                "version `{}` is not a semantic version",
                self.version
            ));
        }
        if self.name.zh.trim().is_empty() {
            problems.push("the plugin has no Chinese name".into());
        }
        if self.kinds.is_empty() {
            problems.push("the plugin defines no item kind".into());
        }
        let mut kinds = std::collections::HashSet::new();
        for kind in &self.kinds {
            if !is_slug(&kind.id, 64) {
                problems.push(format!("kind id `{}` is not kebab case", kind.id));
            }
            if !kinds.insert(kind.id.as_str()) {
                problems.push(format!("kind `{}` is defined twice", kind.id));
            }
            let mut ids = std::collections::HashSet::new();
            for field in kind.fields.iter().chain(&kind.derived) {
                if !is_field_id(&field.id) {
                    problems.push(format!(
                        "kind `{}`: field id `{}` is not lower snake case",
                        kind.id, field.id
                    ));
                }
                if !ids.insert(field.id.as_str()) {
                    problems.push(format!(
                        "kind `{}`: field `{}` is defined twice",
                        kind.id, field.id
                    ));
                }
                if let FieldType::Table { columns } = &field.field_type {
                    let mut cols = std::collections::HashSet::new();
                    for c in columns {
                        if !cols.insert(c.id.as_str()) {
                            problems.push(format!(
                                "kind `{}`: table `{}` has column `{}` twice",
                                kind.id, field.id, c.id
                            ));
                        }
                    }
                }
            }
        }
        for kind in &self.kinds {
            problems.extend(sealed_problems(kind));
            if let Some(field) = &kind.related_by {
                if !kind.fields.iter().any(|f| &f.id == field) {
                    problems.push(format!(
                        "kind `{}`: related-by `{field}` is not one of its fields",
                        kind.id
                    ));
                }
            }
        }
        let mut actions = std::collections::HashSet::new();
        for a in &self.actions {
            if !is_slug(&a.name, 64) {
                problems.push(format!("action name `{}` is not kebab case", a.name));
            }
            if !actions.insert(a.name.as_str()) {
                problems.push(format!("action `{}` is defined twice", a.name));
            }
        }
        let mut formats = std::collections::HashSet::new();
        for f in &self.export_formats {
            if !formats.insert(f.id.as_str()) {
                problems.push(format!("export format `{}` is defined twice", f.id));
            }
            for k in &f.kinds {
                if !kinds.contains(k.as_str()) {
                    problems.push(format!(
                        "export format `{}` names the unknown kind `{k}`",
                        f.id
                    ));
                }
            }
        }
        problems
    }

    pub fn kind(&self, id: &str) -> Option<&ItemKind> {
        self.kinds.iter().find(|k| k.id == id)
    }

    pub fn action(&self, name: &str) -> Option<&Action> {
        self.actions.iter().find(|a| a.name == name)
    }
}

/// A sealed field names a field id (or an attachment slot, same syntax) once, sealed
/// until a `datetime` or `date` field of the same kind.
fn sealed_problems(kind: &ItemKind) -> Vec<String> {
    let mut problems = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for s in &kind.sealed {
        if !is_field_id(&s.field) {
            problems.push(format!(
                "kind `{}`: sealed field `{}` is not lower snake case",
                kind.id, s.field
            ));
        }
        if !seen.insert(s.field.as_str()) {
            problems.push(format!(
                "kind `{}`: field `{}` is sealed twice",
                kind.id, s.field
            ));
        }
        let until = kind.fields.iter().find(|f| f.id == s.until_field);
        let is_time = until.is_some_and(|f| {
            matches!(
                f.field_type,
                FieldType::Value {
                    value_type: ValueType::Datetime | ValueType::Date
                }
            )
        });
        if !is_time {
            problems.push(format!(
                "kind `{}`: `{}` is sealed until `{}`, which is not a date or datetime field of the kind",
                kind.id, s.field, s.until_field
            ));
        }
        if s.field == s.until_field {
            problems.push(format!(
                "kind `{}`: `{}` is sealed until itself",
                kind.id, s.field
            ));
        }
    }
    problems
}

/// An installed plugin version.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Package {
    pub id: String,
    pub version: String,
    pub sha256: String,
    pub size: i64,
    pub installed_at: String,
    pub manifest: Manifest,
}

/// A tenant's setting for one plugin.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct TenantPlugin {
    pub plugin_id: String,
    pub pinned_version: String,
    pub enabled: bool,
    pub updated_at: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TenantPluginInput {
    /// An installed version of the plugin.
    pub version: String,
    pub enabled: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PluginProblem {
    pub path: String,
    pub severity: Severity,
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ReviewStep {
    pub name: Localized,
    pub role: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Deadline {
    pub start: String,
    pub working_days: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PublicationRules {
    pub review_steps: Vec<ReviewStep>,
    pub publish_by: Option<Deadline>,
    pub mask: Vec<String>,
    pub not_before: Option<String>,
}

impl From<wit::PublicationRules> for PublicationRules {
    fn from(r: wit::PublicationRules) -> Self {
        PublicationRules {
            review_steps: r
                .review_steps
                .into_iter()
                .map(|s| ReviewStep {
                    name: s.name.into(),
                    role: s.role,
                })
                .collect(),
            publish_by: r.publish_by.map(|d| Deadline {
                start: d.start,
                working_days: d.working_days,
            }),
            mask: r.mask,
            not_before: r.not_before,
        }
    }
}

/// What a plugin version said about one item. It names the plugin id, version and
/// content hash that produced it, so an item validated today reads the same after an
/// upgrade.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Evaluation {
    pub plugin_id: String,
    pub plugin_version: String,
    pub sha256: String,
    pub kind: String,
    /// False when a problem has severity `error`.
    pub valid: bool,
    pub problems: Vec<PluginProblem>,
    /// Computed fields (ids from the kind's `derived`).
    #[schema(value_type = Object)]
    pub derived: serde_json::Map<String, serde_json::Value>,
    pub publication_rules: PublicationRules,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ValidateInput {
    pub kind: String,
    #[schema(value_type = Object)]
    pub fields: serde_json::Map<String, serde_json::Value>,
    /// BCP 47 tag for messages (default zh-CN).
    #[serde(default)]
    pub locale: Option<String>,
}

/// One item to export.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExportItemInput {
    pub id: String,
    pub kind: String,
    #[schema(value_type = Object)]
    pub fields: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    pub published_at: Option<String>,
}

/// What an action answered, with the plugin version that answered it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ActionOutput {
    pub plugin_id: String,
    pub plugin_version: String,
    pub sha256: String,
    pub action: String,
    /// The plugin's answer (JSON).
    #[schema(value_type = Object)]
    pub output: serde_json::Value,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(id: &str) -> Field {
        Field {
            id: id.into(),
            label: Localized {
                zh: id.into(),
                en: id.into(),
            },
            field_type: FieldType::Value {
                value_type: ValueType::Datetime,
            },
            required: false,
            help: None,
        }
    }

    fn manifest(sealed: Vec<(&str, &str)>, actions: Vec<&str>) -> Manifest {
        let mut price = text("price");
        price.field_type = FieldType::Value {
            value_type: ValueType::Money { unit: "元".into() },
        };
        Manifest {
            id: "p".into(),
            version: "0.2.0".into(),
            name: Localized {
                zh: "插件".into(),
                en: String::new(),
            },
            kinds: vec![ItemKind {
                id: "bid".into(),
                name: price.label.clone(),
                fields: vec![price, text("opening_time")],
                derived: vec![],
                catalog: CatalogPlacement {
                    path: "a".into(),
                    portal_column: Localized {
                        zh: "a".into(),
                        en: "a".into(),
                    },
                },
                sealed: sealed
                    .into_iter()
                    .map(|(f, u)| SealedField {
                        field: f.into(),
                        until_field: u.into(),
                    })
                    .collect(),
                related_by: None,
            }],
            export_formats: vec![],
            actions: actions
                .into_iter()
                .map(|a| Action {
                    name: a.into(),
                    label: Localized {
                        zh: a.into(),
                        en: a.into(),
                    },
                    public: false,
                })
                .collect(),
            contract: "gongkai:plugin@0.2.0".into(),
        }
    }

    #[test]
    fn sealed_fields_and_actions_are_checked() {
        assert!(
            manifest(vec![("price", "opening_time")], vec!["place", "verify"])
                .problems()
                .is_empty()
        );
        let p = manifest(
            vec![("price", "price"), ("Bad", "nowhere")],
            vec!["x", "x", "Y"],
        )
        .problems();
        let has = |s: &str| p.iter().any(|m| m.contains(s));
        assert!(has("sealed until itself"), "{p:?}");
        assert!(
            has("`price` is sealed until `price`, which is not a date"),
            "{p:?}"
        );
        assert!(has("sealed field `Bad`"), "{p:?}");
        assert!(has("`nowhere`"), "{p:?}");
        assert!(has("action `x` is defined twice"), "{p:?}");
        assert!(has("action name `Y`"), "{p:?}");
        let twice = manifest(
            vec![("price", "opening_time"), ("price", "opening_time")],
            vec![],
        );
        assert!(twice.problems().iter().any(|m| m.contains("sealed twice")));
    }

    #[test]
    fn related_by_names_a_field_of_the_kind() {
        let mut m = manifest(vec![], vec![]);
        m.kinds[0].related_by = Some("price".into());
        assert!(m.problems().is_empty(), "{:?}", m.problems());
        m.kinds[0].related_by = Some("project".into());
        assert!(
            m.problems()
                .iter()
                .any(|p| p.contains("related-by `project` is not one of its fields")),
            "{:?}",
            m.problems()
        );
    }

    #[test]
    fn manifests_stored_before_0_2_read_as_0_1() {
        let mut json = serde_json::to_value(manifest(vec![], vec![])).unwrap();
        let obj = json.as_object_mut().unwrap();
        obj.remove("actions");
        obj.remove("contract");
        json["kinds"][0].as_object_mut().unwrap().remove("sealed");
        json["kinds"][0]
            .as_object_mut()
            .unwrap()
            .remove("related_by");
        let old: Manifest = serde_json::from_value(json).unwrap();
        assert_eq!(old.contract, "gongkai:plugin@0.1.0");
        assert!(old.actions.is_empty() && old.kinds[0].sealed.is_empty());
        assert_eq!(old.kinds[0].related_by, None);
    }
}
