//! The review inbox: the steps waiting for the user's roles (`GET …/items/review-inbox`),
//! and a step's page: the item as it will be published (the redacted rendition) next to
//! the staff view, the scan's findings with their forms, the earlier decisions, and
//! approve or return with a reason. Separation of duties is shown, not only enforced:
//! when the rules refuse the user this step (they edited the version, they signed
//! another step, they lack the role), the page says which rule and offers no decision.

use axum::body::Bytes;
use axum::extract::{FromRef, Path, State};
use axum::http::Method;
use axum::response::Response;
use maud::{html, Markup, PreEscaped};

use super::items::{self, answer, Failed, Origin, DECIDE_API, INBOX_API, PREVIEW_API};
use super::{field, form, Desk};
use crate::app::AppState;
use crate::disclosure::model::ItemOut;
use crate::disclosure::service::{self, DecisionInput, Preview, ReviewTurn, VerdictInput};
use crate::disclosure::Disclosure;
use crate::http::access::Ctx;
use crate::http::Routes;
use crate::kernel::error::Error;
use crate::web::error::PageResult;
use crate::web::{Lang, PageReq};

pub fn routes(r: Routes) -> Routes {
    let inbox = r.access_of(&Method::GET, INBOX_API);
    let preview = r.access_of(&Method::GET, PREVIEW_API);
    let decide = r.access_of(&Method::POST, DECIDE_API);
    r.add_page(Method::GET, "/console/{slug}/review", inbox, inbox_page)
        .add_page(Method::GET, "/console/{slug}/review/{id}", preview, show)
        .add_page(
            Method::POST,
            "/console/{slug}/review/{id}/decide",
            decide,
            decide_post,
        )
}

/// Why the rules refuse this user the pending step, in the page language.
fn refusal(lang: Lang, turn: &ReviewTurn) -> Option<String> {
    let code = turn.refusal.as_deref()?;
    let text = lang.tr(
        &format!("console-refusal-{code}"),
        &[(
            "role",
            lang.t(&format!("role-{}", turn.role.as_deref().unwrap_or("")))
                .into(),
        )],
    );
    Some(if text.starts_with("console-refusal-") {
        turn.refusal_text.clone().unwrap_or_default()
    } else {
        text
    })
}

async fn inbox_page(State(state): State<AppState>, req: PageReq, desk: Desk) -> Response {
    let result = render_inbox(&state, &req, &desk).await;
    desk.finish(&req, result)
}

