//! The quarterly ranking of a government's agencies (DOMAIN §5): each metric ranked on
//! its own, its definition beside it, the counts it was computed from shown with the
//! value, ties sharing a rank; an agency for which a share cannot be computed (nothing
//! to divide by) is listed unranked rather than ranked last. No composite score.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{counts, Agency};
use crate::kernel::error::{Error, Result};
use crate::reports::summary::{children, government_only};
use crate::reports::Reports;
use crate::tenancy::Tenant;
use gongkai_rules::statistics::{rank, share, Month, Quarter};

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct RankingQuery {
    /// `2026Q1`; default: the last quarter that is over.
    pub quarter: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RankEntry {
    /// 1 is the best; equal values share a rank; `null`: not computable (no data).
    pub rank: Option<u32>,
    pub agency: Agency,
    pub value: Option<f64>,
    /// What was counted: items published, or items / requests in time.
    pub numerator: i64,
    /// What it was divided by: months, or items / requests counted.
    pub denominator: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MetricRanking {
    pub metric: String,
    pub label: String,
    /// How the value is computed, published with the ranking.
    pub definition: String,
    /// `per_month` or `share` (0–1).
    pub unit: String,
    /// Ranked first, then the unranked; ties by slug.
    pub entries: Vec<RankEntry>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RankingView {
    pub quarter: String,
    pub from: String,
    pub to: String,
    /// The quarter is not over: figures up to today.
    pub provisional: bool,
    pub agencies: Vec<Agency>,
    pub metrics: Vec<MetricRanking>,
}

/// (metric, label, definition, unit).
pub const METRICS: [(&str, &str, &str, &str); 3] = [
    ("items_per_month", "月均发布信息数", "本季度首次发布的信息条数 ÷ 本季度已开始的月数（季度未结束时按已开始的月数）。多者在前。", "per_month"),
    ("items_published_in_time", "信息按期发布率", "最近一次发布在本季度、有公开期限的主动公开信息中，发布日期（北京时间）不晚于公开期限（自形成或变更之日起20个工作日）的比例。高者在前；本季度无此类信息的不排名。", "share"),
    ("requests_answered_in_time", "申请按期答复率", "本季度送达答复的申请中，答复日期不晚于答复期限（含依法延长和中止后的期限）的比例。高者在前；本季度无答复的不排名。", "share"),
];

fn quarter_of(q: &RankingQuery, today: NaiveDate) -> Result<Quarter> {
    let current = Quarter::of(today);
    let quarter = match &q.quarter {
        None => Quarter::of(current.first_day().pred_opt().expect("a day before")),
        Some(text) => Quarter::parse(text).ok_or_else(|| {
            Error::invalid(
                "quarter",
                format!("`{text}` is not a quarter: write YYYYQn, e.g. 2026Q1"),
            )
        })?,
    };
    if quarter > current {
        return Err(Error::invalid(
            "quarter",
            format!("{quarter} has not begun (today is {today})"),
        ));
    }
    if quarter.year < 2008 {
        return Err(Error::invalid(
            "quarter",
            "nothing is counted before 2008, when the Regulation took effect",
        ));
    }
    Ok(quarter)
}

/// One agency's counts for the three metrics: [(numerator, denominator)].
async fn measured(
    reports: &Reports,
    agency: &Tenant,
    q: Quarter,
    last: Month,
) -> Result<[(i64, i64); 3]> {
    let today = reports.clock.today();
    let (from, to) = (q.first_day(), last.last_day());
    let mut tx = reports.db.tenant_read(&agency.id).await?;
    let counted = counts::months(&mut tx, from, to, today).await?;
    let (published, in_time) = counts::publication_timeliness(&mut tx, from, to).await?;
    tx.commit().await?;
    let items: i64 = counted.published.iter().map(|p| p.n).sum();
    let answered: i64 = counted.answered.iter().map(|a| a.n).sum();
    let answered_in_time: i64 = counted
        .answered
        .iter()
        .filter(|a| a.in_time == 1)
        .map(|a| a.n)
        .sum();
    let months = q.first_month().through(last).len() as i64;
    Ok([
        (items, months),
        (in_time, published),
        (answered_in_time, answered),
    ])
}

pub async fn ranking(reports: &Reports, tenant: &Tenant, q: &RankingQuery) -> Result<RankingView> {
    government_only(tenant, "a ranking of agencies")?;
    let today = reports.clock.today();
    let quarter = quarter_of(q, today)?;
    let last = quarter.last_month().min(Month::of(today));
    let agencies = children(reports, tenant).await?;
    let mut measures = Vec::new();
    for agency in &agencies {
        measures.push(measured(reports, agency, quarter, last).await?);
    }
    // Nothing published, no item with a deadline, no answer: every metric is 0 or none.
    if measures
        .iter()
        .all(|m| m[0].0 == 0 && m[1].1 == 0 && m[2].1 == 0)
    {
        return Err(Error::invalid(
            "quarter",
            format!(
                "no records count in {quarter} for any agency under {}: nothing to rank",
                tenant.slug
            ),
        ));
    }
    let metrics = METRICS
        .iter()
        .enumerate()
        .map(|(i, (metric, label, definition, unit))| {
            let values: Vec<Option<f64>> = measures.iter().map(|m| share(m[i].0, m[i].1)).collect();
            let ranks = rank(&values);
            let mut entries: Vec<RankEntry> = agencies
                .iter()
                .zip(&measures)
                .zip(values.iter().zip(ranks))
                .map(|((agency, m), (value, rank))| RankEntry {
                    rank,
                    agency: Agency::of(agency),
                    value: *value,
                    numerator: m[i].0,
                    denominator: m[i].1,
                })
                .collect();
            entries.sort_by(|a, b| {
                (a.rank.is_none(), a.rank, &a.agency.slug).cmp(&(
                    b.rank.is_none(),
                    b.rank,
                    &b.agency.slug,
                ))
            });
            MetricRanking {
                metric: metric.to_string(),
                label: label.to_string(),
                definition: definition.to_string(),
                unit: unit.to_string(),
                entries,
            }
        })
        .collect();
    Ok(RankingView {
        quarter: quarter.to_string(),
        from: quarter.first_day().to_string(),
        to: quarter.last_day().to_string(),
        provisional: quarter.last_day() >= today,
        agencies: agencies.iter().map(Agency::of).collect(),
        metrics,
    })
}
