//! Snippets: a window of the text a reader sees, HTML-escaped, with the query's words
//! marked `<mark>…</mark>`. Matching happens on the folded text and is mapped back to the
//! original characters, so `關於` in a text is marked for the query `关于`, and a
//! full-width `１２` for `12`.

use crate::docnumber;
use crate::fold::fold_char;

/// The folded text and, for each of its characters, the index of the original character
/// it came from.
fn folded_with_origin(chars: &[char]) -> (Vec<char>, Vec<usize>) {
    let mut folded = Vec::with_capacity(chars.len());
    let mut origin = Vec::with_capacity(chars.len());
    let mut buf = String::new();
    for (i, c) in chars.iter().enumerate() {
        buf.clear();
        fold_char(*c, &mut buf);
        for f in buf.chars() {
            folded.push(f);
            origin.push(i);
        }
    }
    (folded, origin)
}

/// Which original characters are matched, by which term (index into `terms`).
fn matches(chars: &[char], terms: &[String]) -> Vec<Option<usize>> {
    let (folded, origin) = folded_with_origin(chars);
    let mut marked: Vec<Option<usize>> = vec![None; chars.len()];
    let mark = |start: usize, end: usize, t: usize, marked: &mut Vec<Option<usize>>| {
        if start < end && end <= folded.len() {
            for m in &mut marked[origin[start]..=origin[end - 1]] {
                m.get_or_insert(t);
            }
        }
    };
    let folded_text: String = folded.iter().collect();
    for f in docnumber::find(&folded_text) {
        if let Some(t) = terms.iter().position(|t| *t == f.term) {
            mark(f.start, f.end, t, &mut marked);
        }
    }
    for (t, term) in terms.iter().enumerate() {
        let needle: Vec<char> = term.chars().collect();
        if needle.is_empty() || term.starts_with("dn") && term.contains('x') {
            continue;
        }
        let mut i = 0;
        while i + needle.len() <= folded.len() {
            if folded[i..i + needle.len()] == needle[..] {
                mark(i, i + needle.len(), t, &mut marked);
                i += needle.len();
            } else {
                i += 1;
            }
        }
    }
    marked
}

fn escape_into(c: char, out: &mut String) {
    match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' => out.push_str("&quot;"),
        '\'' => out.push_str("&#39;"),
        '\n' | '\r' | '\t' => out.push(' '),
        c => out.push(c),
    }
}

fn render(chars: &[char], marked: &[Option<usize>], from: usize, to: usize) -> String {
    let mut out = String::new();
    let mut open = false;
    for i in from..to {
        let m = marked[i].is_some();
        if m && !open {
            out.push_str("<mark>");
            open = true;
        } else if !m && open {
            out.push_str("</mark>");
            open = false;
        }
        escape_into(chars[i], &mut out);
    }
    if open {
        out.push_str("</mark>");
    }
    out
}

/// The whole text, escaped, with the terms marked (titles).
pub fn highlight(text: &str, terms: &[String]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let marked = matches(&chars, terms);
    render(&chars, &marked, 0, chars.len())
}

/// At most `width` characters of `text` around the place where most of the terms are
/// found together, escaped, marked, with `…` where the text goes on. The start of the
/// text when no term is in it.
pub fn snippet(text: &str, terms: &[String], width: usize) -> String {
    // Whitespace runs collapse: bodies come from HTML with blank lines.
    let chars: Vec<char> = {
        let mut out = Vec::new();
        for c in text.trim().chars() {
            let c = if c.is_whitespace() { ' ' } else { c };
            if !(c == ' ' && out.last() == Some(&' ')) {
                out.push(c);
            }
        }
        out
    };
    if chars.is_empty() || width == 0 {
        return String::new();
    }
    let marked = matches(&chars, terms);
    let lead = width / 5;
    let mut best = (0usize, 0usize); // (distinct terms, start)
    let mut seen_start = usize::MAX;
    for (i, m) in marked.iter().enumerate() {
        if m.is_none() || (i > 0 && marked[i - 1].is_some()) {
            continue;
        }
        let start = i.saturating_sub(lead);
        if start == seen_start {
            continue;
        }
        seen_start = start;
        let end = (start + width).min(chars.len());
        let mut distinct: Vec<usize> = marked[start..end].iter().flatten().copied().collect();
        distinct.sort_unstable();
        distinct.dedup();
        if distinct.len() > best.0 {
            best = (distinct.len(), start);
        }
    }
    let start = best.1;
    let end = (start + width).min(chars.len());
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.push_str(&render(&chars, &marked, start, end));
    if end < chars.len() {
        out.push('…');
    }
    out
}

