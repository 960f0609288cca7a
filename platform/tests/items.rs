//! Proactive disclosure through the API, on both backends: the lifecycle end to end,
//! refused transitions, stale edits, field validation, self-approval, index numbers under
//! concurrency, the scheduled job and isolation.

mod common;
#[path = "common/files.rs"]
mod files;

use axum::extract::FromRef;
use common::*;
use files::{
    docx_bomb, docx_with_runs, odt_with_paragraphs, pdf_bomb, pdf_with_lines, xlsx_with_cells,
    zip_package,
};
use gongkai::disclosure::Disclosure;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// A valid resident ID (GB 11643 check character correct) and a mobile number.
const ID_NUMBER: &str = "11010519491231002X";
const MOBILE: &str = "13812345678";

async fn node_id(client: &Client, slug: &str, code: &str) -> String {
    let nodes = client
        .get(&format!("/api/v1/tenants/{slug}/catalog"))
        .await
        .expect(StatusCode::OK);
    nodes
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["code"] == code)
        .unwrap_or_else(|| panic!("no node {code}: {nodes}"))["id"]
        .as_str()
        .unwrap()
        .to_string()
}

fn policy(node: &str) -> Value {
    json!({
        "node_id": node,
        "kind": "policy",
        "title": "示例市公共租赁住房管理办法",
        "body": format!("第一条 为规范公共租赁住房管理……\n\n联系人：张三，电话 {MOBILE}，身份证 {ID_NUMBER}。"),
        "fields": {"policy_type": "normative", "document_number": "示政规〔2026〕3号",
                   "issued_on": "2026-03-01", "effective_on": "2026-04-01"}
    })
}

/// A tenant with an editor, a reviewer, an approver and a tenant admin.
async fn staffed(app: &TestApp, slug: &str, parent: Option<&str>) -> gongkai::tenancy::Tenant {
    app.staffed(
        slug,
        parent,
        &["editor", "reviewer", "approver", "tenant_admin"],
    )
    .await
}

fn path(slug: &str, id: &str, action: &str) -> String {
    format!("/api/v1/tenants/{slug}/items/{id}{action}")
}

/// The one-step chain of `quick_tenant`'s nodes: a chain is never empty (issue 11 point 6).
fn one_step() -> Value {
    json!([{"name": "领导签发", "role": "approver"}])
}

