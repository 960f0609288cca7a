//! Generic validation against the declared schema.

use crate::{Context, Date, FieldType, Fields, ItemKind, Problems, Severity, ValueType};
use serde_json::Value;

/// Checks `fields` against `kind`'s declared fields: required values, value
/// shapes, enumeration options, table rows and columns, GB 11643 identity
/// numbers and GB 32100 organisation codes. Unknown keys are warnings
/// (derived keys are accepted silently).
pub fn check_schema(kind: &ItemKind, fields: &Fields, ctx: &Context) -> Problems {
    let mut p = Problems::new();
    for f in &kind.fields {
        if f.required && !fields.is_set(&f.id) {
            let msg = ctx.msg(
                format!("{}为必填项", f.label.zh),
                format!("{} is required", f.label.en),
            );
            p.push(&fields.path(&f.id), Severity::Error, "required", msg);
            continue;
        }
        match &f.field_type {
            FieldType::Value(t) => check_value(fields, &f.id, t, ctx, &mut p),
            FieldType::Table(cols) => {
                if let Some(rows) = p.take(fields.table(&f.id)) {
                    for row in rows {
                        for c in cols {
                            if c.required && !row.is_set(&c.id) {
                                let msg = ctx.msg(
                                    format!("{}为必填项", c.label.zh),
                                    format!("{} is required", c.label.en),
                                );
                                p.push(&row.path(&c.id), Severity::Error, "required", msg);
                            } else {
                                check_value(&row, &c.id, &c.value_type, ctx, &mut p);
                            }
                        }
                    }
                }
            }
        }
    }
    for key in fields.as_map().keys() {
        let known = kind
            .fields
            .iter()
            .chain(&kind.derived)
            .any(|f| &f.id == key);
        if !known {
            let msg = ctx.msg(
                format!("未定义的字段 {key}"),
                format!("unknown field {key}"),
            );
            p.push(key, Severity::Warning, "unknown-field", msg);
        }
    }
    p
}

fn check_value(fields: &Fields, key: &str, t: &ValueType, ctx: &Context, p: &mut Problems) {
    if fields.get(key).is_none() {
        return;
    }
    let path = fields.path(key);
    match t {
        ValueType::Text | ValueType::RichText | ValueType::PersonName => {
            p.take(fields.text(key));
        }
        ValueType::Integer => {
            p.take(fields.integer(key));
        }
        ValueType::Decimal(_) | ValueType::Money(_) => {
            p.take(fields.decimal(key));
        }
        ValueType::Boolean => {
            p.take(fields.boolean(key));
        }
        ValueType::Date => {
            p.take(fields.date(key));
        }
        ValueType::DateTime => {
            p.take(fields.datetime(key));
        }
        ValueType::Enumeration(opts) => {
            let v = fields.get(key);
            if !opts
                .iter()
                .any(|o| v == Some(&Value::String(o.value.clone())))
            {
                let list: Vec<&str> = opts.iter().map(|o| o.value.as_str()).collect();
                let msg = ctx.msg(
                    format!("取值应为：{}", list.join("、")),
                    format!("must be one of: {}", list.join(", ")),
                );
                p.push(&path, Severity::Error, "option", msg);
            }
        }
        ValueType::IdentityNumber => {
            if let Some(s) = p.take(fields.text(key)) {
                if !valid_identity_number(s) {
                    let msg = ctx.msg("身份证号码无效", "not a valid resident identity number");
                    p.push(&path, Severity::Error, "identity-number", msg);
                }
            }
        }
        ValueType::OrganisationCode => {
            if let Some(s) = p.take(fields.text(key)) {
                if !valid_credit_code(s) {
                    let msg = ctx.msg(
                        "统一社会信用代码无效",
                        "not a valid unified social credit code",
                    );
                    p.push(&path, Severity::Error, "organisation-code", msg);
                }
            }
        }
    }
}

/// GB 11643 resident identity number: 17 digits + check character, with a
/// valid birth date in digits 7–14.
pub fn valid_identity_number(s: &str) -> bool {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const C: &[u8; 11] = b"10X98765432";
    let b = s.as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let sum: u32 = b[..17]
        .iter()
        .zip(W)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    let birth = format!("{}-{}-{}", &s[6..10], &s[10..12], &s[12..14]);
    C[(sum % 11) as usize] == b[17].to_ascii_uppercase() && Date::parse(&birth).is_some()
}

/// GB 32100 unified social credit code: 18 characters from the code set,
/// last one a mod-31 check character.
pub fn valid_credit_code(s: &str) -> bool {
    s.len() == 18
        && s.is_char_boundary(17)
        && credit_code_check_char(&s[..17]).is_some_and(|c| s.ends_with(c))
}

/// The GB 32100 check character of a credit code's first 17 characters
/// (weights 3^i mod 31, check = 31 − sum mod 31); `None` when `first17` is
/// not 17 characters of the code set (digits and capitals without I, O, S, V, Z).
pub fn credit_code_check_char(first17: &str) -> Option<char> {
    const SET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    const W: [u32; 17] = [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ];
    let b = first17.as_bytes();
    if b.len() != 17 {
        return None;
    }
    let mut sum = 0;
    for (c, w) in b.iter().zip(W) {
        sum += SET.iter().position(|x| x == c)? as u32 * w;
    }
    Some(char::from(SET[((31 - sum % 31) % 31) as usize]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Field, TestCalendar};
    use serde_json::json;

    #[test]
    fn id_and_credit_codes() {
        assert!(valid_identity_number("11010519491231002X"));
        assert!(!valid_identity_number("110105194912310021"));
        assert!(!valid_identity_number("110105194913310023"));
        assert!(valid_credit_code("91350100M000100Y43"));
        assert!(!valid_credit_code("91350100M000100Y44"));
        assert_eq!(credit_code_check_char("91350100M000100Y4"), Some('3'));
        assert_eq!(credit_code_check_char("91350100M000100I4"), None);
        assert!(!valid_credit_code("91350100M000100Y4é"));
    }

    #[test]
    fn schema() {
        let kind = ItemKind::new("k", "k", "k")
            .field(Field::text("name").required())
            .field(Field::enumeration("t").option("a", "甲", "A"))
            .field(Field::table("rows", vec![Field::decimal("v").required()]));
        let cal = TestCalendar::weekdays();
        let ctx = Context::new("t", Date::new(2026, 3, 2).unwrap(), "en").with_calendar(&cal);
        let p = check_schema(
            &kind,
            &Fields::from_value(json!({"t": "b", "rows": [{"v": 1}, {}], "x": 1})),
            &ctx,
        );
        let paths: Vec<_> = p
            .iter()
            .map(|p| (p.path.as_str(), p.code.as_str()))
            .collect();
        assert_eq!(
            paths,
            [
                ("name", "required"),
                ("t", "option"),
                ("rows[1].v", "required"),
                ("x", "unknown-field")
            ]
        );
    }
}
