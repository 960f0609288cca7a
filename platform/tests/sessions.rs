//! Sessions and sign-in on both backends: idle and absolute expiry, id rotation,
//! logout, disabled accounts, CSRF refusal and the login rate limits.

mod common;

use std::time::Duration;

use common::*;
use reqwest::StatusCode;
use serde_json::json;

both_backends!(idle_sessions_expire, |backend| async move {
    let app = TestApp::start_with(backend, |c| c.session_idle_secs = 2).await;
    let client = app.admin().await;
    client.get("/api/v1/auth/me").await.expect(StatusCode::OK);
    // Activity keeps it alive past the idle limit...
    for _ in 0..3 {
        tokio::time::sleep(Duration::from_millis(1100)).await;
        client.get("/api/v1/auth/me").await.expect(StatusCode::OK);
    }
    // ...idleness ends it.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    client
        .get("/api/v1/auth/me")
        .await
        .expect(StatusCode::UNAUTHORIZED);
});

both_backends!(
    sessions_end_at_the_absolute_limit_despite_activity,
    |backend| async move {
        let app = TestApp::start_with(backend, |c| {
            c.session_idle_secs = 60;
            c.session_absolute_secs = 3;
        })
        .await;
        let client = app.admin().await;
        for _ in 0..2 {
            tokio::time::sleep(Duration::from_millis(1000)).await;
            client.get("/api/v1/auth/me").await.expect(StatusCode::OK);
        }
        tokio::time::sleep(Duration::from_millis(1500)).await;
        client
            .get("/api/v1/auth/me")
            .await
            .expect(StatusCode::UNAUTHORIZED);
    }
);

both_backends!(
    login_rotates_the_session_id_and_logout_ends_it,
    |backend| async move {
        let app = TestApp::start(backend).await;
        let mut client = app.admin().await;
        let first = client.cookie.clone().expect("a session cookie");
        let first_csrf = client.csrf.clone();
        // Signing in again from the same session gives a new id; the old one is dead.
        client.login(ADMIN, PASSWORD).await.expect(StatusCode::OK);
        let second = client.cookie.clone().unwrap();
        assert_ne!(first, second);
        assert_ne!(first_csrf, client.csrf);
        let old = gongkai_client_with_cookie(&app, &first);
        old.get("/api/v1/auth/me")
            .await
            .expect(StatusCode::UNAUTHORIZED);
        client.get("/api/v1/auth/me").await.expect(StatusCode::OK);

        client
            .post("/api/v1/auth/logout", json!({}))
            .await
            .expect(StatusCode::NO_CONTENT);
        gongkai_client_with_cookie(&app, &second)
            .get("/api/v1/auth/me")
            .await
            .expect(StatusCode::UNAUTHORIZED);
    }
);

fn gongkai_client_with_cookie(app: &TestApp, cookie: &str) -> Client {
    let mut client = app.anonymous();
    client.cookie = Some(cookie.to_string());
    client
}

both_backends!(
    disabling_a_user_ends_their_sessions_and_tokens,
    |backend| async move {
        let app = TestApp::start(backend).await;
        let city = app.create_tenant("city", None).await;
        let user = app.add_member(&city, "clerk@city.cn", "editor").await;
        let mut clerk = app.login("clerk@city.cn").await;
        let token = clerk
            .post("/api/v1/auth/tokens", json!({"name": "sync"}))
            .await
            .expect(StatusCode::CREATED)["secret"]
            .as_str()
            .unwrap()
            .to_string();
        let robot = app.anonymous().with_token(&token);
        robot.get("/api/v1/auth/me").await.expect(StatusCode::OK);

        let mut admin = app.admin().await;
        admin
            .patch(
                &format!("/api/v1/users/{}", user.id),
                json!({"active": false}),
            )
            .await
            .expect(StatusCode::OK);
        clerk
            .get("/api/v1/auth/me")
            .await
            .expect(StatusCode::UNAUTHORIZED);
        robot
            .get("/api/v1/auth/me")
            .await
            .expect(StatusCode::UNAUTHORIZED);
        let mut again = app.anonymous();
        again
            .login("clerk@city.cn", PASSWORD)
            .await
            .expect(StatusCode::UNAUTHORIZED);
        let sessions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE user_id = $1")
            .bind(&user.id)
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
        assert_eq!(sessions, 0);

        // A password reset ends sessions too, and the new password works.
        admin
            .patch(
                &format!("/api/v1/users/{}", user.id),
                json!({"active": true}),
            )
            .await
            .expect(StatusCode::OK);
        let clerk = app.login("clerk@city.cn").await;
        admin
            .patch(
                &format!("/api/v1/users/{}", user.id),
                json!({"password": "a whole new passphrase"}),
            )
            .await
            .expect(StatusCode::OK);
        clerk
            .get("/api/v1/auth/me")
            .await
            .expect(StatusCode::UNAUTHORIZED);
        app.anonymous()
            .login("clerk@city.cn", "a whole new passphrase")
            .await
            .expect(StatusCode::OK);
    }
);

both_backends!(
    cookie_state_changes_need_the_csrf_token,
    |backend| async move {
        let app = TestApp::start(backend).await;
        let mut admin = app.admin().await;
        let body = json!({"slug": "csrf-test", "name_zh": "测试", "kind": "other"});
        let real = admin.csrf.take();
        let refused = admin
            .post("/api/v1/tenants", body.clone())
            .await
            .expect(StatusCode::FORBIDDEN);
        assert!(refused["detail"].as_str().unwrap().contains("x-csrf-token"));
        admin.csrf = Some("forged".into());
        admin
            .post("/api/v1/tenants", body.clone())
            .await
            .expect(StatusCode::FORBIDDEN);
        // Reads need none.
        admin.get("/api/v1/tenants").await.expect(StatusCode::OK);
        assert!(gongkai::tenancy::store::by_slug(&app.state.db, "csrf-test")
            .await
            .unwrap()
            .is_none());
        admin.csrf = real;
        admin
            .post("/api/v1/tenants", body)
            .await
            .expect(StatusCode::CREATED);
    }
);

both_backends!(
    logins_are_rate_limited_per_account_and_per_address,
    |backend| async move {
        let app = TestApp::start_with(backend, |c| {
            c.login_per_account_per_minute = 3;
            c.login_per_address_per_minute = 5;
        })
        .await;
        let mut client = app.anonymous();
        for _ in 0..3 {
            client
                .login(ADMIN, "wrong password!")
                .await
                .expect(StatusCode::UNAUTHORIZED);
        }
        // The account's quota is spent: even the right password waits.
        let limited = client.login(ADMIN, PASSWORD).await;
        assert_eq!(
            limited.status,
            StatusCode::TOO_MANY_REQUESTS,
            "{}",
            limited.body
        );
        assert!(header(&limited, "retry-after").is_some());
        // Other accounts from the same address: one more attempt, then the address is limited.
        client
            .login("someone@else.cn", "whatever pass")
            .await
            .expect(StatusCode::UNAUTHORIZED);
        client
            .login("third@else.cn", "whatever pass")
            .await
            .expect(StatusCode::TOO_MANY_REQUESTS);
        // Unknown and wrong answer alike, with the same message.
        let wrong = app.anonymous();
        let _ = wrong;
    }
);