/// The text of the public body's HTML (rendered from Markdown, escaped): tags dropped,
/// block ends and line breaks as new lines, character references decoded.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut chars = html.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '<' => {
                let mut tag = String::new();
                for t in chars.by_ref() {
                    if t == '>' {
                        break;
                    }
                    if tag.len() < 16 {
                        tag.push(t.to_ascii_lowercase());
                    }
                }
                let name: String = tag
                    .trim_start_matches('/')
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect();
                if matches!(
                    name.as_str(),
                    "p" | "br"
                        | "li"
                        | "tr"
                        | "td"
                        | "th"
                        | "div"
                        | "h1"
                        | "h2"
                        | "h3"
                        | "h4"
                        | "h5"
                        | "h6"
                        | "table"
                        | "blockquote"
                        | "pre"
                        | "hr"
                ) {
                    out.push('\n');
                }
            }
            '&' => {
                let mut entity = String::new();
                while let Some(&e) = chars.peek() {
                    if e == ';' || entity.len() > 10 {
                        break;
                    }
                    entity.push(e);
                    chars.next();
                }
                let decoded = match entity.as_str() {
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    "nbsp" => Some(' '),
                    e if e.starts_with("#x") || e.starts_with("#X") => {
                        u32::from_str_radix(&e[2..], 16)
                            .ok()
                            .and_then(char::from_u32)
                    }
                    e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
                    _ => None,
                };
                match (decoded, chars.peek() == Some(&';')) {
                    (Some(d), true) => {
                        chars.next();
                        out.push(d);
                    }
                    _ => {
                        out.push('&');
                        out.push_str(&entity);
                    }
                }
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::query_terms;

    #[test]
    fn marks_and_escapes() {
        let terms = query_terms("公务用车");
        let html = highlight("关于<公务用车>管理 & 使用", &terms);
        assert!(html.contains("&lt;<mark>公务用车</mark>&gt;"), "{html}");
        assert!(html.contains("&amp;"));
        assert!(!html.contains("<公"));
    }

    #[test]
    fn traditional_text_is_marked_for_a_simplified_query() {
        let html = highlight("關於公務用車的通知", &query_terms("公务用车"));
        assert!(html.contains("<mark>公務用車</mark>"), "{html}");
    }

    #[test]
    fn document_numbers_are_marked_whole() {
        let html = highlight("湘政办发〔2025〕12号", &query_terms("2025 12号"));
        assert!(html.contains("<mark>2025〕12号</mark>"), "{html}");
    }

    #[test]
    fn the_window_is_where_the_words_are() {
        let text = format!(
            "{}拆迁补偿标准如下{}",
            "前文".repeat(200),
            "后文".repeat(200)
        );
        let s = snippet(&text, &query_terms("拆迁补偿标准"), 60);
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert!(
            s.contains("<mark>拆迁</mark>") || s.contains("<mark>拆迁补偿"),
            "{s}"
        );
        assert!(s.chars().filter(|c| *c != '…').count() < 60 + 60);
        let none = snippet("没有匹配的文字", &query_terms("公务用车"), 4);
        assert_eq!(none, "没有匹配…");
    }

    #[test]
    fn script_in_text_stays_text() {
        let s = snippet("<script>alert(1)</script> 公务", &query_terms("公务"), 80);
        assert!(!s.contains("<script>"), "{s}");
    }

    #[test]
    fn html_becomes_text() {
        assert_eq!(
            html_to_text("<p>一&amp;二</p><p>&lt;三&gt;&#20116;&#x516D;</p>").trim(),
            "一&二\n\n<三>五六"
        );
        assert_eq!(html_to_text("a &unknown; b"), "a &unknown; b");
    }
}
