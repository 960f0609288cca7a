//! Component glue (wasm32 only): the wit-bindgen bindings of one contract
//! version (0.1.0, or 0.2.0 with the `contract-0-2` feature), [`Export`] (the
//! `Guest` implementation `export_plugin!` exports) and the conversions between
//! the bindings and the SDK's plain types.

#[cfg(not(feature = "contract-0-2"))]
pub mod bindings {
    wit_bindgen::generate!({
        path: "wit/v0.1.0",
        world: "gongkai:plugin/plugin@0.1.0",
        pub_export_macro: true,
        export_macro_name: "__export_plugin_world",
        default_bindings_module: "gongkai_plugin_sdk::__glue::bindings",
    });
}

#[cfg(feature = "contract-0-2")]
pub mod bindings {
    wit_bindgen::generate!({
        path: "wit/v0.2.0",
        world: "gongkai:plugin/plugin@0.2.0",
        pub_export_macro: true,
        export_macro_name: "__export_plugin_world",
        default_bindings_module: "gongkai_plugin_sdk::__glue::bindings",
    });
}

/// Every call's allocations (see [`crate::arena`]); past 1 MiB, the standard allocator.
#[global_allocator]
static ALLOCATOR: crate::arena::Arena<{ 1 << 20 }> = crate::arena::Arena::new();

pub use bindings::__export_plugin_world;
use bindings::Guest;

use bindings::gongkai::plugin::types as wit;

use crate::*;

/// The component's exports for plugin `P` (what `export_plugin!(P)` exports).
pub struct Export<P>(std::marker::PhantomData<P>);

impl<P: Plugin> Guest for Export<P> {
    fn describe() -> wit::PluginInfo {
        describe::<P>()
    }
    fn validate(
        kind: String,
        fields: String,
        c: wit::Context,
    ) -> Result<Vec<wit::Problem>, wit::PluginError> {
        validate::<P>(kind, fields, c)
    }
    fn derive(kind: String, fields: String, c: wit::Context) -> Result<String, wit::PluginError> {
        let c = ctx(c)?;
        P::derive_json(&kind, &fields, &c).map_err(err)
    }
    fn publication_rules(
        kind: String,
        fields: String,
        c: wit::Context,
    ) -> Result<wit::PublicationRules, wit::PluginError> {
        publication_rules::<P>(kind, fields, c)
    }
    fn export(
        format: String,
        items: Vec<wit::ExportItem>,
    ) -> Result<wit::ExportOutput, wit::PluginError> {
        export::<P>(format, items)
    }
    #[cfg(feature = "contract-0-2")]
    fn export_part(
        format: String,
        items: Vec<wit::ExportItem>,
        part: wit::ExportPart,
    ) -> Result<wit::ExportPiece, wit::PluginError> {
        let items = export_items(items)?;
        let part = ExportPart {
            first: part.first,
            last: part.last,
            carry: part.carry,
        };
        let piece = P::export_part(&format, &items, &part).map_err(err)?;
        Ok(wit::ExportPiece {
            output: output(piece.output),
            carry: piece.carry,
        })
    }
    #[cfg(feature = "contract-0-2")]
    fn validate_related(
        kind: String,
        fields: String,
        related: Vec<wit::ExportItem>,
        c: wit::Context,
    ) -> Result<Vec<wit::Problem>, wit::PluginError> {
        let c = ctx(c)?;
        let f = parse(&fields)?;
        let related = export_items(related)?;
        let problems = P::validate_related(&kind, &f, &related, &c).map_err(err)?;
        Ok(problems.into_iter().map(problem).collect())
    }
    #[cfg(feature = "contract-0-2")]
    fn action(name: String, input: String, c: wit::Context) -> Result<String, wit::PluginError> {
        let c = ctx(c)?;
        let input: Value = serde_json::from_str(&input)
            .map_err(|e| wit::PluginError::BadInput(format!("the input is not JSON: {e}")))?;
        let out = P::action(&name, &input, &c).map_err(err)?;
        Ok(out.to_string())
    }
}

