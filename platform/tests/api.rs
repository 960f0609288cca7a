//! The foundation's API end to end, on both backends: tenants, members, roles, tokens,
//! audit, problem details, and the route table's completeness.

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

both_backends!(
    tenants_are_created_renamed_moved_and_deactivated,
    |backend| async move {
        let app = TestApp::start(backend).await;
        let mut admin = app.admin().await;

        let city = admin
            .post(
                "/api/v1/tenants",
                json!({"slug": "city", "name_zh": "某市人民政府", "kind": "government"}),
            )
            .await
            .expect(StatusCode::CREATED);
        assert_eq!(city["slug"], "city");
        admin
        .post("/api/v1/tenants", json!({"slug": "edu", "name_zh": "某市教育局", "kind": "department", "parent": "city"}))
        .await
        .expect(StatusCode::CREATED);

        // The slug is unique across the platform.
        let dup = admin
            .post(
                "/api/v1/tenants",
                json!({"slug": "edu", "name_zh": "重复", "kind": "department"}),
            )
            .await;
        assert_eq!(dup.status, StatusCode::CONFLICT);
        assert_eq!(
            header(&dup, "content-type"),
            Some("application/problem+json")
        );

        // Every problem at once.
        let bad = admin
            .post(
                "/api/v1/tenants",
                json!({"slug": "-Bad", "name_zh": "", "kind": "department"}),
            )
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        let fields: Vec<&str> = bad["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["slug", "name_zh"]);

        let renamed = admin
            .patch(
                "/api/v1/tenants/edu",
                json!({"name_zh": "某市教育和体育局", "name_en": "Education and Sports"}),
            )
            .await
            .expect(StatusCode::OK);
        assert_eq!(renamed["name_zh"], "某市教育和体育局");

        // A tenant cannot move under its own descendant.
        let cycle = admin
            .patch("/api/v1/tenants/city", json!({"parent": "edu"}))
            .await;
        assert_eq!(
            cycle.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            cycle.body
        );
        admin
            .post(
                "/api/v1/tenants",
                json!({"slug": "county", "name_zh": "某县人民政府", "kind": "government"}),
            )
            .await
            .expect(StatusCode::CREATED);
        let moved = admin
            .patch("/api/v1/tenants/edu", json!({"parent": "county"}))
            .await
            .expect(StatusCode::OK);
        assert_eq!(
            moved["parent_id"],
            admin.get("/api/v1/tenants/county").await.body["id"]
        );

        // Deactivation: its staff cannot sign in and nothing is deleted.
        let edu = gongkai::tenancy::store::by_slug(&app.state.db, "edu")
            .await
            .unwrap()
            .unwrap();
        app.add_member(&edu, "editor@edu.cn", "editor").await;
        app.login("editor@edu.cn").await;
        admin
            .patch("/api/v1/tenants/edu", json!({"active": false}))
            .await
            .expect(StatusCode::OK);
        let mut editor = app.anonymous();
        // Refused exactly like a wrong password: the answer does not confirm it.
        let refused = editor.login("editor@edu.cn", PASSWORD).await;
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{}", refused.body);
        let still_there = admin
            .get("/api/v1/tenants/edu")
            .await
            .expect(StatusCode::OK);
        assert_eq!(still_there["active"], false);
        let members = admin
            .get("/api/v1/tenants/edu/members")
            .await
            .expect(StatusCode::OK);
        assert_eq!(members.as_array().unwrap().len(), 1);
        admin
            .patch("/api/v1/tenants/edu", json!({"active": true}))
            .await
            .expect(StatusCode::OK);
        app.login("editor@edu.cn").await;

        // Each change is in the platform's audit chain.
        let audit = admin
            .get("/api/v1/tenants/platform/audit")
            .await
            .expect(StatusCode::OK);
        let actions: Vec<&str> = audit["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        for action in [
            "tenant.create",
            "tenant.update",
            "tenant.move",
            "tenant.deactivate",
            "tenant.reactivate",
        ] {
            assert!(actions.contains(&action), "{action} in {actions:?}");
        }
        let verified = admin
            .get("/api/v1/tenants/platform/audit/verify")
            .await
            .expect(StatusCode::OK);
        assert_eq!(verified["intact"], true);
    }
);

both_backends!(
    tenant_admins_manage_members_and_roles,
    |backend| async move {
        let app = TestApp::start(backend).await;
        let city = app.create_tenant("city", None).await;
        app.add_member(&city, "boss@city.cn", "tenant_admin").await;
        let mut boss = app.login("boss@city.cn").await;
        // Enrolment is a platform administrator's act; the tenant's admin grants roles.
        let mut admin = app.admin().await;

        let member = admin
        .post(
            "/api/v1/tenants/city/members",
            json!({"email": "New.Editor@City.cn", "display_name": "王编辑", "password": PASSWORD, "roles": ["editor"]}),
        )
        .await
        .expect(StatusCode::CREATED);
        assert_eq!(member["user"]["email"], "new.editor@city.cn");
        assert_eq!(member["roles"], json!(["editor"]));
        let user_id = member["user"]["id"].as_str().unwrap().to_string();

        // Missing details for a new account, weak password, unknown role: all told.
        let missing = admin
            .post(
                "/api/v1/tenants/city/members",
                json!({"email": "x@city.cn", "roles": ["editor"]}),
            )
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(missing["errors"].as_array().unwrap().len(), 2);
        let weak = admin
        .post(
            "/api/v1/tenants/city/members",
            json!({"email": "y@city.cn", "display_name": "Y", "password": "password123", "roles": ["editor"]}),
        )
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(weak["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("common"));
        boss.put(
            &format!("/api/v1/tenants/city/members/{user_id}/roles/wizard"),
            None,
        )
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
        // A role granted to an account of another agency would enrol it: the tenant's admin
        // gets the answer an unknown id gets; the platform administrator may.
        let town = app.create_tenant("town", None).await;
        let outsider = app.add_member(&town, "clerk@town.cn", "editor").await;
        let by_id = boss
            .put(
                &format!("/api/v1/tenants/city/members/{}/roles/editor", outsider.id),
                None,
            )
            .await
            .expect(StatusCode::NOT_FOUND);
        let unknown = boss
            .put(
                "/api/v1/tenants/city/members/0190d1e0-0000-7000-8000-000000000000/roles/editor",
                None,
            )
            .await
            .expect(StatusCode::NOT_FOUND);
        assert_eq!(by_id["title"], unknown["title"]);
        admin
            .put(
                &format!("/api/v1/tenants/city/members/{}/roles/editor", outsider.id),
                None,
            )
            .await
            .expect(StatusCode::NO_CONTENT);
        // Platform admin is held on the platform root only.
        boss.put(
            &format!("/api/v1/tenants/city/members/{user_id}/roles/platform_admin"),
            None,
        )
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);

        // A grant takes effect at once.
        let editor = app.login("new.editor@city.cn").await;
        editor
            .get("/api/v1/tenants/city/audit")
            .await
            .expect(StatusCode::FORBIDDEN);
        boss.put(
            &format!("/api/v1/tenants/city/members/{user_id}/roles/auditor"),
            None,
        )
        .await
        .expect(StatusCode::NO_CONTENT);
        editor
            .get("/api/v1/tenants/city/audit")
            .await
            .expect(StatusCode::OK);
        boss.delete(&format!(
            "/api/v1/tenants/city/members/{user_id}/roles/auditor"
        ))
        .await
        .expect(StatusCode::NO_CONTENT);
        editor
            .get("/api/v1/tenants/city/audit")
            .await
            .expect(StatusCode::FORBIDDEN);
        boss.delete(&format!(
            "/api/v1/tenants/city/members/{user_id}/roles/auditor"
        ))
        .await
        .expect(StatusCode::NOT_FOUND);

        // A tenant admin cannot create tenants or read accounts platform-wide.
        boss.post(
            "/api/v1/tenants",
            json!({"slug": "mine", "name_zh": "我的", "kind": "other"}),
        )
        .await
        .expect(StatusCode::FORBIDDEN);
        boss.get("/api/v1/users")
            .await
            .expect(StatusCode::FORBIDDEN);

        let audit = boss
            .get("/api/v1/tenants/city/audit")
            .await
            .expect(StatusCode::OK);
        let actions: Vec<&str> = audit["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert!(
            actions.contains(&"role.grant")
                && actions.contains(&"role.revoke")
                && actions.contains(&"user.create")
        );
    }
);

both_backends!(
    platform_admins_edit_role_permissions_effective_at_once,
    |backend| async move {
        let app = TestApp::start(backend).await;
        let city = app.create_tenant("city", None).await;
        app.add_member(&city, "editor@city.cn", "editor").await;
        let editor = app.login("editor@city.cn").await;
        editor
            .get("/api/v1/tenants/city/members")
            .await
            .expect(StatusCode::FORBIDDEN);

        let mut admin = app.admin().await;
        let roles = admin.get("/api/v1/roles").await.expect(StatusCode::OK);
        let current: Vec<String> = roles["roles"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["role"] == "editor")
            .unwrap()["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap().to_string())
            .collect();
        let mut more = current.clone();
        more.push("members:read".into());
        admin
            .put("/api/v1/roles/editor", Some(json!({"permissions": more})))
            .await
            .expect(StatusCode::OK);
        editor
            .get("/api/v1/tenants/city/members")
            .await
            .expect(StatusCode::OK);

        let bad = admin
            .put(
                "/api/v1/roles/editor",
                Some(json!({"permissions": ["items:fly", "members:read"]})),
            )
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad["errors"][0]["field"], "permissions[0]");
        admin
            .put("/api/v1/roles/wizard", Some(json!({"permissions": []})))
            .await
            .expect(StatusCode::NOT_FOUND);
        admin
            .put(
                "/api/v1/roles/platform_admin",
                Some(json!({"permissions": []})),
            )
            .await
            .expect(StatusCode::CONFLICT);

        admin
            .put(
                "/api/v1/roles/editor",
                Some(json!({"permissions": current})),
            )
            .await
            .expect(StatusCode::OK);
        editor
            .get("/api/v1/tenants/city/members")
            .await
            .expect(StatusCode::FORBIDDEN);

        // Only platform admins edit roles.
        let mut editor = editor;
        editor
            .put("/api/v1/roles/editor", Some(json!({"permissions": []})))
            .await
            .expect(StatusCode::FORBIDDEN);
    }
);

both_backends!(
    api_tokens_are_shown_once_hashed_and_revocable,
    |backend| async move {
        let app = TestApp::start(backend).await;
        let mut admin = app.admin().await;
        let created = admin
            .post(
                "/api/v1/auth/tokens",
                json!({"name": "数据交换", "expires_in_days": 30}),
            )
            .await
            .expect(StatusCode::CREATED);
        let secret = created["secret"].as_str().unwrap().to_string();
        let id = created["token"]["id"].as_str().unwrap().to_string();
        assert!(secret.starts_with("gk_"));

        // Stored hashed: the secret is nowhere in the table.
        let stored: Vec<String> = sqlx::query_scalar("SELECT token_hash FROM api_tokens")
            .fetch_all(app.state.db.pool())
            .await
            .unwrap();
        assert_eq!(stored.len(), 1);
        assert_ne!(stored[0], secret);
        let listed = admin
            .get("/api/v1/auth/tokens")
            .await
            .expect(StatusCode::OK);
        assert!(!listed.to_string().contains(&secret));

        // A token acts as its user, with no CSRF header needed.
        let mut robot = app.anonymous().with_token(&secret);
        let me = robot.get("/api/v1/auth/me").await.expect(StatusCode::OK);
        assert_eq!(me["user"]["email"], ADMIN);
        assert!(me["csrf_token"].is_null());
        robot
            .post(
                "/api/v1/tenants",
                json!({"slug": "by-token", "name_zh": "令牌创建", "kind": "other"}),
            )
            .await
            .expect(StatusCode::CREATED);

        admin
            .delete(&format!("/api/v1/auth/tokens/{id}"))
            .await
            .expect(StatusCode::NO_CONTENT);
        robot
            .get("/api/v1/auth/me")
            .await
            .expect(StatusCode::UNAUTHORIZED);
        admin
            .delete(&format!("/api/v1/auth/tokens/{id}"))
            .await
            .expect(StatusCode::NOT_FOUND);

        app.anonymous()
            .with_token("gk_made-up")
            .get("/api/v1/auth/me")
            .await
            .expect(StatusCode::UNAUTHORIZED);
        app.anonymous()
            .with_token("nonsense")
            .get("/api/v1/auth/me")
            .await
            .expect(StatusCode::UNAUTHORIZED);
        admin
            .post("/api/v1/auth/tokens", json!({"name": ""}))
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
    }
);

both_backends!(
    bad_bodies_get_problem_details_never_a_500,
    |backend| async move {
        let app = TestApp::start_with(backend, |c| c.max_body_bytes = 4096).await;
        let admin = app.admin().await;
        let send = |body: Vec<u8>, content_type: &'static str| {
            let admin = admin.clone();
            async move {
                admin
                    .raw(Method::POST, "/api/v1/tenants", Some(body), content_type)
                    .await
                    .0
            }
        };
        let malformed = send(b"{\"slug\": ".to_vec(), "application/json").await;
        assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            header(&malformed, "content-type"),
            Some("application/problem+json")
        );
        assert!(malformed.body["detail"].as_str().unwrap().contains("parse"));

        let unknown = send(
            br#"{"slug":"ok-slug","name_zh":"x","kind":"other","colour":"red"}"#.to_vec(),
            "application/json",
        )
        .await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            unknown.body["detail"].as_str().unwrap().contains("colour"),
            "{}",
            unknown.body
        );

        let wrong_type = send(b"slug=x".to_vec(), "application/x-www-form-urlencoded").await;
        assert_eq!(wrong_type.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);

        let huge = format!(
            r#"{{"slug":"big","name_zh":"{}","kind":"other"}}"#,
            "大".repeat(5000)
        );
        let too_large = send(huge.into_bytes(), "application/json").await;
        assert_eq!(too_large.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(
            header(&too_large, "content-type"),
            Some("application/problem+json")
        );

        let nowhere = app.anonymous().get("/api/v1/nowhere").await;
        assert_eq!(nowhere.status, StatusCode::NOT_FOUND);
        assert_eq!(
            header(&nowhere, "content-type"),
            Some("application/problem+json")
        );

        // Nothing was created by any of them.
        assert_eq!(
            gongkai::tenancy::store::all(&app.state.db)
                .await
                .unwrap()
                .len(),
            1
        );
    }
);

