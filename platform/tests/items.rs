//! Proactive disclosure through the API, on both backends: the lifecycle end to end,
//! refused transitions, stale edits, field validation, self-approval, index numbers under
//! concurrency, the scheduled job and isolation.

mod common;

use common::*;
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
    let t = app.create_tenant(slug, parent).await;
    for role in ["editor", "reviewer", "approver", "tenant_admin"] {
        app.add_member(&t, &format!("{role}@{slug}.cn"), role).await;
    }
    t
}

fn path(slug: &str, id: &str, action: &str) -> String {
    format!("/api/v1/tenants/{slug}/items/{id}{action}")
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
    let approved = apr
        .post(
            &path("city", &id, "/decisions"),
            json!({"step": 1, "verdict": "approve", "version": 2}),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(approved["stage"], "approved");

    // Unresolved findings block publication.
    let blocked = ed
        .post(&path("city", &id, "/publish"), json!({}))
        .await
        .expect(StatusCode::CONFLICT);
    assert_eq!(blocked["current_state"], "approved");
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
    let mut admin = app.login("admin@city.cn").await;
    let mut ed = app.login("editor@city.cn").await;
    let node = node_id(&ed, "city", "GZDT").await;
    // This node has no review chain: submit approves at once.
    admin
        .put(
            &format!("/api/v1/tenants/city/catalog/{node}/review-chain"),
            Some(json!([])),
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
    let approved = ed
        .post(&path("city", id, "/submit"), json!({}))
        .await
        .expect(StatusCode::OK);
    assert_eq!(approved["stage"], "approved");
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

    gongkai::disclosure::scheduler::spawn(app.state.clone());
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
        gongkai::disclosure::scheduler::run_due(&app.state)
            .await
            .unwrap(),
        0
    );
});

both_backends!(no_item_crosses_tenants, |backend| async move {
    let app = TestApp::start(backend).await;
    let city = app.create_tenant("city", None).await;
    staffed(&app, "edu", Some("city")).await;
    staffed(&app, "env", Some("city")).await;
    staffed(&app, "school", Some("edu")).await;
    let _ = city;
    let edu = gongkai::tenancy::store::by_slug(&app.state.db, "edu")
        .await
        .unwrap()
        .unwrap();
    app.add_member(&edu, "overseer@edu.cn", "overseer").await;

    // One published item in env and one in school, each with an empty chain.
    let mut ids = std::collections::HashMap::new();
    for slug in ["env", "school"] {
        let mut admin = app.login(&format!("tenant_admin@{slug}.cn")).await;
        let mut ed = app.login(&format!("editor@{slug}.cn")).await;
        let node = node_id(&ed, slug, "GZDT").await;
        admin
            .put(
                &format!("/api/v1/tenants/{slug}/catalog/{node}/review-chain"),
                Some(json!([])),
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
    overseer
        .get("/api/v1/tenants/edu/items/overdue")
        .await
        .expect(StatusCode::OK);
});
