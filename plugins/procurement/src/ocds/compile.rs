//! Compiling the releases of one ocid into its current state.

use gongkai_plugin_sdk::serde_json::{json, Map, Value};

/// The compiled release of one ocid's releases (oldest first), by the OCDS
/// merge rules: objects merge, arrays of objects with `id` merge by id,
/// other values are replaced by later releases, `null` removes.
pub fn compile(releases: &[Value]) -> Value {
    let mut compiled = Map::new();
    for r in releases {
        if let Some(o) = r.as_object() {
            merge(&mut compiled, o);
        }
    }
    let last = releases.last();
    let ocid = last.and_then(|r| r["ocid"].as_str()).unwrap_or("");
    let date = last.and_then(|r| r["date"].as_str()).unwrap_or("");
    compiled.insert("id".into(), format!("{ocid}-compiled").into());
    compiled.insert("date".into(), date.into());
    compiled.insert("tag".into(), json!(["compiled"]));
    compiled.into()
}

fn identified(a: &[Value]) -> bool {
    !a.is_empty() && a.iter().all(|x| x.get("id").is_some())
}

fn merge(into: &mut Map<String, Value>, from: &Map<String, Value>) {
    for (k, v) in from {
        match v {
            Value::Null => {
                into.remove(k);
            }
            Value::Object(o) => {
                let slot = into.entry(k.clone()).or_insert_with(|| json!({}));
                if !slot.is_object() {
                    *slot = json!({});
                }
                merge(slot.as_object_mut().expect("an object"), o);
            }
            Value::Array(items) if identified(items) => {
                let slot = into.entry(k.clone()).or_insert_with(|| json!([]));
                if !slot
                    .as_array()
                    .is_some_and(|a| identified(a) || a.is_empty())
                {
                    *slot = json!([]);
                }
                let list = slot.as_array_mut().expect("an array");
                for item in items {
                    let found = list.iter_mut().find(|x| x.get("id") == item.get("id"));
                    match (found, item.as_object()) {
                        (Some(Value::Object(existing)), Some(o)) => merge(existing, o),
                        _ => list.push(item.clone()),
                    }
                }
            }
            other => {
                into.insert(k.clone(), other.clone());
            }
        }
    }
}