both_backends!(health_readiness_metrics_and_openapi, |backend| async move {
    let app = TestApp::start(backend).await;
    let anon = app.anonymous();
    assert_eq!(anon.get("/healthz").await.expect(StatusCode::OK), "ok");
    assert_eq!(anon.get("/readyz").await.expect(StatusCode::OK), "ready");
    let metrics = anon.get("/metrics").await.expect(StatusCode::OK);
    assert!(metrics.as_str().unwrap().contains("http_requests_total"));

    // Every route of the table is in the OpenAPI document with its method.
    let doc = anon.get("/api/openapi.json").await.expect(StatusCode::OK);
    for route in gongkai::http::route_table(&app.state) {
        if route.page {
            continue; // HTML pages are not part of the API document
        }
        let method = route.method.as_str().to_lowercase();
        assert!(
            doc["paths"][route.path][&method].is_object(),
            "{} {} is missing from the OpenAPI document",
            route.method,
            route.path
        );
    }

    // Not ready when the database is gone.
    app.state.db.close().await;
    anon.get("/readyz")
        .await
        .expect(StatusCode::SERVICE_UNAVAILABLE);
});

both_backends!(
    every_non_public_route_has_a_permission_check,
    |backend| async move {
        use gongkai::http::access::Access;
        let app = TestApp::start(backend).await;
        app.create_tenant("city", None).await;
        let city = gongkai::tenancy::store::by_slug(&app.state.db, "city")
            .await
            .unwrap()
            .unwrap();
        // A signed-in user with no role anywhere that matters.
        app.add_member(&city, "nobody@city.cn", "editor").await;
        gongkai::users::service::revoke(
            app.state.accounts(),
            &gongkai::kernel::actor::Actor::cli(),
            &city,
            &gongkai::users::store::by_email(
                &mut app.state.db.pool().acquire().await.unwrap(),
                "nobody@city.cn",
            )
            .await
            .unwrap()
            .unwrap()
            .id,
            "editor",
        )
        .await
        .unwrap();
        let other = app.create_tenant("other", None).await;
        app.add_member(&other, "nobody@city.cn", "editor").await;
        let nobody = app.login("nobody@city.cn").await;
        let anon = app.anonymous();

        for route in gongkai::http::route_table(&app.state) {
            let path = route
                .path
                .replace("{slug}", "city")
                .replace("{id}", "00000000-0000-7000-8000-00000000abcd")
                .replace("{user_id}", "00000000-0000-7000-8000-00000000abcd")
                .replace("{role}", "editor");
            let body = matches!(route.method, Method::POST | Method::PUT | Method::PATCH)
                .then(|| json!({}));
            let as_anon = anon
                .request(route.method.clone(), &path, body.clone())
                .await;
            match route.access {
                Access::Public => assert_ne!(
                    as_anon.status,
                    StatusCode::UNAUTHORIZED,
                    "{} {}",
                    route.method,
                    route.path
                ),
                _ => assert_eq!(
                    as_anon.status,
                    StatusCode::UNAUTHORIZED,
                    "{} {} without credentials",
                    route.method,
                    route.path
                ),
            }
            if let Access::Platform(_) | Access::Tenant(_) = route.access {
                let as_nobody = nobody.request(route.method.clone(), &path, body).await;
                assert_eq!(
                    as_nobody.status,
                    StatusCode::FORBIDDEN,
                    "{} {} as a user without the permission: {}",
                    route.method,
                    route.path,
                    as_nobody.body
                );
            }
        }
    }
);

