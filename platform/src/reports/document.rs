//! The report as its renditions print it (portal HTML, XLSX, CSV, PDF): title, the three
//! sections staff write and every figure. Made from a stored report (the staff's draft or
//! submitted report) or from the published item's fields (the public's copy, frozen
//! when the report was submitted), never from a recount.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::kernel::error::{Error, Result};
use gongkai_rules::annual_report::{AnnualFigures, Cell};

#[derive(Debug, Clone)]
pub struct ReportDoc {
    /// The agency's name, as printed under the title.
    pub agency: String,
    pub year: i32,
    /// `示例市人民政府2026年政府信息公开工作年度报告`.
    pub title: String,
    /// 一、总体情况 (Markdown).
    pub overview: String,
    /// 五、存在的主要问题及改进情况 (Markdown).
    pub problems: String,
    /// 六、其他需要报告的事项 (Markdown).
    pub other_matters: String,
    pub figures: AnnualFigures,
}

/// The title of `agency`'s report of `year`.
pub fn title(agency: &str, year: i32) -> String {
    format!("{agency}{year}年政府信息公开工作年度报告")
}

impl ReportDoc {
    pub fn value(&self, cell: Cell) -> i64 {
        self.figures.get(cell)
    }

    /// The item fields that freeze the report (kind `annual_report`): every figure,
    /// zeros included, so the published tables are complete without the report row.
    pub fn to_fields(&self) -> Value {
        let figures: Map<String, Value> = Cell::all()
            .map(|c| (c.to_string(), json!(self.value(c))))
            .collect();
        json!({
            "report_year": self.year,
            "overview": self.overview,
            "problems": self.problems,
            "other_matters": self.other_matters,
            "figures": figures,
        })
    }

    /// The report frozen in an item's (published) fields.
    pub fn from_fields(agency: &str, title: &str, fields: &Value) -> Result<ReportDoc> {
        let year = fields
            .get("report_year")
            .and_then(Value::as_i64)
            .ok_or_else(|| Error::internal("annual report item without its year"))?;
        let text = |name: &str| {
            fields
                .get(name)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let stored: BTreeMap<String, i64> = fields
            .get("figures")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| v.as_i64().map(|n| (k.clone(), n)))
                    .collect()
            })
            .unwrap_or_default();
        let mut figures = AnnualFigures::default();
        for (cell, n) in stored {
            let cell = cell.parse::<Cell>().map_err(Error::internal_from)?;
            figures.set(cell, n);
        }
        Ok(ReportDoc {
            agency: agency.to_string(),
            year: year as i32,
            title: title.to_string(),
            overview: text("overview"),
            problems: text("problems"),
            other_matters: text("other_matters"),
            figures,
        })
    }

    /// The three sections staff write, with the headings of the format, in order.
    pub fn written_sections(&self) -> [(&'static str, &str); 3] {
        use gongkai_rules::annual_report::layout::SECTIONS;
        [
            (SECTIONS[0], &self.overview),
            (SECTIONS[4], &self.problems),
            (SECTIONS[5], &self.other_matters),
        ]
    }

    /// A file name for a download: ASCII, `annual-report-2026.xlsx`.
    pub fn file_name(&self, extension: &str) -> String {
        format!("annual-report-{}.{extension}", self.year)
    }
}
