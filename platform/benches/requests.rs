//! Requests benchmark (release): `cargo bench -p gongkai --bench requests`.
//!
//! 1. Submissions per second end to end on PostgreSQL: HTTP → validation → sealing →
//!    one transaction (request, event, outbox mail, audit entry, idempotency key), each
//!    with its own `Idempotency-Key`, 16 clients at once; then the same keys replayed.
//! 2. Deadline computations for 100k open requests after a calendar change: the pure
//!    engine alone, then the full recomputation job (load, compute, update the cache).
//!
//! PostgreSQL at GKTEST_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres).
//! BENCH_SUBMISSIONS and BENCH_OPEN change the sizes.

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::Instant;

use chrono::NaiveDate;
use common::TestApp;
use gongkai::kernel::db::Backend;
use gongkai_rules::requests::deadline::{compute, ClockEvent, PauseReason};
use serde_json::json;
use sqlx::Connection;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::main]
async fn main() {
    let submissions = env("BENCH_SUBMISSIONS", 2000);
    let open = env("BENCH_OPEN", 100_000);
    let app = TestApp::start_with(Backend::Postgres, |c| {
        c.request_submissions_per_address_per_hour = 10_000_000;
        c.email_transport = "none".into();
        c.clock_today = Some("2026-11-30".into());
        c.database_max_connections = 16;
    })
    .await;
    let city = app.create_tenant("bench", None).await;

    // 1. Submissions.
    let body = |i: usize| {
        json!({
            "applicant_type": "person", "name": format!("申请人{i}"), "id_type": "resident_id",
            "id_number": "11010519491231002X", "phone": "13800138000", "email": format!("a{i}@example.cn"),
            "description": format!("第{i}号申请：本市2025年道路维修资金使用情况"),
            "delivery_method": "email", "delivery_form": "electronic"
        })
        .to_string()
    };
    let url = app.url("/api/v1/portal/bench/requests");
    let run = |replay: bool| {
        let url = url.clone();
        let http = app.http.clone();
        async move {
            let started = Instant::now();
            let mut tasks = Vec::new();
            for worker in 0..16 {
                let (url, http) = (url.clone(), http.clone());
                tasks.push(tokio::spawn(async move {
                    let mut ok = 0;
                    for i in (worker..submissions).step_by(16) {
                        let res = http
                            .post(&url)
                            .header("content-type", "application/json")
                            .header("idempotency-key", format!("bench-{i}"))
                            .body(body(i))
                            .send()
                            .await
                            .unwrap();
                        assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
                        ok += 1;
                    }
                    ok
                }));
            }
            let mut n = 0;
            for t in tasks {
                n += t.await.unwrap();
            }
            let secs = started.elapsed().as_secs_f64();
            println!(
                "{}: {n} in {secs:.2} s = {:.0}/s (16 concurrent clients, PostgreSQL)",
                if replay {
                    "idempotent replays"
                } else {
                    "submissions"
                },
                n as f64 / secs
            );
        }
    };
    run(false).await;
    run(true).await;

    // 2. Deadlines. The pure engine over 100k timelines like those of open requests.
    let cal = app
        .state
        .calendar
        .for_tenant(&app.state.db, &city.id)
        .await
        .unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    let timelines: Vec<Vec<ClockEvent>> = (0..open)
        .map(|i| {
            let on =
                NaiveDate::from_ymd_opt(2026, 10 + (i % 2) as u32, 1 + (i % 28) as u32).unwrap();
            let mut t = vec![ClockEvent::Received { on }];
            if i % 4 == 0 {
                let s = on + chrono::Duration::days(3);
                t.push(ClockEvent::PauseStarted {
                    on: s,
                    reason: PauseReason::ThirdParty,
                });
                t.push(ClockEvent::PauseEnded {
                    on: s + chrono::Duration::days(7),
                });
            }
            t
        })
        .collect();
    let started = Instant::now();
    let mut due = 0;
    for t in &timelines {
        if compute(t, &cal, today)
            .map(|d| d.due.is_some())
            .unwrap_or(false)
        {
            due += 1;
        }
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "deadline engine: {open} computations in {secs:.2} s = {:.0}/s ({due} with a due date)",
        open as f64 / secs
    );

    // The full job over 100k open requests in the database, after loading a new year.
    let mut conn = sqlx::PgConnection::connect(&app.db.owner_url)
        .await
        .unwrap();
    sqlx::query("SELECT set_config('app.tenant_ids', $1, false)")
        .bind(&city.id)
        .execute(&mut conn)
        .await
        .unwrap();
    let sealed = app.state.secrets.seal("{}");
    let started = Instant::now();
    sqlx::query(
        "INSERT INTO requests (tenant_id, id, tracking_number, access_code_hash, applicant_type, applicant_sealed, \
         applicant_key, description_sealed, delivery_method, delivery_form, language, received_on, phase, due_state, \
         created_at, updated_at) \
         SELECT $1, 'r' || lpad(i::text, 7, '0'), 'B-' || i, 'x', 'person', $2, 'k', $2, 'email', 'electronic', 'zh', \
         '2026-' || (10 + i % 2) || '-' || lpad((1 + i % 28)::text, 2, '0'), 'assigned', 'due', '2026-11-01', '2026-11-01' \
         FROM generate_series(1, $3) AS i",
    )
    .bind(&city.id)
    .bind(&sealed)
    .bind(open as i64)
    .execute(&mut conn)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO request_events (tenant_id, request_id, seq, kind, on_date, at, actor, details) \
         SELECT tenant_id, id, 1, 'registered', received_on, created_at, 'bench', '{}' FROM requests \
         WHERE tenant_id = $1 AND id LIKE 'r%'",
    )
    .bind(&city.id)
    .execute(&mut conn)
    .await
    .unwrap();
    println!(
        "(inserted {open} open requests in {:.1} s)",
        started.elapsed().as_secs_f64()
    );
    let mut admin = app.admin().await;
    admin
        .put(
            "/api/v1/calendar/years/2027",
            Some(json!({"source": "bench", "days": [{"date": "2027-01-01", "kind": "holiday", "name": "元旦"}]})),
        )
        .await
        .expect(reqwest::StatusCode::NO_CONTENT);
    let started = Instant::now();
    let n = gongkai::requests::jobs::recompute_all(&app.state.requests)
        .await
        .unwrap();
    let secs = started.elapsed().as_secs_f64();
    println!(
        "full recompute after a calendar change: {n} open requests in {secs:.2} s = {:.0}/s (load, compute, update changed cache rows)",
        n as f64 / secs
    );
    let started = Instant::now();
    let n = gongkai::requests::jobs::recompute_all(&app.state.requests)
        .await
        .unwrap();
    let secs = started.elapsed().as_secs_f64();
    println!(
        "recompute again with nothing changed: {n} in {secs:.2} s = {:.0}/s",
        n as f64 / secs
    );
}
