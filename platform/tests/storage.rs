//! The storage walls: row-level security on PostgreSQL, SQLite's durability settings,
//! and the append-only audit log, checked against the real databases.

mod common;
#[path = "storage/schema.rs"]
mod schema;

use common::*;
use gongkai::kernel::db::{Backend, PLATFORM_TABLES};
use sqlx::{Connection, Row};

/// A row of `pg_policies`: permissive, command, roles, USING, WITH CHECK.
type Policy = (String, String, Vec<String>, Option<String>, Option<String>);

/// Every table that is not a platform table is tenant data: tenant_id first in the
/// primary key, RLS enabled and forced, a policy with USING and WITH CHECK. And the
/// serving role is no superuser, cannot bypass RLS and owns nothing.
#[tokio::test]
async fn postgres_catalog_holds_every_tenant_table_to_the_rules() {
    let db = TestDb::new(Backend::Postgres).await;
    db.migrate().await;
    let mut owner = sqlx::PgConnection::connect(&db.owner_url).await.unwrap();
    let tables: Vec<(String, bool, bool)> = sqlx::query_as(
        "SELECT c.relname::text, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c \
         JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 1",
    )
    .fetch_all(&mut owner)
    .await
    .unwrap();
    assert!(tables.len() > PLATFORM_TABLES.len(), "{tables:?}");
    let mut problems = Vec::new();
    for (table, rls, forced) in &tables {
        if PLATFORM_TABLES.iter().any(|(t, _)| t == table) {
            continue;
        }
        if !rls {
            problems.push(format!("{table}: row-level security is not enabled"));
        }
        if !forced {
            problems.push(format!("{table}: row-level security is not forced"));
        }
        // Every policy, not only one: policies are OR-ed, so a second permissive one
        // with a wider expression would open the table. Each must be exactly the tenant
        // scope, for every command and every role, in USING and in WITH CHECK.
        let policies: Vec<Policy> = sqlx::query_as(
            "SELECT permissive::text, cmd::text, roles::text[], qual, with_check FROM pg_policies \
                 WHERE schemaname = 'public' AND tablename = $1",
        )
        .bind(table)
        .fetch_all(&mut owner)
        .await
        .unwrap();
        let scope = "(tenant_id = ANY (app_tenant_ids()))";
        let exact = |(permissive, cmd, roles, using, check): &(
            String,
            String,
            Vec<String>,
            Option<String>,
            Option<String>,
        )| {
            permissive == "PERMISSIVE"
                && cmd == "ALL"
                && roles == &["public".to_string()]
                && using.as_deref() == Some(scope)
                && check.as_deref() == Some(scope)
        };
        if policies.is_empty() || !policies.iter().all(exact) {
            problems.push(format!(
                "{table}: needs policies of exactly {scope} in USING and WITH CHECK, has {policies:?}"
            ));
        }
        let first_key: Option<String> = sqlx::query_scalar(
            "SELECT a.attname::text FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] \
             WHERE i.indrelid = $1::regclass AND i.indisprimary",
        )
        .bind(table)
        .fetch_optional(&mut owner)
        .await
        .unwrap();
        if first_key.as_deref() != Some("tenant_id") {
            problems.push(format!(
                "{table}: primary key must start with tenant_id, starts with {first_key:?}"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "tenant tables break the rules:\n{}",
        problems.join("\n")
    );
    // The scope the policies compare with is the transaction's setting and nothing else.
    let body: String = sqlx::query_scalar(
        "SELECT prosrc FROM pg_proc WHERE proname = 'app_tenant_ids' AND pronamespace = 'public'::regnamespace",
    )
    .fetch_one(&mut owner)
    .await
    .unwrap();
    assert_eq!(
        body.split_whitespace().collect::<Vec<_>>().join(" "),
        "SELECT coalesce(string_to_array(nullif(current_setting('app.tenant_ids', true), ''), ','), '{}')",
        "app_tenant_ids() changed"
    );

    let (superuser, bypass): (bool, bool) =
        sqlx::query_as("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1")
            .bind(APP_ROLE)
            .fetch_one(&mut owner)
            .await
            .unwrap();
    assert!(!superuser && !bypass);
    let owned: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM pg_tables WHERE tableowner = $1")
        .bind(APP_ROLE)
        .fetch_one(&mut owner)
        .await
        .unwrap();
    assert_eq!(owned, 0);
}

/// Through the serving role, with no tenant or with tenant A set, nothing of tenant B is
/// visible and no row of B can be written, whatever the query says.
#[tokio::test]
async fn postgres_rls_is_a_second_wall() {
    let app = TestApp::start(Backend::Postgres).await;
    let a = app.create_tenant("tenant-a", None).await;
    let b = app.create_tenant("tenant-b", None).await;
    app.add_member(&a, "x@a.cn", "editor").await;
    app.add_member(&b, "y@b.cn", "editor").await;

    let mut server = sqlx::PgConnection::connect(&app.db.url).await.unwrap();
    let visible = |sql: &'static str| sqlx::query_scalar::<_, i64>(sql);
    // No tenant set: no tenant rows at all.
    assert_eq!(
        visible("SELECT COUNT(*) FROM audit_log")
            .fetch_one(&mut server)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        visible("SELECT COUNT(*) FROM audit_heads")
            .fetch_one(&mut server)
            .await
            .unwrap(),
        0
    );

    let mut tx = server.begin().await.unwrap();
    sqlx::query("SELECT set_config('app.tenant_ids', $1, true)")
        .bind(&a.id)
        .execute(&mut *tx)
        .await
        .unwrap();
    let tenants_seen: Vec<String> = sqlx::query_scalar("SELECT DISTINCT tenant_id FROM audit_log")
        .fetch_all(&mut *tx)
        .await
        .unwrap();
    assert_eq!(tenants_seen, vec![a.id.clone()]);
    let of_b: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE tenant_id = $1")
        .bind(&b.id)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert_eq!(of_b, 0);
    let insert = sqlx::query("INSERT INTO calendar_adjustments (tenant_id, date, kind, reason, created_at) VALUES ($1, '2026-12-01', 'day_off', 'x', 'now')")
        .bind(&b.id)
        .execute(&mut *tx)
        .await;
    let err = insert.unwrap_err().to_string();
    assert!(err.contains("row-level security"), "{err}");
    tx.rollback().await.unwrap();

    // An empty setting matches nothing either.
    let mut tx = server.begin().await.unwrap();
    sqlx::query("SELECT set_config('app.tenant_ids', '', true)")
        .execute(&mut *tx)
        .await
        .unwrap();
    assert_eq!(
        visible("SELECT COUNT(*) FROM audit_log")
            .fetch_one(&mut *tx)
            .await
            .unwrap(),
        0
    );
    tx.rollback().await.unwrap();

    // The owner sees that B's rows do exist (the wall, not an empty table, hid them).
    let mut owner = sqlx::PgConnection::connect(&app.db.owner_url)
        .await
        .unwrap();
    let all: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE tenant_id = $1")
        .bind(&b.id)
        .fetch_one(&mut owner)
        .await
        .unwrap();
    assert!(all > 0);
}

#[tokio::test]
async fn sqlite_runs_with_wal_foreign_keys_and_full_sync() {
    let app = TestApp::start(Backend::Sqlite).await;
    let pool = app.state.db.pool();
    let mode: String = sqlx::query("PRAGMA journal_mode")
        .fetch_one(pool)
        .await
        .unwrap()
        .get(0);
    assert_eq!(mode, "wal");
    let sync: i64 = sqlx::query("PRAGMA synchronous")
        .fetch_one(pool)
        .await
        .unwrap()
        .get(0);
    assert_eq!(sync, 2, "FULL");
    let fk: i64 = sqlx::query("PRAGMA foreign_keys")
        .fetch_one(pool)
        .await
        .unwrap()
        .get(0);
    assert_eq!(fk, 1);
}

both_backends!(
    the_audit_log_refuses_updates_and_deletes,
    |backend| async move {
        let app = TestApp::start(backend).await;
        let a = app.create_tenant("tenant-a", None).await;
        app.add_member(&a, "x@a.cn", "editor").await;
        for sql in [
            "UPDATE audit_log SET actor = 'someone' WHERE tenant_id = $1",
            "DELETE FROM audit_log WHERE tenant_id = $1",
        ] {
            let mut tx = app.state.db.tenant(&a.id).await.unwrap();
            let refused = tx.query(sql).execute(tx.conn()).await;
            assert!(refused.is_err(), "{sql}: {refused:?}");
        }
        // The chain is intact and still appendable.
        app.add_member(&a, "y@a.cn", "editor").await;
        assert_eq!(
            gongkai::audit::verify_tenant(&app.state.db, &a.id)
                .await
                .unwrap(),
            Ok(4)
        );
    }
);

both_backends!(
    concurrent_appends_keep_one_unbroken_chain,
    |backend| async move {
        let app = TestApp::start(backend).await;
        let a = app.create_tenant("tenant-a", None).await;
        let mut tasks = Vec::new();
        for i in 0..12 {
            let state = app.state.clone();
            let tenant = a.clone();
            tasks.push(tokio::spawn(async move {
                let mut tx = state.db.tenant(&tenant.id).await.unwrap();
                gongkai::audit::append(
                    &mut tx,
                    &gongkai::kernel::actor::Actor::system(),
                    "test.append",
                    "test",
                    &i.to_string(),
                    serde_json::json!({"i": i}),
                )
                .await
                .unwrap();
                tx.commit().await.unwrap();
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(
            gongkai::audit::verify_tenant(&app.state.db, &a.id)
                .await
                .unwrap(),
            Ok(12)
        );
    }
);

/// The two migration sets cannot drift apart: migrated, both backends describe the same
/// tables, columns (by type family and nullability), keys, unique sets, indexes and
/// foreign keys. The failure names each difference.
#[tokio::test]
async fn both_migration_sets_make_the_same_schema() {
    let sqlite = TestDb::new(Backend::Sqlite).await;
    sqlite.migrate().await;
    let postgres = TestDb::new(Backend::Postgres).await;
    postgres.migrate().await;
    let on_sqlite = schema::read_sqlite(&sqlite.owner_url).await;
    let on_postgres = schema::read_postgres(&postgres.owner_url).await;
    assert!(
        on_sqlite.tables.len() > PLATFORM_TABLES.len(),
        "{on_sqlite:?}"
    );
    let items = &on_postgres.tables["items"];
    assert_eq!(
        items.primary_key,
        ["tenant_id", "id"],
        "the catalog was read"
    );
    assert!(!items.foreign_keys.is_empty(), "{items:?}");
    let differences = schema::differences("SQLite", &on_sqlite, "PostgreSQL", &on_postgres);
    assert!(
        differences.is_empty(),
        "the migration sets describe different schemas:\n{}",
        differences.join("\n")
    );
}

/// The comparison itself sees a drift of each kind it checks.
#[tokio::test]
async fn the_schema_comparison_names_each_drift() {
    let db = TestDb::new(Backend::Sqlite).await;
    db.migrate().await;
    let before = schema::read_sqlite(&db.owner_url).await;
    let mut conn = sqlx::SqliteConnection::connect(&db.owner_url)
        .await
        .unwrap();
    for sql in [
        "ALTER TABLE items ADD COLUMN extra BIGINT",
        "CREATE INDEX items_extra ON items (tenant_id, extra)",
        "CREATE UNIQUE INDEX items_title_once ON items (tenant_id, created_at)",
        "CREATE TABLE only_here (tenant_id TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (tenant_id, id))",
    ] {
        sqlx::query(sql).execute(&mut conn).await.unwrap();
    }
    let after = schema::read_sqlite(&db.owner_url).await;
    let differences = schema::differences("before", &before, "after", &after);
    for expected in [
        "column items.extra: only on after",
        "index on items (tenant_id, extra): only on after",
        "unique on items (tenant_id, created_at): only on after",
        "table only_here: only on after",
    ] {
        assert!(
            differences.iter().any(|d| d == expected),
            "{expected} not in {differences:#?}"
        );
    }
    assert!(schema::differences("a", &before, "b", &before).is_empty());
}

// With the application's own tenant filter removed (a test-only switch: every
// `tenant_id = $1` matches every row), tenant A's administrator reads the audit log of
// A. On SQLite that now shows B's entries too — proof that the switch removes the
// filter; on PostgreSQL row-level security still hides them: the wall holds alone.
both_backends!(
    without_the_app_filter_only_row_level_security_stands,
    |backend| async move {
        let app = TestApp::start(backend).await;
        let a = app.create_tenant("tenant-a", None).await;
        let b = app.create_tenant("tenant-b", None).await;
        app.add_member(&a, "boss@a.cn", "tenant_admin").await;
        app.add_member(&b, "secret-member@b.cn", "editor").await;
        let boss = app.login("boss@a.cn").await;
        let before = boss
            .get("/api/v1/tenants/tenant-a/audit")
            .await
            .expect(reqwest::StatusCode::OK);
        assert!(!before.to_string().contains("secret-member@b.cn"));

        app.state.db.remove_tenant_filter_for_tests();
        let after = boss
            .get("/api/v1/tenants/tenant-a/audit")
            .await
            .expect(reqwest::StatusCode::OK);
        let leaked = after.to_string().contains("secret-member@b.cn");
        match backend {
            Backend::Sqlite => assert!(leaked, "the switch did not remove the filter: {after}"),
            Backend::Postgres => assert!(!leaked, "RLS let B's rows through: {after}"),
        }
    }
);

/// `serve` on PostgreSQL refuses a serving role that is a superuser, has BYPASSRLS or
/// owns a table, unless `insecure_single_role` is set; the test harness's own role (a
/// plain member of gongkai_runtime) passes.
#[tokio::test]
async fn postgres_serve_refuses_roles_that_bypass_row_level_security() {
    use gongkai::app::preflight::serving_role;
    use gongkai::kernel::db::Db;
    let test_db = TestDb::new(Backend::Postgres).await;
    test_db.migrate().await;
    let config = test_db.config();
    let refusal = |db: Db, insecure: bool| {
        let mut config = config.clone();
        config.insecure_single_role = insecure;
        async move {
            serving_role(&db, &config)
                .await
                .err()
                .map(|e| e.to_string())
        }
    };
    let as_app = Db::connect(&test_db.url, 1).await.unwrap();
    assert_eq!(refusal(as_app, false).await, None);

    // The owner that ran the migrations is a superuser here.
    let as_owner = Db::connect(&test_db.owner_url, 1).await.unwrap();
    let why = refusal(as_owner.clone(), false).await.expect("refused");
    assert!(
        why.contains("is a superuser")
            && why.contains("owns the tables")
            && why.contains("GRANT gongkai_runtime"),
        "{why}"
    );
    assert_eq!(refusal(as_owner, true).await, None);

    // A role with BYPASSRLS, and a role that owns one table.
    let mut owner = sqlx::PgConnection::connect(&test_db.owner_url)
        .await
        .unwrap();
    let suffix = uuid_simple();
    let bypass = format!("gk_bypass_{suffix}");
    let holder = format!("gk_holder_{suffix}");
    for sql in [
        format!("CREATE ROLE {bypass} LOGIN NOSUPERUSER BYPASSRLS"),
        format!("GRANT gongkai_runtime TO {bypass}"),
        format!("CREATE ROLE {holder} LOGIN NOSUPERUSER NOBYPASSRLS"),
        format!("GRANT gongkai_runtime TO {holder}"),
        format!("ALTER TABLE calendar_adjustments OWNER TO {holder}"),
    ] {
        sqlx::query(&sql).execute(&mut owner).await.unwrap();
    }
    let url = |role: &str| with_user(&test_db.owner_url, role);
    let why = refusal(Db::connect(&url(&bypass), 1).await.unwrap(), false)
        .await
        .expect("refused");
    assert!(
        why.contains("has BYPASSRLS") && !why.contains("is a superuser"),
        "{why}"
    );
    let why = refusal(Db::connect(&url(&holder), 1).await.unwrap(), false)
        .await
        .expect("refused");
    assert!(
        why.contains("owns the tables (calendar_adjustments"),
        "{why}"
    );

    for sql in [
        "ALTER TABLE calendar_adjustments OWNER TO CURRENT_USER".to_string(),
        format!("DROP OWNED BY {bypass}, {holder}"),
        format!("DROP ROLE {bypass}"),
        format!("DROP ROLE {holder}"),
    ] {
        let _ = sqlx::query(&sql).execute(&mut owner).await;
    }
}

/// Tenant transactions opened and abandoned at every point of their opening (a client
/// gone while `BEGIN …; SELECT set_config(…)` was in flight), many at once, over the API
/// and directly; afterwards every pooled connection is outside any transaction and can
/// write with `FOR UPDATE`, as the outbox and the scheduler do.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_cancelled_transaction_openings_leave_no_connection_inside_one() {
    use std::time::Duration;
    const POOL: u32 = 4;
    let app = TestApp::start_with(Backend::Postgres, |c| c.database_max_connections = POOL).await;
    let city = app.create_tenant("city", None).await;
    app.add_member(&city, "boss@city.cn", "tenant_admin").await;
    let boss = app.login("boss@city.cn").await;
    let cookie = boss.cookie.clone().unwrap();

    // Over HTTP: requests whose clients give up after a few hundred microseconds.
    let mut calls = Vec::new();
    for i in 0..300u64 {
        let req = app
            .http
            .get(app.url("/api/v1/tenants/city/audit"))
            .header("cookie", cookie.clone())
            .timeout(Duration::from_micros(100 + (i * 53) % 2000));
        calls.push(tokio::spawn(async move {
            let _ = req.send().await;
        }));
    }
    // Directly: openings dropped after 0–1.5 ms, read-only and read-write alike.
    for i in 0..1200u64 {
        let db = app.state.db.clone();
        let id = city.id.clone();
        calls.push(tokio::spawn(async move {
            let wait = Duration::from_micros((i * 37) % 1500);
            let _ = tokio::time::timeout(wait, async {
                if i % 2 == 0 {
                    let _tx = db.tenant_read(&id).await;
                } else {
                    let _tx = db.tenant(&id).await;
                }
            })
            .await;
        }));
    }
    for call in calls {
        call.await.unwrap();
    }
    tokio::time::sleep(Duration::from_millis(300)).await;

    // Hold every pooled connection at once, then check and use each.
    let pool = app.state.db.pool();
    let mut held = Vec::new();
    for _ in 0..POOL {
        held.push(pool.acquire().await.unwrap());
    }
    for (n, conn) in held.iter_mut().enumerate() {
        // A savepoint can only be made inside a transaction block.
        let probe = sqlx::query("SAVEPOINT gk_probe").execute(&mut **conn).await;
        assert!(
            probe.is_err(),
            "connection {n} was left inside a transaction"
        );
        let mut tx = sqlx::Connection::begin(&mut **conn).await.unwrap();
        sqlx::query("SELECT set_config('app.tenant_ids', $1, true)")
            .bind(city.id.clone())
            .execute(&mut *tx)
            .await
            .unwrap();
        sqlx::query("SELECT seq FROM audit_heads WHERE tenant_id = $1 FOR UPDATE")
            .bind(city.id.clone())
            .execute(&mut *tx)
            .await
            .unwrap_or_else(|e| panic!("connection {n}: {e}"));
        tx.commit().await.unwrap();
    }
    drop(held);
    // And the app writes again: a member added through a scoped transaction.
    app.add_member(&city, "next@city.cn", "editor").await;
}
