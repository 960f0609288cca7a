//! 查询办理进度: number + access code → status, every step with its date, the due date
//! and why (the calendar's day-by-day explanation), the reply, the fee notice, and the
//! remedies. A wrong code and an unknown number get the same answer; lookups are
//! limited per address (brute force meets a readable 429 page).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::{html, Markup};

use super::view::{breadcrumbs, day};
use super::Site;
use crate::app::AppState;
use crate::http::ClientAddr;
use crate::kernel::error::Error;
use crate::requests::model::PublicView;
use crate::web::error::PageResult;
use crate::web::response::url_decode_pairs;
use crate::web::{csrf, layout, Lang, PageReq, PageResponse};

const FORM: &str = "track";

/// `GET /{slug}/track`
pub async fn form(
    State(state): State<AppState>,
    req: PageReq,
    Path(slug): Path<String>,
) -> Response {
    let site = match Site::open(&state, &req, &slug).await {
        Ok(site) => site,
        Err(response) => return response,
    };
    let result = Ok(render_form(&state, &req, &site, "", None, StatusCode::OK));
    site.finish(&req, result)
}

/// `POST /{slug}/track`
pub async fn lookup(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    req: PageReq,
    Path(slug): Path<String>,
    body: Bytes,
) -> Response {
    let site = match Site::open(&state, &req, &slug).await {
        Ok(site) => site,
        Err(response) => return response,
    };
    let result = lookup_page(&state, addr, &req, &site, &body).await;
    site.finish(&req, result)
}

async fn lookup_page(
    state: &AppState,
    addr: std::net::IpAddr,
    req: &PageReq,
    site: &Site,
    body: &[u8],
) -> PageResult {
    let mut number = String::new();
    let mut code = String::new();
    let mut token = String::new();
    for (k, v) in url_decode_pairs(&String::from_utf8_lossy(body)) {
        match k.as_str() {
            "number" => number = v.trim().chars().take(64).collect(),
            "code" => code = v.trim().chars().take(64).collect(),
            "token" => token = v,
            _ => {}
        }
    }
    let lang = req.lang;
    if !csrf::verify(
        state.secrets.cookie_key(),
        state.config.cookie_secure,
        req,
        FORM,
        &token,
    ) {
        return Ok(render_form(
            state,
            req,
            site,
            &number,
            Some(lang.t("apply-error-form")),
            StatusCode::FORBIDDEN,
        ));
    }
    state.portal.admit_lookup(addr)?;
    if number.is_empty() || code.is_empty() {
        return Ok(render_form(
            state,
            req,
            site,
            &number,
            Some(lang.t("track-missing")),
            StatusCode::UNPROCESSABLE_ENTITY,
        ));
    }
    match crate::requests::service::track(&state.requests, &site.tenant, &number, &code).await {
        Ok(view) => Ok(status_page(req, site, &view)),
        Err(Error::NotFound(_)) => Ok(render_form(
            state,
            req,
            site,
            &number,
            Some(lang.t("track-not-found")),
            StatusCode::NOT_FOUND,
        )),
        Err(other) => Err(other.into()),
    }
}

fn render_form(
    state: &AppState,
    req: &PageReq,
    site: &Site,
    number: &str,
    error: Option<String>,
    status: StatusCode,
) -> PageResponse {
    let lang = req.lang;
    let (token, cookie) = csrf::issue(
        state.secrets.cookie_key(),
        state.config.cookie_secure,
        req,
        FORM,
    );
    let title = lang.t("track-title");
    let main = html! {
        (breadcrumbs(lang, site, &[], &title))
        h1 { (title) }
        p { (lang.t("track-intro")) }
        @if let Some(e) = &error {
            div class="error-summary" role="alert" { p id="track-error" { (e) } }
        }
        form class="track" method="post" action=(site.href("track")) novalidate {
            input type="hidden" name="token" value=(token);
            div class="field" {
                label for="f-number" { (lang.t("track-number")) }
                input id="f-number" name="number" type="text" value=(number) autocomplete="off"
                    aria-describedby=[error.as_ref().map(|_| "track-error")];
            }
            div class="field" {
                label for="f-code" { (lang.t("track-code")) }
                input id="f-code" name="code" type="password" value="" autocomplete="off";
            }
            div class="actions" { button type="submit" class="primary" { (lang.t("track-submit")) } }
        }
    };
    let mut page = PageResponse::new(layout::page(req, &site.chrome(req), &title, main))
        .status(status)
        .no_store();
    if let Some(c) = cookie {
        page = page.cookie(c);
    }
    page
}

