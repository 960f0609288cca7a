//! The report's figures counted from the records, in the database: every figure is a
//! `COUNT`/`SUM … GROUP BY` over one tenant's rows of one year (no row is loaded to be
//! counted in memory), and every figure's records can be listed by the same predicate
//! that counts them, so that the drill-down always agrees with the figure.
//!
//! What each table counts (year Y, days as `YYYY-MM-DD` text, `$2` = 1 January, `$3` =
//! 31 December):
//! - table 3: a request is *concluded* on the day its answer was delivered or it was
//!   abandoned (`answered_on`, with its outcome code), or withdrawn (the day of its
//!   `withdrawn` event; counted under （六）3 其他). Row 一: received in Y; row 二: received
//!   before Y and not concluded before Y; rows （一）–（六）: concluded in Y, by outcome; row
//!   四: received by the end of Y and not concluded by then. So 一 + 二 = （七） + 四 holds
//!   for records by construction; only hand adjustments can break it.
//! - table 2: items ever published. Policy documents by `policy_type`: made = issued in Y,
//!   repealed = repealed in Y (`repealed_on`; an item repealed before that column
//!   existed counts by its last change), in force = in force now and issued by the end of Y. Decisions: licensing,
//!   penalty and enforcement items decided in Y, each counting its `decision_count`
//!   (a batch) or 1. Fees: `amount_yuan` of fee items whose `period_end` (or, without
//!   one, first publication) falls in Y.
//! - table 4: remedies filed in Y by kind, with their result as at the end of Y (a
//!   result decided after 31 December was still pending then).

use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, FromRow};

use crate::kernel::db::{Backend, TenantTx};
use crate::kernel::error::{Error, Result};
use gongkai_rules::annual_report::{
    AnnualFigures, Cell, Column, RemedyKind, RemedyResult, Table2Column, Table2Row, Table3Row,
    Table4,
};
use gongkai_rules::requests::outcome::Outcome;

/// `sql` with the tenant (`$1`) and the first and last day of `year` (`$2`, `$3`) bound:
/// every query here counts or lists one tenant's year.
fn for_year<'q>(tx: &TenantTx, sql: &'q str, year: i32) -> Query<'q, Any, AnyArguments<'q>> {
    tx.query(sql)
        .bind(format!("{year:04}-01-01"))
        .bind(format!("{year:04}-12-31"))
}

// ---- table 3 -------------------------------------------------------------------------

/// Every request with the day it was concluded and the outcome it counts under (the
/// statistics count closed requests by the same definition).
pub(super) const REQUESTS: &str = "SELECT id, tracking_number, applicant_type, received_on, answered_on, due_on, phase, \
    CASE WHEN phase = 'withdrawn' THEN (SELECT MIN(e.on_date) FROM request_events e \
        WHERE e.tenant_id = requests.tenant_id AND e.request_id = requests.id AND e.kind = 'withdrawn') \
      ELSE answered_on END AS concluded_on, \
    CASE WHEN phase = 'withdrawn' THEN '6.3' ELSE outcome_code END AS outcome \
    FROM requests WHERE tenant_id = $1";

const CONCLUDED: &str = "concluded_on >= $2 AND concluded_on <= $3";

/// The requests a row of table 3 counts (the outcome rows add `outcome = …`).
fn table3_predicate(row: Table3Row) -> &'static str {
    match row {
        Table3Row::New => "received_on >= $2 AND received_on <= $3",
        Table3Row::CarriedOver => {
            "received_on < $2 AND (concluded_on IS NULL OR concluded_on >= $2)"
        }
        Table3Row::Outcome(_) | Table3Row::Total => CONCLUDED,
        Table3Row::CarriedForward => {
            "received_on <= $3 AND (concluded_on IS NULL OR concluded_on > $3)"
        }
    }
}

#[derive(FromRow)]
struct Count {
    applicant_type: String,
    outcome: Option<String>,
    n: i64,
}

