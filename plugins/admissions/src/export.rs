//! Exports: `lottery-package` (everything needed to re-run each draw, JSON)
//! and `results-csv` (admission lists, masked). Derived values are recomputed
//! from the input fields, never taken from storage.

use crate::{draw, kinds, lottery, value_text, PLACEMENT, RESULTS};
use gongkai_plugin_sdk::{serde_json::json, ExportItem, ExportOutput, PluginError, Value};

pub const JSON_MEDIA_TYPE: &str = "application/json";
pub const CSV_MEDIA_TYPE: &str = "text/csv; charset=utf-8";
/// The package's own format version (LOTTERY.md §7).
pub const PACKAGE_FORMAT: &str = "gongkai-lottery-package/1";

fn only(kind: &str, item: &ExportItem, format: &str) -> Result<(), PluginError> {
    if item.kind == kind {
        Ok(())
    } else {
        Err(PluginError::BadInput(format!(
            "{format} exports {kind} items only; item {} is {}",
            item.id, item.kind
        )))
    }
}

/// One entry per draw: inputs, commitment, reveal (null before the draw),
/// seed, placement and the digests, as LOTTERY.md §7 describes.
pub fn lottery_package(items: &[ExportItem]) -> Result<ExportOutput, PluginError> {
    let mut draws = Vec::new();
    for item in items {
        only(PLACEMENT, item, "lottery-package")?;
        let f = &item.fields;
        let inputs = draw::inputs(f);
        let derived = draw::derive(f);
        let commitment = draw::commitment(f);
        // The secret is public only together with its placement.
        let reveal = draw::reveal(f).filter(|_| derived.contains_key("placement"));
        let text = |k: &str| value_text(f.get(k));
        draws.push(json!({
            "item": item.id,
            "published_at": item.published_at,
            "school": text("school"),
            "grade": text("grade"),
            "draw_date": text("draw_date"),
            "inputs": inputs_json(&inputs),
            "inputs_digest": derived.get("inputs_digest"),
            "commitment": {
                "secret_sha256": commitment.secret_sha256,
                "public_source": commitment.public_source,
            },
            "reveal": reveal.map(|r| json!({"secret": r.secret, "public_value": r.public_value})),
            "seed": derived.get("seed"),
            "placement": derived.get("placement"),
            "placement_digest": derived.get("placement_digest"),
        }));
    }
    Ok(ExportOutput {
        media_type: JSON_MEDIA_TYPE.into(),
        extension: "json".into(),
        bytes: package_json(draws).to_string().into_bytes(),
    })
}

/// A package holding these draws (LOTTERY.md §7).
pub fn package_json(draws: Vec<Value>) -> Value {
    json!({
        "format": PACKAGE_FORMAT,
        "algorithm": lottery::VERSION,
        "draws": draws,
    })
}

/// The `inputs` of a package entry.
pub fn inputs_json(inputs: &lottery::DrawInputs) -> Value {
    json!({
        "version": inputs.version,
        "constraints": inputs.constraints,
        "classes": inputs.classes.iter()
            .map(|c| json!({"name": c.name, "size": c.size}))
            .collect::<Vec<_>>(),
        "students": inputs.students.iter()
            .map(|s| json!({"id": s.id, "attrs": s.attrs}))
            .collect::<Vec<_>>(),
    })
}

fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// RFC 4180 (CRLF), UTF-8 with a byte-order mark; one row per admitted
/// student, masked exactly as on the portal.
pub fn results_csv(items: &[ExportItem]) -> Result<ExportOutput, PluginError> {
    let mut out = String::from("\u{feff}school,year,batch,name,registration_no,category\r\n");
    for item in items {
        only(RESULTS, item, "results-csv")?;
        let derived = kinds::derive_results(&item.fields);
        let head = ["school", "year", "batch"].map(|k| csv_cell(&value_text(item.fields.get(k))));
        let list = derived.get("public_list").and_then(Value::as_array);
        for row in list.into_iter().flatten() {
            let cells =
                ["name", "registration_no", "category"].map(|k| csv_cell(&value_text(row.get(k))));
            out.push_str(&head.join(","));
            out.push(',');
            out.push_str(&cells.join(","));
            out.push_str("\r\n");
        }
    }
    Ok(ExportOutput {
        media_type: CSV_MEDIA_TYPE.into(),
        extension: "csv".into(),
        bytes: out.into_bytes(),
    })
}
