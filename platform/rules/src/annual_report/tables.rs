//! Tables 2, 3 and 4 of the annual report (国办公开办函〔2021〕30号) as typed figures: their
//! rows and columns as printed, with Chinese labels, and how totals follow from parts.

use super::cells::Cell;
use crate::requests::outcome::{Outcome, TABLE3_ROWS};

/// The columns of table 3: 自然人, the five kinds of 法人或其他组织 (the format prints no
/// subtotal for legal persons), and 总计. The codes are the applicant types of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Column {
    Person,
    Commercial,
    Research,
    PublicInterest,
    LegalService,
    Other,
    Total,
}

impl Column {
    pub const ALL: [Column; 7] = [
        Column::Person,
        Column::Commercial,
        Column::Research,
        Column::PublicInterest,
        Column::LegalService,
        Column::Other,
        Column::Total,
    ];
    /// The six applicant columns whose sum is 总计: every column but the last.
    pub const APPLICANTS: [Column; 6] = {
        let [a, b, c, d, e, f, _total] = Column::ALL;
        [a, b, c, d, e, f]
    };

    pub fn code(self) -> &'static str {
        [
            "person",
            "commercial",
            "research",
            "public_interest",
            "legal_service",
            "other",
            "total",
        ][self as usize]
    }

    pub fn label_zh(self) -> &'static str {
        [
            "自然人",
            "商业企业",
            "科研机构",
            "社会公益组织",
            "法律服务机构",
            "其他",
            "总计",
        ][self as usize]
    }

    /// The column of a request's applicant type (`person`, `commercial`, …).
    pub fn of_applicant_type(code: &str) -> Option<Column> {
        Column::APPLICANTS.into_iter().find(|c| c.code() == code)
    }
}

/// One row of table 3: the six applicant columns and 总计.
pub type Row = [i64; 7];

/// The rows of table 3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Table3Row {
    /// 一、本年新收政府信息公开申请数量
    New,
    /// 二、上年结转政府信息公开申请数量
    CarriedOver,
    /// 三、本年度办理结果, one row per outcome sub-row of (一)–(六)
    Outcome(Outcome),
    /// 三（七）总计
    Total,
    /// 四、结转下年度继续办理
    CarriedForward,
}

impl Table3Row {
    /// Every row in printed order.
    pub fn all() -> impl Iterator<Item = Table3Row> {
        [Table3Row::New, Table3Row::CarriedOver]
            .into_iter()
            .chain(Outcome::all().map(Table3Row::Outcome))
            .chain([Table3Row::Total, Table3Row::CarriedForward])
    }

    pub fn code(self) -> &'static str {
        match self {
            Table3Row::New => "new",
            Table3Row::CarriedOver => "carried_over",
            Table3Row::Outcome(o) => o.code(),
            Table3Row::Total => "total",
            Table3Row::CarriedForward => "carried_forward",
        }
    }

    /// The row's number as the format prints it: `一`, `（三）4`, `（七）`.
    pub fn numbering(self) -> String {
        match self {
            Table3Row::New => "一".into(),
            Table3Row::CarriedOver => "二".into(),
            Table3Row::Outcome(o) => o.report_code(),
            Table3Row::Total => "（七）".into(),
            Table3Row::CarriedForward => "四".into(),
        }
    }

    pub fn label_zh(self) -> String {
        match self {
            Table3Row::New => "一、本年新收政府信息公开申请数量".into(),
            Table3Row::CarriedOver => "二、上年结转政府信息公开申请数量".into(),
            Table3Row::Outcome(o) => format!("三、本年度办理结果 {}", o.row_heading()),
            Table3Row::Total => "三、本年度办理结果 （七）总计".into(),
            Table3Row::CarriedForward => "四、结转下年度继续办理".into(),
        }
    }
}

/// Table 3 (收到和处理政府信息公开申请情况).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Table3 {
    pub new: Row,
    pub carried_over: Row,
    /// Indexed by [`Outcome::table3_row`].
    pub outcomes: [Row; TABLE3_ROWS],
    pub total: Row,
    pub carried_forward: Row,
}

impl Table3 {
    pub fn row(&self, row: Table3Row) -> &Row {
        match row {
            Table3Row::New => &self.new,
            Table3Row::CarriedOver => &self.carried_over,
            Table3Row::Outcome(o) => &self.outcomes[o.table3_row()],
            Table3Row::Total => &self.total,
            Table3Row::CarriedForward => &self.carried_forward,
        }
    }

    pub fn row_mut(&mut self, row: Table3Row) -> &mut Row {
        match row {
            Table3Row::New => &mut self.new,
            Table3Row::CarriedOver => &mut self.carried_over,
            Table3Row::Outcome(o) => &mut self.outcomes[o.table3_row()],
            Table3Row::Total => &mut self.total,
            Table3Row::CarriedForward => &mut self.carried_forward,
        }
    }

