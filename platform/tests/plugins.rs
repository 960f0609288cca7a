//! Plugins end to end: install, enable, validate and export through the API on both
//! backends; isolation between tenants; refusing files that are not plugins; the
//! faults of the fixture plugin; a looping neighbour; the compile cache.
//!
//! The components are built once per test run by `scripts/build-plugins` (see
//! [`components`]): the first run on a fresh machine takes minutes, later runs
//! seconds. `GKTEST_PLUGINS_DIR` points at prebuilt components instead.

/// Contract 0.2 (actions, sealed fields) beside the 0.1 tests below.
#[path = "plugins/actions.rs"]
mod actions;
/// An admission from plan to masked results through the API.
#[path = "plugins/admissions.rs"]
mod admissions;
mod common;
/// A whole procurement through the API (the procurement plugin on contract 0.2).
#[path = "plugins/procurement.rs"]
mod procurement;
/// The three public expenses' chart on the portal.
#[path = "plugins/three_expenses.rs"]
mod three_expenses;

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use common::*;
use gongkai::plugins::host::{CallContext, LoadedPlugin, PluginCalendar};
use gongkai::plugins::{Limits, PluginHost, Reason};
use reqwest::{Method, StatusCode};
use serde_json::json;

/// The directory holding environment.wasm and fixtures/faulty.wasm, built once.
fn components() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        if let Ok(dir) = std::env::var("GKTEST_PLUGINS_DIR") {
            return PathBuf::from(dir);
        }
        let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
        let out = repo.join("target/plugins");
        let status = std::process::Command::new(repo.join("scripts/build-plugins"))
            .arg("--out")
            .arg(&out)
            .status()
            .expect("scripts/build-plugins runs");
        assert!(status.success(), "scripts/build-plugins failed");
        out
    })
}

fn environment_wasm() -> Vec<u8> {
    std::fs::read(components().join("environment.wasm")).unwrap()
}

fn faulty_wasm() -> Vec<u8> {
    std::fs::read(components().join("fixtures/faulty.wasm")).unwrap()
}

/// The code of the catalog node `id`, wherever it sits in the tree.
pub fn node_code(v: &serde_json::Value, id: &str) -> Option<String> {
    match v {
        serde_json::Value::Object(m) => {
            if m.get("id").and_then(|x| x.as_str()) == Some(id) {
                return m.get("code").and_then(|c| c.as_str()).map(str::to_string);
            }
            m.values().find_map(|x| node_code(x, id))
        }
        serde_json::Value::Array(a) => a.iter().find_map(|x| node_code(x, id)),
        _ => None,
    }
}

/// Installs the component `file` (as the platform administrator) and enables it for each
/// of `tenants` (as its `tenant_admin@{slug}.cn`); its version.
pub async fn install_for(app: &TestApp, file: &str, tenants: &[&str]) -> String {
    let admin = app.admin().await;
    let package = install(&admin, std::fs::read(components().join(file)).unwrap())
        .await
        .expect(StatusCode::CREATED);
    let version = package["version"].as_str().unwrap().to_string();
    let id = package["id"].as_str().unwrap().to_string();
    for slug in tenants {
        let mut boss = app.login(&format!("tenant_admin@{slug}.cn")).await;
        boss.put(
            &format!("/api/v1/tenants/{slug}/plugins/{id}"),
            Some(json!({"version": version, "enabled": true})),
        )
        .await
        .expect(StatusCode::OK);
    }
    version
}

/// The catalog code of the column where `slug` places the plugin kind `kind`.
pub async fn column_code(client: &Client, slug: &str, kind: &str) -> String {
    let kinds = client
        .get(&format!("/api/v1/tenants/{slug}/item-kinds"))
        .await
        .expect(StatusCode::OK);
    let node_id = kinds
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["code"] == kind)
        .unwrap_or_else(|| panic!("{kind} in {kinds}"))["catalog_node_id"]
        .as_str()
        .unwrap()
        .to_string();
    let catalog = client
        .get(&format!("/api/v1/tenants/{slug}/catalog"))
        .await
        .expect(StatusCode::OK);
    node_code(&catalog, &node_id).expect("the column is in the catalog")
}

/// Who publishes a tenant's items: the editor, and the signers of the review chain's
/// steps in order (the first, the confidentiality reviewer, also resolves the findings).
pub struct Desk {
    pub editor: Client,
    pub signers: Vec<Client>,
}

/// Creates an item of `slug`, submits it, has the reviewer redact what the scan found and
/// every step of its chain signed in order, publishes it; its public rendition.
pub async fn publish_through_review(
    app: &TestApp,
    slug: &str,
    desk: &mut Desk,
    body: serde_json::Value,
) -> serde_json::Value {
    let item = desk
        .editor
        .post(&format!("/api/v1/tenants/{slug}/items"), body)
        .await
        .expect(StatusCode::CREATED);
    let id = item["id"].as_str().unwrap().to_string();
    let at = |action: &str| format!("/api/v1/tenants/{slug}/items/{id}/{action}");
    let submitted = desk
        .editor
        .post(&at("submit"), json!({}))
        .await
        .expect(StatusCode::OK);
    let reviewer = &mut desk.signers[0];
    let found = reviewer.get(&at("findings")).await.expect(StatusCode::OK);
    for f in found.as_array().unwrap() {
        reviewer
            .post(
                &format!("{}/{}", at("findings"), f["id"].as_str().unwrap()),
                json!({"resolution": "redact", "reason": "个人信息不公开"}),
            )
            .await
            .expect(StatusCode::OK);
    }
    let steps = submitted["review_chain"].as_array().unwrap().len();
    assert!(steps <= desk.signers.len(), "{submitted}");
    for (step, signer) in desk.signers.iter_mut().enumerate().take(steps) {
        signer
            .post(
                &at("decisions"),
                json!({"step": step, "verdict": "approve"}),
            )
            .await
            .expect(StatusCode::OK);
    }
    desk.editor
        .post(&at("publish"), json!({}))
        .await
        .expect(StatusCode::OK);
    app.anonymous()
        .get(&format!("/api/v1/public/{slug}/items/{id}"))
        .await
        .expect(StatusCode::OK)
}

