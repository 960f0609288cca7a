//! The staff console over HTTP, on both backends: sign-in with readable refusals (wrong
//! password, lock), the remembered agency and switching, the session's CSRF token
//! required on every form, API tokens shown once, the own password, the dashboard
//! showing only what the route table allows, and another agency's console refused.

mod common;

use common::browser::*;
use common::*;
use reqwest::{Method, StatusCode};

both_backends!(
    sign_in_switch_agencies_tokens_and_password,
    |backend| async move {
        let app = TestApp::start(backend).await;
        let city = app.create_tenant("city", None).await;
        let town = app.create_tenant("town", None).await;
        app.add_member(&city, "both@x.cn", "editor").await;
        app.add_member(&town, "both@x.cn", "request_officer").await;
        let mut b = Browser::new(&app);

        // A page before signing in: 401 with the way to sign in and back.
        let refused = b
            .get("/console/city/")
            .await
            .expect(StatusCode::UNAUTHORIZED);
        assert!(refused
            .text
            .contains("/console/login?next=%2Fconsole%2Fcity%2F"));

        // Wrong password: said plainly, the address kept, no session.
        let wrong = b.sign_in("both@x.cn", "not-the-password").await;
        let wrong = wrong.expect(StatusCode::UNAUTHORIZED);
        assert!(wrong.text.contains("电子邮箱或密码不正确"));
        assert!(wrong.text.contains("value=\"both@x.cn\""));
        // A forged form (no form token) is refused before the password is looked at.
        b.post(
            "/console/login",
            &[
                ("token", "00"),
                ("email", "both@x.cn"),
                ("password", PASSWORD),
            ],
        )
        .await
        .expect(StatusCode::FORBIDDEN);

        let ok = b
            .sign_in("both@x.cn", PASSWORD)
            .await
            .expect(StatusCode::SEE_OTHER);
        assert_eq!(ok.location, "/console/");
        // Two agencies and none remembered: a choice.
        let choose = b.get("/console/").await.expect(StatusCode::OK);
        assert!(choose.text.contains("/console/city/") && choose.text.contains("/console/town/"));
        // Working in town is remembered; the bar offers the switch to city.
        let desk = b.get("/console/town/").await.expect(StatusCode::OK);
        assert!(
            desk.text.contains("分配给我的申请"),
            "a request officer sees requests"
        );
        assert!(desk.text.contains("href=\"/console/city/\""));
        // The requests section is in the navigation because the route table allows it.
        assert!(desk.text.contains("href=\"/console/town/requests\""));
        assert_eq!(b.cookies.get("gk-agency").map(String::as_str), Some("town"));
        let back = b.get("/console/").await.expect(StatusCode::SEE_OTHER);
        assert_eq!(back.location, "/console/town/");
        // In city the same user is an editor: no request list (the route table says no).
        let desk = b.get("/console/city/").await.expect(StatusCode::OK);
        assert!(!desk.text.contains("分配给我的申请"));
        // An agency where the user holds no role.
        app.create_tenant("elsewhere", None).await;
        b.get("/console/elsewhere/")
            .await
            .expect(StatusCode::FORBIDDEN);

        // Forms need the session's token: missing or wrong → 403, nothing made.
        b.post("/console/account/tokens", &[("name", "ci")])
            .await
            .expect(StatusCode::FORBIDDEN);
        b.post(
            "/console/account/tokens",
            &[("csrf", "nope"), ("name", "ci")],
        )
        .await
        .expect(StatusCode::FORBIDDEN);
        let csrf = b.csrf("/console/account").await;
        assert!(!b.get("/console/account").await.text.contains("<table"));

        // A bad token form: errors beside the fields, the values kept.
        let bad = b
            .post(
                "/console/account/tokens",
                &[("csrf", &csrf), ("name", "ci"), ("expires_in_days", "0")],
            )
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.text.contains("id=\"expires_in_days-error\""));
        assert!(bad.text.contains("value=\"ci\""));

        // Created: the secret is shown once, after the redirect.
        let made = b
            .post(
                "/console/account/tokens",
                &[("csrf", &csrf), ("name", "ci"), ("expires_in_days", "30")],
            )
            .await
            .expect(StatusCode::SEE_OTHER);
        assert_eq!(made.location, "/console/account");
        let shown = b.get("/console/account").await.expect(StatusCode::OK);
        let start = shown.text.find("id=\"new-token\">").unwrap() + "id=\"new-token\">".len();
        let secret = shown.text[start..start + shown.text[start..].find('<').unwrap()].to_string();
        assert!(!b
            .get("/console/account")
            .await
            .text
            .contains("id=\"new-token\""));
        let api = app.anonymous().with_token(&secret);
        api.get("/api/v1/auth/me").await.expect(StatusCode::OK);

        // Revoking another user's token: not found. Own token: gone.
        let token_id = {
            let marker = "/console/account/tokens/";
            let at = shown.text.find(marker).unwrap() + marker.len();
            shown.text[at..at + shown.text[at..].find('/').unwrap()].to_string()
        };
        app.add_member(&city, "other@x.cn", "editor").await;
        let mut other = Browser::new(&app);
        other
            .sign_in("other@x.cn", PASSWORD)
            .await
            .expect(StatusCode::SEE_OTHER);
        let other_csrf = other.csrf("/console/account").await;
        other
            .post(
                &format!("/console/account/tokens/{token_id}/revoke"),
                &[("csrf", &other_csrf)],
            )
            .await
            .expect(StatusCode::NOT_FOUND);
        api.get("/api/v1/auth/me").await.expect(StatusCode::OK);
        b.post(
            &format!("/console/account/tokens/{token_id}/revoke"),
            &[("csrf", &csrf)],
        )
        .await
        .expect(StatusCode::SEE_OTHER);
        api.get("/api/v1/auth/me")
            .await
            .expect(StatusCode::UNAUTHORIZED);

        // Own password: a wrong current one is said beside its field; a weak new one too.
        let wrong = b
            .post(
                "/console/account/password",
                &[
                    ("csrf", &csrf),
                    ("current_password", "nope"),
                    ("new_password", "New-password-2026!"),
                ],
            )
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(wrong.text.contains("id=\"current_password-error\""));
        let weak = b
            .post(
                "/console/account/password",
                &[
                    ("csrf", &csrf),
                    ("current_password", PASSWORD),
                    ("new_password", "123"),
                ],
            )
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(weak.text.contains("id=\"new_password-error\""));
        let changed = b
            .post(
                "/console/account/password",
                &[
                    ("csrf", &csrf),
                    ("current_password", PASSWORD),
                    ("new_password", "New-password-2026!"),
                ],
            )
            .await
            .expect(StatusCode::SEE_OTHER);
        assert_eq!(changed.location, "/console/account?changed=1");
        // This session stays; the old password no longer signs in, the new one does.
        b.get("/console/city/").await.expect(StatusCode::OK);
        let mut elsewhere = Browser::new(&app);
        elsewhere
            .sign_in("both@x.cn", PASSWORD)
            .await
            .expect(StatusCode::UNAUTHORIZED);
        elsewhere
            .sign_in("both@x.cn", "New-password-2026!")
            .await
            .expect(StatusCode::SEE_OTHER);

        // Signing out ends the session on the server.
        let csrf = b.csrf("/console/account").await;
        b.post("/console/logout", &[("csrf", &csrf)])
            .await
            .expect(StatusCode::SEE_OTHER);
        b.get("/console/account")
            .await
            .expect(StatusCode::UNAUTHORIZED);
    }
);

