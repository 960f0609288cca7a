//! Bar and line charts as SVG written on the server: no script, readable without one.
//! Each chart is an image (`role="img"`) named by its `<title>` and described by a
//! `<desc>` that carries every figure drawn, so a screen reader (or a test) reads the
//! numbers the bars show; each bar or point also has its own `<title>`. Every text is
//! escaped. Written by hand (about 200 lines): the chart crates looked at (plotters'
//! SVG backend, charts-rs) write no `<title>`/`<desc>` and need a font backend to lay
//! out Chinese labels (docs/adr/0019).

use std::fmt::Write;

/// What the values are, for the axis and the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Count,
    /// 0–1, written as a percentage.
    Share,
    /// Figures with one decimal (days, items per month).
    Decimal,
}

impl Unit {
    pub fn format(self, v: Option<f64>) -> String {
        match (self, v) {
            (_, None) => "无数据".into(),
            (Unit::Count, Some(v)) => format!("{}", v.round() as i64),
            (Unit::Share, Some(v)) => format!("{:.1}%", v * 100.0),
            (Unit::Decimal, Some(v)) => format!("{v:.1}"),
        }
    }
}

pub struct Series {
    pub name: String,
    /// One per category; `None`: not computable (drawn as nothing, said as 无数据).
    pub values: Vec<Option<f64>>,
}

pub struct Chart {
    /// ASCII, unique on a page: the ids of the title and description derive from it.
    pub id: String,
    pub title: String,
    pub categories: Vec<String>,
    pub series: Vec<Series>,
    pub unit: Unit,
}

const W: f64 = 720.0;
const H: f64 = 360.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 44.0;
const BOTTOM: f64 = 96.0;
const COLOURS: [&str; 5] = ["#1f5fa8", "#b03a2e", "#2e7d32", "#7b4fa0", "#8a6212"];

/// `text` escaped for SVG (maud's escaper), control characters (not allowed in XML)
/// as spaces.
pub fn escape(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut out = String::with_capacity(cleaned.len());
    let _ = maud::Escaper::new(&mut out).write_str(&cleaned);
    out
}

/// The top of the axis: 1, 2 or 5 × 10ⁿ at or above `max` (1 for shares).
fn axis_max(chart: &Chart) -> f64 {
    if chart.unit == Unit::Share {
        return 1.0;
    }
    let max = chart
        .series
        .iter()
        .flat_map(|s| s.values.iter().flatten())
        .fold(0.0f64, |a, &b| a.max(b));
    if max <= 0.0 {
        return 1.0;
    }
    let power = 10f64.powf(max.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|&top| top >= max)
        .unwrap_or(10.0 * power)
}

/// The figures in words: "2026-01：收到申请 2，办结申请 1；2026-02：…".
fn description(chart: &Chart) -> String {
    chart
        .categories
        .iter()
        .enumerate()
        .map(|(i, category)| {
            let figures: Vec<String> = chart
                .series
                .iter()
                .map(|s| {
                    format!(
                        "{} {}",
                        s.name,
                        chart.unit.format(s.values.get(i).copied().flatten())
                    )
                })
                .collect();
            format!("{category}：{}", figures.join("，"))
        })
        .collect::<Vec<_>>()
        .join("；")
}

/// The frame both kinds share: title, description, grid, axis labels, legend. `marks`
/// draws the data inside the plot area given (x of a category's centre, y of a value).
fn frame(
    chart: &Chart,
    marks: impl FnOnce(&mut String, &dyn Fn(usize) -> f64, &dyn Fn(f64) -> f64),
) -> String {
    let id = escape(&chart.id);
    let top = axis_max(chart);
    let (plot_w, plot_h) = (W - LEFT - RIGHT, H - TOP - BOTTOM);
    let n = chart.categories.len().max(1);
    let step = plot_w / n as f64;
    let x = |i: usize| LEFT + step * (i as f64 + 0.5);
    let y = |v: f64| TOP + plot_h * (1.0 - (v / top).clamp(0.0, 1.0));
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" aria-labelledby="{id}-title {id}-desc" font-family="'Noto Sans CJK SC', sans-serif" font-size="12">"#
    );
    let _ = write!(
        s,
        r#"<title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        escape(&chart.title),
        escape(&description(chart))
    );
    let _ = write!(
        s,
        r##"<text x="{LEFT}" y="24" font-size="15" font-weight="bold" fill="#111">{}</text><g aria-hidden="true">"##,
        escape(&chart.title)
    );
    for k in 0..=4 {
        let v = top * k as f64 / 4.0;
        let _ = write!(
            s,
            r##"<line x1="{LEFT}" x2="{}" y1="{y:.1}" y2="{y:.1}" stroke="#ccc"/><text x="{}" y="{:.1}" text-anchor="end" fill="#333">{}</text>"##,
            W - RIGHT,
            LEFT - 6.0,
            y(v) + 4.0,
            escape(&tick(chart.unit, v)),
            y = y(v)
        );
    }
    // Every label when they fit, else every k-th; long ones slanted.
    let every = (n / 12).max(1);
    for (i, label) in chart
        .categories
        .iter()
        .enumerate()
        .filter(|(i, _)| i % every == 0)
    {
        let (lx, ly) = (x(i), H - BOTTOM + 16.0);
        let _ = write!(
            s,
            r##"<text x="{lx:.1}" y="{ly:.1}" text-anchor="end" transform="rotate(-30 {lx:.1} {ly:.1})" fill="#333">{}</text>"##,
            escape(label)
        );
    }
    for (k, series) in chart.series.iter().enumerate() {
        let lx = LEFT + 150.0 * k as f64;
        let _ = write!(
            s,
            r##"<rect x="{lx}" y="{}" width="12" height="12" fill="{}"/><text x="{}" y="{}" fill="#111">{}</text>"##,
            H - 22.0,
            COLOURS[k % COLOURS.len()],
            lx + 16.0,
            H - 12.0,
            escape(&series.name)
        );
    }
    s.push_str("</g>");
    marks(&mut s, &x, &y);
    s.push_str("</svg>");
    s
}