async fn install(client: &Client, bytes: Vec<u8>) -> Reply {
    client
        .raw(
            Method::POST,
            "/api/v1/plugins",
            Some(bytes),
            "application/wasm",
        )
        .await
        .0
}

both_backends!(environment_plugin_end_to_end, |backend| async move {
    let app = TestApp::start(backend).await;
    let admin = app.admin().await;
    let package = install(&admin, environment_wasm())
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(package["id"], "environment");
    assert_eq!(package["version"], "1.0.0");
    assert_eq!(package["sha256"].as_str().unwrap().len(), 64);
    // Installing the same version twice is a conflict.
    let again = install(&admin, environment_wasm()).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);

    let a = app.create_tenant("env-a", None).await;
    app.add_member(&a, "boss@a.cn", "tenant_admin").await;
    let mut boss = app.login("boss@a.cn").await;
    // Any signed-in user sees the installed packages and their kinds.
    let list = boss.get("/api/v1/plugins").await.expect(StatusCode::OK);
    let kinds: Vec<&str> = list[0]["manifest"]["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["air-quality-reading", "water-quality-result", "eia-notice"]
    );

    let setting = boss
        .put(
            "/api/v1/tenants/env-a/plugins/environment",
            Some(json!({"version": "1.0.0", "enabled": true})),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(setting["enabled"], true);
    let settings = boss
        .get("/api/v1/tenants/env-a/plugins")
        .await
        .expect(StatusCode::OK);
    assert_eq!(settings[0]["pinned_version"], "1.0.0");

    // A daily reading under HJ 633-2012 (before 2026-03-01), checked by hand:
    // PM2.5 70 in [35, 75] → 50 + (70-35)×50/40 = 93.75 → 94;
    // PM10 130 in [50, 150] → 50 + (130-50)×50/100 = 90. AQI 94, level II (良), PM2.5.
    let reading = boss
        .post(
            "/api/v1/tenants/env-a/plugins/environment/validate",
            json!({"kind": "air-quality-reading", "fields": {
                "station": "市监测站", "time": "2026-02-28T00:00+08:00", "period": "24h",
                "pm25": 70, "pm10": 130}}),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(reading["plugin_id"], "environment");
    assert_eq!(reading["plugin_version"], "1.0.0");
    assert_eq!(reading["valid"], true);
    let d = &reading["derived"];
    assert_eq!(
        (&d["aqi"], &d["iaqi_pm25"], &d["iaqi_pm10"]),
        (&json!(94), &json!(94), &json!(90))
    );
    assert_eq!((&d["level"], &d["category"]), (&json!("II"), &json!("良")));
    assert_eq!(d["primary_pollutants"], "PM2.5");
    assert_eq!(d["standard"], "HJ 633-2012");

    // A river result: DO 8 is class I, COD 18 class III; the overall class is the worst.
    let water = boss
        .post(
            "/api/v1/tenants/env-a/plugins/environment/validate",
            json!({"kind": "water-quality-result", "fields": {
                "site": "断面1", "water_body": "river", "date": "2026-03-02", "do": 8, "cod": 18}}),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(water["derived"]["class"], "III");
    assert_eq!(water["derived"]["class_do"], "I");

    // An EIA notice whose comment period is 9 working days: a 422 listing the problem.
    let eia = boss
        .post(
            "/api/v1/tenants/env-a/plugins/environment/validate",
            json!({"kind": "eia-notice", "fields": {
                "project": "某化工项目", "builder": "某公司",
                "comment_start": "2026-03-02", "comment_end": "2026-03-12"}}),
        )
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    let problems = eia["errors"].as_array().unwrap();
    assert!(
        problems
            .iter()
            .any(|p| p["field"] == "comment_end" && p["code"] == "comment-period"),
        "{eia}"
    );
    // Ten working days is enough.
    boss.post(
        "/api/v1/tenants/env-a/plugins/environment/validate",
        json!({"kind": "eia-notice", "fields": {
            "project": "某化工项目", "builder": "某公司",
            "comment_start": "2026-03-02", "comment_end": "2026-03-13"}}),
    )
    .await
    .expect(StatusCode::OK);
    // An unknown kind is the caller's mistake.
    boss.post(
        "/api/v1/tenants/env-a/plugins/environment/validate",
        json!({"kind": "nope", "fields": {}}),
    )
    .await
    .expect(StatusCode::UNPROCESSABLE_ENTITY);

    // Export as CSV.
    let (csv, _) = boss
        .raw(
            Method::POST,
            "/api/v1/tenants/env-a/plugins/environment/export",
            Some(
                json!({"format": "csv", "items": [{"id": "1", "kind": "air-quality-reading",
                    "fields": {"station": "市监测站", "time": "2026-02-28T00:00+08:00",
                               "period": "24h", "pm25": 70, "pm10": 130}}]})
                .to_string()
                .into_bytes(),
            ),
            "application/json",
        )
        .await;
    assert_eq!(csv.status, StatusCode::OK, "{}", csv.body);
    assert_eq!(
        header(&csv, "content-type"),
        Some("text/csv; charset=utf-8")
    );
    let text = csv.body.as_str().unwrap();
    assert!(text.starts_with("\u{feff}station,time,period"), "{text}");
    assert!(text.contains(",94,II,良,PM2.5,HJ 633-2012"), "{text}");

    // Both changes are audited: the install on the platform, the enabling in the tenant.
    let audit = admin
        .get("/api/v1/tenants/platform/audit")
        .await
        .expect(StatusCode::OK);
    assert!(audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["action"] == "plugin.install"));
    let audit = boss
        .get("/api/v1/tenants/env-a/audit")
        .await
        .expect(StatusCode::OK);
    assert!(audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["action"] == "plugin.enable"));
});

