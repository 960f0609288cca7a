//! The exports a plugin answers, each in a fresh instance with its own deadline and
//! fuel, and size caps on what goes in and comes out.

use std::sync::Arc;

use wasmtime::Store;

use super::error::{PluginError, Reason};
use super::instance::Instance;
use super::limits::UNMETERED;
use super::store::HostState;
use super::v0_2::wit;
use super::{LoadedPlugin, NoCalendar, PluginCalendar, PluginHost};

pub use wit::{
    Context as CallContext, ExportItem, ExportOutput, ExportPart, ExportPiece, PluginInfo, Problem,
    PublicationRules,
};

/// Raw results of one evaluation, before the service shapes them.
#[derive(Debug, Clone)]
pub struct RawEvaluation {
    pub problems: Vec<wit::Problem>,
    pub derived: serde_json::Map<String, serde_json::Value>,
    pub rules: wit::PublicationRules,
}

impl PluginHost {
    /// `describe`, bounded like any call (no fuel limit: it runs once, at install).
    pub fn describe(&self, plugin: &LoadedPlugin) -> Result<PluginInfo, PluginError> {
        let calendar: PluginCalendar = Arc::new(NoCalendar);
        let mut store = self.store(plugin, "", calendar);
        let instance = self.instantiate(plugin, &mut store, "describe")?;
        self.arm(&mut store, UNMETERED)
            .map_err(|r| plugin.error("describe", r))?;
        let info = instance
            .describe(&mut store)
            .map_err(|e| plugin.error("describe", self.classify(&store, e)))?;
        let size = info_size(&info);
        self.check_output(plugin, "describe", size)?;
        Ok(info)
    }

    fn check_input(
        &self,
        plugin: &LoadedPlugin,
        call: &'static str,
        size: usize,
    ) -> Result<(), PluginError> {
        let cap = self.limits.max_io_bytes;
        if size > cap {
            return Err(plugin.error(call, Reason::InputTooLarge { size, cap }));
        }
        Ok(())
    }

    fn check_output(
        &self,
        plugin: &LoadedPlugin,
        call: &'static str,
        size: usize,
    ) -> Result<(), PluginError> {
        let cap = self.limits.max_io_bytes;
        if size > cap {
            return Err(plugin.error(call, Reason::OutputTooLarge { size, cap }));
        }
        Ok(())
    }

    /// `validate` alone, in a fresh instance.
    pub fn validate(
        &self,
        plugin: &LoadedPlugin,
        calendar: PluginCalendar,
        kind: &str,
        fields_json: &str,
        ctx: &CallContext,
    ) -> Result<Vec<Problem>, PluginError> {
        self.check_input(plugin, "validate", kind.len() + fields_json.len())?;
        let mut store = self.store(plugin, &ctx.tenant, calendar);
        let instance = self.instantiate(plugin, &mut store, "validate")?;
        self.call_validate(plugin, &instance, &mut store, kind, fields_json, ctx)
    }

    fn call_validate(
        &self,
        plugin: &LoadedPlugin,
        instance: &Instance,
        store: &mut Store<HostState>,
        kind: &str,
        fields_json: &str,
        ctx: &CallContext,
    ) -> Result<Vec<Problem>, PluginError> {
        let call = "validate";
        self.arm(store, self.limits.fuel)
            .map_err(|r| plugin.error(call, r))?;
        let answer = instance
            .validate(store, kind, &fields_json.to_owned(), ctx)
            .map_err(|e| plugin.error(call, self.classify(store, e)))?;
        let problems = answer.map_err(|e| plugin.error(call, own_error(e)))?;
        let size: usize = problems
            .iter()
            .map(|p| p.path.len() + p.code.len() + p.message.len() + 16)
            .sum();
        self.check_output(plugin, call, size)?;
        Ok(problems)
    }

