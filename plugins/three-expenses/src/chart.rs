//! Export `svg`: per department, the lines over the years as a simple line
//! chart, for the portal until it has charts of its own (issue 16, item 6).
//! A year's figure comes from its final account when exported, else from its
//! budget, else from the next year's "last year" column.

use crate::{Cents, BUDGET, FINAL, LINES};
use gongkai_plugin_sdk::{ExportItem, ExportOutput, Fields, PluginError};
use std::fmt::Write;

pub const SVG_MEDIA_TYPE: &str = "image/svg+xml";

/// The lines drawn (the vehicle parts stay in the tables) and their colours.
const SERIES: [(&str, &str); 4] = [
    ("total", "#1f4e79"),
    ("abroad", "#c0504d"),
    ("vehicles", "#9bbb59"),
    ("reception", "#f79646"),
];
const W: i64 = 640;
const H: i64 = 260;
const LEFT: i64 = 70;
const RIGHT: i64 = 150;
const TOP: i64 = 40;
const BOTTOM: i64 = 40;

fn amount(f: &Fields, key: &str) -> Option<Cents> {
    Cents::from_wan_yuan(f.decimal(key).ok()??).ok()
}

/// Source rank of a point: final account 3, budget 2, a later table's "last year" 1.
type Point = (i64, u8, [Option<Cents>; 4]);

struct Department {
    name: String,
    points: Vec<Point>,
}

impl Department {
    fn put(&mut self, year: i64, rank: u8, values: [Option<Cents>; 4]) {
        match self.points.iter_mut().find(|p| p.0 == year) {
            Some(p) if p.1 >= rank => {}
            Some(p) => *p = (year, rank, values),
            None => self.points.push((year, rank, values)),
        }
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn label(line: &str) -> &'static str {
    LINES.iter().find(|l| l.0 == line).map_or("", |l| l.1)
}

pub fn svg(items: &[ExportItem]) -> Result<ExportOutput, PluginError> {
    let mut depts: Vec<Department> = Vec::new();
    for item in items {
        let rank = match item.kind.as_str() {
            FINAL => 3,
            BUDGET => 2,
            other => {
                return Err(PluginError::BadInput(format!(
                    "item {} is {other}, not a three-expenses table",
                    item.id
                )))
            }
        };
        let f = &item.fields;
        let name = f
            .text("department")
            .ok()
            .flatten()
            .unwrap_or("")
            .to_string();
        let Some(year) = f.integer("year").ok().flatten() else {
            continue;
        };
        let idx = match depts.iter().position(|d| d.name == name) {
            Some(i) => i,
            None => {
                depts.push(Department {
                    name,
                    points: Vec::new(),
                });
                depts.len() - 1
            }
        };
        let d = &mut depts[idx];
        d.put(year, rank, SERIES.map(|(l, _)| amount(f, l)));
        d.put(
            year - 1,
            1,
            SERIES.map(|(l, _)| amount(f, &format!("{l}_prev"))),
        );
    }
    let mut out = String::new();
    let total_h = H * depts.len().max(1) as i64;
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{total_h}" viewBox="0 0 {W} {total_h}" font-family="sans-serif" font-size="12" role="img"><title>三公经费 Three public expenses (万元)</title>"#
    );
    for (i, d) in depts.iter_mut().enumerate() {
        d.points.sort_by_key(|p| p.0);
        chart(&mut out, d, i as i64 * H);
    }
    out.push_str("</svg>");
    Ok(ExportOutput {
        media_type: SVG_MEDIA_TYPE.into(),
        extension: "svg".into(),
        bytes: out.into_bytes(),
    })
}

fn chart(out: &mut String, d: &Department, y0: i64) {
    let max = d
        .points
        .iter()
        .flat_map(|p| p.2.iter().flatten())
        .map(|c| c.0)
        .max()
        .unwrap_or(0)
        .max(1);
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let n = d.points.len() as i64;
    let x = |i: i64| {
        LEFT + if n > 1 {
            i * plot_w / (n - 1)
        } else {
            plot_w / 2
        }
    };
    let y = |c: Cents| y0 + TOP + plot_h - c.0 * plot_h / max;
    let _ = write!(
        out,
        r#"<text x="{LEFT}" y="{}" font-weight="bold">{} 三公经费（万元）</text>"#,
        y0 + 20,
        escape(&d.name)
    );
    let base = y0 + TOP + plot_h;
    let _ = write!(
        out,
        r##"<line x1="{LEFT}" y1="{base}" x2="{}" y2="{base}" stroke="#999"/><line x1="{LEFT}" y1="{}" x2="{LEFT}" y2="{base}" stroke="#999"/><text x="{}" y="{}" text-anchor="end">{}</text><text x="{}" y="{base}" text-anchor="end">0</text>"##,
        LEFT + plot_w,
        y0 + TOP,
        LEFT - 6,
        y0 + TOP + 4,
        Cents(max),
        LEFT - 6,
    );
    for (i, p) in d.points.iter().enumerate() {
        let _ = write!(
            out,
            r#"<text x="{}" y="{}" text-anchor="middle">{}</text>"#,
            x(i as i64),
            base + 18,
            p.0
        );
    }
    for (s, (line, colour)) in SERIES.iter().enumerate() {
        let pts: Vec<(i64, i64, Cents, i64)> = d
            .points
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.2[s].map(|c| (x(i as i64), y(c), c, p.0)))
            .collect();
        let path: Vec<String> = pts
            .iter()
            .map(|(px, py, ..)| format!("{px},{py}"))
            .collect();
        let _ = write!(
            out,
            r#"<polyline fill="none" stroke="{colour}" stroke-width="2" points="{}"/>"#,
            path.join(" ")
        );
        for (px, py, c, year) in &pts {
            let _ = write!(
                out,
                r#"<circle cx="{px}" cy="{py}" r="3" fill="{colour}"><title>{year} {} {c}</title></circle>"#,
                label(line)
            );
        }
        let ly = y0 + TOP + 16 * s as i64;
        let lx = W - RIGHT + 12;
        let _ = write!(
            out,
            r#"<rect x="{lx}" y="{}" width="10" height="10" fill="{colour}"/><text x="{}" y="{}">{}</text>"#,
            ly - 9,
            lx + 14,
            ly,
            label(line)
        );
    }
}
