//! What a page request brings (language, kiosk mode, validators, cookies) and how every
//! page answers: security headers, `ETag`/`Last-Modified` with `304` on revalidation,
//! and the language and kiosk cookies when the query changed them.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use maud::Markup;

use super::i18n::Lang;

/// No inline script or style anywhere; forms post only to us; never framed.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
    img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; \
    frame-ancestors 'none'";

pub const LANG_COOKIE: &str = "lang";
pub const KIOSK_COOKIE: &str = "kiosk";

/// The parts of a request every page reads.
#[derive(Debug, Clone)]
pub struct PageReq {
    pub lang: Lang,
    pub kiosk: bool,
    /// The path, for links back to this page (language switch).
    pub path: String,
    /// The query without `lang` and `kiosk`.
    pub query: Vec<(String, String)>,
    pub host: Option<String>,
    headers: HeaderMap,
    cookies: Vec<(String, String)>,
    set_lang: bool,
    set_kiosk: Option<bool>,
}

impl<S: Send + Sync> FromRequestParts<S> for PageReq {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(PageReq::from_parts(
            parts.uri.path(),
            parts.uri.query(),
            &parts.headers,
        ))
    }
}

impl PageReq {
    pub fn from_parts(path: &str, query: Option<&str>, headers: &HeaderMap) -> PageReq {
        let cookies = cookies(headers);
        let cookie = |name: &str| {
            cookies
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        let mut pairs: Vec<(String, String)> = query
            .map(|q| {
                url_decode_pairs(q)
                    .into_iter()
                    .filter(|(k, _)| !k.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        let asked_lang = take(&mut pairs, "lang").and_then(|l| Lang::parse(&l));
        let asked_kiosk = take(&mut pairs, "kiosk").map(|k| k == "1");
        let lang = asked_lang
            .or_else(|| cookie(LANG_COOKIE).and_then(Lang::parse))
            .unwrap_or_else(|| {
                headers
                    .get(header::ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok())
                    .map_or(Lang::Zh, Lang::from_accept_language)
            });
        let kiosk = asked_kiosk.unwrap_or(cookie(KIOSK_COOKIE) == Some("1"));
        PageReq {
            lang,
            kiosk,
            path: path.to_string(),
            query: pairs,
            host: headers
                .get(header::HOST)
                .and_then(|v| v.to_str().ok())
                .map(|h| h.split(':').next().unwrap_or(h).to_ascii_lowercase()),
            headers: headers.clone(),
            set_lang: asked_lang.is_some(),
            set_kiosk: asked_kiosk,
            cookies,
        }
    }

    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.cookies
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// A query parameter (decoded), empty values as none.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.trim().is_empty())
    }

    /// This page in the other language.
    pub fn switch_href(&self) -> String {
        self.href_with(&[("lang", self.lang.other().code())])
    }

    /// This page with some query parameters replaced.
    pub fn href_with(&self, set: &[(&str, &str)]) -> String {
        let mut pairs: Vec<(String, String)> = self
            .query
            .iter()
            .filter(|(k, _)| !set.iter().any(|(s, _)| s == k))
            .cloned()
            .collect();
        pairs.extend(set.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        if pairs.is_empty() {
            return self.path.clone();
        }
        let query: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{}={}", url_encode(k), url_encode(v)))
            .collect();
        format!("{}?{}", self.path, query.join("&"))
    }
}

fn take(pairs: &mut Vec<(String, String)>, name: &str) -> Option<String> {
    let pos = pairs.iter().position(|(k, _)| k == name)?;
    let value = pairs.remove(pos).1;
    pairs.retain(|(k, _)| k != name);
    Some(value)
}

fn cookies(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

/// `application/x-www-form-urlencoded` pairs (queries and form bodies).
pub fn url_decode_pairs(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (url_decode(k), url_decode(v))
        })
        .collect()
}

fn url_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The headers every page, asset and error page carries.
pub fn secure(headers: &mut HeaderMap) {
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Caching {
    /// Public pages: cached, revalidated each time (ETag, Last-Modified).
    Revalidate,
    /// Forms, receipts, tracking: never stored.
    NoStore,
}

/// A rendered page on its way out.
pub struct PageResponse {
    status: StatusCode,
    body: String,
    last_modified: Option<DateTime<Utc>>,
    caching: Caching,
    cookies: Vec<String>,
    headers: Vec<(header::HeaderName, String)>,
}

impl PageResponse {
    pub fn new(markup: Markup) -> PageResponse {
        PageResponse {
            status: StatusCode::OK,
            body: markup.into_string(),
            last_modified: None,
            caching: Caching::Revalidate,
            cookies: Vec::new(),
            headers: Vec::new(),
        }
    }

    pub fn status(mut self, status: StatusCode) -> Self {
        self.status = status;
        self
    }

    /// When the content last changed (the newest publication shown).
    pub fn last_modified(mut self, at: Option<DateTime<Utc>>) -> Self {
        self.last_modified = at;
        self
    }

    pub fn no_store(mut self) -> Self {
        self.caching = Caching::NoStore;
        self
    }

    /// A `Set-Cookie` value.
    pub fn cookie(mut self, set_cookie: String) -> Self {
        self.cookies.push(set_cookie);
        self
    }

    pub fn header(mut self, name: header::HeaderName, value: String) -> Self {
        self.headers.push((name, value));
        self
    }

    pub fn finish(self, req: &PageReq) -> Response {
        let etag = format!(
            "W/\"{}\"",
            &crate::kernel::crypto::sha256_hex(self.body.as_bytes())[..32]
        );
        let revalidate = self.caching == Caching::Revalidate && self.status == StatusCode::OK;
        let fresh = revalidate
            && match req.header("if-none-match") {
                Some(tags) => tags.split(',').any(|t| t.trim() == etag || t.trim() == "*"),
                None => match (req.header("if-modified-since"), self.last_modified) {
                    (Some(since), Some(modified)) => DateTime::parse_from_rfc2822(since)
                        .is_ok_and(|since| modified.timestamp() <= since.timestamp()),
                    _ => false,
                },
            };
        let mut response = if fresh {
            StatusCode::NOT_MODIFIED.into_response()
        } else {
            (self.status, self.body).into_response()
        };
        let h = response.headers_mut();
        secure(h);
        if !fresh {
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
        }
        h.insert(
            header::VARY,
            HeaderValue::from_static("Accept-Language, Cookie"),
        );
        h.insert(
            header::CONTENT_LANGUAGE,
            HeaderValue::from_static(req.lang.tag()),
        );
        if revalidate {
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            if let Ok(v) = HeaderValue::from_str(&etag) {
                h.insert(header::ETAG, v);
            }
            if let Some(at) = self.last_modified {
                let text = at.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
                if let Ok(v) = HeaderValue::from_str(&text) {
                    h.insert(header::LAST_MODIFIED, v);
                }
            }
        } else {
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        }
        let mut cookies = self.cookies;
        if req.set_lang {
            cookies.push(format!(
                "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
                req.lang.code()
            ));
        }
        if let Some(kiosk) = req.set_kiosk {
            cookies.push(if kiosk {
                format!("{KIOSK_COOKIE}=1; Path=/; SameSite=Lax; HttpOnly")
            } else {
                format!("{KIOSK_COOKIE}=; Path=/; Max-Age=0; SameSite=Lax; HttpOnly")
            });
        }
        for c in cookies {
            if let Ok(v) = HeaderValue::from_str(&c) {
                h.append(header::SET_COOKIE, v);
            }
        }
        for (name, value) in self.headers {
            if let Ok(v) = HeaderValue::from_str(&value) {
                h.insert(name, v);
            }
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(query: &str, headers: &[(&str, &str)]) -> PageReq {
        let mut map = HeaderMap::new();
        for (k, v) in headers {
            map.insert(
                header::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        PageReq::from_parts("/demo/", Some(query), &map)
    }

    #[test]
    fn language_from_query_then_cookie_then_accept_language() {
        assert_eq!(req("lang=en", &[("cookie", "lang=zh")]).lang, Lang::En);
        assert_eq!(
            req("", &[("cookie", "a=b; lang=en"), ("accept-language", "zh")]).lang,
            Lang::En
        );
        assert_eq!(req("", &[("accept-language", "en-GB")]).lang, Lang::En);
        assert_eq!(req("", &[]).lang, Lang::Zh);
    }

    #[test]
    fn switch_link_keeps_the_rest_of_the_query() {
        let r = req("page=2&lang=zh&q=%E6%95%99%E8%82%B2", &[]);
        assert_eq!(r.param("q"), Some("教育"));
        assert_eq!(
            r.switch_href(),
            "/demo/?page=2&q=%E6%95%99%E8%82%B2&lang=en"
        );
        assert_eq!(
            r.href_with(&[("page", "3")]),
            "/demo/?q=%E6%95%99%E8%82%B2&page=3"
        );
    }

    #[test]
    fn form_decoding() {
        assert_eq!(
            url_decode_pairs("a=1+2&b=%E5%BC%A0&c=%ZZ&d=%4"),
            vec![
                ("a".into(), "1 2".into()),
                ("b".into(), "张".into()),
                ("c".into(), "%ZZ".into()),
                ("d".into(), "%4".into())
            ]
        );
    }
}
