//! An item's versions (immutable, as `GET …/items/{id}/versions` lists them) and the
//! difference between two of them, line by line: title, fields, then the body.

use axum::extract::{FromRef, Path, State};
use axum::response::Response;
use maud::{html, Markup};
use serde_json::Value;
use similar::{ChangeTag, TextDiff};

use crate::app::AppState;
use crate::console::Desk;
use crate::disclosure::service;
use crate::disclosure::Disclosure;
use crate::web::error::PageResult;
use crate::web::{Lang, PageReq};

/// A version as lines of text for comparison: the title, each field, the body.
pub fn as_text(title: &str, body: &str, fields: &Value) -> String {
    let mut out = format!("# {title}\n");
    if let Some(map) = fields.as_object() {
        for (name, v) in map {
            let v = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            out.push_str(&format!("[{name}] {v}\n"));
        }
    }
    out.push('\n');
    out.push_str(body);
    if !body.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// The line diff of `old` and `new`: removed lines in `del`, added in `ins`, with a
/// sign each so that the difference does not rest on colour alone.
pub fn diff(lang: Lang, old: &str, new: &str) -> Markup {
    let d = TextDiff::from_lines(old, new);
    let same = d.ratio() >= 1.0;
    html! {
        @if same {
            p { (lang.t("console-history-same")) }
        } @else {
            pre class="diff" {
                @for change in d.iter_all_changes() {
                    @match change.tag() {
                        ChangeTag::Delete => del { "- " (change.value()) },
                        ChangeTag::Insert => ins { "+ " (change.value()) },
                        ChangeTag::Equal => span { "  " (change.value()) },
                    }
                }
            }
        }
    }
}

/// `GET /console/{slug}/items/{id}/history?a=&b=`
pub async fn show(
    State(state): State<AppState>,
    req: PageReq,
    desk: Desk,
    Path((_slug, id)): Path<(String, String)>,
) -> Response {
    let result = render(&state, &req, &desk, &id).await;
    desk.finish(&req, result)
}

async fn render(state: &AppState, req: &PageReq, desk: &Desk, id: &str) -> PageResult {
    let lang = req.lang;
    let d = Disclosure::from_ref(state);
    let tenant = &desk.tenant.as_ref().expect("a tenant route").tenant;
    let versions = service::versions(&d, tenant, id).await?;
    let newest = versions.iter().map(|v| v.number).max().unwrap_or(1);
    let pick = |name: &str, default: i64| -> i64 {
        req.param(name)
            .and_then(|v| v.parse().ok())
            .filter(|n| versions.iter().any(|v| v.number == *n))
            .unwrap_or(default)
    };
    let b = pick("b", newest);
    let a = pick("a", (b - 1).max(1));
    let text = |n: i64| {
        versions
            .iter()
            .find(|v| v.number == n)
            .map(|v| as_text(&v.title, &v.body, &v.fields))
            .unwrap_or_default()
    };
    let title = lang.t("console-history-title");
    let main = html! {
        h1 { (title) }
        p { a href=(format!("/console/{}/items/{id}", tenant.slug)) { (lang.t("console-item-back")) } }
        form method="get" action=(req.path) class="history" {
            table class="data" {
                caption { (lang.t("console-history-choose")) }
                thead { tr {
                    th scope="col" { (lang.t("console-item-version")) }
                    th scope="col" { (lang.t("console-history-from")) }
                    th scope="col" { (lang.t("console-history-to")) }
                    th scope="col" { (lang.t("console-item-title")) }
                    th scope="col" { (lang.t("console-history-saved")) }
                } }
                tbody {
                    @for v in versions.iter().rev() {
                        tr {
                            td { (v.number) }
                            td {
                                input type="radio" name="a" value=(v.number) id=(format!("a-{}", v.number)) checked[v.number == a];
                                label class="visually-hidden" for=(format!("a-{}", v.number)) { (lang.t("console-history-from")) " " (v.number) }
                            }
                            td {
                                input type="radio" name="b" value=(v.number) id=(format!("b-{}", v.number)) checked[v.number == b];
                                label class="visually-hidden" for=(format!("b-{}", v.number)) { (lang.t("console-history-to")) " " (v.number) }
                            }
                            td { (v.title) }
                            td { (v.created_at.get(..16).unwrap_or(&v.created_at)) }
                        }
                    }
                }
            }
            p { button type="submit" { (lang.t("console-history-compare")) } }
        }
        section aria-labelledby="diff-title" {
            h2 id="diff-title" { (lang.tr("console-history-diff", &[("a", a.into()), ("b", b.into())])) }
            (diff(lang, &text(a), &text(b)))
        }
    };
    Ok(desk.page(req, &title, main))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diff_marks_removed_and_added_lines() {
        let old = as_text(
            "标题",
            "第一段\n第二段",
            &serde_json::json!({"source": "办公室"}),
        );
        let new = as_text(
            "标题",
            "第一段\n第三段",
            &serde_json::json!({"source": "办公室"}),
        );
        let html = diff(Lang::Zh, &old, &new).into_string();
        assert!(html.contains("<del>- 第二段"), "{html}");
        assert!(html.contains("<ins>+ 第三段"), "{html}");
        assert!(html.contains("[source] 办公室"), "{html}");
        let same = diff(Lang::Zh, &old, &old).into_string();
        assert!(!same.contains("<del>"));
    }
}