    /// `validate`, `derive` and `publication-rules` of one item, in one fresh instance;
    /// each export call has its own deadline and fuel.
    pub fn evaluate(
        &self,
        plugin: &LoadedPlugin,
        calendar: PluginCalendar,
        kind: &str,
        fields_json: &str,
        ctx: &CallContext,
    ) -> Result<RawEvaluation, PluginError> {
        self.evaluate_related(plugin, calendar, kind, fields_json, None, ctx)
    }

    /// [`Self::evaluate`], and `validate-related` over `related` when given (a kind with
    /// a `related-by` field): its problems join `validate`'s.
    pub fn evaluate_related(
        &self,
        plugin: &LoadedPlugin,
        calendar: PluginCalendar,
        kind: &str,
        fields_json: &str,
        related: Option<&[ExportItem]>,
        ctx: &CallContext,
    ) -> Result<RawEvaluation, PluginError> {
        let related_size: usize = related
            .unwrap_or_default()
            .iter()
            .map(|i| i.id.len() + i.kind.len() + i.fields.len() + 64)
            .sum();
        self.check_input(
            plugin,
            "validate",
            kind.len() + fields_json.len() + related_size,
        )?;
        let mut store = self.store(plugin, &ctx.tenant, calendar);
        let instance = self.instantiate(plugin, &mut store, "validate")?;
        let mut problems =
            self.call_validate(plugin, &instance, &mut store, kind, fields_json, ctx)?;
        // The generated binding takes the `fields-json` alias as `&String`.
        let fields_json = &fields_json.to_owned();

        if let Some(related) = related {
            let call = "validate-related";
            self.arm(&mut store, self.limits.fuel)
                .map_err(|r| plugin.error(call, r))?;
            let more = instance
                .validate_related(&mut store, kind, fields_json, related, ctx)
                .map_err(|e| plugin.error(call, self.classify(&store, e)))?
                .map_err(|e| plugin.error(call, own_error(e)))?;
            let size: usize = more
                .iter()
                .map(|p| p.path.len() + p.code.len() + p.message.len() + 16)
                .sum();
            self.check_output(plugin, call, size)?;
            problems.extend(more);
        }

        let call = "derive";
        self.arm(&mut store, self.limits.fuel)
            .map_err(|r| plugin.error(call, r))?;
        let derived = instance
            .derive(&mut store, kind, fields_json, ctx)
            .map_err(|e| plugin.error(call, self.classify(&store, e)))?
            .map_err(|e| plugin.error(call, own_error(e)))?;
        self.check_output(plugin, call, derived.len())?;
        let derived = match serde_json::from_str::<serde_json::Value>(&derived) {
            Ok(serde_json::Value::Object(map)) => map,
            Ok(_) => return Err(plugin.error(call, Reason::Malformed("not a JSON object".into()))),
            Err(e) => return Err(plugin.error(call, Reason::Malformed(format!("not JSON: {e}")))),
        };

        let call = "publication-rules";
        self.arm(&mut store, self.limits.fuel)
            .map_err(|r| plugin.error(call, r))?;
        let rules = instance
            .publication_rules(&mut store, kind, fields_json, ctx)
            .map_err(|e| plugin.error(call, self.classify(&store, e)))?
            .map_err(|e| plugin.error(call, own_error(e)))?;
        let size: usize = rules.mask.iter().map(String::len).sum::<usize>()
            + rules
                .review_steps
                .iter()
                .map(|s| s.name.zh.len() + s.name.en.len() + s.role.len())
                .sum::<usize>();
        self.check_output(plugin, call, size)?;
        Ok(RawEvaluation {
            problems,
            derived,
            rules,
        })
    }

