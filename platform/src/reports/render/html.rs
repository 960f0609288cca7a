//! The report on the portal: the sections in order, tables 2–4 as accessible HTML tables
//! (a caption, `th` with `scope` on every heading, the spans of the national layout),
//! and links to the downloads.

use maud::{html, Markup, PreEscaped};

use gongkai_rules::annual_report::layout::{self, format_figure, Place, TableLayout};
use gongkai_rules::annual_report::Cell;

use super::super::document::ReportDoc;
use super::Format;
use crate::disclosure::render::markdown_to_html;
use crate::web::Lang;

fn span(n: usize) -> Option<usize> {
    (n > 1).then_some(n)
}

fn row(places: &[Place], figure: &dyn Fn(Cell) -> Markup) -> Markup {
    html! {
        tr {
            @for p in places {
                @match p {
                    Place::Heading { text, scope, colspan, rowspan } => {
                        th scope=(scope.as_str()) colspan=[span(*colspan)] rowspan=[span(*rowspan)] { (text) }
                    }
                    Place::Figure(cell, colspan) => {
                        td class="num" colspan=[span(*colspan)] data-cell=(cell.to_string()) {
                            (figure(*cell))
                        }
                    }
                }
            }
        }
    }
}

/// One table as printed.
pub fn table(t: &TableLayout, doc: &ReportDoc) -> Markup {
    table_with(t, &|cell| html! { (format_figure(cell, doc.value(cell))) })
}

/// One table as printed, each figure drawn by `figure` (the console links it to its
/// records and marks an adjusted one).
pub fn table_with(t: &TableLayout, figure: &dyn Fn(Cell) -> Markup) -> Markup {
    html! {
        div class="table-scroll" {
            table class="report-table" id=(format!("table-{}", t.number)) {
                caption { (t.caption) }
                @if !t.head.is_empty() {
                    thead { @for places in &t.head { (row(places, figure)) } }
                }
                tbody { @for places in &t.body { (row(places, figure)) } }
            }
        }
    }
}

/// The whole report: sections 一 to 六 with the tables in 二 to 四, and the downloads
/// (`download_href` gives the address of each format).
pub fn report(lang: Lang, doc: &ReportDoc, download_href: impl Fn(Format) -> String) -> Markup {
    let sections = doc.written_sections();
    let written = |i: usize| {
        let (heading, text) = sections[i];
        html! {
            section class="report-section" {
                h2 { (heading) }
                @if text.trim().is_empty() {
                    p class="empty" { "无。" }
                } @else {
                    div class="body" { (PreEscaped(markdown_to_html(text))) }
                }
            }
        }
    };
    html! {
        nav class="report-downloads" aria-label=(lang.t("report-downloads")) {
            (lang.t("report-downloads")) ": "
            @for (i, f) in Format::ALL.iter().enumerate() {
                @if i > 0 { " · " }
                a href=(download_href(*f)) download { (f.extension().to_uppercase()) }
            }
        }
        div class="annual-report" lang="zh-CN" {
            (written(0))
            @for t in layout::tables() {
                section class="report-section" {
                    h2 { (t.section) }
                    (table(&t, doc))
                }
            }
            (written(1))
            (written(2))
        }
    }
}
