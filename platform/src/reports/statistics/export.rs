//! Every statistic as a file: a statistic is one or more [`Sheet`]s (named columns, rows
//! of values, notes saying how they are computed); CSV writes one sheet (UTF-8 with a
//! BOM, notes as leading `#` lines like the report's CSV), XLSX one worksheet per sheet
//! with the notes under the table.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::kernel::error::{Error, Result};
use crate::reports::render::csv::field;

#[derive(Debug, Clone)]
pub enum Value {
    Text(String),
    Int(i64),
    /// Written with its decimals (a share as 0–1, days).
    Num(f64),
    Empty,
}

impl From<Option<f64>> for Value {
    fn from(v: Option<f64>) -> Value {
        v.map_or(Value::Empty, Value::Num)
    }
}

pub struct Sheet {
    /// The worksheet's name (at most 31 characters).
    pub name: String,
    pub title: String,
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<Value>>,
    /// How the figures are computed.
    pub notes: Vec<String>,
}

pub fn csv(sheet: &Sheet) -> Vec<u8> {
    let mut out = String::from("\u{feff}");
    out.push_str(&format!("# {}\n", sheet.title.replace('\n', " ")));
    for note in &sheet.notes {
        out.push_str(&format!("# {}\n", note.replace('\n', " ")));
    }
    out.push_str(&sheet.columns.join(","));
    out.push('\n');
    for row in &sheet.rows {
        let fields: Vec<String> = row
            .iter()
            .map(|v| match v {
                Value::Text(t) => field(t),
                Value::Int(n) => n.to_string(),
                Value::Num(x) => format!("{}", (x * 10_000.0).round() / 10_000.0),
                Value::Empty => String::new(),
            })
            .collect();
        out.push_str(&fields.join(","));
        out.push('\n');
    }
    out.into_bytes()
}

fn failed(e: XlsxError) -> Error {
    Error::internal_cause("writing a statistics XLSX", e)
}

pub fn xlsx(sheets: &[Sheet]) -> Result<Vec<u8>> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let decimal = Format::new().set_num_format("0.0###");
    for sheet in sheets {
        let ws = book.add_worksheet();
        ws.set_name(&sheet.name).map_err(failed)?;
        ws.write_string_with_format(0, 0, &sheet.title, &bold)
            .map_err(failed)?;
        for (c, name) in sheet.columns.iter().enumerate() {
            ws.write_string_with_format(2, c as u16, *name, &bold)
                .map_err(failed)?;
            ws.set_column_width(c as u16, 14).map_err(failed)?;
        }
        for (r, row) in sheet.rows.iter().enumerate() {
            let r = 3 + r as u32;
            for (c, value) in row.iter().enumerate() {
                let c = c as u16;
                match value {
                    Value::Text(t) => ws.write_string(r, c, t).map(|_| ()),
                    Value::Int(n) => ws.write_number(r, c, *n as f64).map(|_| ()),
                    Value::Num(x) => ws.write_number_with_format(r, c, *x, &decimal).map(|_| ()),
                    Value::Empty => Ok(()),
                }
                .map_err(failed)?;
            }
        }
        let below = 4 + sheet.rows.len() as u32;
        for (i, note) in sheet.notes.iter().enumerate() {
            ws.write_string(below + i as u32, 0, note).map_err(failed)?;
        }
    }
    book.save_to_buffer().map_err(failed)
}
