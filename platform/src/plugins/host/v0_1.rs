//! Contract `gongkai:plugin@0.1.0` (sdk/wit/v0.1.0): the generated bindings, the host's
//! side of its imports, and the conversions between its types and the host's current
//! ones (those of `v0_2`): a 0.1 plugin declares no actions and no sealed fields.

use wasmtime::component::{HasSelf, Linker};

use super::v0_2::wit as now;
use super::HostState;

wasmtime::component::bindgen!({
    world: "plugin",
    path: "../sdk/wit/v0.1.0",
});

pub use gongkai::plugin::types as wit;

/// The WIT package this module implements.
pub const CONTRACT: &str = "gongkai:plugin@0.1.0";

impl gongkai::plugin::types::Host for HostState {}

impl gongkai::plugin::working_days::Host for HostState {
    fn add_working_days(&mut self, start: String, n: i32) -> Result<String, String> {
        self.shift_days(&start, n)
    }

    fn is_working_day(&mut self, day: String) -> Result<bool, String> {
        self.working_day(&day)
    }
}

impl gongkai::plugin::log::Host for HostState {
    fn log(&mut self, level: wit::LogLevel, message: String) {
        use wit::LogLevel as L;
        let level = match level {
            L::Trace => tracing::Level::TRACE,
            L::Debug => tracing::Level::DEBUG,
            L::Info => tracing::Level::INFO,
            L::Warn => tracing::Level::WARN,
            L::Error => tracing::Level::ERROR,
        };
        self.write_log(level, message);
    }
}

/// Adds this contract's imports (and nothing else) to the linker.
pub fn add_to_linker(linker: &mut Linker<HostState>) -> wasmtime::Result<()> {
    Plugin::add_to_linker::<HostState, HasSelf<HostState>>(linker, |state| state)
}

// What goes in: the current context and export items, as 0.1 has them.

pub(super) fn context(c: &now::Context) -> wit::Context {
    wit::Context {
        tenant: c.tenant.clone(),
        today: c.today.clone(),
        locale: c.locale.clone(),
    }
}

pub(super) fn export_item(i: &now::ExportItem) -> wit::ExportItem {
    wit::ExportItem {
        id: i.id.clone(),
        kind: i.kind.clone(),
        fields: i.fields.clone(),
        published_at: i.published_at.clone(),
    }
}

// What comes out: 0.1 answers in the current types.

fn localized(l: wit::Localized) -> now::Localized {
    now::Localized { zh: l.zh, en: l.en }
}

fn value_type(v: wit::ValueType) -> now::ValueType {
    use wit::ValueType as W;
    match v {
        W::Text => now::ValueType::Text,
        W::RichText => now::ValueType::RichText,
        W::Integer => now::ValueType::Integer,
        W::Decimal(u) => now::ValueType::Decimal(u),
        W::Money(u) => now::ValueType::Money(u),
        W::Date => now::ValueType::Date,
        W::Datetime => now::ValueType::Datetime,
        W::Enumeration(options) => now::ValueType::Enumeration(
            options
                .into_iter()
                .map(|o| now::EnumOption {
                    value: o.value,
                    label: localized(o.label),
                })
                .collect(),
        ),
        W::Boolean => now::ValueType::Boolean,
        W::PersonName => now::ValueType::PersonName,
        W::IdentityNumber => now::ValueType::IdentityNumber,
        W::OrganisationCode => now::ValueType::OrganisationCode,
    }
}

fn field(f: wit::Field) -> now::Field {
    now::Field {
        id: f.id,
        label: localized(f.label),
        field_type: match f.field_type {
            wit::FieldType::Value(v) => now::FieldType::Value(value_type(v)),
            wit::FieldType::Table(columns) => now::FieldType::Table(
                columns
                    .into_iter()
                    .map(|c| now::Column {
                        id: c.id,
                        label: localized(c.label),
                        value_type: value_type(c.value_type),
                        required: c.required,
                    })
                    .collect(),
            ),
        },
        required: f.required,
        help: f.help.map(localized),
    }
}

pub(super) fn plugin_info(i: wit::PluginInfo) -> now::PluginInfo {
    now::PluginInfo {
        id: i.id,
        version: i.version,
        name: localized(i.name),
        kinds: i
            .kinds
            .into_iter()
            .map(|k| now::ItemKind {
                id: k.id,
                name: localized(k.name),
                fields: k.fields.into_iter().map(field).collect(),
                derived: k.derived.into_iter().map(field).collect(),
                catalog: now::CatalogPlacement {
                    path: k.catalog.path,
                    portal_column: localized(k.catalog.portal_column),
                },
                sealed: Vec::new(),
                related_by: None,
            })
            .collect(),
        export_formats: i
            .export_formats
            .into_iter()
            .map(|f| now::ExportFormat {
                id: f.id,
                name: localized(f.name),
                media_type: f.media_type,
                kinds: f.kinds,
                streamed: false,
            })
            .collect(),
        actions: Vec::new(),
    }
}

pub(super) fn problem(p: wit::Problem) -> now::Problem {
    now::Problem {
        path: p.path,
        severity: match p.severity {
            wit::Severity::Error => now::Severity::Error,
            wit::Severity::Warning => now::Severity::Warning,
        },
        code: p.code,
        message: p.message,
    }
}

pub(super) fn publication_rules(r: wit::PublicationRules) -> now::PublicationRules {
    now::PublicationRules {
        review_steps: r
            .review_steps
            .into_iter()
            .map(|s| now::ReviewStep {
                name: localized(s.name),
                role: s.role,
            })
            .collect(),
        publish_by: r.publish_by.map(|d| now::Deadline {
            start: d.start,
            working_days: d.working_days,
        }),
        mask: r.mask,
        not_before: r.not_before,
    }
}

pub(super) fn export_output(o: wit::ExportOutput) -> now::ExportOutput {
    now::ExportOutput {
        media_type: o.media_type,
        extension: o.extension,
        bytes: o.bytes,
    }
}

pub(super) fn plugin_error(e: wit::PluginError) -> now::PluginError {
    match e {
        wit::PluginError::UnknownKind(k) => now::PluginError::UnknownKind(k),
        wit::PluginError::UnknownFormat(f) => now::PluginError::UnknownFormat(f),
        wit::PluginError::BadInput(m) => now::PluginError::BadInput(m),
        wit::PluginError::Internal(m) => now::PluginError::Internal(m),
    }
}
