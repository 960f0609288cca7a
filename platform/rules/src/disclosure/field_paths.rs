//! The strings inside an item's field values, at any depth, by path.
//!
//! A plugin kind's field may hold a table (an array of objects) or an object; personal
//! data in a cell is as public as in a top-level field, so the scan reads, and the public
//! rendition masks, every string. A string's path is the field's, then `.key` for an
//! object member and `.index` for an array element: `fields.parties.0.name`. That path is
//! the finding's `field`, so a redaction lands on the string it was found in.

use serde_json::Value;

/// Every string inside `value`, with its path under `prefix`, in document order.
pub fn strings<'a>(prefix: &str, value: &'a Value) -> Vec<(String, &'a str)> {
    let mut out = Vec::new();
    walk(prefix, value, &mut out);
    out
}

fn walk<'a>(path: &str, value: &'a Value, out: &mut Vec<(String, &'a str)>) {
    match value {
        Value::String(text) => out.push((path.to_string(), text)),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(&format!("{path}.{i}"), item, out);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                walk(&format!("{path}.{key}"), item, out);
            }
        }
        _ => {}
    }
}

/// `value` with every string replaced by `f(path, string)`; the rest as it is.
pub fn map_strings(prefix: &str, value: &Value, f: &mut dyn FnMut(&str, &str) -> String) -> Value {
    match value {
        Value::String(text) => Value::String(f(prefix, text)),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| map_strings(&format!("{prefix}.{i}"), item, f))
                .collect(),
        ),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, item)| {
                    (
                        key.clone(),
                        map_strings(&format!("{prefix}.{key}"), item, f),
                    )
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn strings_are_found_at_any_depth() {
        let v = json!({"a": "x", "t": [{"n": "y", "k": 3}, ["z"]], "b": true});
        let found = strings("fields", &v);
        assert_eq!(
            found,
            vec![
                ("fields.a".to_string(), "x"),
                ("fields.t.0.n".to_string(), "y"),
                ("fields.t.1.0".to_string(), "z"),
            ]
        );
    }

    #[test]
    fn mapping_keeps_the_shape() {
        let v = json!({"t": [{"n": "abc", "k": 3}], "b": null});
        let mapped = map_strings("fields", &v, &mut |path, text| format!("{path}:{text}"));
        assert_eq!(
            mapped,
            json!({"t": [{"n": "fields.t.0.n:abc", "k": 3}], "b": null})
        );
    }
}