both_backends!(
    a_new_default_grant_reaches_an_existing_install_but_a_removed_one_stays_removed,
    |backend| async move {
        let app = TestApp::start(backend).await;
        let pool = app.state.db.pool();
        // An admin removed a default grant; a release-time re-seed must not bring it back.
        sqlx::query("DELETE FROM role_permissions WHERE role = 'editor' AND object = 'items' AND action = 'write'")
        .execute(pool)
        .await
        .unwrap();
        // A default this install has not applied yet (as if a new release added it).
        sqlx::query("DELETE FROM role_permission_defaults WHERE role = 'auditor' AND object = 'audit' AND action = 'read'")
        .execute(pool)
        .await
        .unwrap();
        sqlx::query("DELETE FROM role_permissions WHERE role = 'auditor' AND object = 'audit' AND action = 'read'")
        .execute(pool)
        .await
        .unwrap();
        gongkai::app::migrate(&app.db.config()).await.unwrap();
        let has = |role: &'static str, object: &'static str, action: &'static str| async move {
            sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM role_permissions WHERE role = $1 AND object = $2 AND action = $3",
        )
        .bind(role)
        .bind(object)
        .bind(action)
        .fetch_one(pool)
        .await
        .unwrap()
        };
        assert_eq!(has("editor", "items", "write").await, 0);
        assert_eq!(has("auditor", "audit", "read").await, 1);
    }
);

