//! The confidentiality scan's findings of the working version, beside the text they
//! were found in (each highlighted where it stands), with one form per finding: accept
//! the mask, or keep the text as written with a reason. The form is the API's
//! `ResolutionInput` and goes to the same service (`POST …/findings/{finding_id}`),
//! which holds every rule (who may resolve, when, the reason to keep, a second person
//! to change a resolution).

use axum::body::Bytes;
use axum::extract::{FromRef, Path, State};
use axum::http::Method;
use axum::response::Response;
use maud::{html, Markup};

use super::{answer, Failed, Origin, FINDING_API};
use crate::app::AppState;
use crate::console::{field, form, Desk};
use crate::disclosure::field_paths;
use crate::disclosure::model::{FindingOut, ItemOut};
use crate::disclosure::service::{self, ResolutionInput};
use crate::disclosure::Disclosure;
use crate::http::access::Ctx;
use crate::web::Lang;

/// The text a finding's `field` names in the working version, if it is text we hold.
fn text_of<'a>(item: &'a ItemOut, field: &str) -> Option<&'a str> {
    match field {
        "title" => Some(&item.title),
        "body" => Some(&item.body),
        f if f.starts_with("fields") => field_paths::strings("fields", &item.fields)
            .into_iter()
            .find(|(p, _)| p == f)
            .map(|(_, t)| t),
        _ => None,
    }
}

/// `text` with each finding marked where it stands (char offsets; overlaps skipped).
pub fn highlighted(text: &str, findings: &[&FindingOut]) -> Markup {
    let chars: Vec<char> = text.chars().collect();
    let mut spans: Vec<&FindingOut> = findings.to_vec();
    spans.sort_by_key(|f| f.start);
    let mut parts: Vec<(String, Option<&FindingOut>)> = Vec::new();
    let mut at = 0usize;
    for f in spans {
        let (start, end) = (f.start.max(0) as usize, f.end.max(0) as usize);
        if start < at || end > chars.len() || start >= end {
            continue;
        }
        parts.push((chars[at..start].iter().collect(), None));
        parts.push((chars[start..end].iter().collect(), Some(f)));
        at = end;
    }
    parts.push((chars[at.min(chars.len())..].iter().collect(), None));
    html! {
        @for (t, f) in &parts {
            @match f {
                Some(f) => mark class=(format!("finding {}", if f.resolution.is_some() { "resolved" } else { "open" })) {
                    a href=(format!("#finding-{}", f.id)) { (t) }
                },
                None => (t),
            }
        }
    }
}

fn kind_label(lang: Lang, f: &FindingOut) -> String {
    match lang {
        Lang::Zh => f.kind_zh.clone(),
        Lang::En => super::or_code(lang, &format!("console-finding-{}", f.kind), &f.kind),
    }
}

