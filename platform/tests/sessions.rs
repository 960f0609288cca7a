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
    }
);

/// Sends a sign-in from `client_ip` as a proxy would report it in X-Forwarded-For.
async fn login_via_proxy(app: &TestApp, client_ip: &str, email: &str) -> StatusCode {
    app.http
        .post(app.url("/api/v1/auth/login"))
        .header("x-forwarded-for", client_ip)
        .json(&json!({"email": email, "password": "wrong password!"}))
        .send()
        .await
        .unwrap()
        .status()
}

// The unknown address, the wrong password, and the right password of an account with
// no active agency: one answer, and each costs a password hash.
both_backends!(
    sign_in_answers_do_not_tell_accounts_apart,
    |backend| async move {
        let app = TestApp::start(backend).await;
        let mut admin = app.admin().await;
        // An account holding no role anywhere (created by a platform admin).
        admin
            .post(
                "/api/v1/users",
                json!({"email": "idle@city.cn", "display_name": "Idle", "password": PASSWORD}),
            )
            .await
            .expect(StatusCode::CREATED);
        // The first unknown address prepares the stand-in hash once: not measured.
        app.anonymous()
            .login("warm@nowhere.cn", PASSWORD)
            .await
            .expect(StatusCode::UNAUTHORIZED);
        let mut timed = Vec::new();
        for (email, password) in [
            ("nobody@nowhere.cn", PASSWORD),
            (ADMIN, "wrong password!"),
            ("idle@city.cn", PASSWORD),
        ] {
            // The quickest of three: other tests share the machine.
            let mut quickest = std::time::Duration::MAX;
            let mut last = None;
            for _ in 0..3 {
                let started = std::time::Instant::now();
                let reply = app.anonymous().login(email, password).await;
                quickest = quickest.min(started.elapsed());
                last = Some(reply);
            }
            timed.push((email, quickest, last.unwrap()));
        }
        let (_, _, first) = &timed[0];
        for (email, _, reply) in &timed {
            assert_eq!(
                reply.status,
                StatusCode::UNAUTHORIZED,
                "{email}: {}",
                reply.body
            );
            for field in ["type", "title", "status", "detail"] {
                assert_eq!(reply.body[field], first.body[field], "{email}: {field}");
            }
        }
        // Every answer waited for a hash: none is a small fraction of another (a
        // skipped hash answers in well under a millisecond).
        let slowest = timed.iter().map(|(_, t, _)| *t).max().unwrap();
        for (email, took, _) in &timed {
            assert!(
                *took * 5 > slowest,
                "{email} answered in {took:?}, others in {slowest:?}"
            );
        }
    }
);

// The per-account limit counts one normal form of the address: spaces, capitals and
// full-width letters give no fresh budget; the same forms sign in.
both_backends!(
    the_account_limit_counts_every_spelling_of_the_address,
    |backend| async move {
        let app = TestApp::start_with(backend, |c| {
            c.login_per_account_per_minute = 4;
            c.login_per_address_per_minute = 100;
        })
        .await;
        app.anonymous()
            .login("  ａｄｍｉｎ@test.gongkai.cn ", PASSWORD)
            .await
            .expect(StatusCode::OK);
        for spelling in [
            " admin@test.gongkai.cn",
            "ADMIN@test.gongkai.cn\t",
            "ａｄｍｉｎ@TEST.gongkai.cn",
        ] {
            app.anonymous()
                .login(spelling, "wrong password!")
                .await
                .expect(StatusCode::UNAUTHORIZED);
        }
        let limited = app.anonymous().login(ADMIN, PASSWORD).await;
        assert_eq!(
            limited.status,
            StatusCode::TOO_MANY_REQUESTS,
            "{}",
            limited.body
        );
    }
);

// The per-address limit believes X-Forwarded-For only from a configured proxy, and
// counts an IPv6 client by its /64.
both_backends!(
    the_address_limit_trusts_only_configured_proxies,
    |backend| async move {
        let app = TestApp::start_with(backend, |c| {
            c.login_per_account_per_minute = 100;
            c.login_per_address_per_minute = 2;
            c.trusted_proxies = vec!["127.0.0.1".into()];
        })
        .await;
        for _ in 0..2 {
            assert_eq!(
                login_via_proxy(&app, "203.0.113.1", "a@x.cn").await,
                StatusCode::UNAUTHORIZED
            );
        }
        assert_eq!(
            login_via_proxy(&app, "203.0.113.1", "a@x.cn").await,
            StatusCode::TOO_MANY_REQUESTS
        );
        assert_eq!(
            login_via_proxy(&app, "203.0.113.2", "a@x.cn").await,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            login_via_proxy(&app, "2001:db8:0:1::1", "a@x.cn").await,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            login_via_proxy(&app, "2001:db8:0:1::2", "a@x.cn").await,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            login_via_proxy(&app, "2001:db8:0:1:ffff::3", "a@x.cn").await,
            StatusCode::TOO_MANY_REQUESTS
        );

        // Without configured proxies the header is the caller's own say-so: ignored.
        let app = TestApp::start_with(backend, |c| {
            c.login_per_account_per_minute = 100;
            c.login_per_address_per_minute = 2;
        })
        .await;
        for (i, status) in [
            StatusCode::UNAUTHORIZED,
            StatusCode::UNAUTHORIZED,
            StatusCode::TOO_MANY_REQUESTS,
        ]
        .into_iter()
        .enumerate()
        {
            assert_eq!(
                login_via_proxy(&app, &format!("203.0.113.{i}"), "a@x.cn").await,
                status
            );
        }
    }
);

