//! The built-in item kinds and their typed fields, as plain data and a validator that
//! lists every problem at once. Plugin kinds come with the plugin capability.

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::problem::FieldProblem;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    Text,
    /// YYYY-MM-DD
    Date,
    /// One of the listed values.
    Choice,
    /// A number ≥ 0.
    Amount,
    /// The id of another item of the same tenant (e.g. the policy an interpretation explains).
    ItemRef,
    /// Markdown text of up to 50,000 characters (a section of the annual report).
    LongText,
    /// The annual report's figures: an object of cell id (`t3:new:person`) → whole number ≥ 0.
    Figures,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldSpec {
    pub name: &'static str,
    pub label_zh: &'static str,
    #[serde(rename = "type")]
    pub ty: FieldType,
    pub required: bool,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>))]
    pub choices: &'static [&'static str],
    /// Shown masked as a private person's name (张*三) when `party_type` is a natural person.
    #[serde(skip)]
    pub person_name: bool,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KindSpec {
    pub code: &'static str,
    pub label_zh: &'static str,
    /// Counted in the annual report's table of administrative decisions.
    pub decision_record: bool,
    /// Made by another capability, never through the item API (`reports`: the annual
    /// report's item, made when the report is submitted; its fields are the frozen
    /// report and are not edited by hand).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub made_by: Option<&'static str>,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<FieldSpec>))]
    pub fields: &'static [FieldSpec],
}

const fn f(name: &'static str, label_zh: &'static str, ty: FieldType, required: bool) -> FieldSpec {
    FieldSpec {
        name,
        label_zh,
        ty,
        required,
        choices: &[],
        person_name: false,
    }
}

const PARTY_TYPES: &[&str] = &["natural_person", "legal_person", "other"];

const DECISION_FIELDS: &[FieldSpec] = &[
    f("document_number", "决定文书号", FieldType::Text, true),
    FieldSpec {
        person_name: true,
        ..f("party", "行政相对人名称", FieldType::Text, true)
    },
    FieldSpec {
        choices: PARTY_TYPES,
        ..f("party_type", "相对人类别", FieldType::Choice, true)
    },
    f("decided_on", "决定日期", FieldType::Date, true),
    f("legal_basis", "依据", FieldType::Text, true),
    f("content", "决定内容", FieldType::Text, true),
    // A batch item publishes several decisions at once; the annual report's table 2
    // (国办公开办函〔2021〕30号, 本年处理决定数量) counts decisions, not items. Absent = 1.
    f("decision_count", "本批决定数量", FieldType::Amount, false),
];

