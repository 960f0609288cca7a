//! Contract 0.2 beside 0.1: actions through the host and the API (the admissions
//! lottery placed and verified, the same after a restart), sealed-field declarations in
//! the manifest, every 0.1 plugin loading and running unchanged, and actions that loop,
//! trap, run out of memory or answer too much failing cleanly.

use super::*;
use gongkai::plugins::host::Contract;

fn component(name: &str) -> Vec<u8> {
    let path = components().join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A roster of `n` students (sex × three categories) for `k` equal classes.
pub fn draw_input(n: usize, k: usize) -> serde_json::Value {
    let students: Vec<_> = (0..n)
        .map(|i| {
            let sex = if i % 2 == 0 { "F" } else { "M" };
            json!({"id": format!("2026{i:05}"), "attrs": [sex, CATEGORIES[i % 3]]})
        })
        .collect();
    let classes: Vec<_> = (0..k)
        .map(|c| json!({"name": format!("{}班", c + 1), "size": n / k + usize::from(c < n % k)}))
        .collect();
    json!({
        "constraints": ["sex", "category"],
        "classes": classes,
        "students": students,
        "public_source": "中国福利彩票双色球第2026150期开奖号码",
        "secret": "the agency's secret, 32 bytes ok",
        "public_value": "03 07 12 19 25 31 + 09",
    })
}

/// Serves `state` as a second server would after a restart; its base URL.
async fn serve(state: gongkai::app::AppState) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        gongkai::http::serve(listener, state, std::future::pending::<()>())
            .await
            .unwrap();
    });
    base
}