/// The `working-days` import as a [`WorkingDays`].
pub struct HostCalendar;

impl WorkingDays for HostCalendar {
    fn add_working_days(&self, start: Date, n: i32) -> Result<Date, String> {
        let s = bindings::gongkai::plugin::working_days::add_working_days(&start.to_string(), n)?;
        Date::parse(&s).ok_or_else(|| format!("host returned a malformed date {s:?}"))
    }
    fn is_working_day(&self, day: Date) -> Result<bool, String> {
        bindings::gongkai::plugin::working_days::is_working_day(&day.to_string())
    }
}

pub fn log(level: LogLevel, message: &str) {
    use wit::LogLevel as L;
    let l = match level {
        LogLevel::Trace => L::Trace,
        LogLevel::Debug => L::Debug,
        LogLevel::Info => L::Info,
        LogLevel::Warn => L::Warn,
        LogLevel::Error => L::Error,
    };
    bindings::gongkai::plugin::log::log(l, message);
}

fn loc(l: Localized) -> wit::Localized {
    wit::Localized { zh: l.zh, en: l.en }
}

fn vt(t: ValueType) -> wit::ValueType {
    match t {
        ValueType::Text => wit::ValueType::Text,
        ValueType::RichText => wit::ValueType::RichText,
        ValueType::Integer => wit::ValueType::Integer,
        ValueType::Decimal(u) => wit::ValueType::Decimal(u),
        ValueType::Money(u) => wit::ValueType::Money(u),
        ValueType::Date => wit::ValueType::Date,
        ValueType::DateTime => wit::ValueType::Datetime,
        ValueType::Enumeration(o) => wit::ValueType::Enumeration(
            o.into_iter()
                .map(|o| wit::EnumOption {
                    value: o.value,
                    label: loc(o.label),
                })
                .collect(),
        ),
        ValueType::Boolean => wit::ValueType::Boolean,
        ValueType::PersonName => wit::ValueType::PersonName,
        ValueType::IdentityNumber => wit::ValueType::IdentityNumber,
        ValueType::OrganisationCode => wit::ValueType::OrganisationCode,
    }
}

fn field(f: Field) -> wit::Field {
    wit::Field {
        id: f.id,
        label: loc(f.label),
        field_type: match f.field_type {
            FieldType::Value(t) => wit::FieldType::Value(vt(t)),
            FieldType::Table(cols) => wit::FieldType::Table(
                cols.into_iter()
                    .map(|c| wit::Column {
                        id: c.id,
                        label: loc(c.label),
                        value_type: vt(c.value_type),
                        required: c.required,
                    })
                    .collect(),
            ),
        },
        required: f.required,
        help: f.help.map(loc),
    }
}

fn err(e: PluginError) -> wit::PluginError {
    match e {
        PluginError::UnknownKind(s) => wit::PluginError::UnknownKind(s),
        PluginError::UnknownFormat(s) => wit::PluginError::UnknownFormat(s),
        #[cfg(feature = "contract-0-2")]
        PluginError::UnknownAction(s) => wit::PluginError::UnknownAction(s),
        #[cfg(not(feature = "contract-0-2"))]
        PluginError::UnknownAction(s) => {
            wit::PluginError::BadInput(format!("unknown action {s:?}"))
        }
        PluginError::BadInput(s) => wit::PluginError::BadInput(s),
        PluginError::Internal(s) => wit::PluginError::Internal(s),
    }
}

fn ctx(c: wit::Context) -> Result<Context<'static>, wit::PluginError> {
    let today = Date::parse(&c.today).ok_or_else(|| {
        wit::PluginError::BadInput(format!("context.today is not a date: {:?}", c.today))
    })?;
    Ok(Context::new(&c.tenant, today, &c.locale))
}

