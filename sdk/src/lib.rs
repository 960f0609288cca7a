//! Guest SDK for Gongkai plugins.
//!
//! A plugin implements one trait, [`Plugin`], and calls one macro,
//! [`export_plugin!`]. Everything else here is helpers: schema builders
//! ([`Field`], [`ItemKind`]), typed access to the JSON fields ([`Fields`]),
//! a problem collector ([`Problems`]) and the host's working-day calendar
//! ([`Context::calendar`]).
//!
//! The crate builds natively too: on non-wasm targets the component glue is
//! left out and [`Context`] uses a replaceable calendar ([`TestCalendar`]),
//! so plugin rules are tested with plain `cargo test`.

#[doc(hidden)]
pub mod arena;
mod check;
mod date;
mod fields;
mod host;
mod problems;
mod rules;
mod schema;

#[cfg(target_arch = "wasm32")]
#[doc(hidden)]
pub mod __glue;

pub use check::{check_schema, credit_code_check_char, valid_credit_code, valid_identity_number};
pub use date::{Date, DateTime};
pub use fields::{Fields, Map, Value};
pub use host::{log, Context, LogLevel, TestCalendar, WorkingDays};
pub use problems::{Problem, Problems, Severity};
pub use rules::{Deadline, PublicationRules, ReviewStep};
pub use schema::{
    ActionInfo, CatalogPlacement, Column, EnumOption, ExportFormat, Field, FieldType, ItemKind,
    Localized, PluginInfo, SealedField, ValueType,
};
pub use serde_json;

/// Version of the WIT contract a plugin built with this SDK implements: 0.1.0,
/// or 0.2.0 with the `contract-0-2` feature (actions, sealed fields).
#[cfg(not(feature = "contract-0-2"))]
pub const CONTRACT_VERSION: &str = "gongkai:plugin@0.1.0";
/// Version of the WIT contract a plugin built with this SDK implements: 0.1.0,
/// or 0.2.0 with the `contract-0-2` feature (actions, sealed fields).
#[cfg(feature = "contract-0-2")]
pub const CONTRACT_VERSION: &str = "gongkai:plugin@0.2.0";

/// A call that could not be carried out. Invalid *data* is not an error:
/// `validate` reports it as [`Problems`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PluginError {
    UnknownKind(String),
    UnknownFormat(String),
    /// Contract 0.2: [`Plugin::action`] was asked for an action it lacks.
    UnknownAction(String),
    BadInput(String),
    Internal(String),
}

impl std::fmt::Display for PluginError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PluginError::UnknownKind(k) => write!(f, "unknown item kind {k:?}"),
            PluginError::UnknownFormat(k) => write!(f, "unknown export format {k:?}"),
            PluginError::UnknownAction(a) => write!(f, "unknown action {a:?}"),
            PluginError::BadInput(m) => write!(f, "bad input: {m}"),
            PluginError::Internal(m) => write!(f, "internal error: {m}"),
        }
    }
}

impl std::error::Error for PluginError {}

/// One item handed to [`Plugin::export`].
#[derive(Debug, Clone)]
pub struct ExportItem {
    pub id: String,
    pub kind: String,
    pub fields: Fields,
    pub published_at: Option<String>,
}

/// The bytes of an export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportOutput {
    pub media_type: String,
    /// File extension without the dot.
    pub extension: String,
    pub bytes: Vec<u8>,
}

/// Which part of a streamed export a call makes ([`Plugin::export_part`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportPart {
    /// Also write what comes before the items.
    pub first: bool,
    /// Also write what comes after them.
    pub last: bool,
    /// What the previous part handed on; empty on the first.
    pub carry: String,
}

impl ExportPart {
    /// The one part of an export made whole.
    pub fn whole() -> ExportPart {
        ExportPart {
            first: true,
            last: true,
            carry: String::new(),
        }
    }
}

/// One part of a streamed export, and what the next part is handed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportPiece {
    pub output: ExportOutput,
    pub carry: String,
}

/// What a plugin author implements. All functions are pure: the same input
/// gives the same output; the only outside world is `ctx` (tenant, today,
/// locale, working-day calendar) and [`log`].
pub trait Plugin {
    /// The plugin's id, version, item kinds and export formats.
    fn describe() -> PluginInfo;

    /// Every problem with `fields`. The default checks the declared schema
    /// ([`check_schema`]): required fields, value types, enumeration options,
    /// identity numbers and organisation codes. Override and call
    /// `check_schema` first to add domain rules.
    fn validate(kind: &str, fields: &Fields, ctx: &Context) -> Result<Problems, PluginError> {
        let k = Self::kind(kind).ok_or_else(|| PluginError::UnknownKind(kind.into()))?;
        Ok(check_schema(&k, fields, ctx))
    }

