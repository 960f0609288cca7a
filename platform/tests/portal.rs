//! The public portal over HTTP, on both backends: every page's status (200/404/410),
//! security headers, revalidation (304), another tenant's items never reachable, the
//! request form keeping values and making one request for a double submit, tracking
//! that tells a wrong code from an unknown number by nothing, the lookup limit's 429
//! page, languages, and custom host names.

mod common;

use common::pages::*;
use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const ID_NUMBER: &str = "11010519491231002X";

/// A tenant whose GZDT node publishes after one review step (the reviewer's), and its
/// editor.
async fn tenant(app: &TestApp, slug: &str) -> (Client, String) {
    app.staffed(slug, None, &["editor", "reviewer", "tenant_admin"])
        .await;
    let mut admin = app.login(&format!("tenant_admin@{slug}.cn")).await;
    let ed = app.login(&format!("editor@{slug}.cn")).await;
    let nodes = ed
        .get(&format!("/api/v1/tenants/{slug}/catalog"))
        .await
        .expect(StatusCode::OK);
    let node = nodes
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["code"] == "GZDT")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    admin
        .put(
            &format!("/api/v1/tenants/{slug}/catalog/{node}/review-chain"),
            Some(json!([{"name": "保密审查", "role": "reviewer"}])),
        )
        .await
        .expect(StatusCode::OK);
    (ed, node)
}

/// Creates an item; publishes it (masking every finding) when asked. Returns its id.
async fn item(
    app: &TestApp,
    ed: &mut Client,
    slug: &str,
    node: &str,
    title: &str,
    body: &str,
    publish: bool,
) -> String {
    let created = ed
        .post(
            &format!("/api/v1/tenants/{slug}/items"),
            json!({"node_id": node, "kind": "news", "title": title, "body": body}),
        )
        .await
        .expect(StatusCode::CREATED);
    let id = created["id"].as_str().unwrap().to_string();
    if !publish {
        return id;
    }
    let base = format!("/api/v1/tenants/{slug}/items/{id}");
    ed.post(&format!("{base}/submit"), json!({}))
        .await
        .expect(StatusCode::OK);
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
    id
}