// Nobody grants or revokes their own roles, even by adding themselves as a member; a
// role that reaches other agencies (any `descendant:` permission, as the templates
// stand) is granted only from above — not by the agency's own administrators, who
// could otherwise hand it to each other.
both_backends!(
    nobody_changes_their_own_roles_and_oversight_comes_from_above,
    |backend| async move {
        let app = TestApp::start(backend).await;
        let city = app.create_tenant("city", None).await;
        app.create_tenant("county", Some("city")).await;
        let boss = app.add_member(&city, "boss@city.cn", "tenant_admin").await;
        let deputy = app
            .add_member(&city, "deputy@city.cn", "tenant_admin")
            .await;
        let mut boss_c = app.login("boss@city.cn").await;
        let mut deputy_c = app.login("deputy@city.cn").await;
        let role = |user: &gongkai::users::User, role: &str| {
            format!("/api/v1/tenants/city/members/{}/roles/{role}", user.id)
        };

        boss_c
            .put(&role(&boss, "auditor"), None)
            .await
            .expect(StatusCode::FORBIDDEN);
        boss_c
            .delete(&role(&boss, "tenant_admin"))
            .await
            .expect(StatusCode::FORBIDDEN);
        boss_c
            .post(
                "/api/v1/tenants/city/members",
                json!({"email": " BOSS@city.cn", "roles": ["auditor"]}),
            )
            .await
            .expect(StatusCode::FORBIDDEN);
        // Another admin may grant ordinary roles.
        deputy_c
            .put(&role(&boss, "auditor"), None)
            .await
            .expect(StatusCode::NO_CONTENT);

        // Oversight: neither admin can give it to the other.
        for (client, other) in [(&mut boss_c, &deputy), (&mut deputy_c, &boss)] {
            let refused = client
                .put(&role(other, "overseer"), None)
                .await
                .expect(StatusCode::FORBIDDEN);
            assert!(refused["detail"]
                .as_str()
                .unwrap()
                .contains("reaches other agencies"));
        }
        let refused = boss_c
            .post(
                "/api/v1/tenants/city/members",
                json!({"email": "eye@city.cn", "display_name": "Eye", "password": PASSWORD, "roles": ["overseer"]}),
            )
            .await
            .expect(StatusCode::FORBIDDEN);
        assert!(refused["detail"].as_str().unwrap().contains("overseer"));
        // The platform admin can.
        let mut admin = app.admin().await;
        admin
            .put(&role(&deputy, "overseer"), None)
            .await
            .expect(StatusCode::NO_CONTENT);

        // Reach is read from the templates as they stand: give auditors a view below,
        // and auditor too is granted only from above.
        let mut auditor = gongkai::authz::roles::permissions(&app.state.db, "auditor")
            .await
            .unwrap();
        auditor.push("descendant:items:read".into());
        admin
            .put(
                "/api/v1/roles/auditor",
                Some(json!({"permissions": auditor})),
            )
            .await
            .expect(StatusCode::OK);
        boss_c
            .put(&role(&deputy, "auditor"), None)
            .await
            .expect(StatusCode::FORBIDDEN);
        // Even the platform admin may not grant roles to their own account.
        let admin_user = gongkai::users::store::by_email_with_hash(&app.state.db, ADMIN)
            .await
            .unwrap()
            .unwrap()
            .0;
        admin
            .put(&role(&admin_user, "editor"), None)
            .await
            .expect(StatusCode::FORBIDDEN);
    }
);

