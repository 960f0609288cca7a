//! Plugin host benchmark (release): `cargo bench -p gongkai --bench plugins`.
//!
//! 1. One validate call through the host (instantiate from the pool + call) against the
//!    same validation called natively (the environment plugin linked as a crate).
//! 2. The same for a whole evaluation (validate + derive + publication-rules).
//! 3. Calls per second on every core.
//! 4. Tenant B's latency with and without a looping neighbour (tenant A).
//! 5. The default fuel budget: how long a loop takes to spend it (against the
//!    deadline), and how much of it one validation needs.
//! 6. The process's memory with the plugin enabled for 1,000 tenants, each of which
//!    validates once (SQLite in a temporary directory).
//! 7. A class lottery through a 0.2 action: 2,000 students into 40 classes with two
//!    constraints (`admissions` `place`), against the same function natively (target
//!    < 50 ms through the host).
//!
//! Needs the components: runs `scripts/build-plugins` first (or set GKTEST_PLUGINS_DIR).

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use gongkai::plugins::host::{CallContext, LoadedPlugin, PluginCalendar};
use gongkai::plugins::{Limits, PluginHost};
use gongkai_plugin_admissions::actions as lottery_actions;
use gongkai_plugin_environment::Environment;
use gongkai_plugin_sdk::{Context, Date, Fields, Plugin};

const AIR: &str = "air-quality-reading";

fn components() -> PathBuf {
    if let Ok(dir) = std::env::var("GKTEST_PLUGINS_DIR") {
        return PathBuf::from(dir);
    }
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let out = repo.join("target/plugins");
    let status = std::process::Command::new(repo.join("scripts/build-plugins"))
        .arg("--out")
        .arg(&out)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("scripts/build-plugins runs");
    assert!(status.success());
    out
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

fn per_call(n: u32, mut f: impl FnMut()) -> Duration {
    for _ in 0..n / 10 {
        f();
    }
    let started = Instant::now();
    for _ in 0..n {
        f();
    }
    started.elapsed() / n
}

fn load(host: &PluginHost, bytes: &[u8]) -> Arc<LoadedPlugin> {
    let sha = gongkai::plugins::service::sha256_hex(bytes);
    let prepared = host.prepare(&sha, bytes).unwrap();
    let info = host.describe(&prepared).unwrap();
    host.insert(prepared, &info.id, &info.version)
}

/// The least fuel with which `call` succeeds (bisection; a host per try, the
/// compiled component comes from the cache).
fn smallest_fuel(
    cache: &std::path::Path,
    bytes: &[u8],
    call: impl Fn(&PluginHost, &LoadedPlugin) -> bool,
) -> u64 {
    let (mut low, mut high) = (0u64, Limits::default().fuel);
    while high - low > 1 {
        let mid = low + (high - low) / 2;
        let limits = Limits {
            fuel: mid,
            ..Limits::default()
        };
        let host = PluginHost::new(limits, cache.to_path_buf()).unwrap();
        let plugin = load(&host, bytes);
        if call(&host, &plugin) {
            high = mid;
        } else {
            low = mid;
        }
    }
    high
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p) as usize]
}