both_backends!(pages_statuses_headers_and_isolation, |backend| async move {
    let app = TestApp::start(backend).await;
    let (mut ed, node) = tenant(&app, "city").await;
    let body = format!("会议通报了工作情况。联系人身份证 {ID_NUMBER}。");
    let id = item(
        &app,
        &mut ed,
        "city",
        &node,
        "市政府召开政务公开推进会",
        &body,
        true,
    )
    .await;

    // Home, with the security headers every page carries.
    let home = get(&app, "/city/").await.expect(StatusCode::OK);
    assert!(home.text.contains("city测试单位"), "{}", home.text);
    assert!(home.text.contains("<html lang=\"zh-CN\""));
    assert!(home.text.contains("市政府召开政务公开推进会"));
    let csp = home.header("content-security-policy");
    assert!(
        csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(home.header("x-content-type-options"), "nosniff");
    assert!(!home.header("referrer-policy").is_empty());
    assert!(!home.text.contains("<script>") && !home.text.contains(" style=\""));
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let moved = no_redirects.get(app.url("/city")).send().await.unwrap();
    assert_eq!(moved.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(moved.headers()["location"], "/city/");

    // The item page: masked, never the ID number; revalidation answers 304.
    let path = format!("/city/items/{id}");
    let p = get(&app, &path).await.expect(StatusCode::OK);
    assert!(p.text.contains("市政府召开政务公开推进会"));
    assert!(!p.text.contains(ID_NUMBER), "the ID number leaked");
    let etag = p.header("etag").to_string();
    assert!(etag.starts_with("W/\""), "{etag}");
    assert!(!p.header("last-modified").is_empty());
    let again = page(&app, Method::GET, &path, &[("if-none-match", &etag)], None).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.text.is_empty());
    let since = p.header("last-modified").to_string();
    let by_date = page(
        &app,
        Method::GET,
        &path,
        &[("if-modified-since", &since)],
        None,
    )
    .await;
    assert_eq!(by_date.status, StatusCode::NOT_MODIFIED);
    let list = get(&app, "/city/catalog/GZDT").await.expect(StatusCode::OK);
    let list_etag = list.header("etag").to_string();
    assert_eq!(
        page(
            &app,
            Method::GET,
            "/city/catalog/GZDT",
            &[("if-none-match", &list_etag)],
            None
        )
        .await
        .status,
        StatusCode::NOT_MODIFIED
    );

    // Every page of the column, and the helpful 404s.
    for ok in [
        "/city/catalog",
        "/city/guide",
        "/city/rules",
        "/city/reports",
        "/city/apply",
        "/city/track",
        "/",
        "/city/search?q=%E6%8E%A8%E8%BF%9B",
    ] {
        let p = get(&app, ok).await;
        assert_eq!(p.status, StatusCode::OK, "{ok}: {}", p.text);
        assert!(
            p.header("content-security-policy")
                .contains("default-src 'self'"),
            "{ok}"
        );
    }
    assert!(get(&app, "/city/search?q=%E6%8E%A8%E8%BF%9B")
        .await
        .text
        .contains(&id));
    for missing in [
        "/nowhere/",
        "/city/catalog/NOPE",
        "/city/catalog/GZDT?page=99",
        "/city/catalog?page=abc",
        "/city/items/00000000-0000-7000-8000-00000000abcd",
        "/city/items/not-an-id",
        "/no/such/page/at/all",
    ] {
        let p = get(&app, missing).await;
        assert_eq!(p.status, StatusCode::NOT_FOUND, "{missing}");
        assert!(p.text.contains("页面不存在"), "{missing}: {}", p.text);
        assert!(
            p.header("content-type").starts_with("text/html"),
            "{missing}"
        );
    }
    // The API keeps its problem details.
    let api = get(&app, "/api/v1/nothing").await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert!(api.header("content-type").contains("problem+json"));

    // Another tenant's items: a draft and a published one, never through city's pages.
    let (mut other_ed, other_node) = tenant(&app, "other").await;
    let draft = item(
        &app,
        &mut other_ed,
        "other",
        &other_node,
        "他人草稿",
        "草稿正文内容",
        false,
    )
    .await;
    let theirs = item(
        &app,
        &mut other_ed,
        "other",
        &other_node,
        "他人已公开",
        "公开正文内容",
        true,
    )
    .await;
    for path in [
        format!("/other/items/{draft}"),
        format!("/city/items/{draft}"),
        format!("/city/items/{theirs}"),
    ] {
        let p = get(&app, &path).await;
        assert_eq!(p.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!p.text.contains("他人"), "{path}");
    }
    assert_eq!(
        get(&app, &format!("/other/items/{theirs}")).await.status,
        StatusCode::OK
    );
    let search = get(&app, "/city/search?q=%E4%BB%96%E4%BA%BA")
        .await
        .expect(StatusCode::OK);
    assert!(search.text.contains("共 0 条") || !search.text.contains("他人已公开"));
    assert!(!search.text.contains("他人已公开") && !search.text.contains("他人草稿"));
    assert!(!get(&app, "/city/catalog").await.text.contains("他人"));

    // Repealed: 410 with the notice. Withdrawn: 404 at once.
    let gone = item(&app, &mut ed, "city", &node, "已废止的通知", "正文", true).await;
    ed.post(
        &format!("/api/v1/tenants/city/items/{gone}/repeal"),
        json!({}),
    )
    .await
    .expect(StatusCode::OK);
    let p = get(&app, &format!("/city/items/{gone}"))
        .await
        .expect(StatusCode::GONE);
    assert!(p.text.contains("本文件已废止"));
    // With the day it was repealed (China time), in the notice and beside the validity.
    let today = app.state.clock.today().to_string();
    assert_eq!(
        p.text.matches(&format!("（{today}废止）")).count(),
        2,
        "{}",
        p.text
    );
    ed.post(
        &format!("/api/v1/tenants/city/items/{id}/withdraw"),
        json!({"reason": "内容有误"}),
    )
    .await
    .expect(StatusCode::OK);
    let p = get(&app, &format!("/city/items/{id}"))
        .await
        .expect(StatusCode::NOT_FOUND);
    assert!(!p.text.contains("市政府召开政务公开推进会"));

    // Languages: query (remembered in a cookie), Accept-Language.
    let en = get(&app, "/city/?lang=en").await.expect(StatusCode::OK);
    assert!(en.text.contains("<html lang=\"en\""));
    assert!(en.text.contains("Request online"));
    assert_eq!(set_cookie(&en, "lang"), "lang=en");
    let by_header = page(
        &app,
        Method::GET,
        "/city/guide",
        &[("accept-language", "en-US,en;q=0.9")],
        None,
    )
    .await;
    assert!(by_header.text.contains("Disclosure guide"));
    let by_cookie = page(
        &app,
        Method::GET,
        "/nowhere/",
        &[("cookie", "lang=en")],
        None,
    )
    .await;
    assert!(by_cookie.text.contains("Page not found"));
});

both_backends!(request_form_and_tracking, |backend| async move {
    let app = TestApp::start(backend).await;
    app.staffed("city", None, &["request_officer"]).await;

    let form = get(&app, "/city/apply").await.expect(StatusCode::OK);
    let cookie = set_cookie(&form, "gk-form");
    let token = form.hidden("token");
    let key = form.hidden("idempotency_key");
    let mut fields = vec![
        ("token", token.as_str()),
        ("idempotency_key", key.as_str()),
        ("applicant_type", "person"),
        ("name", "李四<b>"),
        ("id_type", "resident_id"),
        ("id_number", "110105194912310021"),
        ("phone", "13812345678"),
        ("description", "请公开2026年本市公共租赁住房分配结果"),
        ("delivery_method", "online"),
        ("delivery_form", "electronic"),
    ];
    let headers = [("cookie", cookie.as_str())];

    // Without the cookie (a cross-site post): refused, values kept.
    let forged = page(&app, Method::POST, "/city/apply", &[], Some(&fields)).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(forged.text.contains("请公开2026年本市公共租赁住房分配结果"));

    // A wrong ID number: the form again, the error beside the field, every value kept
    // (escaped).
    let wrong = page(&app, Method::POST, "/city/apply", &headers, Some(&fields)).await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        wrong.text
    );
    assert!(
        wrong.text.contains("id=\"err-id_number\""),
        "{}",
        wrong.text
    );
    assert!(wrong.text.contains("aria-invalid=\"true\""));
    assert!(
        wrong.text.contains("value=\"李四&lt;b&gt;\""),
        "{}",
        wrong.text
    );
    assert!(wrong.text.contains("value=\"110105194912310021\""));
    assert!(wrong.text.contains("请公开2026年本市公共租赁住房分配结果"));
    assert_eq!(wrong.hidden("idempotency_key"), key);
    // An oversized field: the same, nothing lost.
    let long = "长".repeat(150);
    let mut oversized = fields.clone();
    oversized[3] = ("name", long.as_str());
    let p = page(
        &app,
        Method::POST,
        "/city/apply",
        &headers,
        Some(&oversized),
    )
    .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(p.text.contains("id=\"err-name\"") && p.text.contains(&long));

    // Corrected: a receipt. Submitted twice (double click): the same request.
    fields[5] = ("id_number", ID_NUMBER);
    let receipt = page(&app, Method::POST, "/city/apply", &headers, Some(&fields))
        .await
        .expect(StatusCode::OK);
    assert_eq!(receipt.header("cache-control"), "no-store");
    let number = between(&receipt.text, "id=\"tracking-number\">", "<");
    let code = between(&receipt.text, "id=\"access-code\">", "<");
    let twice = page(&app, Method::POST, "/city/apply", &headers, Some(&fields))
        .await
        .expect(StatusCode::OK);
    assert_eq!(between(&twice.text, "id=\"tracking-number\">", "<"), number);
    let officer = app.login("request_officer@city.cn").await;
    let listed = officer
        .get("/api/v1/tenants/city/requests")
        .await
        .expect(StatusCode::OK);
    assert_eq!(count(&listed), 1, "{listed}");

    // Tracking: the status page; a wrong code and an unknown number look the same.
    let track = page(&app, Method::GET, "/city/track", &headers, None)
        .await
        .expect(StatusCode::OK);
    let token = track.hidden("token");
    let lookup = |number: String, code: String| {
        let (token, cookie) = (token.clone(), cookie.clone());
        let app = &app;
        async move {
            page(
                app,
                Method::POST,
                "/city/track",
                &[("cookie", cookie.as_str())],
                Some(&[
                    ("token", token.as_str()),
                    ("number", number.as_str()),
                    ("code", code.as_str()),
                ]),
            )
            .await
        }
    };
    let found = lookup(number.clone(), code.clone())
        .await
        .expect(StatusCode::OK);
    assert!(
        found.text.contains(&number) && found.text.contains("已接收"),
        "{}",
        found.text
    );
    assert!(found.text.contains("救济途径"));
    let wrong_code = lookup(number.clone(), "WRONGCODE1".into()).await;
    let unknown = lookup("2099-999999".into(), "WRONGCODE1".into()).await;
    assert_eq!(wrong_code.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.status, wrong_code.status);
    let strip = |p: &Page, number: &str| p.text.replace(number, "N");
    assert_eq!(strip(&wrong_code, &number), strip(&unknown, "2099-999999"));

    // Guessing codes: the per-address limit answers with a readable 429 page.
    let mut limited = None;
    for _ in 0..12 {
        let p = lookup(number.clone(), "GUESS".into()).await;
        if p.status == StatusCode::TOO_MANY_REQUESTS {
            limited = Some(p);
            break;
        }
    }
    let limited = limited.expect("the lookups were limited");
    assert!(limited.text.contains("操作过于频繁"));
    assert!(!limited.header("retry-after").is_empty());
});