/// A bilingual service message ("中文 / English") in the page language.
fn in_lang(lang: Lang, text: &str) -> String {
    match text.split_once(" / ") {
        Some((zh, en)) => match lang {
            Lang::Zh => zh.to_string(),
            Lang::En => en.to_string(),
        },
        None => text.to_string(),
    }
}

fn label(lang: Lang, key: &str, fallback: &str) -> String {
    let text = lang.t(key);
    if text == key {
        fallback.to_string()
    } else {
        text
    }
}

fn status_page(req: &PageReq, site: &Site, v: &PublicView) -> PageResponse {
    let lang = req.lang;
    let title = lang.tr(
        "track-result-title",
        &[("number", v.tracking_number.clone().into())],
    );
    let d = &v.deadline;
    let main = html! {
        (breadcrumbs(lang, site, &[(site.href("track"), lang.t("track-title"))], &v.tracking_number))
        h1 { (title) }
        dl class="facts" {
            dt { (lang.t("receipt-status")) }
            dd id="request-status" { strong { (label(lang, &format!("status-{}", v.status), &v.status_zh)) } }
            dt { (lang.t("receipt-received")) } dd { (v.received_on) }
            dt { (lang.t("track-due")) }
            dd {
                @match &d.due {
                    Some(due) => {
                        time datetime=(due) { (due) }
                        @if d.provisional { " " (lang.t("track-due-provisional")) }
                        @if let Some(left) = d.working_days_left {
                            " · "
                            @if d.overdue { strong class="overdue" { (lang.t("track-overdue")) } }
                            @else { (lang.tr("track-days-left", &[("days", left.into())])) }
                        }
                    }
                    None => { (lang.t("track-due-none")) }
                }
            }
        }
        @if let Some(m) = &d.message { p class="notice" { (in_lang(lang, m)) } }
        @if !d.explanation.is_empty() {
            section aria-labelledby="why-title" {
                h2 id="why-title" { (lang.t("track-why")) }
                ol class="explanation" lang="zh-CN" {
                    @for line in &d.explanation { li { (in_lang(lang, line)) } }
                }
            }
        }
        section aria-labelledby="steps-title" {
            h2 id="steps-title" { (lang.t("track-steps")) }
            table class="timeline" {
                caption class="visually-hidden" { (lang.t("track-steps")) }
                thead { tr { th scope="col" { (lang.t("track-step-date")) } th scope="col" { (lang.t("track-step")) } } }
                tbody {
                    @for e in &v.timeline {
                        tr {
                            td class="mono" { (if e.on.is_empty() { day(&e.at) } else { e.on.clone() }) }
                            td { (label(lang, &format!("event-{}", e.kind), &e.kind)) }
                        }
                    }
                }
            }
        }
        @if let Some(fee) = &v.fee {
            section aria-labelledby="fee-title" class="notice" {
                h2 id="fee-title" { (lang.t("track-fee")) }
                p { (lang.tr("track-fee-text", &[("amount", fee.amount_yuan.into()), ("pay_by", fee.pay_by.clone().into()), ("status", label(lang, &format!("fee-status-{}", fee.status), &fee.status).into())])) }
                p { (lang.t("track-fee-how")) }
            }
        }
        @if let Some(answer) = &v.answer {
            section aria-labelledby="answer-title" {
                h2 id="answer-title" { (lang.t("track-answer")) }
                p { strong { (answer.outcome_label) } }
                div class="reply" lang="zh-CN" { (multiline(&answer.reply_text)) }
            }
        }
        section aria-labelledby="remedies-title" {
            h2 id="remedies-title" { (lang.t("track-remedies")) }
            p { (lang.t("track-remedies-text")) }
        }
    };
    PageResponse::new(layout::page(req, &site.chrome(req), &title, main)).no_store()
}

fn multiline(text: &str) -> Markup {
    html! { @for para in text.split("\n\n") { p { @for (i, line) in para.lines().enumerate() { @if i > 0 { br; } (line) } } } }
}
