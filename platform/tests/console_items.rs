//! The console's items section and review inbox over HTTP, on both backends. First the
//! refusals: each page refuses a user without the permission of the API route it
//! mirrors, a form without the session's CSRF token, and another agency's item reached
//! by changing ids in addresses or forms. Then the work: a form's problems beside the
//! fields with the values kept (the kind's and a plugin's), a stale edit said and both
//! versions shown, a return without a reason refused, the author unable to approve
//! their own item (and told why), and an item through review to publication, masked.

mod common;

use std::path::PathBuf;
use std::sync::OnceLock;

use common::browser::*;
use common::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

/// A valid resident ID number (GB 11643 check digit X).
const ID_NUMBER: &str = "11010519491231002X";

/// The id of the first catalog node of `slug`.
async fn a_node(client: &Client, slug: &str) -> String {
    let nodes = client
        .get(&format!("/api/v1/tenants/{slug}/catalog"))
        .await
        .expect(StatusCode::OK);
    nodes[0]["id"].as_str().unwrap().to_string()
}

/// A draft notice made through the API; its id.
async fn api_item(client: &mut Client, slug: &str, title: &str, body: &str) -> String {
    let node = a_node(client, slug).await;
    let made = client
        .post(
            &format!("/api/v1/tenants/{slug}/items"),
            json!({"node_id": node, "kind": "notice", "title": title, "body": body}),
        )
        .await
        .expect(StatusCode::CREATED);
    made["id"].as_str().unwrap().to_string()
}

/// The item id in a `303` to `/console/{slug}/items/{id}`.
fn created_id(page: &Page) -> String {
    page.location.rsplit('/').next().unwrap().to_string()
}