pub const KINDS: &[KindSpec] = &[
    KindSpec {
        code: "notice",
        label_zh: "通知公告",
        decision_record: false,
        made_by: None,
        fields: &[f("document_number", "文号", FieldType::Text, false)],
    },
    KindSpec {
        code: "policy",
        label_zh: "政策文件（规章/行政规范性文件）",
        decision_record: false,
        made_by: None,
        fields: &[
            FieldSpec {
                choices: &["regulation", "normative"],
                ..f("policy_type", "文件类别", FieldType::Choice, true)
            },
            f("document_number", "文号", FieldType::Text, true),
            f("issued_on", "成文日期", FieldType::Date, true),
            f("effective_on", "施行日期", FieldType::Date, true),
            f("expires_on", "有效期至", FieldType::Date, false),
        ],
    },
    KindSpec {
        code: "licensing",
        label_zh: "行政许可",
        decision_record: true,
        made_by: None,
        fields: DECISION_FIELDS,
    },
    KindSpec {
        code: "penalty",
        label_zh: "行政处罚",
        decision_record: true,
        made_by: None,
        fields: DECISION_FIELDS,
    },
    KindSpec {
        code: "enforcement",
        label_zh: "行政强制",
        decision_record: true,
        made_by: None,
        fields: DECISION_FIELDS,
    },
    KindSpec {
        code: "fee",
        label_zh: "行政事业性收费",
        decision_record: false,
        made_by: None,
        fields: &[
            f("fee_name", "收费项目", FieldType::Text, true),
            f("standard", "收费标准", FieldType::Text, true),
            f("basis", "收费依据", FieldType::Text, true),
            f("amount_yuan", "金额（元）", FieldType::Amount, false),
            // The annual report's 本年收费金额 counts an amount in the year its period ends
            // (absent: the year the item was first published).
            f("period_end", "收费统计截止日期", FieldType::Date, false),
        ],
    },
    KindSpec {
        code: "news",
        label_zh: "工作动态",
        decision_record: false,
        made_by: None,
        fields: &[f("source", "来源", FieldType::Text, false)],
    },
    KindSpec {
        code: "interpretation",
        label_zh: "政策解读",
        decision_record: false,
        made_by: None,
        fields: &[
            f("policy_item_id", "所解读的政策", FieldType::ItemRef, true),
            f("interpreter", "解读机关或解读人", FieldType::Text, false),
        ],
    },
    // 政府信息公开工作年度报告 (国办公开办函〔2021〕30号): the report as submitted, frozen in
    // the item's version, so what the review chain signs is what the portal shows.
    KindSpec {
        code: "annual_report",
        label_zh: "政府信息公开工作年度报告",
        decision_record: false,
        made_by: Some("reports"),
        fields: &[
            f("report_year", "报告年度", FieldType::Amount, true),
            f("overview", "一、总体情况", FieldType::LongText, false),
            f(
                "problems",
                "五、存在的主要问题及改进情况",
                FieldType::LongText,
                false,
            ),
            f(
                "other_matters",
                "六、其他需要报告的事项",
                FieldType::LongText,
                false,
            ),
            f("figures", "表二至表四数据", FieldType::Figures, true),
        ],
    },
];

pub fn kind(code: &str) -> Option<&'static KindSpec> {
    KINDS.iter().find(|k| k.code == code)
}

pub fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// Checks `fields` against the kind: every problem, each named `fields.<name>`. Item
/// references are only checked for shape here; the service checks that they exist.
pub fn validate(kind: &KindSpec, fields: &Value) -> Vec<FieldProblem> {
    let mut problems = Vec::new();
    let empty = Map::new();
    let map = match fields {
        Value::Object(map) => map,
        Value::Null => &empty,
        _ => {
            problems.push(FieldProblem::new("fields", "must be an object"));
            return problems;
        }
    };
    for name in map.keys() {
        if !kind.fields.iter().any(|s| s.name == name) {
            problems.push(FieldProblem::new(
                format!("fields.{name}"),
                format!("a {} item has no field `{name}`", kind.code),
            ));
        }
    }
    for spec in kind.fields {
        let path = format!("fields.{}", spec.name);
        let value = map.get(spec.name).filter(|v| !v.is_null());
        let Some(value) = value else {
            if spec.required {
                problems.push(FieldProblem::new(
                    path,
                    format!("{} is required", spec.label_zh),
                ));
            }
            continue;
        };
        match spec.ty {
            FieldType::Figures => {
                let ok = value.as_object().is_some_and(|cells| {
                    cells.iter().all(|(cell, n)| {
                        cell.parse::<crate::annual_report::Cell>().is_ok()
                            && n.as_i64().is_some_and(|n| n >= 0)
                    })
                });
                if !ok {
                    problems.push(FieldProblem::new(
                        path,
                        "must map report cells (t3:new:person) to whole numbers ≥ 0",
                    ));
                }
            }
            FieldType::Amount => match value.as_f64() {
                Some(n) if n >= 0.0 && n.is_finite() => {}
                _ => problems.push(FieldProblem::new(path, "must be a number ≥ 0")),
            },
            _ => {
                let Some(text) = value.as_str() else {
                    problems.push(FieldProblem::new(path, "must be text"));
                    continue;
                };
                let text = text.trim();
                if text.is_empty() {
                    if spec.required {
                        problems.push(FieldProblem::new(
                            path,
                            format!("{} is required", spec.label_zh),
                        ));
                    }
                    continue;
                }
                match spec.ty {
                    FieldType::Date if parse_date(text).is_none() => {
                        problems.push(FieldProblem::new(path, "must be a date YYYY-MM-DD"))
                    }
                    FieldType::Choice if !spec.choices.contains(&text) => {
                        problems.push(FieldProblem::new(
                            path,
                            format!("must be one of {}", spec.choices.join(", ")),
                        ))
                    }
                    FieldType::ItemRef if uuid::Uuid::parse_str(text).is_err() => {
                        problems.push(FieldProblem::new(path, "must be an item id"))
                    }
                    FieldType::Text if text.chars().count() > 2000 => {
                        problems.push(FieldProblem::new(path, "at most 2000 characters"))
                    }
                    FieldType::LongText if text.chars().count() > 50_000 => {
                        problems.push(FieldProblem::new(path, "at most 50000 characters"))
                    }
                    _ => {}
                }
            }
        }
    }
    // Cross-field rules.
    let date = |name: &str| map.get(name).and_then(Value::as_str).and_then(parse_date);
    if let (Some(issued), Some(effective)) = (date("issued_on"), date("effective_on")) {
        if effective < issued {
            problems.push(FieldProblem::new(
                "fields.effective_on",
                "a document cannot take effect before it is issued",
            ));
        }
    }
    if let (Some(effective), Some(expires)) = (date("effective_on"), date("expires_on")) {
        if expires <= effective {
            problems.push(FieldProblem::new(
                "fields.expires_on",
                "must be after the effective date",
            ));
        }
    }
    problems
}

