//! Searching: the public search of an agency (and of its children), and the staff search
//! of one tenant over its published and unpublished items.
//!
//! One query shape on both backends; only the matching and the ranking differ: FTS5's
//! MATCH and `bm25` (column weights title 10, numbers 6, issuer and fields 3, body 1) on
//! SQLite, `@@` and `ts_rank_cd` (weights A 1.0, B 0.6, C 0.3, D 0.1) over the GIN index
//! on PostgreSQL. Filters and facets read the items themselves (kind, validity, catalog
//! node, published or not), so a withdrawal or a repeal shows in results the moment it
//! commits, whatever the index says.

use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::FromRow;
use utoipa::{IntoParams, ToSchema};

use gongkai_search::query::{scope_token, QueryError, MAX_QUERY_CHARS};
use gongkai_search::{fold, highlight, snippet, Query};

use crate::disclosure::kinds;
use crate::disclosure::model::validity_from;
use crate::disclosure::Disclosure;
use crate::kernel::db::{Backend, TenantTx};
use crate::kernel::error::{check, FieldProblem, Result};
use crate::tenancy::Tenant;

fn decode<T: for<'r> FromRow<'r, AnyRow>>(row: AnyRow) -> sqlx::Result<T> {
    T::from_row(&row)
}

/// The parameters of a search, as sent (each checked, every problem reported at once).
#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
pub struct SearchQuery {
    /// The words (at most 100 characters). Traditional characters and full-width forms
    /// match their simplified and half-width forms; a document number such as
    /// `〔2025〕12号` or `2025 12号` matches the document with that number.
    pub q: Option<String>,
    /// `self` (default): this agency; `children`: this agency and every agency under it.
    pub scope: Option<String>,
    /// One agency (slug) among those searched.
    pub agency: Option<String>,
    /// A catalog node's code (e.g. `GZDT`).
    pub catalog: Option<String>,
    /// An item kind: a built-in kind or `plugin/kind`.
    pub kind: Option<String>,
    /// The year of publication (China time), e.g. `2025`.
    pub year: Option<String>,
    /// `in_force`, `amended` or `repealed`.
    pub validity: Option<String>,
    /// `relevance` (default) or `date` (newest first).
    pub sort: Option<String>,
    /// From 1 to 500.
    pub page: Option<String>,
    /// 1–50, default 20.
    pub per_page: Option<String>,
    /// `false`: no facet counts (a little faster).
    pub facets: Option<String>,
}

/// One result.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchHit {
    /// The agency's slug.
    pub agency: String,
    pub agency_name: String,
    pub id: String,
    pub index_number: String,
    pub title: String,
    /// The title, HTML-escaped, with the matched words in `<mark>`.
    pub title_html: String,
    /// A window of the text where the words are, HTML-escaped, words in `<mark>`.
    pub snippet_html: String,
    pub document_number: Option<String>,
    pub kind: String,
    pub catalog_code: String,
    pub catalog_name: String,
    pub validity: String,
    /// Empty for an item never published (staff search).
    pub published_at: String,
    /// Staff search only: the item's stage (`draft`, `in_review`, … `published`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    /// The portal page (public), or the staff API resource.
    pub url: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FacetValue {
    pub value: String,
    pub label: String,
    pub count: i64,
}