    /// `export` of many items (deadline, memory and size caps; no fuel limit).
    pub fn export(
        &self,
        plugin: &LoadedPlugin,
        tenant: &str,
        format: &str,
        items: &[ExportItem],
    ) -> Result<ExportOutput, PluginError> {
        let call = "export";
        self.check_input(plugin, call, items_size(items))?;
        let mut store = self.store(plugin, tenant, Arc::new(NoCalendar));
        let instance = self.instantiate(plugin, &mut store, call)?;
        self.arm(&mut store, UNMETERED)
            .map_err(|r| plugin.error(call, r))?;
        let out = instance
            .export(&mut store, format, items)
            .map_err(|e| plugin.error(call, self.classify(&store, e)))?
            .map_err(|e| plugin.error(call, own_error(e)))?;
        self.check_output(plugin, call, out.bytes.len())?;
        Ok(out)
    }

    /// `export-part` (0.2 plugins): one batch of a streamed export, with the caps of
    /// `export` and a carry of at most [`MAX_CARRY`] bytes either way.
    pub fn export_part(
        &self,
        plugin: &LoadedPlugin,
        tenant: &str,
        format: &str,
        items: &[ExportItem],
        part: &ExportPart,
    ) -> Result<ExportPiece, PluginError> {
        let call = "export-part";
        self.check_input(plugin, call, items_size(items) + part.carry.len())?;
        let mut store = self.store(plugin, tenant, Arc::new(NoCalendar));
        let instance = self.instantiate(plugin, &mut store, call)?;
        self.arm(&mut store, UNMETERED)
            .map_err(|r| plugin.error(call, r))?;
        let piece = instance
            .export_part(&mut store, format, items, part)
            .map_err(|e| plugin.error(call, self.classify(&store, e)))?
            .map_err(|e| plugin.error(call, own_error(e)))?;
        self.check_output(plugin, call, piece.output.bytes.len())?;
        if piece.carry.len() > MAX_CARRY {
            let reason = Reason::OutputTooLarge {
                size: piece.carry.len(),
                cap: MAX_CARRY,
            };
            return Err(plugin.error(call, reason));
        }
        Ok(piece)
    }

    /// `action` (0.2 plugins): JSON in, JSON out, with the deadline, memory and size
    /// caps of a validation and the actions' own fuel budget. The answer must be JSON.
    pub fn action(
        &self,
        plugin: &LoadedPlugin,
        name: &str,
        input: &str,
        ctx: &CallContext,
    ) -> Result<String, PluginError> {
        let call = "action";
        self.check_input(plugin, call, name.len() + input.len())?;
        let mut store = self.store(plugin, &ctx.tenant, Arc::new(NoCalendar));
        let instance = self.instantiate(plugin, &mut store, call)?;
        self.arm(&mut store, self.limits.action_fuel)
            .map_err(|r| plugin.error(call, r))?;
        let out = instance
            .action(&mut store, name, input, ctx)
            .map_err(|e| plugin.error(call, self.classify(&store, e)))?
            .map_err(|e| plugin.error(call, own_error(e)))?;
        self.check_output(plugin, call, out.len())?;
        if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(&out) {
            return Err(plugin.error(call, Reason::Malformed(format!("not JSON: {e}"))));
        }
        Ok(out)
    }
}

/// What a streamed export's part may hand to the next: a count, a date, a name — not
/// the export itself.
pub const MAX_CARRY: usize = 64 * 1024;

/// About the bytes items take in a call, for the input cap.
fn items_size(items: &[ExportItem]) -> usize {
    items
        .iter()
        .map(|i| i.id.len() + i.kind.len() + i.fields.len() + 64)
        .sum()
}

/// A plugin's own refusal, as a reason.
fn own_error(e: wit::PluginError) -> Reason {
    match e {
        wit::PluginError::UnknownKind(k) => Reason::UnknownKind(k),
        wit::PluginError::UnknownFormat(f) => Reason::UnknownFormat(f),
        wit::PluginError::UnknownAction(a) => Reason::UnknownAction(a),
        wit::PluginError::BadInput(m) => Reason::BadInput(m),
        wit::PluginError::Internal(m) => Reason::Internal(m),
    }
}

fn info_size(info: &PluginInfo) -> usize {
    // Every string counts; a rough upper bound is enough for a cap.
    format!("{info:?}").len()
}