both_backends!(
    too_many_attempts_lock_with_a_readable_message,
    |backend| async move {
        let app = TestApp::start_with(backend, |c| c.login_per_account_per_minute = 2).await;
        let city = app.create_tenant("city", None).await;
        app.add_member(&city, "ed@city.cn", "editor").await;
        let mut b = Browser::new(&app);
        b.sign_in("ed@city.cn", "wrong")
            .await
            .expect(StatusCode::UNAUTHORIZED);
        b.sign_in("ed@city.cn", "wrong")
            .await
            .expect(StatusCode::UNAUTHORIZED);
        // Locked now, even with the right password.
        let locked = b.sign_in("ed@city.cn", PASSWORD).await;
        let locked = locked.expect(StatusCode::TOO_MANY_REQUESTS);
        assert!(locked.text.contains("暂时锁定"), "{}", locked.text);
    }
);

both_backends!(
    every_console_page_is_refused_without_its_permission,
    |backend| async move {
        use gongkai::http::access::Access;
        let app = TestApp::start(backend).await;
        app.create_tenant("city", None).await;
        let other = app.create_tenant("other", None).await;
        app.add_member(&other, "nobody@x.cn", "editor").await;
        let mut nobody = Browser::new(&app);
        nobody
            .sign_in("nobody@x.cn", PASSWORD)
            .await
            .expect(StatusCode::SEE_OTHER);
        let csrf = nobody.csrf("/console/account").await;
        let mut anon = Browser::new(&app);
        let pages: Vec<_> = gongkai::http::route_table(&app.state)
            .into_iter()
            .filter(|r| r.page && r.path.starts_with("/console"))
            .collect();
        assert!(pages.len() >= 8);
        for route in pages {
            let path = route
                .path
                .replace("{slug}", "city")
                .replace("{id}", "00000000-0000-7000-8000-00000000abcd");
            let form: &[(&str, &str)] = &[("csrf", &csrf)];
            let body = (route.method == Method::POST).then_some(form);
            let as_anon = anon.send(route.method.clone(), &path, body).await;
            match route.access {
                Access::Public => assert_ne!(as_anon.status, StatusCode::UNAUTHORIZED, "{path}"),
                _ => assert_eq!(
                    as_anon.status,
                    StatusCode::UNAUTHORIZED,
                    "{} {path}",
                    route.method
                ),
            }
            if let Access::Tenant(_) | Access::Platform(_) = route.access {
                let as_nobody = nobody.send(route.method.clone(), &path, body).await;
                assert_eq!(
                    as_nobody.status,
                    StatusCode::FORBIDDEN,
                    "{} {path}",
                    route.method
                );
                assert!(as_nobody.text.contains("没有权限"));
            }
        }
    }
);