fn parse(fields: &str) -> Result<Fields, wit::PluginError> {
    Fields::from_json(fields).map_err(wit::PluginError::BadInput)
}

fn describe<P: Plugin>() -> wit::PluginInfo {
    let i = P::describe();
    wit::PluginInfo {
        id: i.id,
        version: i.version,
        name: loc(i.name),
        kinds: i
            .kinds
            .into_iter()
            .map(|k| wit::ItemKind {
                id: k.id,
                name: loc(k.name),
                fields: k.fields.into_iter().map(field).collect(),
                derived: k.derived.into_iter().map(field).collect(),
                catalog: wit::CatalogPlacement {
                    path: k.catalog.path,
                    portal_column: loc(k.catalog.portal_column),
                },
                #[cfg(feature = "contract-0-2")]
                sealed: k
                    .sealed
                    .into_iter()
                    .map(|s| wit::SealedField {
                        field: s.field,
                        until_field: s.until_field,
                    })
                    .collect(),
                #[cfg(feature = "contract-0-2")]
                related_by: k.related_by,
            })
            .collect(),
        export_formats: i
            .export_formats
            .into_iter()
            .map(|f| wit::ExportFormat {
                id: f.id,
                name: loc(f.name),
                media_type: f.media_type,
                kinds: f.kinds,
                #[cfg(feature = "contract-0-2")]
                streamed: f.streamed,
            })
            .collect(),
        #[cfg(feature = "contract-0-2")]
        actions: P::actions()
            .into_iter()
            .map(|a| wit::ActionInfo {
                name: a.name,
                label: loc(a.label),
                public: a.public,
            })
            .collect(),
    }
}

fn validate<P: Plugin>(
    kind: String,
    fields: String,
    c: wit::Context,
) -> Result<Vec<wit::Problem>, wit::PluginError> {
    let c = ctx(c)?;
    let f = parse(&fields)?;
    let problems = P::validate(&kind, &f, &c).map_err(err)?;
    Ok(problems.into_iter().map(problem).collect())
}

fn problem(p: Problem) -> wit::Problem {
    wit::Problem {
        path: p.path,
        severity: match p.severity {
            Severity::Error => wit::Severity::Error,
            Severity::Warning => wit::Severity::Warning,
        },
        code: p.code,
        message: p.message,
    }
}

fn publication_rules<P: Plugin>(
    kind: String,
    fields: String,
    c: wit::Context,
) -> Result<wit::PublicationRules, wit::PluginError> {
    let c = ctx(c)?;
    let f = parse(&fields)?;
    let r = P::publication_rules(&kind, &f, &c).map_err(err)?;
    Ok(wit::PublicationRules {
        review_steps: r
            .review_steps
            .into_iter()
            .map(|s| wit::ReviewStep {
                name: loc(s.name),
                role: s.role,
            })
            .collect(),
        publish_by: r.publish_by.map(|d| wit::Deadline {
            start: d.from.to_string(),
            working_days: d.working_days,
        }),
        mask: r.mask,
        not_before: r.not_before.map(|d| d.to_string()),
    })
}

fn export_items(items: Vec<wit::ExportItem>) -> Result<Vec<ExportItem>, wit::PluginError> {
    items
        .into_iter()
        .map(|i| {
            Ok(ExportItem {
                fields: Fields::from_json(&i.fields)
                    .map_err(|e| wit::PluginError::BadInput(format!("item {}: {e}", i.id)))?,
                id: i.id,
                kind: i.kind,
                published_at: i.published_at,
            })
        })
        .collect()
}

fn export<P: Plugin>(
    format: String,
    items: Vec<wit::ExportItem>,
) -> Result<wit::ExportOutput, wit::PluginError> {
    let items = export_items(items)?;
    P::export(&format, &items).map(output).map_err(err)
}

fn output(o: ExportOutput) -> wit::ExportOutput {
    wit::ExportOutput {
        media_type: o.media_type,
        extension: o.extension,
        bytes: o.bytes,
    }
}
