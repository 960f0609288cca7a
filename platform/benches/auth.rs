//! Load benchmark: requests/s and p99 of `GET /healthz` (the baseline) and of an
//! authenticated `GET /api/v1/auth/me` (session cookie, and API token), against a
//! release build on PostgreSQL, in one run. Prints the ratio to the baseline.
//!
//!     cargo bench -p gongkai --bench auth            # GKBENCH_SECS=5 GKBENCH_CONNECTIONS=32
//!
//! The server and the load generator share the machine's cores, equally for every
//! endpoint measured, so the ratio is the figure to compare, not the absolute rate.

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::{Client, TestApp, ADMIN};
use gongkai::kernel::db::Backend;
use reqwest::StatusCode;

struct Figures {
    name: &'static str,
    requests: usize,
    per_sec: f64,
    p50: Duration,
    p99: Duration,
}

async fn load(
    name: &'static str,
    client: &Client,
    path: &str,
    secs: u64,
    connections: usize,
) -> Figures {
    let deadline = Instant::now() + Duration::from_secs(secs);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let client = client.clone();
        let path = path.to_string();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            while Instant::now() < deadline {
                let t = Instant::now();
                let reply = client.get(&path).await;
                assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
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
    let pick = |q: f64| all[((all.len() as f64 * q) as usize).min(all.len() - 1)];
    Figures {
        name,
        requests: all.len(),
        per_sec: all.len() as f64 / elapsed,
        p50: pick(0.50),
        p99: pick(0.99),
    }
}

fn main() {
    let secs: u64 = std::env::var("GKBENCH_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let connections: usize = std::env::var("GKBENCH_CONNECTIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(32);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let app = TestApp::start_with(Backend::Postgres, |c| c.database_max_connections = 16).await;
        let mut session = app.login(ADMIN).await;
        let token = session
            .post("/api/v1/auth/tokens", serde_json::json!({"name": "bench"}))
            .await
            .expect(StatusCode::CREATED)["secret"]
            .as_str()
            .unwrap()
            .to_string();
        let anonymous = app.anonymous();
        let bearer = app.anonymous().with_token(&token);
        // Warm up connections and caches.
        load("warm-up", &session, "/api/v1/auth/me", 1, connections).await;

        let baseline = load("GET /healthz", &anonymous, "/healthz", secs, connections).await;
        let by_session = load(
            "GET /api/v1/auth/me (session)",
            &session,
            "/api/v1/auth/me",
            secs,
            connections,
        )
        .await;
        let by_token = load(
            "GET /api/v1/auth/me (token)",
            &bearer,
            "/api/v1/auth/me",
            secs,
            connections,
        )
        .await;

        println!("PostgreSQL, release build, {connections} connections, {secs} s each");
        println!(
            "{:<34} {:>9} {:>10} {:>9} {:>9} {:>7}",
            "endpoint", "requests", "req/s", "p50 ms", "p99 ms", "ratio"
        );
        for f in [&baseline, &by_session, &by_token] {
            println!(
                "{:<34} {:>9} {:>10.0} {:>9.2} {:>9.2} {:>7.2}",
                f.name,
                f.requests,
                f.per_sec,
                f.p50.as_secs_f64() * 1000.0,
                f.p99.as_secs_f64() * 1000.0,
                f.per_sec / baseline.per_sec
            );
        }
        println!(
            "target: the authenticated route keeps at least half the throughput of /healthz: {}",
            if by_session.per_sec / baseline.per_sec >= 0.5 {
                "met"
            } else {
                "NOT met"
            }
        );
    });
}
