//! The report as XLSX: a sheet 报告 with the title and the written sections, then one
//! sheet per table laid out as printed (headings merged over the cells they span, thin
//! borders, figures as numbers; table 2's fee amount in 万元 with four decimals).

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use gongkai_rules::annual_report::layout::{self, Place, TableLayout};
use gongkai_rules::annual_report::{Cell, Table2Column};

use super::super::document::ReportDoc;
use crate::kernel::error::{Error, Result};

fn failed(e: XlsxError) -> Error {
    Error::internal_cause("writing the report's XLSX", e)
}

struct Styles {
    title: Format,
    heading: Format,
    figure: Format,
    amount: Format,
    text: Format,
}

fn styles() -> Styles {
    let boxed = || {
        Format::new()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter)
            .set_text_wrap()
            .set_font_size(10)
    };
    Styles {
        title: Format::new()
            .set_bold()
            .set_font_size(14)
            .set_align(FormatAlign::Center),
        heading: boxed().set_align(FormatAlign::Center),
        figure: boxed().set_align(FormatAlign::Center),
        amount: boxed()
            .set_align(FormatAlign::Center)
            .set_num_format("0.0000"),
        text: Format::new().set_text_wrap().set_align(FormatAlign::Top),
    }
}

fn table_sheet(sheet: &mut Worksheet, t: &TableLayout, doc: &ReportDoc, s: &Styles) -> Result<()> {
    sheet
        .set_name(&t.caption[..t.caption.find(' ').unwrap_or(t.caption.len())])
        .map_err(failed)?;
    let last = (t.columns - 1) as u16;
    sheet
        .merge_range(0, 0, 0, last, t.caption, &s.title)
        .map_err(failed)?;
    // The table starts on the third row.
    let top = 2u32;
    for p in t.positioned() {
        let (row, col) = (top + p.row as u32, p.col as u16);
        let (cs, rs) = p.place.spans();
        let (last_row, last_col) = (row + rs as u32 - 1, col + cs as u16 - 1);
        match p.place {
            Place::Heading { text, .. } => {
                if cs > 1 || rs > 1 {
                    sheet
                        .merge_range(row, col, last_row, last_col, text, &s.heading)
                        .map_err(failed)?;
                } else {
                    sheet
                        .write_string_with_format(row, col, text, &s.heading)
                        .map_err(failed)?;
                }
            }
            Place::Figure(cell, _) => {
                let value = doc.value(*cell);
                let (number, format) = match cell {
                    Cell::T2(_, Table2Column::AmountYuan) => (value as f64 / 10_000.0, &s.amount),
                    _ => (value as f64, &s.figure),
                };
                if cs > 1 {
                    sheet
                        .merge_range(row, col, last_row, last_col, "", format)
                        .map_err(failed)?;
                }
                sheet
                    .write_number_with_format(row, col, number, format)
                    .map_err(failed)?;
            }
        }
    }
    let widths: Vec<f64> = match t.number {
        2 => vec![24.0, 16.0, 16.0, 16.0],
        3 => [6.0, 12.0, 34.0].into_iter().chain([10.0; 7]).collect(),
        _ => vec![9.0; 15],
    };
    for (c, w) in widths.into_iter().enumerate() {
        sheet.set_column_width(c as u16, w).map_err(failed)?;
    }
    Ok(())
}

pub fn render(doc: &ReportDoc) -> Result<Vec<u8>> {
    let s = styles();
    let mut book = Workbook::new();
    {
        let sheet = book.add_worksheet();
        sheet.set_name("报告").map_err(failed)?;
        sheet.set_column_width(0, 100).map_err(failed)?;
        sheet
            .write_string_with_format(0, 0, &doc.title, &s.title)
            .map_err(failed)?;
        let mut row = 2u32;
        for (heading, text) in doc.written_sections() {
            sheet
                .write_string_with_format(row, 0, heading, &Format::new().set_bold())
                .map_err(failed)?;
            sheet
                .write_string_with_format(row + 1, 0, text, &s.text)
                .map_err(failed)?;
            row += 3;
        }
    }
    for t in layout::tables() {
        table_sheet(book.add_worksheet(), &t, doc, &s)?;
    }
    book.save_to_buffer().map_err(failed)
}