both_backends!(
    items_and_review_pages_refuse_without_permission_csrf_and_across_agencies,
    |backend| async move {
        let app = TestApp::start(backend).await;
        let city = app
            .staffed(
                "city",
                None,
                &["editor", "reviewer", "request_officer", "approver"],
            )
            .await;
        app.staffed("town", None, &["editor", "reviewer"]).await;
        let _ = city;

        // A request officer holds no item permission: no section, every page refused.
        let mut officer = Browser::signed_in(&app, "request_officer@city.cn").await;
        let desk = officer.get("/console/city/").await.expect(StatusCode::OK);
        assert!(!desk.text.contains("/console/city/items\""));
        assert!(!desk.text.contains("/console/city/review\""));
        for path in [
            "/console/city/items",
            "/console/city/items/new",
            "/console/city/review",
        ] {
            let refused = officer.get(path).await.expect(StatusCode::FORBIDDEN);
            assert!(refused.text.contains("没有权限"), "{path}");
        }
        let csrf = officer.csrf("/console/account").await;
        officer
            .post(
                "/console/city/items/new",
                &[("csrf", &csrf), ("kind", "notice"), ("title", "x")],
            )
            .await
            .expect(StatusCode::FORBIDDEN);

        // A reviewer reads items but may not write: the list without "new", the
        // editor refused; the sections are in the navigation by the route table.
        let mut reviewer = Browser::signed_in(&app, "reviewer@city.cn").await;
        let desk = reviewer.get("/console/city/").await.expect(StatusCode::OK);
        assert!(desk.text.contains("href=\"/console/city/items\""));
        assert!(desk.text.contains("href=\"/console/city/review\""));
        let list = reviewer
            .get("/console/city/items")
            .await
            .expect(StatusCode::OK);
        assert!(!list.text.contains("/console/city/items/new"));
        reviewer
            .get("/console/city/items/new")
            .await
            .expect(StatusCode::FORBIDDEN);

        // Forms without the session's token: 403, nothing made.
        let mut editor = Browser::signed_in(&app, "editor@city.cn").await;
        editor
            .post(
                "/console/city/items/new",
                &[("kind", "notice"), ("title", "无令牌")],
            )
            .await
            .expect(StatusCode::FORBIDDEN);
        editor
            .post(
                "/console/city/items/new",
                &[("csrf", "wrong"), ("kind", "notice"), ("title", "错令牌")],
            )
            .await
            .expect(StatusCode::FORBIDDEN);
        let mut api_editor = app.login("editor@city.cn").await;
        let id = api_item(&mut api_editor, "city", "本单位的通知", "正文").await;
        editor
            .upload(
                &format!("/console/city/items/{id}/attachments"),
                &[],
                ("file", "a.txt", b"no token".to_vec()),
            )
            .await
            .expect(StatusCode::FORBIDDEN);
        // An upload from nobody signed in is refused before its body is read.
        let mut anon = Browser::new(&app);
        anon.upload(
            &format!("/console/city/items/{id}/attachments"),
            &[("csrf", "x")],
            ("file", "a.txt", b"anonymous".to_vec()),
        )
        .await
        .expect(StatusCode::UNAUTHORIZED);
        editor
            .post(&format!("/console/city/items/{id}/submit"), &[])
            .await
            .expect(StatusCode::FORBIDDEN);
        let list = api_editor
            .get("/api/v1/tenants/city/items")
            .await
            .expect(StatusCode::OK);
        assert_eq!(list.as_array().unwrap().len(), 1, "nothing made");
        assert_eq!(list[0]["stage"], "draft", "nothing submitted");

        // Another agency's item through this agency's console: not found, untouched.
        let mut town_editor = app.login("editor@town.cn").await;
        let theirs = api_item(
            &mut town_editor,
            "town",
            "外单位草稿",
            &format!("身份证号 {ID_NUMBER}"),
        )
        .await;
        town_editor
            .post(
                &format!("/api/v1/tenants/town/items/{theirs}/submit"),
                json!({}),
            )
            .await
            .expect(StatusCode::OK);
        let town_reviewer = app.login("reviewer@town.cn").await;
        let found = town_reviewer
            .get(&format!("/api/v1/tenants/town/items/{theirs}/findings"))
            .await
            .expect(StatusCode::OK);
        let finding = found[0]["id"].as_str().unwrap().to_string();
        let csrf = editor.csrf("/console/city/items").await;
        for path in [
            format!("/console/city/items/{theirs}"),
            format!("/console/city/items/{theirs}/edit"),
            format!("/console/city/items/{theirs}/history"),
            format!("/console/city/review/{theirs}"),
        ] {
            editor.get(&path).await.expect(StatusCode::NOT_FOUND);
        }
        for path in [
            format!("/console/city/items/{theirs}/edit"),
            format!("/console/city/items/{theirs}/revise"),
            format!("/console/city/items/{theirs}/withdraw"),
            format!("/console/city/items/{theirs}/attachments/{finding}/remove"),
        ] {
            editor
                .post(
                    &path,
                    &[("csrf", &csrf), ("version", "1"), ("title", "闯入")],
                )
                .await
                .expect(StatusCode::NOT_FOUND);
        }
        editor
            .upload(
                &format!("/console/city/items/{theirs}/attachments"),
                &[("csrf", &csrf)],
                ("file", "a.txt", b"intruder".to_vec()),
            )
            .await
            .expect(StatusCode::NOT_FOUND);
        let mut city_reviewer = Browser::signed_in(&app, "reviewer@city.cn").await;
        let rcsrf = city_reviewer.csrf("/console/city/review").await;
        city_reviewer
            .post(
                &format!("/console/city/items/{theirs}/findings/{finding}"),
                &[("csrf", &rcsrf), ("resolution", "keep"), ("reason", "闯入")],
            )
            .await
            .expect(StatusCode::NOT_FOUND);
        city_reviewer
            .post(
                &format!("/console/city/review/{theirs}/decide"),
                &[
                    ("csrf", &rcsrf),
                    ("verdict", "approve"),
                    ("step", "0"),
                    ("version", "1"),
                ],
            )
            .await
            .expect(StatusCode::NOT_FOUND);
        // A finding of another agency's item through an item of this agency: not found.
        let mine = api_item(&mut api_editor, "city", "本单位另一通知", "正文").await;
        api_editor
            .post(
                &format!("/api/v1/tenants/city/items/{mine}/submit"),
                json!({}),
            )
            .await
            .expect(StatusCode::OK);
        city_reviewer
            .post(
                &format!("/console/city/items/{mine}/findings/{finding}"),
                &[("csrf", &rcsrf), ("resolution", "keep"), ("reason", "闯入")],
            )
            .await
            .expect(StatusCode::NOT_FOUND);
        // Untouched in town.
        let after = town_reviewer
            .get(&format!("/api/v1/tenants/town/items/{theirs}/findings"))
            .await
            .expect(StatusCode::OK);
        assert!(after[0]["resolution"].is_null());
        let item = town_reviewer
            .get(&format!("/api/v1/tenants/town/items/{theirs}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(
            (&item["stage"], &item["title"]),
            (&json!("in_review"), &json!("外单位草稿"))
        );
        // Town's console is not city's editor's to open.
        editor
            .get(&format!("/console/town/items/{theirs}"))
            .await
            .expect(StatusCode::FORBIDDEN);
    }
);

both_backends!(
    an_item_from_form_to_portal_with_its_refusals,
    |backend| async move {
        let app = TestApp::start(backend).await;
        let city = app
            .staffed("city", None, &["editor", "reviewer", "approver"])
            .await;
        // Someone who writes and also reviews: may not review what they wrote.
        app.add_member(&city, "both@city.cn", "editor").await;
        app.add_member(&city, "both@city.cn", "reviewer").await;
        let mut editor = Browser::signed_in(&app, "editor@city.cn").await;
        let api = app.login("editor@city.cn").await;
        let node = a_node(&api, "city").await;

        // The kinds to choose from, then the form of one.
        let choose = editor
            .get("/console/city/items/new")
            .await
            .expect(StatusCode::OK);
        assert!(choose.text.contains("?kind=policy"));
        let form = editor
            .get("/console/city/items/new?kind=policy")
            .await
            .expect(StatusCode::OK);
        assert!(form.text.contains("name=\"f.document_number\""));
        let csrf = form.hidden("csrf");

        // Problems beside the fields, every value kept, nothing made.
        let bad = editor
            .post(
                "/console/city/items/new",
                &[
                    ("csrf", &csrf),
                    ("kind", "policy"),
                    ("node_id", &node),
                    ("title", ""),
                    ("body", "第一条 为了规范……"),
                    ("f.policy_type", "normative"),
                    ("f.document_number", "示政规〔2026〕1号"),
                    ("f.issued_on", "2026-13-40"),
                    ("attribute", "not_disclosed"),
                    ("attribute_reason", ""),
                ],
            )
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        for id in [
            "title-error",
            "f-issued_on-error",
            "f-effective_on-error",
            "legal_ground-error",
        ] {
            assert!(
                bad.text.contains(&format!("id=\"{id}\"")),
                "{id}: {}",
                bad.text
            );
        }
        assert!(bad.text.contains("第一条 为了规范……"));
        assert!(bad.text.contains("value=\"示政规〔2026〕1号\""));
        assert!(bad.text.contains("value=\"2026-13-40\""));
        let none = api
            .get("/api/v1/tenants/city/items")
            .await
            .expect(StatusCode::OK);
        assert!(none.as_array().unwrap().is_empty());

        // A notice, made; then edited on a version someone else moved on.
        let made = editor
            .post(
                "/console/city/items/new",
                &[
                    ("csrf", &csrf),
                    ("kind", "notice"),
                    ("node_id", &node),
                    ("title", "关于开放日的通知"),
                    ("body", "报名请联系。"),
                    ("attribute", "proactive"),
                ],
            )
            .await
            .expect(StatusCode::SEE_OTHER);
        let id = created_id(&made);
        let page_path = format!("/console/city/items/{id}");
        assert_eq!(made.location, page_path);
        let edit = editor
            .get(&format!("{page_path}/edit"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(edit.hidden("version"), "1");
        let mut other = app.login("both@city.cn").await;
        other
            .patch(
                &format!("/api/v1/tenants/city/items/{id}"),
                json!({"version": 1, "title": "关于政府开放日的通知"}),
            )
            .await
            .expect(StatusCode::OK);
        let stale = editor
            .post(
                &format!("{page_path}/edit"),
                &[
                    ("csrf", &csrf),
                    ("version", "1"),
                    ("node_id", &node),
                    ("title", "关于开放日活动的通知"),
                    ("body", &format!("报名请联系王老师，身份证号 {ID_NUMBER}。")),
                ],
            )
            .await
            .expect(StatusCode::CONFLICT);
        assert!(
            stale.text.contains("其他人已保存了新版本"),
            "{}",
            stale.text
        );
        // Both versions: the saved one, and this user's text kept in the form.
        assert!(stale.text.contains("关于政府开放日的通知"));
        assert!(stale.text.contains("value=\"关于开放日活动的通知\""));
        assert_eq!(stale.hidden("version"), "2");
        let now = api
            .get(&format!("/api/v1/tenants/city/items/{id}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(now["version"], 2, "the stale edit saved nothing");
        editor
            .post(
                &format!("{page_path}/edit"),
                &[
                    ("csrf", &csrf),
                    ("version", "2"),
                    ("node_id", &node),
                    ("title", "关于开放日活动的通知"),
                    ("body", &format!("报名请联系王老师，身份证号 {ID_NUMBER}。")),
                ],
            )
            .await
            .expect(StatusCode::SEE_OTHER);

        // An attachment with an ID number, then the history and its diff, then submit.
        editor
            .upload(
                &format!("/console/city/items/{id}/attachments"),
                &[("csrf", &csrf)],
                (
                    "file",
                    "roster.txt",
                    format!("报名名单：张三 {ID_NUMBER}\n").into_bytes(),
                ),
            )
            .await
            .expect(StatusCode::SEE_OTHER);
        let page = editor.get(&page_path).await.expect(StatusCode::OK);
        assert!(page.text.contains("roster.txt"));
        let history = editor
            .get(&format!("{page_path}/history?a=1&b=3"))
            .await
            .expect(StatusCode::OK);
        assert!(
            history.text.contains("<del>- # 关于开放日的通知"),
            "{}",
            history.text
        );
        assert!(history.text.contains("<ins>+ # 关于开放日活动的通知"));
        editor
            .post(&format!("{page_path}/submit"), &[("csrf", &csrf)])
            .await
            .expect(StatusCode::SEE_OTHER);

        // The author who also reviews: in the inbox, told why not, refused if tried.
        let mut both = Browser::signed_in(&app, "both@city.cn").await;
        let inbox = both
            .get("/console/city/review")
            .await
            .expect(StatusCode::OK);
        assert!(inbox.text.contains("关于开放日活动的通知"));
        assert!(inbox.text.contains("职责分离"), "{}", inbox.text);
        let review_path = format!("/console/city/review/{id}");
        let own = both.get(&review_path).await.expect(StatusCode::OK);
        assert!(own.text.contains("id=\"why-not\""));
        assert!(!own.text.contains("name=\"verdict\""));
        let bcsrf = own.hidden("csrf");
        let refused = both
            .post(
                &format!("{review_path}/decide"),
                &[
                    ("csrf", &bcsrf),
                    ("verdict", "approve"),
                    ("step", "0"),
                    ("version", "3"),
                ],
            )
            .await
            .expect(StatusCode::FORBIDDEN);
        assert!(refused
            .text
            .contains("whoever edited this version may not review it"));

        // The reviewer: the redacted rendition beside the staff view, the findings.
        let mut reviewer = Browser::signed_in(&app, "reviewer@city.cn").await;
        let inbox = reviewer
            .get("/console/city/review")
            .await
            .expect(StatusCode::OK);
        assert!(inbox.text.contains(&review_path));
        assert!(inbox.text.contains("轮到您审核"));
        let review = reviewer.get(&review_path).await.expect(StatusCode::OK);
        assert!(review.text.contains("公开后的样子"));
        assert!(review.text.contains("<mark class=\"finding open\">"));
        let rcsrf = review.hidden("csrf");
        // Returned without a reason: refused beside the field, nothing decided.
        let bad = reviewer
            .post(
                &format!("{review_path}/decide"),
                &[
                    ("csrf", &rcsrf),
                    ("verdict", "reject"),
                    ("step", "0"),
                    ("version", "3"),
                    ("comments", " "),
                ],
            )
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.text.contains("id=\"comments-error\""));
        let findings = api
            .get(&format!("/api/v1/tenants/city/items/{id}/findings"))
            .await
            .expect(StatusCode::OK);
        let findings = findings.as_array().unwrap().clone();
        assert!(findings.len() >= 2, "the body's and the file's ID numbers");
        assert!(findings
            .iter()
            .any(|f| f["field"].as_str().unwrap().starts_with("attachments.")));
        // Keeping a finding needs a reason: beside the field, values kept.
        let first = findings[0]["id"].as_str().unwrap();
        let keep = reviewer
            .post(
                &format!("/console/city/items/{id}/findings/{first}"),
                &[("csrf", &rcsrf), ("from", "review"), ("resolution", "keep")],
            )
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(keep.text.contains(&format!("id=\"reason-{first}-error\"")));
        for f in &findings {
            reviewer
                .post(
                    &format!(
                        "/console/city/items/{id}/findings/{}",
                        f["id"].as_str().unwrap()
                    ),
                    &[
                        ("csrf", &rcsrf),
                        ("from", "review"),
                        ("resolution", "redact"),
                    ],
                )
                .await
                .expect(StatusCode::SEE_OTHER);
        }
        let masked = reviewer.get(&review_path).await.expect(StatusCode::OK);
        let public_part = &masked.text
            [masked.text.find("public-view").unwrap()..masked.text.find("staff-view").unwrap()];
        assert!(!public_part.contains(ID_NUMBER), "{public_part}");
        reviewer
            .post(
                &format!("{review_path}/decide"),
                &[
                    ("csrf", &rcsrf),
                    ("verdict", "approve"),
                    ("step", "0"),
                    ("version", "3"),
                ],
            )
            .await
            .expect(StatusCode::SEE_OTHER);
        let mut approver = Browser::signed_in(&app, "approver@city.cn").await;
        let acsrf = approver.csrf("/console/city/review").await;
        approver
            .post(
                &format!("{review_path}/decide"),
                &[
                    ("csrf", &acsrf),
                    ("verdict", "approve"),
                    ("step", "1"),
                    ("version", "3"),
                    ("comments", "同意发布"),
                ],
            )
            .await
            .expect(StatusCode::SEE_OTHER);
        // Published from the item's page; the portal shows it masked.
        let page = approver.get(&page_path).await.expect(StatusCode::OK);
        assert!(page
            .text
            .contains(&format!("action=\"{page_path}/publish\"")));
        approver
            .post(&format!("{page_path}/publish"), &[("csrf", &acsrf)])
            .await
            .expect(StatusCode::SEE_OTHER);
        let portal = app
            .anonymous()
            .get(&format!("/city/items/{id}"))
            .await
            .expect(StatusCode::OK);
        let text = portal.as_str().unwrap_or_default().to_string();
        assert!(text.contains("关于开放日活动的通知"));
        assert!(!text.contains(ID_NUMBER));
        // Withdrawing needs the reason; refused without one, said beside the form.
        let refused = approver
            .post(
                &format!("{page_path}/withdraw"),
                &[("csrf", &acsrf), ("reason", "")],
            )
            .await
            .expect(StatusCode::CONFLICT);
        assert!(refused.text.contains("a withdrawal needs a reason"));
    }
);

/// The directory of the built plugin components (as the plugin tests find it).
fn components() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        if let Ok(dir) = std::env::var("GKTEST_PLUGINS_DIR") {
            return PathBuf::from(dir);
        }
        let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
        let out = repo.join("target/plugins");
        let status = std::process::Command::new(repo.join("scripts/build-plugins"))
            .arg("--out")
            .arg(&out)
            .status()
            .expect("scripts/build-plugins runs");
        assert!(status.success(), "scripts/build-plugins failed");
        out
    })
}

both_backends!(
    a_plugin_kind_form_is_generated_and_its_errors_shown_beside_the_fields,
    |backend| async move {
        let app = TestApp::start(backend).await;
        app.staffed("city", None, &["editor", "tenant_admin"]).await;
        let admin = app.admin().await;
        let wasm = std::fs::read(components().join("environment.wasm")).unwrap();
        admin
            .raw(
                Method::POST,
                "/api/v1/plugins",
                Some(wasm),
                "application/wasm",
            )
            .await
            .0
            .expect(StatusCode::CREATED);
        let mut editor = Browser::signed_in(&app, "editor@city.cn").await;
        let kind = "environment/air-quality-reading";
        // Not enabled: not offered, and its form is not there.
        let choose = editor
            .get("/console/city/items/new")
            .await
            .expect(StatusCode::OK);
        assert!(!choose.text.contains("air-quality-reading"));
        let mut boss = app.login("tenant_admin@city.cn").await;
        boss.put(
            "/api/v1/tenants/city/plugins/environment",
            Some(json!({"version": "1.0.0", "enabled": true})),
        )
        .await
        .expect(StatusCode::OK);
        let choose = editor
            .get("/console/city/items/new")
            .await
            .expect(StatusCode::OK);
        assert!(choose
            .text
            .contains("kind=environment%2Fair-quality-reading"));

        // The form from the plugin's description: labels, units, help, options, required.
        let form = editor
            .get(&format!("/console/city/items/new?kind={}", enc(kind)))
            .await
            .expect(StatusCode::OK);
        for part in [
            "监测点位",
            "µg/m³",
            "小时值为时段结束时刻",
            "value=\"24h\"",
            "日（日报）",
            "name=\"f.pm25\"",
            "（必填）",
        ] {
            assert!(form.text.contains(part), "{part}: {}", form.text);
        }
        let english = editor
            .get(&format!(
                "/console/city/items/new?kind={}&lang=en",
                enc(kind)
            ))
            .await
            .expect(StatusCode::OK);
        assert!(english.text.contains("Monitoring station"));
        let csrf = form.hidden("csrf");
        let fields = |station: &'static str, pm25: &'static str| -> Vec<(&str, String)> {
            vec![
                ("kind", kind),
                ("title", "2026年12月7日市监测站空气质量日报"),
                ("attribute", "proactive"),
                ("f.station", station),
                ("f.time", "2026-12-07T00:00"),
                ("f.period", "24h"),
                ("f.pm25", pm25),
                ("f.pm10", "80"),
            ]
            .into_iter()
            .map(|(k, v)| (k, v.to_string()))
            .collect()
        };
        // The plugin's errors beside its fields, the values kept, nothing made.
        let mut bad = fields("", "很多");
        bad.push(("csrf", csrf.clone()));
        let bad: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let bad = editor
            .post("/console/city/items/new", &bad)
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.text.contains("id=\"f-station-error\""), "{}", bad.text);
        assert!(bad.text.contains("id=\"f-pm25-error\""), "{}", bad.text);
        assert!(bad.text.contains("value=\"很多\""));
        assert!(bad.text.contains("value=\"80\""));
        assert!(
            bad.text.contains("href=\"#f-station\""),
            "the summary links to the field"
        );
        let api = app.login("editor@city.cn").await;
        let none = api
            .get("/api/v1/tenants/city/items")
            .await
            .expect(StatusCode::OK);
        assert!(none.as_array().unwrap().is_empty());
        // Fixed: made, in the plugin's place, with what the plugin derived.
        let mut good = fields("市监测站", "40");
        good.push(("csrf", csrf.clone()));
        let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let made = editor
            .post("/console/city/items/new", &good)
            .await
            .expect(StatusCode::SEE_OTHER);
        let id = created_id(&made);
        let item = api
            .get(&format!("/api/v1/tenants/city/items/{id}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(item["fields"]["pm25"], 40);
        assert_eq!(item["plugin"]["plugin_id"], "environment");
        let page = editor
            .get(&format!("/console/city/items/{id}"))
            .await
            .expect(StatusCode::OK);
        assert!(
            page.text.contains("空气质量指数") || page.text.contains("AQI"),
            "{}",
            page.text
        );
        // Its editor shows the stored values in the generated form.
        let edit = editor
            .get(&format!("/console/city/items/{id}/edit"))
            .await
            .expect(StatusCode::OK);
        assert!(edit.text.contains("value=\"市监测站\""));
    }
);
