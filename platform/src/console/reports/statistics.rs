//! The statistics pages: `GET /console/{slug}/statistics` (monthly counts of the agency
//! or, for a government, of an agency under it), `…/statistics/ranking` (a government's
//! quarterly ranking) and `…/reports/{year}/compare` (year on year). Each shows the
//! charts inline (the same SVG as the API), the figures as a table, how they are
//! computed, and the downloads; a refused choice (a month not begun, an unknown agency,
//! nothing counted) comes back beside its field with the values kept.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::{html, Markup, PreEscaped};

use super::list::reports;
use super::{input, summary, Refused};
use crate::app::AppState;
use crate::console::Desk;
use crate::kernel::error::{Error, FieldProblem};
use crate::reports::statistics::monthly::{self, MonthlyQuery};
use crate::reports::statistics::ranking::{self, RankingQuery};
use crate::reports::statistics::{percent, views, year_on_year, Definition};
use crate::reports::summary::children;
use crate::tenancy::TenantKind;
use crate::web::error::{PageError, PageResult};
use crate::web::{Lang, PageReq};

fn opt(req: &PageReq, name: &str) -> Option<String> {
    req.param(name)
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

fn query_string(pairs: &[(&str, Option<&String>)]) -> String {
    let parts: Vec<String> = pairs
        .iter()
        .filter_map(|(k, v)| v.map(|v| format!("{k}={}", crate::web::response::url_encode(v))))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

fn definitions(lang: Lang, list: &[Definition]) -> Markup {
    html! {
        section aria-labelledby="definitions-title" {
            h2 id="definitions-title" { (lang.t("console-statistics-definitions")) }
            dl class="definitions" {
                @for d in list { dt { (d.label) } dd { (d.definition) } }
            }
        }
    }
}

fn downloads(lang: Lang, base: &str, formats: &[&str], query: &str) -> Markup {
    html! {
        p class="downloads" {
            (lang.t("console-statistics-downloads")) ": "
            @for (i, f) in formats.iter().enumerate() {
                @if i > 0 { " · " }
                a href=(format!("{base}/download/{f}{query}")) download { (f.to_uppercase()) }
            }
        }
    }
}

/// A refusal beside the form (422, 409), or the error page.
fn refused(err: Error) -> Result<(Vec<FieldProblem>, StatusCode), PageError> {
    let r = Refused::of(err)?;
    let status = r.status;
    Ok((r.all(), status))
}

pub async fn monthly(State(state): State<AppState>, req: PageReq, desk: Desk) -> Response {
    let result = render_monthly(&state, &req, &desk).await;
    desk.finish(&req, result)
}

async fn render_monthly(state: &AppState, req: &PageReq, desk: &Desk) -> PageResult {
    let lang = req.lang;
    let tenant = &desk.tenant.as_ref().expect("a tenant route").tenant;
    let slug = &tenant.slug;
    let reports = reports(state);
    let q = MonthlyQuery {
        from: opt(req, "from"),
        to: opt(req, "to"),
        agency: opt(req, "agency"),
    };
    let agencies = children(&reports, tenant).await?;
    let (view, problems, status) = match monthly::monthly(&reports, tenant, &q).await {
        Ok(v) => (Some(v), Vec::new(), StatusCode::OK),
        Err(e) => {
            let (p, s) = refused(e)?;
            (None, p, s)
        }
    };
    let query = query_string(&[
        ("from", q.from.as_ref()),
        ("to", q.to.as_ref()),
        ("agency", q.agency.as_ref()),
    ]);
    let title = lang.t("console-statistics-title");
    let main = html! {
        h1 { (title) }
        @if tenant.kind == TenantKind::Government {
            p { a href=(format!("/console/{slug}/statistics/ranking")) { (lang.t("console-ranking-title")) } }
        }
        (summary(lang, &problems))
        form method="get" action=(format!("/console/{slug}/statistics")) class="filters" {
            (input(lang, "from", "console-statistics-from", q.from.as_deref().unwrap_or(""), "month", &problems))
            (input(lang, "to", "console-statistics-to", q.to.as_deref().unwrap_or(""), "month", &problems))
            @if !agencies.is_empty() {
                div class="field" {
                    label for="agency" { (lang.t("console-statistics-agency")) }
                    select id="agency" name="agency" {
                        option value="" { (tenant.name_zh) }
                        @for a in &agencies {
                            option value=(a.slug) selected[q.agency.as_deref() == Some(a.slug.as_str())] { (a.name_zh) }
                        }
                    }
                }
            }
            button type="submit" { (lang.t("console-statistics-show")) }
        }
        @if let Some(v) = &view {
            h2 { (v.agency.name) " · " (v.from) " – " (v.to) }
            @for (name, _) in views::MONTHLY_CHARTS {
                @if let Some(svg) = views::monthly_chart(v, name) {
                    figure class="chart" { (PreEscaped(svg)) }
                }
            }
            div class="table-scroll" {
                table class="list" {
                    caption { (lang.t("console-statistics-table")) }
                    thead { tr {
                        th scope="col" { (lang.t("console-statistics-month")) }
                        @for d in &v.definitions { th scope="col" { (d.label) } }
                    } }
                    tbody {
                        @for m in &v.months {
                            tr {
                                th scope="row" { (m.month) }
                                td { (m.items_published) } td { (m.received) } td { (m.closed) } td { (m.overdue) } td { (m.answered) } td { (m.answered_in_time) }
                                td { (percent(m.share_answered_in_time)) }
                                td { (m.median_days_to_answer.map_or("—".to_string(), |d| format!("{d:.1}"))) }
                            }
                        }
                    }
                }
            }
            (downloads(lang, &format!("/api/v1/tenants/{slug}/statistics/monthly"), &["xlsx", "csv", "items-csv"], &query))
            (definitions(lang, &v.definitions))
        }
    };
    Ok(desk.page(req, &title, main).status(status))
}

pub async fn ranking(State(state): State<AppState>, req: PageReq, desk: Desk) -> Response {
    let result = render_ranking(&state, &req, &desk).await;
    desk.finish(&req, result)
}

async fn render_ranking(state: &AppState, req: &PageReq, desk: &Desk) -> PageResult {
    let lang = req.lang;
    let tenant = &desk.tenant.as_ref().expect("a tenant route").tenant;
    let slug = &tenant.slug;
    let q = RankingQuery {
        quarter: opt(req, "quarter"),
    };
    let (view, problems, status) = match ranking::ranking(&reports(state), tenant, &q).await {
        Ok(v) => (Some(v), Vec::new(), StatusCode::OK),
        Err(e) => {
            let (p, s) = refused(e)?;
            (None, p, s)
        }
    };
    let title = lang.t("console-ranking-title");
    let main = html! {
        h1 { (title) }
        (summary(lang, &problems))
        form method="get" action=(format!("/console/{slug}/statistics/ranking")) class="filters" {
            (input(lang, "quarter", "console-ranking-quarter", q.quarter.as_deref().or(view.as_ref().map(|v| v.quarter.as_str())).unwrap_or(""), "text", &problems))
            button type="submit" { (lang.t("console-statistics-show")) }
        }
        @if let Some(v) = &view {
            p { (v.from) " – " (v.to) @if v.provisional { " · " (lang.t("console-ranking-provisional")) } }
            p { (lang.t("console-ranking-no-score")) }
            @for m in &v.metrics {
                section aria-labelledby=(format!("m-{}", m.metric)) {
                    h2 id=(format!("m-{}", m.metric)) { (m.label) }
                    p class="definition" { (m.definition) }
                    @if let Some(svg) = views::ranking_chart(v, &m.metric) {
                        figure class="chart" { (PreEscaped(svg)) }
                    }
                    table class="list" {
                        caption { (m.label) }
                        thead { tr {
                            th scope="col" { (lang.t("console-ranking-rank")) }
                            th scope="col" { (lang.t("console-statistics-agency")) }
                            th scope="col" { (lang.t("console-ranking-value")) }
                            th scope="col" { (lang.t("console-ranking-counted")) }
                        } }
                        tbody {
                            @for e in &m.entries {
                                tr {
                                    td { (e.rank.map_or("—".to_string(), |r| r.to_string())) }
                                    th scope="row" { (e.agency.name) }
                                    td { @if m.unit == "share" { (percent(e.value)) } @else { (e.value.map_or("—".to_string(), |x| format!("{x:.1}"))) } }
                                    td { (e.numerator) " / " (e.denominator) }
                                }
                            }
                        }
                    }
                }
            }
            (downloads(lang, &format!("/api/v1/tenants/{slug}/statistics/ranking"), &["xlsx", "csv"], &format!("?quarter={}", v.quarter)))
        }
    };
    Ok(desk.page(req, &title, main).status(status))
}

pub async fn compare(
    State(state): State<AppState>,
    req: PageReq,
    desk: Desk,
    Path((_slug, year)): Path<(String, i32)>,
) -> Response {
    let result = render_compare(&state, &req, &desk, year).await;
    desk.finish(&req, result)
}

async fn render_compare(state: &AppState, req: &PageReq, desk: &Desk, year: i32) -> PageResult {
    let lang = req.lang;
    let tenant = &desk.tenant.as_ref().expect("a tenant route").tenant;
    let slug = &tenant.slug;
    let v = year_on_year::compare(&reports(state), tenant, year).await?;
    let title = lang.tr(
        "console-compare-heading",
        &[
            ("year", year.to_string().into()),
            ("previous", v.previous_year.to_string().into()),
        ],
    );
    let num = |n: Option<i64>| n.map_or("—".to_string(), |n| n.to_string());
    let main = html! {
        p { a href=(format!("/console/{slug}/reports/{year}")) { (lang.tr("console-report-title", &[("year", year.to_string().into())])) } }
        h1 { (title) }
        figure class="chart" { (PreEscaped(views::year_on_year_chart(&v))) }
        div class="table-scroll" {
            table class="list" {
                caption { (title) }
                thead { tr {
                    th scope="col" { (lang.t("console-compare-cell")) }
                    th scope="col" { (year) }
                    th scope="col" { (v.previous_year) }
                    th scope="col" { (lang.t("console-compare-change")) }
                } }
                tbody {
                    @for c in &v.cells {
                        tr {
                            th scope="row" { (c.label) }
                            td { (c.this_year) } td { (num(c.last_year)) } td { (num(c.change)) }
                        }
                    }
                }
            }
        }
        (downloads(lang, &format!("/api/v1/tenants/{slug}/statistics/year-on-year/{year}"), &["xlsx", "csv"], ""))
    };
    Ok(desk.page(req, &title, main))
}
