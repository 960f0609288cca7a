//! An item of a plugin's kind shows its fields as the plugin describes them: labels in
//! the page language, units, option labels, tables with their column headers, and the
//! values the plugin derived (e.g. an AQI and its level), after the entered ones.

use maud::{html, Markup};
use serde_json::{Map, Value};

use crate::app::AppState;
use crate::plugins::model::{Field, FieldType, ItemKind, Localized, ValueType};
use crate::tenancy::Tenant;
use crate::web::Lang;

/// The description of `kind` (`plugin/kind`) in the tenant's enabled version, if any.
pub async fn kind_of(state: &AppState, tenant: &Tenant, kind: &str) -> Option<ItemKind> {
    let (plugin, id) = kind.split_once('/')?;
    let packages = crate::plugins::service::enabled_packages(&state.plugins, tenant)
        .await
        .ok()?;
    packages
        .into_iter()
        .find(|p| p.id == plugin)?
        .manifest
        .kinds
        .into_iter()
        .find(|k| k.id == id)
}

/// The kind's name in the page language.
pub fn kind_name(lang: Lang, kind: &ItemKind) -> String {
    text(lang, &kind.name)
}

fn text(lang: Lang, l: &Localized) -> String {
    match lang {
        Lang::En if !l.en.trim().is_empty() => l.en.clone(),
        _ => l.zh.clone(),
    }
}

/// One value as people read it, with its unit.
fn value(lang: Lang, ty: &ValueType, v: &Value) -> String {
    let plain = match v {
        Value::String(s) => s.clone(),
        Value::Null => return String::new(),
        other => other.to_string(),
    };
    match ty {
        ValueType::Decimal { unit } | ValueType::Money { unit } if !unit.is_empty() => {
            format!("{plain} {unit}")
        }
        ValueType::Enumeration { options } => options
            .iter()
            .find(|o| o.value == plain)
            .map_or(plain, |o| text(lang, &o.label)),
        ValueType::Boolean => match v.as_bool() {
            Some(true) => lang.t("value-yes"),
            Some(false) => lang.t("value-no"),
            None => plain,
        },
        _ => plain,
    }
}

fn unit_of(ty: &ValueType) -> Option<&str> {
    match ty {
        ValueType::Decimal { unit } | ValueType::Money { unit } if !unit.is_empty() => Some(unit),
        _ => None,
    }
}