// Feed links are built on `public_base_url`, whatever `Host` the request names.
both_backends!(feed_links_use_the_public_base_url, |backend| async move {
    let app = TestApp::start_with(backend, |c| {
        c.public_base_url = Some("https://gongkai.example.cn".into());
    })
    .await;
    app.create_tenant("city", None).await;
    let feed = app
        .http
        .get(app.url("/api/v1/public/city/feed.atom"))
        .header("host", "evil.example")
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .unwrap();
    assert_eq!(feed.status(), StatusCode::OK);
    let text = feed.text().await.unwrap();
    assert!(
        text.contains("https://gongkai.example.cn/api/v1/public/city/feed.atom"),
        "{text}"
    );
    assert!(!text.contains("evil.example"), "{text}");
});

// The demo seeds only an empty or demo database, and `serve` refuses while a demo
// account keeps the published password, unless the server runs the demo.
both_backends!(the_demo_password_stays_in_the_demo, |backend| async move {
    use gongkai::app::{demo, preflight};
    let app = TestApp::start(backend).await;
    let city = app.create_tenant("city", None).await;
    let refused = demo::seed(&app.state).await.err().expect("refused");
    assert!(refused.to_string().contains("city"), "{refused}");
    assert!(gongkai::tenancy::store::by_slug(&app.state.db, demo::CITY)
        .await
        .unwrap()
        .is_none());

    preflight::demo_password(&app.state).await.unwrap();
    let input = gongkai::users::service::NewMember {
        email: demo::ACCOUNTS[1].into(),
        display_name: Some("Demo".into()),
        password: Some(demo::PASSWORD.into()),
        roles: vec!["editor".into()],
    };
    let user = gongkai::users::service::add_member(
        app.state.accounts(),
        &gongkai::kernel::actor::Actor::cli(),
        &city,
        input,
    )
    .await
    .unwrap()
    .user;
    let refused = preflight::demo_password(&app.state).await.unwrap_err();
    assert!(refused.to_string().contains(demo::ACCOUNTS[1]), "{refused}");
    let mut in_demo = app.state.clone();
    in_demo.config = std::sync::Arc::new(gongkai::kernel::config::Config {
        demo: true,
        ..(*app.state.config).clone()
    });
    preflight::demo_password(&in_demo).await.unwrap();
    // A new password, and serving is allowed again.
    let mut admin = app.admin().await;
    admin
        .patch(
            &format!("/api/v1/users/{}", user.id),
            json!({"password": "a private passphrase"}),
        )
        .await
        .expect(StatusCode::OK);
    preflight::demo_password(&app.state).await.unwrap();
});

