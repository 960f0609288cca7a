//! Markdown to HTML for the portal, safely: raw HTML in the source is shown as text
//! (never passed through), and links and images keep only http(s), mailto and relative
//! targets, so no `javascript:` or `data:` URL reaches a browser.
//!
//! Escaping every raw HTML fragment is stricter than sanitising it (what an
//! HTML sanitiser such as ammonia would do) and needs no HTML parser; item bodies are
//! Markdown by contract, so nothing legitimate is lost.

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag};

fn safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    match lower.split_once(':') {
        // A colon before any '/', '?' or '#' is a scheme.
        Some((scheme, _)) if !scheme.contains(['/', '?', '#']) => {
            matches!(scheme, "http" | "https" | "mailto")
        }
        _ => true,
    }
}

fn clean_url(url: CowStr<'_>) -> CowStr<'_> {
    if safe_url(&url) {
        url
    } else {
        CowStr::Borrowed("#")
    }
}

pub fn markdown_to_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        Event::Html(raw) => Event::Text(raw),
        Event::Start(Tag::Link(kind, url, title)) => {
            Event::Start(Tag::Link(kind, clean_url(url), title))
        }
        Event::End(Tag::Link(kind, url, title)) => {
            Event::End(Tag::Link(kind, clean_url(url), title))
        }
        Event::Start(Tag::Image(kind, url, title)) => {
            Event::Start(Tag::Image(kind, clean_url(url), title))
        }
        Event::End(Tag::Image(kind, url, title)) => {
            Event::End(Tag::Image(kind, clean_url(url), title))
        }
        other => other,
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_text_and_bad_urls_are_dropped() {
        let html = markdown_to_html(
            "# 标题\n\n<script>alert(1)</script>\n\n[a](javascript:alert(1)) [b](JaVaScRiPt:x) \
             ![i](data:image/svg+xml;base64,AAA) [ok](https://gov.cn/x?a=1&b=2) [rel](/x) \
             <img src=x onerror=alert(1)>",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img src=x"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.to_lowercase().contains("javascript:"), "{html}");
        assert!(!html.contains("data:image"), "{html}");
        assert!(
            html.contains("href=\"https://gov.cn/x?a=1&amp;b=2\""),
            "{html}"
        );
        assert!(html.contains("href=\"/x\""), "{html}");
        assert!(html.contains("<h1>标题</h1>"), "{html}");
    }

    #[test]
    fn attribute_breakouts_are_escaped() {
        let html = markdown_to_html("[x](https://a.cn/\"onmouseover=\"alert(1))");
        assert!(!html.contains("\"onmouseover"), "{html}");
    }
}