async fn render_inbox(state: &AppState, req: &PageReq, desk: &Desk) -> PageResult {
    let lang = req.lang;
    let d = Disclosure::from_ref(state);
    let tenant = &desk.tenant.as_ref().expect("a tenant route").tenant;
    let entries = service::review_inbox(&d, tenant, &desk.principal.user.id).await?;
    let title = lang.t("console-review-title");
    let main = html! {
        h1 { (title) }
        @if entries.is_empty() {
            p { (lang.t("console-review-none")) }
        } @else {
            table class="data inbox" {
                thead { tr {
                    th scope="col" { (lang.t("console-item-index")) }
                    th scope="col" { (lang.t("console-item-title")) }
                    th scope="col" { (lang.t("console-review-step")) }
                    th scope="col" { (lang.t("console-item-due")) }
                    th scope="col" { (lang.t("console-review-yours")) }
                } }
                tbody {
                    @for e in &entries {
                        tr {
                            td class="mono" { (e.item.index_number) }
                            td { a href=(format!("/console/{}/review/{}", tenant.slug, e.item.id)) { (e.item.title) } }
                            td { (e.turn.step_name.as_deref().unwrap_or("")) }
                            td { (e.item.due_on.as_deref().unwrap_or("—")) }
                            td {
                                @if e.turn.may_decide { (lang.t("console-review-your-turn")) }
                                @else { span class="refusal" { (refusal(lang, &e.turn).unwrap_or_default()) } }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(desk.page(req, &title, main))
}

async fn show(
    State(state): State<AppState>,
    req: PageReq,
    desk: Desk,
    Path((_slug, id)): Path<(String, String)>,
) -> Response {
    let result = review_page(&state, &req, &desk, &id, None).await;
    desk.finish(&req, result)
}

/// The published rendition's fields, as the kind describes them.
async fn preview_fields(
    state: &AppState,
    lang: Lang,
    desk: &Desk,
    item: &ItemOut,
    p: &Preview,
) -> Markup {
    let as_item = ItemOut {
        fields: p.fields.clone(),
        plugin: None,
        ..item.clone()
    };
    items::page::fields_view(state, lang, desk, &as_item).await
}

/// A step's review page; `failed` is a form that came back with problems.
pub async fn review_page(
    state: &AppState,
    req: &PageReq,
    desk: &Desk,
    id: &str,
    failed: Option<&Failed>,
) -> PageResult {
    let lang = req.lang;
    let d = Disclosure::from_ref(state);
    let tenant = &desk.tenant.as_ref().expect("a tenant route").tenant;
    let slug = &tenant.slug;
    let item = service::get_item(&d, tenant, id).await?;
    let preview = service::preview(&d, tenant, id).await?;
    let turn = service::review_turn(&d, tenant, &desk.principal.user.id, id).await?;
    let found = service::findings(&d, tenant, id).await?;
    let decisions = service::decisions(&d, tenant, id).await?;
    let findings_view =
        items::findings::section(state, lang, desk, &item, &found, Origin::Review, failed).await?;
    let may_decide = turn.may_decide && desk.may(state, Method::POST, DECIDE_API).await?;
    let staff_fields = items::page::fields_view(state, lang, desk, &item).await;
    let public_fields = preview_fields(state, lang, desk, &item, &preview).await;
    let mine = Failed::of(failed, "decide");
    let problem = mine.and_then(|f| f.problem("comments"));
    let title = crate::web::layout::labelled(lang, "console-review-of", &item.title);
    let main = html! {
        h1 { (title) }
        p { a href=(format!("/console/{slug}/items/{id}")) { (lang.t("console-review-item-page")) } }
        section class="turn" aria-labelledby="turn-title" {
            h2 id="turn-title" { (lang.t("console-review-turn")) }
            @if let (Some(step), Some(role)) = (&turn.step_name, &turn.role) {
                p { (step) " · " (lang.t(&format!("role-{role}"))) }
            } @else {
                p { (lang.t("console-review-not-in-review")) }
            }
            @if let Some(why) = refusal(lang, &turn).filter(|_| turn.step.is_some()) {
                p class="refusal separation" id="why-not" { strong { (lang.t("console-review-not-yours")) } " " (why) }
            }
            @if may_decide {
                form method="post" class="decide" action=(format!("/console/{slug}/review/{id}/decide")) novalidate {
                    (desk.csrf_field())
                    input type="hidden" name="step" value=(turn.step.unwrap_or(0));
                    input type="hidden" name="version" value=(turn.version);
                    @if let Some(r) = mine.and_then(|f| f.refusal.as_deref()) {
                        p class="form-error" role="alert" { (lang.t("console-item-refused")) " (" (r) ")" }
                    }
                    p class="field" {
                        label for="comments" { (lang.t("console-review-comments-label")) }
                        textarea id="comments" name="comments" rows="3" aria-invalid=[problem.map(|_| "true")] aria-describedby=[problem.map(|_| "comments-error")] {
                            (mine.map(|f| f.value("comments")).unwrap_or(""))
                        }
                        @if let Some(p) = problem { span class="field-error" id="comments-error" { (lang.t("console-review-return-needs-reason")) " (" (p) ")" } }
                    }
                    p class="buttons" {
                        button type="submit" name="verdict" value="approve" class="button" { (lang.t("console-review-approve")) }
                        " "
                        button type="submit" name="verdict" value="reject" { (lang.t("console-review-return")) }
                    }
                }
            }
            @if !may_decide {
                @if let Some(r) = mine.and_then(|f| f.refusal.as_deref()) {
                    p class="form-error" role="alert" { (lang.t("console-item-refused")) " (" (r) ")" }
                }
            }
        }
        div class="side-by-side" {
            section class="public-view" aria-labelledby="public-title" {
                h2 id="public-title" { (lang.t("console-review-as-published")) }
                @if preview.unresolved_findings > 0 {
                    p class="hint" { (lang.tr("console-review-unresolved", &[("count", preview.unresolved_findings.into())])) }
                }
                h3 { (preview.title) }
                div class="item-body" { (PreEscaped(&preview.body_html)) }
                (public_fields)
            }
            section class="staff-view" aria-labelledby="staff-title" {
                h2 id="staff-title" { (lang.t("console-review-as-written")) }
                h3 { (item.title) }
                pre class="version-text" { (item.body) }
                (staff_fields)
            }
        }
        (findings_view)
        section aria-labelledby="chain-title" {
            h2 id="chain-title" { (lang.t("console-review-chain")) }
            (items::page::chain_view(lang, &item, &decisions))
        }
    };
    Ok(desk.page(req, &title, main))
}

/// `POST /console/{slug}/review/{id}/decide` (`verdict`: approve or reject, `comments`
/// required to return), the API's `DecisionInput` to the same service.
async fn decide_post(
    State(state): State<AppState>,
    req: PageReq,
    ctx: Ctx,
    desk: Desk,
    Path((_slug, id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let d = Disclosure::from_ref(&state);
    let tenant = desk.tenant.as_ref().expect("a tenant route").tenant.clone();
    let pairs = form(&body);
    let verdict = match field(&pairs, "verdict") {
        "approve" => Some(VerdictInput::Approve),
        "reject" => Some(VerdictInput::Reject),
        _ => None,
    };
    let step = field(&pairs, "step").parse::<usize>().ok();
    let done = match (verdict, step) {
        (Some(verdict), Some(step)) => service::decide(
            &d,
            &ctx.actor(),
            &tenant,
            &id,
            DecisionInput {
                step,
                verdict,
                comments: field(&pairs, "comments").to_string(),
                version: field(&pairs, "version").parse().ok(),
            },
        )
        .await
        .map(drop),
        _ => Err(Error::invalid("verdict", "approve or reject")),
    };
    answer(
        &state,
        &req,
        &ctx,
        &desk,
        &id,
        Origin::Review,
        "decide".into(),
        pairs,
        done,
    )
    .await
}