// A password reset by an admin ends the account's tokens for good (re-enabling does
// not revive them); a self-service change ends every other session and every token,
// and keeps the session it was made in.
both_backends!(
    password_changes_end_tokens_and_other_sessions,
    |backend| async move {
        let app = TestApp::start(backend).await;
        let city = app.create_tenant("city", None).await;
        let user = app.add_member(&city, "clerk@city.cn", "editor").await;
        let mut admin = app.admin().await;
        let token_of = |mut client: Client| async move {
            client
                .post("/api/v1/auth/tokens", json!({"name": "sync"}))
                .await
                .expect(StatusCode::CREATED)["secret"]
                .as_str()
                .unwrap()
                .to_string()
        };
        let path = format!("/api/v1/users/{}", user.id);

        // Disabled and enabled again: the old token stays dead.
        let robot = app
            .anonymous()
            .with_token(&token_of(app.login("clerk@city.cn").await).await);
        admin
            .patch(&path, json!({"active": false}))
            .await
            .expect(StatusCode::OK);
        admin
            .patch(&path, json!({"active": true}))
            .await
            .expect(StatusCode::OK);
        robot
            .get("/api/v1/auth/me")
            .await
            .expect(StatusCode::UNAUTHORIZED);

        // An admin's reset ends tokens too.
        let robot = app
            .anonymous()
            .with_token(&token_of(app.login("clerk@city.cn").await).await);
        robot.get("/api/v1/auth/me").await.expect(StatusCode::OK);
        admin
            .patch(&path, json!({"password": "a whole new passphrase"}))
            .await
            .expect(StatusCode::OK);
        robot
            .get("/api/v1/auth/me")
            .await
            .expect(StatusCode::UNAUTHORIZED);

        // Self-service: this session stays, the other session and the token end.
        let mut here = app.anonymous();
        here.login("clerk@city.cn", "a whole new passphrase")
            .await
            .expect(StatusCode::OK);
        let mut elsewhere = app.anonymous();
        elsewhere
            .login("clerk@city.cn", "a whole new passphrase")
            .await
            .expect(StatusCode::OK);
        let robot = app
            .anonymous()
            .with_token(&token_of(elsewhere.clone()).await);
        let change =
            |current: &str, new: &str| json!({"current_password": current, "new_password": new});
        here.post(
            "/api/v1/auth/password",
            change("not my password", "yet another passphrase"),
        )
        .await
        .expect(StatusCode::UNAUTHORIZED);
        here.post(
            "/api/v1/auth/password",
            change("a whole new passphrase", "short"),
        )
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
        let mut by_token = robot.clone();
        by_token
            .post(
                "/api/v1/auth/password",
                change("a whole new passphrase", "yet another passphrase"),
            )
            .await
            .expect(StatusCode::FORBIDDEN);
        here.post(
            "/api/v1/auth/password",
            change("a whole new passphrase", "yet another passphrase"),
        )
        .await
        .expect(StatusCode::NO_CONTENT);
        here.get("/api/v1/auth/me").await.expect(StatusCode::OK);
        elsewhere
            .get("/api/v1/auth/me")
            .await
            .expect(StatusCode::UNAUTHORIZED);
        robot
            .get("/api/v1/auth/me")
            .await
            .expect(StatusCode::UNAUTHORIZED);
        app.anonymous()
            .login("clerk@city.cn", "yet another passphrase")
            .await
            .expect(StatusCode::OK);
        let audit = admin
            .get("/api/v1/tenants/platform/audit")
            .await
            .expect(StatusCode::OK);
        assert!(audit.to_string().contains("user.password"), "{audit}");
    }
);

both_backends!(session_cookies_carry_secure_flags, |backend| async move {
    let app = TestApp::start_with(backend, |c| c.cookie_secure = true).await;
    let (reply, _) = app
        .anonymous()
        .raw(
            reqwest::Method::POST,
            "/api/v1/auth/login",
            Some(
                json!({"email": ADMIN, "password": PASSWORD})
                    .to_string()
                    .into_bytes(),
            ),
            "application/json",
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let cookie = header(&reply, "set-cookie")
        .expect("a session cookie")
        .to_string();
    assert!(cookie.starts_with("__Host-gongkai="), "{cookie}");
    for flag in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/"] {
        assert!(cookie.contains(flag), "{flag} missing: {cookie}");
    }
    assert!(!cookie.contains("Domain="), "{cookie}");
});
