//! School admissions (招生入学) plugin: enrolment plans, catchment areas,
//! admission policies, admission results with children's data masked, and the
//! verifiable class lottery (阳光分班, see LOTTERY.md and [`lottery`]).

pub mod actions;
mod draw;
mod export;
mod kinds;
pub mod lottery;
pub mod mask;
pub mod package;

#[cfg(test)]
mod tests;

use gongkai_plugin_sdk::{
    check_schema, export_plugin, ActionInfo, Context, ExportFormat, ExportItem, ExportOutput,
    Fields, ItemKind, Map, Plugin, PluginError, PluginInfo, Problems, PublicationRules, Severity,
    Value,
};

pub const PLAN: &str = "enrolment-plan";
pub const CATCHMENT: &str = "catchment-area";
pub const POLICY: &str = "admission-policy";
pub const RESULTS: &str = "admission-results";
pub const PLACEMENT: &str = "class-placement";

pub struct Admissions;

impl Plugin for Admissions {
    fn describe() -> PluginInfo {
        PluginInfo::new(
            "admissions",
            env!("CARGO_PKG_VERSION"),
            "招生入学",
            "School admissions",
        )
        .with_kind(kinds::plan())
        .with_kind(kinds::catchment())
        .with_kind(kinds::policy())
        .with_kind(kinds::results())
        .with_kind(draw::kind())
        .with_export(ExportFormat::new(
            "lottery-package",
            "阳光分班复核包（JSON）",
            "Class lottery package for re-running (JSON)",
            export::JSON_MEDIA_TYPE,
            &[PLACEMENT],
        ))
        .with_export(ExportFormat::new(
            "results-csv",
            "录取名单（CSV，已脱敏）",
            "Admission results (CSV, masked)",
            export::CSV_MEDIA_TYPE,
            &[RESULTS],
        ))
    }

    fn kind(kind: &str) -> Option<ItemKind> {
        match kind {
            PLAN => Some(kinds::plan()),
            CATCHMENT => Some(kinds::catchment()),
            POLICY => Some(kinds::policy()),
            RESULTS => Some(kinds::results()),
            PLACEMENT => Some(draw::kind()),
            _ => None,
        }
    }

    fn validate(kind: &str, fields: &Fields, ctx: &Context) -> Result<Problems, PluginError> {
        let k = Self::kind(kind).ok_or_else(|| PluginError::UnknownKind(kind.into()))?;
        let mut schema = check_schema(&k, fields, ctx);
        // Domain rules re-read the fields; keep one problem per path and code.
        let mut p = Problems::new();
        match kind {
            PLAN => kinds::validate_plan(fields, ctx, &mut p),
            CATCHMENT => kinds::validate_catchment(fields, ctx, &mut p),
            POLICY => kinds::validate_policy(fields, ctx, &mut p),
            RESULTS => kinds::validate_results(fields, ctx, &mut p),
            _ => draw::validate(fields, ctx, &mut p),
        }
        for extra in p {
            if !schema
                .iter()
                .any(|s| s.path == extra.path && s.code == extra.code)
            {
                schema.add(extra);
            }
        }
        Ok(schema)
    }

    fn derive(kind: &str, fields: &Fields, _ctx: &Context) -> Result<Map, PluginError> {
        match kind {
            PLAN => Ok(kinds::derive_plan(fields)),
            CATCHMENT | POLICY => Ok(Map::new()),
            RESULTS => Ok(kinds::derive_results(fields)),
            PLACEMENT => Ok(draw::derive(fields)),
            _ => Err(PluginError::UnknownKind(kind.into())),
        }
    }

    fn publication_rules(
        kind: &str,
        fields: &Fields,
        _ctx: &Context,
    ) -> Result<PublicationRules, PluginError> {
        let rules = PublicationRules::new();
        let date = |key: &str| fields.date(key).ok().flatten();
        Ok(match kind {
            // Plans and catchment areas are public when registration opens
            // (义务教育法 §12: enrolment near home; the area must be known first).
            PLAN | CATCHMENT => match date("registration_start") {
                Some(d) => rules.publish_within(0, d),
                None => rules,
            },
            POLICY => rules,
            // The raw list (names, numbers) never reaches the public rendition:
            // the derived `public_list` carries the masked form (PIPL art. 28).
            RESULTS => {
                let r = rules.mask("admitted").review_step(
                    "录取名单个人信息审核",
                    "Privacy review of the admission list",
                    "reviewer",
                );
                match date("publish_by") {
                    Some(d) => r.publish_within(0, d),
                    None => r,
                }
            }
            // The supervisor (纪检/家长代表) signs the draw off before it is public.
            // The secret stays hidden until the public value is fixed: shown
            // earlier, whoever picks the public value could aim at a placement.
            PLACEMENT => {
                let r = rules.review_step(
                    "阳光分班监督确认",
                    "Supervisor's sign-off of the class lottery",
                    "approver",
                );
                if draw::reveal(fields).is_some() {
                    r
                } else {
                    r.mask("secret")
                }
            }
            _ => return Err(PluginError::UnknownKind(kind.into())),
        })
    }

    fn actions() -> Vec<ActionInfo> {
        actions::declared()
    }

    fn action(name: &str, input: &Value, _ctx: &Context) -> Result<Value, PluginError> {
        match name {
            actions::PLACE => actions::place(input),
            actions::VERIFY => actions::verify(input),
            _ => Err(PluginError::UnknownAction(name.into())),
        }
    }

    fn export(format: &str, items: &[ExportItem]) -> Result<ExportOutput, PluginError> {
        match format {
            "lottery-package" => export::lottery_package(items),
            "results-csv" => export::results_csv(items),
            _ => Err(PluginError::UnknownFormat(format.into())),
        }
    }
}

pub(crate) fn error(p: &mut Problems, path: &str, code: &str, msg: String) {
    p.push(path, Severity::Error, code, msg);
}

pub(crate) fn value_text(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

export_plugin!(Admissions);