fn person() -> serde_json::Value {
    serde_json::json!({
        "applicant_type": "person",
        "name": "张三",
        "id_type": "resident_id",
        "id_number": "11010519491231002X",
        "phone": "13800138000",
        "address": "示例市人民路1号",
        "description": "2025年本市道路维修资金的使用情况",
        "delivery_method": "post",
        "delivery_form": "electronic",
    })
}

/// A request submitted on `slug`'s portal; its id.
async fn request_in(app: &TestApp, slug: &str) -> String {
    let mut anon = app.anonymous();
    let made = anon
        .post(&format!("/api/v1/portal/{slug}/requests"), person())
        .await
        .expect(StatusCode::CREATED);
    let number = made["tracking_number"].as_str().unwrap().to_string();
    let officer = app.login(&format!("officer@{slug}.cn")).await;
    let list = officer
        .get(&format!("/api/v1/tenants/{slug}/requests"))
        .await
        .expect(StatusCode::OK);
    list.as_array()
        .unwrap()
        .iter()
        .find(|r| r["tracking_number"] == number.as_str())
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

both_backends!(
    an_officer_registers_extends_answers_and_delivers,
    |backend| async move {
        let app = TestApp::start_with(backend, |c| {
            c.request_submissions_per_address_per_hour = 1000;
            c.clock_today = Some("2026-11-02".into());
            c.email_transport = "none".into();
        })
        .await;
        let city = app.create_tenant("city", None).await;
        let town = app.create_tenant("town", None).await;
        app.add_member(&city, "officer@city.cn", "request_officer")
            .await;
        app.add_member(&city, "head@city.cn", "approver").await;
        app.add_member(&city, "editor@city.cn", "editor").await;
        app.add_member(&town, "officer@town.cn", "request_officer")
            .await;
        let id = request_in(&app, "city").await;
        let theirs = request_in(&app, "town").await;

        let mut officer = Browser::new(&app);
        officer
            .sign_in("officer@city.cn", PASSWORD)
            .await
            .expect(StatusCode::SEE_OTHER);
        let page_path = format!("/console/city/requests/{id}");
        let list = officer
            .get("/console/city/requests")
            .await
            .expect(StatusCode::OK);
        assert!(list.text.contains(&page_path));
        let page = officer.get(&page_path).await.expect(StatusCode::OK);
        // An officer may register and answer, but not extend (the head of office does).
        assert!(page.text.contains("/register\""));
        assert!(page.text.contains("/answer\""));
        assert!(!page.text.contains("/extend\""));
        assert!(!page.text.contains("/answer/approve\""));
        let csrf = page.hidden("csrf");
        officer
            .post(&format!("{page_path}/register"), &[("csrf", &csrf)])
            .await
            .expect(StatusCode::SEE_OTHER);
        // The page's form and the API agree: extending is refused by the same rule.
        officer
            .post(
                &format!("{page_path}/extend"),
                &[("csrf", &csrf), ("working_days", "20"), ("reason", "x")],
            )
            .await
            .expect(StatusCode::FORBIDDEN);

        let mut head = Browser::new(&app);
        head.sign_in("head@city.cn", PASSWORD)
            .await
            .expect(StatusCode::SEE_OTHER);
        let page = head.get(&page_path).await.expect(StatusCode::OK);
        assert!(page.text.contains("/extend\""));
        let head_csrf = page.hidden("csrf");
        // Assigned to a department (the head may not list the members: a text field).
        assert!(page
            .text
            .contains("id=\"assign-assignee_id\" name=\"assignee_id\" type=\"text\""));
        head.post(
            &format!("{page_path}/assign"),
            &[("csrf", &head_csrf), ("department", "办公室")],
        )
        .await
        .expect(StatusCode::SEE_OTHER);
        let before = head.get(&page_path).await.expect(StatusCode::OK);
        assert!(before.text.contains("<dd>办理中</dd>"), "{}", before.text);
        // Errors beside the fields, values kept, nothing changed.
        let bad = head
            .post(
                &format!("{page_path}/extend"),
                &[
                    ("csrf", &head_csrf),
                    ("working_days", "many"),
                    ("reason", "材料较多"),
                ],
            )
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.text.contains("id=\"extend-working_days-error\""));
        assert!(bad.text.contains("材料较多"));
        head.post(
            &format!("{page_path}/extend"),
            &[
                ("csrf", &head_csrf),
                ("working_days", "20"),
                ("reason", "材料较多，需要调取档案"),
            ],
        )
        .await
        .expect(StatusCode::SEE_OTHER);
        let after = head.get(&page_path).await.expect(StatusCode::OK);
        let due = |text: &str| {
            let marker = "答复期限：";
            let at = text.find(marker).unwrap() + marker.len();
            text[at..at + 10].to_string()
        };
        assert!(due(&after.text) > due(&before.text), "the due date moved");

        // Answer with an outcome code; the reply is made from the template.
        let bad = officer
            .post(
                &format!("{page_path}/answer"),
                &[("csrf", &csrf), ("outcome_code", "")],
            )
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.text.contains("id=\"answer-outcome_code-error\""));
        officer
            .post(
                &format!("{page_path}/answer"),
                &[("csrf", &csrf), ("outcome_code", "1")],
            )
            .await
            .expect(StatusCode::SEE_OTHER);
        head.post(
            &format!("{page_path}/answer/approve"),
            &[("csrf", &head_csrf)],
        )
        .await
        .expect(StatusCode::SEE_OTHER);
        officer
            .post(
                &format!("{page_path}/deliver"),
                &[("csrf", &csrf), ("note", "挂号信 XA123456789CN")],
            )
            .await
            .expect(StatusCode::SEE_OTHER);
        let done = officer.get(&page_path).await.expect(StatusCode::OK);
        assert!(done.text.contains("已答复"), "{}", done.text);
        // Out of order now: the state refuses, said beside the form, 409.
        let again = officer
            .post(&format!("{page_path}/register"), &[("csrf", &csrf)])
            .await
            .expect(StatusCode::CONFLICT);
        assert!(again.text.contains("申请当前的状态不允许这一步"));

        // Another agency's request through this agency's console: not found, untouched.
        officer
            .get(&format!("/console/city/requests/{theirs}"))
            .await
            .expect(StatusCode::NOT_FOUND);
        officer
            .post(
                &format!("/console/city/requests/{theirs}/register"),
                &[("csrf", &csrf)],
            )
            .await
            .expect(StatusCode::NOT_FOUND);
        officer
            .get(&format!("/console/town/requests/{theirs}"))
            .await
            .expect(StatusCode::FORBIDDEN);
        let town_officer = app.login("officer@town.cn").await;
        let v = town_officer
            .get(&format!("/api/v1/tenants/town/requests/{theirs}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(v["summary"]["status"], "received");

        // An editor holds no request permission: no section, and the list refuses.
        let mut editor = Browser::new(&app);
        editor
            .sign_in("editor@city.cn", PASSWORD)
            .await
            .expect(StatusCode::SEE_OTHER);
        let desk = editor.get("/console/city/").await.expect(StatusCode::OK);
        assert!(!desk.text.contains("/console/city/requests"));
        editor
            .get("/console/city/requests")
            .await
            .expect(StatusCode::FORBIDDEN);
    }
);
