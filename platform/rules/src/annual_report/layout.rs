//! Tables 2–4 as the national format prints them (国办公开办函〔2021〕30号): captions,
//! header rows with their spans, row headings, and which figure sits in which place. One
//! description serves every rendition (the portal's HTML tables, XLSX, PDF, CSV), so
//! they cannot drift apart.

use super::cells::Cell;
use super::tables::{Column, RemedyKind, RemedyResult, Table2Column, Table2Row, Table3Row};
use crate::requests::outcome::{Outcome, OutcomeGroup};

/// Which way a heading reads (`scope` of an HTML `th`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Col,
    ColGroup,
    Row,
    RowGroup,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Col => "col",
            Scope::ColGroup => "colgroup",
            Scope::Row => "row",
            Scope::RowGroup => "rowgroup",
        }
    }
}

/// One place of a printed row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    Heading {
        text: String,
        scope: Scope,
        colspan: usize,
        rowspan: usize,
    },
    /// A figure and how many columns it spans (table 2's single-figure rows: 3).
    Figure(Cell, usize),
}

impl Place {
    fn head(text: impl Into<String>, scope: Scope, colspan: usize, rowspan: usize) -> Place {
        Place::Heading {
            text: text.into(),
            scope,
            colspan,
            rowspan,
        }
    }

    pub fn spans(&self) -> (usize, usize) {
        match self {
            Place::Heading {
                colspan, rowspan, ..
            } => (*colspan, *rowspan),
            Place::Figure(_, colspan) => (*colspan, 1),
        }
    }
}

/// A table as printed: `head` rows, then `body` rows; every row lists its places from
/// left to right, leaving out the places a span from above covers.
#[derive(Debug, Clone)]
pub struct TableLayout {
    pub number: u8,
    /// `表二 主动公开政府信息情况`.
    pub caption: &'static str,
    /// The section heading the table stands under: `二、主动公开政府信息情况`.
    pub section: &'static str,
    pub columns: usize,
    pub head: Vec<Vec<Place>>,
    pub body: Vec<Vec<Place>>,
}

/// A place with its position in the grid (row counted over head and body).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Positioned<'a> {
    pub row: usize,
    pub col: usize,
    pub place: &'a Place,
}

impl TableLayout {
    pub fn rows(&self) -> usize {
        self.head.len() + self.body.len()
    }

    /// Every place with its row and column, spans resolved.
    pub fn positioned(&self) -> Vec<Positioned<'_>> {
        let rows = self.rows();
        let mut taken = vec![vec![false; self.columns]; rows];
        let mut out = Vec::new();
        for (r, row) in self.head.iter().chain(&self.body).enumerate() {
            let mut c = 0;
            for place in row {
                while c < self.columns && taken[r][c] {
                    c += 1;
                }
                let (cs, rs) = place.spans();
                for taken_row in taken.iter_mut().skip(r).take(rs) {
                    for t in taken_row.iter_mut().skip(c).take(cs) {
                        *t = true;
                    }
                }
                out.push(Positioned {
                    row: r,
                    col: c,
                    place,
                });
                c += cs;
            }
        }
        out
    }

    /// The figures in printed order.
    pub fn figures(&self) -> Vec<Cell> {
        self.body
            .iter()
            .flatten()
            .filter_map(|p| match p {
                Place::Figure(c, _) => Some(*c),
                _ => None,
            })
            .collect()
    }
}

fn col(text: &str) -> Place {
    Place::head(text, Scope::Col, 1, 1)
}

/// Table 2: four groups under the articles of the Regulation they report on.
fn table2() -> TableLayout {
    let group = |text: &str| vec![Place::head(text, Scope::ColGroup, 4, 1)];
    let columns_of = |columns: &[Table2Column]| {
        let mut row = vec![col("信息内容")];
        // A single figure column spans the three the document rows have.
        let span = if columns.len() == 1 { 3 } else { 1 };
        for c in columns {
            row.push(Place::head(c.label_zh(), Scope::Col, span, 1));
        }
        row
    };
    let figures = |row: Table2Row| {
        let span = if row.columns().len() == 1 { 3 } else { 1 };
        let mut out = vec![Place::head(row.label_zh(), Scope::Row, 1, 1)];
        out.extend(
            row.columns()
                .iter()
                .map(|&c| Place::Figure(Cell::T2(row, c), span)),
        );
        out
    };
    let body = vec![
        group("第二十条第（一）项"),
        columns_of(Table2Row::Regulation.columns()),
        figures(Table2Row::Regulation),
        figures(Table2Row::Normative),
        group("第二十条第（五）项"),
        columns_of(Table2Row::Licensing.columns()),
        figures(Table2Row::Licensing),
        group("第二十条第（六）项"),
        columns_of(Table2Row::Penalty.columns()),
        figures(Table2Row::Penalty),
        figures(Table2Row::Enforcement),
        group("第二十条第（八）项"),
        columns_of(Table2Row::Fee.columns()),
        figures(Table2Row::Fee),
    ];
    TableLayout {
        number: 2,
        caption: "表二 主动公开政府信息情况",
        section: "二、主动公开政府信息情况",
        columns: 4,
        head: Vec::new(),
        body,
    }
}

