//! Open-data exports: `csv` (air quality readings) and `json-feed`
//! (JSON Feed 1.1 of all three kinds). Derived values are recomputed from the
//! input fields, and fields the publication rules mask are left out.

use crate::{derived_for, value_text, Environment, AIR, EIA, WATER};
use gongkai_plugin_sdk::{
    serde_json::json, Context, Date, ExportItem, ExportOutput, Map, Plugin, PluginError, Value,
};

pub const CSV_MEDIA_TYPE: &str = "text/csv; charset=utf-8";
pub const FEED_MEDIA_TYPE: &str = "application/json";

const CSV_COLUMNS: [&str; 15] = [
    "station",
    "time",
    "period",
    "so2",
    "no2",
    "pm10",
    "co",
    "o3_1h",
    "o3_8h",
    "pm25",
    "aqi",
    "level",
    "category",
    "primary_pollutants",
    "standard",
];

fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// RFC 4180 (CRLF), UTF-8 with a byte-order mark so spreadsheet software
/// reads the Chinese text correctly.
pub fn csv(items: &[ExportItem]) -> Result<ExportOutput, PluginError> {
    let mut out = String::from("\u{feff}");
    out.push_str(&CSV_COLUMNS.join(","));
    out.push_str("\r\n");
    for item in items {
        if item.kind != AIR {
            return Err(PluginError::BadInput(format!(
                "csv exports {AIR} items only; item {} is {}",
                item.id, item.kind
            )));
        }
        let derived = derived_for(AIR, &item.fields);
        let row: Vec<String> = CSV_COLUMNS
            .iter()
            .map(|c| {
                let v = item.fields.get(c).or_else(|| derived.get(*c));
                csv_cell(&value_text(v))
            })
            .collect();
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    Ok(ExportOutput {
        media_type: CSV_MEDIA_TYPE.into(),
        extension: "csv".into(),
        bytes: out.into_bytes(),
    })
}

fn public_fields(item: &ExportItem) -> Result<Map, PluginError> {
    let ctx = Context::new(
        "export",
        Date {
            year: 9999,
            month: 12,
            day: 31,
        },
        "zh-CN",
    );
    let rules = Environment::publication_rules(&item.kind, &item.fields, &ctx)?;
    let mut m = item.fields.as_map().clone();
    for path in &rules.mask {
        m.remove(path);
    }
    Ok(m)
}

fn text(item: &ExportItem, key: &str) -> String {
    value_text(item.fields.get(key))
}

pub fn json_feed(items: &[ExportItem]) -> Result<ExportOutput, PluginError> {
    let mut out = Vec::new();
    for item in items {
        let derived = derived_for(&item.kind, &item.fields);
        let d = |k: &str| value_text(derived.get(k));
        let (title, date) = match item.kind.as_str() {
            AIR => (
                format!(
                    "{} 空气质量 {} AQI {} {}",
                    text(item, "station"),
                    text(item, "time"),
                    d("aqi"),
                    d("category")
                ),
                text(item, "time"),
            ),
            WATER => (
                format!(
                    "{} 水质 {} {}",
                    text(item, "site"),
                    text(item, "date"),
                    crate::water::class_zh(class_num(&d("class")))
                ),
                text(item, "date"),
            ),
            EIA => (
                format!("{} 环境影响评价公示", text(item, "project")),
                text(item, "comment_start"),
            ),
            other => {
                return Err(PluginError::BadInput(format!(
                    "item {} has unknown kind {other}",
                    item.id
                )))
            }
        };
        let mut entry = json!({
            "id": item.id,
            "title": title,
            "content_text": title,
            "_gongkai": {
                "kind": item.kind,
                "fields": Value::Object(public_fields(item)?),
                "derived": Value::Object(derived),
                "date": date,
            },
        });
        if let Some(p) = &item.published_at {
            entry["date_published"] = p.clone().into();
        }
        out.push(entry);
    }
    let feed = json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": "环境信息公开 Environment information",
        "language": "zh-CN",
        "items": out,
    });
    Ok(ExportOutput {
        media_type: FEED_MEDIA_TYPE.into(),
        extension: "json".into(),
        bytes: feed.to_string().into_bytes(),
    })
}

fn class_num(code: &str) -> u8 {
    match code {
        "I" => 1,
        "II" => 2,
        "III" => 3,
        "IV" => 4,
        "V" => 5,
        _ => 6,
    }
}
