//! What goes in and out of the report capability.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::figures::Counted;
use crate::kernel::error::FieldProblem;

/// One printed cell of tables 2–4.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CellView {
    /// `t3:3.4:person`: table, row, column.
    pub cell: String,
    pub table: u8,
    /// Where the cell is: `表三 第（三）4行 自然人列`.
    pub label: String,
    /// The value the report uses.
    pub value: i64,
    /// The value counted from the records (table 2's fee amount in yuan).
    pub computed: i64,
    /// Set by hand: `value` is the adjustment, `computed` stays beside it.
    pub adjusted: bool,
    pub reason: Option<String>,
    pub adjusted_by: Option<String>,
    pub adjusted_at: Option<String>,
}

/// Sections 一, 五 and 六: the text staff write.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Sections {
    /// 一、总体情况
    pub overview: String,
    /// 五、存在的主要问题及改进情况
    pub problems: String,
    /// 六、其他需要报告的事项 (pre-filled with the processing fees collected)
    pub other_matters: String,
}

/// A hand-set row 四 of the previous year, for a year the platform has no report of.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PriorCarriedView {
    /// By applicant column (`person`, `commercial`, …, `total`).
    pub columns: BTreeMap<String, i64>,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportView {
    pub id: String,
    pub year: i32,
    /// `draft` or `submitted`.
    pub status: String,
    pub sections: Sections,
    pub prior_carried: Option<PriorCarriedView>,
    /// When the figures were last counted from the records.
    pub computed_at: String,
    pub submitted_at: Option<String>,
    pub submitted_by: Option<String>,
    /// The item of the 年度报告 column that publishes the report: made at submission,
    /// then reviewed and published through the items API (`/items/{id}/submit`, …).
    pub item_id: Option<String>,
    /// Every cell, tables in order, rows and columns as printed.
    pub cells: Vec<CellView>,
    /// The cross-checks that fail now (empty: the report may be submitted).
    pub checks: Vec<FieldProblem>,
}

/// A hand adjustment of one cell.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdjustInput {
    /// The value to use; `null` returns the cell to its computed value.
    pub value: Option<i64>,
    /// Why: required, and kept with the cell and in the audit log.
    pub reason: Option<String>,
}

/// New text of one or more sections; sections left out keep theirs.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SectionsInput {
    pub overview: Option<String>,
    pub problems: Option<String>,
    pub other_matters: Option<String>,
}

/// Row 四 of the previous year by applicant column (`person`, `commercial`, `research`,
/// `public_interest`, `legal_service`, `other`; left out = 0; 总计 is their sum).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PriorCarriedInput {
    pub columns: BTreeMap<String, i64>,
    pub reason: Option<String>,
}

/// The records one figure counts ("why is this 13?").
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FigureView {
    pub cell: CellView,
    /// At most `limit` records, in the order they were made.
    pub records: Vec<Counted>,
    /// More records count than are listed.
    pub truncated: bool,
}
