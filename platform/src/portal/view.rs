//! Partials the portal's pages share: lists of items, pagination, validity, dates.

use chrono::{DateTime, Utc};
use maud::{html, Markup};

use super::Site;
use crate::disclosure::model::PublicItem;
use crate::kernel::clock::day_in_china;
use crate::kernel::ids::parse_time;
use crate::web::{Lang, PageReq};

/// The China date of a stored UTC time (`2026-03-01`), or the text as it is.
pub fn day(text: &str) -> String {
    parse_time(text).map_or_else(|| text.to_string(), |t| day_in_china(t).to_string())
}

/// The newest publication among `items`, for `Last-Modified`.
pub fn newest(items: &[PublicItem]) -> Option<DateTime<Utc>> {
    items
        .iter()
        .filter_map(|i| parse_time(&i.published_at))
        .max()
}

/// A message key's text, or `fallback` when the catalogue has no such key.
fn label_or(lang: Lang, key: &str, fallback: &str) -> String {
    let text = lang.t(key);
    if text == key {
        fallback.to_string()
    } else {
        text
    }
}

/// The kind's name in the page language (plugin kinds by their own code).
pub fn kind_label(lang: Lang, kind: &str) -> String {
    let zh = crate::disclosure::kinds::kind(kind).map_or(kind, |k| k.label_zh);
    label_or(lang, &format!("kind-{kind}"), zh)
}

pub fn validity_label(lang: Lang, validity: &str) -> String {
    label_or(lang, &format!("validity-{validity}"), validity)
}

pub fn validity_badge(lang: Lang, validity: &str) -> Markup {
    html! {
        span class={ "badge validity-" (validity) } { (validity_label(lang, validity)) }
    }
}

/// Items as a table: title, index number, kind, validity, date. Never bodies.
pub fn item_table(lang: Lang, site: &Site, items: &[PublicItem], caption: &str) -> Markup {
    html! {
        @if items.is_empty() {
            p class="empty" { (lang.t("list-empty")) }
        } @else {
            div class="table-scroll" {
                table class="items" {
                    caption class="visually-hidden" { (caption) }
                    thead {
                        tr {
                            th scope="col" { (lang.t("col-title")) }
                            th scope="col" class="narrow" { (lang.t("col-index-number")) }
                            th scope="col" class="narrow" { (lang.t("col-kind")) }
                            th scope="col" class="narrow" { (lang.t("col-validity")) }
                            th scope="col" class="narrow" { (lang.t("col-published")) }
                        }
                    }
                    tbody {
                        @for item in items {
                            tr {
                                td { a href=(site.href(&format!("items/{}", item.id))) lang="zh-CN" { (item.title) } }
                                td class="mono" { (item.index_number) }
                                td { (kind_label(lang, &item.kind)) }
                                td { (validity_badge(lang, &item.validity)) }
                                td class="mono" { time datetime=(day(&item.published_at)) { (day(&item.published_at)) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A short list of titles with dates (home page columns).
pub fn title_list(site: &Site, items: &[PublicItem], lang: Lang) -> Markup {
    html! {
        @if items.is_empty() {
            p class="empty" { (lang.t("list-empty")) }
        } @else {
            ul class="titles" {
                @for item in items {
                    li {
                        a href=(site.href(&format!("items/{}", item.id))) lang="zh-CN" { (item.title) }
                        " "
                        time datetime=(day(&item.published_at)) { (day(&item.published_at)) }
                    }
                }
            }
        }
    }
}

/// Page links: previous, "page n of m", next.
pub fn pagination(req: &PageReq, page: i64, per_page: i64, total: i64) -> Markup {
    let lang = req.lang;
    let pages = ((total + per_page - 1) / per_page).max(1);
    html! {
        nav class="pagination" aria-label=(lang.t("pagination")) {
            @if page > 1 {
                a rel="prev" href=(req.href_with(&[("page", &(page - 1).to_string())])) { (lang.t("page-prev")) }
            }
            span { (lang.tr("page-of", &[("page", page.into()), ("pages", pages.into())])) }
            " · "
            span { (lang.tr("items-count", &[("count", total.into())])) }
            @if page < pages {
                a rel="next" href=(req.href_with(&[("page", &(page + 1).to_string())])) { (lang.t("page-next")) }
            }
        }
    }
}

/// Where the page sits: home › … › here.
pub fn breadcrumbs(lang: Lang, site: &Site, trail: &[(String, String)], here: &str) -> Markup {
    html! {
        nav class="breadcrumbs" aria-label=(lang.t("breadcrumbs")) {
            ol {
                li { a href=(site.href("")) { (lang.t("nav-home")) } }
                @for (href, label) in trail {
                    li { a href=(href) { (label) } }
                }
                li aria-current="page" { (here) }
            }
        }
    }
}
