//! The console's administration pages, on both backends. The audit log: auditors and
//! administrators read the agency's entries newest first and filter them, verify the
//! chain and see where someone with database access changed an entry; members without
//! `audit:read` and other agencies' auditors are refused; a malformed filter is answered
//! beside the field. Members and roles: an administrator gives and takes back roles
//! (never their own), enrols only accounts already in the agency (a platform
//! administrator enrols new ones), every refusal beside its form with the values kept.

mod common;

use common::*;
use gongkai::kernel::db::Backend;
use reqwest::{Method, StatusCode};
use serde_json::json;

both_backends!(
    auditors_read_filter_and_verify_the_log,
    |backend| async move {
        let app = TestApp::start(backend).await;
        app.staffed("city", None, &["tenant_admin", "auditor", "editor"])
            .await;
        app.staffed("town", None, &["auditor"]).await;
        let editor = app.login("editor@city.cn").await;
        let mut boss = app.login("tenant_admin@city.cn").await;
        boss.put(
            "/api/v1/tenants/city/permissions/editor/items:read",
            Some(json!({"granted": false})),
        )
        .await
        .expect(StatusCode::NO_CONTENT);
        let auditor = app.login("auditor@city.cn").await;

        // Newest first, every kind of entry; the navigation offers the log.
        let page = auditor
            .get("/console/city/audit")
            .await
            .expect(StatusCode::OK)
            .to_string();
        assert!(page.contains("审计日志"), "{page}");
        assert!(page.contains("role.grant"), "{page}");
        assert!(page.contains("role.permission.withdraw"), "{page}");
        assert!(page.contains("href=\\\"/console/city/audit\\\""), "{page}");
        let seqs: Vec<i64> = page
            .split("data-seq=\\\"")
            .skip(1)
            .map(|s| s.split('\\').next().unwrap().parse().unwrap())
            .collect();
        assert!(seqs.len() >= 3, "{page}");
        assert!(seqs.windows(2).all(|w| w[0] > w[1]), "{seqs:?}");

        // Filtered by what was done: only the permission matrix's entries.
        let changes = auditor
            .get("/console/city/audit?action=role.permission.")
            .await
            .expect(StatusCode::OK)
            .to_string();
        assert!(changes.contains("role.permission.withdraw"), "{changes}");
        assert!(!changes.contains("role.grant"), "{changes}");
        // Before an entry: only older ones.
        let older = auditor
            .get(&format!("/console/city/audit?before={}", seqs[0]))
            .await
            .expect(StatusCode::OK)
            .to_string();
        assert!(
            !older.contains(&format!("data-seq=\\\"{}\\\"", seqs[0])),
            "{older}"
        );

        // A malformed page number: 422, the message beside the filters, the filter kept.
        let bad = auditor
            .get("/console/city/audit?action=role.&before=abc")
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        let bad = bad.body.to_string();
        assert!(bad.contains("before-error"), "{bad}");
        assert!(bad.contains("value=\\\"role.\\\""), "{bad}");
        let long = format!("/console/city/audit?action={}", "x".repeat(101));
        let long = auditor.get(&long).await;
        assert_eq!(long.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(long.body.to_string().contains("action-error"));

        // Verified intact.
        let verified = auditor
            .get("/console/city/audit/verify")
            .await
            .expect(StatusCode::OK)
            .to_string();
        assert!(verified.contains("哈希链完整"), "{verified}");

        // Someone with the database owner's rights rewrites who did something: the
        // verification names the entry.
        let mut conn = app.owner_connection().await;
        let (city_id,): (String,) = sqlx::query_as("SELECT id FROM tenants WHERE slug = 'city'")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        let rewrite = format!(
            "UPDATE audit_log SET actor = 'someone else' WHERE tenant_id = '{city_id}' AND seq = 2"
        );
        let statements = match backend {
            Backend::Sqlite => vec!["DROP TRIGGER audit_log_no_update".to_string(), rewrite],
            Backend::Postgres => vec![
                "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete".to_string(),
                rewrite,
                "ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update_delete".to_string(),
            ],
        };
        for sql in statements {
            sqlx::query(&sql).execute(&mut conn).await.unwrap();
        }
        let broken = auditor
            .get("/console/city/audit/verify")
            .await
            .expect(StatusCode::OK)
            .to_string();
        assert!(
            broken.contains("role=\\\"alert\\\" id=\\\"audit-verification\\\""),
            "{broken}"
        );
        assert!(broken.contains("第 2 条"), "{broken}");

        // Without audit:read, or in another agency: refused; the agency's administrator may.
        editor
            .get("/console/city/audit")
            .await
            .expect(StatusCode::FORBIDDEN);
        let town = app.login("auditor@town.cn").await;
        town.get("/console/city/audit")
            .await
            .expect(StatusCode::FORBIDDEN);
        town.get("/console/city/audit/verify")
            .await
            .expect(StatusCode::FORBIDDEN);
        boss.get("/console/city/audit").await.expect(StatusCode::OK);
    }
);

async fn form_post(client: &Client, path: &str, body: &str) -> Reply {
    client
        .raw(
            Method::POST,
            path,
            Some(body.as_bytes().to_vec()),
            "application/x-www-form-urlencoded",
        )
        .await
        .0
}

async fn roles_of(client: &Client, email: &str) -> Vec<String> {
    let members = client
        .get("/api/v1/tenants/city/members")
        .await
        .expect(StatusCode::OK);
    members
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["user"]["email"] == email)
        .map(|m| {
            m["roles"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r.as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

both_backends!(
    administrators_give_and_take_back_roles_and_enrol,
    |backend| async move {
        let app = TestApp::start(backend).await;
        app.staffed("city", None, &["tenant_admin", "editor"]).await;
        app.staffed("town", None, &["tenant_admin"]).await;
        let boss = app.login("tenant_admin@city.cn").await;
        let page = boss
            .get("/console/city/members")
            .await
            .expect(StatusCode::OK)
            .to_string();
        assert!(page.contains("editor@city.cn"), "{page}");
        assert!(
            page.contains("href=\\\"/console/city/members\\\""),
            "{page}"
        );
        let ids = boss
            .get("/api/v1/tenants/city/members")
            .await
            .expect(StatusCode::OK);
        let id_of = |email: &str| {
            ids.as_array()
                .unwrap()
                .iter()
                .find(|m| m["user"]["email"] == email)
                .unwrap()["user"]["id"]
                .as_str()
                .unwrap()
                .to_string()
        };
        let (editor_id, boss_id) = (id_of("editor@city.cn"), id_of("tenant_admin@city.cn"));

        // Given from the page, obeyed by the API; taken back the same way.
        let given = form_post(
            &boss,
            &format!("/console/city/members/{editor_id}/roles"),
            "role=reviewer",
        )
        .await;
        assert_eq!(given.status, StatusCode::OK, "{}", given.body);
        assert_eq!(
            roles_of(&boss, "editor@city.cn").await,
            ["editor", "reviewer"]
        );
        let taken = form_post(
            &boss,
            &format!("/console/city/members/{editor_id}/roles/reviewer/revoke"),
            "",
        )
        .await;
        assert_eq!(taken.status, StatusCode::OK, "{}", taken.body);
        assert_eq!(roles_of(&boss, "editor@city.cn").await, ["editor"]);

        // Not one's own roles: refused beside the member's row, nothing changed.
        let own = form_post(
            &boss,
            &format!("/console/city/members/{boss_id}/roles/tenant_admin/revoke"),
            "",
        )
        .await;
        assert_eq!(own.status, StatusCode::FORBIDDEN);
        assert!(own.body.to_string().contains("role-error"), "{}", own.body);
        assert_eq!(
            roles_of(&boss, "tenant_admin@city.cn").await,
            ["tenant_admin"]
        );
        // An unknown role: 422 beside the row.
        let unknown = form_post(
            &boss,
            &format!("/console/city/members/{editor_id}/roles"),
            "role=mayor",
        )
        .await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);

        // An agency's administrator cannot enrol an address new to the agency: 403 beside
        // the address, what was typed kept (the password never echoed), nobody added.
        let refused = form_post(
            &boss,
            "/console/city/members",
            "email=stranger%40else.cn&display_name=%E5%B7%A6%E5%8F%B3&password=Secret-Pass-2026&roles=editor",
        )
        .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let text = refused.body.to_string();
        assert!(text.contains("email-error"), "{text}");
        assert!(text.contains("value=\\\"stranger@else.cn\\\""), "{text}");
        assert!(text.contains("左右"), "{text}");
        assert!(!text.contains("Secret-Pass-2026"), "{text}");
        assert!(roles_of(&boss, "stranger@else.cn").await.is_empty());
        // No role chosen: 422 beside the roles.
        let none = form_post(&boss, "/console/city/members", "email=editor%40city.cn").await;
        assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(none.body.to_string().contains("roles-error"));

        // A platform administrator enrols a new account with roles.
        let admin = app.admin().await;
        let enrolled = form_post(
            &admin,
            "/console/city/members",
            "email=new%40city.cn&display_name=%E6%96%B0%E4%BA%BA&password=Secret-Pass-2026&roles=editor&roles=reviewer",
        )
        .await;
        assert_eq!(enrolled.status, StatusCode::OK, "{}", enrolled.body);
        assert_eq!(roles_of(&boss, "new@city.cn").await, ["editor", "reviewer"]);
        let signed_in = app
            .anonymous()
            .login("new@city.cn", "Secret-Pass-2026")
            .await;
        assert_eq!(signed_in.status, StatusCode::OK, "{}", signed_in.body);

        // Without the permission, in another agency, or without the CSRF token: refused.
        let editor = app.login("editor@city.cn").await;
        let path = format!("/console/city/members/{editor_id}/roles");
        assert_eq!(
            form_post(&editor, &path, "role=tenant_admin").await.status,
            StatusCode::FORBIDDEN
        );
        let town = app.login("tenant_admin@town.cn").await;
        town.get("/console/city/members")
            .await
            .expect(StatusCode::FORBIDDEN);
        assert_eq!(
            form_post(&town, &path, "role=tenant_admin").await.status,
            StatusCode::FORBIDDEN
        );
        let forged = Client {
            csrf: None,
            ..boss.clone()
        };
        assert_eq!(
            form_post(&forged, &path, "role=reviewer").await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(roles_of(&boss, "editor@city.cn").await, ["editor"]);
    }
);