    /// Fills what the format derives from counted figures: row (七) as the sum of the
    /// outcome sub-rows, and the 总计 column of every row as the sum of the six others.
    pub fn fill_totals(&mut self) {
        for c in Column::APPLICANTS {
            self.total[c as usize] = self.outcomes.iter().map(|r| r[c as usize]).sum();
        }
        for row in Table3Row::all() {
            let r = self.row_mut(row);
            let sum = Column::APPLICANTS.iter().map(|&c| r[c as usize]).sum();
            r[Column::Total as usize] = sum;
        }
    }
}

/// The rows of table 2 (主动公开政府信息情况).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Table2Row {
    Regulation,
    Normative,
    Licensing,
    Penalty,
    Enforcement,
    Fee,
}

/// The columns of table 2; each row has only some of them (see [`Table2Row::columns`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Table2Column {
    /// 本年制发件数
    Made,
    /// 本年废止件数
    Repealed,
    /// 现行有效件数
    InForce,
    /// 本年处理决定数量
    Decisions,
    /// 本年收费金额（万元）; held in yuan, shown in 万元.
    AmountYuan,
}

impl Table2Row {
    pub const ALL: [Table2Row; 6] = [
        Table2Row::Regulation,
        Table2Row::Normative,
        Table2Row::Licensing,
        Table2Row::Penalty,
        Table2Row::Enforcement,
        Table2Row::Fee,
    ];

    /// The item kind (or, for documents, the policy type) the row counts.
    pub fn code(self) -> &'static str {
        [
            "regulation",
            "normative",
            "licensing",
            "penalty",
            "enforcement",
            "fee",
        ][self as usize]
    }

    pub fn label_zh(self) -> &'static str {
        [
            "规章",
            "行政规范性文件",
            "行政许可",
            "行政处罚",
            "行政强制",
            "行政事业性收费",
        ][self as usize]
    }

    pub fn columns(self) -> &'static [Table2Column] {
        match self {
            Table2Row::Regulation | Table2Row::Normative => &[
                Table2Column::Made,
                Table2Column::Repealed,
                Table2Column::InForce,
            ],
            Table2Row::Licensing | Table2Row::Penalty | Table2Row::Enforcement => {
                &[Table2Column::Decisions]
            }
            Table2Row::Fee => &[Table2Column::AmountYuan],
        }
    }
}

impl Table2Column {
    pub fn code(self) -> &'static str {
        ["made", "repealed", "in_force", "decisions", "amount_yuan"][self as usize]
    }

    pub fn label_zh(self) -> &'static str {
        [
            "本年制发件数",
            "本年废止件数",
            "现行有效件数",
            "本年处理决定数量",
            "本年收费金额（万元）",
        ][self as usize]
    }
}

/// Counts of one kind of normative document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DocumentCounts {
    pub made: i64,
    pub repealed: i64,
    pub in_force: i64,
}

impl DocumentCounts {
    fn slot(&mut self, column: Table2Column) -> Option<&mut i64> {
        match column {
            Table2Column::Made => Some(&mut self.made),
            Table2Column::Repealed => Some(&mut self.repealed),
            Table2Column::InForce => Some(&mut self.in_force),
            _ => None,
        }
    }
}

/// Table 2 (主动公开政府信息情况).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Table2 {
    pub regulation: DocumentCounts,
    pub normative: DocumentCounts,
    pub licensing: i64,
    pub penalty: i64,
    pub enforcement: i64,
    /// In yuan; the report prints 万元.
    pub fee_yuan: i64,
}

impl Table2 {
    fn slot(&mut self, row: Table2Row, column: Table2Column) -> Option<&mut i64> {
        match (row, column) {
            (Table2Row::Regulation, _) => self.regulation.slot(column),
            (Table2Row::Normative, _) => self.normative.slot(column),
            (Table2Row::Licensing, Table2Column::Decisions) => Some(&mut self.licensing),
            (Table2Row::Penalty, Table2Column::Decisions) => Some(&mut self.penalty),
            (Table2Row::Enforcement, Table2Column::Decisions) => Some(&mut self.enforcement),
            (Table2Row::Fee, Table2Column::AmountYuan) => Some(&mut self.fee_yuan),
            _ => None,
        }
    }
}

/// The kinds of remedy of table 4 (政府信息公开行政复议、行政诉讼情况).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RemedyKind {
    /// 行政复议
    Reconsideration,
    /// 行政诉讼 未经复议直接起诉
    LitigationDirect,
    /// 行政诉讼 复议后起诉
    LitigationAfterReconsideration,
}