// A tenant's administrator can neither enrol an account of another agency nor find out
// whether an address has an account: both, and a new address, get one answer. The
// platform administrator enrols; the tenant's admin then extends the member's roles.
both_backends!(
    tenant_admins_cannot_enrol_or_probe_other_accounts,
    |backend| async move {
        let app = TestApp::start(backend).await;
        let city = app.create_tenant("city", None).await;
        let town = app.create_tenant("town", None).await;
        app.add_member(&city, "boss@city.cn", "tenant_admin").await;
        app.add_member(&town, "known@town.cn", "editor").await;
        let mut boss = app.login("boss@city.cn").await;
        let mut answers = Vec::new();
        for body in [
            json!({"email": "known@town.cn", "roles": ["editor"]}),
            json!({"email": "Known@Town.cn", "display_name": "K", "password": PASSWORD, "roles": ["editor"]}),
            json!({"email": "nobody@nowhere.cn", "display_name": "N", "password": PASSWORD, "roles": ["editor"]}),
            json!({"email": "nobody@nowhere.cn", "roles": ["editor"]}),
        ] {
            let reply = boss.post("/api/v1/tenants/city/members", body).await;
            answers.push((reply.status, reply.body.clone()));
        }
        for (status, body) in &answers {
            assert_eq!(*status, StatusCode::FORBIDDEN, "{body}");
            assert_eq!(body, &answers[0].1);
        }
        let members = boss
            .get("/api/v1/tenants/city/members")
            .await
            .expect(StatusCode::OK);
        assert!(!members.to_string().contains("known@town.cn"), "{members}");
        let mut conn = app.state.db.pool().acquire().await.unwrap();
        assert!(
            gongkai::users::store::by_email(&mut conn, "nobody@nowhere.cn")
                .await
                .unwrap()
                .is_none()
        );
        drop(conn);

        // The platform administrator enrols; then the tenant's admin may extend.
        let mut admin = app.admin().await;
        admin
            .post(
                "/api/v1/tenants/city/members",
                json!({"email": "known@town.cn", "roles": ["editor"]}),
            )
            .await
            .expect(StatusCode::CREATED);
        let extended = boss
            .post(
                "/api/v1/tenants/city/members",
                json!({"email": "known@town.cn", "roles": ["reviewer"]}),
            )
            .await
            .expect(StatusCode::CREATED);
        let mut roles: Vec<String> = serde_json::from_value(extended["roles"].clone()).unwrap();
        roles.sort();
        assert_eq!(roles, ["editor", "reviewer"]);
    }
);
