//! Tenant isolation on both backends: every route, called by every role of tenant A on
//! tenant B's resources, answers 403 or 404 and changes nothing; overseers see their
//! descendants and nothing beside them.

mod common;

use common::*;
use gongkai::http::access::Access;
use gongkai::tenancy::Tenant;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const TENANT_ROLES: &[&str] = &[
    "tenant_admin",
    "editor",
    "reviewer",
    "approver",
    "request_officer",
    "auditor",
    "overseer",
];

/// What a tenant has, as seen from outside: its row, members, adjustments, audit chain.
async fn snapshot(app: &TestApp, tenant: &Tenant) -> Value {
    let row = gongkai::tenancy::store::by_slug(&app.state.db, &tenant.slug)
        .await
        .unwrap();
    let members = gongkai::users::store::members(&app.state.db, &tenant.id)
        .await
        .unwrap();
    let mut tx = app.state.db.tenant_read(&tenant.id).await.unwrap();
    let adjustments = gongkai::calendar::store::adjustments(&mut tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let chain = gongkai::audit::verify_tenant(&app.state.db, &tenant.id)
        .await
        .unwrap();
    let users = gongkai::users::store::all(&app.state.db).await.unwrap();
    json!({
        "tenant": format!("{row:?}"),
        "members": format!("{members:?}"),
        "adjustments": format!("{adjustments:?}"),
        "chain": format!("{chain:?}"),
        "users": format!("{users:?}"),
    })
}

/// A body that would change something if the route let it through.
fn body_for(method: &Method, path: &str) -> Option<Value> {
    if !matches!(*method, Method::POST | Method::PUT | Method::PATCH) {
        return None;
    }
    Some(match path {
        p if p.ends_with("/members") => json!({
            "email": "intruder@a.cn", "display_name": "闯入者", "password": PASSWORD, "roles": ["tenant_admin"]
        }),
        p if p.contains("/calendar/adjustments/") => json!({"kind": "day_off", "reason": "闯入"}),
        "/api/v1/tenants/{slug}" => json!({"name_zh": "被改名", "active": false}),
        "/api/v1/users/{id}" => json!({"active": false}),
        "/api/v1/roles/{role}" => json!({"permissions": []}),
        "/api/v1/calendar/years/{year}" => json!({"source": "x", "days": []}),
        "/api/v1/tenants" => {
            json!({"slug": "intruded", "name_zh": "x", "kind": "other", "parent": "tenant-b"})
        }
        "/api/v1/users" => json!({"email": "new@a.cn", "display_name": "x", "password": PASSWORD}),
        _ => json!({}),
    })
}

both_backends!(no_route_of_a_reaches_b, |backend| async move {
    let app = TestApp::start(backend).await;
    let a = app.create_tenant("tenant-a", None).await;
    let b = app.create_tenant("tenant-b", None).await;
    for role in TENANT_ROLES {
        app.add_member(&a, &format!("{role}@a.cn"), role).await;
        app.add_member(&b, &format!("{role}@b.cn"), role).await;
    }
    let victim = app.add_member(&b, "victim@b.cn", "editor").await;
    let mut victim_client = app.login("victim@b.cn").await;
    let token_id = victim_client
        .post("/api/v1/auth/tokens", json!({"name": "b's token"}))
        .await
        .expect(StatusCode::CREATED)["token"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let mut b_admin = app.login("tenant_admin@b.cn").await;
    b_admin
        .put(
            "/api/v1/tenants/tenant-b/calendar/adjustments/2099-12-01",
            Some(json!({"kind": "day_off", "reason": "本地"})),
        )
        .await
        .expect(StatusCode::OK);

    let before = snapshot(&app, &b).await;
    let routes = gongkai::http::route_table(&app.state);
    let mut checked = 0;
    for role in TENANT_ROLES {
        let mut intruder = app.login(&format!("{role}@a.cn")).await;
        for route in &routes {
            if route.access == Access::Public || route.path == "/api/v1/auth/logout" {
                continue;
            }
            let path = route
                .path
                .replace("{slug}", &b.slug)
                .replace("{user_id}", &victim.id)
                .replace("{role}", "editor")
                .replace("{date}", "2099-12-01")
                .replace("{year}", "2030")
                .replace(
                    "{id}",
                    if route.path.contains("tokens") {
                        &token_id
                    } else {
                        &victim.id
                    },
                );
            let body = body_for(&route.method, route.path);
            // Self-service routes name nothing of B's: they act on the caller's own things.
            if matches!(route.access, Access::Authenticated) && !route.path.contains("{id}") {
                continue;
            }
            let reply = intruder.send(route.method.clone(), &path, body).await;
            assert!(
                reply.status == StatusCode::FORBIDDEN || reply.status == StatusCode::NOT_FOUND,
                "{role} of A: {} {path} answered {}: {}",
                route.method,
                reply.status,
                reply.body
            );
            checked += 1;
        }
    }
    assert!(checked > 60, "only {checked} calls made");
    assert_eq!(before, snapshot(&app, &b).await, "tenant B changed");
    // B's token still works: A could not revoke it.
    victim_client
        .get("/api/v1/auth/tokens")
        .await
        .expect(StatusCode::OK);
    let tokens = victim_client.get("/api/v1/auth/tokens").await.body;
    assert!(tokens[0]["revoked_at"].is_null());
});

both_backends!(
    overseers_see_descendants_not_siblings,
    |backend| async move {
        let app = TestApp::start(backend).await;
        let parent = app.create_tenant("parent-gov", None).await;
        app.create_tenant("child-one", Some("parent-gov")).await;
        let child_two = app.create_tenant("child-two", Some("parent-gov")).await;
        app.create_tenant("grandchild", Some("child-two")).await;
        app.create_tenant("sibling-gov", None).await;
        app.add_member(&parent, "overseer@parent.cn", "overseer")
            .await;
        app.add_member(&child_two, "editor@child.cn", "editor")
            .await;
        let overseer = app.login("overseer@parent.cn").await;

        for slug in ["parent-gov", "child-one", "child-two", "grandchild"] {
            overseer
                .get(&format!("/api/v1/tenants/{slug}"))
                .await
                .expect(StatusCode::OK);
        }
        overseer
            .get("/api/v1/tenants/sibling-gov")
            .await
            .expect(StatusCode::FORBIDDEN);
        let listed: Vec<String> = overseer
            .get("/api/v1/tenants")
            .await
            .expect(StatusCode::OK)
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["slug"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(
            listed,
            ["child-one", "child-two", "grandchild", "parent-gov"]
        );
        // Oversight is read access to figures, not administration.
        overseer
            .get("/api/v1/tenants/child-one/members")
            .await
            .expect(StatusCode::FORBIDDEN);
        overseer
            .get("/api/v1/tenants/child-one/audit")
            .await
            .expect(StatusCode::FORBIDDEN);

        // A child's staff see nothing of the parent's other children.
        let editor = app.login("editor@child.cn").await;
        editor
            .get("/api/v1/tenants/child-two")
            .await
            .expect(StatusCode::OK);
        editor
            .get("/api/v1/tenants/child-one")
            .await
            .expect(StatusCode::FORBIDDEN);
        editor
            .get("/api/v1/tenants/parent-gov")
            .await
            .expect(StatusCode::FORBIDDEN);
    }
);