async fn table3(tx: &mut TenantTx, year: i32, figures: &mut AnnualFigures) -> Result<()> {
    for row in [
        Table3Row::New,
        Table3Row::CarriedOver,
        Table3Row::Total,
        Table3Row::CarriedForward,
    ] {
        // Row (七) is the one query that groups by outcome: it fills the outcome rows.
        let (outcome, by_outcome) = match row {
            Table3Row::Total => ("outcome", ", outcome"),
            _ => ("CAST(NULL AS TEXT)", ""),
        };
        let sql = format!(
            "SELECT applicant_type, {outcome} AS outcome, COUNT(*) AS n FROM ({REQUESTS}) AS r \
             WHERE {} GROUP BY applicant_type{by_outcome}",
            table3_predicate(row)
        );
        let rows = for_year(tx, &sql, year).fetch_all(tx.conn()).await?;
        for c in decode::<Count>(&rows)? {
            let column = Column::of_applicant_type(&c.applicant_type)
                .ok_or_else(|| Error::internal(format!("applicant type `{}`", c.applicant_type)))?;
            let counted = match c.outcome.as_deref() {
                None => row,
                Some(code) => {
                    Table3Row::Outcome(code.parse::<Outcome>().map_err(Error::internal_from)?)
                }
            };
            figures.set(Cell::T3(counted, column), c.n);
        }
    }
    figures.table3.fill_totals();
    Ok(())
}

// ---- table 2 -------------------------------------------------------------------------

/// A field of an item's published fields (JSON text), as SQL of the backend.
fn field(backend: Backend, name: &str) -> String {
    match backend {
        Backend::Sqlite => format!("json_extract(public_fields, '$.{name}')"),
        Backend::Postgres => format!("(public_fields::json ->> '{name}')"),
    }
}

fn number(backend: Backend, name: &str, default: &str) -> String {
    format!(
        "COALESCE(CAST({} AS DOUBLE PRECISION), {default})",
        field(backend, name)
    )
}

/// (what one item adds to the figure, which items count) for a cell of table 2. Codes
/// written into the SQL come from the rules' enums, never from input.
fn table2_selection(backend: Backend, row: Table2Row, column: Table2Column) -> (String, String) {
    let in_year = |day: &str| format!("{day} >= $2 AND {day} <= $3");
    let one = "1".to_string();
    match column {
        Table2Column::Made | Table2Column::Repealed | Table2Column::InForce => {
            let issued = field(backend, "issued_on");
            let policy = format!(
                "kind = 'policy' AND {} = '{}'",
                field(backend, "policy_type"),
                row.code()
            );
            let which = match column {
                Table2Column::Made => in_year(&issued),
                // The repeal date; an item repealed before it was kept, by its last change.
                Table2Column::Repealed => format!(
                    "validity = 'repealed' AND {}",
                    in_year("COALESCE(repealed_on, substr(updated_at, 1, 10))")
                ),
                _ => format!(
                    "validity = 'in_force' AND public_state = 'published' AND {issued} <= $3"
                ),
            };
            (one, format!("{policy} AND {which}"))
        }
        Table2Column::Decisions => (
            number(backend, "decision_count", "1"),
            format!(
                "kind = '{}' AND {}",
                row.code(),
                in_year(&field(backend, "decided_on"))
            ),
        ),
        Table2Column::AmountYuan => {
            let day = format!(
                "COALESCE({}, substr(first_published_at, 1, 10))",
                field(backend, "period_end")
            );
            (
                number(backend, "amount_yuan", "0"),
                format!("kind = 'fee' AND {}", in_year(&day)),
            )
        }
    }
}

const ITEMS: &str = "FROM items WHERE tenant_id = $1 AND first_published_at IS NOT NULL";

async fn table2(tx: &mut TenantTx, year: i32, figures: &mut AnnualFigures) -> Result<()> {
    for row in Table2Row::ALL {
        for &column in row.columns() {
            let (value, which) = table2_selection(tx.backend(), row, column);
            let sql = format!(
                "SELECT CAST(ROUND(COALESCE(SUM({value}), 0)) AS BIGINT) AS n {ITEMS} AND {which}"
            );
            let found = for_year(tx, &sql, year).fetch_one(tx.conn()).await?;
            let (n,) = <(i64,)>::from_row(&found)?;
            figures.set(Cell::T2(row, column), n);
        }
    }
    Ok(())
}

// ---- table 4 -------------------------------------------------------------------------

/// The result of a remedy as at 31 December (`$3`).
const RESULT_AT_YEAR_END: &str =
    "CASE WHEN result <> 'pending' AND (decided_on IS NULL OR decided_on <= $3) \
    THEN result ELSE 'pending' END";

const REMEDIES: &str =
    "FROM request_remedies WHERE tenant_id = $1 AND filed_on >= $2 AND filed_on <= $3";

