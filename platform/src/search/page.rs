//! What the portal's search page and the console's share: the search parameters read
//! from the page's own query, the facets as links that set or remove a filter, the
//! hint when nothing is found, and one result with its marked title and snippet.

use maud::{html, Markup, PreEscaped};

use super::service::{FacetValue, SearchHit, SearchPage, SearchQuery};
use crate::web::PageReq;

/// The facet filters a search page may carry.
pub const FACET_PARAMS: &[&str] = &["agency", "catalog", "kind", "year", "validity"];

/// The search parameters of the page (the API's, from the page's own query).
pub fn query_of(req: &PageReq) -> SearchQuery {
    let p = |name: &str| req.param(name).map(str::to_string);
    SearchQuery {
        q: p("q"),
        scope: p("scope"),
        agency: p("agency"),
        catalog: p("catalog"),
        kind: p("kind"),
        year: p("year"),
        validity: p("validity"),
        sort: p("sort"),
        page: p("page"),
        per_page: None,
        facets: None,
    }
}

/// This page without any facet filter, from its first page.
pub fn without_filters(req: &PageReq) -> String {
    let cleared: Vec<(&str, &str)> = FACET_PARAMS
        .iter()
        .map(|p| (*p, ""))
        .chain([("page", "1")])
        .collect();
    req.href_with(&cleared)
}

/// The order of the results (`id` the select's), then the page's facet filters as
/// hidden fields: the end of a search form, before its button.
pub fn sort_and_filters(req: &PageReq, id: &str) -> Markup {
    let lang = req.lang;
    let sort = req.param("sort").unwrap_or("relevance");
    html! {
        div class="field" {
            label for=(id) { (lang.t("search-sort")) }
            select id=(id) name="sort" {
                option value="relevance" selected[sort != "date"] { (lang.t("search-sort-relevance")) }
                option value="date" selected[sort == "date"] { (lang.t("search-sort-date")) }
            }
        }
        @for name in FACET_PARAMS {
            @if let Some(v) = req.param(name).filter(|v| !v.is_empty()) {
                input type="hidden" name=(name) value=(v);
            }
        }
    }
}

/// One facet's values as links that set (or, when chosen, remove) its filter; `label`
/// names a value in the page language.
pub fn facet_list(
    req: &PageReq,
    name: &str,
    title: &str,
    values: &[FacetValue],
    label: &dyn Fn(&FacetValue) -> String,
) -> Markup {
    let lang = req.lang;
    let chosen = req.param(name);
    html! {
        @if !values.is_empty() {
            section class="facet" aria-labelledby={ "facet-" (name) } {
                h3 id={ "facet-" (name) } { (title) }
                ul {
                    @for v in values {
                        li {
                            @if chosen == Some(v.value.as_str()) {
                                a href=(req.href_with(&[(name, ""), ("page", "1")])) aria-current="true"
                                  title=(lang.t("search-remove-filter")) {
                                    (label(v)) " ✕"
                                }
                            } @else {
                                a href=(req.href_with(&[(name, v.value.as_str()), ("page", "1")])) { (label(v)) }
                            }
                            " " span class="count" { "(" (v.count) ")" }
                        }
                    }
                }
            }
        }
    }
}

/// The facets beside the results (the agency facet only when several agencies are
/// searched); `label(facet, value)` names a value.
pub fn facets(
    req: &PageReq,
    found: &SearchPage,
    agencies: bool,
    label: &dyn Fn(&str, &FacetValue) -> String,
) -> Markup {
    let lang = req.lang;
    let Some(f) = &found.facets else {
        return html! {};
    };
    let list = |name: &str, values: &[FacetValue]| {
        facet_list(
            req,
            name,
            &lang.t(&format!("search-facet-{name}")),
            values,
            &|v: &FacetValue| label(name, v),
        )
    };
    html! {
        aside class="facets" aria-label=(lang.t("search-facets")) {
            h2 { (lang.t("search-facets")) }
            @if found.filtered {
                p { a href=(without_filters(req)) { (lang.t("search-remove-filters")) } }
            }
            @if agencies { (list("agency", &f.agency)) }
            (list("catalog", &f.catalog))
            (list("kind", &f.kind))
            (list("year", &f.year))
            (list("validity", &f.validity))
        }
    }
}

/// Nothing found: removing the filters first (when there are some), then `more` (other
/// suggestions of the page), then shorter words or a document number.
pub fn nothing_found(req: &PageReq, found: &SearchPage, more: Markup) -> Markup {
    let lang = req.lang;
    html! {
        div class="search-none" {
            p { (lang.tr("search-none", &[("words", found.q.clone().into())])) }
            @if found.filtered {
                p { (lang.t("search-none-filtered")) " " a href=(without_filters(req)) { (lang.t("search-remove-filters")) } }
            }
            (more)
            p { (lang.t("search-none-tips")) }
        }
    }
}

/// What was found: the count, then the facets beside the results (`hit` draws one) and
/// the pages; or, when nothing was, [`nothing_found`] with `more`.
pub fn results(
    req: &PageReq,
    found: &SearchPage,
    agencies: bool,
    label: &dyn Fn(&str, &FacetValue) -> String,
    more: Markup,
    hit: &dyn Fn(&SearchHit) -> Markup,
) -> Markup {
    let lang = req.lang;
    html! {
        p role="status" { (lang.tr("search-results", &[("count", found.total.into()), ("words", found.q.clone().into())])) }
        @if found.results.is_empty() {
            (nothing_found(req, found, more))
        } @else {
            div class="with-sidebar" {
                (facets(req, found, agencies, label))
                div class="content" {
                    ol class="search-results" start=((found.page - 1) * found.per_page + 1) {
                        @for h in &found.results { (hit(h)) }
                    }
                    (crate::portal::view::pagination(req, found.page, found.per_page, found.total))
                }
            }
        }
    }
}

/// One result: the title (marked) linking to `href`, the line `meta`, the snippet.
pub fn hit(hit: &SearchHit, href: &str, meta: Markup) -> Markup {
    html! {
        li {
            h2 class="hit-title" lang="zh-CN" {
                // Escaped by gongkai_search::highlight; only <mark> is markup.
                a href=(href) { (PreEscaped(&hit.title_html)) }
            }
            p class="hit-meta" { (meta) }
            @if !hit.snippet_html.is_empty() {
                // Escaped by gongkai_search::snippet; only <mark> is markup.
                p class="hit-snippet" lang="zh-CN" { (PreEscaped(&hit.snippet_html)) }
            }
        }
    }
}
