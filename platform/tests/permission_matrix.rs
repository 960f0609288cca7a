//! The agency's permission matrix, on both backends: an agency withdraws a permission
//! from a role within itself and the next request of its members obeys (API and console
//! alike); it gives it back; it can never add what the platform does not grant, nor lock
//! its administrators out of the matrix; another agency is untouched.

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

fn cell(role: &str, permission: &str) -> String {
    format!("/api/v1/tenants/city/permissions/{role}/{permission}")
}

both_backends!(
    an_agency_withdraws_and_gives_back_but_never_adds,
    |backend| async move {
        let app = TestApp::start(backend).await;
        let city = app.staffed("city", None, &["tenant_admin", "editor"]).await;
        app.staffed("town", None, &["editor"]).await;
        // A member with two roles that both grant items:read.
        gongkai::users::service::add_member(
            app.state.accounts(),
            &gongkai::kernel::actor::Actor::cli(),
            &city,
            gongkai::users::service::NewMember {
                email: "both@city.cn".into(),
                display_name: Some("两个角色".into()),
                password: Some(PASSWORD.to_string()),
                roles: vec!["editor".into(), "reviewer".into()],
            },
        )
        .await
        .unwrap();
        let mut boss = app.login("tenant_admin@city.cn").await;
        let mut editor = app.login("editor@city.cn").await;
        let both = app.login("both@city.cn").await;
        let town = app.login("editor@town.cn").await;
        editor
            .get("/api/v1/tenants/city/items")
            .await
            .expect(StatusCode::OK);

        // Withdrawn: the editor's next request is refused; the member who also reviews still
        // reads through the other role; another agency's editors are untouched.
        boss.put(
            &cell("editor", "items:read"),
            Some(json!({"granted": false})),
        )
        .await
        .expect(StatusCode::NO_CONTENT);
        editor
            .get("/api/v1/tenants/city/items")
            .await
            .expect(StatusCode::FORBIDDEN);
        both.get("/api/v1/tenants/city/items")
            .await
            .expect(StatusCode::OK);
        town.get("/api/v1/tenants/town/items")
            .await
            .expect(StatusCode::OK);
        let matrix = boss
            .get("/api/v1/tenants/city/permissions")
            .await
            .expect(StatusCode::OK);
        let row = matrix
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["role"] == "editor")
            .unwrap();
        let read = row["cells"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["permission"] == "items:read")
            .unwrap();
        assert_eq!(
            (
                read["granted_by_platform"].as_bool(),
                read["withdrawn"].as_bool()
            ),
            (Some(true), Some(true))
        );
        assert!(!matrix.to_string().contains("platform_admin"), "{matrix}");

        // Given back: obeyed at once. Twice is harmless.
        for _ in 0..2 {
            boss.put(
                &cell("editor", "items:read"),
                Some(json!({"granted": true})),
            )
            .await
            .expect(StatusCode::NO_CONTENT);
        }
        editor
            .get("/api/v1/tenants/city/items")
            .await
            .expect(StatusCode::OK);

        // Never more than the platform grants: an administrator cannot give the editors (or
        // themselves) members:manage, nor take roles:restrict from the administrators.
        let added = boss
            .put(
                &cell("editor", "members:manage"),
                Some(json!({"granted": true})),
            )
            .await
            .expect(StatusCode::CONFLICT);
        assert!(added.to_string().contains("never add"), "{added}");
        boss.put(
            &cell("tenant_admin", "tenants:manage"),
            Some(json!({"granted": true})),
        )
        .await
        .expect(StatusCode::CONFLICT);
        boss.put(
            &cell("tenant_admin", "roles:restrict"),
            Some(json!({"granted": false})),
        )
        .await
        .expect(StatusCode::CONFLICT);
        boss.put(
            &cell("editor", "items:fly"),
            Some(json!({"granted": false})),
        )
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
        boss.put(
            &cell("wizard", "items:read"),
            Some(json!({"granted": false})),
        )
        .await
        .expect(StatusCode::NOT_FOUND);
        boss.put(
            &cell("platform_admin", "items:read"),
            Some(json!({"granted": false})),
        )
        .await
        .expect(StatusCode::NOT_FOUND);
        // Without roles:restrict, or in another agency: refused.
        editor
            .put(
                &cell("editor", "items:write"),
                Some(json!({"granted": false})),
            )
            .await
            .expect(StatusCode::FORBIDDEN);
        boss.put(
            "/api/v1/tenants/town/permissions/editor/items:read",
            Some(json!({"granted": false})),
        )
        .await
        .expect(StatusCode::FORBIDDEN);
        town.get("/api/v1/tenants/town/items")
            .await
            .expect(StatusCode::OK);

        // The console's matrix: the same rule, the same service. A withdrawal posted from the
        // page is obeyed by the API; the page marks it; without the CSRF token, 403.
        let page = boss
            .get("/console/city/permissions")
            .await
            .expect(StatusCode::OK);
        assert!(page.to_string().contains("角色权限"), "{page}");
        let form = "role=editor&permission=items%3Aread&granted=0";
        let (posted, _) = boss
            .raw(
                Method::POST,
                "/console/city/permissions",
                Some(form.as_bytes().to_vec()),
                "application/x-www-form-urlencoded",
            )
            .await;
        // Post, redirect (followed by this client), get: the matrix again.
        assert_eq!(posted.status, StatusCode::OK, "{}", posted.body);
        editor
            .get("/api/v1/tenants/city/items")
            .await
            .expect(StatusCode::FORBIDDEN);
        let page = boss
            .get("/console/city/permissions")
            .await
            .expect(StatusCode::OK);
        assert!(
            page.to_string().contains(
                "class=\\\"changed\\\" data-role=\\\"editor\\\" data-permission=\\\"items:read\\\""
            ),
            "{page}"
        );
        let forged = Client {
            csrf: None,
            ..boss.clone()
        };
        let (refused, _) = forged
            .raw(
                Method::POST,
                "/console/city/permissions",
                Some(b"role=editor&permission=items%3Aread&granted=1".to_vec()),
                "application/x-www-form-urlencoded",
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        editor
            .get("/console/city/permissions")
            .await
            .expect(StatusCode::FORBIDDEN);
        // A refused change from the page: the matrix again with the reason, 409.
        let (conflict, _) = boss
            .raw(
                Method::POST,
                "/console/city/permissions",
                Some(b"role=editor&permission=members%3Amanage&granted=1".to_vec()),
                "application/x-www-form-urlencoded",
            )
            .await;
        assert_eq!(conflict.status, StatusCode::CONFLICT);
        assert!(conflict.body.to_string().contains("permissions-error"));

        // Every change is in the agency's audit chain.
        let mut conn = app.owner_connection().await;
        let (changes,): (i64,) = sqlx::query_as(
        "SELECT count(*) FROM audit_log WHERE action IN ('role.permission.withdraw', 'role.permission.restore')",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
        assert_eq!(changes, 3);
    }
);
