//! Schema builders: what a plugin declares in `describe`.

/// A text in Chinese and English.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Localized {
    pub zh: String,
    pub en: String,
}

impl Localized {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Localized {
        Localized {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The text for a BCP 47 locale: English for "en…", Chinese otherwise.
    pub fn get(&self, locale: &str) -> &str {
        if locale.starts_with("en") {
            &self.en
        } else {
            &self.zh
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumOption {
    pub value: String,
    pub label: Localized,
}

/// The type of one value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueType {
    Text,
    RichText,
    Integer,
    /// Decimal with its unit.
    Decimal(String),
    /// Money with its unit ("元", "万元").
    Money(String),
    Date,
    DateTime,
    Enumeration(Vec<EnumOption>),
    Boolean,
    PersonName,
    IdentityNumber,
    OrganisationCode,
}

/// A column of a table field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub id: String,
    pub label: Localized,
    pub value_type: ValueType,
    pub required: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldType {
    Value(ValueType),
    Table(Vec<Column>),
}

/// A field of an item kind. Built with the constructors and chained setters:
///
/// ```
/// use gongkai_plugin_sdk::Field;
/// let f = Field::decimal("pm25").unit("µg/m³").label("PM2.5", "PM2.5").required();
/// assert!(f.required);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub id: String,
    pub label: Localized,
    pub field_type: FieldType,
    pub required: bool,
    pub help: Option<Localized>,
}

impl Field {
    fn of(id: &str, t: ValueType) -> Field {
        Field {
            id: id.to_string(),
            label: Localized::new(id, id),
            field_type: FieldType::Value(t),
            required: false,
            help: None,
        }
    }
    pub fn text(id: &str) -> Field {
        Field::of(id, ValueType::Text)
    }
    pub fn rich_text(id: &str) -> Field {
        Field::of(id, ValueType::RichText)
    }
    pub fn integer(id: &str) -> Field {
        Field::of(id, ValueType::Integer)
    }
    /// A decimal without unit; add one with [`Field::unit`].
    pub fn decimal(id: &str) -> Field {
        Field::of(id, ValueType::Decimal(String::new()))
    }
    /// Money in 元; change the unit with [`Field::unit`] ("万元").
    pub fn money(id: &str) -> Field {
        Field::of(id, ValueType::Money("元".into()))
    }
    pub fn date(id: &str) -> Field {
        Field::of(id, ValueType::Date)
    }
    pub fn datetime(id: &str) -> Field {
        Field::of(id, ValueType::DateTime)
    }
    /// An enumeration; add options with [`Field::option`].
    pub fn enumeration(id: &str) -> Field {
        Field::of(id, ValueType::Enumeration(Vec::new()))
    }
    pub fn boolean(id: &str) -> Field {
        Field::of(id, ValueType::Boolean)
    }
    pub fn person_name(id: &str) -> Field {
        Field::of(id, ValueType::PersonName)
    }
    pub fn identity_number(id: &str) -> Field {
        Field::of(id, ValueType::IdentityNumber)
    }
    pub fn organisation_code(id: &str) -> Field {
        Field::of(id, ValueType::OrganisationCode)
    }
    /// A table whose rows have the given columns (build each column as a
    /// [`Field`]; tables do not nest).
    pub fn table(id: &str, columns: Vec<Field>) -> Field {
        let columns = columns
            .into_iter()
            .map(|c| Column {
                id: c.id,
                label: c.label,
                value_type: match c.field_type {
                    FieldType::Value(v) => v,
                    FieldType::Table(_) => panic!("tables do not nest (column {id})"),
                },
                required: c.required,
            })
            .collect();
        Field {
            id: id.to_string(),
            label: Localized::new(id, id),
            field_type: FieldType::Table(columns),
            required: false,
            help: None,
        }
    }

    pub fn label(mut self, zh: &str, en: &str) -> Field {
        self.label = Localized::new(zh, en);
        self
    }
    pub fn help(mut self, zh: &str, en: &str) -> Field {
        self.help = Some(Localized::new(zh, en));
        self
    }
    pub fn required(mut self) -> Field {
        self.required = true;
        self
    }
    /// Sets the unit of a decimal or money field.
    pub fn unit(mut self, unit: &str) -> Field {
        match &mut self.field_type {
            FieldType::Value(ValueType::Decimal(u)) | FieldType::Value(ValueType::Money(u)) => {
                *u = unit.to_string()
            }
            _ => panic!(
                "unit() on a field that is not decimal or money: {}",
                self.id
            ),
        }
        self
    }
    /// Adds an option to an enumeration field.
    pub fn option(mut self, value: &str, zh: &str, en: &str) -> Field {
        match &mut self.field_type {
            FieldType::Value(ValueType::Enumeration(opts)) => opts.push(EnumOption {
                value: value.to_string(),
                label: Localized::new(zh, en),
            }),
            _ => panic!(
                "option() on a field that is not an enumeration: {}",
                self.id
            ),
        }
        self
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogPlacement {
    /// "重点领域/环境保护"
    pub path: String,
    pub portal_column: Localized,
}

/// An item kind a plugin defines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemKind {
    pub id: String,
    pub name: Localized,
    pub fields: Vec<Field>,
    pub derived: Vec<Field>,
    pub catalog: CatalogPlacement,
    /// Fields sealed until an opening time (contract 0.2; a 0.1 build leaves
    /// them out of `describe`).
    pub sealed: Vec<SealedField>,
    /// The field whose value ties the plugin's items together; the host passes
    /// the published items sharing it to [`crate::Plugin::validate_related`]
    /// (contract 0.2).
    pub related_by: Option<String>,
}

/// A field (or attachment slot) sealed until the date and time held in
/// another field of the item (contract 0.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedField {
    pub field: String,
    pub until_field: String,
}

impl ItemKind {
    pub fn new(id: &str, zh: &str, en: &str) -> ItemKind {
        ItemKind {
            id: id.to_string(),
            name: Localized::new(zh, en),
            fields: Vec::new(),
            derived: Vec::new(),
            catalog: CatalogPlacement {
                path: String::new(),
                portal_column: Localized::default(),
            },
            sealed: Vec::new(),
            related_by: None,
        }
    }
    /// Items of this kind are related to the plugin's published items with the
    /// same value in `field` (contract 0.2): see
    /// [`crate::Plugin::validate_related`].
    pub fn related_by(mut self, field: &str) -> ItemKind {
        self.related_by = Some(field.to_string());
        self
    }
    /// Seals `field` (a field id or an attachment slot) until the datetime (or
    /// date) held in the kind's field `until_field` (contract 0.2).
    pub fn sealed(mut self, field: &str, until_field: &str) -> ItemKind {
        self.sealed.push(SealedField {
            field: field.to_string(),
            until_field: until_field.to_string(),
        });
        self
    }
    pub fn field(mut self, f: Field) -> ItemKind {
        self.fields.push(f);
        self
    }
    pub fn derived(mut self, f: Field) -> ItemKind {
        self.derived.push(f);
        self
    }
    /// Catalog path ("重点领域/环境保护") and portal column.
    pub fn catalog(mut self, path: &str, column_zh: &str, column_en: &str) -> ItemKind {
        self.catalog = CatalogPlacement {
            path: path.to_string(),
            portal_column: Localized::new(column_zh, column_en),
        };
        self
    }
    pub fn get_field(&self, id: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.id == id)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportFormat {
    pub id: String,
    pub name: Localized,
    pub media_type: String,
    pub kinds: Vec<String>,
    /// Made in parts ([`crate::Plugin::export_part`]) that the host streams
    /// (contract 0.2; a 0.1 build exports whole).
    pub streamed: bool,
}

impl ExportFormat {
    pub fn new(id: &str, zh: &str, en: &str, media_type: &str, kinds: &[&str]) -> ExportFormat {
        ExportFormat {
            id: id.to_string(),
            name: Localized::new(zh, en),
            media_type: media_type.to_string(),
            kinds: kinds.iter().map(|k| k.to_string()).collect(),
            streamed: false,
        }
    }

    /// The plugin makes this format in parts ([`crate::Plugin::export_part`]).
    pub fn streamed(mut self) -> ExportFormat {
        self.streamed = true;
        self
    }
}

/// What `describe` returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PluginInfo {
    pub id: String,
    pub version: String,
    pub name: Localized,
    pub kinds: Vec<ItemKind>,
    pub export_formats: Vec<ExportFormat>,
}

impl PluginInfo {
    pub fn new(id: &str, version: &str, zh: &str, en: &str) -> PluginInfo {
        PluginInfo {
            id: id.to_string(),
            version: version.to_string(),
            name: Localized::new(zh, en),
            kinds: Vec::new(),
            export_formats: Vec::new(),
        }
    }
    pub fn kind(&self, id: &str) -> Option<&ItemKind> {
        self.kinds.iter().find(|k| k.id == id)
    }
    pub fn with_kind(mut self, k: ItemKind) -> PluginInfo {
        self.kinds.push(k);
        self
    }
    pub fn with_export(mut self, f: ExportFormat) -> PluginInfo {
        self.export_formats.push(f);
        self
    }
}

/// An action a plugin offers (contract 0.2): a computation on demand, JSON in
/// and JSON out ([`crate::Plugin::action`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionInfo {
    /// Stable name, kebab case ("verify").
    pub name: String,
    pub label: Localized,
    /// Anyone may run it, on inputs they give (published data); otherwise only
    /// the tenant's staff.
    pub public: bool,
}

impl ActionInfo {
    /// A staff-only action.
    pub fn new(name: &str, zh: &str, en: &str) -> ActionInfo {
        ActionInfo {
            name: name.to_string(),
            label: Localized::new(zh, en),
            public: false,
        }
    }
    /// Anyone may run it.
    pub fn public(mut self) -> ActionInfo {
        self.public = true;
        self
    }
}
