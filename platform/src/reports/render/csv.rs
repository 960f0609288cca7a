//! The report as CSV: one file, one line per figure, in printed order. The lines before
//! the column names start with `#` and say what the columns hold (most readers skip
//! them with a comment option: pandas `comment="#"`, R `comment.char = "#"`).

use gongkai_rules::annual_report::layout::{self, format_figure};

use super::super::document::ReportDoc;
use super::cell_place;

/// One CSV field: quoted when it must be; a leading =, +, - or @ (a formula to a
/// spreadsheet program) is neutralised with an apostrophe.
pub(crate) fn field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) || text.starts_with([' ', '#']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// UTF-8 with a byte-order mark, so that spreadsheet programs read the Chinese text.
pub fn render(doc: &ReportDoc) -> Vec<u8> {
    let mut out = String::from("\u{feff}");
    out.push_str(&format!("# {}\n", doc.title.replace('\n', " ")));
    out.push_str("# 国办公开办函〔2021〕30号格式 表二至表四，每行一个数据：\n");
    out.push_str("# table = 表二/表三/表四; row = 行标题; column = 列标题; cell = 单元格编号 (t3:new:person);\n");
    out.push_str("# value = 数值（表二 本年收费金额以万元计，其余为件数）\n");
    out.push_str("table,row,column,cell,value\n");
    for table in layout::tables() {
        for cell in table.figures() {
            let (t, row, column) = cell_place(cell);
            out.push_str(&format!(
                "{},{},{},{},{}\n",
                field(t),
                field(&row),
                field(column),
                cell,
                format_figure(cell, doc.value(cell))
            ));
        }
    }
    out.into_bytes()
}
