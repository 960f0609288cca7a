//! An item kind's fields as form inputs, and the form back as the `fields` object the
//! API takes. A built-in kind's inputs come from its field specs; a plugin kind's are
//! generated from the plugin's own description (types, units, required, options, help
//! text, labels in both languages). The values are sent as typed as the form allows
//! and otherwise as written, so that the validator (the kind's, or the plugin's) says
//! what is wrong beside the field and the entered text is kept.
//!
//! Form names: `f.<field>` for a value, `f.<field>.<row>.<column>` for a table cell.

use std::collections::BTreeMap;

use maud::{html, Markup};
use serde_json::{Map, Number, Value};

use super::super::field;
use crate::disclosure::kinds::{FieldSpec, FieldType as BuiltinType, KindSpec};
use crate::kernel::error::FieldProblem;
use crate::plugins::model::{Field, FieldType, ItemKind, Localized, ValueType};
use crate::web::Lang;

/// The kind an item form is for.
// One value per form drawn: its size does not matter, a box would only add noise.
#[allow(clippy::large_enum_variant)]
pub enum FormKind {
    Builtin(&'static KindSpec),
    Plugin(ItemKind),
}

/// Blank rows a table offers below its filled ones (the form works without script).
const BLANK_ROWS: usize = 2;

fn text(lang: Lang, l: &Localized) -> String {
    match lang {
        Lang::En if !l.en.trim().is_empty() => l.en.clone(),
        _ => l.zh.clone(),
    }
}

fn number(raw: &str) -> Option<Value> {
    let n: f64 = raw.parse().ok().filter(|n: &f64| n.is_finite())?;
    if let Ok(i) = raw.parse::<i64>() {
        return Some(Value::Number(i.into()));
    }
    Number::from_f64(n).map(Value::Number)
}

/// One entered value as JSON: typed when it reads as its type, else the text as
/// written (the validator then names the problem); `None` when left empty.
fn plugin_value(ty: &ValueType, raw: &str) -> Option<Value> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    Some(match ty {
        ValueType::Integer => raw
            .parse::<i64>()
            .map(|i| Value::Number(i.into()))
            .unwrap_or_else(|_| Value::String(raw.into())),
        ValueType::Decimal { .. } | ValueType::Money { .. } => {
            number(raw).unwrap_or_else(|| Value::String(raw.into()))
        }
        ValueType::Boolean => match raw {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            other => Value::String(other.into()),
        },
        _ => Value::String(raw.into()),
    })
}

/// The form's `fields` object for `kind`.
pub fn values(kind: &FormKind, pairs: &[(String, String)]) -> Value {
    let mut out = Map::new();
    match kind {
        FormKind::Builtin(spec) => {
            for f in spec.fields {
                let raw = field(pairs, &format!("f.{}", f.name)).trim();
                if raw.is_empty() {
                    continue;
                }
                let v = match f.ty {
                    BuiltinType::Amount => number(raw).unwrap_or_else(|| Value::String(raw.into())),
                    _ => Value::String(raw.into()),
                };
                out.insert(f.name.to_string(), v);
            }
        }
        FormKind::Plugin(kind) => {
            for f in &kind.fields {
                match &f.field_type {
                    FieldType::Value { value_type } => {
                        if let Some(v) =
                            plugin_value(value_type, field(pairs, &format!("f.{}", f.id)))
                        {
                            out.insert(f.id.clone(), v);
                        }
                    }
                    FieldType::Table { columns } => {
                        let prefix = format!("f.{}.", f.id);
                        let mut rows: BTreeMap<usize, Map<String, Value>> = BTreeMap::new();
                        for (k, raw) in pairs {
                            let Some((row, col)) =
                                k.strip_prefix(&prefix).and_then(|r| r.split_once('.'))
                            else {
                                continue;
                            };
                            let (Ok(row), Some(c)) =
                                (row.parse::<usize>(), columns.iter().find(|c| c.id == col))
                            else {
                                continue;
                            };
                            let entry = rows.entry(row).or_default();
                            if let Some(v) = plugin_value(&c.value_type, raw) {
                                entry.insert(c.id.clone(), v);
                            }
                        }
                        let rows: Vec<Value> = rows
                            .into_values()
                            .filter(|r| !r.is_empty())
                            .map(Value::Object)
                            .collect();
                        if !rows.is_empty() {
                            out.insert(f.id.clone(), Value::Array(rows));
                        }
                    }
                }
            }
        }
    }
    Value::Object(out)
}

fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Stored fields as the form's pairs (to show an item in its editor).
pub fn pairs_of(fields: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let Some(map) = fields.as_object() else {
        return out;
    };
    for (name, v) in map {
        match v {
            Value::Array(rows) => {
                for (i, row) in rows.iter().enumerate() {
                    if let Some(cells) = row.as_object() {
                        for (col, cell) in cells {
                            out.push((format!("f.{name}.{i}.{col}"), plain(cell)));
                        }
                    }
                }
            }
            other => out.push((format!("f.{name}"), plain(other))),
        }
    }
    out
}

/// The problems of one field (its own, and its table cells').
fn problems_of<'a>(problems: &'a [FieldProblem], name: &str) -> Vec<&'a FieldProblem> {
    let own = format!("fields.{name}");
    let cells = format!("fields.{name}[");
    problems
        .iter()
        .filter(|p| p.field == own || p.field.starts_with(&cells))
        .collect()
}

/// The input id of a field (`fields.<name>` problems point at it).
pub fn input_id(name: &str) -> String {
    format!("f-{name}")
}

/// The inputs of the kind's fields, with the entered values and the problems beside them.
pub fn inputs(
    lang: Lang,
    kind: &FormKind,
    pairs: &[(String, String)],
    problems: &[FieldProblem],
) -> Markup {
    match kind {
        FormKind::Builtin(spec) => html! {
            @for f in spec.fields { (builtin_input(lang, f, pairs, problems)) }
        },
        FormKind::Plugin(kind) => html! {
            @for f in &kind.fields { (plugin_input(lang, f, pairs, problems)) }
        },
    }
}

fn errors(id: &str, found: &[&FieldProblem]) -> Markup {
    html! {
        @if !found.is_empty() {
            span class="field-error" id=(format!("{id}-error")) {
                @for (i, p) in found.iter().enumerate() {
                    @if i > 0 { br; }
                    (p.message)
                }
            }
        }
    }
}

fn described(id: &str, help: bool, unit: bool, error: bool) -> Option<String> {
    let mut ids = Vec::new();
    if help {
        ids.push(format!("{id}-help"));
    }
    if unit {
        ids.push(format!("{id}-unit"));
    }
    if error {
        ids.push(format!("{id}-error"));
    }
    (!ids.is_empty()).then(|| ids.join(" "))
}

fn builtin_input(
    lang: Lang,
    f: &FieldSpec,
    pairs: &[(String, String)],
    problems: &[FieldProblem],
) -> Markup {
    let id = input_id(f.name);
    let name = format!("f.{}", f.name);
    let value = field(pairs, &name);
    let found = problems_of(problems, f.name);
    let invalid = (!found.is_empty()).then_some("true");
    let by = described(&id, false, false, !found.is_empty());
    html! {
        p class="field" {
            label for=(id) {
                (f.label_zh)
                @if f.required { " " span class="required" { (lang.t("console-required")) } }
            }
            @match f.ty {
                BuiltinType::Choice => select id=(id) name=(name) aria-invalid=[invalid] aria-describedby=[by.as_deref()] {
                    option value="" { "—" }
                    @for c in f.choices {
                        option value=(c) selected[*c == value] { (choice_label(lang, c)) }
                    }
                },
                BuiltinType::Date => input id=(id) name=(name) type="date" value=(value) required[f.required] aria-invalid=[invalid] aria-describedby=[by.as_deref()];,
                BuiltinType::Amount => input id=(id) name=(name) type="text" inputmode="decimal" value=(value) required[f.required] aria-invalid=[invalid] aria-describedby=[by.as_deref()];,
                _ => input id=(id) name=(name) type="text" value=(value) required[f.required] aria-invalid=[invalid] aria-describedby=[by.as_deref()];,
            }
            (errors(&id, &found))
        }
    }
}

/// A built-in choice's label (`console-choice-<value>`), or the value.
fn choice_label(lang: Lang, value: &str) -> String {
    let key = format!("console-choice-{value}");
    let label = lang.t(&key);
    if label == key {
        value.to_string()
    } else {
        label
    }
}

fn unit_of(ty: &ValueType) -> Option<&str> {
    match ty {
        ValueType::Decimal { unit } | ValueType::Money { unit } if !unit.is_empty() => Some(unit),
        _ => None,
    }
}