fn main() {
    let dir = components();
    let env_bytes = std::fs::read(dir.join("environment.wasm")).unwrap();
    let faulty_bytes = std::fs::read(dir.join("fixtures/faulty.wasm")).unwrap();
    let cache = std::env::temp_dir().join(format!("gongkai-bench-{}", std::process::id()));
    let host = Arc::new(PluginHost::new(Limits::default(), cache.clone()).unwrap());
    let env = load(&host, &env_bytes);
    let faulty = load(&host, &faulty_bytes);
    let calendar: PluginCalendar = Arc::new(gongkai_rules::calendar::official::official_calendar());
    let fields = serde_json::json!({"station": "市监测站", "time": "2026-02-28T00:00+08:00",
        "period": "24h", "pm25": 70, "pm10": 130, "so2": 8, "no2": 30, "co": 0.8, "o3_8h": 90});
    let fields_json = fields.to_string();
    let ctx = CallContext {
        tenant: "bench".into(),
        today: "2026-03-05".into(),
        locale: "zh-CN".into(),
    };

    // 1-2: host against native.
    let n = 20_000;
    let host_validate = per_call(n, || {
        let p = host
            .validate(&env, calendar.clone(), AIR, &fields_json, &ctx)
            .unwrap();
        assert!(p.is_empty());
    });
    // The host's own share: instantiate and a call the plugin answers at once.
    let host_floor = per_call(n, || {
        let e = host.validate(&env, calendar.clone(), "no-such-kind", "{}", &ctx);
        assert!(e.is_err());
    });
    let host_evaluate = per_call(n, || {
        let e = host
            .evaluate(&env, calendar.clone(), AIR, &fields_json, &ctx)
            .unwrap();
        assert_eq!(e.derived["aqi"], 94);
    });
    let native_ctx = Context::new("bench", Date::parse("2026-03-05").unwrap(), "zh-CN");
    let native_validate = per_call(n, || {
        // The host hands the plugin JSON text; natively we parse it too, for fairness.
        let f = Fields::from_json(std::hint::black_box(&fields_json)).unwrap();
        let p = Environment::validate(AIR, &f, &native_ctx).unwrap();
        assert!(p.is_empty());
    });
    let native_evaluate = per_call(n, || {
        let f = Fields::from_json(std::hint::black_box(&fields_json)).unwrap();
        let p = Environment::validate(AIR, &f, &native_ctx).unwrap();
        let d = Environment::derive(AIR, &f, &native_ctx).unwrap();
        let r = Environment::publication_rules(AIR, &f, &native_ctx).unwrap();
        std::hint::black_box((p, serde_json::Value::Object(d).to_string(), r));
    });
    println!("validate (air reading), per call:");
    println!(
        "  host   (instantiate from pool + validate): {:>8.1} µs",
        host_validate.as_secs_f64() * 1e6
    );
    println!(
        "    of which instantiate + an empty call:    {:>8.1} µs",
        host_floor.as_secs_f64() * 1e6
    );
    println!(
        "  native (parse JSON + validate):            {:>8.1} µs   host/native = {:.1}x",
        native_validate.as_secs_f64() * 1e6,
        host_validate.as_secs_f64() / native_validate.as_secs_f64()
    );
    println!("evaluate (validate + derive + publication-rules), per call:");
    println!("  host:   {:>8.1} µs", host_evaluate.as_secs_f64() * 1e6);
    println!(
        "  native: {:>8.1} µs   host/native = {:.1}x",
        native_evaluate.as_secs_f64() * 1e6,
        host_evaluate.as_secs_f64() / native_evaluate.as_secs_f64()
    );
    println!(
        "  target < 50 µs per validate: {}",
        if host_validate < Duration::from_micros(50) {
            "met"
        } else {
            "NOT met"
        }
    );

    // 3: throughput on every core.
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let done = Arc::new(AtomicU64::new(0));
    let window = Duration::from_secs(2);
    let started = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..cores {
            let (host, env, cal, done, f, c) =
                (&host, &env, calendar.clone(), &done, &fields_json, &ctx);
            s.spawn(move || {
                while started.elapsed() < window {
                    host.validate(env, cal.clone(), AIR, f, c).unwrap();
                    done.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
    });
    let rate = done.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64();
    println!("throughput: {rate:.0} validate calls/s on {cores} threads");

    // 4: a looping neighbour.
    let latencies = |neighbours: usize| -> Vec<Duration> {
        let stop = AtomicBool::new(false);
        let mut lat = Vec::new();
        std::thread::scope(|s| {
            for _ in 0..neighbours {
                let (host, faulty, cal, c, stop) = (&host, &faulty, calendar.clone(), &ctx, &stop);
                s.spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        assert!(host.validate(faulty, cal.clone(), "loop", "{}", c).is_err());
                    }
                });
            }
            for _ in 0..2_000 {
                let t = Instant::now();
                host.validate(&env, calendar.clone(), AIR, &fields_json, &ctx)
                    .expect("tenant B's call succeeds");
                lat.push(t.elapsed());
            }
            stop.store(true, Ordering::Relaxed);
        });
        lat.sort();
        lat
    };
    for neighbours in [0, 1, 4] {
        let lat = latencies(neighbours);
        println!(
            "tenant B validate with {neighbours} looping neighbour call(s): p50 {:>6.1} µs, p99 {:>8.1} µs, max {:>8.1} µs",
            percentile(&lat, 0.5).as_secs_f64() * 1e6,
            percentile(&lat, 0.99).as_secs_f64() * 1e6,
            lat.last().unwrap().as_secs_f64() * 1e6
        );
    }

    // 5: the fuel budget against the deadline.
    let fuel_budget = Limits::default().fuel;
    let unbounded = PluginHost::new(
        Limits {
            deadline: Duration::from_secs(10),
            ..Limits::default()
        },
        cache.clone(),
    )
    .unwrap();
    let looping = load(&unbounded, &faulty_bytes);
    let started = Instant::now();
    let err = unbounded
        .validate(&looping, calendar.clone(), "loop", "{}", &ctx)
        .unwrap_err();
    assert!(
        matches!(err.reason, gongkai::plugins::Reason::OutOfFuel(_)),
        "{err}"
    );
    let needed = smallest_fuel(&cache, &env_bytes, |host, plugin| {
        host.validate(plugin, calendar.clone(), AIR, &fields_json, &ctx)
            .is_ok()
    });
    println!(
        "fuel: a loop spends the default budget of {fuel_budget} in {:.1} ms (deadline {} ms); \
         one air-reading validate needs {needed}",
        started.elapsed().as_secs_f64() * 1e3,
        Limits::default().deadline.as_millis()
    );

    // 7: the class lottery through an action, against native.
    lottery(&host, &dir, &ctx);

    // 6: memory with 1,000 tenants.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(thousand_tenants(env_bytes));
    let _ = std::fs::remove_dir_all(cache);
}

