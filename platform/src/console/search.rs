//! `GET /console/{slug}/search`: the staff search of the agency, over its published
//! items and the working versions not yet published (drafts, in review, approved,
//! scheduled, revisions), with the same service, filters and rule as
//! `GET /api/v1/tenants/{slug}/search`: facets, pagination, marked titles and snippets,
//! each result with its stage and a link to its console page.

use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::html;

use crate::app::AppState;
use crate::console::items::{error_summary, kind_label, or_code, stage_label};
use crate::console::Desk;
use crate::disclosure::plugin_kinds;
use crate::disclosure::Disclosure;
use crate::kernel::error::{Error, FieldProblem};
use crate::portal::view::day;
use crate::search::page;
use crate::search::service::{self, FacetValue, SearchHit, SearchPage};
use crate::web::error::PageResult;
use crate::web::PageReq;

/// The API route whose rule the page shares (and whose rule puts it in the menu).
pub use crate::search::routes::STAFF_SEARCH as SEARCH_API;

pub async fn page(State(state): State<AppState>, req: PageReq, desk: Desk) -> Response {
    let result = render(&state, &req, &desk).await;
    desk.finish(&req, result)
}

async fn render(state: &AppState, req: &PageReq, desk: &Desk) -> PageResult {
    let lang = req.lang;
    let d = Disclosure::from_ref(state);
    let tenant = &desk.tenant.as_ref().expect("a tenant route").tenant;
    let slug = &tenant.slug;
    let words = req.param("q").map(str::trim).unwrap_or("");
    // A bad parameter is said beside the form, with the words kept (422).
    let (found, problems): (Option<SearchPage>, Vec<FieldProblem>) = if words.is_empty() {
        (None, Vec::new())
    } else {
        match service::staff_search(&d, tenant, &page::query_of(req)).await {
            Ok(found) => (Some(found), Vec::new()),
            Err(Error::Invalid(problems)) => (None, problems),
            Err(other) => return Err(other.into()),
        }
    };
    let kinds = plugin_kinds::tenant_kinds(&d, tenant).await?;
    let label = |facet: &str, v: &FacetValue| match facet {
        "kind" => kind_label(lang, &kinds, &v.value),
        "validity" => or_code(lang, &format!("validity-{}", v.value), &v.value),
        _ => v.label.clone(),
    };
    let q_problem = problems.iter().find(|p| p.field == "q");
    let summary: Vec<(String, String)> = problems
        .iter()
        .map(|p| {
            let href = if p.field == "q" { "#q" } else { "" };
            (href.to_string(), format!("{}: {}", p.field, p.message))
        })
        .collect();
    let title = lang.t("console-search-title");
    let main = html! {
        h1 { (title) }
        (error_summary(lang, &summary))
        form class="filters" method="get" action=(req.path) role="search" {
            p class="field wide" {
                label for="q" { (lang.t("console-search-words")) }
                input id="q" name="q" type="search" maxlength="100" value=(words)
                    aria-invalid=[q_problem.map(|_| "true")] aria-describedby=[q_problem.map(|_| "q-error")];
                @if let Some(p) = q_problem { span class="field-error" id="q-error" { (p.message) } }
            }
            (page::sort_and_filters(req, "sort"))
            p { button type="submit" { (lang.t("search-button")) } }
        }
        @match &found {
            None => { p { (lang.t("console-search-hint")) } }
            Some(found) => {
                (page::results(req, found, false, &label, html! {}, &|hit: &SearchHit| {
                    let stage = hit.stage.as_deref().unwrap_or("published");
                    page::hit(hit, &format!("/console/{slug}/items/{}", hit.id), html! {
                        span class={ "badge stage-" (stage) } { (stage_label(lang, stage)) } " · "
                        @if let Some(n) = &hit.document_number { span class="mono" { (n) } " · " }
                        span class="mono" { (hit.index_number) } " · "
                        span { (kind_label(lang, &kinds, &hit.kind)) } " · "
                        span { (hit.catalog_name) }
                        @if !hit.published_at.is_empty() {
                            " · " time datetime=(day(&hit.published_at)) { (day(&hit.published_at)) }
                        }
                    })
                }))
            }
        }
    };
    let response = desk.page(req, &title, main);
    Ok(if problems.is_empty() {
        response
    } else {
        response.status(StatusCode::UNPROCESSABLE_ENTITY)
    })
}