/// Table 3: the applicant columns under 申请人情况, the rows 一 to 四 with the outcomes
/// of 三 grouped under their headings.
fn table3() -> TableLayout {
    let mut head = vec![
        vec![
            Place::head(
                "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
                Scope::Col,
                3,
                3,
            ),
            Place::head("申请人情况", Scope::ColGroup, 7, 1),
        ],
        vec![
            Place::head(Column::Person.label_zh(), Scope::Col, 1, 2),
            Place::head("法人或其他组织", Scope::ColGroup, 5, 1),
            Place::head(Column::Total.label_zh(), Scope::Col, 1, 2),
        ],
    ];
    head.push(
        Column::APPLICANTS[1..]
            .iter()
            .map(|c| col(c.label_zh()))
            .collect(),
    );
    let figures = |row: Table3Row| Column::ALL.map(|c| Place::Figure(Cell::T3(row, c), 1));
    let whole = |row: Table3Row, text: String| {
        let mut out = vec![Place::head(text, Scope::Row, 3, 1)];
        out.extend(figures(row));
        out
    };
    let mut body = vec![
        whole(Table3Row::New, "一、本年新收政府信息公开申请数量".into()),
        whole(
            Table3Row::CarriedOver,
            "二、上年结转政府信息公开申请数量".into(),
        ),
    ];
    let outcomes: Vec<Outcome> = Outcome::all().collect();
    let in_group = |g: OutcomeGroup| outcomes.iter().filter(move |o| o.group() == g).count();
    let mut first = true;
    let mut last_group = None;
    for &o in &outcomes {
        let mut row = Vec::new();
        if first {
            // 三 spans every outcome row and (七).
            row.push(Place::head(
                "三、本年度办理结果",
                Scope::RowGroup,
                1,
                outcomes.len() + 1,
            ));
            first = false;
        }
        let g = o.group();
        match o.item() {
            None => row.push(Place::head(
                format!("{}{}", g.numeral(), o.label_zh()),
                Scope::Row,
                2,
                1,
            )),
            Some(n) => {
                if last_group != Some(g) {
                    row.push(Place::head(
                        format!("{}{}", g.numeral(), g.label_zh()),
                        Scope::RowGroup,
                        1,
                        in_group(g),
                    ));
                }
                row.push(Place::head(
                    format!("{n}.{}", o.label_zh()),
                    Scope::Row,
                    1,
                    1,
                ));
            }
        }
        last_group = Some(g);
        row.extend(figures(Table3Row::Outcome(o)));
        body.push(row);
    }
    let mut total = vec![Place::head("（七）总计", Scope::Row, 2, 1)];
    total.extend(figures(Table3Row::Total));
    body.push(total);
    body.push(whole(
        Table3Row::CarriedForward,
        "四、结转下年度继续办理".into(),
    ));
    TableLayout {
        number: 3,
        caption: "表三 收到和处理政府信息公开申请情况",
        section: "三、收到和处理政府信息公开申请情况",
        columns: 10,
        head,
        body,
    }
}

/// Table 4: 行政复议 and the two kinds of 行政诉讼, five columns each, one row.
fn table4() -> TableLayout {
    let results = || RemedyResult::ALL.map(|r| col(r.label_zh()));
    let mut first = vec![Place::head("行政复议", Scope::ColGroup, 5, 1)];
    first.push(Place::head("行政诉讼", Scope::ColGroup, 10, 1));
    let mut second: Vec<Place> = RemedyResult::ALL
        .map(|r| Place::head(r.label_zh(), Scope::Col, 1, 2))
        .to_vec();
    second.push(Place::head("未经复议直接起诉", Scope::ColGroup, 5, 1));
    second.push(Place::head("复议后起诉", Scope::ColGroup, 5, 1));
    let mut third = results().to_vec();
    third.extend(results());
    let body = vec![RemedyKind::ALL
        .iter()
        .flat_map(|&k| RemedyResult::ALL.map(|r| Place::Figure(Cell::T4(k, r), 1)))
        .collect()];
    TableLayout {
        number: 4,
        caption: "表四 政府信息公开行政复议、行政诉讼情况",
        section: "四、政府信息公开行政复议、行政诉讼情况",
        columns: 15,
        head: vec![first, second, third],
        body,
    }
}

/// Tables 2, 3 and 4 in order.
pub fn tables() -> Vec<TableLayout> {
    vec![table2(), table3(), table4()]
}

/// A figure as printed: counts as they are, table 2's fee amount (held in yuan) in 万元
/// with up to four decimals.
pub fn format_figure(cell: Cell, value: i64) -> String {
    match cell {
        Cell::T2(_, Table2Column::AmountYuan) => {
            let text = format!("{:.4}", value as f64 / 10_000.0);
            let text = text.trim_end_matches('0').trim_end_matches('.');
            text.to_string()
        }
        _ => value.to_string(),
    }
}

/// The report's six section headings.
pub const SECTIONS: [&str; 6] = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cell_is_placed_once_and_rows_fill_the_grid() {
        let mut placed: Vec<Cell> = tables().iter().flat_map(|t| t.figures()).collect();
        let all: Vec<Cell> = Cell::all().collect();
        assert_eq!(placed.len(), all.len());
        placed.sort_by_key(|c| c.to_string());
        let mut sorted = all.clone();
        sorted.sort_by_key(|c| c.to_string());
        assert_eq!(placed, sorted);
        for t in tables() {
            let mut filled = vec![vec![0; t.columns]; t.rows()];
            for p in t.positioned() {
                let (cs, rs) = p.place.spans();
                for row in filled.iter_mut().skip(p.row).take(rs) {
                    for c in row.iter_mut().skip(p.col).take(cs) {
                        *c += 1;
                    }
                }
            }
            for (r, row) in filled.iter().enumerate() {
                assert!(
                    row.iter().all(|&n| n == 1),
                    "{} row {r}: {row:?}",
                    t.caption
                );
            }
        }
    }

    #[test]
    fn fees_print_in_wan_yuan() {
        let fee = Cell::T2(Table2Row::Fee, Table2Column::AmountYuan);
        assert_eq!(format_figure(fee, 12345), "1.2345");
        assert_eq!(format_figure(fee, 120000), "12");
        assert_eq!(format_figure(fee, 0), "0");
    }
}
