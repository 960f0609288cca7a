//! Statistics (issue 14 point 6; DOMAIN §5): monthly counts of one agency, the quarterly
//! ranking of a government's agencies by metrics defined beside it (no composite score),
//! and the year-on-year comparison of the report's tables; each as JSON, CSV, XLSX and
//! server-rendered SVG charts. Counted in the database like the report's figures
//! (`counts`), never by loading rows; the arithmetic (months, medians, ranks) is
//! `gongkai_rules::statistics`. See docs/adr/0019.

pub mod charts;
pub mod counts;
pub mod export;
pub mod monthly;
pub mod ranking;
pub mod routes;
pub mod views;
pub mod year_on_year;

use serde::Serialize;
use utoipa::ToSchema;

use crate::tenancy::Tenant;

/// An agency a statistic is about.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Agency {
    pub slug: String,
    pub name: String,
}

impl Agency {
    pub fn of(t: &Tenant) -> Agency {
        Agency {
            slug: t.slug.clone(),
            name: t.name_zh.clone(),
        }
    }
}

/// How a figure is computed, written next to it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Definition {
    /// The field or metric it defines (`received`, `requests_answered_in_time`, …).
    pub metric: String,
    pub label: String,
    pub definition: String,
}

pub(crate) fn definition(metric: &str, label: &str, text: &str) -> Definition {
    Definition {
        metric: metric.into(),
        label: label.into(),
        definition: text.into(),
    }
}

/// A share as a percentage with one decimal, `—` when there is none.
pub fn percent(share: Option<f64>) -> String {
    share.map_or("—".into(), |s| format!("{:.1}%", s * 100.0))
}