both_backends!(
    tenants_cannot_see_or_use_each_others_plugins,
    |backend| async move {
        let app = TestApp::start(backend).await;
        let admin = app.admin().await;
        install(&admin, environment_wasm())
            .await
            .expect(StatusCode::CREATED);
        let a = app.create_tenant("iso-a", None).await;
        let b = app.create_tenant("iso-b", None).await;
        app.add_member(&a, "boss@a.cn", "tenant_admin").await;
        app.add_member(&b, "boss@b.cn", "tenant_admin").await;
        let mut boss_a = app.login("boss@a.cn").await;
        let mut boss_b = app.login("boss@b.cn").await;
        boss_a
            .put(
                "/api/v1/tenants/iso-a/plugins/environment",
                Some(json!({"version": "1.0.0", "enabled": true})),
            )
            .await
            .expect(StatusCode::OK);

        // B can neither see nor change A's settings, nor validate through A.
        boss_b
            .get("/api/v1/tenants/iso-a/plugins")
            .await
            .expect(StatusCode::FORBIDDEN);
        boss_b
            .put(
                "/api/v1/tenants/iso-a/plugins/environment",
                Some(json!({"version": "1.0.0", "enabled": false})),
            )
            .await
            .expect(StatusCode::FORBIDDEN);
        let fields = json!({"kind": "water-quality-result", "fields": {
        "site": "s", "water_body": "river", "date": "2026-03-02", "do": 8}});
        boss_b
            .post(
                "/api/v1/tenants/iso-a/plugins/environment/validate",
                fields.clone(),
            )
            .await
            .expect(StatusCode::FORBIDDEN);
        // B sees none of A's rows in its own list, and cannot use a plugin it has not enabled.
        let own = boss_b
            .get("/api/v1/tenants/iso-b/plugins")
            .await
            .expect(StatusCode::OK);
        assert_eq!(own, json!([]));
        boss_b
            .post(
                "/api/v1/tenants/iso-b/plugins/environment/validate",
                fields.clone(),
            )
            .await
            .expect(StatusCode::NOT_FOUND);
        // Pinning a version that is not installed is refused.
        boss_b
            .put(
                "/api/v1/tenants/iso-b/plugins/environment",
                Some(json!({"version": "9.9.9", "enabled": true})),
            )
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        // A disabled plugin cannot be used either.
        boss_a
            .put(
                "/api/v1/tenants/iso-a/plugins/environment",
                Some(json!({"version": "1.0.0", "enabled": false})),
            )
            .await
            .expect(StatusCode::OK);
        boss_a
            .post("/api/v1/tenants/iso-a/plugins/environment/validate", fields)
            .await
            .expect(StatusCode::CONFLICT);
        // Only platform admins install.
        let refused = install(&boss_a, environment_wasm()).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        // The tenant's rows carry the tenant: B's transaction cannot read A's row.
        let mut tx = app.state.db.tenant_read(&b.id).await.unwrap();
        let rows = gongkai::plugins::store::settings(&mut tx).await.unwrap();
        assert!(rows.is_empty());
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_that_are_not_plugins_are_refused_with_the_reason() {
    let app = TestApp::start(gongkai::kernel::db::Backend::Sqlite).await;
    let admin = app.admin().await;
    let reason = |reply: Reply| -> String {
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            reply.body
        );
        reply.body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let random: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    let r = reason(install(&admin, random).await);
    assert!(r.contains("not a WebAssembly file"), "{r}");

    let core = wat::parse_str("(module (func (export \"describe\")))").unwrap();
    let r = reason(install(&admin, core).await);
    assert!(r.contains("core WebAssembly module"), "{r}");

    // A component that wants WASI's random numbers: not something the host offers.
    let foreign = wat::parse_str(
        r#"(component
             (import "wasi:random/random@0.2.0" (instance
               (export "get-random-u64" (func (result u64))))))"#,
    )
    .unwrap();
    let r = reason(install(&admin, foreign).await);
    assert!(r.contains("import") && r.contains("wasi:random"), "{r}");

    // A component with our imports satisfied but without the plugin's exports.
    let empty = wat::parse_str("(component)").unwrap();
    let r = reason(install(&admin, empty).await);
    assert!(r.contains("export"), "{r}");

    let (wrong_type, _) = admin
        .raw(
            Method::POST,
            "/api/v1/plugins",
            // Small: a server that refuses by header may close before reading a large body.
            Some(b"\0asm\x0d\0\x01\0".to_vec()),
            "application/octet-stream",
        )
        .await;
    assert_eq!(wrong_type.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let list = admin.get("/api/v1/plugins").await.expect(StatusCode::OK);
    assert_eq!(list, json!([]));
}

// ---- The host alone: faults, neighbours, the compile cache. ----

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gongkai-{name}-{}", uuid_simple()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn host_with(limits: Limits, dir: &std::path::Path) -> Arc<PluginHost> {
    Arc::new(PluginHost::new(limits, dir.to_path_buf()).unwrap())
}

fn load(host: &PluginHost, bytes: &[u8]) -> Arc<LoadedPlugin> {
    let sha = gongkai::plugins::service::sha256_hex(bytes);
    let prepared = host.prepare(&sha, bytes).unwrap();
    let info = host.describe(&prepared).unwrap();
    host.insert(prepared, &info.id, &info.version)
}

fn calendar() -> PluginCalendar {
    Arc::new(gongkai_rules::calendar::official::official_calendar())
}

fn ctx(tenant: &str) -> CallContext {
    CallContext {
        tenant: tenant.into(),
        today: "2026-03-05".into(),
        locale: "zh-CN".into(),
    }
}

fn evaluate_kind(
    host: &PluginHost,
    plugin: &LoadedPlugin,
    kind: &str,
) -> Result<(), gongkai::plugins::PluginError> {
    host.evaluate(plugin, calendar(), kind, "{}", &ctx("t"))
        .map(|_| ())
}

#[test]
fn faults_fail_the_call_with_a_clear_reason_and_the_next_call_works() {
    let dir = temp_dir("faults");
    let host = host_with(Limits::default(), &dir);
    let faulty = load(&host, &faulty_wasm());
    evaluate_kind(&host, &faulty, "ok").unwrap();

    let started = Instant::now();
    let err = evaluate_kind(&host, &faulty, "loop").unwrap_err();
    let took = started.elapsed();
    assert!(
        matches!(err.reason, Reason::Timeout(100) | Reason::OutOfFuel(_)),
        "{err}"
    );
    // Stopped, not finished: a generous bound (machines are shared; speed is the bench's).
    assert!(took < Duration::from_secs(5), "loop stopped after {took:?}");
    assert_eq!(
        (err.plugin.as_str(), err.version.as_str()),
        ("fixture-faulty", "0.1.0")
    );
    assert_eq!(err.call, "validate");
    eprintln!("loop: {err} after {took:?}");
    evaluate_kind(&host, &faulty, "ok").unwrap();

    let err = evaluate_kind(&host, &faulty, "oom").unwrap_err();
    assert_eq!(err.reason, Reason::MemoryExhausted(32 << 20), "{err}");
    evaluate_kind(&host, &faulty, "ok").unwrap();

    let err = evaluate_kind(&host, &faulty, "trap").unwrap_err();
    assert!(matches!(err.reason, Reason::Trapped(_)), "{err}");
    evaluate_kind(&host, &faulty, "ok").unwrap();

    let err = evaluate_kind(&host, &faulty, "bad-json").unwrap_err();
    assert!(matches!(err.reason, Reason::Malformed(_)), "{err}");
    assert_eq!(err.call, "derive");
    evaluate_kind(&host, &faulty, "ok").unwrap();

    // The fixture builds its 20 MiB answer a character at a time, which takes longer
    // than 100 ms here: give it time, so that the size cap is what stops it.
    let roomy = host_with(
        Limits {
            deadline: Duration::from_secs(5),
            fuel: u64::MAX / 2,
            ..Limits::default()
        },
        &dir,
    );
    let roomy_faulty = load(&roomy, &faulty_wasm());
    let err = evaluate_kind(&roomy, &roomy_faulty, "huge").unwrap_err();
    assert!(
        matches!(err.reason, Reason::OutputTooLarge { size, .. } if size > 20 << 20),
        "{err}"
    );
    evaluate_kind(&host, &faulty, "ok").unwrap();

    let err = roomy.export(&roomy_faulty, "t", "huge", &[]).unwrap_err();
    assert!(matches!(err.reason, Reason::OutputTooLarge { .. }), "{err}");
    let err = host.export(&faulty, "t", "nope", &[]).unwrap_err();
    assert_eq!(err.reason, Reason::UnknownFormat("nope".into()));
    assert!(err.reason.is_bad_input());
    let err = evaluate_kind(&host, &faulty, "nope").unwrap_err();
    assert_eq!(err.reason, Reason::UnknownKind("nope".into()));

    // Too much input never reaches the plugin.
    let big = format!("{{\"note\": \"{}\"}}", "x".repeat(5 << 20));
    let err = host
        .evaluate(&faulty, calendar(), "ok", &big, &ctx("t"))
        .unwrap_err();
    assert!(matches!(err.reason, Reason::InputTooLarge { .. }), "{err}");
    evaluate_kind(&host, &faulty, "ok").unwrap();
    // Input past the SDK's 1 MiB arena but under the cap: the plugin's allocator
    // grows memory, and the slot is trimmed back for the next call.
    let large = format!("{{\"note\": \"{}\"}}", "x".repeat(3 << 20));
    host.evaluate(&faulty, calendar(), "ok", &large, &ctx("t"))
        .unwrap();
    evaluate_kind(&host, &faulty, "ok").unwrap();

    // The error becomes a 502 problem naming plugin, version and reason.
    let err = evaluate_kind(&host, &faulty, "trap").unwrap_err();
    let problem = gongkai::http::problem::Problem::from(gongkai::kernel::error::Error::from(err));
    assert_eq!(problem.status, 502);
    assert!(problem
        .detail
        .unwrap()
        .starts_with("plugin fixture-faulty 0.1.0: validate trapped"));
}

#[test]
fn the_epoch_deadline_and_fuel_each_stop_a_loop() {
    let dir = temp_dir("deadline");
    let plenty = host_with(
        Limits {
            fuel: u64::MAX / 2,
            ..Limits::default()
        },
        &dir,
    );
    let faulty = load(&plenty, &faulty_wasm());
    let started = Instant::now();
    let err = evaluate_kind(&plenty, &faulty, "loop").unwrap_err();
    assert_eq!(err.reason, Reason::Timeout(100), "{err}");
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(90) && took < Duration::from_secs(5),
        "{took:?}"
    );

    let little = host_with(
        Limits {
            fuel: 1_000_000,
            ..Limits::default()
        },
        &dir,
    );
    let faulty = load(&little, &faulty_wasm());
    let err = evaluate_kind(&little, &faulty, "loop").unwrap_err();
    assert_eq!(err.reason, Reason::OutOfFuel(1_000_000), "{err}");
    evaluate_kind(&little, &faulty, "ok").unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_looping_neighbour_does_not_stop_other_tenants() {
    let dir = temp_dir("neighbour");
    let host = host_with(Limits::default(), &dir);
    let faulty = load(&host, &faulty_wasm());
    let env = load(&host, &environment_wasm());
    let fields =
        json!({"site": "s", "water_body": "river", "date": "2026-03-02", "do": 8, "cod": 18})
            .to_string();

    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut loops = Vec::new();
    for _ in 0..4 {
        let (host, faulty, stop) = (host.clone(), faulty.clone(), stop.clone());
        loops.push(tokio::spawn(async move {
            let mut failures = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let f = faulty.clone();
                let r = host
                    .run_for("tenant-a", move |h| {
                        h.evaluate(&f, calendar(), "loop", "{}", &ctx("tenant-a"))
                    })
                    .await
                    .unwrap();
                assert!(r.is_err());
                failures += 1;
            }
            failures
        }));
    }
    let mut latencies = Vec::new();
    for _ in 0..200 {
        let (e, f) = (env.clone(), fields.clone());
        let started = Instant::now();
        let r = host
            .run_for("tenant-b", move |h| {
                h.evaluate(&e, calendar(), "water-quality-result", &f, &ctx("tenant-b"))
            })
            .await
            .unwrap()
            .expect("tenant B's call succeeds");
        latencies.push(started.elapsed());
        assert_eq!(r.derived["class"], "III");
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut failures = 0;
    for l in loops {
        failures += l.await.unwrap();
    }
    latencies.sort();
    eprintln!(
        "tenant B with 4 looping neighbours: p50 {:?}, p99 {:?} ({failures} loops stopped)",
        latencies[100], latencies[197]
    );
    assert!(failures >= 4);
}

#[test]
fn a_second_start_uses_the_compile_cache() {
    let dir = temp_dir("cache");
    let bytes = environment_wasm();
    let first = host_with(Limits::default(), &dir);
    load(&first, &bytes);
    assert_eq!(
        first
            .stats
            .compiled
            .load(std::sync::atomic::Ordering::Relaxed),
        1
    );
    assert_eq!(
        first
            .stats
            .cache_hits
            .load(std::sync::atomic::Ordering::Relaxed),
        0
    );
    let cached: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    let sha = gongkai::plugins::service::sha256_hex(&bytes);
    assert_eq!(
        cached,
        [format!("{sha}-{}.cwasm", first.fingerprint())],
        "one compiled file, named by content hash and engine"
    );

    let second = host_with(Limits::default(), &dir);
    let started = Instant::now();
    let plugin = load(&second, &bytes);
    eprintln!("load from cache: {:?}", started.elapsed());
    assert_eq!(
        second
            .stats
            .compiled
            .load(std::sync::atomic::Ordering::Relaxed),
        0
    );
    assert_eq!(
        second
            .stats
            .cache_hits
            .load(std::sync::atomic::Ordering::Relaxed),
        1
    );
    second
        .evaluate(
            &plugin,
            calendar(),
            "water-quality-result",
            r#"{"site": "s", "water_body": "river", "date": "2026-03-02", "do": 8}"#,
            &ctx("t"),
        )
        .unwrap();

    // A damaged cache file is dropped and the component compiled again. (Compiled code
    // is mapped from the file: replace it, never truncate it under a live mapping.)
    drop((plugin, second));
    let path = dir.join(&cached[0]);
    std::fs::remove_file(&path).unwrap();
    std::fs::write(&path, b"garbage").unwrap();
    let third = host_with(Limits::default(), &dir);
    load(&third, &bytes);
    assert_eq!(
        third
            .stats
            .compiled
            .load(std::sync::atomic::Ordering::Relaxed),
        1
    );
}

// ---------------------------------------------------------------------------------------
// Plugin kinds as items: placement, validation, derived fields, publication rules, export.

/// Today in China and a day `n` days later, as YYYY-MM-DD.
fn china_day(n: i64) -> String {
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    (today + chrono::Duration::days(n)).to_string()
}

/// Each `(member, step)` (member `{member}@{slug}.cn`) approves its step of the item's review chain.
async fn decide_all(app: &TestApp, slug: &str, id: &str, signers: &[(&str, usize)]) {
    for (role, step) in signers {
        let mut signer = app.login(&format!("{role}@{slug}.cn")).await;
        signer
            .post(
                &format!("/api/v1/tenants/{slug}/items/{id}/decisions"),
                json!({"step": step, "verdict": "approve"}),
            )
            .await
            .expect(StatusCode::OK);
    }
}

/// Submits, has the standard two steps approved, publishes; returns the public rendition.
async fn publish_reviewed(
    app: &TestApp,
    editor: &mut Client,
    slug: &str,
    id: &str,
) -> serde_json::Value {
    let item = |action: &str| format!("/api/v1/tenants/{slug}/items/{id}/{action}");
    editor
        .post(&item("submit"), json!({}))
        .await
        .expect(StatusCode::OK);
    decide_all(app, slug, id, &[("reviewer", 0), ("approver", 1)]).await;
    editor
        .post(&item("publish"), json!({}))
        .await
        .expect(StatusCode::OK);
    app.anonymous()
        .get(&format!("/api/v1/public/{slug}/items/{id}"))
        .await
        .expect(StatusCode::OK)
}

both_backends!(
    a_plugin_rule_naming_an_unknown_role_fails_the_save,
    |backend| async move {
        let app = TestApp::start(backend).await;
        let admin = app.admin().await;
        install(&admin, faulty_wasm())
            .await
            .expect(StatusCode::CREATED);
        let t = app
            .staffed("roles", None, &["editor", "tenant_admin"])
            .await;
        let mut boss = app.login("tenant_admin@roles.cn").await;
        boss.put(
            &format!("/api/v1/tenants/{}/plugins/fixture-faulty", t.slug),
            Some(json!({"version": "0.1.0", "enabled": true})),
        )
        .await
        .expect(StatusCode::OK);
        let mut ed = app.login("editor@roles.cn").await;
        let item = |kind: &str| json!({"kind": format!("fixture-faulty/{kind}"), "title": "t", "fields": {"note": "n"}});
        // A review step nobody in the tenant could sign is the plugin's fault: 502, naming it.
        let problem = ed
            .post("/api/v1/tenants/roles/items", item("bad-role"))
            .await
            .expect(StatusCode::BAD_GATEWAY);
        let detail = problem["detail"].as_str().unwrap();
        assert!(
            detail.starts_with("plugin fixture-faulty 0.1.0:") && detail.contains("`mayor`"),
            "{problem}"
        );
        // Nothing was stored; the plugin's well-behaved kind still saves.
        let items = ed
            .get("/api/v1/tenants/roles/items")
            .await
            .expect(StatusCode::OK);
        assert!(!items.to_string().contains("bad-role"), "{items}");
        ed.post("/api/v1/tenants/roles/items", item("ok"))
            .await
            .expect(StatusCode::CREATED);
    }
);

both_backends!(plugin_kinds_are_items_end_to_end, |backend| async move {
    let app = TestApp::start(backend).await;
    let mut admin = app.admin().await;
    install(&admin, environment_wasm())
        .await
        .expect(StatusCode::CREATED);
    // The EIA comment period may run into 2027: a small fixture year.
    admin
        .put(
            "/api/v1/calendar/years/2027",
            Some(json!({"source": "测试", "days": [{"date": "2027-01-01", "kind": "holiday", "name": "元旦"}]})),
        )
        .await
        .expect(StatusCode::NO_CONTENT);
    let eco = app
        .staffed(
            "eco",
            None,
            &["editor", "reviewer", "approver", "tenant_admin"],
        )
        .await;
    // Nobody signs two steps of one version: the EIA section has its own reviewer.
    app.add_member(&eco, "eia@eco.cn", "reviewer").await;
    app.staffed("other", None, &["editor"]).await;
    let mut boss = app.login("tenant_admin@eco.cn").await;
    let mut ed = app.login("editor@eco.cn").await;
    let anon = app.anonymous();

    // Before the plugin is enabled its kinds are refused, with the reason.
    let reading = json!({"kind": "environment/air-quality-reading", "title": "市监测站 2026-02-28 日均值",
        "fields": {"station": "市监测站", "time": "2026-02-28T00:00+08:00", "period": "24h",
                   "pm25": 70, "pm10": 130}});
    let refused = ed
        .post("/api/v1/tenants/eco/items", reading.clone())
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.to_string().contains("not enabled"), "{refused}");

    boss.put(
        "/api/v1/tenants/eco/plugins/environment",
        Some(json!({"version": "1.0.0", "enabled": true})),
    )
    .await
    .expect(StatusCode::OK);

    // The kinds appear with their catalog place, created under 重点领域.
    let kinds = ed
        .get("/api/v1/tenants/eco/item-kinds")
        .await
        .expect(StatusCode::OK);
    let air = kinds
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["code"] == "environment/air-quality-reading")
        .unwrap_or_else(|| panic!("{kinds}"))
        .clone();
    assert_eq!(air["plugin_version"], "1.0.0");
    assert!(kinds
        .as_array()
        .unwrap()
        .iter()
        .any(|k| k["code"] == "policy"));
    let place = air["catalog_node_id"].as_str().unwrap().to_string();
    let catalog = ed
        .get("/api/v1/tenants/eco/catalog")
        .await
        .expect(StatusCode::OK);
    let node = catalog
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == place.as_str())
        .unwrap()
        .clone();
    assert_eq!(node["name"], "环境保护");
    let parent = catalog
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == node["parent_id"])
        .unwrap();
    assert_eq!(parent["code"], "ZDLY");
    let code = node["code"].as_str().unwrap().to_string();

    // Every problem the plugin finds comes back at once, under `fields.`; nothing is stored.
    let mut bad = reading.clone();
    bad["fields"] = json!({"time": "2026-02-28T00:00+08:00", "period": "24h", "pm25": -1});
    let problems = ed
        .post("/api/v1/tenants/eco/items", bad)
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    let fields = error_fields(&problems);
    assert!(fields.contains(&"fields.station".into()), "{problems}");
    assert!(fields.contains(&"fields.pm25".into()), "{problems}");
    // A kind the plugin does not have, and fields that are not an object: 422s naming them.
    let mut unknown = reading.clone();
    unknown["kind"] = json!("environment/noise-reading");
    let refused = ed
        .post("/api/v1/tenants/eco/items", unknown)
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&refused), ["kind"], "{refused}");
    assert!(refused.to_string().contains("noise-reading"), "{refused}");
    let mut not_object = reading.clone();
    not_object["fields"] = json!([1, 2]);
    let refused = ed
        .post("/api/v1/tenants/eco/items", not_object)
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&refused), ["fields"], "{refused}");
    let listed = ed
        .get("/api/v1/tenants/eco/items")
        .await
        .expect(StatusCode::OK);
    assert_eq!(listed.as_array().unwrap().len(), 0, "{listed}");

    // A valid reading lands in the plugin's place with what the plugin derived and the
    // version that validated it; its deadline is the plugin's (1 working day).
    let item = ed
        .post("/api/v1/tenants/eco/items", reading.clone())
        .await
        .expect(StatusCode::CREATED);
    let id = item["id"].as_str().unwrap().to_string();
    assert_eq!(item["node_id"], place.as_str());
    assert_eq!(item["plugin"]["plugin_id"], "environment");
    assert_eq!(item["plugin"]["plugin_version"], "1.0.0");
    assert_eq!(item["plugin"]["derived"]["aqi"], 94);
    assert!(
        item["due_on"].as_str().unwrap() < "2026-03-05",
        "{}",
        item["due_on"]
    );

    // An edit is validated again; a bad one changes nothing.
    let edit = ed
        .patch(
            &format!("/api/v1/tenants/eco/items/{id}"),
            json!({"version": 1, "fields": {"station": "市监测站", "time": "2026-02-28T00:00+08:00",
                   "period": "24h", "pm25": "many"}}),
        )
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(edit.to_string().contains("fields.pm25"), "{edit}");
    let edited = ed
        .patch(
            &format!("/api/v1/tenants/eco/items/{id}"),
            json!({"version": 1, "fields": {"station": "市监测站", "time": "2026-02-28T00:00+08:00",
                   "period": "24h", "pm25": 70, "pm10": 130, "so2": 10}}),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(edited["version"], 2);
    assert_eq!(edited["plugin"]["derived"]["iaqi_so2"], 10);

    // Review and publish: the public rendition carries the derived fields.
    let public = publish_reviewed(&app, &mut ed, "eco", &id).await;
    assert_eq!(public["fields"]["aqi"], 94);
    assert_eq!(public["fields"]["category"], "良");
    // The portal's home shows the latest readings as a table of what people look for:
    // the station, the time, the AQI and its level (coloured by its class), not the
    // sub-indices.
    let home = app
        .http
        .get(app.url("/eco/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let table = &home[home
        .find("class=\"plugin-summary\"")
        .expect("a plugin table")..];
    let table = &table[..table.find("</table>").unwrap()];
    assert!(table.contains("<caption>空气质量</caption>"), "{table}");
    assert!(
        table.contains("市监测站") && table.contains(">94</td>"),
        "{table}"
    );
    assert!(table.contains("value-II"), "{table}");
    assert!(!table.contains("分指数"), "{table}");

    // A water result: the sampler is masked on the portal; the deadline is 20 working
    // days from the sampling date when that comes before the general one.
    let water = ed
        .post(
            "/api/v1/tenants/eco/items",
            json!({"kind": "environment/water-quality-result", "title": "断面1 监测结果",
                "fields": {"site": "断面1", "water_body": "river", "date": "2026-11-26",
                           "do": 8, "cod": 18, "sampler": "王小明"}}),
        )
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(water["due_on"], "2026-12-24");
    let wid = water["id"].as_str().unwrap().to_string();
    let public = publish_reviewed(&app, &mut ed, "eco", &wid).await;
    assert_eq!(public["fields"]["sampler"], "***");
    assert_eq!(public["fields"]["class"], "III");
    let staff_view = ed
        .get(&format!("/api/v1/tenants/eco/items/{wid}"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(staff_view["fields"]["sampler"], "王小明");

    // The plugin's exports of the catalog node (and of its parent, which holds it).
    let csv = anon
        .request(
            Method::GET,
            &format!("/api/v1/public/eco/catalog/{code}/export/environment/csv"),
            None,
        )
        .await;
    assert_eq!(csv.status, StatusCode::OK, "{}", csv.body);
    assert!(header(&csv, "content-type")
        .unwrap()
        .starts_with("text/csv"));
    let text = csv.body.as_str().unwrap_or_default();
    assert!(text.contains("市监测站") && text.contains("94"), "{text}");
    assert!(!text.contains("断面1"), "water results are not readings");
    let feed = anon
        .get("/api/v1/public/eco/catalog/ZDLY/export/environment/json-feed")
        .await
        .expect(StatusCode::OK);
    assert!(feed.to_string().contains("市监测站"), "{feed}");
    anon.get(&format!(
        "/api/v1/public/eco/catalog/{code}/export/environment/pdf"
    ))
    .await
    .expect(StatusCode::NOT_FOUND);
    anon.get(&format!(
        "/api/v1/public/eco/catalog/{code}/export/nosuch/csv"
    ))
    .await
    .expect(StatusCode::NOT_FOUND);

    // An EIA notice: the plugin adds its review step and an embargo until the day the
    // comment period opens.
    let opens = china_day(3);
    let eia = ed
        .post(
            "/api/v1/tenants/eco/items",
            json!({"kind": "environment/eia-notice", "title": "某项目环评公示",
                "fields": {"project": "某污水处理厂扩建", "builder": "某水务公司",
                           "comment_start": opens, "comment_end": china_day(40), "publish_on": opens}}),
        )
        .await
        .expect(StatusCode::CREATED);
    let eid = eia["id"].as_str().unwrap().to_string();
    let submitted = ed
        .post(
            &format!("/api/v1/tenants/eco/items/{eid}/submit"),
            json!({}),
        )
        .await
        .expect(StatusCode::OK);
    let steps: Vec<&str> = submitted["review_chain"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["保密审查", "领导签发", "环评公示合规审核"]);
    decide_all(
        &app,
        "eco",
        &eid,
        &[("reviewer", 0), ("approver", 1), ("eia", 2)],
    )
    .await;
    let early = ed
        .post(
            &format!("/api/v1/tenants/eco/items/{eid}/publish"),
            json!({}),
        )
        .await
        .expect(StatusCode::CONFLICT);
    assert!(early.to_string().contains(&opens), "{early}");
    let too_soon = ed
        .post(
            &format!("/api/v1/tenants/eco/items/{eid}/schedule"),
            json!({"at": format!("{}T10:00:00+08:00", china_day(2))}),
        )
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(too_soon.to_string().contains("embargo"), "{too_soon}");
    let scheduled = ed
        .post(
            &format!("/api/v1/tenants/eco/items/{eid}/schedule"),
            json!({"at": format!("{opens}T09:00:00+08:00")}),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(scheduled["stage"], "scheduled");

    // Another tenant has not enabled the plugin: its kinds are refused there.
    let mut other = app.login("editor@other.cn").await;
    other
        .post("/api/v1/tenants/other/items", reading.clone())
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);

    // Disabled: no new items and no export, but published items read as before.
    boss.put(
        "/api/v1/tenants/eco/plugins/environment",
        Some(json!({"version": "1.0.0", "enabled": false})),
    )
    .await
    .expect(StatusCode::OK);
    ed.post("/api/v1/tenants/eco/items", reading)
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    anon.get(&format!(
        "/api/v1/public/eco/catalog/{code}/export/environment/csv"
    ))
    .await
    .expect(StatusCode::NOT_FOUND);
    let still = anon
        .get(&format!("/api/v1/public/eco/items/{id}"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(still["fields"]["aqi"], 94);
});

both_backends!(
    plugin_fields_are_declared_and_scanned_at_any_depth,
    |backend| async move {
        let app = TestApp::start(backend).await;
        let admin = app.admin().await;
        install(&admin, faulty_wasm())
            .await
            .expect(StatusCode::CREATED);
        app.staffed(
            "deep",
            None,
            &["editor", "reviewer", "approver", "tenant_admin"],
        )
        .await;
        let mut boss = app.login("tenant_admin@deep.cn").await;
        boss.put(
            "/api/v1/tenants/deep/plugins/fixture-faulty",
            Some(json!({"version": "0.1.0", "enabled": true})),
        )
        .await
        .expect(StatusCode::OK);
        let mut ed = app.login("editor@deep.cn").await;
        // A field the kind does not declare is refused, named; nothing is stored.
        let refused = ed
            .post(
                "/api/v1/tenants/deep/items",
                json!({"kind": "fixture-faulty/ok", "title": "t",
                       "fields": {"note": "n", "contact": "13812345678"}}),
            )
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(error_fields(&refused), ["fields.contact"], "{refused}");

        // A phone number in a table cell is found at its path, and masked when published.
        let item = ed
            .post(
                "/api/v1/tenants/deep/items",
                json!({"kind": "fixture-faulty/ok", "title": "名单",
                       "fields": {"note": "n", "rows": [{"name": "王五"}, {"name": "王五 13812345678"}]}}),
            )
            .await
            .expect(StatusCode::CREATED);
        let id = item["id"].as_str().unwrap().to_string();
        let path = |action: &str| format!("/api/v1/tenants/deep/items/{id}/{action}");
        let submitted = ed
            .post(&path("submit"), json!({}))
            .await
            .expect(StatusCode::OK);
        assert_eq!(submitted["unresolved_findings"], 1, "{submitted}");
        let mut rev = app.login("reviewer@deep.cn").await;
        let findings = rev.get(&path("findings")).await.expect(StatusCode::OK);
        assert_eq!(findings[0]["field"], "fields.rows.1.name", "{findings}");
        assert_eq!(findings[0]["kind"], "mobile", "{findings}");
        let fid = findings[0]["id"].as_str().unwrap();
        rev.post(
            &path(&format!("findings/{fid}")),
            json!({"resolution": "redact"}),
        )
        .await
        .expect(StatusCode::OK);
        decide_all(&app, "deep", &id, &[("reviewer", 0), ("approver", 1)]).await;
        ed.post(&path("publish"), json!({}))
            .await
            .expect(StatusCode::OK);
        let public = app
            .anonymous()
            .get(&format!("/api/v1/public/deep/items/{id}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(public["fields"]["rows"][1]["name"], "王五 138****5678");
        assert!(!public.to_string().contains("13812345678"), "{public}");
    }
);