/// The findings of the working version beside its text, with their forms when the
/// user may resolve them now (`from`: the page the forms return to).
pub async fn section(
    state: &AppState,
    lang: Lang,
    desk: &Desk,
    item: &ItemOut,
    findings: &[FindingOut],
    from: Origin,
    failed: Option<&Failed>,
) -> crate::kernel::error::Result<Markup> {
    let slug = desk.slug().unwrap_or_default();
    let current: Vec<&FindingOut> = findings
        .iter()
        .filter(|f| f.version == item.version)
        .collect();
    let open_stage = matches!(item.stage.as_str(), "in_review" | "approved");
    let may = open_stage && desk.may(state, Method::POST, FINDING_API).await?;
    let mut places: Vec<&str> = current.iter().map(|f| f.field.as_str()).collect();
    places.dedup();
    Ok(html! {
        section class="findings" aria-labelledby="findings-title" {
            h2 id="findings-title" { (lang.t("console-findings-title")) }
            @if current.is_empty() {
                p { (lang.t(if item.stage == "draft" { "console-findings-not-yet" } else { "console-findings-none" })) }
            }
            @for place in &places {
                @let here: Vec<&FindingOut> = current.iter().copied().filter(|f| f.field == *place).collect();
                div class="finding-place" {
                    h3 { (place_label(lang, place)) }
                    div class="side-by-side" {
                        @if let Some(text) = text_of(item, place) {
                            div class="found-in" { pre class="version-text" { (highlighted(text, &here)) } }
                        } @else {
                            div class="found-in" { p class="hint" { (lang.t("console-findings-in-file")) } }
                        }
                        ol class="finding-list" {
                            @for f in &here {
                                li id=(format!("finding-{}", f.id)) {
                                    (finding_line(lang, f))
                                    @let mine = Failed::of(failed, &format!("finding-{}", f.id));
                                    @if may && f.resolution.is_none() {
                                        (resolve_form(lang, desk, slug, &item.id, f, from, mine))
                                    } @else if may {
                                        // Changing a resolution takes another person and a
                                        // reason, and sends the version back to review.
                                        details class="change" open[mine.is_some()] {
                                            summary { (lang.t("console-finding-change")) }
                                            (resolve_form(lang, desk, slug, &item.id, f, from, mine))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    })
}

fn place_label(lang: Lang, place: &str) -> String {
    match place {
        "title" => lang.t("console-item-title"),
        "body" => lang.t("console-item-body"),
        p if p.starts_with("attachments.") => lang.t("console-item-attachment"),
        p => p.trim_start_matches("fields.").to_string(),
    }
}

fn finding_line(lang: Lang, f: &FindingOut) -> Markup {
    html! {
        p {
            strong { (kind_label(lang, f)) } "："
            code { (f.matched) } " → " code { (f.masked) }
        }
        p class="resolution" {
            @match f.resolution.as_deref() {
                Some("redact") => (lang.t("console-finding-redacted")),
                Some(_) => (lang.t("console-finding-kept")),
                None => strong { (lang.t("console-finding-open")) },
            }
            @if let Some(reason) = f.reason.as_deref().filter(|r| !r.is_empty()) { "（" (reason) "）" }
        }
    }
}

fn resolve_form(
    lang: Lang,
    desk: &Desk,
    slug: &str,
    item_id: &str,
    f: &FindingOut,
    from: Origin,
    failed: Option<&Failed>,
) -> Markup {
    let reason_id = format!("reason-{}", f.id);
    let err_id = format!("{reason_id}-error");
    let problem = failed.and_then(|x| x.problem("reason").or(x.problem("resolution")));
    html! {
        form method="post" class="resolve" action=(format!("/console/{slug}/items/{item_id}/findings/{}", f.id)) novalidate {
            (desk.csrf_field())
            (from.field())
            @if let Some(r) = failed.and_then(|x| x.refusal.as_deref()) {
                p class="form-error" role="alert" { (lang.t("console-item-refused")) " (" (r) ")" }
            }
            p class="field" {
                label for=(reason_id) { (lang.t("console-finding-reason")) }
                textarea id=(reason_id) name="reason" rows="2" aria-invalid=[problem.map(|_| "true")] aria-describedby=[problem.map(|_| err_id.as_str())] {
                    (failed.map(|x| x.value("reason")).unwrap_or(""))
                }
                @if let Some(p) = problem { span class="field-error" id=(err_id) { (p) } }
            }
            p class="buttons" {
                button type="submit" name="resolution" value="redact" class="button" { (lang.t("console-finding-mask")) }
                " "
                button type="submit" name="resolution" value="keep" { (lang.t("console-finding-keep")) }
            }
        }
    }
}

/// `POST /console/{slug}/items/{id}/findings/{finding_id}`
pub async fn resolve(
    State(state): State<AppState>,
    req: crate::web::PageReq,
    ctx: Ctx,
    desk: Desk,
    Path((_slug, id, finding_id)): Path<(String, String, String)>,
    body: Bytes,
) -> Response {
    let d = Disclosure::from_ref(&state);
    let tenant = desk.tenant.as_ref().expect("a tenant route").tenant.clone();
    let pairs = form(&body);
    let input = ResolutionInput {
        resolution: field(&pairs, "resolution").to_string(),
        reason: field(&pairs, "reason").to_string(),
    };
    let done = service::resolve(&d, &ctx.actor(), &tenant, &id, &finding_id, input)
        .await
        .map(drop);
    let from = Origin::parse(&pairs);
    answer(
        &state,
        &req,
        &ctx,
        &desk,
        &id,
        from,
        format!("finding-{finding_id}"),
        pairs,
        done,
    )
    .await
}
