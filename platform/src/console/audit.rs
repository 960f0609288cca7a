//! The agency's audit log for auditors and administrators: entries newest first, filtered
//! by what was done, each with who, when, on what and the details as hashed; and the
//! chain's verification (every entry's hash recomputed from the first), naming the first
//! broken entry if any. Read through the same store as `GET /api/v1/tenants/{slug}/audit`
//! and registered with its rules.

use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::response::Response;
use maud::html;

use super::Desk;
use crate::app::AppState;
use crate::audit::routes::{verification, Verification, LIST, VERIFY};
use crate::audit::store;
use crate::http::Routes;
use crate::kernel::clock::china;
use crate::web::error::PageResult;
use crate::web::PageReq;

/// Entries a page.
const PER_PAGE: i64 = 50;
/// The longest action filter (actions are short dotted names).
const MAX_ACTION: usize = 100;

pub fn routes(r: Routes) -> Routes {
    let list = r.access_of(&Method::GET, LIST);
    let verify = r.access_of(&Method::GET, VERIFY);
    r.add_page(Method::GET, "/console/{slug}/audit", list, page)
        .add_page(
            Method::GET,
            "/console/{slug}/audit/verify",
            verify,
            verified,
        )
}

/// `GET /console/{slug}/audit?action=&before=`
async fn page(State(state): State<AppState>, req: PageReq, desk: Desk) -> Response {
    let result = render(&state, &req, &desk, None).await;
    desk.finish(&req, result)
}

/// `GET /console/{slug}/audit/verify`: the log with the verification's result on top.
async fn verified(State(state): State<AppState>, req: PageReq, desk: Desk) -> Response {
    let tenant = &desk.tenant.as_ref().expect("a tenant route").tenant;
    let result = match verification(&state.db, &tenant.id).await {
        Ok(v) => render(&state, &req, &desk, Some(v)).await,
        Err(e) => Err(e.into()),
    };
    desk.finish(&req, result)
}

/// The filters as given, with the problem of each that is not usable.
struct Filters {
    action: String,
    before: Option<i64>,
    problems: Vec<(&'static str, &'static str)>,
}

fn filters(req: &PageReq) -> Filters {
    let mut problems = Vec::new();
    let action = req.param("action").unwrap_or("").trim().to_string();
    if action.chars().count() > MAX_ACTION {
        problems.push(("action", "console-audit-action-long"));
    }
    let before = match req.param("before") {
        None => None,
        Some(text) => match text.parse::<i64>() {
            Ok(n) if n > 0 => Some(n),
            _ => {
                problems.push(("before", "console-audit-before-bad"));
                None
            }
        },
    };
    Filters {
        action,
        before,
        problems,
    }
}

async fn render(
    state: &AppState,
    req: &PageReq,
    desk: &Desk,
    verified: Option<Verification>,
) -> PageResult {
    let lang = req.lang;
    let tenant = &desk.tenant.as_ref().expect("a tenant route").tenant;
    let f = filters(req);
    let entries = if f.problems.is_empty() {
        let mut tx = state.db.tenant_read(&tenant.id).await?;
        let entries = store::list_newest(&mut tx, f.before, &f.action, PER_PAGE + 1).await?;
        tx.commit().await?;
        entries
    } else {
        Vec::new()
    };
    let more = entries.len() as i64 > PER_PAGE;
    let shown = &entries[..entries.len().min(PER_PAGE as usize)];
    let may_verify = desk.may(state, Method::GET, VERIFY).await?;
    let problem = |name: &str| {
        f.problems
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, key)| lang.t(key))
    };
    let base = format!("/console/{}/audit", tenant.slug);
    let title = lang.t("console-audit-title");
    let main = html! {
        h1 { (title) }
        p { (lang.t("console-audit-intro")) }
        @if let Some(v) = &verified {
            @if let Some(broken) = &v.broken {
                p class="error" role="alert" id="audit-verification" {
                    (lang.tr("console-audit-broken", &[("seq", broken.seq.into()), ("reason", broken.reason.clone().into())]))
                }
            } @else {
                p class="notice" role="status" id="audit-verification" {
                    (lang.tr("console-audit-intact", &[("entries", v.entries.into())]))
                }
            }
        }
        @if may_verify {
            p { a class="button" href=(format!("{base}/verify")) { (lang.t("console-audit-verify")) } }
        }
        form class="filters" method="get" action=(base) {
            p class="field" {
                label for="action" { (lang.t("console-audit-action")) }
                input id="action" name="action" value=(f.action) placeholder="item." maxlength="100"
                    aria-describedby=[problem("action").map(|_| "action-error")]
                    aria-invalid=[problem("action").map(|_| "true")];
                @if let Some(p) = problem("action") { span class="error" id="action-error" { (p) } }
            }
            @if let Some(p) = problem("before") {
                p class="error" id="before-error" role="alert" { (p) }
            }
            button type="submit" { (lang.t("console-filter-apply")) }
        }
        @if shown.is_empty() {
            p { (lang.t("console-audit-none")) }
        } @else {
            div class="table-scroll" {
                table {
                    caption { (lang.t("console-audit-caption")) }
                    thead {
                        tr {
                            th scope="col" { "#" }
                            th scope="col" { (lang.t("console-audit-at")) }
                            th scope="col" { (lang.t("console-audit-actor")) }
                            th scope="col" { (lang.t("console-audit-action")) }
                            th scope="col" { (lang.t("console-audit-target")) }
                            th scope="col" { (lang.t("console-audit-details")) }
                        }
                    }
                    tbody {
                        @for e in shown {
                            tr data-seq=(e.seq) {
                                td { (e.seq) }
                                td { (local(&e.at)) }
                                td { (e.actor) }
                                td { code { (e.action) } }
                                td { (e.target_kind) " " code class="mono" { (e.target_id) } }
                                td {
                                    @if e.details == "{}" { "—" } @else {
                                        details { summary { (lang.t("console-audit-show")) } code class="mono" { (e.details) } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if more {
            @let oldest = shown.last().map(|e| e.seq).unwrap_or_default();
            nav class="pager" aria-label=(lang.t("console-pages")) {
                a rel="next" href=(req.href_with(&[("before", oldest.to_string().as_str())])) { (lang.t("console-audit-older")) }
            }
        }
    };
    let status = if f.problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(desk.page(req, &title, main).status(status))
}

/// An RFC 3339 time as China time, to the second.
fn local(at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| {
            t.with_timezone(&china())
                .format("%Y-%m-%d %H:%M:%S")
                .to_string()
        })
        .unwrap_or_else(|_| at.to_string())
}

#[cfg(test)]
mod tests {
    use super::local;

    #[test]
    fn entry_times_are_shown_in_china_time() {
        assert_eq!(local("2026-12-07T16:30:05.123Z"), "2026-12-08 00:30:05");
        assert_eq!(local("not a time"), "not a time");
    }
}
