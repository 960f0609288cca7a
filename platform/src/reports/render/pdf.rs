//! The report as PDF, typeset as an official document: A4, the title centred in a bold
//! Song (serif) face, no document-number header, the six sections in order with tables
//! 2–4 ruled with thin borders. The text is set in Noto Serif CJK (SC); krilla embeds
//! only the glyphs used (a subset, with a ToUnicode map, so the text can be searched and
//! extracted), never the whole 20 MB font.
//!
//! The font is read from `GONGKAI_CJK_FONT` (and `GONGKAI_CJK_FONT_BOLD`), else from
//! Debian's fonts-noto-cjk. Without it the PDF is refused with a 502 problem that says
//! what to install; the other formats do not need it.

use std::sync::{Arc, OnceLock};

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use krilla::Document;

use gongkai_rules::annual_report::layout::{self, format_figure, Place, TableLayout};

use super::super::document::ReportDoc;
use crate::kernel::error::{Error, Result};

const NOTO: &str = "/usr/share/fonts/opentype/noto";
/// Index of the simplified-Chinese face in the Noto CJK collections.
const SC_INDEX: u32 = 2;

const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN_X: f32 = 56.0;
const MARGIN_TOP: f32 = 64.0;
const MARGIN_BOTTOM: f32 = 56.0;

struct Fonts {
    regular: Font,
    bold: Font,
}

fn load(var: &str, file: &str) -> Option<Font> {
    let path = std::env::var(var).unwrap_or_else(|_| format!("{NOTO}/{file}"));
    let data = std::fs::read(&path).ok()?;
    let index = if path.ends_with(".ttc") || path.ends_with(".otc") {
        SC_INDEX
    } else {
        0
    };
    Font::new(data.into(), index)
}

/// The fonts, read once per process.
fn fonts() -> Result<Arc<Fonts>> {
    static FONTS: OnceLock<Option<Arc<Fonts>>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let regular = load("GONGKAI_CJK_FONT", "NotoSerifCJK-Regular.ttc")?;
            let bold = load("GONGKAI_CJK_FONT_BOLD", "NotoSerifCJK-Bold.ttc")
                .unwrap_or_else(|| regular.clone());
            Some(Arc::new(Fonts { regular, bold }))
        })
        .clone()
        .ok_or_else(|| Error::Upstream {
            slug: "pdf-font-missing",
            detail: format!(
                "the PDF needs a Chinese font: install Debian's fonts-noto-cjk ({NOTO}/NotoSerifCJK-Regular.ttc) or set GONGKAI_CJK_FONT to a CJK font file"
            ),
        })
}

/// Width of `text` at `size`, estimated: CJK characters and full-width punctuation are
/// one em, the rest a little over half (on the safe side for wrapping).
fn width(text: &str, size: f32) -> f32 {
    text.chars()
        .map(|c| if (c as u32) >= 0x2E80 { 1.0 } else { 0.56 })
        .sum::<f32>()
        * size
}

/// `text` broken into lines no wider than `max`.
fn wrap(text: &str, size: f32, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for c in paragraph.chars() {
            line.push(c);
            if width(&line, size) > max && line.chars().count() > 1 {
                line.pop();
                lines.push(std::mem::take(&mut line));
                line.push(c);
            }
        }
        lines.push(line);
    }
    lines
}