both_backends!(admissions_lottery_through_actions, |backend| async move {
    let app = TestApp::start(backend).await;
    let admin = app.admin().await;
    let package = install(&admin, component("admissions.wasm"))
        .await
        .expect(StatusCode::CREATED);
    let manifest = &package["manifest"];
    assert_eq!(manifest["contract"], "gongkai:plugin@0.2.0");
    let actions: Vec<_> = manifest["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["name"].as_str().unwrap(), a["public"].as_bool().unwrap()))
        .collect();
    assert_eq!(actions, [("place", false), ("verify", true)]);
    let version = package["version"].as_str().unwrap().to_string();

    let t = app
        .staffed("school", None, &["tenant_admin", "editor"])
        .await;
    let mut boss = app.login("tenant_admin@school.cn").await;
    boss.put(
        "/api/v1/tenants/school/plugins/admissions",
        Some(json!({"version": version, "enabled": true})),
    )
    .await
    .expect(StatusCode::OK);

    // Staff place a draw; the same inputs give the same package, twice.
    let mut editor = app.login("editor@school.cn").await;
    let place = "/api/v1/tenants/school/plugins/admissions/actions/place";
    let first = editor
        .post(place, draw_input(120, 4))
        .await
        .expect(StatusCode::OK);
    assert_eq!(first["plugin_version"], version.as_str());
    assert_eq!(first["action"], "place");
    let drawn = first["output"].clone();
    assert_eq!(
        drawn["draws"][0]["placement"].as_array().unwrap().len(),
        120
    );
    let again = editor
        .post(place, draw_input(120, 4))
        .await
        .expect(StatusCode::OK);
    assert_eq!(again["output"], drawn);

    // ... and after a restart (a new process state: nothing loaded, the same database).
    let restarted = gongkai::app::AppState::build(app.db.config())
        .await
        .unwrap();
    assert!(restarted
        .plugins
        .host
        .get(first["sha256"].as_str().unwrap())
        .is_none());
    let base = serve(restarted).await;
    let token = gongkai::auth::tokens::create(
        &app.state.db,
        &gongkai::kernel::actor::Actor::cli(),
        &app.add_member(&t, "editor@school.cn", "editor").await.id,
        "restart",
        Some(1),
    )
    .await
    .unwrap()
    .1;
    let res = reqwest::Client::new()
        .post(format!("{base}{place}"))
        .bearer_auth(&token)
        .json(&draw_input(120, 4))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let after: serde_json::Value = res.json().await.unwrap();
    assert_eq!(after["output"], drawn, "the same placement after a restart");

    // Anyone verifies through the public route: the genuine package checks out...
    let verify = "/api/v1/public/school/plugins/admissions/actions/verify";
    let public = app.anonymous();
    let ok = public
        .request(Method::POST, verify, Some(drawn.clone()))
        .await
        .expect(StatusCode::OK);
    assert_eq!(ok["output"], json!({"ok": true, "draws": [{"ok": true}]}));
    // ... a tampered seed does not, and the mismatch is named ...
    let mut seed = drawn.clone();
    seed["draws"][0]["seed"] = json!("ab".repeat(32));
    let v = public
        .request(Method::POST, verify, Some(seed))
        .await
        .expect(StatusCode::OK);
    assert_eq!(v["output"]["ok"], false);
    assert_eq!(v["output"]["draws"][0]["mismatch"], "seed");
    // ... nor does a student moved to another class.
    let mut moved = drawn.clone();
    let row = &mut moved["draws"][0]["placement"][5];
    let student = row["student"].as_str().unwrap().to_string();
    row["class"] = json!(if row["class"] == "1班" {
        "2班"
    } else {
        "1班"
    });
    let v = public
        .request(Method::POST, verify, Some(moved))
        .await
        .expect(StatusCode::OK);
    assert_eq!(v["output"]["draws"][0]["mismatch"], "placement-class");
    let message = v["output"]["draws"][0]["message"].as_str().unwrap();
    assert!(message.contains(&student), "{message}");

    // The public cannot run a staff action, nor an action nobody declared.
    public
        .request(
            Method::POST,
            "/api/v1/public/school/plugins/admissions/actions/place",
            Some(draw_input(12, 2)),
        )
        .await
        .expect(StatusCode::NOT_FOUND);
    public
        .request(
            Method::POST,
            "/api/v1/public/school/plugins/admissions/actions/shuffle",
            Some(json!({})),
        )
        .await
        .expect(StatusCode::NOT_FOUND);
    // Not a package at all: the plugin refuses the input (422, naming it).
    let refused = public
        .request(Method::POST, verify, Some(json!({"format": "zip"})))
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.to_string().contains("format"), "{refused}");
    // A tenant that has not enabled the plugin offers nothing; an unknown portal neither.
    app.create_tenant("other", None).await;
    public
        .request(
            Method::POST,
            "/api/v1/public/other/plugins/admissions/actions/verify",
            Some(drawn.clone()),
        )
        .await
        .expect(StatusCode::NOT_FOUND);
    public
        .request(
            Method::POST,
            "/api/v1/public/nowhere/plugins/admissions/actions/verify",
            Some(drawn.clone()),
        )
        .await
        .expect(StatusCode::NOT_FOUND);
    // Staff routes need a member of the tenant; a bad draw input is a 422.
    public
        .request(Method::POST, place, Some(draw_input(12, 2)))
        .await
        .expect(StatusCode::UNAUTHORIZED);
    app.staffed("rival", None, &["editor"]).await;
    let mut rival = app.login("editor@rival.cn").await;
    rival
        .post(place, draw_input(12, 2))
        .await
        .expect(StatusCode::FORBIDDEN);
    let mut short = draw_input(12, 2);
    short["secret"] = json!("short");
    let bad = editor
        .post(place, short)
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.to_string().contains("16"), "{bad}");
});