impl RemedyKind {
    pub const ALL: [RemedyKind; 3] = [
        RemedyKind::Reconsideration,
        RemedyKind::LitigationDirect,
        RemedyKind::LitigationAfterReconsideration,
    ];

    /// The kind of a remedy record.
    pub fn code(self) -> &'static str {
        [
            "reconsideration",
            "litigation_direct",
            "litigation_after_reconsideration",
        ][self as usize]
    }

    pub fn label_zh(self) -> &'static str {
        [
            "行政复议",
            "行政诉讼 未经复议直接起诉",
            "行政诉讼 复议后起诉",
        ][self as usize]
    }
}

/// The columns of each group of table 4; 总计 is the sum of the other four.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RemedyResult {
    Upheld,
    Corrected,
    Other,
    Pending,
    Total,
}

impl RemedyResult {
    pub const ALL: [RemedyResult; 5] = [
        RemedyResult::Upheld,
        RemedyResult::Corrected,
        RemedyResult::Other,
        RemedyResult::Pending,
        RemedyResult::Total,
    ];
    pub const PARTS: [RemedyResult; 4] = [
        RemedyResult::Upheld,
        RemedyResult::Corrected,
        RemedyResult::Other,
        RemedyResult::Pending,
    ];

    /// The result of a remedy record (`total` for the sum).
    pub fn code(self) -> &'static str {
        ["upheld", "corrected", "other", "pending", "total"][self as usize]
    }

    pub fn label_zh(self) -> &'static str {
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"][self as usize]
    }
}

/// Table 4: per kind, [维持, 纠正, 其他, 尚未审结, 总计].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Table4 {
    pub rows: [[i64; 5]; 3],
}

impl Table4 {
    /// Sets each group's 总计 to the sum of its four results.
    pub fn fill_totals(&mut self) {
        for row in &mut self.rows {
            let sum = RemedyResult::PARTS.iter().map(|&r| row[r as usize]).sum();
            row[RemedyResult::Total as usize] = sum;
        }
    }
}

/// The figures of one report: tables 2, 3 and 4.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AnnualFigures {
    pub table2: Table2,
    pub table3: Table3,
    pub table4: Table4,
}

impl AnnualFigures {
    pub fn get(&self, cell: Cell) -> i64 {
        match cell {
            // `slot` is the one map of cells to fields; it needs `&mut`, so read a copy.
            Cell::T2(row, column) => {
                let mut table2 = self.table2;
                table2.slot(row, column).map(|v| *v).unwrap_or(0)
            }
            Cell::T3(row, column) => self.table3.row(row)[column as usize],
            Cell::T4(kind, result) => self.table4.rows[kind as usize][result as usize],
        }
    }

    pub fn set(&mut self, cell: Cell, value: i64) {
        match cell {
            Cell::T2(row, column) => {
                if let Some(slot) = self.table2.slot(row, column) {
                    *slot = value;
                }
            }
            Cell::T3(row, column) => self.table3.row_mut(row)[column as usize] = value,
            Cell::T4(kind, result) => self.table4.rows[kind as usize][result as usize] = value,
        }
    }

    /// Every cell with its value, tables in order, rows and columns as printed.
    pub fn cells(&self) -> Vec<(Cell, i64)> {
        Cell::all().map(|c| (c, self.get(c))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_follow_from_the_parts() {
        let mut f = AnnualFigures::default();
        f.set(Cell::T3(Table3Row::New, Column::Person), 5);
        f.set(Cell::T3(Table3Row::New, Column::Research), 2);
        f.set(
            Cell::T3(Table3Row::Outcome(Outcome::Granted), Column::Person),
            3,
        );
        f.set(
            Cell::T3(Table3Row::Outcome(Outcome::Repeated), Column::Person),
            1,
        );
        f.table3.fill_totals();
        assert_eq!(f.get(Cell::T3(Table3Row::New, Column::Total)), 7);
        assert_eq!(f.get(Cell::T3(Table3Row::Total, Column::Person)), 4);
        assert_eq!(f.get(Cell::T3(Table3Row::Total, Column::Total)), 4);
        f.table4.rows[0] = [1, 2, 3, 4, 0];
        f.table4.fill_totals();
        assert_eq!(
            f.get(Cell::T4(RemedyKind::Reconsideration, RemedyResult::Total)),
            10
        );
        f.set(Cell::T2(Table2Row::Normative, Table2Column::InForce), 9);
        assert_eq!(f.table2.normative.in_force, 9);
        assert_eq!(f.cells().len(), Cell::all().count());
    }

    #[test]
    fn columns_are_the_applicant_types() {
        assert_eq!(
            Column::of_applicant_type("legal_service"),
            Some(Column::LegalService)
        );
        assert_eq!(Column::of_applicant_type("total"), None);
    }
}