fn field(lang: Lang, f: &Field, fields: &Map<String, Value>) -> Markup {
    let Some(v) = fields.get(&f.id).filter(|v| !v.is_null()) else {
        return html! {};
    };
    match &f.field_type {
        FieldType::Value { value_type } => html! {
            dt { (text(lang, &f.label)) }
            dd class={ "value value-" (v.as_str().unwrap_or("")) } { (value(lang, value_type, v)) }
        },
        FieldType::Table { columns } => {
            let rows = v.as_array().cloned().unwrap_or_default();
            html! {
                dt class="table-label" { (text(lang, &f.label)) }
                dd class="table-value" {
                    div class="table-scroll" {
                        table {
                            thead {
                                tr {
                                    @for c in columns {
                                        th scope="col" {
                                            (text(lang, &c.label))
                                            @if let Some(unit) = unit_of(&c.value_type) { " (" (unit) ")" }
                                        }
                                    }
                                }
                            }
                            tbody {
                                @for row in &rows {
                                    tr {
                                        @for c in columns {
                                            @let cell = row.get(&c.id).cloned().unwrap_or(Value::Null);
                                            td { (value(lang, &strip_unit(&c.value_type), &cell)) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// In a table the unit stands in the column header, not in every cell.
fn strip_unit(ty: &ValueType) -> ValueType {
    match ty {
        ValueType::Decimal { .. } => ValueType::Decimal {
            unit: String::new(),
        },
        ValueType::Money { .. } => ValueType::Money {
            unit: String::new(),
        },
        other => other.clone(),
    }
}

/// The few fields of a kind a home-page table has room for: the first two entered
/// values (what and when: a station and its time), then the derived values (what the
/// plugin computed: an AQI and its level), five at most. Long text, tables and derived
/// values that come in a family of three or more sharing a prefix (the IAQI of each
/// pollutant: `iaqi_pm25`, `iaqi_o3`…) are left to the item's page.
pub fn summary_fields(kind: &ItemKind) -> Vec<&Field> {
    let scalar = |f: &&Field| match &f.field_type {
        FieldType::Value { value_type } => !matches!(value_type, ValueType::RichText),
        FieldType::Table { .. } => false,
    };
    fn family(f: &Field) -> Option<&str> {
        f.id.split_once('_').map(|(prefix, _)| prefix)
    }
    let in_family = |f: &&Field| {
        family(f).is_some_and(|p| kind.derived.iter().filter(|g| family(g) == Some(p)).count() >= 3)
    };
    kind.fields
        .iter()
        .filter(scalar)
        .take(2)
        .chain(kind.derived.iter().filter(scalar).filter(|f| !in_family(f)))
        .take(5)
        .collect()
}

/// A compact table of `items` of `kind`: the title, then [`summary_fields`]. Item pages
/// are at `href(id)`.
pub fn summary_table(
    lang: Lang,
    kind: &ItemKind,
    items: &[(&str, &str, &Value)],
    href: impl Fn(&str) -> String,
) -> Markup {
    let columns = summary_fields(kind);
    html! {
        div class="table-scroll" {
            table class="plugin-summary" {
                caption { (text(lang, &kind.catalog.portal_column)) }
                thead {
                    tr {
                        th scope="col" { (lang.t("col-title")) }
                        @for f in &columns {
                            th scope="col" {
                                (text(lang, &f.label))
                                @if let FieldType::Value { value_type } = &f.field_type {
                                    @if let Some(unit) = unit_of(value_type) { " (" (unit) ")" }
                                }
                            }
                        }
                    }
                }
                tbody {
                    @for (id, title, fields) in items {
                        tr {
                            th scope="row" { a href=(href(id)) lang="zh-CN" { (title) } }
                            @for f in &columns {
                                @let v = fields.get(&f.id).cloned().unwrap_or(Value::Null);
                                @if let FieldType::Value { value_type } = &f.field_type {
                                    td class={ "value value-" (v.as_str().unwrap_or("")) } {
                                        (value(lang, &strip_unit(value_type), &v))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The item's fields, entered then derived, as the plugin describes them.
pub fn render(lang: Lang, kind: &ItemKind, fields: &Map<String, Value>) -> Markup {
    html! {
        dl class="facts plugin-fields" {
            @for f in &kind.fields { (field(lang, f, fields)) }
            @for f in &kind.derived { (field(lang, f, fields)) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plugins::model::{CatalogPlacement, Column, EnumOption};

    fn l(zh: &str, en: &str) -> Localized {
        Localized {
            zh: zh.into(),
            en: en.into(),
        }
    }

    fn f(id: &str, label: Localized, field_type: FieldType) -> Field {
        Field {
            id: id.into(),
            label,
            field_type,
            required: false,
            help: None,
        }
    }

    #[test]
    fn labels_units_options_tables_and_derived_values() {
        let kind = ItemKind {
            id: "aqi".into(),
            name: l("空气质量", "Air quality"),
            fields: vec![
                f(
                    "pm25",
                    l("PM2.5浓度", "PM2.5"),
                    FieldType::Value {
                        value_type: ValueType::Decimal {
                            unit: "μg/m³".into(),
                        },
                    },
                ),
                f(
                    "stations",
                    l("监测点", "Stations"),
                    FieldType::Table {
                        columns: vec![Column {
                            id: "o3".into(),
                            label: l("臭氧", "Ozone"),
                            value_type: ValueType::Decimal {
                                unit: "μg/m³".into(),
                            },
                            required: true,
                        }],
                    },
                ),
            ],
            derived: vec![f(
                "level",
                l("空气质量级别", "AQI level"),
                FieldType::Value {
                    value_type: ValueType::Enumeration {
                        options: vec![EnumOption {
                            value: "good".into(),
                            label: l("良", "Good"),
                        }],
                    },
                },
            )],
            catalog: CatalogPlacement {
                path: "重点领域/环境保护".into(),
                portal_column: l("环境保护", "Environment"),
            },
            sealed: Vec::new(),
            related_by: None,
        };
        let fields = serde_json::json!({"pm25": 35.5, "stations": [{"o3": 80}], "level": "good"});
        let zh = render(Lang::Zh, &kind, fields.as_object().unwrap()).into_string();
        assert!(
            zh.contains("<dt>PM2.5浓度</dt>") && zh.contains("35.5 μg/m³"),
            "{zh}"
        );
        assert!(
            zh.contains("<th scope=\"col\">臭氧 (μg/m³)</th>") && zh.contains("<td>80</td>"),
            "{zh}"
        );
        assert!(zh.contains("value-good") && zh.contains(">良<"), "{zh}");
        let en = render(Lang::En, &kind, fields.as_object().unwrap()).into_string();
        assert!(en.contains("AQI level") && en.contains(">Good<"), "{en}");

        // The home page's table: entered values first, no table fields, derived after.
        let ids: Vec<&str> = summary_fields(&kind)
            .iter()
            .map(|f| f.id.as_str())
            .collect();
        assert_eq!(ids, ["pm25", "level"]);
        let rows = vec![("i1", "今日空气质量", &fields)];
        let table =
            summary_table(Lang::Zh, &kind, &rows, |id| format!("/x/items/{id}")).into_string();
        assert!(table.contains("<caption>环境保护</caption>"), "{table}");
        assert!(
            table.contains("PM2.5浓度 (μg/m³)</th>") && table.contains(">35.5</td>"),
            "{table}"
        );
        assert!(table.contains("href=\"/x/items/i1\""), "{table}");
        assert!(
            table.contains("class=\"value value-good\">良</td>"),
            "{table}"
        );
    }

    #[test]
    fn a_family_of_sub_indices_stays_off_the_home_table() {
        let int = |id: &str| {
            f(
                id,
                l(id, id),
                FieldType::Value {
                    value_type: ValueType::Integer,
                },
            )
        };
        let kind = ItemKind {
            id: "aqi".into(),
            name: l("空气质量", "Air quality"),
            fields: vec![int("station"), int("time"), int("pm25")],
            derived: vec![
                int("iaqi_pm25"),
                int("iaqi_o3"),
                int("iaqi_no2"),
                int("aqi"),
                int("level"),
                int("category"),
                int("primary_pollutants"),
                int("standard"),
            ],
            catalog: CatalogPlacement {
                path: "重点领域/环境保护".into(),
                portal_column: l("空气质量", "Air quality"),
            },
            sealed: Vec::new(),
            related_by: None,
        };
        let ids: Vec<&str> = summary_fields(&kind)
            .iter()
            .map(|f| f.id.as_str())
            .collect();
        assert_eq!(ids, ["station", "time", "aqi", "level", "category"]);
    }
}
