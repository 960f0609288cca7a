//! The statistics as files and charts: the sheets each one exports (CSV, XLSX) and the
//! SVG charts it draws. The API and the console pages both take them from here.

use super::charts::{self, Chart, Series, Unit};
use super::export::{Sheet, Value};
use super::monthly::MonthlyView;
use super::ranking::RankingView;
use super::year_on_year::{YearOnYearView, CHARTED};
use super::Definition;

fn notes(definitions: &[Definition]) -> Vec<String> {
    definitions
        .iter()
        .map(|d| format!("{}（{}）：{}", d.label, d.metric, d.definition))
        .collect()
}

fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

/// Monthly: one row per month (the XLSX's first sheet), then items by kind and node.
pub fn monthly_sheets(v: &MonthlyView) -> Vec<Sheet> {
    let title = format!("{} 月度统计 {} 至 {}", v.agency.name, v.from, v.to);
    let months = Sheet {
        name: "月度统计".into(),
        title: title.clone(),
        columns: vec![
            "month",
            "items_published",
            "received",
            "closed",
            "overdue",
            "answered",
            "answered_in_time",
            "share_answered_in_time",
            "median_days_to_answer",
        ],
        rows: v
            .months
            .iter()
            .map(|m| {
                vec![
                    text(&m.month),
                    Value::Int(m.items_published),
                    Value::Int(m.received),
                    Value::Int(m.closed),
                    Value::Int(m.overdue),
                    Value::Int(m.answered),
                    Value::Int(m.answered_in_time),
                    m.share_answered_in_time.into(),
                    m.median_days_to_answer.into(),
                ]
            })
            .collect(),
        notes: notes(&v.definitions),
    };
    let items = Sheet {
        name: "按类别和栏目".into(),
        title: format!("{title}：发布信息数按类别和栏目"),
        columns: vec!["month", "kind", "node_code", "node_name", "items_published"],
        rows: v
            .months
            .iter()
            .flat_map(|m| {
                m.items.iter().map(|i| {
                    vec![
                        text(&m.month),
                        text(&i.kind),
                        text(&i.node_code),
                        text(&i.node_name),
                        Value::Int(i.count),
                    ]
                })
            })
            .collect(),
        notes: vec!["本月首次发布的信息条数，按信息类别（kind）和所在栏目分列。".into()],
    };
    vec![months, items]
}

/// The monthly charts: (name, what it shows).
pub const MONTHLY_CHARTS: [(&str, &str); 4] = [
    ("items", "每月发布信息数"),
    ("requests", "每月收到、办结和逾期的申请"),
    ("timeliness", "每月按期答复率"),
    ("days", "每月答复用时中位数（自然日）"),
];

pub fn monthly_chart(v: &MonthlyView, name: &str) -> Option<String> {
    let (_, title) = MONTHLY_CHARTS.iter().find(|(n, _)| *n == name)?;
    let categories = v.months.iter().map(|m| m.month.clone()).collect();
    let series = |label: &str, f: &dyn Fn(&super::monthly::MonthRow) -> Option<f64>| Series {
        name: label.into(),
        values: v.months.iter().map(f).collect(),
    };
    let count = |n: i64| Some(n as f64);
    let chart = |series, unit| Chart {
        id: format!("monthly-{name}"),
        title: format!("{}：{}（{} 至 {}）", v.agency.name, title, v.from, v.to),
        categories,
        series,
        unit,
    };
    Some(match name {
        "items" => charts::bar(&chart(
            vec![series("发布信息数", &|m| count(m.items_published))],
            Unit::Count,
        )),
        "requests" => charts::line(&chart(
            vec![
                series("收到", &|m| count(m.received)),
                series("办结", &|m| count(m.closed)),
                series("逾期", &|m| count(m.overdue)),
            ],
            Unit::Count,
        )),
        "timeliness" => charts::line(&chart(
            vec![series("按期答复率", &|m| m.share_answered_in_time)],
            Unit::Share,
        )),
        _ => charts::bar(&chart(
            vec![series("答复用时中位数", &|m| {
                m.median_days_to_answer
            })],
            Unit::Decimal,
        )),
    })
}

