//! Exports: `csv` (one row per line and count of every table) and
//! `json-summary` (every table plus the sums over departments per year and
//! table, amounts also as integer hundredths so anyone can re-add them exactly).

use crate::{derive_tables, Cents, Change, BUDGET, COUNTS, FINAL, LINES};
use gongkai_plugin_sdk::{
    serde_json::json, ExportItem, ExportOutput, Fields, Map, PluginError, Value,
};

pub const CSV_MEDIA_TYPE: &str = "text/csv; charset=utf-8";
pub const JSON_MEDIA_TYPE: &str = "application/json";
pub const SUMMARY_FORMAT: &str = "gongkai-three-expenses/1";

fn amount(f: &Fields, key: &str) -> Option<Cents> {
    Cents::from_wan_yuan(f.decimal(key).ok()??).ok()
}

fn check_kind(item: &ExportItem) -> Result<(), PluginError> {
    if item.kind == BUDGET || item.kind == FINAL {
        Ok(())
    } else {
        Err(PluginError::BadInput(format!(
            "item {} is {}, not a three-expenses table",
            item.id, item.kind
        )))
    }
}

fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn text(f: &Fields, key: &str) -> String {
    match f.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
        None => String::new(),
    }
}

/// RFC 4180 (CRLF), UTF-8 with a byte-order mark.
pub fn csv(items: &[ExportItem]) -> Result<ExportOutput, PluginError> {
    let mut out = String::from(
        "\u{feff}department,year,table,item,name,unit,value,previous,change,change_percent,budget\r\n",
    );
    for item in items {
        check_kind(item)?;
        let f = &item.fields;
        let derived = derive_tables(&item.kind, f);
        let d = |k: String| derived.get(&k).map(text_of).unwrap_or_default();
        let head = [text(f, "department"), text(f, "year"), item.kind.clone()];
        let show = |c: Option<Cents>| c.map(|c| c.to_string()).unwrap_or_default();
        let mut rows: Vec<[String; 8]> = Vec::new();
        for (line, zh, _) in LINES {
            rows.push([
                line.into(),
                zh.into(),
                "万元".into(),
                show(amount(f, line)),
                show(amount(f, &format!("{line}_prev"))),
                d(format!("{line}_change")),
                d(format!("{line}_change_percent")),
                show(amount(f, &format!("{line}_budget"))),
            ]);
        }
        for (count, zh, _, unit, _) in COUNTS {
            let v = f.integer(count).ok().flatten().map(|n| n.to_string());
            rows.push([
                count.into(),
                zh.into(),
                unit.into(),
                v.unwrap_or_default(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ]);
        }
        for row in rows {
            let cells: Vec<String> = head.iter().chain(row.iter()).map(|c| csv_cell(c)).collect();
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

fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// (year, table), departments, line sums, count sums.
type Total = ((i64, String), usize, Vec<Cents>, Vec<i64>);

fn money(c: Cents) -> Value {
    json!({"amount": c.to_string(), "hundredths": c.0})
}

/// Every table with its lines and counts, and per (year, table) the sums over
/// the departments exported.
pub fn json_summary(items: &[ExportItem]) -> Result<ExportOutput, PluginError> {
    let mut tables = Vec::new();
    // (year, table) -> (departments, line sums, count sums)
    let mut totals: Vec<Total> = Vec::new();
    for item in items {
        check_kind(item)?;
        let f = &item.fields;
        let year = f.integer("year").ok().flatten().unwrap_or(0);
        let mut lines = Map::new();
        let mut sums = vec![Cents(0); LINES.len()];
        for (i, (line, _, _)) in LINES.iter().enumerate() {
            let Some(cur) = amount(f, line) else { continue };
            sums[i] = cur;
            let mut entry = money(cur);
            if let Some(prev) = amount(f, &format!("{line}_prev")) {
                let c = Change::between(prev, cur);
                entry["previous"] = money(prev);
                entry["change"] = money(c.amount);
                entry["change_percent"] = c.percent().into();
            }
            if let Some(b) = amount(f, &format!("{line}_budget")) {
                entry["budget"] = money(b);
            }
            lines.insert(line.to_string(), entry);
        }
        let counts: Vec<i64> = COUNTS
            .iter()
            .map(|(c, ..)| f.integer(c).ok().flatten().unwrap_or(0))
            .collect();
        let count_map: Map = COUNTS
            .iter()
            .zip(&counts)
            .map(|((c, ..), n)| (c.to_string(), (*n).into()))
            .collect();
        tables.push(json!({
            "item": item.id,
            "published_at": item.published_at,
            "department": text(f, "department"),
            "year": year,
            "table": item.kind,
            "approved_on": text(f, "approved_on"),
            "lines": lines,
            "counts": count_map,
        }));
        let key = (year, item.kind.clone());
        match totals.iter_mut().find(|t| t.0 == key) {
            Some(t) => {
                t.1 += 1;
                for (a, b) in t.2.iter_mut().zip(&sums) {
                    *a = *a + *b;
                }
                for (a, b) in t.3.iter_mut().zip(&counts) {
                    *a += b;
                }
            }
            None => totals.push((key, 1, sums, counts)),
        }
    }
    totals.sort_by(|a, b| a.0.cmp(&b.0));
    let totals: Vec<Value> = totals
        .into_iter()
        .map(|((year, table), n, sums, counts)| {
            let lines: Map = LINES
                .iter()
                .zip(sums)
                .map(|((l, ..), c)| (l.to_string(), money(c)))
                .collect();
            let counts: Map = COUNTS
                .iter()
                .zip(counts)
                .map(|((c, ..), n)| (c.to_string(), n.into()))
                .collect();
            json!({"year": year, "table": table, "departments": n, "lines": lines, "counts": counts})
        })
        .collect();
    let doc = json!({
        "format": SUMMARY_FORMAT,
        "unit": "万元",
        "tables": tables,
        "totals": totals,
    });
    Ok(ExportOutput {
        media_type: JSON_MEDIA_TYPE.into(),
        extension: "json".into(),
        bytes: doc.to_string().into_bytes(),
    })
}