/// 2,000 students (sex × three categories) into 40 classes of 50.
fn lottery_input() -> serde_json::Value {
    let students: Vec<_> = (0..2000)
        .map(|i| {
            let sex = if i % 2 == 0 { "F" } else { "M" };
            serde_json::json!({"id": format!("2026{i:05}"), "attrs": [sex, CATEGORIES[i % 3]]})
        })
        .collect();
    let classes: Vec<_> = (1..=40)
        .map(|c| serde_json::json!({"name": format!("{c}班"), "size": 50}))
        .collect();
    serde_json::json!({
        "constraints": ["sex", "category"], "classes": classes, "students": students,
        "public_source": "双色球第2026150期", "secret": "a secret of thirty-two bytes....",
        "public_value": "03 07 12 19 25 31 + 09",
    })
}

fn lottery(host: &PluginHost, dir: &std::path::Path, ctx: &CallContext) {
    let bytes = std::fs::read(dir.join("admissions.wasm")).unwrap();
    let admissions = load(host, &bytes);
    let input = lottery_input().to_string();
    let n = 50;
    let through_host = per_call(n, || {
        let out = host.action(&admissions, "place", &input, ctx).unwrap();
        std::hint::black_box(out);
    });
    let native = per_call(n, || {
        // The host hands JSON text in and takes JSON text out; natively too.
        let v: serde_json::Value = serde_json::from_str(std::hint::black_box(&input)).unwrap();
        let out = lottery_actions::place(&v).unwrap().to_string();
        std::hint::black_box(out);
    });
    println!("class lottery, 2,000 students into 40 classes, two constraints (place action):");
    println!("  host:   {:>8.2} ms", through_host.as_secs_f64() * 1e3);
    println!(
        "  native: {:>8.2} ms   (host/native {:.2}×; target < 50 ms)",
        native.as_secs_f64() * 1e3,
        through_host.as_secs_f64() / native.as_secs_f64()
    );
}

async fn thousand_tenants(env_bytes: Vec<u8>) {
    use gongkai::kernel::actor::Actor;
    let dir = std::env::temp_dir().join(format!("gongkai-bench-db-{}", std::process::id()));
    let config = gongkai::kernel::config::Config {
        data_dir: dir.clone(),
        migrate_on_start: true,
        ..Default::default()
    };
    let state = gongkai::app::AppState::build(config).await.unwrap();
    let before = rss_kib();
    gongkai::plugins::service::install(&state.plugins, &Actor::cli(), env_bytes)
        .await
        .unwrap();
    let fields: serde_json::Map<String, serde_json::Value> = serde_json::from_value(
        serde_json::json!({"site": "s", "water_body": "river", "date": "2026-03-02", "do": 8, "cod": 18}),
    )
    .unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 3, 5).unwrap();
    let started = Instant::now();
    let mut tenants = Vec::new();
    for i in 0..1000 {
        let t = gongkai::tenancy::service::create(
            &state.db,
            &state.tenants,
            &Actor::cli(),
            gongkai::tenancy::service::NewTenant {
                slug: format!("t{i:04}"),
                name_zh: format!("单位{i}"),
                name_en: String::new(),
                kind: gongkai::tenancy::TenantKind::Department,
                parent: None,
            },
        )
        .await
        .unwrap();
        gongkai::plugins::service::configure(
            &state.plugins,
            &Actor::cli(),
            &t,
            "environment",
            gongkai::plugins::model::TenantPluginInput {
                version: "1.0.0".into(),
                enabled: true,
            },
        )
        .await
        .unwrap();
        tenants.push(t);
    }
    let setup = started.elapsed();
    let after_setup = rss_kib();
    let started = Instant::now();
    for t in &tenants {
        let e = gongkai::plugins::service::evaluate(
            &state.plugins,
            t,
            "environment",
            "water-quality-result",
            &fields,
            today,
        )
        .await
        .unwrap();
        assert_eq!(e.derived["class"], "III");
    }
    let validating = started.elapsed();
    let after = rss_kib();
    println!(
        "1,000 tenants with the plugin enabled: set up in {:.1} s; 1,000 validations through the service (DB lookup + call) in {:.0} ms ({:.0} µs each)",
        setup.as_secs_f64(),
        validating.as_secs_f64() * 1e3,
        validating.as_secs_f64() * 1e6 / 1000.0
    );
    println!(
        "RSS: {:.1} MiB before install, {:.1} MiB after enabling for 1,000 tenants, {:.1} MiB after a validation each (+{:.1} MiB)",
        before as f64 / 1024.0,
        after_setup as f64 / 1024.0,
        after as f64 / 1024.0,
        (after as f64 - before as f64) / 1024.0
    );
    state.db.close().await;
    let _ = std::fs::remove_dir_all(dir);
}

const CATEGORIES: [&str; 3] = ["A", "B", "C"];
