//! The console's audit log, on both backends: auditors and administrators read the
//! agency's entries newest first and filter them, verify the chain and see where someone
//! with database access changed an entry; members without `audit:read` and other
//! agencies' auditors are refused; a malformed filter is answered beside the field.

mod common;

use common::*;
use gongkai::kernel::db::Backend;
use reqwest::StatusCode;
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