/// One input of a plugin value type.
#[allow(clippy::too_many_arguments)]
fn value_input(
    lang: Lang,
    id: &str,
    name: &str,
    ty: &ValueType,
    value: &str,
    required: bool,
    invalid: Option<&str>,
    by: Option<&str>,
) -> Markup {
    match ty {
        ValueType::RichText => html! {
            textarea id=(id) name=(name) rows="5" required[required] aria-invalid=[invalid] aria-describedby=[by] { (value) }
        },
        ValueType::Integer => html! {
            input id=(id) name=(name) type="text" inputmode="numeric" value=(value) required[required] aria-invalid=[invalid] aria-describedby=[by];
        },
        ValueType::Decimal { .. } | ValueType::Money { .. } => html! {
            input id=(id) name=(name) type="text" inputmode="decimal" value=(value) required[required] aria-invalid=[invalid] aria-describedby=[by];
        },
        ValueType::Date => html! {
            input id=(id) name=(name) type="date" value=(value) required[required] aria-invalid=[invalid] aria-describedby=[by];
        },
        ValueType::Datetime => html! {
            input id=(id) name=(name) type="text" placeholder="2026-12-07T09:00" value=(value) required[required] aria-invalid=[invalid] aria-describedby=[by];
        },
        ValueType::Enumeration { options } => html! {
            select id=(id) name=(name) required[required] aria-invalid=[invalid] aria-describedby=[by] {
                option value="" { "—" }
                @for o in options {
                    option value=(o.value) selected[o.value == value] { (text(lang, &o.label)) }
                }
            }
        },
        ValueType::Boolean => html! {
            select id=(id) name=(name) required[required] aria-invalid=[invalid] aria-describedby=[by] {
                option value="" { "—" }
                option value="true" selected[value == "true"] { (lang.t("value-yes")) }
                option value="false" selected[value == "false"] { (lang.t("value-no")) }
            }
        },
        _ => html! {
            input id=(id) name=(name) type="text" value=(value) required[required] aria-invalid=[invalid] aria-describedby=[by];
        },
    }
}