/// Table 4 of `year` alone (also the requests API's `…/remedies/table`).
pub async fn table4_of(tx: &mut TenantTx, year: i32) -> Result<Table4> {
    let mut figures = AnnualFigures::default();
    table4(tx, year, &mut figures).await?;
    Ok(figures.table4)
}

async fn table4(tx: &mut TenantTx, year: i32, figures: &mut AnnualFigures) -> Result<()> {
    let sql = format!(
        "SELECT kind, {RESULT_AT_YEAR_END} AS result, COUNT(*) AS n {REMEDIES} \
         GROUP BY kind, {RESULT_AT_YEAR_END}"
    );
    let rows = for_year(tx, &sql, year).fetch_all(tx.conn()).await?;
    for (kind, result, n) in decode::<(String, String, i64)>(&rows)? {
        let kind = RemedyKind::ALL
            .into_iter()
            .find(|k| k.code() == kind)
            .ok_or_else(|| Error::internal(format!("remedy kind `{kind}`")))?;
        let result = RemedyResult::PARTS
            .into_iter()
            .find(|r| r.code() == result)
            .ok_or_else(|| Error::internal(format!("remedy result `{result}`")))?;
        figures.set(Cell::T4(kind, result), n);
    }
    figures.table4.fill_totals();
    Ok(())
}

// ---- the whole report and the drill-down ------------------------------------------------

fn decode<T: for<'r> FromRow<'r, AnyRow>>(rows: &[AnyRow]) -> Result<Vec<T>> {
    Ok(rows.iter().map(T::from_row).collect::<Result<_, _>>()?)
}

/// Tables 2, 3 and 4 of `year` as the records give them, totals filled.
pub async fn compute(tx: &mut TenantTx, year: i32) -> Result<AnnualFigures> {
    let mut figures = AnnualFigures::default();
    table2(tx, year, &mut figures).await?;
    table3(tx, year, &mut figures).await?;
    table4(tx, year, &mut figures).await?;
    Ok(figures)
}

/// One record a figure counts.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema, FromRow)]
pub struct Counted {
    pub id: String,
    /// A request's tracking number, an item's title, a remedy's case number.
    pub title: String,
}

/// The records `cell` counts, at most `limit`, in the order they were made.
pub async fn records(tx: &mut TenantTx, year: i32, cell: Cell, limit: i64) -> Result<Vec<Counted>> {
    let limit = limit.clamp(1, 5000);
    // Extra conditions carry only codes of the rules' enums, never input.
    let sql = match cell {
        Cell::T2(row, column) => {
            let (_, which) = table2_selection(tx.backend(), row, column);
            format!("SELECT id, COALESCE(public_title, '') AS title {ITEMS} AND {which} ORDER BY id LIMIT {limit}")
        }
        Cell::T3(row, column) => {
            let mut which = table3_predicate(row).to_string();
            if let Table3Row::Outcome(o) = row {
                which.push_str(&format!(" AND outcome = '{}'", o.code()));
            }
            if column != Column::Total {
                which.push_str(&format!(" AND applicant_type = '{}'", column.code()));
            }
            format!(
                "SELECT id, tracking_number AS title FROM ({REQUESTS}) AS r WHERE {which} \
                 ORDER BY received_on, id LIMIT {limit}"
            )
        }
        Cell::T4(kind, result) => {
            let mut which = format!("kind = '{}'", kind.code());
            if result != RemedyResult::Total {
                which.push_str(&format!(" AND {RESULT_AT_YEAR_END} = '{}'", result.code()));
            }
            format!("SELECT id, case_number AS title {REMEDIES} AND {which} ORDER BY filed_on, id LIMIT {limit}")
        }
    };
    let rows = for_year(tx, &sql, year).fetch_all(tx.conn()).await?;
    decode(&rows)
}

/// Fees paid in `year` under 国办函〔2020〕109号: (number of fees, yuan), for section 六.
pub async fn fees_paid(tx: &mut TenantTx, year: i32) -> Result<(i64, i64)> {
    let row = for_year(
            tx,
            "SELECT COUNT(*) AS n, CAST(COALESCE(SUM(amount_yuan), 0) AS BIGINT) AS yuan FROM request_fees \
             WHERE tenant_id = $1 AND status = 'paid' AND paid_on >= $2 AND paid_on <= $3",
            year,
        )
        .fetch_one(tx.conn())
        .await?;
    Ok(<(i64, i64)>::from_row(&row)?)
}
