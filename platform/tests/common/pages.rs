//! Pages as a browser gets them: forms posted url-encoded or multipart, hidden fields
//! and cookies read back.

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};

use super::TestApp;

/// A page as a browser gets it.
pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
}

impl Page {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The value of the hidden form field `name`.
    pub fn hidden(&self, name: &str) -> String {
        let marker = format!("name=\"{name}\" value=\"");
        let start = self.text.find(&marker).expect(name) + marker.len();
        let end = self.text[start..].find('"').unwrap() + start;
        self.text[start..end].to_string()
    }

    pub fn expect(self, status: StatusCode) -> Page {
        assert_eq!(self.status, status, "{}", self.text);
        self
    }
}

pub async fn page(
    app: &TestApp,
    method: Method,
    path: &str,
    headers: &[(&str, &str)],
    form: Option<&[(&str, &str)]>,
) -> Page {
    let mut req = app.http.request(method, app.url(path));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    if let Some(form) = form {
        let body: Vec<String> = form
            .iter()
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect();
        req = req
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.join("&"));
    }
    let res = req.send().await.expect("the server answers");
    Page {
        status: res.status(),
        headers: res.headers().clone(),
        text: res.text().await.unwrap_or_default(),
    }
}

pub async fn get(app: &TestApp, path: &str) -> Page {
    page(app, Method::GET, path, &[], None).await
}

pub fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The `name=value` of a cookie the page set.
pub fn set_cookie(p: &Page, name: &str) -> String {
    p.headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap().to_string())
        .unwrap_or_else(|| panic!("no {name} cookie"))
}

pub fn between(text: &str, start: &str, end: &str) -> String {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("no {start} in {text}"))
        + start.len();
    let to = text[from..].find(end).unwrap() + from;
    text[from..to].to_string()
}

/// A file field of a multipart form: (field, file name, bytes).
pub type FilePart<'a> = (&'a str, &'a str, &'a [u8]);

/// Posts `fields` and `files` as `multipart/form-data`, as a browser sends a form with a
/// file input.
pub async fn post_multipart(
    app: &TestApp,
    path: &str,
    headers: &[(&str, &str)],
    fields: &[(&str, &str)],
    files: &[FilePart<'_>],
) -> Page {
    let boundary = "----gongkai-test-boundary-7d1f";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    for (name, file_name, bytes) in files {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let mut req = app
        .http
        .post(app.url(path))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = req.send().await.expect("the server answers");
    Page {
        status: res.status(),
        headers: res.headers().clone(),
        text: res.text().await.unwrap_or_default(),
    }
}