fn plugin_input(
    lang: Lang,
    f: &Field,
    pairs: &[(String, String)],
    problems: &[FieldProblem],
) -> Markup {
    let id = input_id(&f.id);
    let found = problems_of(problems, &f.id);
    let invalid = (!found.is_empty()).then_some("true");
    let help = f.help.as_ref().map(|h| text(lang, h));
    let required = html! {
        @if f.required { " " span class="required" { (lang.t("console-required")) } }
    };
    match &f.field_type {
        FieldType::Value { value_type } => {
            let name = format!("f.{}", f.id);
            let unit = unit_of(value_type);
            let by = described(&id, help.is_some(), unit.is_some(), !found.is_empty());
            html! {
                div class="field" {
                    label for=(id) { (text(lang, &f.label)) (required) }
                    @if let Some(h) = &help { p class="hint" id=(format!("{id}-help")) { (h) } }
                    span class="with-unit" {
                        (value_input(lang, &id, &name, value_type, field(pairs, &name), f.required, invalid, by.as_deref()))
                        @if let Some(u) = unit { " " span class="unit" id=(format!("{id}-unit")) { (u) } }
                    }
                    (errors(&id, &found))
                }
            }
        }
        FieldType::Table { columns } => {
            let prefix = format!("f.{}.", f.id);
            let filled = pairs
                .iter()
                .filter_map(|(k, _)| {
                    k.strip_prefix(&prefix)?
                        .split_once('.')?
                        .0
                        .parse::<usize>()
                        .ok()
                })
                .max()
                .map_or(0, |m| m + 1);
            let by = described(&id, help.is_some(), false, !found.is_empty());
            html! {
                fieldset class="field table-field" id=(id) aria-describedby=[by.as_deref()] {
                    legend { (text(lang, &f.label)) (required) }
                    @if let Some(h) = &help { p class="hint" id=(format!("{id}-help")) { (h) } }
                    div class="table-scroll" {
                        table class="data" {
                            thead { tr {
                                @for c in columns {
                                    th scope="col" {
                                        (text(lang, &c.label))
                                        @if let Some(u) = unit_of(&c.value_type) { " (" (u) ")" }
                                    }
                                }
                            } }
                            tbody {
                                @for row in 0..filled + BLANK_ROWS {
                                    tr {
                                        @for c in columns {
                                            @let name = format!("f.{}.{row}.{}", f.id, c.id);
                                            @let cell_id = format!("{id}-{row}-{}", c.id);
                                            @let cell_path = format!("fields.{}[{row}].{}", f.id, c.id);
                                            @let bad = found.iter().any(|p| p.field == cell_path);
                                            td {
                                                label class="visually-hidden" for=(cell_id) {
                                                    (text(lang, &c.label)) " " (row + 1)
                                                }
                                                (value_input(lang, &cell_id, &name, &c.value_type, field(pairs, &name), false, bad.then_some("true"), None))
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    (errors(&id, &found))
                }
            }
        }
    }
}

/// Problems not beside any input of the form (shown above it).
pub fn elsewhere<'a>(
    kind: &FormKind,
    problems: &'a [FieldProblem],
    form_fields: &[&str],
) -> Vec<&'a FieldProblem> {
    let names: Vec<String> = match kind {
        FormKind::Builtin(spec) => spec.fields.iter().map(|f| f.name.to_string()).collect(),
        FormKind::Plugin(kind) => kind.fields.iter().map(|f| f.id.clone()).collect(),
    };
    problems
        .iter()
        .filter(|p| {
            !form_fields.contains(&p.field.as_str())
                && !names
                    .iter()
                    .any(|n| !problems_of(std::slice::from_ref(*p), n).is_empty())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plugins::model::{CatalogPlacement, Column, EnumOption};

    fn l(zh: &str) -> Localized {
        Localized {
            zh: zh.into(),
            en: format!("{zh}-en"),
        }
    }

    fn kind() -> FormKind {
        let value = |id: &str, value_type| Field {
            id: id.into(),
            label: l(id),
            field_type: FieldType::Value { value_type },
            required: false,
            help: None,
        };
        FormKind::Plugin(ItemKind {
            id: "k".into(),
            name: l("k"),
            fields: vec![
                value(
                    "pm25",
                    ValueType::Decimal {
                        unit: "µg/m³".into(),
                    },
                ),
                value("n", ValueType::Integer),
                value("ok", ValueType::Boolean),
                value(
                    "period",
                    ValueType::Enumeration {
                        options: vec![EnumOption {
                            value: "1h".into(),
                            label: l("小时"),
                        }],
                    },
                ),
                Field {
                    id: "rows".into(),
                    label: l("rows"),
                    field_type: FieldType::Table {
                        columns: vec![Column {
                            id: "amount".into(),
                            label: l("amount"),
                            value_type: ValueType::Money { unit: "元".into() },
                            required: true,
                        }],
                    },
                    required: false,
                    help: None,
                },
            ],
            derived: Vec::new(),
            catalog: CatalogPlacement {
                path: "x".into(),
                portal_column: l("x"),
            },
            sealed: Vec::new(),
            related_by: None,
        })
    }

    fn p(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn typed_when_they_read_as_their_type_else_as_written() {
        let v = values(
            &kind(),
            &p(&[
                ("f.pm25", "35.5"),
                ("f.n", "twelve"),
                ("f.ok", "true"),
                ("f.period", "1h"),
                ("f.rows.0.amount", "100"),
                ("f.rows.1.amount", ""),
                ("f.rows.3.amount", "x"),
                ("f.unknown", "dropped"),
            ]),
        );
        assert_eq!(
            v,
            serde_json::json!({"pm25": 35.5, "n": "twelve", "ok": true, "period": "1h",
                "rows": [{"amount": 100}, {"amount": "x"}]})
        );
        // Back to the form's pairs, and again the same object.
        let again = values(&kind(), &pairs_of(&v));
        assert_eq!(again, v);
    }

    #[test]
    fn problems_show_beside_their_inputs_with_the_values_kept() {
        let problems = vec![
            FieldProblem::new("fields.n", "应为整数"),
            FieldProblem::new("fields.rows[0].amount", "必填"),
            FieldProblem::new("fields", "整体问题"),
        ];
        let html = inputs(Lang::Zh, &kind(), &p(&[("f.n", "twelve")]), &problems).into_string();
        assert!(html.contains("id=\"f-n-error\""), "{html}");
        assert!(html.contains("value=\"twelve\""), "{html}");
        assert!(html.contains("µg/m³"), "{html}");
        assert!(
            html.contains("id=\"f-rows-0-amount\"") && html.contains("必填"),
            "{html}"
        );
        let left = elsewhere(&kind(), &problems, &["title"]);
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].field, "fields");
    }
}
