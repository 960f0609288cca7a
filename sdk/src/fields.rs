//! Typed access to an item's fields (a JSON object).

use crate::{Date, DateTime, Problem};
pub use serde_json::Value;

/// A JSON object (field id -> value).
pub type Map = serde_json::Map<String, Value>;

/// An item's fields: the JSON object that crossed the boundary.
/// Typed getters give `Ok(None)` for a missing key or `null`, and a
/// [`Problem`] (code "type") naming the field path when the value has the
/// wrong shape; [`crate::Problems::take`] turns that into `Option`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fields {
    map: Map,
    /// Path prefix for problems ("rows[2]." for a table row).
    prefix: String,
}

fn parse_decimal_str(s: &str) -> Option<f64> {
    let t = s.trim();
    let body = t.strip_prefix('-').unwrap_or(t);
    let ok = !body.is_empty()
        && body.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && body.bytes().filter(|&b| b == b'.').count() <= 1
        && !body.starts_with('.')
        && !body.ends_with('.');
    if ok {
        t.parse().ok()
    } else {
        None
    }
}

impl Fields {
    pub fn new(map: Map) -> Fields {
        Fields {
            map,
            prefix: String::new(),
        }
    }

    /// Parses the JSON text; it must be one JSON object.
    pub fn from_json(json: &str) -> Result<Fields, String> {
        match serde_json::from_str::<Value>(json) {
            Ok(Value::Object(map)) => Ok(Fields::new(map)),
            Ok(_) => Err("fields must be a JSON object".into()),
            Err(e) => Err(format!("fields are not valid JSON: {e}")),
        }
    }

    /// Builds fields from a `serde_json::json!({...})` value (tests).
    pub fn from_value(v: Value) -> Fields {
        match v {
            Value::Object(map) => Fields::new(map),
            _ => Fields::default(),
        }
    }

    pub fn as_map(&self) -> &Map {
        &self.map
    }
    pub fn into_map(self) -> Map {
        self.map
    }
    pub fn to_json(&self) -> String {
        Value::Object(self.map.clone()).to_string()
    }

    /// The full path of a key, including a table row prefix.
    pub fn path(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    /// The raw value; `null` counts as missing.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }
    pub fn is_set(&self, key: &str) -> bool {
        match self.get(key) {
            None => false,
            Some(Value::String(s)) => !s.trim().is_empty(),
            Some(Value::Array(a)) => !a.is_empty(),
            Some(_) => true,
        }
    }

    fn wrong(&self, key: &str, expected: &str) -> Problem {
        Problem::error(
            &self.path(key),
            "type",
            format!(
                "{} must be {expected} / 应为{}",
                self.path(key),
                zh_of(expected)
            ),
        )
    }

    pub fn text(&self, key: &str) -> Result<Option<&str>, Problem> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.as_str())),
            Some(_) => Err(self.wrong(key, "a text")),
        }
    }

    /// A number, or a string holding a decimal ("35.5").
    pub fn decimal(&self, key: &str) -> Result<Option<f64>, Problem> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Number(n)) => n
                .as_f64()
                .map(Some)
                .ok_or_else(|| self.wrong(key, "a number")),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => parse_decimal_str(s)
                .map(Some)
                .ok_or_else(|| self.wrong(key, "a number")),
            Some(_) => Err(self.wrong(key, "a number")),
        }
    }

    pub fn integer(&self, key: &str) -> Result<Option<i64>, Problem> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Number(n)) => n
                .as_i64()
                .map(Some)
                .ok_or_else(|| self.wrong(key, "an integer")),
            Some(_) => Err(self.wrong(key, "an integer")),
        }
    }

    pub fn boolean(&self, key: &str) -> Result<Option<bool>, Problem> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(self.wrong(key, "true or false")),
        }
    }

    pub fn date(&self, key: &str) -> Result<Option<Date>, Problem> {
        match self.text(key)? {
            None => Ok(None),
            Some(s) if s.trim().is_empty() => Ok(None),
            Some(s) => Date::parse(s)
                .map(Some)
                .ok_or_else(|| self.wrong(key, "a date (YYYY-MM-DD)")),
        }
    }

    pub fn datetime(&self, key: &str) -> Result<Option<DateTime>, Problem> {
        match self.text(key)? {
            None => Ok(None),
            Some(s) if s.trim().is_empty() => Ok(None),
            Some(s) => DateTime::parse(s)
                .map(Some)
                .ok_or_else(|| self.wrong(key, "a date-time (YYYY-MM-DDTHH:MM)")),
        }
    }

    /// Rows of a table field; each row's problems carry the path `key[i].column`.
    pub fn table(&self, key: &str) -> Result<Option<Vec<Fields>>, Problem> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Array(rows)) => rows
                .iter()
                .enumerate()
                .map(|(i, row)| match row {
                    Value::Object(m) => Ok(Fields {
                        map: m.clone(),
                        prefix: format!("{}[{i}].", self.path(key)),
                    }),
                    _ => Err(Problem::error(
                        &format!("{}[{i}]", self.path(key)),
                        "type",
                        "table rows must be objects / 表格行应为对象",
                    )),
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some(_) => Err(self.wrong(key, "a table")),
        }
    }

    /// Sets a value (used when building derived fields or test input).
    pub fn set(&mut self, key: &str, v: impl Into<Value>) {
        self.map.insert(key.to_string(), v.into());
    }
}

fn zh_of(expected: &str) -> &'static str {
    match expected {
        "a text" => "文本",
        "a number" => "数值",
        "an integer" => "整数",
        "true or false" => "是或否",
        "a table" => "表格",
        "a date (YYYY-MM-DD)" => "日期（YYYY-MM-DD）",
        "a date-time (YYYY-MM-DDTHH:MM)" => "日期时间（YYYY-MM-DDTHH:MM）",
        _ => "正确的格式",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn typed_access() {
        let f = Fields::from_value(json!({
            "a": "x", "n": 35.5, "s": "12.30", "bad": "12,3", "i": 7, "d": "2026-03-01",
            "null": null, "rows": [{"c": 1}, 5]
        }));
        assert_eq!(f.text("a").unwrap(), Some("x"));
        assert_eq!(f.decimal("n").unwrap(), Some(35.5));
        assert_eq!(f.decimal("s").unwrap(), Some(12.3));
        assert!(f.decimal("bad").is_err());
        assert_eq!(f.decimal("null").unwrap(), None);
        assert_eq!(f.decimal("missing").unwrap(), None);
        assert_eq!(f.integer("i").unwrap(), Some(7));
        assert!(f.integer("n").is_err());
        assert_eq!(f.date("d").unwrap(), Date::new(2026, 3, 1));
        let err = f.table("rows").unwrap_err();
        assert_eq!(err.path, "rows[1]");
        assert!(Fields::from_json("[1]").is_err());
        assert!(Fields::from_json("{").is_err());
    }

    #[test]
    fn row_paths() {
        let f = Fields::from_value(json!({"rows": [{"c": "x"}]}));
        let rows = f.table("rows").unwrap().unwrap();
        assert_eq!(rows[0].decimal("c").unwrap_err().path, "rows[0].c");
    }
}
