//! The storage walls: row-level security on PostgreSQL, SQLite's durability settings,
//! and the append-only audit log, checked against the real databases.

mod common;
#[path = "storage/schema.rs"]
mod schema;

use common::*;
use gongkai::kernel::db::{Backend, PLATFORM_TABLES};
use sqlx::{Connection, Row};

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
        let policies: Vec<(bool, bool)> = sqlx::query_as(
            "SELECT qual IS NOT NULL, with_check IS NOT NULL FROM pg_policies WHERE schemaname = 'public' AND tablename = $1",
        )
        .bind(table)
        .fetch_all(&mut owner)
        .await
        .unwrap();
        if policies.is_empty() || !policies.iter().all(|(using, check)| *using && *check) {
            problems.push(format!(
                "{table}: needs a policy with USING and WITH CHECK, has {policies:?}"
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
