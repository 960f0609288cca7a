//! Monthly counts of one agency: items first published, by kind and catalog node;
//! requests received, closed and overdue; answered, answered in time and the share; the
//! median days to answer. A government may ask for any of its agencies (the tenants
//! directly under it); the range is whole months, none of them in the future.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::counts::{self, MonthCounts};
use super::{definition, Agency, Definition};
use crate::kernel::error::{check, Error, FieldProblem, Result};
use crate::reports::summary::children;
use crate::reports::Reports;
use crate::tenancy::Tenant;
use gongkai_rules::statistics::{median, share, Month};

/// The longest range one request may cover.
const MAX_MONTHS: usize = 36;
/// The Regulation took effect in 2008: nothing is counted before.
const FIRST_YEAR: i32 = 2008;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct MonthlyQuery {
    /// First month, `YYYY-MM` (default: January of `to`'s year).
    pub from: Option<String>,
    /// Last month, `YYYY-MM`, not in the future (default: this month).
    pub to: Option<String>,
    /// The agency counted: this tenant (default) or, for a government, one of the
    /// agencies directly under it, by slug.
    pub agency: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublishedCount {
    pub kind: String,
    pub node_code: String,
    pub node_name: String,
    pub count: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MonthRow {
    /// `YYYY-MM`.
    pub month: String,
    pub items_published: i64,
    /// By kind and catalog node, kinds then nodes in order.
    pub items: Vec<PublishedCount>,
    pub received: i64,
    pub closed: i64,
    pub overdue: i64,
    pub answered: i64,
    pub answered_in_time: i64,
    /// `answered_in_time / answered`; `null` when nothing was answered.
    pub share_answered_in_time: Option<f64>,
    /// Calendar days; `null` when nothing was answered.
    pub median_days_to_answer: Option<f64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MonthlyView {
    pub agency: Agency,
    pub from: String,
    pub to: String,
    /// Every month of the range, in order (months without records have zeros).
    pub months: Vec<MonthRow>,
    /// How each figure is counted.
    pub definitions: Vec<Definition>,
}

pub fn definitions() -> Vec<Definition> {
    vec![
        definition("items_published", "发布信息数", "本月首次发布的信息条数（以发布时的北京时间日期计，按信息类别和所在栏目分列；撤回后再发布不重复计）。"),
        definition("received", "收到申请数", "收到（登记）日期在本月的政府信息公开申请数。"),
        definition("closed", "办结申请数", "本月办结的申请数：答复送达、视为放弃（逾期不补正、逾期未缴费）或申请人撤回，与年度报告表三的“办理结果”口径相同。"),
        definition("overdue", "逾期申请数", "答复期限在本月且已届满、到期时尚未办结的申请数（含此后才答复的）；每件申请只在其期限届满的月份计一次。"),
        definition("answered", "答复数", "本月送达答复的申请数（不含撤回和视为放弃）。"),
        definition("answered_in_time", "按期答复数", "本月送达答复、且答复日期不晚于答复期限（含依法延长和中止后的期限）的申请数。"),
        definition("share_answered_in_time", "按期答复率", "按期答复数 ÷ 答复数；本月无答复时不计算。"),
        definition("median_days_to_answer", "答复用时中位数（自然日）", "本月送达答复的申请，自收到之日至答复之日的自然日数的中位数；本月无答复时不计算。"),
    ]
}

fn month_param(field: &str, text: &str, problems: &mut Vec<FieldProblem>) -> Option<Month> {
    let month = Month::parse(text);
    if month.is_none() {
        problems.push(FieldProblem::new(
            field,
            format!("`{text}` is not a month: write YYYY-MM"),
        ));
    }
    month
}

/// The months asked for, checked: every problem listed at once.
pub fn months_of(q: &MonthlyQuery, today: chrono::NaiveDate) -> Result<(Month, Month)> {
    let mut problems = Vec::new();
    let this_month = Month::of(today);
    let to = match &q.to {
        Some(t) => month_param("to", t, &mut problems),
        None => Some(this_month),
    };
    let from = match &q.from {
        Some(f) => month_param("from", f, &mut problems),
        None => to.map(|t| Month {
            year: t.year,
            month: 1,
        }),
    };
    if let (Some(from), Some(to)) = (from, to) {
        for (field, m) in [("from", from), ("to", to)] {
            if m > this_month {
                problems.push(FieldProblem::new(
                    field,
                    format!("{m} has not begun (today is {today})"),
                ));
            } else if m.year < FIRST_YEAR {
                problems.push(FieldProblem::new(
                    field,
                    format!(
                        "nothing is counted before {FIRST_YEAR}, when the Regulation took effect"
                    ),
                ));
            }
        }
        let span = from.through(to).len();
        if from > to {
            problems.push(FieldProblem::new("from", format!("{from} is after {to}")));
        } else if span > MAX_MONTHS {
            problems.push(FieldProblem::new(
                "from",
                format!("at most {MAX_MONTHS} months at once ({span} asked)"),
            ));
        }
    }
    check(problems)?;
    // Both parsed: a month that did not parse is a problem listed above.
    from.zip(to)
        .ok_or_else(|| Error::internal("months unchecked"))
}

/// `tenant` itself, or, by slug, an agency directly under it; anything else (another
/// tenant's agency included) is unknown here.
pub async fn agency_of(reports: &Reports, tenant: &Tenant, slug: Option<&str>) -> Result<Tenant> {
    match slug {
        None => Ok(tenant.clone()),
        Some(s) if s == tenant.slug => Ok(tenant.clone()),
        Some(s) => children(reports, tenant)
            .await?
            .into_iter()
            .find(|c| c.slug == s)
            .ok_or_else(|| {
                Error::invalid(
                    "agency",
                    format!(
                        "no agency `{s}` under {}: name this tenant or an agency directly under it",
                        tenant.slug
                    ),
                )
            }),
    }
}

/// The counts of `agency` over `from..=to`, read in its own transaction.
pub async fn counted(
    reports: &Reports,
    agency: &Tenant,
    from: Month,
    to: Month,
) -> Result<MonthCounts> {
    let mut tx = reports.db.tenant_read(&agency.id).await?;
    let counted = counts::months(
        &mut tx,
        from.first_day(),
        to.last_day(),
        reports.clock.today(),
    )
    .await?;
    tx.commit().await?;
    Ok(counted)
}

/// One row per month from the counts.
pub fn rows(counted: &MonthCounts, from: Month, to: Month) -> Vec<MonthRow> {
    from.through(to)
        .into_iter()
        .map(|m| {
            let key = m.to_string();
            let at = |map: &BTreeMap<String, i64>| map.get(&key).copied().unwrap_or(0);
            let items: Vec<PublishedCount> = counted
                .published
                .iter()
                .filter(|p| p.month == key)
                .map(|p| PublishedCount {
                    kind: p.kind.clone(),
                    node_code: p.node_code.clone(),
                    node_name: p.node_name.clone(),
                    count: p.n,
                })
                .collect();
            let answered: Vec<_> = counted.answered.iter().filter(|a| a.month == key).collect();
            let total: i64 = answered.iter().map(|a| a.n).sum();
            let in_time: i64 = answered
                .iter()
                .filter(|a| a.in_time == 1)
                .map(|a| a.n)
                .sum();
            let days: Vec<(i64, i64)> = answered.iter().map(|a| (a.days, a.n)).collect();
            MonthRow {
                month: key.clone(),
                items_published: items.iter().map(|i| i.count).sum(),
                items,
                received: at(&counted.received),
                closed: at(&counted.closed),
                overdue: at(&counted.overdue),
                answered: total,
                answered_in_time: in_time,
                share_answered_in_time: share(in_time, total),
                median_days_to_answer: median(&days),
            }
        })
        .collect()
}

/// The monthly statistics asked for; refused for a future month, an unknown agency, or
/// a range in which no record counts.
pub async fn monthly(reports: &Reports, tenant: &Tenant, q: &MonthlyQuery) -> Result<MonthlyView> {
    let (from, to) = months_of(q, reports.clock.today())?;
    let agency = agency_of(reports, tenant, q.agency.as_deref()).await?;
    let counted = counted(reports, &agency, from, to).await?;
    if counted.is_empty() {
        return Err(Error::invalid(
            "from",
            format!("no records count from {from} to {to} for {}: no item published and no request received, closed, answered or due then", agency.slug),
        ));
    }
    Ok(MonthlyView {
        agency: Agency::of(&agency),
        from: from.to_string(),
        to: to.to_string(),
        months: rows(&counted, from, to),
        definitions: definitions(),
    })
}
