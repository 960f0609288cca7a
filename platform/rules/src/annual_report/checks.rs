//! The cross-checks of the annual report (国办公开办函〔2021〕30号), run before a report is
//! submitted. Each failure names the cell (its id in `field`, its place in the message)
//! and both sides of the equation, so that "why does this not add up" has an answer:
//!
//! - table 3, every column: 一 + 二 = （七） + 四 (what was received or carried over was
//!   either answered this year or is carried to the next; `balance`);
//! - table 3, every column: （七） = the sum of the outcome sub-rows （一）–（六） (`outcomes`);
//! - table 3, every row: 总计 = the sum of the six applicant columns (`columns`);
//! - table 4, every group: 总计 = 维持 + 纠正 + 其他 + 尚未审结 (`remedies`);
//! - table 3 row 二 equals row 四 of the previous year's report, or the figure imported
//!   for that year when the platform has no such report (`carry_over`).

use crate::problem::FieldProblem;

use super::cells::Cell;
use super::tables::{AnnualFigures, Column, RemedyKind, RemedyResult, Row, Table3Row};

/// What row 二 (上年结转) of a report must equal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PriorCarry {
    /// Row 四 (结转下年度继续办理) of the previous year's report.
    Report { year: i32, row: Row },
    /// A carried figure set by hand for a year the platform has no report of.
    Imported { year: i32, row: Row },
    /// Neither: the check cannot be made, and says so.
    Missing { year: i32 },
}

/// Every failing check, in table order; empty when the report adds up.
pub fn cross_checks(figures: &AnnualFigures, prior: &PriorCarry) -> Vec<FieldProblem> {
    let mut failures = Vec::new();
    table3_balance(figures, &mut failures);
    table3_outcomes(figures, &mut failures);
    table3_columns(figures, &mut failures);
    carry_over(figures, prior, &mut failures);
    table4_totals(figures, &mut failures);
    failures
}

fn fail(failures: &mut Vec<FieldProblem>, cell: Cell, check: &str, message: String) {
    failures.push(
        FieldProblem::new(cell.to_string(), message).with_code(format!("cross_check.{check}")),
    );
}

/// `5 + 6`; `0` when there are no parts.
fn sum_text(parts: &[i64]) -> String {
    if parts.is_empty() {
        return "0".into();
    }
    parts
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(" + ")
}

fn table3_balance(f: &AnnualFigures, failures: &mut Vec<FieldProblem>) {
    let t = &f.table3;
    for c in Column::ALL {
        let i = c as usize;
        let (new, over, total, forward) = (
            t.new[i],
            t.carried_over[i],
            t.total[i],
            t.carried_forward[i],
        );
        if new + over != total + forward {
            fail(
                failures,
                Cell::T3(Table3Row::CarriedForward, c),
                "balance",
                format!(
                    "表三 {}列: 第一行 + 第二行 = 第（七）行 + 第四行 不成立: {new} + {over} ≠ {total} + {forward}",
                    c.label_zh()
                ),
            );
        }
    }
}

fn table3_outcomes(f: &AnnualFigures, failures: &mut Vec<FieldProblem>) {
    let t = &f.table3;
    for c in Column::ALL {
        let i = c as usize;
        // Only the rows that count something are written out; the rest are zero.
        let parts: Vec<i64> = t
            .outcomes
            .iter()
            .map(|r| r[i])
            .filter(|&n| n != 0)
            .collect();
        let sum: i64 = parts.iter().sum();
        if t.total[i] != sum {
            let cell = Cell::T3(Table3Row::Total, c);
            fail(
                failures,
                cell,
                "outcomes",
                format!(
                    "{}: {} ≠ {}（第（一）至（六）行各项之和）",
                    cell.label_zh(),
                    t.total[i],
                    sum_text(&parts)
                ),
            );
        }
    }
}

fn table3_columns(f: &AnnualFigures, failures: &mut Vec<FieldProblem>) {
    for row in Table3Row::all() {
        let r = f.table3.row(row);
        let parts: Vec<i64> = Column::APPLICANTS.iter().map(|&c| r[c as usize]).collect();
        let total = r[Column::Total as usize];
        if total != parts.iter().sum::<i64>() {
            let cell = Cell::T3(row, Column::Total);
            fail(
                failures,
                cell,
                "columns",
                format!(
                    "{}: {total} ≠ {}（自然人及五类法人或其他组织之和）",
                    cell.label_zh(),
                    sum_text(&parts)
                ),
            );
        }
    }
}

