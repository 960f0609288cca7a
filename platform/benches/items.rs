//! Items benchmark on PostgreSQL (release build):
//!   cargo bench -p gongkai --bench items
//!
//! 1. Items taken through create → submit → 保密审查 → 签发 → publish, per second.
//! 2. Public GET of a published item (requests/s, p99) against `/healthz` as the
//!    baseline, with 100k published items in the tenant (bulk-inserted directly).
//!
//! Settings: BENCH_ITEMS (lifecycle items, default 200), BENCH_SECS (per read phase,
//! default 10), BENCH_CONCURRENCY (default 32), GKTEST_PG_URL (a superuser).

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::*;
use gongkai::kernel::db::Backend;
use reqwest::StatusCode;
use serde_json::json;
use sqlx::Connection;

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

async fn lifecycle(app: &TestApp, node: &str, n: u64, concurrency: u64) -> f64 {
    let ed = app.login("editor@bench.cn").await;
    let rev = app.login("reviewer@bench.cn").await;
    let apr = app.login("approver@bench.cn").await;
    let started = Instant::now();
    let per_task = n / concurrency;
    let mut tasks = Vec::new();
    for t in 0..concurrency {
        let (mut ed, mut rev, mut apr) = (ed.clone(), rev.clone(), apr.clone());
        let node = node.to_string();
        tasks.push(tokio::spawn(async move {
            for i in 0..per_task {
                let item = ed
                    .post("/api/v1/tenants/bench/items", json!({"node_id": node, "kind": "news",
                        "title": format!("基准测试动态 {t}-{i}"), "body": "会议研究部署了下一阶段工作。"}))
                    .await
                    .expect(StatusCode::CREATED);
                let id = item["id"].as_str().unwrap().to_string();
                let p = |a: &str| format!("/api/v1/tenants/bench/items/{id}{a}");
                ed.post(&p("/submit"), json!({})).await.expect(StatusCode::OK);
                rev.post(&p("/decisions"), json!({"step": 0, "verdict": "approve"})).await.expect(StatusCode::OK);
                apr.post(&p("/decisions"), json!({"step": 1, "verdict": "approve"})).await.expect(StatusCode::OK);
                ed.post(&p("/publish"), json!({})).await.expect(StatusCode::OK);
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    (per_task * concurrency) as f64 / started.elapsed().as_secs_f64()
}

/// (requests/s, p99 ms) of GETs of `paths` (taken in turn) from `concurrency` clients
/// for `secs`.
async fn load(base: &str, paths: &[String], secs: u64, concurrency: u64) -> (f64, f64) {
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(256)
        .build()
        .unwrap();
    let urls: std::sync::Arc<Vec<String>> =
        std::sync::Arc::new(paths.iter().map(|p| format!("{base}{p}")).collect());
    let next = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let until = Instant::now() + Duration::from_secs(secs);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (http, urls, next) = (http.clone(), urls.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            while Instant::now() < until {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let url = &urls[i % urls.len()];
                let t = Instant::now();
                let res = http.get(url).send().await.unwrap();
                assert_eq!(res.status(), StatusCode::OK);
                res.bytes().await.unwrap();
                latencies.push(t.elapsed());
            }
            latencies
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort();
    let p99 = all[(all.len() * 99 / 100).min(all.len() - 1)].as_secs_f64() * 1000.0;
    (all.len() as f64 / elapsed, p99)
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let app = TestApp::start_with(Backend::Postgres, |c| c.database_max_connections = 32).await;
        let tenant = app.create_tenant("bench", None).await;
        for role in ["editor", "reviewer", "approver"] {
            app.add_member(&tenant, &format!("{role}@bench.cn"), role).await;
        }
        let ed = app.login("editor@bench.cn").await;
        let nodes = ed.get("/api/v1/tenants/bench/catalog").await.expect(StatusCode::OK);
        let node = nodes.as_array().unwrap().iter().find(|n| n["code"] == "GZDT").unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string();

        let concurrency = env("BENCH_CONCURRENCY", 32);
        let n = env("BENCH_ITEMS", 200);
        let per_sec = lifecycle(&app, &node, n, 8.min(n)).await;
        println!("lifecycle: {per_sec:.1} items/s through create → submit → 2 review steps → publish ({n} items, 8 writers)");

        // 100k published items, inserted directly as the table owner.
        let started = Instant::now();
        let mut owner = sqlx::PgConnection::connect(&app.db.owner_url).await.unwrap();
        sqlx::query(
            "INSERT INTO items (tenant_id, id, node_id, kind, index_number, attribute, working_state, \
             public_state, validity, version, cycle_start, published_version, changed_on, created_at, \
             updated_at, published_at, first_published_at, public_title, public_body_html, public_fields) \
             SELECT $1, gen_random_uuid()::text, $2, 'news', 'BULK/' || g, 'proactive', NULL, 'published', \
             'in_force', 1, 1, 1, '2026-01-01', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z', \
             '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z', '批量动态 ' || g, \
             '<p>批量导入的已发布信息。</p>', '{}' FROM generate_series(1, 100000) g",
        )
        .bind(&tenant.id)
        .bind(&node)
        .execute(&mut owner)
        .await
        .unwrap();
        sqlx::query("ANALYZE items").execute(&mut owner).await.unwrap();
        println!("bulk insert: 100000 published items in {:.1} s", started.elapsed().as_secs_f64());
        let id: String = sqlx::query_scalar(
            "SELECT id FROM items WHERE tenant_id = $1 AND index_number = 'BULK/54321'",
        )
        .bind(&tenant.id)
        .fetch_one(&mut owner)
        .await
        .unwrap();
        // Every published item, in random order: nearly every read misses the cache.
        let all: Vec<String> = sqlx::query_scalar(
            "SELECT '/api/v1/public/bench/items/' || id FROM items WHERE tenant_id = $1 \
             AND public_state = 'published' ORDER BY random()",
        )
        .bind(&tenant.id)
        .fetch_all(&mut owner)
        .await
        .unwrap();

        let secs = env("BENCH_SECS", 10);
        let (health_rps, health_p99) =
            load(&app.base, &["/healthz".to_string()], secs, concurrency).await;
        println!("GET /healthz: {health_rps:.0} req/s, p99 {health_p99:.2} ms ({concurrency} clients, {secs} s)");
        let one = [format!("/api/v1/public/bench/items/{id}")];
        let (item_rps, item_p99) = load(&app.base, &one, secs, concurrency).await;
        println!(
            "GET one published item (a popular page, served from the 5 s cache): {item_rps:.0} req/s, p99 {item_p99:.2} ms, {:.1}% of /healthz (target ≥ 40%)",
            100.0 * item_rps / health_rps
        );
        let (spread_rps, spread_p99) = load(&app.base, &all, secs, concurrency).await;
        println!(
            "GET {} published items in turn (nearly all from the database): {spread_rps:.0} req/s, p99 {spread_p99:.2} ms, {:.1}% of /healthz",
            all.len(),
            100.0 * spread_rps / health_rps
        );
    });
}