/// The Markdown of a section as plain paragraphs (the PDF sets no emphasis or links).
fn plain(markdown: &str) -> String {
    markdown
        .lines()
        .map(|l| {
            l.trim_start_matches(['#', '>', '*', '-', ' '])
                .replace("**", "")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

struct Pen<'a> {
    doc: &'a mut Document,
    fonts: &'a Fonts,
    pages: Vec<Vec<Op>>,
    y: f32,
}

/// What a page holds, drawn when the document is finished.
enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        text: String,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
}

impl Pen<'_> {
    fn ops(&mut self) -> &mut Vec<Op> {
        self.pages.last_mut().expect("a page")
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN_TOP;
    }

    fn room(&mut self, height: f32) {
        if self.y + height > PAGE_H - MARGIN_BOTTOM {
            self.new_page();
        }
    }

    fn line(&mut self, x: f32, size: f32, bold: bool, text: String) {
        let y = self.y + size;
        self.ops().push(Op::Text {
            x,
            y,
            size,
            bold,
            text,
        });
    }

    fn centred(&mut self, size: f32, bold: bool, text: &str) {
        for l in wrap(text, size, PAGE_W - 2.0 * MARGIN_X) {
            self.room(size * 1.6);
            let x = (PAGE_W - width(&l, size)) / 2.0;
            self.line(x.max(MARGIN_X), size, bold, l);
            self.y += size * 1.6;
        }
    }

    fn paragraph(&mut self, size: f32, bold: bool, text: &str) {
        let indent = if bold { 0.0 } else { 2.0 * size };
        for (i, l) in wrap(text, size, PAGE_W - 2.0 * MARGIN_X - indent)
            .into_iter()
            .enumerate()
        {
            self.room(size * 1.7);
            let x = MARGIN_X + if i == 0 { indent } else { 0.0 };
            self.line(x, size, bold, l);
            self.y += size * 1.7;
        }
    }

    fn table(&mut self, t: &TableLayout, doc: &ReportDoc) {
        let size = if t.columns > 4 { 7.5 } else { 10.0 };
        let line_h = size * 1.35;
        let pad = 3.0;
        let full = PAGE_W - 2.0 * MARGIN_X;
        let widths: Vec<f32> = match t.number {
            2 => vec![0.31, 0.23, 0.23, 0.23],
            3 => [0.05, 0.11, 0.28].into_iter().chain([0.08; 7]).collect(),
            _ => vec![1.0 / 15.0; 15],
        }
        .into_iter()
        .map(|w| w * full)
        .collect();
        let xs: Vec<f32> = std::iter::once(0.0)
            .chain(widths.iter().scan(0.0, |acc, w| {
                *acc += w;
                Some(*acc)
            }))
            .map(|x| x + MARGIN_X)
            .collect();
        let placed = t.positioned();
        let text_of = |p: &Place| match p {
            Place::Heading { text, .. } => text.clone(),
            Place::Figure(cell, _) => format_figure(*cell, doc.value(*cell)),
        };
        let span_w = |col: usize, cs: usize| xs[col + cs] - xs[col];
        // Row heights from the cells that span one row; a taller spanning cell grows
        // the last row it covers.
        let mut heights = vec![line_h + 2.0 * pad; t.rows()];
        for p in &placed {
            let (cs, rs) = p.place.spans();
            let lines = wrap(&text_of(p.place), size, span_w(p.col, cs) - 2.0 * pad).len();
            let need = lines as f32 * line_h + 2.0 * pad;
            let have: f32 = heights[p.row..p.row + rs].iter().sum();
            if need > have {
                heights[p.row + rs - 1] += need - have;
            }
        }
        let total: f32 = heights.iter().sum();
        self.room(total + 30.0);
        let top = self.y;
        let ys: Vec<f32> = std::iter::once(top)
            .chain(heights.iter().scan(top, |acc, h| {
                *acc += h;
                Some(*acc)
            }))
            .collect();
        for p in &placed {
            let (cs, rs) = p.place.spans();
            let (x, y) = (xs[p.col], ys[p.row]);
            let (w, h) = (span_w(p.col, cs), ys[p.row + rs] - y);
            self.ops().push(Op::Rect { x, y, w, h });
            let lines = wrap(&text_of(p.place), size, w - 2.0 * pad);
            let block = lines.len() as f32 * line_h;
            let mut ly = y + (h - block) / 2.0;
            for l in lines {
                let lx = x + (w - width(&l, size)) / 2.0;
                let bold = matches!(p.place, Place::Heading { .. }) && p.row < t.head.len();
                self.ops().push(Op::Text {
                    x: lx.max(x + pad),
                    y: ly + size,
                    size,
                    bold,
                    text: l,
                });
                ly += line_h;
            }
        }
        self.y = top + total + 12.0;
    }

    fn finish(self) -> Result<()> {
        for ops in &self.pages {
            let settings = PageSettings::from_wh(PAGE_W, PAGE_H)
                .ok_or_else(|| Error::internal("A4 page size"))?;
            let mut page = self.doc.start_page_with(settings);
            let mut surface = page.surface();
            draw(&mut surface, ops, self.fonts);
            surface.finish();
            page.finish();
        }
        Ok(())
    }
}

fn draw(surface: &mut Surface<'_>, ops: &[Op], fonts: &Fonts) {
    let black = || Fill {
        paint: rgb::Color::new(0, 0, 0).into(),
        ..Fill::default()
    };
    for op in ops {
        match op {
            Op::Text {
                x,
                y,
                size,
                bold,
                text,
            } => {
                surface.set_stroke(None);
                surface.set_fill(Some(black()));
                let font = if *bold { &fonts.bold } else { &fonts.regular };
                surface.draw_text(
                    Point::from_xy(*x, *y),
                    font.clone(),
                    *size,
                    text,
                    false,
                    TextDirection::Auto,
                );
            }
            Op::Rect { x, y, w, h } => {
                let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) else {
                    continue;
                };
                let mut pb = PathBuilder::new();
                pb.push_rect(rect);
                let Some(path) = pb.finish() else { continue };
                surface.set_fill(None);
                surface.set_stroke(Some(Stroke {
                    paint: rgb::Color::new(0, 0, 0).into(),
                    width: 0.6,
                    ..Stroke::default()
                }));
                surface.draw_path(&path);
            }
        }
    }
}

pub fn render(doc: &ReportDoc) -> Result<Vec<u8>> {
    let fonts = fonts()?;
    let mut pdf = Document::new();
    pdf.set_metadata(
        Metadata::new()
            .title(doc.title.clone())
            .authors(vec![doc.agency.clone()])
            .language("zh-CN".into()),
    );
    let mut pen = Pen {
        doc: &mut pdf,
        fonts: &fonts,
        pages: Vec::new(),
        y: MARGIN_TOP,
    };
    pen.new_page();
    pen.y += 20.0;
    pen.centred(18.0, true, &doc.title);
    pen.y += 18.0;
    let tables = layout::tables();
    let sections = doc.written_sections();
    let body = 12.0;
    pen.paragraph(body, true, sections[0].0);
    pen.paragraph(body, false, &plain(sections[0].1));
    for t in &tables {
        pen.y += 6.0;
        pen.paragraph(body, true, t.section);
        pen.centred(10.5, true, t.caption);
        pen.table(t, doc);
    }
    for (heading, text) in &sections[1..] {
        pen.y += 6.0;
        pen.paragraph(body, true, heading);
        pen.paragraph(body, false, &plain(text));
    }
    pen.finish()?;
    pdf.finish()
        .map_err(|e| Error::internal(format!("writing the report's PDF: {e:?}")))
}
