//! Full-text search (issue 17) on both backends, with the same assertions: a relevance
//! set of Chinese queries over a county's corpus of 526 items, the index following
//! publication, withdrawal and repeal within the request that changes the item, masked
//! values never searchable, another tenant's items never found, a region's search over
//! its children, the staff search of drafts, the portal's page, and every bad parameter
//! answered with a problem naming it.

#[path = "search/attachments.rs"]
mod attachments;
mod common;
#[path = "search/console.rs"]
mod console;
#[path = "search/corpus.rs"]
mod corpus;
#[path = "common/files.rs"]
mod files;

use axum::extract::FromRef;
use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const ID_NUMBER: &str = "11010519491231002X";

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A tenant (under `parent`) whose GZDT node publishes after the reviewer's step; its
/// editor and the node ids by code.
async fn tenant(
    app: &TestApp,
    slug: &str,
    parent: Option<&str>,
) -> (Client, Vec<(String, String)>) {
    app.staffed(slug, parent, &["editor", "reviewer", "tenant_admin"])
        .await;
    let mut admin = app.login(&format!("tenant_admin@{slug}.cn")).await;
    let ed = app.login(&format!("editor@{slug}.cn")).await;
    let nodes = ed
        .get(&format!("/api/v1/tenants/{slug}/catalog"))
        .await
        .expect(StatusCode::OK);
    let nodes: Vec<(String, String)> = nodes
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["code"].as_str().unwrap().to_string(),
                n["id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for (_, id) in &nodes {
        admin
            .put(
                &format!("/api/v1/tenants/{slug}/catalog/{id}/review-chain"),
                Some(json!([{"name": "保密审查", "role": "reviewer"}])),
            )
            .await
            .expect(StatusCode::OK);
    }
    (ed, nodes)
}

fn node<'a>(nodes: &'a [(String, String)], code: &str) -> &'a str {
    &nodes.iter().find(|(c, _)| c == code).unwrap().1
}

/// Creates an item and takes it through review to publication, masking every finding.
#[allow(clippy::too_many_arguments)]
async fn publish(
    app: &TestApp,
    ed: &mut Client,
    slug: &str,
    node: &str,
    title: &str,
    body: &str,
    fields: Value,
    kind: &str,
) -> String {
    let id = draft(ed, slug, node, title, body, fields, kind).await;
    publish_draft(app, ed, slug, &id).await;
    id
}

async fn draft(
    ed: &mut Client,
    slug: &str,
    node: &str,
    title: &str,
    body: &str,
    fields: Value,
    kind: &str,
) -> String {
    let created = ed
        .post(
            &format!("/api/v1/tenants/{slug}/items"),
            json!({"node_id": node, "kind": kind, "title": title, "body": body, "fields": fields}),
        )
        .await
        .expect(StatusCode::CREATED);
    created["id"].as_str().unwrap().to_string()
}

async fn publish_draft(app: &TestApp, ed: &mut Client, slug: &str, id: &str) {
    ed.post(
        &format!("/api/v1/tenants/{slug}/items/{id}/submit"),
        json!({}),
    )
    .await
    .expect(StatusCode::OK);
    review_and_publish(app, ed, slug, id).await;
}

/// The reviewer masks every finding of a submitted item and approves it; the editor
/// publishes it. Returns the findings masked.
async fn review_and_publish(app: &TestApp, ed: &mut Client, slug: &str, id: &str) -> Value {
    let base = format!("/api/v1/tenants/{slug}/items/{id}");
    let mut rev = app.login(&format!("reviewer@{slug}.cn")).await;
    let findings = rev
        .get(&format!("{base}/findings"))
        .await
        .expect(StatusCode::OK);
    for f in findings.as_array().unwrap() {
        rev.post(
            &format!("{base}/findings/{}", f["id"].as_str().unwrap()),
            json!({"resolution": "redact"}),
        )
        .await
        .expect(StatusCode::OK);
    }
    rev.post(
        &format!("{base}/decisions"),
        json!({"step": 0, "verdict": "approve"}),
    )
    .await
    .expect(StatusCode::OK);
    ed.post(&format!("{base}/publish"), json!({}))
        .await
        .expect(StatusCode::OK);
    findings
}