both_backends!(a_0_1_and_a_0_2_plugin_side_by_side, |backend| async move {
    let app = TestApp::start(backend).await;
    let admin = app.admin().await;
    let env = install(&admin, environment_wasm())
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(env["manifest"]["contract"], "gongkai:plugin@0.1.0");
    assert_eq!(env["manifest"]["actions"], json!([]));
    let fixture = install(&admin, component("fixtures/actions.wasm"))
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(fixture["manifest"]["contract"], "gongkai:plugin@0.2.0");
    // The sealed-field declaration reaches the manifest.
    assert_eq!(
        fixture["manifest"]["kinds"][0]["sealed"],
        json!([{"field": "price", "until_field": "opening_time"}])
    );
    let t = app.staffed("side", None, &["tenant_admin"]).await;
    let mut boss = app.login("tenant_admin@side.cn").await;
    for (id, version) in [("environment", "1.0.0"), ("fixture-actions", "0.2.0")] {
        boss.put(
            &format!("/api/v1/tenants/side/plugins/{id}"),
            Some(json!({"version": version, "enabled": true})),
        )
        .await
        .expect(StatusCode::OK);
    }
    // The 0.1 plugin validates as before ...
    let water = boss
        .post(
            "/api/v1/tenants/side/plugins/environment/validate",
            json!({"kind": "water-quality-result", "fields": {
                "site": "s", "water_body": "river", "date": "2026-03-02", "do": 8, "cod": 18}}),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(water["derived"]["class"], "III");
    // ... and has no actions.
    boss.post(
        "/api/v1/tenants/side/plugins/environment/actions/echo",
        json!({}),
    )
    .await
    .expect(StatusCode::NOT_FOUND);
    // The 0.2 plugin validates and answers its actions, with the tenant in its context.
    boss.post(
        "/api/v1/tenants/side/plugins/fixture-actions/validate",
        json!({"kind": "bid", "fields": {"supplier": "甲公司", "price": "10.00"}}),
    )
    .await
    .expect(StatusCode::OK);
    let echo = app
        .anonymous()
        .request(
            Method::POST,
            "/api/v1/public/side/plugins/fixture-actions/actions/echo",
            Some(json!({"x": [1, 2]})),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        echo["output"],
        json!({"echo": {"x": [1, 2]}, "tenant": t.id})
    );
    let staff = boss
        .post(
            "/api/v1/tenants/side/plugins/fixture-actions/actions/staff",
            json!(null),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(staff["output"], json!({"staff": true}));
    // A trapping action is the plugin's fault: 502 naming plugin, version and call.
    let failed = boss
        .post(
            "/api/v1/tenants/side/plugins/fixture-actions/actions/trap",
            json!({}),
        )
        .await
        .expect(StatusCode::BAD_GATEWAY);
    let detail = failed["detail"].as_str().unwrap();
    assert!(
        detail.starts_with("plugin fixture-actions 0.2.0: action trapped"),
        "{detail}"
    );
});

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn public_actions_are_rate_limited_per_address() {
    let app = TestApp::start_with(gongkai::kernel::db::Backend::Sqlite, |c| {
        c.plugin_public_actions_per_address_per_minute = 2;
    })
    .await;
    let admin = app.admin().await;
    install(&admin, component("fixtures/actions.wasm"))
        .await
        .expect(StatusCode::CREATED);
    app.staffed("busy", None, &["tenant_admin"]).await;
    let mut boss = app.login("tenant_admin@busy.cn").await;
    boss.put(
        "/api/v1/tenants/busy/plugins/fixture-actions",
        Some(json!({"version": "0.2.0", "enabled": true})),
    )
    .await
    .expect(StatusCode::OK);
    let path = "/api/v1/public/busy/plugins/fixture-actions/actions/echo";
    let public = app.anonymous();
    for _ in 0..2 {
        public
            .request(Method::POST, path, Some(json!(1)))
            .await
            .expect(StatusCode::OK);
    }
    let refused = public.request(Method::POST, path, Some(json!(1))).await;
    assert_eq!(
        refused.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        refused.body
    );
}

#[test]
fn every_0_1_plugin_loads_and_runs_unchanged_beside_0_2() {
    let dir = temp_dir("contracts");
    let host = host_with(Limits::default(), &dir);
    for (file, contract, kind, fields) in [
        (
            "environment.wasm",
            Contract::V0_1,
            "water-quality-result",
            r#"{"site": "s", "water_body": "river", "date": "2026-03-02", "do": 8}"#,
        ),
        ("procurement.wasm", Contract::V0_2, "intention", "{}"),
        ("three-expenses.wasm", Contract::V0_1, "budget", "{}"),
        ("fixtures/faulty.wasm", Contract::V0_1, "ok", "{}"),
        ("admissions.wasm", Contract::V0_2, "class-placement", "{}"),
        ("fixtures/actions.wasm", Contract::V0_2, "bid", "{}"),
    ] {
        let plugin = load(&host, &component(file));
        assert_eq!(plugin.contract(), contract, "{file}");
        // Every call of the 0.1 contract still answers (problems are data, not errors).
        host.evaluate(&plugin, calendar(), kind, fields, &ctx("t"))
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        // A 0.1 plugin has no actions: asked for one, the host answers for it.
        if contract == Contract::V0_1 {
            let err = host.action(&plugin, "verify", "{}", &ctx("t")).unwrap_err();
            assert_eq!(err.reason, Reason::UnknownAction("verify".into()), "{file}");
        }
    }
}

#[test]
fn actions_that_loop_trap_or_overrun_fail_cleanly_and_the_next_call_works() {
    let dir = temp_dir("action-faults");
    // A deadline far beyond the fuel's reach, so that each fault ends by its own budget
    // (fuel, memory, output) on a busy machine too; the deadline has its own tests.
    let limits = Limits {
        deadline: Duration::from_secs(10),
        ..Limits::default()
    };
    let host = host_with(limits, &dir);
    let plugin = load(&host, &component("fixtures/actions.wasm"));
    let run = |name: &str| host.action(&plugin, name, "{}", &ctx("t"));
    assert_eq!(run("echo").unwrap(), r#"{"echo":{},"tenant":"t"}"#);

    let err = run("loop").unwrap_err();
    assert!(matches!(err.reason, Reason::OutOfFuel(_)), "{err}");
    assert_eq!(
        (err.plugin.as_str(), err.call),
        ("fixture-actions", "action")
    );
    assert!(matches!(
        run("trap").unwrap_err().reason,
        Reason::Trapped(_)
    ));
    assert!(matches!(
        run("oom").unwrap_err().reason,
        Reason::MemoryExhausted(_)
    ));
    let huge = run("huge").unwrap_err();
    assert!(
        matches!(
            huge.reason,
            Reason::OutputTooLarge { .. } | Reason::MemoryExhausted(_) | Reason::OutOfFuel(_)
        ),
        "{huge}"
    );
    assert_eq!(
        run("nothing").unwrap_err().reason,
        Reason::UnknownAction("nothing".into())
    );
    // Input that is not JSON is refused by the SDK's glue, before the plugin sees it.
    let err = host
        .action(&plugin, "echo", "{not json", &ctx("t"))
        .unwrap_err();
    assert!(matches!(err.reason, Reason::BadInput(_)), "{err}");
    // Input larger than the cap never reaches the plugin.
    let big = "x".repeat(Limits::default().max_io_bytes + 1);
    let err = host.action(&plugin, "echo", &big, &ctx("t")).unwrap_err();
    assert!(matches!(err.reason, Reason::InputTooLarge { .. }), "{err}");
    // After all that, the next call is clean.
    assert_eq!(run("echo").unwrap(), r#"{"echo":{},"tenant":"t"}"#);
}

/// A streamed export's parts through the host: the carry handed from part to part, a
/// carry past the cap refused, a trap in a later part failing that part only, and a 0.1
/// plugin (which declares no streamed format) never making parts.
#[test]
fn streamed_export_parts_carry_their_state_and_fail_cleanly() {
    use gongkai::plugins::host::{ExportItem, ExportPart};
    let dir = temp_dir("export-parts");
    let host = host_with(Limits::default(), &dir);
    let plugin = load(&host, &component("fixtures/actions.wasm"));
    let items = |n: usize| -> Vec<ExportItem> {
        (0..n)
            .map(|i| ExportItem {
                id: format!("i{i}"),
                kind: "bid".into(),
                fields: "{}".into(),
                published_at: None,
            })
            .collect()
    };
    let part = |first: bool, last: bool, carry: &str| ExportPart {
        first,
        last,
        carry: carry.into(),
    };
    let one = host
        .export_part(&plugin, "t", "count", &items(3), &part(true, false, ""))
        .unwrap();
    assert_eq!(
        (one.output.bytes.as_slice(), one.carry.as_str()),
        (&b"[3"[..], "3")
    );
    let two = host
        .export_part(
            &plugin,
            "t",
            "count",
            &items(2),
            &part(false, true, &one.carry),
        )
        .unwrap();
    assert_eq!(two.output.bytes, b"5]");

    let err = host
        .export_part(&plugin, "t", "hoard", &items(1), &part(true, false, ""))
        .unwrap_err();
    assert!(
        matches!(err.reason, Reason::OutputTooLarge { size, cap } if size > cap),
        "{err}"
    );
    assert_eq!(err.call, "export-part");
    host.export_part(&plugin, "t", "trap-late", &items(1), &part(true, false, ""))
        .unwrap();
    let err = host
        .export_part(
            &plugin,
            "t",
            "trap-late",
            &items(1),
            &part(false, true, "1"),
        )
        .unwrap_err();
    assert!(matches!(err.reason, Reason::Trapped(_)), "{err}");
    // The next part after a trap is clean.
    host.export_part(&plugin, "t", "count", &items(1), &part(true, true, ""))
        .unwrap();
    // A format the plugin does not make in parts, asked for a part that is not whole.
    let err = host
        .export_part(&plugin, "t", "nope", &items(1), &part(true, false, ""))
        .unwrap_err();
    assert!(err.reason.is_bad_input(), "{err}");
    let faulty = load(&host, &component("fixtures/faulty.wasm"));
    let err = host
        .export_part(&faulty, "t", "huge", &items(1), &part(true, true, ""))
        .unwrap_err();
    assert_eq!(err.reason, Reason::UnknownFormat("huge".into()));
}

/// The benchmark's draw (2,000 students, 40 classes, two constraints) fits in one call's
/// fuel, deadline and memory; its time is printed (the release numbers: `cargo bench`).
#[test]
fn a_draw_of_2000_students_fits_the_limits_of_one_call() {
    let dir = temp_dir("lottery-size");
    let host = host_with(Limits::default(), &dir);
    let plugin = load(&host, &component("admissions.wasm"));
    let input = draw_input(2000, 40).to_string();
    // The fuel it needs (bisection, without a deadline): printed, and within the budget.
    let budget = Limits::default().action_fuel;
    let (mut low, mut high) = (0u64, 2 * budget);
    while high - low > high / 100 {
        let fuel = (low + high) / 2;
        let limits = Limits {
            action_fuel: fuel,
            deadline: Duration::from_secs(30),
            ..Limits::default()
        };
        let probe = host_with(limits, &dir);
        let p = load(&probe, &component("admissions.wasm"));
        match probe.action(&p, "place", &input, &ctx("t")) {
            Ok(_) => high = fuel,
            Err(_) => low = fuel,
        }
    }
    eprintln!("place 2,000 into 40 needs {high} fuel (budget {budget})");
    assert!(high < budget, "{high}");
    let first = host.action(&plugin, "place", &input, &ctx("t")).unwrap();
    let started = Instant::now();
    for _ in 0..10 {
        assert_eq!(
            host.action(&plugin, "place", &input, &ctx("t")).unwrap(),
            first
        );
    }
    eprintln!(
        "place 2,000 into 40 through the host: {:?}",
        started.elapsed() / 10
    );
    let package: serde_json::Value = serde_json::from_str(&first).unwrap();
    let verdict = host.action(&plugin, "verify", &first, &ctx("t")).unwrap();
    assert_eq!(verdict, r#"{"draws":[{"ok":true}],"ok":true}"#);
    assert_eq!(
        package["draws"][0]["placement"].as_array().unwrap().len(),
        2000
    );
}

const CATEGORIES: [&str; 3] = ["A", "B", "C"];