pub fn ranking_sheet(v: &RankingView) -> Sheet {
    Sheet {
        name: format!("排名 {}", v.quarter),
        title: format!(
            "{} 各单位排名（{} 至 {}{}）",
            v.quarter,
            v.from,
            v.to,
            if v.provisional {
                "，季度未结束"
            } else {
                ""
            }
        ),
        columns: vec![
            "metric",
            "label",
            "rank",
            "agency",
            "agency_name",
            "value",
            "numerator",
            "denominator",
        ],
        rows: v
            .metrics
            .iter()
            .flat_map(|m| {
                m.entries.iter().map(|e| {
                    vec![
                        text(&m.metric),
                        text(&m.label),
                        e.rank.map_or(Value::Empty, |r| Value::Int(i64::from(r))),
                        text(&e.agency.slug),
                        text(&e.agency.name),
                        e.value.into(),
                        Value::Int(e.numerator),
                        Value::Int(e.denominator),
                    ]
                })
            })
            .collect(),
        notes: v
            .metrics
            .iter()
            .map(|m| format!("{}（{}）：{}", m.label, m.metric, m.definition))
            .chain(["各项指标分别排名，不合成总分；并列者名次相同；无法计算的不排名。".to_string()])
            .collect(),
    }
}

/// The ranking of one metric as bars, best first.
pub fn ranking_chart(v: &RankingView, metric: &str) -> Option<String> {
    let m = v.metrics.iter().find(|m| m.metric == metric)?;
    Some(charts::bar(&Chart {
        id: format!("ranking-{metric}"),
        title: format!("{} {}", v.quarter, m.label),
        categories: m.entries.iter().map(|e| e.agency.name.clone()).collect(),
        series: vec![Series {
            name: m.label.clone(),
            values: m.entries.iter().map(|e| e.value).collect(),
        }],
        unit: if m.unit == "share" {
            Unit::Share
        } else {
            Unit::Decimal
        },
    }))
}

pub fn year_on_year_sheet(v: &YearOnYearView) -> Sheet {
    let opt = |n: Option<i64>| n.map_or(Value::Empty, Value::Int);
    Sheet {
        name: format!("{}与{}", v.year, v.previous_year),
        title: format!("{}年度报告与{}年度报告逐项对比", v.year, v.previous_year),
        columns: vec!["cell", "label", "this_year", "last_year", "change"],
        rows: v
            .cells
            .iter()
            .map(|c| {
                vec![
                    text(&c.cell),
                    text(&c.label),
                    Value::Int(c.this_year),
                    opt(c.last_year),
                    opt(c.change),
                ]
            })
            .collect(),
        notes: vec![format!(
            "取各年度报告的现值（含有理由的人工调整）；{}年度报告状态：{}，{}年度：{}。表二收费金额单位为元。",
            v.year, v.status, v.previous_year, v.previous_status
        )],
    }
}

pub fn year_on_year_chart(v: &YearOnYearView) -> String {
    let value = |cell: &str, last: bool| {
        v.cells.iter().find(|c| c.cell == cell).and_then(|c| {
            if last {
                c.last_year.map(|n| n as f64)
            } else {
                Some(c.this_year as f64)
            }
        })
    };
    charts::bar(&Chart {
        id: format!("yoy-{}", v.year),
        title: format!("{}年与{}年主要数据对比", v.year, v.previous_year),
        categories: CHARTED.iter().map(|(_, label)| label.to_string()).collect(),
        series: vec![
            Series {
                name: format!("{}年", v.previous_year),
                values: CHARTED.iter().map(|(c, _)| value(c, true)).collect(),
            },
            Series {
                name: format!("{}年", v.year),
                values: CHARTED.iter().map(|(c, _)| value(c, false)).collect(),
            },
        ],
        unit: Unit::Count,
    })
}