/// The approver signs the one step of a submitted item's chain; the item is approved.
async fn sign(approver: &mut Client, slug: &str, id: &str) -> Value {
    let item = approver
        .post(
            &path(slug, id, "/decisions"),
            json!({"step": 0, "verdict": "approve"}),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(item["stage"], "approved", "{item}");
    item
}

both_backends!(lifecycle_end_to_end, |backend| async move {
    let app = TestApp::start(backend).await;
    let city = staffed(&app, "city", None).await;
    app.add_member(&city, "both@city.cn", "editor").await;
    app.add_member(&city, "both@city.cn", "reviewer").await;
    let mut ed = app.login("editor@city.cn").await;
    let mut both = app.login("both@city.cn").await;
    let mut rev = app.login("reviewer@city.cn").await;
    let mut apr = app.login("approver@city.cn").await;
    let anon = app.anonymous();
    let node = node_id(&ed, "city", "FGWJ-GFXWJ").await;

    // Invalid fields: every problem at once.
    let mut bad = policy(&node);
    bad["title"] = json!("");
    bad["fields"] = json!({"policy_type": "law", "issued_on": "2026-02-30", "colour": 1});
    let problems = ed
        .post("/api/v1/tenants/city/items", bad)
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = problems["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    for f in [
        "title",
        "fields.colour",
        "fields.policy_type",
        "fields.document_number",
        "fields.issued_on",
        "fields.effective_on",
    ] {
        assert!(fields.contains(&f), "{f} missing in {problems}");
    }

    let item = ed
        .post("/api/v1/tenants/city/items", policy(&node))
        .await
        .expect(StatusCode::CREATED);
    let id = item["id"].as_str().unwrap().to_string();
    assert_eq!(item["stage"], "draft");
    assert_eq!(item["version"], 1);
    let index = item["index_number"].as_str().unwrap().to_string();
    assert!(
        index.starts_with("CITY/20") && index.ends_with("-00001"),
        "{index}"
    );

    // Another editor edits version 1 → version 2; a stale edit of version 1 is refused.
    let edited = both
        .patch(
            &path("city", &id, ""),
            json!({"version": 1, "title": "示例市公共租赁住房管理办法（试行）"}),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(edited["version"], 2);
    let stale = ed
        .patch(
            &path("city", &id, ""),
            json!({"version": 1, "title": "覆盖"}),
        )
        .await
        .expect(StatusCode::CONFLICT);
    assert_eq!(stale["current_state"], "draft", "{stale}");

    // Publishing a draft is refused with the current state.
    let refused = ed
        .post(&path("city", &id, "/publish"), json!({}))
        .await
        .expect(StatusCode::CONFLICT);
    assert_eq!(refused["current_state"], "draft");

    // Submit: the scan finds the mobile number and the ID number.
    let submitted = ed
        .post(&path("city", &id, "/submit"), json!({}))
        .await
        .expect(StatusCode::OK);
    assert_eq!(submitted["stage"], "in_review");
    assert_eq!(submitted["pending_step"], 0);
    assert_eq!(submitted["unresolved_findings"], 2, "{submitted}");
    let editing = ed
        .patch(&path("city", &id, ""), json!({"version": 2, "title": "x"}))
        .await
        .expect(StatusCode::CONFLICT);
    assert_eq!(editing["current_state"], "in_review");

    // Nobody decides a step of a version they edited.
    let own = both
        .post(
            &path("city", &id, "/decisions"),
            json!({"step": 0, "verdict": "approve"}),
        )
        .await
        .expect(StatusCode::FORBIDDEN);
    assert!(own.to_string().contains("edited"), "{own}");
    // Steps go in order.
    let early = apr
        .post(
            &path("city", &id, "/decisions"),
            json!({"step": 1, "verdict": "approve"}),
        )
        .await
        .expect(StatusCode::CONFLICT);
    assert_eq!(early["current_state"], "in_review");
    // A rejection needs comments, then sends the version back to draft.
    rev.post(
        &path("city", &id, "/decisions"),
        json!({"step": 0, "verdict": "reject"}),
    )
    .await
    .expect(StatusCode::UNPROCESSABLE_ENTITY);
    let rejected = rev
        .post(
            &path("city", &id, "/decisions"),
            json!({"step": 0, "verdict": "reject", "comments": "请核对施行日期"}),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(rejected["stage"], "draft");
    ed.post(&path("city", &id, "/submit"), json!({}))
        .await
        .expect(StatusCode::OK);

    let step0 = rev
        .post(
            &path("city", &id, "/decisions"),
            json!({"step": 0, "verdict": "approve", "comments": "保密审查通过"}),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(step0["stage"], "in_review");
    assert_eq!(step0["pending_step"], 1);
    // The last signature signs the findings' resolutions too: none may be open then.
    let blocked = apr
        .post(
            &path("city", &id, "/decisions"),
            json!({"step": 1, "verdict": "approve", "version": 2}),
        )
        .await
        .expect(StatusCode::CONFLICT);
    assert_eq!(blocked["current_state"], "in_review");
    assert!(blocked.to_string().contains("finding"), "{blocked}");
    let findings = rev
        .get(&path("city", &id, "/findings"))
        .await
        .expect(StatusCode::OK);
    let findings = findings.as_array().unwrap().clone();
    assert_eq!(findings.len(), 2);
    for f in &findings {
        let fid = f["id"].as_str().unwrap();
        // An editor of the version cannot resolve; keep needs a reason.
        both.post(
            &path("city", &id, &format!("/findings/{fid}")),
            json!({"resolution": "redact"}),
        )
        .await
        .expect(StatusCode::FORBIDDEN);
        rev.post(
            &path("city", &id, &format!("/findings/{fid}")),
            json!({"resolution": "keep"}),
        )
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
        let done = rev
            .post(
                &path("city", &id, &format!("/findings/{fid}")),
                json!({"resolution": "redact", "reason": "个人信息"}),
            )
            .await
            .expect(StatusCode::OK);
        assert_eq!(done["resolution"], "redact");
    }
    let approved = apr
        .post(
            &path("city", &id, "/decisions"),
            json!({"step": 1, "verdict": "approve", "version": 2}),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(approved["stage"], "approved");

    let published = ed
        .post(&path("city", &id, "/publish"), json!({}))
        .await
        .expect(StatusCode::OK);
    assert_eq!(published["stage"], "published");
    assert_eq!(published["published_version"], 2);

    // The public rendition is the redacted one; staff still see the original.
    let public = anon
        .get(&format!("/api/v1/public/city/items/{id}"))
        .await
        .expect(StatusCode::OK);
    let html = public["body_html"].as_str().unwrap();
    assert!(html.contains("138****5678"), "{html}");
    assert!(
        !html.contains(MOBILE) && !html.contains(ID_NUMBER),
        "{html}"
    );
    assert!(html.contains("11***************X"), "{html}");
    assert_eq!(public["title"], "示例市公共租赁住房管理办法（试行）");
    assert_eq!(public["document_number"], "示政规〔2026〕3号");
    let staff = ed.get(&path("city", &id, "")).await.expect(StatusCode::OK);
    assert!(staff["body"].as_str().unwrap().contains(MOBILE));
    let by_index = anon
        .get(&format!(
            "/api/v1/public/city/items/by-index?number={}",
            urlencode(&index)
        ))
        .await
        .expect(StatusCode::OK);
    assert_eq!(by_index["id"], id);
    let listed = anon
        .get("/api/v1/public/city/items?catalog=FGWJ&kind=policy&validity=in_force")
        .await
        .expect(StatusCode::OK);
    assert_eq!(listed["total"], 1, "{listed}");
    let none = anon
        .get("/api/v1/public/city/items?kind=news")
        .await
        .expect(StatusCode::OK);
    assert_eq!(none["total"], 0);
    anon.get("/api/v1/public/city/items?from=2026-02-30&per_page=0")
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    let catalog = anon
        .get("/api/v1/public/city/catalog")
        .await
        .expect(StatusCode::OK);
    assert!(catalog.to_string().contains("行政规范性文件"));
    assert!(!catalog.to_string().contains("reviewer"));

    // Repeal: stays public as repealed; a second repeal is refused.
    let repealed = ed
        .post(&path("city", &id, "/repeal"), json!({}))
        .await
        .expect(StatusCode::OK);
    assert_eq!(repealed["validity"], "repealed");
    let again = ed
        .post(&path("city", &id, "/repeal"), json!({}))
        .await
        .expect(StatusCode::CONFLICT);
    assert_eq!(again["current_state"], "published");
    let public = anon
        .get(&format!("/api/v1/public/city/items/{id}"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(public["validity_zh"], "已废止");
    assert_eq!(
        public["repealed_on"],
        app.state.clock.today().to_string(),
        "the day of the repeal, China time"
    );

    // Revise: a new draft while the published version stays up.
    let revising = ed
        .post(&path("city", &id, "/revise"), json!({}))
        .await
        .expect(StatusCode::OK);
    assert_eq!(revising["stage"], "draft");
    assert!(revising["public"].as_bool().unwrap());
    ed.patch(
        &path("city", &id, ""),
        json!({"version": 3, "title": "修订稿"}),
    )
    .await
    .expect(StatusCode::OK);
    let public = anon
        .get(&format!("/api/v1/public/city/items/{id}"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(public["title"], "示例市公共租赁住房管理办法（试行）");

    // Withdraw needs a reason; then the portal no longer shows it.
    let no_reason = ed
        .post(&path("city", &id, "/withdraw"), json!({"reason": " "}))
        .await
        .expect(StatusCode::CONFLICT);
    assert_eq!(no_reason["current_state"], "draft");
    ed.post(
        &path("city", &id, "/withdraw"),
        json!({"reason": "内容调整"}),
    )
    .await
    .expect(StatusCode::OK);
    anon.get(&format!("/api/v1/public/city/items/{id}"))
        .await
        .expect(StatusCode::NOT_FOUND);

    // Every step is recorded: decisions, versions and the audit chain.
    let decisions = ed
        .get(&path("city", &id, "/decisions"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(decisions.as_array().unwrap().len(), 3);
    let versions = ed
        .get(&path("city", &id, "/versions"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(versions.as_array().unwrap().len(), 4);
    let admin = app.login("tenant_admin@city.cn").await;
    let verified = admin.get("/api/v1/tenants/city/audit/verify").await;
    assert_eq!(verified.status, StatusCode::OK, "{}", verified.body);
    let log = admin
        .get("/api/v1/tenants/city/audit")
        .await
        .expect(StatusCode::OK);
    for action in [
        "item.create",
        "item.submit",
        "item.review",
        "item.finding.resolve",
        "item.publish",
        "item.withdraw",
    ] {
        assert!(log.to_string().contains(action), "{action} not audited");
    }
});

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

both_backends!(
    refused_transitions_answer_409_with_the_state,
    |backend| async move {
        let app = TestApp::start(backend).await;
        staffed(&app, "city", None).await;
        let mut ed = app.login("editor@city.cn").await;
        let mut apr = app.login("approver@city.cn").await;
        let node = node_id(&ed, "city", "GZDT").await;
        let item = ed
        .post("/api/v1/tenants/city/items", json!({"node_id": node, "kind": "news", "title": "市政府召开常务会议", "body": "会议研究了……"}))
        .await
        .expect(StatusCode::CREATED);
        let id = item["id"].as_str().unwrap();
        for (action, body) in [
            ("/publish", json!({})),
            ("/schedule", json!({"at": "2099-01-01T00:00:00Z"})),
            ("/unschedule", json!({})),
            ("/revise", json!({})),
            ("/withdraw", json!({"reason": "x"})),
            ("/repeal", json!({})),
            ("/amend", json!({})),
        ] {
            let r = ed
                .post(&path("city", id, action), body)
                .await
                .expect(StatusCode::CONFLICT);
            assert_eq!(r["current_state"], "draft", "{action}: {r}");
        }
        let r = apr
            .post(
                &path("city", id, "/decisions"),
                json!({"step": 0, "verdict": "approve"}),
            )
            .await
            .expect(StatusCode::CONFLICT);
        assert_eq!(r["current_state"], "draft");
        ed.post(&path("city", id, "/submit"), json!({}))
            .await
            .expect(StatusCode::OK);
        let r = ed
            .post(&path("city", id, "/submit"), json!({}))
            .await
            .expect(StatusCode::CONFLICT);
        assert_eq!(r["current_state"], "in_review");
        // Only a proactive item is ever published.
        let on_request = ed
            .post(
                "/api/v1/tenants/city/items",
                json!({"node_id": node, "kind": "news", "title": "内部事项",
            "attribute": "on_request"}),
            )
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            on_request.to_string().contains("legal_ground"),
            "{on_request}"
        );
        // Unknown catalog node and kind are input problems, all listed.
        let r = ed
            .post(
                "/api/v1/tenants/city/items",
                json!({"node_id": "nope", "kind": "poem", "title": ""}),
            )
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r["errors"].as_array().unwrap().len(), 3, "{r}");
    }
);

both_backends!(
    index_numbers_are_unique_under_concurrency,
    |backend| async move {
        let app = TestApp::start(backend).await;
        staffed(&app, "city", None).await;
        let ed = app.login("editor@city.cn").await;
        let node = node_id(&ed, "city", "GZDT").await;
        let mut tasks = Vec::new();
        for i in 0..16 {
            let mut client = ed.clone();
            let node = node.clone();
            tasks.push(tokio::spawn(async move {
                client
                    .post(
                        "/api/v1/tenants/city/items",
                        json!({"node_id": node, "kind": "news", "title": format!("动态{i}")}),
                    )
                    .await
                    .expect(StatusCode::CREATED)["index_number"]
                    .as_str()
                    .unwrap()
                    .to_string()
            }));
        }
        let mut numbers = Vec::new();
        for t in tasks {
            numbers.push(t.await.unwrap());
        }
        numbers.sort();
        numbers.dedup();
        assert_eq!(numbers.len(), 16, "{numbers:?}");
        assert!(numbers.last().unwrap().ends_with("-00016"), "{numbers:?}");
    }
);

both_backends!(a_scheduled_item_publishes_by_itself, |backend| async move {
    let app = TestApp::start(backend).await;
    let city = app.create_tenant("city", None).await;
    app.add_member(&city, "editor@city.cn", "editor").await;
    app.add_member(&city, "admin@city.cn", "tenant_admin").await;
    app.add_member(&city, "approver@city.cn", "approver").await;
    let mut admin = app.login("admin@city.cn").await;
    let mut ed = app.login("editor@city.cn").await;
    let mut apr = app.login("approver@city.cn").await;
    let node = node_id(&ed, "city", "GZDT").await;
    // A chain is never empty: a node's chain of no step is refused.
    let refused = admin
        .put(
            &format!("/api/v1/tenants/city/catalog/{node}/review-chain"),
            Some(json!([])),
        )
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&refused), ["review_chain"]);
    admin
        .put(
            &format!("/api/v1/tenants/city/catalog/{node}/review-chain"),
            Some(one_step()),
        )
        .await
        .expect(StatusCode::OK);
    let item = ed
        .post(
            "/api/v1/tenants/city/items",
            json!({"node_id": node, "kind": "news", "title": "定时发布的动态"}),
        )
        .await
        .expect(StatusCode::CREATED);
    let id = item["id"].as_str().unwrap();
    let submitted = ed
        .post(&path("city", id, "/submit"), json!({}))
        .await
        .expect(StatusCode::OK);
    assert_eq!(submitted["stage"], "in_review");
    sign(&mut apr, "city", id).await;
    ed.post(
        &path("city", id, "/schedule"),
        json!({"at": "2020-01-01T00:00:00Z"}),
    )
    .await
    .expect(StatusCode::UNPROCESSABLE_ENTITY);
    let at = gongkai::kernel::ids::to_text(chrono::Utc::now() + chrono::Duration::seconds(2));
    let scheduled = ed
        .post(&path("city", id, "/schedule"), json!({"at": at}))
        .await
        .expect(StatusCode::OK);
    assert_eq!(scheduled["stage"], "scheduled");
    let anon = app.anonymous();
    anon.get(&format!("/api/v1/public/city/items/{id}"))
        .await
        .expect(StatusCode::NOT_FOUND);

    gongkai::disclosure::scheduler::spawn(Disclosure::from_ref(&app.state));
    let mut published = false;
    for _ in 0..40 {
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        if anon
            .get(&format!("/api/v1/public/city/items/{id}"))
            .await
            .status
            == StatusCode::OK
        {
            published = true;
            break;
        }
    }
    assert!(published, "the scheduled item was not published by the job");
    let staff = ed.get(&path("city", id, "")).await.expect(StatusCode::OK);
    assert_eq!(staff["stage"], "published");
    // Running the job again publishes nothing twice.
    assert_eq!(
        gongkai::disclosure::scheduler::run_due(&Disclosure::from_ref(&app.state))
            .await
            .unwrap(),
        0
    );
});

both_backends!(no_item_crosses_tenants, |backend| async move {
    let app = TestApp::start(backend).await;
    app.create_tenant("city", None).await;
    staffed(&app, "edu", Some("city")).await;
    staffed(&app, "env", Some("city")).await;
    staffed(&app, "school", Some("edu")).await;
    let edu = gongkai::tenancy::store::by_slug(&app.state.db, "edu")
        .await
        .unwrap()
        .unwrap();
    app.add_member(&edu, "overseer@edu.cn", "overseer").await;

    // One published item in env and one in school, each with a one-step chain.
    let mut ids = std::collections::HashMap::new();
    for slug in ["env", "school"] {
        let mut admin = app.login(&format!("tenant_admin@{slug}.cn")).await;
        let mut ed = app.login(&format!("editor@{slug}.cn")).await;
        let mut apr = app.login(&format!("approver@{slug}.cn")).await;
        let node = node_id(&ed, slug, "GZDT").await;
        admin
            .put(
                &format!("/api/v1/tenants/{slug}/catalog/{node}/review-chain"),
                Some(one_step()),
            )
            .await
            .expect(StatusCode::OK);
        let item = ed
            .post(
                &format!("/api/v1/tenants/{slug}/items"),
                json!({"node_id": node, "kind": "news", "title": format!("{slug} 动态")}),
            )
            .await
            .expect(StatusCode::CREATED);
        let id = item["id"].as_str().unwrap().to_string();
        ed.post(&path(slug, &id, "/submit"), json!({}))
            .await
            .expect(StatusCode::OK);
        sign(&mut apr, slug, &id).await;
        ed.post(&path(slug, &id, "/publish"), json!({}))
            .await
            .expect(StatusCode::OK);
        ids.insert(
            slug,
            (id, item["index_number"].as_str().unwrap().to_string()),
        );
    }
    let (env_id, env_index) = ids["env"].clone();
    let (school_id, _) = ids["school"].clone();

    // Every staff route of edu with env's item id finds nothing.
    let mut edu_ed = app.login("editor@edu.cn").await;
    for action in ["", "/versions", "/decisions", "/findings"] {
        edu_ed
            .get(&path("edu", &env_id, action))
            .await
            .expect(StatusCode::NOT_FOUND);
    }
    for action in ["/submit", "/publish", "/revise", "/repeal"] {
        edu_ed
            .post(&path("edu", &env_id, action), json!({}))
            .await
            .expect(StatusCode::NOT_FOUND);
    }
    edu_ed
        .patch(
            &path("edu", &env_id, ""),
            json!({"version": 1, "title": "x"}),
        )
        .await
        .expect(StatusCode::NOT_FOUND);
    let list = edu_ed
        .get("/api/v1/tenants/edu/items")
        .await
        .expect(StatusCode::OK);
    assert_eq!(list.as_array().unwrap().len(), 0, "{list}");
    edu_ed
        .get(&path("env", &env_id, ""))
        .await
        .expect(StatusCode::FORBIDDEN);

    // The public API of edu does not show env's item either.
    let anon = app.anonymous();
    anon.get(&format!("/api/v1/public/edu/items/{env_id}"))
        .await
        .expect(StatusCode::NOT_FOUND);
    anon.get(&format!(
        "/api/v1/public/edu/items/by-index?number={}",
        urlencode(&env_index)
    ))
    .await
    .expect(StatusCode::NOT_FOUND);
    let public = anon
        .get("/api/v1/public/edu/items")
        .await
        .expect(StatusCode::OK);
    assert_eq!(public["total"], 0);
    anon.get(&format!("/api/v1/public/env/items/{env_id}"))
        .await
        .expect(StatusCode::OK);

    // The overseer of edu sees its child's items, not its sibling's.
    let overseer = app.login("overseer@edu.cn").await;
    overseer
        .get(&path("school", &school_id, ""))
        .await
        .expect(StatusCode::OK);
    overseer
        .get("/api/v1/tenants/school/items")
        .await
        .expect(StatusCode::OK);
    overseer
        .get(&path("env", &env_id, ""))
        .await
        .expect(StatusCode::FORBIDDEN);
    overseer
        .get("/api/v1/tenants/env/items")
        .await
        .expect(StatusCode::FORBIDDEN);

    // Overdue drafts (deadline moved into the past) are listed for the tenant and the
    // overseer of its parent, never for a sibling's overseer.
    let mut overdue_ids = std::collections::HashMap::new();
    for slug in ["env", "school"] {
        let mut ed = app.login(&format!("editor@{slug}.cn")).await;
        let node = node_id(&ed, slug, "GZDT").await;
        let item = ed
            .post(
                &format!("/api/v1/tenants/{slug}/items"),
                json!({"node_id": node, "kind": "news", "title": "逾期未发布"}),
            )
            .await
            .expect(StatusCode::CREATED);
        let t = gongkai::tenancy::store::by_slug(&app.state.db, slug)
            .await
            .unwrap()
            .unwrap();
        let mut tx = app.state.db.tenant(&t.id).await.unwrap();
        tx.query("UPDATE items SET due_on = '2000-01-03' WHERE tenant_id = $1 AND working_state IS NOT NULL")
            .execute(tx.conn())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        overdue_ids.insert(slug, item["id"].as_str().unwrap().to_string());
    }
    let listed = overseer
        .get("/api/v1/tenants/edu/items/overdue")
        .await
        .expect(StatusCode::OK);
    let listed = listed.to_string();
    assert!(listed.contains(&overdue_ids["school"]), "{listed}");
    assert!(!listed.contains(&overdue_ids["env"]), "{listed}");
    let own = app.login("editor@school.cn").await;
    let mine = own
        .get("/api/v1/tenants/school/items/overdue")
        .await
        .expect(StatusCode::OK);
    assert_eq!(mine.as_array().unwrap().len(), 1, "{mine}");
    assert_eq!(mine[0]["tenant"], "school");
});

fn count_files(dir: &std::path::Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| {
            let p = e.path();
            if p.is_dir() {
                count_files(&p)
            } else {
                1
            }
        })
        .sum()
}

/// A news item of city's `node`, submitted, signed by `apr` and published; its id.
async fn published_news(
    ed: &mut Client,
    apr: &mut Client,
    node: &str,
    title: &str,
    body: &str,
) -> String {
    let item = ed
        .post(
            "/api/v1/tenants/city/items",
            json!({"node_id": node, "kind": "news", "title": title, "body": body}),
        )
        .await
        .expect(StatusCode::CREATED);
    let id = item["id"].as_str().unwrap().to_string();
    ed.post(&path("city", &id, "/submit"), json!({}))
        .await
        .expect(StatusCode::OK);
    sign(apr, "city", &id).await;
    ed.post(&path("city", &id, "/publish"), json!({}))
        .await
        .expect(StatusCode::OK);
    id
}

/// A tenant whose GZDT node has a one-step chain (`approver@{slug}.cn` signs it).
async fn quick_tenant(app: &TestApp, slug: &str) -> (Client, String) {
    staffed(app, slug, None).await;
    let mut admin = app.login(&format!("tenant_admin@{slug}.cn")).await;
    let ed = app.login(&format!("editor@{slug}.cn")).await;
    let node = node_id(&ed, slug, "GZDT").await;
    admin
        .put(
            &format!("/api/v1/tenants/{slug}/catalog/{node}/review-chain"),
            Some(one_step()),
        )
        .await
        .expect(StatusCode::OK);
    (ed, node)
}

both_backends!(
    attachments_are_sniffed_limited_and_served_safely,
    |backend| async move {
        let app = TestApp::start_with(backend, |c| c.attachments_max_bytes = 4096).await;
        let (mut ed, node) = quick_tenant(&app, "city").await;
        let mut apr = app.login("approver@city.cn").await;
        let rev = app.login("reviewer@city.cn").await;
        let objects = app.db.dir().join("objects");
        let item = ed
            .post(
                "/api/v1/tenants/city/items",
                json!({"node_id": node, "kind": "news", "title": "附件测试"}),
            )
            .await
            .expect(StatusCode::CREATED);
        let id = item["id"].as_str().unwrap().to_string();
        let uploader = ed.clone();
        let upload = |name: &str, bytes: Vec<u8>| {
            let ed = uploader.clone();
            let url = format!(
                "/api/v1/tenants/city/items/{id}/attachments?name={}",
                urlencode(name)
            );
            async move {
                ed.raw(reqwest::Method::POST, &url, Some(bytes), "application/pdf")
                    .await
                    .0
            }
        };

        // Refused uploads store nothing.
        let html = upload(
            "a.pdf",
            b"<!doctype html><script>alert(1)</script>".to_vec(),
        )
        .await;
        assert_eq!(
            html.status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{}",
            html.body
        );
        let exe = upload(
            "a.pdf",
            b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0".to_vec(),
        )
        .await;
        assert_eq!(
            exe.status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{}",
            exe.body
        );
        let big = upload("big.txt", vec![b'a'; 5000]).await;
        assert_eq!(big.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", big.body);
        assert_eq!(count_files(&objects), 0, "a refused upload left a file");

        let text = upload("报名名单.txt", format!("王五 {MOBILE}").into_bytes()).await;
        assert_eq!(text.status, StatusCode::CREATED, "{}", text.body);
        assert_eq!(text.body["media_type"], "text/plain");
        let text_id = text.body["id"].as_str().unwrap().to_string();
        let svg = upload(
            "logo.png",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>".to_vec(),
        )
        .await;
        assert_eq!(svg.status, StatusCode::CREATED, "{}", svg.body);
        assert_eq!(svg.body["media_type"], "image/svg+xml");
        assert_eq!(count_files(&objects), 2);
        // The same content again is stored once (content-addressed).
        upload("副本.txt", format!("王五 {MOBILE}").into_bytes()).await;
        assert_eq!(count_files(&objects), 2);

        let got = ed
            .get(&format!(
                "/api/v1/tenants/city/items/{id}/attachments/{}",
                svg.body["id"].as_str().unwrap()
            ))
            .await;
        assert_eq!(got.status, StatusCode::OK);
        // SVG can carry scripts: a download, as bare bytes, never an image/svg+xml page.
        assert_eq!(
            header(&got, "content-type"),
            Some("application/octet-stream")
        );
        assert!(header(&got, "content-disposition")
            .unwrap()
            .starts_with("attachment"));
        assert_eq!(header(&got, "x-content-type-options"), Some("nosniff"));

        // The scan reads the text attachment; the public copy is redacted.
        ed.post(&path("city", &id, "/submit"), json!({}))
            .await
            .expect(StatusCode::OK);
        let findings = rev
            .get(&path("city", &id, "/findings"))
            .await
            .expect(StatusCode::OK);
        let f = findings
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["field"] == format!("attachments.{text_id}"))
            .count();
        assert_eq!(f, 1, "{findings}");
        // The SVG is not read by the scan: a reviewer looks at it and keeps it.
        let svg_id = svg.body["id"].as_str().unwrap();
        let (unscanned, text_findings): (Vec<Value>, Vec<Value>) = findings
            .as_array()
            .unwrap()
            .iter()
            .cloned()
            .partition(|f| f["kind"] == "unscanned");
        assert_eq!(unscanned.len(), 1, "{findings}");
        assert_eq!(unscanned[0]["field"], format!("attachments.{svg_id}"));
        let mut rev = rev;
        rev.post(
            &path(
                "city",
                &id,
                &format!("/findings/{}", unscanned[0]["id"].as_str().unwrap()),
            ),
            json!({"resolution": "keep", "reason": "单位标志，无个人信息"}),
        )
        .await
        .expect(StatusCode::OK);
        redact_all(&mut rev, "city", &id, &Value::Array(text_findings)).await;
        sign(&mut apr, "city", &id).await;
        ed.post(&path("city", &id, "/publish"), json!({}))
            .await
            .expect(StatusCode::OK);
        let public = app
            .anonymous()
            .get(&format!(
                "/api/v1/public/city/items/{id}/attachments/{text_id}"
            ))
            .await;
        assert_eq!(public.status, StatusCode::OK);
        let body = public.body.as_str().unwrap().to_string();
        assert!(
            body.contains("138****5678") && !body.contains(MOBILE),
            "{body}"
        );
        assert_eq!(
            header(&public, "content-type"),
            Some("text/plain; charset=utf-8")
        );
        let staff = ed
            .get(&format!(
                "/api/v1/tenants/city/items/{id}/attachments/{text_id}"
            ))
            .await;
        assert!(staff.body.as_str().unwrap().contains(MOBILE));
        // No attachment is added to a published item without a revision.
        let late = upload("late.txt", b"x".to_vec()).await;
        assert_eq!(late.status, StatusCode::CONFLICT);
        assert_eq!(late.body["current_state"], "published");
    }
);

both_backends!(feeds_and_exports, |backend| async move {
    let app = TestApp::start(backend).await;
    let (mut ed, node) = quick_tenant(&app, "city").await;
    let mut apr = app.login("approver@city.cn").await;
    for title in ["=HYPERLINK(\"x\")", "市政府召开常务会议"] {
        published_news(&mut ed, &mut apr, &node, title, "**会议**内容").await;
    }
    let anon = app.anonymous();
    let feed = anon.get("/api/v1/public/city/feed.atom").await;
    assert_eq!(feed.status, StatusCode::OK);
    assert_eq!(
        header(&feed, "content-type"),
        Some("application/atom+xml; charset=utf-8")
    );
    let xml = feed.body.as_str().unwrap();
    assert!(
        xml.contains("<feed") && xml.contains("市政府召开常务会议"),
        "{xml}"
    );
    let node_feed = anon.get("/api/v1/public/city/catalog/GZDT/feed.atom").await;
    assert!(node_feed
        .body
        .as_str()
        .unwrap()
        .contains("市政府召开常务会议"));
    let other = anon.get("/api/v1/public/city/catalog/FGWJ/feed.atom").await;
    assert!(!other.body.as_str().unwrap().contains("市政府召开常务会议"));
    anon.get("/api/v1/public/city/catalog/NOPE/feed.atom")
        .await
        .expect(StatusCode::NOT_FOUND);

    let csv = anon
        .get("/api/v1/public/city/catalog/GZDT/export.csv")
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    let text = csv.body.as_str().unwrap();
    assert!(
        text.contains("索引号") && text.contains("\"市政府召开常务会议\""),
        "{text}"
    );
    assert!(text.contains("\"'=HYPERLINK"), "{text}");
    let json = anon
        .get("/api/v1/public/city/catalog/GZDT/export.json")
        .await
        .expect(StatusCode::OK);
    assert_eq!(json.as_array().unwrap().len(), 2);
    assert!(json[0]["body_html"]
        .as_str()
        .unwrap()
        .contains("<strong>会议</strong>"));
    anon.get("/api/v1/public/city/catalog/NOPE/export.csv")
        .await
        .expect(StatusCode::NOT_FOUND);
});

both_backends!(
    exports_are_paged_and_downloads_counted_per_address,
    |backend| async move {
        let app = TestApp::start_with(backend, |c| {
            c.public_export_page_items = 2;
            c.public_downloads_per_address_per_minute = 6;
        })
        .await;
        let (mut ed, node) = quick_tenant(&app, "city").await;
        let mut apr = app.login("approver@city.cn").await;
        for n in 1..=3 {
            published_news(&mut ed, &mut apr, &node, &format!("第{n}号通知"), "").await;
        }
        let anon = app.anonymous();
        let export = "/api/v1/public/city/catalog/GZDT/export.json";
        let titles = |reply: &Reply| -> Vec<String> {
            reply
                .body
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["title"].as_str().unwrap().to_string())
                .collect()
        };
        // Page by page, oldest first, with the total and the next page's address.
        let first = anon.get(export).await;
        assert_eq!(first.status, StatusCode::OK);
        assert_eq!(titles(&first), ["第1号通知", "第2号通知"]);
        assert_eq!(header(&first, "x-total-count"), Some("3"));
        assert_eq!(
            header(&first, "link"),
            Some("</api/v1/public/city/catalog/GZDT/export.json?page=2>; rel=\"next\"")
        );
        let last = anon.get(&format!("{export}?page=2")).await;
        assert_eq!(titles(&last), ["第3号通知"]);
        assert_eq!(header(&last, "link"), None);
        let bad = anon
            .get("/api/v1/public/city/catalog/GZDT/export.csv?page=0")
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(error_fields(&bad), ["page"]);
        // Exports, feeds and downloads share one budget per client address.
        anon.get("/api/v1/public/city/feed.atom")
            .await
            .expect(StatusCode::OK);
        anon.get("/api/v1/public/city/catalog/GZDT/export.csv?page=2")
            .await
            .expect(StatusCode::OK);
        anon.get(export).await.expect(StatusCode::OK);
        let refused = anon.get(export).await;
        assert_eq!(
            refused.status,
            StatusCode::TOO_MANY_REQUESTS,
            "{}",
            refused.body
        );
        assert!(header(&refused, "retry-after").is_some());
    }
);

both_backends!(demo_items_are_seeded_once, |backend| async move {
    let app = TestApp::start(backend).await;
    gongkai::app::demo::seed(&app.state).await.unwrap();
    gongkai::app::demo::seed(&app.state).await.unwrap();
    let anon = app.anonymous();
    for slug in [
        "demo-city",
        "demo-city-edu",
        "demo-city-env",
        "demo-city-finance",
    ] {
        let page = anon
            .get(&format!("/api/v1/public/{slug}/items"))
            .await
            .expect(StatusCode::OK);
        assert!(page["total"].as_i64().unwrap() >= 1, "{slug}: {page}");
    }
    // The natural person's name in a penalty record is masked on the portal.
    let env = anon
        .get("/api/v1/public/demo-city-env/items?kind=penalty")
        .await
        .expect(StatusCode::OK);
    assert!(
        env.to_string().contains("张*丰") && !env.to_string().contains("张三丰"),
        "{env}"
    );
    let mut reviewer = app.anonymous();
    reviewer
        .login("reviewer@demo.gongkai.cn", gongkai::app::demo::PASSWORD)
        .await;
    let in_review = reviewer
        .get("/api/v1/tenants/demo-city/items?stage=in_review")
        .await
        .expect(StatusCode::OK);
    assert_eq!(in_review.as_array().unwrap().len(), 1, "{in_review}");
    let id = in_review[0]["id"].as_str().unwrap();
    let item = reviewer
        .get(&path("demo-city", id, ""))
        .await
        .expect(StatusCode::OK);
    assert!(item["unresolved_findings"].as_i64().unwrap() >= 2, "{item}");
});

/// Uploads `bytes` as attachment `name` of an item; the reply.
async fn upload(client: &Client, slug: &str, id: &str, name: &str, bytes: Vec<u8>) -> Reply {
    let url = format!(
        "/api/v1/tenants/{slug}/items/{id}/attachments?name={}",
        urlencode(name)
    );
    client
        .raw(
            reqwest::Method::POST,
            &url,
            Some(bytes),
            "application/octet-stream",
        )
        .await
        .0
}

/// Resolves every one of `findings` (the item's current ones) by masking it.
async fn redact_all(rev: &mut Client, slug: &str, id: &str, findings: &Value) {
    for f in findings.as_array().unwrap() {
        let finding = format!("/findings/{}", f["id"].as_str().unwrap());
        rev.post(&path(slug, id, &finding), json!({"resolution": "redact"}))
            .await
            .expect(StatusCode::OK);
    }
}

fn attachment_path(slug: &str, id: &str, attachment: &str) -> String {
    format!("/api/v1/tenants/{slug}/items/{id}/attachments/{attachment}")
}

/// The findings of an item on one attachment, as (kind, matched).
fn findings_on(findings: &Value, attachment: &str) -> Vec<(String, String)> {
    findings
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["field"] == format!("attachments.{attachment}"))
        .map(|f| {
            (
                f["kind"].as_str().unwrap().to_string(),
                f["matched"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

both_backends!(pdf_and_docx_attachments_are_scanned, |backend| async move {
    let app = TestApp::start(backend).await;
    let (mut ed, node) = quick_tenant(&app, "city").await;
    let mut apr = app.login("approver@city.cn").await;
    let mut rev = app.login("reviewer@city.cn").await;
    let item = ed
        .post(
            "/api/v1/tenants/city/items",
            json!({"node_id": node, "kind": "news", "title": "补贴发放名单"}),
        )
        .await
        .expect(StatusCode::CREATED);
    let id = item["id"].as_str().unwrap().to_string();

    // The ID on a line of its own between two others; in the DOCX split over runs.
    let pdf = pdf_with_lines(&["Applicant: Wang Wu", ID_NUMBER, "Amount: 3000"]);
    let pdf = upload(&ed, "city", &id, "名单.pdf", pdf).await;
    assert_eq!(pdf.status, StatusCode::CREATED, "{}", pdf.body);
    assert_eq!(pdf.body["media_type"], "application/pdf");
    let pdf_id = pdf.body["id"].as_str().unwrap().to_string();
    let docx = docx_with_runs(&[
        &[
            "申请人王五，身份证号",
            &ID_NUMBER[..10],
            &ID_NUMBER[10..],
            "。",
        ],
        &["发放金额3000元。"],
    ]);
    let docx = upload(&ed, "city", &id, "名单.docx", docx).await;
    assert_eq!(docx.status, StatusCode::CREATED, "{}", docx.body);
    assert_eq!(
        docx.body["media_type"],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    let docx_id = docx.body["id"].as_str().unwrap().to_string();
    // A corrupt PDF is accepted at upload (it is a PDF by its signature) ...
    let corrupt = upload(
        &ed,
        "city",
        &id,
        "扫描件.pdf",
        b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\nbroken".to_vec(),
    )
    .await;
    assert_eq!(corrupt.status, StatusCode::CREATED, "{}", corrupt.body);
    let corrupt_id = corrupt.body["id"].as_str().unwrap().to_string();

    let submitted = ed
        .post(&path("city", &id, "/submit"), json!({}))
        .await
        .expect(StatusCode::OK);
    assert_eq!(submitted["unresolved_findings"], 3, "{submitted}");
    let findings = rev
        .get(&path("city", &id, "/findings"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        findings_on(&findings, &pdf_id),
        vec![("resident_id".to_string(), ID_NUMBER.to_string())],
        "{findings}"
    );
    assert_eq!(
        findings_on(&findings, &docx_id),
        vec![("resident_id".to_string(), ID_NUMBER.to_string())],
        "{findings}"
    );
    // ... and the scan says it could not read it: a finding like any other.
    let unreadable = findings_on(&findings, &corrupt_id);
    assert_eq!(unreadable.len(), 1, "{findings}");
    assert_eq!(unreadable[0].0, "unreadable");
    assert!(unreadable[0].1.contains("PDF"), "{findings}");

    // Unresolved, they block the last signature, and so publication.
    let blocked = apr
        .post(
            &path("city", &id, "/decisions"),
            json!({"step": 0, "verdict": "approve"}),
        )
        .await
        .expect(StatusCode::CONFLICT);
    assert!(blocked.to_string().contains("3 scan finding"), "{blocked}");
    ed.post(&path("city", &id, "/publish"), json!({}))
        .await
        .expect(StatusCode::CONFLICT);
    // A PDF or DOCX is not masked by the platform, nor is an unread file: keep with a
    // reason, or send the version back for a redacted copy.
    for f in findings.as_array().unwrap() {
        let fid = f["id"].as_str().unwrap();
        let refused = rev
            .post(
                &path("city", &id, &format!("/findings/{fid}")),
                json!({"resolution": "redact", "reason": "个人信息"}),
            )
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(refused["errors"][0]["field"], "resolution", "{refused}");
        rev.post(
            &path("city", &id, &format!("/findings/{fid}")),
            json!({"resolution": "keep", "reason": "已人工核对，本人同意公开"}),
        )
        .await
        .expect(StatusCode::OK);
    }
    sign(&mut apr, "city", &id).await;
    ed.post(&path("city", &id, "/publish"), json!({}))
        .await
        .expect(StatusCode::OK);
    let public = app
        .anonymous()
        .get(&format!(
            "/api/v1/public/city/items/{id}/attachments/{pdf_id}"
        ))
        .await;
    assert_eq!(public.status, StatusCode::OK);
    assert_eq!(header(&public, "content-type"), Some("application/pdf"));
});

both_backends!(
    attachments_are_removed_from_drafts_only,
    |backend| async move {
        let app = TestApp::start(backend).await;
        let (mut ed, node) = quick_tenant(&app, "city").await;
        let mut apr = app.login("approver@city.cn").await;
        let (town_ed, town_node) = quick_tenant(&app, "town").await;
        let mut rev = app.login("reviewer@city.cn").await;
        let objects = app.db.dir().join("objects");
        let creator = ed.clone();
        let new_item = |title: &'static str| {
            let mut ed = creator.clone();
            let node = node.clone();
            async move {
                ed.post(
                    "/api/v1/tenants/city/items",
                    json!({"node_id": node, "kind": "news", "title": title}),
                )
                .await
                .expect(StatusCode::CREATED)["id"]
                    .as_str()
                    .unwrap()
                    .to_string()
            }
        };
        let a = new_item("附件删除").await;
        let b = new_item("共用附件").await;
        let shared = format!("王五 {MOBILE}").into_bytes();
        let a_shared = upload(&ed, "city", &a, "名单.txt", shared.clone())
            .await
            .body;
        let a_shared = a_shared["id"].as_str().unwrap().to_string();
        let a_own = upload(&ed, "city", &a, "说明.txt", b"only here".to_vec())
            .await
            .body;
        let a_own = a_own["id"].as_str().unwrap().to_string();
        let b_shared = upload(&ed, "city", &b, "名单副本.txt", shared).await.body;
        let b_shared = b_shared["id"].as_str().unwrap().to_string();
        assert_eq!(count_files(&objects), 2);

        // Unknown ids, another item's attachment, another tenant, the wrong permission.
        ed.delete(&attachment_path("city", &a, "nope"))
            .await
            .expect(StatusCode::NOT_FOUND);
        ed.delete(&attachment_path("city", &a, &b_shared))
            .await
            .expect(StatusCode::NOT_FOUND);
        ed.delete(&attachment_path("city", "nope", &a_own))
            .await
            .expect(StatusCode::NOT_FOUND);
        let mut town_ed = town_ed;
        let town_item = town_ed
            .post(
                "/api/v1/tenants/town/items",
                json!({"node_id": town_node, "kind": "news", "title": "镇动态"}),
            )
            .await
            .expect(StatusCode::CREATED)["id"]
            .as_str()
            .unwrap()
            .to_string();
        town_ed
            .delete(&attachment_path("town", &town_item, &a_own))
            .await
            .expect(StatusCode::NOT_FOUND);
        town_ed
            .delete(&attachment_path("town", &a, &a_own))
            .await
            .expect(StatusCode::NOT_FOUND);
        town_ed
            .delete(&attachment_path("city", &a, &a_own))
            .await
            .expect(StatusCode::FORBIDDEN);
        rev.delete(&attachment_path("city", &a, &a_own))
            .await
            .expect(StatusCode::FORBIDDEN);
        app.anonymous()
            .delete(&attachment_path("city", &a, &a_own))
            .await
            .expect(StatusCode::UNAUTHORIZED);
        assert_eq!(count_files(&objects), 2);

        // Its own content: the row and the bytes go.
        ed.delete(&attachment_path("city", &a, &a_own))
            .await
            .expect(StatusCode::NO_CONTENT);
        assert_eq!(count_files(&objects), 1);
        ed.delete(&attachment_path("city", &a, &a_own))
            .await
            .expect(StatusCode::NOT_FOUND);
        ed.get(&attachment_path("city", &a, &a_own))
            .await
            .expect(StatusCode::NOT_FOUND);
        // Shared content: the row goes, the bytes stay for the other item.
        ed.delete(&attachment_path("city", &a, &a_shared))
            .await
            .expect(StatusCode::NO_CONTENT);
        assert_eq!(count_files(&objects), 1);
        let list = ed
            .get(&format!("/api/v1/tenants/city/items/{a}/attachments"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(list.as_array().unwrap().len(), 0, "{list}");
        let other = ed.get(&attachment_path("city", &b, &b_shared)).await;
        assert_eq!(other.status, StatusCode::OK);
        assert!(other.body.as_str().unwrap().contains(MOBILE));
        // Re-uploading the same content after the last row went stores it again.
        ed.delete(&attachment_path("city", &b, &b_shared))
            .await
            .expect(StatusCode::NO_CONTENT);
        assert_eq!(count_files(&objects), 0);

        // A published item: removal waits for a revision, and the published version
        // keeps serving the attachment (redacted) until a version without it is published.
        let c = new_item("已发布附件").await;
        let c_file = upload(
            &ed,
            "city",
            &c,
            "名单.txt",
            format!("王五 {MOBILE}").into_bytes(),
        )
        .await
        .body;
        let c_file = c_file["id"].as_str().unwrap().to_string();
        ed.post(&path("city", &c, "/submit"), json!({}))
            .await
            .expect(StatusCode::OK);
        let findings = rev
            .get(&path("city", &c, "/findings"))
            .await
            .expect(StatusCode::OK);
        redact_all(&mut rev, "city", &c, &findings).await;
        sign(&mut apr, "city", &c).await;
        ed.post(&path("city", &c, "/publish"), json!({}))
            .await
            .expect(StatusCode::OK);
        let refused = ed
            .delete(&attachment_path("city", &c, &c_file))
            .await
            .expect(StatusCode::CONFLICT);
        assert_eq!(refused["current_state"], "published", "{refused}");
        ed.post(&path("city", &c, "/revise"), json!({}))
            .await
            .expect(StatusCode::OK);
        ed.delete(&attachment_path("city", &c, &c_file))
            .await
            .expect(StatusCode::NO_CONTENT);
        assert_eq!(count_files(&objects), 1);
        let list = ed
            .get(&format!("/api/v1/tenants/city/items/{c}/attachments"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(list.as_array().unwrap().len(), 0, "{list}");
        let public_url = format!("/api/v1/public/city/items/{c}/attachments/{c_file}");
        let public = app.anonymous().get(&public_url).await;
        assert_eq!(public.status, StatusCode::OK, "{}", public.body);
        let text = public.body.as_str().unwrap();
        assert!(
            text.contains("138****5678") && !text.contains(MOBILE),
            "{text}"
        );
        ed.delete(&attachment_path("city", &c, &c_file))
            .await
            .expect(StatusCode::NOT_FOUND);
        ed.post(&path("city", &c, "/submit"), json!({}))
            .await
            .expect(StatusCode::OK);
        sign(&mut apr, "city", &c).await;
        ed.post(&path("city", &c, "/publish"), json!({}))
            .await
            .expect(StatusCode::OK);
        app.anonymous()
            .get(&public_url)
            .await
            .expect(StatusCode::NOT_FOUND);
        // Staff still read what version 1 showed.
        ed.get(&attachment_path("city", &c, &c_file))
            .await
            .expect(StatusCode::OK);

        let admin = app.login("tenant_admin@city.cn").await;
        let log = admin
            .get("/api/v1/tenants/city/audit?limit=500")
            .await
            .expect(StatusCode::OK);
        assert!(log.to_string().contains("item.attachment.remove"), "{log}");
        let verified = admin.get("/api/v1/tenants/city/audit/verify").await;
        assert_eq!(verified.status, StatusCode::OK, "{}", verified.body);
    }
);

both_backends!(
    a_rejected_draft_whose_attachments_change_is_scanned_again,
    |backend| async move {
        let app = TestApp::start(backend).await;
        staffed(&app, "city", None).await;
        let mut ed = app.login("editor@city.cn").await;
        let mut rev = app.login("reviewer@city.cn").await;
        let node = node_id(&ed, "city", "GZDT").await;
        let item = ed
            .post(
                "/api/v1/tenants/city/items",
                json!({"node_id": node, "kind": "news", "title": "名单公示",
                       "body": format!("咨询电话 {MOBILE}")}),
            )
            .await
            .expect(StatusCode::CREATED);
        let id = item["id"].as_str().unwrap().to_string();
        let first = upload(
            &ed,
            "city",
            &id,
            "a.txt",
            format!("证件 {ID_NUMBER}").into_bytes(),
        )
        .await
        .body;
        let first = first["id"].as_str().unwrap().to_string();
        let submitted = ed
            .post(&path("city", &id, "/submit"), json!({}))
            .await
            .expect(StatusCode::OK);
        assert_eq!(submitted["unresolved_findings"], 2, "{submitted}");
        rev.post(
            &path("city", &id, "/decisions"),
            json!({"step": 0, "verdict": "reject", "comments": "附件请脱敏后重新上传"}),
        )
        .await
        .expect(StatusCode::OK);
        // The editor replaces the attachment in the same version, masked but for a phone
        // number left in it; the scan reads the new file.
        ed.delete(&attachment_path("city", &id, &first))
            .await
            .expect(StatusCode::NO_CONTENT);
        let second = upload(
            &ed,
            "city",
            &id,
            "a.txt",
            format!("证件 11***************X，电话 {MOBILE}").into_bytes(),
        )
        .await
        .body;
        let second = second["id"].as_str().unwrap().to_string();
        let again = ed
            .post(&path("city", &id, "/submit"), json!({}))
            .await
            .expect(StatusCode::OK);
        assert_eq!(again["version"], 1);
        let findings = rev
            .get(&path("city", &id, "/findings"))
            .await
            .expect(StatusCode::OK);
        assert!(findings_on(&findings, &first).is_empty(), "{findings}");
        assert_eq!(
            findings_on(&findings, &second),
            vec![("mobile".to_string(), MOBILE.to_string())],
            "{findings}"
        );
        assert_eq!(findings.as_array().unwrap().len(), 2, "{findings}");
    }
);

both_backends!(catalog_nodes_move, |backend| async move {
    let app = TestApp::start(backend).await;
    staffed(&app, "city", None).await;
    staffed(&app, "town", None).await;
    let mut admin = app.login("tenant_admin@city.cn").await;
    let mut ed = app.login("editor@city.cn").await;
    let town_admin = app.login("tenant_admin@town.cn").await;
    let fgwj = node_id(&ed, "city", "FGWJ").await;
    let gz = node_id(&ed, "city", "FGWJ-GZ").await;
    let gzdt = node_id(&ed, "city", "GZDT").await;
    let town_node = node_id(&town_admin, "town", "GZDT").await;
    let node_path = |id: &str| format!("/api/v1/tenants/city/catalog/{id}");

    // A published item in FGWJ-GZ.
    let mut apr = app.login("approver@city.cn").await;
    admin
        .put(
            &format!("{}/review-chain", node_path(&gz)),
            Some(one_step()),
        )
        .await
        .expect(StatusCode::OK);
    let item = ed
        .post(
            "/api/v1/tenants/city/items",
            json!({"node_id": gz, "kind": "news", "title": "规章清理结果"}),
        )
        .await
        .expect(StatusCode::CREATED);
    let id = item["id"].as_str().unwrap().to_string();
    ed.post(&path("city", &id, "/submit"), json!({}))
        .await
        .expect(StatusCode::OK);
    sign(&mut apr, "city", &id).await;
    ed.post(&path("city", &id, "/publish"), json!({}))
        .await
        .expect(StatusCode::OK);

    // Refused: under itself, under its own child, under an unknown node or another
    // tenant's; each names the field.
    for parent in [fgwj.as_str(), gz.as_str(), "nope", town_node.as_str()] {
        let refused = admin
            .patch(&node_path(&fgwj), json!({"parent_id": parent}))
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(refused["errors"][0]["field"], "parent_id", "{refused}");
    }
    admin
        .patch(&node_path(&town_node), json!({"parent_id": null}))
        .await
        .expect(StatusCode::NOT_FOUND);
    ed.patch(&node_path(&gz), json!({"parent_id": gzdt}))
        .await
        .expect(StatusCode::FORBIDDEN);

    // FGWJ-GZ moves under GZDT with its item; the portal follows.
    let moved = admin
        .patch(&node_path(&gz), json!({"parent_id": gzdt}))
        .await
        .expect(StatusCode::OK);
    assert_eq!(moved["parent_id"], gzdt.as_str());
    assert_eq!(moved["code"], "FGWJ-GZ");
    let staff = ed.get(&path("city", &id, "")).await.expect(StatusCode::OK);
    assert_eq!(staff["node_id"], gz.as_str());
    let anon = app.anonymous();
    let under = |code: &'static str| {
        let anon = anon.clone();
        async move {
            anon.get(&format!("/api/v1/public/city/items?catalog={code}"))
                .await
                .expect(StatusCode::OK)["total"]
                .as_i64()
                .unwrap()
        }
    };
    assert_eq!(under("GZDT").await, 1);
    assert_eq!(under("FGWJ").await, 0);
    let catalog = anon
        .get("/api/v1/public/city/catalog")
        .await
        .expect(StatusCode::OK);
    let public_gz = catalog
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == gz.as_str())
        .unwrap()
        .clone();
    assert_eq!(public_gz["parent_id"], gzdt.as_str());
    // GZDT cannot now move under FGWJ-GZ, its child.
    let refused = admin
        .patch(&node_path(&gzdt), json!({"parent_id": gz}))
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused["errors"][0]["field"], "parent_id");

    // Renaming leaves the parent alone (absent is not null); null moves to the top.
    let renamed = admin
        .patch(&node_path(&gz), json!({"name": "政府规章"}))
        .await
        .expect(StatusCode::OK);
    assert_eq!(renamed["parent_id"], gzdt.as_str());
    let top = admin
        .patch(&node_path(&gz), json!({"parent_id": null, "position": 3}))
        .await
        .expect(StatusCode::OK);
    assert!(top["parent_id"].is_null(), "{top}");
    assert_eq!(top["name"], "政府规章");
    assert_eq!(top["position"], 3);
    assert_eq!(under("GZDT").await, 0);
    assert_eq!(under("FGWJ-GZ").await, 1);

    let log = admin
        .get("/api/v1/tenants/city/audit?limit=500")
        .await
        .expect(StatusCode::OK);
    let moves = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "catalog.move")
        .count();
    assert_eq!(moves, 2, "{log}");
    let verified = admin.get("/api/v1/tenants/city/audit/verify").await;
    assert_eq!(verified.status, StatusCode::OK, "{}", verified.body);
});

/// The peak resident memory of this process (the server runs in it), in MiB.
fn peak_rss_mib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace()
        .nth(1)
        .unwrap()
        .parse::<u64>()
        .unwrap()
        / 1024
}

both_backends!(
    decompression_bombs_are_unreadable_findings,
    |backend| async move {
        let app = TestApp::start(backend).await;
        let (mut ed, node) = quick_tenant(&app, "city").await;
        let mut apr = app.login("approver@city.cn").await;
        let rev = app.login("reviewer@city.cn").await;
        let item = ed
            .post(
                "/api/v1/tenants/city/items",
                json!({"node_id": node, "kind": "news", "title": "年度报告"}),
            )
            .await
            .expect(StatusCode::CREATED);
        let id = item["id"].as_str().unwrap().to_string();
        // 4 GiB of page content in a few MiB of PDF; 1 GiB of body in a DOCX.
        let pdf = upload(&ed, "city", &id, "报告.pdf", pdf_bomb(4096)).await;
        assert_eq!(pdf.status, StatusCode::CREATED, "{}", pdf.body);
        let pdf_id = pdf.body["id"].as_str().unwrap().to_string();
        let docx = upload(&ed, "city", &id, "报告.docx", docx_bomb(1024)).await;
        assert_eq!(docx.status, StatusCode::CREATED, "{}", docx.body);
        let docx_id = docx.body["id"].as_str().unwrap().to_string();

        let before = peak_rss_mib();
        let started = std::time::Instant::now();
        let submitted = ed
            .post(&path("city", &id, "/submit"), json!({}))
            .await
            .expect(StatusCode::OK);
        // The server never held the inflated bytes, and answered within the time budget.
        let grown = peak_rss_mib().saturating_sub(before);
        assert!(grown < 512, "the server's memory grew by {grown} MiB");
        assert!(started.elapsed() < std::time::Duration::from_secs(45));
        assert_eq!(submitted["unresolved_findings"], 2, "{submitted}");
        let findings = rev
            .get(&path("city", &id, "/findings"))
            .await
            .expect(StatusCode::OK);
        for attachment in [&pdf_id, &docx_id] {
            let on = findings_on(&findings, attachment);
            assert_eq!(on.len(), 1, "{findings}");
            assert_eq!(on[0].0, "unreadable", "{findings}");
        }
        // It stays up for everyone, and the signature waits for a reviewer.
        ed.get(&path("city", &id, "")).await.expect(StatusCode::OK);
        apr.post(
            &path("city", &id, "/decisions"),
            json!({"step": 0, "verdict": "approve"}),
        )
        .await
        .expect(StatusCode::CONFLICT);
    }
);

both_backends!(every_attachment_is_scanned_or_held, |backend| async move {
    let app = TestApp::start(backend).await;
    let (mut ed, node) = quick_tenant(&app, "city").await;
    let mut apr = app.login("approver@city.cn").await;
    let rev = app.login("reviewer@city.cn").await;
    let item = ed
        .post(
            "/api/v1/tenants/city/items",
            json!({"node_id": node, "kind": "news", "title": "补贴名单"}),
        )
        .await
        .expect(StatusCode::CREATED);
    let id = item["id"].as_str().unwrap().to_string();
    let mut ids = Vec::new();
    for (name, bytes, media_type) in [
        (
            "名单.xlsx",
            xlsx_with_cells(&["姓名", "王五", ID_NUMBER]),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "通知.odt",
            odt_with_paragraphs(&["联系人王五", &format!("电话{MOBILE}")]),
            "application/vnd.oasis.opendocument.text",
        ),
        (
            "照片.png",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0".to_vec(),
            "image/png",
        ),
        (
            "材料.zip",
            zip_package(&[("名单.txt", ID_NUMBER)]),
            "application/zip",
        ),
    ] {
        let up = upload(&ed, "city", &id, name, bytes).await;
        assert_eq!(up.status, StatusCode::CREATED, "{}", up.body);
        assert_eq!(up.body["media_type"], media_type);
        ids.push(up.body["id"].as_str().unwrap().to_string());
    }
    let submitted = ed
        .post(&path("city", &id, "/submit"), json!({}))
        .await
        .expect(StatusCode::OK);
    assert_eq!(submitted["unresolved_findings"], 4, "{submitted}");
    let findings = rev
        .get(&path("city", &id, "/findings"))
        .await
        .expect(StatusCode::OK);
    let kinds = |i: usize| -> Vec<String> {
        findings_on(&findings, &ids[i])
            .into_iter()
            .map(|(kind, _)| kind)
            .collect()
    };
    assert_eq!(kinds(0), ["resident_id"], "{findings}");
    assert_eq!(kinds(1), ["mobile"], "{findings}");
    // An image and an archive are not read: each waits for a reviewer.
    assert_eq!(kinds(2), ["unscanned"], "{findings}");
    assert_eq!(kinds(3), ["unscanned"], "{findings}");
    let blocked = apr
        .post(
            &path("city", &id, "/decisions"),
            json!({"step": 0, "verdict": "approve"}),
        )
        .await
        .expect(StatusCode::CONFLICT);
    assert!(blocked.to_string().contains("4 scan finding"), "{blocked}");
});

both_backends!(
    signed_resolutions_cannot_be_reversed_quietly,
    |backend| async move {
        let app = TestApp::start(backend).await;
        let city = staffed(&app, "city", None).await;
        app.add_member(&city, "rev2@city.cn", "reviewer").await;
        let mut rev2 = app.login("rev2@city.cn").await;
        let mut ed = app.login("editor@city.cn").await;
        let mut rev = app.login("reviewer@city.cn").await;
        let mut apr = app.login("approver@city.cn").await;
        let node = node_id(&ed, "city", "FGWJ-GFXWJ").await;
        let item = ed
            .post("/api/v1/tenants/city/items", policy(&node))
            .await
            .expect(StatusCode::CREATED);
        let id = item["id"].as_str().unwrap().to_string();
        ed.post(&path("city", &id, "/submit"), json!({}))
            .await
            .expect(StatusCode::OK);
        let findings = rev
            .get(&path("city", &id, "/findings"))
            .await
            .expect(StatusCode::OK);
        redact_all(&mut rev, "city", &id, &findings).await;
        let decide = |step: usize| json!({"step": step, "verdict": "approve"});
        rev.post(&path("city", &id, "/decisions"), decide(0))
            .await
            .expect(StatusCode::OK);
        let approved = apr
            .post(&path("city", &id, "/decisions"), decide(1))
            .await
            .expect(StatusCode::OK);
        assert_eq!(approved["stage"], "approved");

        // After the last signature, the resolver cannot turn a redaction into a keep ...
        let fid = findings[0]["id"].as_str().unwrap();
        let finding = path("city", &id, &format!("/findings/{fid}"));
        rev.post(&finding, json!({"resolution": "keep", "reason": "公开"}))
            .await
            .expect(StatusCode::FORBIDDEN);
        // ... nor anyone else without a reason ...
        rev2.post(&finding, json!({"resolution": "redact"}))
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        // ... and a second person's change, with a reason, sends the version back to review.
        rev2.post(
            &finding,
            json!({"resolution": "keep", "reason": "已获本人同意公开"}),
        )
        .await
        .expect(StatusCode::OK);
        let item = ed.get(&path("city", &id, "")).await.expect(StatusCode::OK);
        assert_eq!(item["stage"], "in_review", "{item}");
        assert_eq!(item["pending_step"], 0, "{item}");
        ed.post(&path("city", &id, "/publish"), json!({}))
            .await
            .expect(StatusCode::CONFLICT);
        // The chain signs again, this time over the changed resolution.
        rev.post(&path("city", &id, "/decisions"), decide(0))
            .await
            .expect(StatusCode::OK);
        apr.post(&path("city", &id, "/decisions"), decide(1))
            .await
            .expect(StatusCode::OK);
        ed.post(&path("city", &id, "/publish"), json!({}))
            .await
            .expect(StatusCode::OK);
    }
);

both_backends!(concurrent_moves_cannot_make_a_cycle, |backend| async move {
    let app = TestApp::start(backend).await;
    staffed(&app, "city", None).await;
    let admin = app.login("tenant_admin@city.cn").await;
    let x = node_id(&admin, "city", "FGWJ").await;
    let y = node_id(&admin, "city", "GZDT").await;
    let node_path = |id: &str| format!("/api/v1/tenants/city/catalog/{id}");
    for _ in 0..10 {
        for id in [&x, &y] {
            admin
                .clone()
                .patch(&node_path(id), json!({"parent_id": null}))
                .await
                .expect(StatusCode::OK);
        }
        // X under Y and Y under X at once: at most one may succeed.
        let (mut a1, mut a2) = (admin.clone(), admin.clone());
        let (px, py) = (node_path(&x), node_path(&y));
        let (r1, r2) = tokio::join!(
            a1.patch(&px, json!({"parent_id": y})),
            a2.patch(&py, json!({"parent_id": x})),
        );
        let ok = [&r1, &r2]
            .iter()
            .filter(|r| r.status == StatusCode::OK)
            .count();
        assert!(ok <= 1, "both moves passed: {} / {}", r1.body, r2.body);
        // The tree has no cycle: the public list of either subtree answers.
        for code in ["FGWJ", "GZDT"] {
            app.anonymous()
                .get(&format!("/api/v1/public/city/items?catalog={code}"))
                .await
                .expect(StatusCode::OK);
        }
    }
});