fn carry_over(f: &AnnualFigures, prior: &PriorCarry, failures: &mut Vec<FieldProblem>) {
    let (row, source) = match prior {
        PriorCarry::Report { year, row } => (row, format!("{year}年度报告第四行")),
        PriorCarry::Imported { year, row } => (row, format!("录入的{year}年结转下年度数")),
        PriorCarry::Missing { year } => {
            fail(
                failures,
                Cell::T3(Table3Row::CarriedOver, Column::Total),
                "carry_over",
                format!(
                    "表三 第二行: 没有{year}年度报告，也未录入{year}年结转下年度数，无法核对上年结转"
                ),
            );
            return;
        }
    };
    for c in Column::ALL {
        let i = c as usize;
        let this = f.table3.carried_over[i];
        if this != row[i] {
            let cell = Cell::T3(Table3Row::CarriedOver, c);
            fail(
                failures,
                cell,
                "carry_over",
                format!("{}: {this} ≠ {}（{source}）", cell.label_zh(), row[i]),
            );
        }
    }
}

fn table4_totals(f: &AnnualFigures, failures: &mut Vec<FieldProblem>) {
    for kind in RemedyKind::ALL {
        let r = &f.table4.rows[kind as usize];
        let parts: Vec<i64> = RemedyResult::PARTS.iter().map(|&p| r[p as usize]).collect();
        let total = r[RemedyResult::Total as usize];
        if total != parts.iter().sum::<i64>() {
            let cell = Cell::T4(kind, RemedyResult::Total);
            fail(
                failures,
                cell,
                "remedies",
                format!(
                    "{}: {total} ≠ {}（维持、纠正、其他、尚未审结之和）",
                    cell.label_zh(),
                    sum_text(&parts)
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::requests::outcome::Outcome;

    /// A year that adds up: 10 persons and 2 firms new, 3 persons carried over;
    /// 10 answered (persons: 7 granted, 2 refused 3.4; firms: 1 partly granted),
    /// 4 persons and 1 firm carried forward.
    fn good() -> AnnualFigures {
        let mut f = AnnualFigures::default();
        let p = Column::Person;
        let firm = Column::Commercial;
        f.set(Cell::T3(Table3Row::New, p), 10);
        f.set(Cell::T3(Table3Row::New, firm), 2);
        f.set(Cell::T3(Table3Row::CarriedOver, p), 3);
        f.set(Cell::T3(Table3Row::Outcome(Outcome::Granted), p), 7);
        f.set(
            Cell::T3(Table3Row::Outcome(Outcome::ThirdPartyRights), p),
            2,
        );
        f.set(
            Cell::T3(Table3Row::Outcome(Outcome::PartlyGranted), firm),
            1,
        );
        f.set(Cell::T3(Table3Row::CarriedForward, p), 4);
        f.set(Cell::T3(Table3Row::CarriedForward, firm), 1);
        f.table3.fill_totals();
        f.table4.rows[RemedyKind::Reconsideration as usize] = [1, 1, 0, 2, 0];
        f.table4.fill_totals();
        f
    }

    fn prior() -> PriorCarry {
        PriorCarry::Report {
            year: 2025,
            row: [3, 0, 0, 0, 0, 0, 3],
        }
    }

    fn only(failures: &[FieldProblem]) -> &FieldProblem {
        assert_eq!(failures.len(), 1, "{failures:#?}");
        &failures[0]
    }

    #[test]
    fn a_report_that_adds_up_passes() {
        assert_eq!(cross_checks(&good(), &prior()), vec![]);
        let imported = PriorCarry::Imported {
            year: 2025,
            row: [3, 0, 0, 0, 0, 0, 3],
        };
        assert_eq!(cross_checks(&good(), &imported), vec![]);
    }

    #[test]
    fn a_column_that_does_not_balance_names_both_sides() {
        let mut f = good();
        // One firm's request vanished from row 四, in the firm column and the total.
        f.set(Cell::T3(Table3Row::CarriedForward, Column::Commercial), 0);
        f.set(Cell::T3(Table3Row::CarriedForward, Column::Total), 4);
        let failures = cross_checks(&f, &prior());
        let balance: Vec<_> = failures.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            balance,
            [
                "表三 商业企业列: 第一行 + 第二行 = 第（七）行 + 第四行 不成立: 2 + 0 ≠ 1 + 0",
                "表三 总计列: 第一行 + 第二行 = 第（七）行 + 第四行 不成立: 12 + 3 ≠ 10 + 4",
            ]
        );
        assert_eq!(failures[0].field, "t3:carried_forward:commercial");
        assert_eq!(failures[0].code.as_deref(), Some("cross_check.balance"));
    }

    #[test]
    fn row_seven_must_be_the_sum_of_the_outcomes() {
        let mut f = good();
        // Row (七) says 12 in the 总计 column where the outcome rows add up to 10: the
        // balance breaks too, so pick the failure of this check by its code.
        f.set(Cell::T3(Table3Row::Total, Column::Total), 12);
        let failures = cross_checks(&f, &prior());
        let outcomes: Vec<_> = failures
            .iter()
            .filter(|p| p.code.as_deref() == Some("cross_check.outcomes"))
            .collect();
        assert_eq!(outcomes.len(), 1);
        assert_eq!(outcomes[0].field, "t3:total:total");
        assert_eq!(
            outcomes[0].message,
            "表三 第（七）行 总计列: 12 ≠ 7 + 1 + 2（第（一）至（六）行各项之和）"
        );
    }

    #[test]
    fn a_sub_row_changed_alone_breaks_its_row_and_its_column() {
        let mut f = good();
        f.set(
            Cell::T3(Table3Row::Outcome(Outcome::Repeated), Column::Research),
            1,
        );
        let codes: Vec<_> = cross_checks(&f, &prior())
            .into_iter()
            .map(|p| (p.field, p.code.unwrap()))
            .collect();
        assert_eq!(
            codes,
            [
                (
                    "t3:total:research".to_string(),
                    "cross_check.outcomes".to_string()
                ),
                (
                    "t3:5.2:total".to_string(),
                    "cross_check.columns".to_string()
                ),
            ]
        );
    }

    #[test]
    fn the_total_column_must_be_the_sum_of_the_six() {
        let mut f = good();
        f.set(Cell::T3(Table3Row::New, Column::Total), 13);
        let failures: Vec<_> = cross_checks(&f, &prior())
            .into_iter()
            .filter(|p| p.code.as_deref() == Some("cross_check.columns"))
            .collect();
        let failure = only(&failures);
        assert_eq!(failure.field, "t3:new:total");
        assert_eq!(
            failure.message,
            "表三 第一行 总计列: 13 ≠ 10 + 2 + 0 + 0 + 0 + 0（自然人及五类法人或其他组织之和）"
        );
    }

    #[test]
    fn table_four_totals_are_the_sum_of_their_parts() {
        let mut f = good();
        f.set(
            Cell::T4(
                RemedyKind::LitigationAfterReconsideration,
                RemedyResult::Total,
            ),
            2,
        );
        let failures = cross_checks(&f, &prior());
        let failure = only(&failures);
        assert_eq!(failure.field, "t4:litigation_after_reconsideration:total");
        assert_eq!(
            failure.message,
            "表四 行政诉讼 复议后起诉 总计列: 2 ≠ 0 + 0 + 0 + 0（维持、纠正、其他、尚未审结之和）"
        );
    }

    #[test]
    fn carried_over_must_be_last_years_carried_forward() {
        let last_year = PriorCarry::Report {
            year: 2025,
            row: [4, 0, 0, 0, 0, 0, 4],
        };
        let messages: Vec<_> = cross_checks(&good(), &last_year)
            .into_iter()
            .map(|p| p.message)
            .collect();
        assert_eq!(
            messages,
            [
                "表三 第二行 自然人列: 3 ≠ 4（2025年度报告第四行）",
                "表三 第二行 总计列: 3 ≠ 4（2025年度报告第四行）",
            ]
        );
        let imported = PriorCarry::Imported {
            year: 2025,
            row: [3, 1, 0, 0, 0, 0, 4],
        };
        let failures = cross_checks(&good(), &imported);
        assert_eq!(
            failures[0].message,
            "表三 第二行 商业企业列: 0 ≠ 1（录入的2025年结转下年度数）"
        );
    }

    #[test]
    fn without_last_year_the_carry_over_cannot_be_checked() {
        let failures = cross_checks(&good(), &PriorCarry::Missing { year: 2025 });
        let failure = only(&failures);
        assert_eq!(failure.field, "t3:carried_over:total");
        assert_eq!(
            failure.message,
            "表三 第二行: 没有2025年度报告，也未录入2025年结转下年度数，无法核对上年结转"
        );
    }
}