/// Counts of the results by each filter's values (under the filters given).
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct Facets {
    pub agency: Vec<FacetValue>,
    pub catalog: Vec<FacetValue>,
    pub kind: Vec<FacetValue>,
    pub year: Vec<FacetValue>,
    pub validity: Vec<FacetValue>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchPage {
    pub q: String,
    /// The terms every result contains (segmented, folded).
    pub terms: Vec<String>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    pub sort: String,
    /// True when a filter (agency, catalog, kind, year, validity) narrowed the results:
    /// with no result, removing them is the first thing to suggest.
    pub filtered: bool,
    pub results: Vec<SearchHit>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<Facets>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    Relevance,
    Date,
}

/// A checked search.
#[derive(Debug, Clone)]
pub struct Search {
    pub q: String,
    pub query: Query,
    pub children: bool,
    pub agency: Option<String>,
    pub catalog: Option<String>,
    pub kind: Option<String>,
    pub year: Option<i64>,
    pub validity: Option<String>,
    pub sort: Sort,
    pub page: i64,
    pub per_page: i64,
    pub facets: bool,
}

pub const MAX_PAGE: i64 = 500;
pub const MAX_PER_PAGE: i64 = 50;

fn is_kind(kind: &str) -> bool {
    if kinds::kind(kind).is_some() {
        return true;
    }
    let ok = |s: &str| {
        !s.is_empty()
            && s.len() <= 64
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
    };
    matches!(kind.split_once('/'), Some((p, k)) if ok(p) && ok(k))
}

/// Checks the parameters; every problem is named (RFC 9457, 422).
pub fn check_query(raw: &SearchQuery) -> Result<Search> {
    let mut problems = Vec::new();
    let q = raw.q.as_deref().unwrap_or("").trim().to_string();
    let query = match Query::parse(&q) {
        Ok(query) => Some(query),
        Err(QueryError::TooLong) => {
            problems.push(FieldProblem::new(
                "q",
                format!("at most {MAX_QUERY_CHARS} characters"),
            ));
            None
        }
        Err(QueryError::Empty) => {
            problems.push(FieldProblem::new("q", "words to search for"));
            None
        }
    };
    let children = match raw.scope.as_deref() {
        None | Some("") | Some("self") => false,
        Some("children") => true,
        Some(_) => {
            problems.push(FieldProblem::new("scope", "self or children"));
            false
        }
    };
    let number = |name: &str,
                  text: &Option<String>,
                  default: i64,
                  range: std::ops::RangeInclusive<i64>,
                  problems: &mut Vec<FieldProblem>| match text.as_deref() {
        None | Some("") => default,
        Some(t) => match t.trim().parse::<i64>() {
            Ok(n) if range.contains(&n) => n,
            _ => {
                problems.push(FieldProblem::new(
                    name,
                    format!("a whole number from {} to {}", range.start(), range.end()),
                ));
                default
            }
        },
    };
    let page = number("page", &raw.page, 1, 1..=MAX_PAGE, &mut problems);
    let per_page = number(
        "per_page",
        &raw.per_page,
        20,
        1..=MAX_PER_PAGE,
        &mut problems,
    );
    let year = match raw.year.as_deref() {
        None | Some("") => None,
        Some(_) => Some(number("year", &raw.year, 0, 1949..=2100, &mut problems)),
    };
    let sort = match raw.sort.as_deref() {
        None | Some("") | Some("relevance") => Sort::Relevance,
        Some("date") => Sort::Date,
        Some(_) => {
            problems.push(FieldProblem::new("sort", "relevance or date"));
            Sort::Relevance
        }
    };
    let validity = match raw.validity.as_deref() {
        None | Some("") => None,
        Some(v) if validity_from(v).is_ok() => Some(v.to_string()),
        Some(_) => {
            problems.push(FieldProblem::new(
                "validity",
                "in_force, amended or repealed",
            ));
            None
        }
    };
    let kind = match raw.kind.as_deref() {
        None | Some("") => None,
        Some(k) if is_kind(k) => Some(k.to_string()),
        Some(_) => {
            problems.push(FieldProblem::new(
                "kind",
                "a built-in kind (see /api/v1/item-kinds) or plugin/kind",
            ));
            None
        }
    };
    let facets = match raw.facets.as_deref() {
        None | Some("") | Some("true") => true,
        Some("false") => false,
        Some(_) => {
            problems.push(FieldProblem::new("facets", "true or false"));
            true
        }
    };
    let text = |t: &Option<String>| t.as_deref().filter(|s| !s.is_empty()).map(str::to_string);
    for (name, value) in [("agency", &raw.agency), ("catalog", &raw.catalog)] {
        if value.as_deref().is_some_and(|v| v.chars().count() > 64) {
            problems.push(FieldProblem::new(name, "at most 64 characters"));
        }
    }
    check(problems)?;
    Ok(Search {
        q,
        query: query.expect("checked"),
        children,
        agency: text(&raw.agency),
        catalog: text(&raw.catalog),
        kind,
        year,
        validity,
        sort,
        page,
        per_page,
        facets,
    })
}

/// The tenants a public search reads: the agency, and with `children` every active
/// agency under it (the platform never).
async fn scope(d: &Disclosure, root: &Tenant, children: bool) -> Result<Vec<Tenant>> {
    let mut out = vec![root.clone()];
    if !children {
        return Ok(out);
    }
    let all = crate::tenancy::store::all(&d.db).await?;
    let mut i = 0;
    while i < out.len() && out.len() < 10_000 {
        let parent = out[i].id.clone();
        out.extend(
            all.iter()
                .filter(|t| t.active && !t.is_platform() && t.parent_id.as_deref() == Some(&parent))
                .cloned(),
        );
        i += 1;
    }
    Ok(out)
}

/// Tenant ids (UUIDs we made) quoted for an IN list; `$1` is the first.
fn tenant_condition(column: &str, tenants: &[Tenant]) -> String {
    let others: Vec<String> = tenants
        .iter()
        .skip(1)
        .filter(|t| t.id.chars().all(|c| c.is_ascii_hexdigit() || c == '-'))
        .map(|t| format!("'{}'", t.id))
        .collect();
    if others.is_empty() {
        format!("{column} = $1")
    } else {
        format!("({column} = $1 OR {column} IN ({}))", others.join(", "))
    }
}

#[derive(FromRow)]
struct HitRow {
    tenant_id: String,
    item_id: String,
    title: String,
    body_text: String,
    document_number: Option<String>,
    index_number: String,
    kind: String,
    validity: String,
    published_at: Option<String>,
    code: String,
    name: String,
}

#[derive(FromRow)]
struct FacetRow {
    facet: String,
    value: String,
    label: String,
    n: i64,
}

/// The characters of the body read for a snippet.
const SNIPPET_SOURCE_CHARS: i64 = 50_000;
/// A snippet's width in characters.
const SNIPPET_WIDTH: usize = 120;

/// FROM and WHERE of the matching published items, `$2` the query, `$3`… the filters.
/// The tables are named `t` (PostgreSQL's terms), `d`, `i` and `n`.
fn matching(backend: Backend, tenants: &[Tenant]) -> (String, String) {
    let tenants_sql = tenant_condition("d.tenant_id", tenants);
    let filters = "i.public_state = 'published' AND ($3 = '' OR i.kind = $3) \
         AND ($4 = '' OR i.validity = $4) AND ($5 = 0 OR d.year = $5) \
         AND ($6 = '' OR n.code = $6) AND ($7 = '' OR d.tenant_id = $7)";
    match backend {
        Backend::Sqlite => (
            // CROSS JOIN: SQLite keeps this order, so the full-text match is the outer
            // loop (it could otherwise walk the row map and run the MATCH per row).
            "FROM search_fts CROSS JOIN search_fts_rows r ON r.fts_rowid = search_fts.rowid \
             JOIN search_documents d ON d.tenant_id = r.tenant_id AND d.item_id = r.item_id \
             JOIN items i ON i.tenant_id = d.tenant_id AND i.id = d.item_id \
             JOIN catalog_nodes n ON n.tenant_id = i.tenant_id AND n.id = i.node_id"
                .to_string(),
            format!("search_fts MATCH $2 AND {tenants_sql} AND {filters}"),
        ),
        Backend::Postgres => (
            "FROM search_terms t JOIN search_documents d ON d.tenant_id = t.tenant_id AND d.item_id = t.item_id \
             JOIN items i ON i.tenant_id = d.tenant_id AND i.id = d.item_id \
             JOIN catalog_nodes n ON n.tenant_id = i.tenant_id AND n.id = i.node_id"
                .to_string(),
            format!("t.terms @@ CAST($2 AS tsquery) AND {tenants_sql} AND {filters}"),
        ),
    }
}

fn match_text(backend: Backend, s: &Search, tenants: &[Tenant]) -> String {
    match backend {
        Backend::Sqlite => {
            let scopes: Vec<String> = tenants.iter().map(|t| scope_token(&t.id)).collect();
            s.query.fts5_match_in(&scopes)
        }
        Backend::Postgres => s.query.tsquery(),
    }
}

/// Runs a checked search over `tenants` (the first bound as `$1`): the page of results,
/// the total and, when asked, the facets.
///
/// One pass over the matches: they are ranked once into a materialised set whose keys
/// give the page (its rows numbered in order), the total and the facet counts, all in
/// one statement; then the text of the page's rows alone (the snippet's source, the
/// node's name) is read. A common word can match tens of thousands of items: each is
/// matched, joined and ranked once, never again for the count or the facets.
async fn run(
    tx: &mut TenantTx,
    s: &Search,
    tenants: &[Tenant],
    agency_id: &str,
) -> Result<(Vec<HitRow>, i64, Option<Vec<FacetRow>>)> {
    let backend = tx.backend();
    let (from, conditions) = matching(backend, tenants);
    let rank = match (s.sort, backend) {
        (Sort::Date, _) => "0",
        (Sort::Relevance, Backend::Sqlite) => "bm25(search_fts, 0.0, 10.0, 6.0, 3.0, 1.0)",
        (Sort::Relevance, Backend::Postgres) => {
            "-ts_rank_cd(CAST('{0.1, 0.3, 0.6, 1.0}' AS float4[]), t.terms, CAST($2 AS tsquery))"
        }
    };
    let facets = if s.facets {
        "UNION ALL SELECT 'agency', t, '', COUNT(*) FROM m GROUP BY t \
         UNION ALL SELECT 'kind', k, '', COUNT(*) FROM m GROUP BY k \
         UNION ALL SELECT 'validity', v, '', COUNT(*) FROM m GROUP BY v \
         UNION ALL SELECT 'year', CAST(y AS TEXT), '', COUNT(*) FROM m GROUP BY y \
         UNION ALL SELECT 'catalog', c, MIN(cn), COUNT(*) FROM m GROUP BY c"
    } else {
        ""
    };
    let sql = format!(
        "WITH m AS MATERIALIZED (SELECT d.tenant_id AS t, d.item_id AS id, {rank} AS r, \
         i.published_at AS pub_at, i.kind AS k, i.validity AS v, d.year AS y, n.code AS c, \
         n.name AS cn {from} WHERE {conditions}), \
         top AS (SELECT t, id, r, pub_at FROM m ORDER BY r, pub_at DESC, id DESC LIMIT $8 OFFSET $9) \
         SELECT 'hit' AS facet, t AS value, id AS label, \
         row_number() OVER (ORDER BY r, pub_at DESC, id DESC) AS n FROM top \
         UNION ALL SELECT 'total', '', '', COUNT(*) FROM m {facets}"
    );
    let keys: Vec<FacetRow> = tx
        .query(&sql)
        .bind(match_text(backend, s, tenants))
        .bind(s.kind.clone().unwrap_or_default())
        .bind(s.validity.clone().unwrap_or_default())
        .bind(s.year.unwrap_or(0))
        .bind(s.catalog.clone().unwrap_or_default())
        .bind(agency_id.to_string())
        .bind(s.per_page)
        .bind((s.page - 1) * s.per_page)
        .try_map(decode::<FacetRow>)
        .fetch_all(tx.conn())
        .await?;
    let (mut page, rest): (Vec<FacetRow>, Vec<FacetRow>) =
        keys.into_iter().partition(|k| k.facet == "hit");
    page.sort_by_key(|k| k.n);
    let total = rest.iter().find(|k| k.facet == "total").map_or(0, |k| k.n);
    let rows = page_rows(tx, tenants, &page).await?;
    Ok((rows, total, s.facets.then_some(rest)))
}

/// The text of the page's rows (`value` the tenant, `label` the item), in their order.
async fn page_rows(
    tx: &mut TenantTx,
    tenants: &[Tenant],
    page: &[FacetRow],
) -> Result<Vec<HitRow>> {
    if page.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<String> = (0..page.len()).map(|k| format!("${}", k + 2)).collect();
    let sql = format!(
        "SELECT d.tenant_id, d.item_id, d.title, substr(d.body_text, 1, {SNIPPET_SOURCE_CHARS}) AS body_text, \
         d.document_number, d.index_number, i.kind, i.validity, i.published_at, n.code, n.name \
         FROM search_documents d JOIN items i ON i.tenant_id = d.tenant_id AND i.id = d.item_id \
         JOIN catalog_nodes n ON n.tenant_id = i.tenant_id AND n.id = i.node_id \
         WHERE {} AND d.item_id IN ({})",
        tenant_condition("d.tenant_id", tenants),
        ids.join(", ")
    );
    let mut q = tx.query(&sql);
    for k in page {
        q = q.bind(k.label.clone());
    }
    let mut rows: Vec<HitRow> = q.try_map(decode::<HitRow>).fetch_all(tx.conn()).await?;
    let at = |r: &HitRow| {
        page.iter()
            .position(|k| k.value == r.tenant_id && k.label == r.item_id)
    };
    rows.retain(|r| at(r).is_some());
    rows.sort_by_key(at);
    Ok(rows)
}

fn hit(row: HitRow, tenants: &[Tenant], terms: &[String]) -> SearchHit {
    let tenant = tenants.iter().find(|t| t.id == row.tenant_id);
    let slug = tenant.map(|t| t.slug.clone()).unwrap_or_default();
    SearchHit {
        agency_name: tenant.map(|t| t.name_zh.clone()).unwrap_or_default(),
        url: format!("/{slug}/items/{}", row.item_id),
        agency: slug,
        title_html: highlight(&row.title, terms),
        snippet_html: snippet(&row.body_text, terms, SNIPPET_WIDTH),
        title: row.title,
        id: row.item_id,
        index_number: row.index_number,
        document_number: row.document_number,
        kind: row.kind,
        catalog_code: row.code,
        catalog_name: row.name,
        validity: row.validity,
        published_at: row.published_at.unwrap_or_default(),
        stage: None,
    }
}

fn facets_of(rows: Vec<FacetRow>, tenants: &[Tenant]) -> Facets {
    let mut f = Facets::default();
    for r in rows {
        let (list, label) = match r.facet.as_str() {
            "agency" => {
                let t = tenants.iter().find(|t| t.id == r.value);
                (
                    &mut f.agency,
                    t.map(|t| t.name_zh.clone()).unwrap_or_default(),
                )
            }
            "kind" => (
                &mut f.kind,
                kinds::kind(&r.value).map_or_else(|| r.value.clone(), |k| k.label_zh.to_string()),
            ),
            "validity" => (
                &mut f.validity,
                validity_from(&r.value)
                    .map(|v| v.label_zh().to_string())
                    .unwrap_or_default(),
            ),
            "year" => (&mut f.year, r.value.clone()),
            "catalog" => (&mut f.catalog, r.label.clone()),
            _ => continue,
        };
        let value = match r.facet.as_str() {
            "agency" => tenants
                .iter()
                .find(|t| t.id == r.value)
                .map(|t| t.slug.clone())
                .unwrap_or_default(),
            _ => r.value,
        };
        list.push(FacetValue {
            value,
            label,
            count: r.n,
        });
    }
    for list in [&mut f.agency, &mut f.catalog, &mut f.kind, &mut f.validity] {
        list.sort_by(|a, b| b.count.cmp(&a.count).then(a.value.cmp(&b.value)));
    }
    f.year.sort_by(|a, b| b.value.cmp(&a.value));
    f
}

/// Checks the filters that name things (agency, catalog) against the tenants searched.
async fn check_names(tx: &mut TenantTx, s: &Search, tenants: &[Tenant]) -> Result<String> {
    let mut problems = Vec::new();
    let mut agency_id = String::new();
    if let Some(slug) = &s.agency {
        match tenants.iter().find(|t| &t.slug == slug) {
            Some(t) => agency_id = t.id.clone(),
            None => problems.push(FieldProblem::new(
                "agency",
                "not one of the agencies searched",
            )),
        }
    }
    if let Some(code) = &s.catalog {
        let sql = format!(
            "SELECT COUNT(*) AS n FROM catalog_nodes n WHERE {} AND n.code = $2",
            tenant_condition("n.tenant_id", tenants)
        );
        let (n,): (i64,) = tx
            .query(&sql)
            .bind(code.clone())
            .try_map(decode::<(i64,)>)
            .fetch_one(tx.conn())
            .await?;
        if n == 0 {
            problems.push(FieldProblem::new("catalog", "no such catalog node"));
        }
    }
    check(problems)?;
    Ok(agency_id)
}

/// The public search of `root` (and of its children with `scope=children`).
pub async fn public_search(d: &Disclosure, root: &Tenant, raw: &SearchQuery) -> Result<SearchPage> {
    let s = check_query(raw)?;
    let tenants = scope(d, root, s.children).await?;
    let ids: Vec<String> = tenants.iter().map(|t| t.id.clone()).collect();
    let mut tx = d.db.tenants_read(&ids).await?;
    let agency_id = check_names(&mut tx, &s, &tenants).await?;
    let (rows, total, facets) = run(&mut tx, &s, &tenants, &agency_id).await?;
    tx.commit().await?;
    let terms = s.query.terms.clone();
    Ok(SearchPage {
        filtered: s.agency.is_some()
            || s.catalog.is_some()
            || s.kind.is_some()
            || s.year.is_some()
            || s.validity.is_some(),
        results: rows.into_iter().map(|r| hit(r, &tenants, &terms)).collect(),
        facets: facets.map(|f| facets_of(f, &tenants)),
        q: s.q,
        terms,
        total,
        page: s.page,
        per_page: s.per_page,
        sort: match s.sort {
            Sort::Relevance => "relevance".into(),
            Sort::Date => "date".into(),
        },
    })
}

#[derive(FromRow)]
struct WorkingRow {
    id: String,
    index_number: String,
    kind: String,
    validity: String,
    working_state: String,
    published_at: Option<String>,
    title: String,
    document_number: Option<String>,
    code: String,
    name: String,
}

/// Unpublished working versions looked at by a staff search, newest first.
const STAFF_WORKING_LIMIT: i64 = 5_000;

/// The staff search of one tenant: its published items through the index, as the public
/// finds them, then the working versions not yet published (drafts, in review, approved,
/// scheduled, revisions) whose title, document number or index number contain every term.
/// Drafts are not indexed: the index holds only redacted public text (docs/adr/0014).
pub async fn staff_search(
    d: &Disclosure,
    tenant: &Tenant,
    raw: &SearchQuery,
) -> Result<SearchPage> {
    let mut s = check_query(raw)?;
    s.children = false;
    let tenants = vec![tenant.clone()];
    let mut tx = d.db.tenant_read(&tenant.id).await?;
    let agency_id = check_names(&mut tx, &s, &tenants).await?;
    let terms = s.query.terms.clone();
    // Every published match and every working match, then one page of them.
    let mut all = s.clone();
    all.page = 1;
    all.per_page = 1000;
    let (rows, published_total, facets) = run(&mut tx, &all, &tenants, &agency_id).await?;
    let working: Vec<WorkingRow> = tx
        .query(
            "SELECT i.id, i.index_number, i.kind, i.validity, i.working_state, i.published_at, \
             v.title, v.document_number, n.code, n.name FROM items i \
             JOIN item_versions v ON v.tenant_id = i.tenant_id AND v.item_id = i.id AND v.number = i.version \
             JOIN catalog_nodes n ON n.tenant_id = i.tenant_id AND n.id = i.node_id \
             WHERE i.tenant_id = $1 AND i.working_state IS NOT NULL \
             AND ($2 = '' OR i.kind = $2) AND ($3 = '' OR i.validity = $3) AND ($4 = '' OR n.code = $4) \
             ORDER BY i.updated_at DESC LIMIT $5",
        )
        .bind(s.kind.clone().unwrap_or_default())
        .bind(s.validity.clone().unwrap_or_default())
        .bind(s.catalog.clone().unwrap_or_default())
        .bind(STAFF_WORKING_LIMIT)
        .try_map(decode::<WorkingRow>)
        .fetch_all(tx.conn())
        .await?;
    tx.commit().await?;
    let mut hits: Vec<SearchHit> = rows.into_iter().map(|r| hit(r, &tenants, &terms)).collect();
    for h in &mut hits {
        h.stage = Some("published".into());
        h.url = format!("/api/v1/tenants/{}/items/{}", tenant.slug, h.id);
    }
    let mut extra = 0;
    for w in working {
        if s.year.is_some() {
            break; // a year of publication: unpublished work has none
        }
        let text = format!(
            "{} {} {}",
            w.title,
            w.document_number.clone().unwrap_or_default(),
            w.index_number
        );
        let folded = fold(&text);
        let numbers = gongkai_search::doc_number_terms(&folded);
        let has = |t: &String| numbers.contains(t) || folded.contains(t.as_str());
        let found = s
            .query
            .groups
            .iter()
            .all(|g| has(&g.term) || (!g.parts.is_empty() && g.parts.iter().all(has)));
        if !found {
            continue;
        }
        if let Some(existing) = hits.iter_mut().find(|h| h.id == w.id) {
            existing.stage = Some(w.working_state.clone());
            continue;
        }
        extra += 1;
        hits.push(SearchHit {
            agency: tenant.slug.clone(),
            agency_name: tenant.name_zh.clone(),
            url: format!("/api/v1/tenants/{}/items/{}", tenant.slug, w.id),
            title_html: highlight(&w.title, &terms),
            snippet_html: String::new(),
            title: w.title,
            id: w.id,
            index_number: w.index_number,
            document_number: w.document_number,
            kind: w.kind,
            catalog_code: w.code,
            catalog_name: w.name,
            validity: w.validity,
            published_at: w.published_at.unwrap_or_default(),
            stage: Some(w.working_state),
        });
    }
    let total = published_total + extra;
    let start = ((s.page - 1) * s.per_page) as usize;
    let results: Vec<SearchHit> = hits
        .into_iter()
        .skip(start)
        .take(s.per_page as usize)
        .collect();
    Ok(SearchPage {
        filtered: s.agency.is_some()
            || s.catalog.is_some()
            || s.kind.is_some()
            || s.year.is_some()
            || s.validity.is_some(),
        results,
        facets: facets.map(|f| facets_of(f, &tenants)),
        q: s.q,
        terms,
        total,
        page: s.page,
        per_page: s.per_page,
        sort: match s.sort {
            Sort::Relevance => "relevance".into(),
            Sort::Date => "date".into(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::error::Error;

    fn raw(pairs: &[(&str, &str)]) -> SearchQuery {
        let mut q = SearchQuery::default();
        for (k, v) in pairs {
            let v = Some(v.to_string());
            match *k {
                "q" => q.q = v,
                "scope" => q.scope = v,
                "kind" => q.kind = v,
                "year" => q.year = v,
                "validity" => q.validity = v,
                "sort" => q.sort = v,
                "page" => q.page = v,
                "per_page" => q.per_page = v,
                "facets" => q.facets = v,
                _ => unreachable!(),
            }
        }
        q
    }

    fn fields(err: Error) -> Vec<String> {
        match err {
            Error::Invalid(list) => list.into_iter().map(|p| p.field).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn every_bad_parameter_is_named() {
        let err = check_query(&raw(&[
            ("q", ""),
            ("scope", "world"),
            ("kind", "NOT A KIND"),
            ("year", "20x5"),
            ("validity", "maybe"),
            ("sort", "random"),
            ("page", "0"),
            ("per_page", "500"),
            ("facets", "yes"),
        ]))
        .unwrap_err();
        let mut got = fields(err);
        got.sort();
        assert_eq!(
            got,
            ["facets", "kind", "page", "per_page", "q", "scope", "sort", "validity", "year"]
        );
    }

    #[test]
    fn good_parameters_pass() {
        let s = check_query(&raw(&[
            ("q", "公务用车"),
            ("scope", "children"),
            ("kind", "environment/air-quality"),
            ("year", "2025"),
            ("sort", "date"),
            ("page", "2"),
        ]))
        .unwrap();
        assert!(s.children && s.sort == Sort::Date && s.page == 2 && s.year == Some(2025));
        assert!(check_query(&raw(&[("q", "通知"), ("kind", "notice")])).is_ok());
        assert_eq!(
            fields(check_query(&raw(&[("q", &"长".repeat(101))])).unwrap_err()),
            ["q"]
        );
    }
}