async fn search(app: &TestApp, slug: &str, query: &str) -> Value {
    app.anonymous()
        .get(&format!("/api/v1/public/{slug}/search?{query}"))
        .await
        .expect(StatusCode::OK)
}

/// None of `terms` (a masked value and parts of it, lower case) is in the index's tables:
/// not in the text snippets are cut from, not among PostgreSQL's lexemes, not matched
/// by FTS5.
async fn assert_not_indexed(app: &TestApp, backend: gongkai::kernel::db::Backend, terms: &[&str]) {
    let mut conn = app.owner_connection().await;
    let texts: Vec<(String,)> = sqlx::query_as("SELECT body_text FROM search_documents")
        .fetch_all(&mut conn)
        .await
        .unwrap();
    assert!(!texts.is_empty());
    for t in terms {
        assert!(
            texts.iter().all(|text| !text.0.to_lowercase().contains(t)),
            "{t} in {texts:?}"
        );
    }
    if backend == gongkai::kernel::db::Backend::Postgres {
        let lexemes: Vec<(String,)> =
            sqlx::query_as("SELECT CAST(terms AS TEXT) FROM search_terms")
                .fetch_all(&mut conn)
                .await
                .unwrap();
        for t in terms {
            assert!(
                lexemes.iter().all(|l| !l.0.contains(t)),
                "{t} in {lexemes:?}"
            );
        }
    } else {
        let any: Vec<String> = terms.iter().map(|t| format!("\"{t}\"")).collect();
        let (n,): (i64,) = sqlx::query_as(&format!(
            "SELECT COUNT(*) FROM search_fts WHERE search_fts MATCH '{}'",
            any.join(" OR ")
        ))
        .fetch_one(&mut conn)
        .await
        .unwrap();
        assert_eq!(n, 0, "{terms:?}");
    }
}