both_backends!(
    custom_host_names_serve_a_portal_at_root,
    |backend| async move {
        let app = TestApp::start(backend).await;
        app.staffed("city", None, &["tenant_admin"]).await;
        app.create_tenant("town", Some("city")).await;
        let mut admin = app.login("tenant_admin@city.cn").await;
        let settings = admin
        .put(
            "/api/v1/tenants/city/portal/settings",
            Some(json!({"hosts": ["GK.City.example.cn"], "phone": "0000-12345678", "icp": "示ICP备00000000号",
                        "site_code": "0000000001"})),
        )
        .await
        .expect(StatusCode::OK);
        assert_eq!(settings["hosts"], json!(["gk.city.example.cn"]));
        let bad = admin
            .put(
                "/api/v1/tenants/city/portal/settings",
                Some(json!({"hosts": ["not a host"]})),
            )
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(error_fields(&bad), vec!["hosts"]);

        let hosted = page(
            &app,
            Method::GET,
            "/",
            &[("host", "gk.city.example.cn")],
            None,
        )
        .await
        .expect(StatusCode::OK);
        assert!(hosted.text.contains("city测试单位") && hosted.text.contains("0000-12345678"));
        assert!(hosted.text.contains("示ICP备00000000号") && hosted.text.contains("0000000001"));
        assert!(
            hosted.text.contains("href=\"/town/\""),
            "children are linked"
        );
        let index = page(
            &app,
            Method::GET,
            "/",
            &[("host", "unknown.example.cn")],
            None,
        )
        .await
        .expect(StatusCode::OK);
        assert!(index.text.contains("href=\"/city/\"") && index.text.contains("href=\"/town/\""));
        let town = get(&app, "/town/").await.expect(StatusCode::OK);
        assert!(town.text.contains("href=\"/city/\""), "the parent is named");

        // The guide: a default made from the settings, then a saved version with its date.
        let guide = get(&app, "/city/guide").await.expect(StatusCode::OK);
        assert!(guide.text.contains("0000-12345678"));
        admin
            .post(
                "/api/v1/tenants/city/portal/pages/guide",
                json!({"body": "## 本机关指南\n\n<script>x</script>"}),
            )
            .await
            .expect(StatusCode::CREATED);
        let guide = get(&app, "/city/guide").await.expect(StatusCode::OK);
        assert!(guide.text.contains("本机关指南") && guide.text.contains("最后更新"));
        assert!(
            !guide.text.contains("<script>x"),
            "raw HTML is shown as text"
        );
        let anon = app.anonymous();
        assert_eq!(
            anon.request(
                Method::POST,
                "/api/v1/tenants/city/portal/pages/guide",
                Some(json!({"body": "x"}))
            )
            .await
            .status,
            StatusCode::UNAUTHORIZED
        );

        // Kiosk mode: the idle timer's script and settings, no feed links.
        let kiosk = get(&app, "/city/?kiosk=1").await.expect(StatusCode::OK);
        assert!(kiosk.text.contains("kiosk.js") && kiosk.text.contains("gk-idle-seconds"));
        assert!(!kiosk.text.contains("feed.atom"));
        let js = get(&app, "/static/kiosk.js").await.expect(StatusCode::OK);
        assert!(js.header("content-type").starts_with("text/javascript"));
    }
);

fn count(list: &Value) -> usize {
    list.as_array()
        .or_else(|| list["items"].as_array())
        .map_or(0, Vec::len)
}