fn tick(unit: Unit, v: f64) -> String {
    match unit {
        Unit::Share => format!("{:.0}%", v * 100.0),
        _ if v.fract() == 0.0 => format!("{v:.0}"),
        _ => format!("{v:.1}"),
    }
}

/// Vertical bars, the series side by side within each category.
pub fn bar(chart: &Chart) -> String {
    let n = chart.categories.len().max(1);
    let group = (W - LEFT - RIGHT) / n as f64 * 0.8;
    let width = group / chart.series.len().max(1) as f64;
    frame(chart, |s, x, y| {
        let base = y(0.0);
        for (k, series) in chart.series.iter().enumerate() {
            for (i, value) in series.values.iter().enumerate() {
                let Some(v) = value else { continue };
                let left = x(i) - group / 2.0 + width * k as f64;
                let _ = write!(
                    s,
                    r#"<rect x="{left:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{}"><title>{}</title></rect>"#,
                    y(*v),
                    width * 0.9,
                    base - y(*v),
                    COLOURS[k % COLOURS.len()],
                    escape(&format!(
                        "{} {}：{}",
                        chart.categories[i],
                        series.name,
                        chart.unit.format(Some(*v))
                    ))
                );
            }
        }
    })
}

/// One line per series, a point per value; a missing value breaks the line.
pub fn line(chart: &Chart) -> String {
    frame(chart, |s, x, y| {
        for (k, series) in chart.series.iter().enumerate() {
            let colour = COLOURS[k % COLOURS.len()];
            let mut run: Vec<String> = Vec::new();
            let mut runs = Vec::new();
            for (i, value) in series.values.iter().enumerate() {
                match value {
                    Some(v) => run.push(format!("{:.1},{:.1}", x(i), y(*v))),
                    None => runs.push(std::mem::take(&mut run)),
                }
            }
            runs.push(run);
            for points in runs.into_iter().filter(|r| r.len() > 1) {
                let _ = write!(
                    s,
                    r#"<polyline fill="none" stroke="{colour}" stroke-width="2" points="{}"/>"#,
                    points.join(" ")
                );
            }
            for (i, value) in series.values.iter().enumerate() {
                let Some(v) = value else { continue };
                let _ = write!(
                    s,
                    r#"<circle cx="{:.1}" cy="{:.1}" r="3.5" fill="{colour}"><title>{}</title></circle>"#,
                    x(i),
                    y(*v),
                    escape(&format!(
                        "{} {}：{}",
                        chart.categories[i],
                        series.name,
                        chart.unit.format(Some(*v))
                    ))
                );
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart() -> Chart {
        Chart {
            id: "t".into(),
            title: "收到与办结 <2026>".into(),
            categories: vec!["2026-01".into(), "2026-02".into()],
            series: vec![
                Series {
                    name: "收到".into(),
                    values: vec![Some(2.0), Some(0.0)],
                },
                Series {
                    name: "办结".into(),
                    values: vec![Some(1.0), None],
                },
            ],
            unit: Unit::Count,
        }
    }

    #[test]
    fn the_description_carries_every_figure_and_text_is_escaped() {
        let svg = bar(&chart());
        assert!(
            svg.contains(
                "<desc id=\"t-desc\">2026-01：收到 2，办结 1；2026-02：收到 0，办结 无数据</desc>"
            ),
            "{svg}"
        );
        assert!(svg.contains("收到与办结 &lt;2026&gt;"));
        assert!(!svg.contains("<2026>"));
        assert_eq!(axis_max(&chart()), 2.0);
        let svg = line(&chart());
        assert!(svg.contains("<polyline"), "{svg}");
        assert_eq!(Unit::Share.format(Some(2.0 / 3.0)), "66.7%");
    }
}
