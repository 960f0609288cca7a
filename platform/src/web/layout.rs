//! The one layout: landmarks (banner, navigation, search, main, contentinfo), the
//! page's `lang`, a skip link, the agency's name, a search box, the language switch and
//! the footer with the site's record numbers. The portal and the console fill a
//! [`Chrome`] and hand it the page's main content.

use maud::{html, Markup, DOCTYPE};

use super::assets;
use super::response::PageReq;

/// What frames a page: brand, navigation, search, footer.
pub struct Chrome {
    /// The agency (or the platform) the site belongs to.
    pub brand: String,
    pub brand_href: String,
    /// The column's name under the brand (政府信息公开).
    pub tagline: String,
    /// Navigation: (href, label); the entry whose href is the current path is marked.
    pub nav: Vec<(String, String)>,
    /// Where the search box sends `q`, when the site has one.
    pub search_action: Option<String>,
    pub footer: Footer,
    /// Kiosk mode: where an idle screen returns to, and after how many seconds.
    pub kiosk_home: Option<(String, u64)>,
}

/// The footer every government website carries (网站标识码, ICP and public-security
/// record numbers) and the sponsor's contact line.
#[derive(Debug, Clone, Default)]
pub struct Footer {
    pub sponsor: String,
    pub contact: Vec<String>,
    pub site_code: String,
    pub icp: String,
    pub public_security: String,
}

impl Chrome {
    /// The frame of pages that belong to no agency (the index of agencies, errors
    /// before an agency is known).
    pub fn platform(req: &PageReq) -> Chrome {
        Chrome {
            brand: req.lang.t("platform-name"),
            brand_href: "/".into(),
            tagline: String::new(),
            nav: Vec::new(),
            search_action: None,
            footer: Footer::default(),
            kiosk_home: None,
        }
    }
}

impl Chrome {
    /// The frame of console pages before an agency is chosen (sign-in, refusals).
    pub fn console(req: &PageReq) -> Chrome {
        Chrome {
            brand: req.lang.t("console-name"),
            brand_href: "/console/".into(),
            ..Chrome::platform(req)
        }
    }
}

/// "label: value" as each language writes it (a full-width colon takes no space).
pub fn labelled(lang: super::Lang, key: &str, value: &str) -> String {
    let label = lang.t(key);
    if label.ends_with('：') {
        format!("{label}{value}")
    } else {
        format!("{label} {value}")
    }
}

pub fn page(req: &PageReq, chrome: &Chrome, title: &str, main: Markup) -> Markup {
    let lang = req.lang;
    let full_title = if title.is_empty() || title == chrome.brand {
        chrome.brand.clone()
    } else {
        format!("{title} - {}", chrome.brand)
    };
    let other = lang.other();
    let kiosk = chrome.kiosk_home.is_some();
    html! {
        (DOCTYPE)
        html lang=(lang.tag()) class=[kiosk.then_some("kiosk")] {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (full_title) }
                link rel="stylesheet" href=(assets::href("portal.css"));
                @if let Some((home, secs)) = &chrome.kiosk_home {
                    meta name="gk-idle-home" content=(home);
                    meta name="gk-idle-seconds" content=(secs);
                    script src=(assets::href("kiosk.js")) defer {}
                }
            }
            body {
                a class="skip" href="#main" { (lang.t("skip-to-content")) }
                header class="banner" {
                    div class="wrap banner-row" {
                        div class="brand" {
                            a href=(chrome.brand_href) { (chrome.brand) }
                            @if !chrome.tagline.is_empty() {
                                span class="tagline" { (chrome.tagline) }
                            }
                        }
                        @if let Some(action) = &chrome.search_action {
                            form class="search" role="search" method="get" action=(action) {
                                label for="site-search" { (lang.t("search-label")) }
                                input id="site-search" type="search" name="q" maxlength="100"
                                    value=[req.param("q")];
                                button type="submit" { (lang.t("search-button")) }
                            }
                        }
                        nav class="langs" aria-label=(lang.t("language-nav")) {
                            a href=(req.switch_href()) lang=(other.tag()) hreflang=(other.tag()) {
                                (other.t("language-name"))
                            }
                        }
                    }
                    @if !chrome.nav.is_empty() {
                        nav class="columns" aria-label=(lang.t("column-nav")) {
                            ul class="wrap" {
                                @for (href, label) in &chrome.nav {
                                    li {
                                        @if *href == req.path {
                                            a href=(href) aria-current="page" { (label) }
                                        } @else {
                                            a href=(href) { (label) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                main id="main" class="wrap" tabindex="-1" { (main) }
                (footer(req, &chrome.footer))
            }
        }
    }
}

fn footer(req: &PageReq, f: &Footer) -> Markup {
    let lang = req.lang;
    html! {
        footer class="site-footer" {
            div class="wrap" {
                @if !f.sponsor.is_empty() {
                    p { (labelled(lang, "footer-sponsor", &f.sponsor)) }
                }
                @for line in &f.contact {
                    p { (line) }
                }
                p class="records" {
                    @if !f.site_code.is_empty() {
                        span { (labelled(lang, "footer-site-code", &f.site_code)) }
                    }
                    @if !f.icp.is_empty() {
                        span { (f.icp) }
                    }
                    @if !f.public_security.is_empty() {
                        span { (f.public_security) }
                    }
                }
            }
        }
    }
}

/// A file's size as people read it.
pub fn file_size(bytes: i64) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MB", b as f64 / (1 << 20) as f64),
        b if b >= 1 << 10 => format!("{:.0} KB", b as f64 / (1 << 10) as f64),
        b => format!("{b} B"),
    }
}