/// The fields with their text trimmed and empty optional values dropped.
pub fn normalize(fields: &Value) -> Value {
    let mut out = Map::new();
    if let Value::Object(map) = fields {
        for (k, v) in map {
            match v {
                Value::String(s) if s.trim().is_empty() => {}
                Value::String(s) => {
                    out.insert(k.clone(), Value::String(s.trim().to_string()));
                }
                Value::Null => {}
                other => {
                    out.insert(k.clone(), other.clone());
                }
            }
        }
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_policy_lists_every_problem_at_once() {
        let policy = kind("policy").unwrap();
        let problems = validate(
            policy,
            &json!({"policy_type": "law", "issued_on": "2026-13-01", "effective_on": 5, "colour": "red"}),
        );
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            vec![
                "fields.colour",
                "fields.policy_type",
                "fields.document_number",
                "fields.issued_on",
                "fields.effective_on"
            ],
            "{problems:?}"
        );
    }

    #[test]
    fn dates_must_be_in_order_and_a_valid_policy_passes() {
        let policy = kind("policy").unwrap();
        let ok = json!({"policy_type": "normative", "document_number": "示政规〔2026〕3号",
                        "issued_on": "2026-03-01", "effective_on": "2026-04-01"});
        assert!(validate(policy, &ok).is_empty());
        let bad = json!({"policy_type": "normative", "document_number": "x",
                         "issued_on": "2026-03-01", "effective_on": "2026-02-01", "expires_on": "2026-01-01"});
        let fields: Vec<String> = validate(policy, &bad)
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(fields, vec!["fields.effective_on", "fields.expires_on"]);
    }

    #[test]
    fn kinds_without_required_fields_accept_nothing_and_amounts_are_numbers() {
        assert!(validate(kind("news").unwrap(), &Value::Null).is_empty());
        let fee = kind("fee").unwrap();
        let problems = validate(
            fee,
            &json!({"fee_name": "a", "standard": "b", "basis": "c", "amount_yuan": -1}),
        );
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].field, "fields.amount_yuan");
        assert!(validate(
            kind("interpretation").unwrap(),
            &json!({"policy_item_id": "x"})
        )
        .iter()
        .any(|p| p.field == "fields.policy_item_id"));
        assert!(validate(kind("notice").unwrap(), &json!([1])).len() == 1);
    }
}