    /// One item kind of [`Plugin::describe`]. Every call runs in a fresh
    /// instance, so the default builds the whole description each time; a
    /// plugin with several kinds overrides this to build just the one asked
    /// for (validation is the hot path).
    fn kind(kind: &str) -> Option<ItemKind> {
        Self::describe().kinds.into_iter().find(|k| k.id == kind)
    }

    /// Problems of an item seen against its related items: the published items
    /// of this plugin sharing the value of the kind's `related_by` field, in any
    /// order (contract 0.2; a 0.1 host never calls it). Default: none.
    fn validate_related(
        kind: &str,
        fields: &Fields,
        related: &[ExportItem],
        ctx: &Context,
    ) -> Result<Problems, PluginError> {
        let _ = (kind, fields, related, ctx);
        Ok(Problems::new())
    }

    /// Computed fields (keys = the kind's `derived` field ids). Default: none.
    fn derive(kind: &str, fields: &Fields, ctx: &Context) -> Result<Map, PluginError> {
        let _ = (kind, fields, ctx);
        Ok(Map::new())
    }

    /// Review steps, deadline, masking, embargo. Default: nothing extra.
    fn publication_rules(
        kind: &str,
        fields: &Fields,
        ctx: &Context,
    ) -> Result<PublicationRules, PluginError> {
        let _ = (kind, fields, ctx);
        Ok(PublicationRules::default())
    }

    /// Open-data export. Default: no formats.
    fn export(format: &str, items: &[ExportItem]) -> Result<ExportOutput, PluginError> {
        let _ = items;
        Err(PluginError::UnknownFormat(format.into()))
    }

    /// One part of an export in a format declared [`ExportFormat::streamed`]
    /// (contract 0.2): the host hands the items over a batch at a time, a group
    /// of related items (`related_by`) never split, and sends each piece on as
    /// it comes. Write the format's opening when `part.first`, its closing when
    /// `part.last`, and hand what the next part needs on in the piece's `carry`
    /// (calls share nothing else). Default: exports made whole only.
    fn export_part(
        format: &str,
        items: &[ExportItem],
        part: &ExportPart,
    ) -> Result<ExportPiece, PluginError> {
        if !(part.first && part.last) {
            return Err(PluginError::BadInput(format!(
                "format {format:?} is not made in parts"
            )));
        }
        Ok(ExportPiece {
            output: Self::export(format, items)?,
            carry: String::new(),
        })
    }

    /// The actions [`Plugin::action`] answers (contract 0.2; a 0.1 build does
    /// not offer them). Default: none.
    fn actions() -> Vec<ActionInfo> {
        Vec::new()
    }

    /// Runs the action `name` on a JSON input and answers JSON (contract 0.2).
    /// Pure like everything else: a draw, a verification. Default: unknown.
    fn action(name: &str, input: &Value, ctx: &Context) -> Result<Value, PluginError> {
        let _ = (input, ctx);
        Err(PluginError::UnknownAction(name.into()))
    }

    /// Raw form of [`Plugin::derive`]: JSON text in, JSON text out. Rarely
    /// worth overriding (the fault-test fixtures do, to emit malformed JSON).
    fn derive_json(kind: &str, fields_json: &str, ctx: &Context) -> Result<String, PluginError> {
        let fields = Fields::from_json(fields_json).map_err(PluginError::BadInput)?;
        let map = Self::derive(kind, &fields, ctx)?;
        Ok(Value::Object(map).to_string())
    }
}

/// Exports a [`Plugin`] implementation as the component's `plugin` world.
///
/// ```ignore
/// struct MyPlugin;
/// impl gongkai_plugin_sdk::Plugin for MyPlugin { /* ... */ }
/// gongkai_plugin_sdk::export_plugin!(MyPlugin);
/// ```
///
/// On non-wasm targets it expands to nothing, so the crate still builds and
/// tests natively. The contract is the SDK's: 0.1, or 0.2 with the
/// `contract-0-2` feature.
#[macro_export]
macro_rules! export_plugin {
    ($plugin:ty) => {
        #[cfg(target_arch = "wasm32")]
        const _: () = {
            type __GongkaiPluginExport = $crate::__glue::Export<$plugin>;
            $crate::__glue::__export_plugin_world!(
                __GongkaiPluginExport with_types_in $crate::__glue::bindings
            );
        };
    };
}
