//! The report's renditions, all from one [`ReportDoc`](super::document::ReportDoc) and
//! one description of the printed tables (`gongkai_rules::annual_report::layout`): the
//! portal's accessible HTML tables, XLSX (the tables as they appear), CSV (one line per
//! figure) and PDF (official-document typography, the CJK font subset and embedded).

pub mod csv;
pub mod html;
pub mod pdf;
pub mod xlsx;

use gongkai_rules::annual_report::{Cell, Table3Row};

/// A download format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Csv,
    Pdf,
}

impl Format {
    pub fn parse(text: &str) -> Option<Format> {
        match text {
            "xlsx" => Some(Format::Xlsx),
            "csv" => Some(Format::Csv),
            "pdf" => Some(Format::Pdf),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Csv => "csv",
            Format::Pdf => "pdf",
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Csv => "text/csv; charset=utf-8",
            Format::Pdf => "application/pdf",
        }
    }

    pub const ALL: [Format; 3] = [Format::Xlsx, Format::Csv, Format::Pdf];
}

/// (table, row, column) of a cell as printed: `表三`, `一、本年新收政府信息公开申请数量`, `自然人`.
pub fn cell_place(cell: Cell) -> (&'static str, String, &'static str) {
    match cell {
        Cell::T2(r, c) => ("表二", r.label_zh().to_string(), c.label_zh()),
        Cell::T3(r, c) => (
            "表三",
            match r {
                Table3Row::Outcome(o) => format!("三、本年度办理结果 {}", o.row_heading()),
                other => other.label_zh(),
            },
            c.label_zh(),
        ),
        Cell::T4(k, r) => ("表四", k.label_zh().to_string(), r.label_zh()),
    }
}
