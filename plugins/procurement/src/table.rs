//! CSV export: one row per notice, with the procurement's current stage.

use crate::kinds::*;
use crate::method::Method;
use crate::money::Yuan;
use crate::notice::Notice;
use crate::sequence::current_stage;
use crate::stage::Stage;
use gongkai_plugin_sdk::{ExportOutput, ExportPart, ExportPiece};

pub const MEDIA_TYPE: &str = "text/csv; charset=utf-8";

const COLUMNS: [&str; 12] = [
    "project_number",
    "project_name",
    "notice",
    "kind",
    "notice_stage",
    "procurement_stage",
    "method",
    "buyer",
    "date",
    "amount_yuan",
    "suppliers",
    "published_at",
];

fn cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The amount a notice is about: budget, award, contract.
fn amount(n: &Notice) -> String {
    let key = match n.kind {
        INTENTION | PREQUALIFICATION | TENDER => "budget",
        AWARD => "total_amount",
        CONTRACT => "amount",
        _ => return String::new(),
    };
    n.fields
        .get(key)
        .and_then(|v| Yuan::from_value(v).ok())
        .map(|y| y.to_string())
        .unwrap_or_default()
}

/// Supplier names with their credit codes; natural persons by name only.
fn suppliers(n: &Notice) -> String {
    let rows = n
        .fields
        .table("suppliers")
        .ok()
        .flatten()
        .unwrap_or_default();
    let names: Vec<String> = rows
        .iter()
        .filter_map(|r| {
            let name = r.text("name").ok().flatten()?;
            let person = r.text("supplier_type").ok().flatten() == Some("person");
            match r.text("credit_code").ok().flatten() {
                Some(code) if !person => Some(format!("{name}（{code}）")),
                _ => Some(name.to_string()),
            }
        })
        .collect();
    names.join("；")
}

/// RFC 4180 (CRLF), UTF-8 with a byte-order mark so spreadsheet software
/// reads the Chinese text correctly.
pub fn csv(notices: &[Notice]) -> ExportOutput {
    csv_part(notices, &ExportPart::whole()).output
}

/// One part of the CSV: the byte-order mark and the header on the first part,
/// then the part's rows (a procurement's notices are never split across parts).
pub fn csv_part(notices: &[Notice], part: &ExportPart) -> ExportPiece {
    let projects = crate::ocds::by_project(notices);
    let mut out = String::new();
    if part.first {
        out.push('\u{feff}');
        out.push_str(&COLUMNS.join(","));
        out.push_str("\r\n");
    }
    for ns in projects.values() {
        let stage = current_stage(ns.iter().copied())
            .map(Stage::code)
            .unwrap_or("");
        for n in ns {
            let method = n
                .text("method")
                .and_then(Method::from_code)
                .map(Method::zh)
                .unwrap_or("");
            let kind_name = kind(n.kind).map(|k| k.name.zh).unwrap_or_default();
            let row = [
                n.project_number().to_string(),
                n.text("project_name").unwrap_or("").to_string(),
                n.id.clone(),
                kind_name,
                Stage::of_kind(n.kind)
                    .map(Stage::code)
                    .unwrap_or("")
                    .to_string(),
                stage.to_string(),
                method.to_string(),
                n.text("buyer").unwrap_or("").to_string(),
                n.own_date().map(|d| d.to_string()).unwrap_or_default(),
                amount(n),
                suppliers(n),
                n.published_at.clone().unwrap_or_default(),
            ];
            let cells: Vec<String> = row.iter().map(|s| cell(s)).collect();
            out.push_str(&cells.join(","));
            out.push_str("\r\n");
        }
    }
    ExportPiece {
        output: ExportOutput {
            media_type: MEDIA_TYPE.into(),
            extension: "csv".into(),
            bytes: out.into_bytes(),
        },
        carry: String::new(),
    }
}