fn ids(page: &Value) -> Vec<String> {
    page["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

/// Loads the corpus into `slug`'s items as published renditions (the rows publication
/// writes), then rebuilds the index as `gongkai search reindex` does. Returns the ids of
/// the targets, in order.
async fn load_corpus(app: &TestApp, slug: &str, nodes: &[(String, String)]) -> Vec<String> {
    use chrono::TimeZone;
    let tenant = gongkai::tenancy::store::by_slug(&app.state.db, slug)
        .await
        .unwrap()
        .unwrap();
    let mut conn = app.owner_connection().await;
    let targets = corpus::targets();
    let fillers = corpus::fillers(480);
    let mut target_ids = Vec::new();
    for (n, doc) in targets.iter().chain(fillers.iter()).enumerate() {
        let id = gongkai::kernel::ids::new_id();
        if n < targets.len() {
            target_ids.push(id.clone());
        }
        let at = chrono::Utc
            .with_ymd_and_hms(doc.year, 1 + (n % 12) as u32, 1 + (n % 27) as u32, 2, 0, 0)
            .unwrap();
        let at = gongkai::kernel::ids::to_text(at);
        let html: String = doc
            .body
            .split("\n\n")
            .map(|p| format!("<p>{p}</p>\n"))
            .collect();
        let fields = match &doc.document_number {
            Some(number) => json!({"document_number": number}),
            None => json!({}),
        };
        sqlx::query(
            "INSERT INTO items (tenant_id, id, node_id, kind, index_number, attribute, attribute_reason, \
             public_state, validity, version, cycle_start, published_version, review_chain, changed_on, \
             created_at, updated_at, published_at, first_published_at, public_title, public_body_html, \
             public_fields, public_document_number) VALUES ($1, $2, $3, $4, $5, 'proactive', '', \
             'published', 'in_force', 1, 1, 1, '[]', $6, $7, $7, $7, $7, $8, $9, $10, $11)",
        )
        .bind(tenant.id.clone())
        .bind(id)
        .bind(node(nodes, doc.node).to_string())
        .bind(doc.kind)
        .bind(format!("CORPUS/{}-{n:05}", doc.year))
        .bind(at[..10].to_string())
        .bind(at)
        .bind(doc.title.clone())
        .bind(html)
        .bind(fields.to_string())
        .bind(doc.document_number.clone())
        .execute(&mut conn)
        .await
        .unwrap();
    }
    let d = gongkai::disclosure::Disclosure::from_ref(&app.state);
    let indexed = gongkai::search::reindex_tenant(&d, &tenant, &|_: u64, _: u64| {})
        .await
        .unwrap();
    assert_eq!(indexed as usize, targets.len() + fillers.len());
    target_ids
}

both_backends!(relevance_set, |backend| async move {
    let app = TestApp::start(backend).await;
    let (_ed, nodes) = tenant(&app, "county", None).await;
    let targets = load_corpus(&app, "county", &nodes).await;
    let titles = corpus::targets();
    let queries = corpus::queries();
    assert!(queries.len() >= 40 && titles.len() + 480 >= 500);
    let mut failures = Vec::new();
    for (q, wanted) in &queries {
        let page = search(
            &app,
            "county",
            &format!("q={}&per_page=3&facets=false", enc(q)),
        )
        .await;
        let got = ids(&page);
        if !wanted.iter().any(|w| got.contains(&targets[*w])) {
            let shown: Vec<String> = page["results"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["title"].as_str().unwrap().to_string())
                .collect();
            failures.push(format!(
                "{q} (terms {}): wanted {:?}, got {shown:?} of {}",
                page["terms"],
                wanted.iter().map(|w| &titles[*w].title).collect::<Vec<_>>(),
                page["total"]
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} queries failed:\n{}",
        failures.len(),
        queries.len(),
        failures.join("\n")
    );

    // The same search sorted by date, and filtered: every filter narrows the facets.
    let page = search(&app, "county", &format!("q={}", enc("工作方案"))).await;
    let total = page["total"].as_i64().unwrap();
    assert!(total > 20, "{page}");
    let years = page["facets"]["year"].as_array().unwrap();
    assert!(years.len() > 3);
    let year = years[0]["value"].as_str().unwrap();
    let count = years[0]["count"].as_i64().unwrap();
    let filtered = search(
        &app,
        "county",
        &format!("q={}&year={year}", enc("工作方案")),
    )
    .await;
    assert_eq!(filtered["total"].as_i64().unwrap(), count);
    assert_eq!(filtered["filtered"], true);
    let by_date = search(
        &app,
        "county",
        &format!("q={}&sort=date&per_page=50", enc("工作方案")),
    )
    .await;
    let dates: Vec<&str> = by_date["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["published_at"].as_str().unwrap())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    // Pages do not overlap.
    let p1 = ids(&search(
        &app,
        "county",
        &format!("q={}&per_page=10&page=1", enc("工作方案")),
    )
    .await);
    let p2 = ids(&search(
        &app,
        "county",
        &format!("q={}&per_page=10&page=2", enc("工作方案")),
    )
    .await);
    assert_eq!(p1.len(), 10);
    assert!(p1.iter().all(|id| !p2.contains(id)));
    // A snippet marks the words and escapes the rest.
    let hit = &search(&app, "county", &format!("q={}", enc("违法建筑"))).await["results"][0];
    assert!(
        hit["snippet_html"]
            .as_str()
            .unwrap()
            .contains("<mark>违法建筑</mark>"),
        "{hit}"
    );
});

both_backends!(
    index_follows_publication_and_hides_what_it_must,
    |backend| async move {
        let app = TestApp::start(backend).await;
        let (mut ed, nodes) = tenant(&app, "city", None).await;
        let gzdt = node(&nodes, "GZDT").to_string();

        // Published with an ID number in its body: the reviewer masks it.
        let body = format!("专项整治工作联系人身份证 {ID_NUMBER}，请予以协助。");
        let masked = publish(
            &app,
            &mut ed,
            "city",
            &gzdt,
            "城区违规广告牌专项整治通报",
            &body,
            json!({}),
            "news",
        )
        .await;
        let found = search(&app, "city", &format!("q={}", enc("违规广告牌"))).await;
        assert_eq!(ids(&found), vec![masked.clone()]);
        for q in [ID_NUMBER, "11010519491231002x", "110105", "19491231"] {
            let page = search(&app, "city", &format!("q={}", enc(q))).await;
            assert_eq!(page["total"], 0, "{q}: {page}");
        }
        // Nor anywhere in the index's own tables.
        assert_not_indexed(&app, backend, &["11010519491231002x", "19491231", "1949"]).await;

        // Traditional and full-width queries find simplified, half-width text.
        let doc = publish(
            &app,
            &mut ed,
            "city",
            &gzdt,
            "关于优化营商环境的实施意见",
            "打造一流营商环境。",
            json!({}),
            "news",
        )
        .await;
        for q in ["營商環境", "营商环境", "ＹＩＮＧ营商"] {
            let page = search(&app, "city", &format!("q={}", enc(q))).await;
            if q.starts_with('Ｙ') {
                assert_eq!(page["total"], 0, "{q}");
            } else {
                assert_eq!(ids(&page), vec![doc.clone()], "{q}");
            }
        }
        // A title with markup is escaped in results; only <mark> is markup.
        let odd = publish(
            &app,
            &mut ed,
            "city",
            &gzdt,
            "<b>加粗</b> & 标题测试",
            "正文",
            json!({}),
            "news",
        )
        .await;
        let page = search(&app, "city", &format!("q={}", enc("标题测试"))).await;
        assert_eq!(ids(&page), vec![odd.clone()]);
        let html = page["results"][0]["title_html"].as_str().unwrap();
        assert!(
            html.contains("&lt;b&gt;") && html.contains("&amp;") && html.contains("<mark>"),
            "{html}"
        );

        // Withdrawn: gone from the very next request; published again: back.
        ed.post(
            &format!("/api/v1/tenants/city/items/{doc}/withdraw"),
            json!({"reason": "内容有误"}),
        )
        .await
        .expect(StatusCode::OK);
        let page = search(&app, "city", &format!("q={}", enc("营商环境"))).await;
        assert_eq!(page["total"], 0, "{page}");
        // Repealed: still found, as repealed.
        ed.post(
            &format!("/api/v1/tenants/city/items/{odd}/repeal"),
            json!({}),
        )
        .await
        .expect(StatusCode::OK);
        let page = search(
            &app,
            "city",
            &format!("q={}&validity=repealed", enc("标题测试")),
        )
        .await;
        assert_eq!(ids(&page), vec![odd.clone()]);
        assert_eq!(page["results"][0]["validity"], "repealed");
        let page = search(
            &app,
            "city",
            &format!("q={}&validity=in_force", enc("标题测试")),
        )
        .await;
        assert_eq!(page["total"], 0);

        // A revision in progress keeps the published version searchable, its draft title not.
        ed.post(
            &format!("/api/v1/tenants/city/items/{masked}/revise"),
            json!({}),
        )
        .await
        .expect(StatusCode::OK);
        let item = ed
            .get(&format!("/api/v1/tenants/city/items/{masked}"))
            .await
            .expect(StatusCode::OK);
        ed.patch(
            &format!("/api/v1/tenants/city/items/{masked}"),
            json!({"version": item["version"], "title": "修订中的新标题灯箱"}),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(
            search(&app, "city", &format!("q={}", enc("违规广告牌"))).await["total"],
            1
        );
        assert_eq!(
            search(&app, "city", &format!("q={}", enc("灯箱"))).await["total"],
            0
        );
        // The staff search finds the draft title, with its stage; the public never does.
        let staff = ed
            .get(&format!("/api/v1/tenants/city/search?q={}", enc("灯箱")))
            .await
            .expect(StatusCode::OK);
        assert_eq!(ids(&staff), vec![masked.clone()]);
        assert_eq!(staff["results"][0]["stage"], "draft");
        let unpublished = draft(
            &mut ed,
            "city",
            &gzdt,
            "尚未公开的草稿防汛物资",
            "草稿正文",
            json!({}),
            "news",
        )
        .await;
        let staff = ed
            .get(&format!(
                "/api/v1/tenants/city/search?q={}",
                enc("防汛物资")
            ))
            .await
            .expect(StatusCode::OK);
        assert_eq!(ids(&staff), vec![unpublished.clone()]);
        assert_eq!(
            search(&app, "city", &format!("q={}", enc("防汛物资"))).await["total"],
            0
        );
        assert_eq!(
            app.anonymous()
                .get(&format!(
                    "/api/v1/tenants/city/search?q={}",
                    enc("防汛物资")
                ))
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );

        // Another tenant: its draft and its published item are never in city's results.
        let (mut other, other_nodes) = tenant(&app, "other", None).await;
        let other_gzdt = node(&other_nodes, "GZDT").to_string();
        draft(
            &mut other,
            "other",
            &other_gzdt,
            "他人草稿违规广告牌",
            "正文",
            json!({}),
            "news",
        )
        .await;
        let theirs = publish(
            &app,
            &mut other,
            "other",
            &other_gzdt,
            "他人已公开违规广告牌",
            "正文",
            json!({}),
            "news",
        )
        .await;
        let page = search(
            &app,
            "city",
            &format!("q={}&scope=children", enc("违规广告牌")),
        )
        .await;
        assert_eq!(ids(&page), vec![masked.clone()]);
        assert_eq!(
            ids(&search(&app, "other", &format!("q={}", enc("违规广告牌"))).await),
            vec![theirs]
        );
        let foreign = other
            .get(&format!(
                "/api/v1/tenants/city/search?q={}",
                enc("防汛物资")
            ))
            .await;
        assert_eq!(foreign.status, StatusCode::FORBIDDEN, "{}", foreign.body);

        // The portal's search box: results with marked words and facets; no result with a
        // filter suggests removing it.
        let page = app
            .http
            .get(app.url(&format!("/city/search?q={}", enc("违规广告牌"))))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        let text = page.text().await.unwrap();
        assert!(
            text.contains("<mark>违规广告牌</mark>") && text.contains(&masked),
            "{text}"
        );
        assert!(text.contains("缩小范围"), "{text}");
        let page = app
            .http
            .get(app.url(&format!("/city/search?q={}&year=2001", enc("违规广告牌"))))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("去掉全部筛选条件") && page.contains("共 0 条"),
            "{page}"
        );
        let page = app
            .http
            .get(app.url(&format!(
                "/city/search?q={}&lang=en",
                enc("没有这样的词语组合")
            )))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("shorter") || page.contains("更短"), "{page}");
    }
);

both_backends!(a_region_searches_its_children, |backend| async move {
    let app = TestApp::start(backend).await;
    let (mut county, county_nodes) = tenant(&app, "county", None).await;
    let (mut edu, edu_nodes) = tenant(&app, "edu", Some("county")).await;
    let (mut school, school_nodes) = tenant(&app, "school", Some("edu")).await;
    let mine = publish(
        &app,
        &mut county,
        "county",
        node(&county_nodes, "GZDT"),
        "全县学区划分工作部署",
        "正文",
        json!({}),
        "news",
    )
    .await;
    let theirs = publish(
        &app,
        &mut edu,
        "edu",
        node(&edu_nodes, "ZDLY"),
        "教育局关于学区划分调整的通告",
        "正文",
        json!({}),
        "notice",
    )
    .await;
    let grandchild = publish(
        &app,
        &mut school,
        "school",
        node(&school_nodes, "ZDLY"),
        "学区划分后的招生说明",
        "正文",
        json!({}),
        "notice",
    )
    .await;

    let own = search(&app, "county", &format!("q={}", enc("学区划分"))).await;
    assert_eq!(ids(&own), vec![mine.clone()]);
    let all = search(
        &app,
        "county",
        &format!("q={}&scope=children", enc("学区划分")),
    )
    .await;
    let mut got = ids(&all);
    got.sort();
    let mut want = vec![mine.clone(), theirs.clone(), grandchild.clone()];
    want.sort();
    assert_eq!(got, want);
    let agencies: Vec<&str> = all["facets"]["agency"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["value"].as_str().unwrap())
        .collect();
    assert_eq!(agencies.len(), 3, "{agencies:?}");
    let edu_only = search(
        &app,
        "county",
        &format!("q={}&scope=children&agency=edu", enc("学区划分")),
    )
    .await;
    assert_eq!(ids(&edu_only), vec![theirs.clone()]);
    assert_eq!(
        edu_only["results"][0]["url"],
        format!("/edu/items/{theirs}")
    );
    let kinds = search(
        &app,
        "county",
        &format!(
            "q={}&scope=children&kind=notice&catalog=ZDLY",
            enc("学区划分")
        ),
    )
    .await;
    assert_eq!(kinds["total"], 2);
    // A child's search never reaches its parent.
    let up = search(
        &app,
        "edu",
        &format!("q={}&scope=children", enc("学区划分")),
    )
    .await;
    let mut got = ids(&up);
    got.sort();
    let mut want = vec![theirs, grandchild];
    want.sort();
    assert_eq!(got, want);
    // Unknown agency in the scope: county is not under edu.
    let reply = app
        .anonymous()
        .get(&format!(
            "/api/v1/public/edu/search?q={}&agency=county",
            enc("学区划分")
        ))
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&reply.body), ["agency"]);
});

both_backends!(every_bad_parameter_is_a_problem, |backend| async move {
    let app = TestApp::start(backend).await;
    let (_ed, _nodes) = tenant(&app, "city", None).await;
    let q = enc("公务用车");
    let long = enc(&"长".repeat(101));
    for (query, field) in [
        (String::new(), "q"),
        ("q=".to_string(), "q"),
        ("q=%E3%80%82%EF%BC%8C".to_string(), "q"),
        (format!("q={long}"), "q"),
        (format!("q={q}&page=0"), "page"),
        (format!("q={q}&page=-3"), "page"),
        (format!("q={q}&page=abc"), "page"),
        (format!("q={q}&page=100000"), "page"),
        (format!("q={q}&per_page=0"), "per_page"),
        (format!("q={q}&per_page=999"), "per_page"),
        (format!("q={q}&year=abc"), "year"),
        (format!("q={q}&year=1800"), "year"),
        (format!("q={q}&validity=maybe"), "validity"),
        (format!("q={q}&kind=NOT%20A%20KIND"), "kind"),
        (format!("q={q}&sort=random"), "sort"),
        (format!("q={q}&scope=world"), "scope"),
        (format!("q={q}&facets=perhaps"), "facets"),
        (format!("q={q}&agency=nowhere"), "agency"),
        (format!("q={q}&catalog=NOPE"), "catalog"),
    ] {
        let reply = app
            .anonymous()
            .get(&format!("/api/v1/public/city/search?{query}"))
            .await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{query}: {}",
            reply.body
        );
        assert!(
            header(&reply, "content-type").is_some_and(|c| c.contains("problem+json")),
            "{query}"
        );
        assert_eq!(
            error_fields(&reply.body),
            [field],
            "{query}: {}",
            reply.body
        );
    }
    // Several at once are all named.
    let reply = app
        .anonymous()
        .get(&format!(
            "/api/v1/public/city/search?q={q}&page=0&sort=x&year=y"
        ))
        .await;
    let mut fields = error_fields(&reply.body);
    fields.sort();
    assert_eq!(fields, ["page", "sort", "year"]);
    // An unknown or deactivated agency is 404, a problem too.
    let reply = app
        .anonymous()
        .get(&format!("/api/v1/public/nowhere/search?q={q}"))
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    // The staff search checks the same way.
    let ed = app.login("editor@city.cn").await;
    let reply = ed.get("/api/v1/tenants/city/search?q=&page=0").await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut fields = error_fields(&reply.body);
    fields.sort();
    assert_eq!(fields, ["page", "q"]);
    // Good parameters, nothing published: an empty page, not an error.
    let page = search(&app, "city", &format!("q={q}&kind=notice&validity=in_force&year=2025&sort=date&page=2&per_page=5&catalog=GZDT")).await;
    assert_eq!(page["total"], 0);
    assert_eq!(page["results"], json!([]));
    // The portal answers a bad parameter with its own error page, not a crash.
    let page = app
        .http
        .request(
            Method::GET,
            app.url(&format!("/city/search?q={q}&year=abc")),
        )
        .send()
        .await
        .unwrap();
    assert!(page.status().is_client_error(), "{}", page.status());
});
