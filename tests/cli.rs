//! The built `gongkai` binary, driven as an operator would: migrate, tenants, users with
//! the password on standard input, tokens, the demo, configuration errors, serving,
//! `audit verify` catching a hand-altered or deleted entry on both backends, commands
//! run before `migrate`, and a failed migration's message.
//!
//! The binary is the one built next to this test (`cargo build --bin gongkai` first; the
//! README's test command does), or `GONGKAI_BIN`.

#[path = "../platform/tests/common/mod.rs"]
mod common;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use common::TestDb;
use gongkai::kernel::db::Backend;
use sqlx::Connection;

fn binary() -> PathBuf {
    if let Ok(path) = std::env::var("GONGKAI_BIN") {
        return PathBuf::from(path);
    }
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().unwrap().parent().unwrap();
    let bin = dir.join("gongkai");
    assert!(
        bin.exists(),
        "build the binary first: cargo build --bin gongkai ({} is missing)",
        bin.display()
    );
    bin
}

struct Operator<'a> {
    db: &'a TestDb,
}

impl Operator<'_> {
    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(binary());
        cmd.args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("GONGKAI_DATA_DIR", self.db.dir())
            .env("GONGKAI_DATABASE_URL", &self.db.url)
            .env("GONGKAI_MIGRATION_DATABASE_URL", &self.db.owner_url)
            .env("GONGKAI_LOG", "warn");
        cmd
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    fn run_with_input(&self, args: &[&str], input: &str) -> Output {
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?}: {}{}",
            text(&out.stdout),
            text(&out.stderr)
        );
        text(&out.stdout)
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

async fn operator_session(backend: Backend) {
    let db = TestDb::new(backend).await;
    let op = Operator { db: &db };
    assert!(op.ok(&["migrate"]).contains("migrations applied"));
    if backend == Backend::Postgres {
        db.migrate().await; // grants the serving role its group
    }
    op.ok(&[
        "tenant",
        "create",
        "--slug",
        "city",
        "--name",
        "某市人民政府",
        "--kind",
        "government",
    ]);
    op.ok(&[
        "tenant",
        "create",
        "--slug",
        "edu",
        "--name",
        "某市教育局",
        "--parent",
        "city",
    ]);
    let listed = op.ok(&["tenant", "list"]);
    assert!(
        listed.contains("city\t某市人民政府") && listed.contains("edu\t某市教育局"),
        "{listed}"
    );

    // A weak password is refused with the reasons; a good one read from stdin works.
    let weak = op.run_with_input(
        &[
            "user",
            "create",
            "--email",
            "boss@city.cn",
            "--tenant",
            "city",
            "--role",
            "tenant_admin",
        ],
        "password\n",
    );
    assert!(!weak.status.success());
    assert!(
        text(&weak.stderr).contains("password"),
        "{}",
        text(&weak.stderr)
    );
    let good = op.run_with_input(
        &[
            "user",
            "create",
            "--email",
            "boss@city.cn",
            "--tenant",
            "city",
            "--role",
            "tenant_admin",
        ],
        "a long enough passphrase\n",
    );
    assert!(good.status.success(), "{}", text(&good.stderr));
    op.ok(&[
        "role",
        "grant",
        "--email",
        "boss@city.cn",
        "--tenant",
        "edu",
        "--role",
        "auditor",
    ]);
    op.ok(&[
        "role",
        "revoke",
        "--email",
        "boss@city.cn",
        "--tenant",
        "edu",
        "--role",
        "auditor",
    ]);
    let bad_role = op.run(&[
        "role",
        "grant",
        "--email",
        "boss@city.cn",
        "--tenant",
        "edu",
        "--role",
        "wizard",
    ]);
    assert!(!bad_role.status.success());
    assert!(
        text(&bad_role.stderr).contains("unknown role"),
        "{}",
        text(&bad_role.stderr)
    );
    let token = op.ok(&[
        "token",
        "create",
        "--email",
        "boss@city.cn",
        "--name",
        "integration",
    ]);
    assert!(token.trim().starts_with("gk_"), "{token}");

    let verified = op.ok(&["audit", "verify"]);
    assert!(verified.contains("city: intact"), "{verified}");

    // Alter one entry by hand, as the owner, past the triggers.
    let city_id = tenant_id(&db, "city").await;
    tamper(
        &db,
        &format!(
            "UPDATE audit_log SET actor = 'someone else' WHERE tenant_id = '{city_id}' AND seq = 2"
        ),
    )
    .await;
    let broken = op.run(&["audit", "verify"]);
    assert!(!broken.status.success());
    let report = text(&broken.stdout);
    assert!(
        report.contains("city: BROKEN at entry #2") && report.contains("altered"),
        "{report}"
    );
    let only_edu = op.run(&["audit", "verify", "--tenant", "edu"]);
    assert!(only_edu.status.success(), "{}", text(&only_edu.stdout));

    // Deleting the tail is caught by the head row.
    let edu_id = tenant_id(&db, "edu").await;
    tamper(&db, &format!("DELETE FROM audit_log WHERE tenant_id = '{edu_id}' AND seq = (SELECT MAX(seq) FROM audit_log WHERE tenant_id = '{edu_id}')")).await;
    let truncated = op.run(&["audit", "verify", "--tenant", "edu"]);
    assert!(!truncated.status.success());
    assert!(
        text(&truncated.stdout).contains("deleted"),
        "{}",
        text(&truncated.stdout)
    );
}

async fn tenant_id(db: &TestDb, slug: &str) -> String {
    let gk = gongkai::kernel::db::Db::connect(&db.owner_url, 1)
        .await
        .unwrap();
    gongkai::tenancy::store::by_slug(&gk, slug)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// Runs `sql` as the table owner with the append-only triggers out of the way.
async fn tamper(db: &TestDb, sql: &str) {
    match db.backend {
        Backend::Sqlite => {
            let gk = gongkai::kernel::db::Db::connect(&db.owner_url, 1)
                .await
                .unwrap();
            let pool = gk.pool();
            sqlx::query("DROP TRIGGER IF EXISTS audit_log_no_update")
                .execute(pool)
                .await
                .unwrap();
            sqlx::query("DROP TRIGGER IF EXISTS audit_log_no_delete")
                .execute(pool)
                .await
                .unwrap();
            sqlx::query(sql).execute(pool).await.unwrap();
        }
        Backend::Postgres => {
            let mut owner = sqlx::PgConnection::connect(&db.owner_url).await.unwrap();
            sqlx::query("ALTER TABLE audit_log DISABLE TRIGGER USER")
                .execute(&mut owner)
                .await
                .unwrap();
            sqlx::query(sql).execute(&mut owner).await.unwrap();
            sqlx::query("ALTER TABLE audit_log ENABLE TRIGGER USER")
                .execute(&mut owner)
                .await
                .unwrap();
        }
    }
}

#[tokio::test]
async fn operator_commands_and_audit_verify_on_sqlite() {
    operator_session(Backend::Sqlite).await;
}

#[tokio::test]
async fn operator_commands_and_audit_verify_on_postgres() {
    operator_session(Backend::Postgres).await;
}

/// How often `needle` occurs in `haystack`.
fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

#[tokio::test]
async fn a_command_before_migrate_says_to_run_migrate_on_postgres() {
    let db = TestDb::new(Backend::Postgres).await;
    let op = Operator { db: &db };
    for command in [&["plugin", "list"][..], &["tenant", "list"][..]] {
        let out = op.run(command);
        let stderr = text(&out.stderr);
        assert!(!out.status.success(), "{command:?}: {stderr}");
        assert_eq!(count(&stderr, "not set up"), 1, "{command:?}: {stderr}");
        assert_eq!(
            count(&stderr, "gongkai migrate"),
            1,
            "{command:?}: {stderr}"
        );
        assert!(
            !stderr.to_lowercase().contains("casbin") && !stderr.contains("role_permissions"),
            "{command:?}: {stderr}"
        );
    }
    // After the migration the same command works.
    assert!(op.ok(&["migrate"]).contains("migrations applied"));
    db.migrate().await;
    op.ok(&["plugin", "list"]);
}

#[tokio::test]
async fn a_command_on_a_fresh_embedded_database_needs_no_migrate() {
    let db = TestDb::new(Backend::Sqlite).await;
    let op = Operator { db: &db };
    assert_eq!(op.ok(&["plugin", "list"]), "");
    assert!(op.ok(&["tenant", "list"]).contains("platform"));
}

/// A migration that fails (a table its first migration creates is already there) says
/// why once, not once per layer that wraps the error.
async fn failed_migration(backend: Backend) {
    let db = TestDb::new(backend).await;
    let owner = gongkai::kernel::db::Db::connect(&db.owner_url, 1)
        .await
        .unwrap();
    sqlx::query("CREATE TABLE tenants (id TEXT PRIMARY KEY)")
        .execute(owner.pool())
        .await
        .unwrap();
    owner.close().await;
    let op = Operator { db: &db };
    let out = op.run(&["migrate"]);
    let stderr = text(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert_eq!(count(&stderr, "already exists"), 1, "{stderr}");
    assert_eq!(count(&stderr, "while executing migration"), 1, "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
}

#[tokio::test]
async fn a_failed_migration_prints_its_cause_once_on_sqlite() {
    failed_migration(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_failed_migration_prints_its_cause_once_on_postgres() {
    failed_migration(Backend::Postgres).await;
}

#[tokio::test]
async fn wrong_settings_fail_at_start_naming_them() {
    let db = TestDb::new(Backend::Sqlite).await;
    let op = Operator { db: &db };
    let out = op
        .command(&["tenant", "list"])
        .env("GONGKAI_DATABASE_URL", "mysql://nowhere/x")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("database_url"),
        "{}",
        text(&out.stderr)
    );
    let out = op
        .command(&["tenant", "list"])
        .env("GONGKAI_SESION_IDLE_SECS", "5")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("sesion_idle_secs"),
        "{}",
        text(&out.stderr)
    );
    let out = op
        .command(&["tenant", "list"])
        .env("GONGKAI_LISTEN", "not-an-address")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).to_lowercase().contains("listen"),
        "{}",
        text(&out.stderr)
    );
}

#[tokio::test]
async fn the_demo_is_idempotent_and_serves() {
    let db = TestDb::new(Backend::Sqlite).await;
    let op = Operator { db: &db };
    let first = op.ok(&["demo", "--no-serve"]);
    assert!(
        first.contains("Gongkai-Demo-2026") && first.contains("admin@demo.gongkai.cn"),
        "{first}"
    );
    let tenants_once = op.ok(&["tenant", "list"]);
    op.ok(&["demo", "--no-serve"]);
    assert_eq!(tenants_once, op.ok(&["tenant", "list"]));
    assert!(op.ok(&["audit", "verify"]).contains("demo-city: intact"));

    // Serve on a free port; the secrets were generated once into the data dir.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    // Outside the demo, the demo's published password stops `serve`.
    let refused = op
        .command(&["serve"])
        .env("GONGKAI_LISTEN", format!("127.0.0.1:{port}"))
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(
        text(&refused.stderr).contains("demo's published password"),
        "{}",
        text(&refused.stderr)
    );
    let mut server = op
        .command(&["serve"])
        .env("GONGKAI_DEMO", "true")
        .env("GONGKAI_LISTEN", format!("127.0.0.1:{port}"))
        .env("GONGKAI_COOKIE_SECURE", "false")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let client = reqwest::Client::new();
    let mut healthy = false;
    for _ in 0..100 {
        if let Ok(res) = client
            .get(format!("http://127.0.0.1:{port}/healthz"))
            .send()
            .await
        {
            healthy = res.status().is_success();
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let login = client
        .post(format!("http://127.0.0.1:{port}/api/v1/auth/login"))
        .json(
            &serde_json::json!({"email": "admin@demo.gongkai.cn", "password": "Gongkai-Demo-2026"}),
        )
        .send()
        .await;
    server.kill().unwrap();
    let _ = server.wait();
    assert!(healthy, "the server answered /healthz");
    assert_eq!(login.unwrap().status(), reqwest::StatusCode::OK);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(db.dir().join("secrets/cookie.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

/// The components built by `scripts/build-plugins` (or `GKTEST_PLUGINS_DIR`).
fn plugins_dir() -> PathBuf {
    std::env::var("GKTEST_PLUGINS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/plugins"))
}

/// `gongkai lottery verify FILE --plugin WASM` gives the server's verdict on the same
/// packages (genuine, tampered seed, tampered placement), offline: no database (the
/// configured one does not even exist), the plugin's own code.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lottery_verify_offline_agrees_with_the_server() {
    use common::TestApp;
    use serde_json::json;
    let wasm = plugins_dir().join("admissions.wasm");
    let app = TestApp::start(Backend::Sqlite).await;
    let admin = app.admin().await;
    let (installed, _) = admin
        .raw(
            reqwest::Method::POST,
            "/api/v1/plugins",
            Some(std::fs::read(&wasm).unwrap()),
            "application/wasm",
        )
        .await;
    let version = installed.expect(reqwest::StatusCode::CREATED)["version"].clone();
    app.staffed("school", None, &["tenant_admin"]).await;
    let mut boss = app.login("tenant_admin@school.cn").await;
    boss.put(
        "/api/v1/tenants/school/plugins/admissions",
        Some(json!({"version": version, "enabled": true})),
    )
    .await
    .expect(reqwest::StatusCode::OK);
    let students: Vec<_> = (0..30)
        .map(|i| {
            let sex = if i % 2 == 0 { "F" } else { "M" };
            json!({"id": format!("S{i:02}"), "attrs": [sex]})
        })
        .collect();
    let drawn = boss
        .post(
            "/api/v1/tenants/school/plugins/admissions/actions/place",
            json!({"constraints": ["sex"], "students": students,
                   "classes": [{"name": "1班", "size": 15}, {"name": "2班", "size": 15}],
                   "public_source": "双色球第2026150期", "public_value": "01 02 03",
                   "secret": "sixteen bytes or more"}),
        )
        .await
        .expect(reqwest::StatusCode::OK)["output"]
        .clone();
    let mut seed = drawn.clone();
    seed["draws"][0]["seed"] = json!("cd".repeat(32));
    let mut moved = drawn.clone();
    let row = &mut moved["draws"][0]["placement"][0];
    row["class"] = json!(if row["class"] == "1班" {
        "2班"
    } else {
        "1班"
    });

    let offline_dir =
        std::env::temp_dir().join(format!("gongkai-lottery-{}", common::uuid_simple()));
    std::fs::create_dir_all(&offline_dir).unwrap();
    for (name, package, mismatch) in [
        ("genuine", drawn, None),
        ("seed", seed, Some("seed")),
        ("placement", moved, Some("placement-class")),
    ] {
        let server = app
            .anonymous()
            .request(
                reqwest::Method::POST,
                "/api/v1/public/school/plugins/admissions/actions/verify",
                Some(package.clone()),
            )
            .await
            .expect(reqwest::StatusCode::OK)["output"]
            .clone();
        let file = offline_dir.join(format!("{name}.json"));
        std::fs::write(&file, package.to_string()).unwrap();
        let out = Command::new(binary())
            .args(["lottery", "verify"])
            .arg(&file)
            .arg("--plugin")
            .arg(&wasm)
            .env_clear()
            .env("GONGKAI_DATA_DIR", &offline_dir)
            .env("GONGKAI_DATABASE_URL", "postgres://nobody@127.0.0.1:1/none")
            .env("GONGKAI_LOG", "warn")
            .output()
            .unwrap();
        let stdout = text(&out.stdout);
        assert_eq!(server["ok"], mismatch.is_none(), "{name}: {server}");
        match mismatch {
            None => {
                assert!(
                    out.status.success(),
                    "{name}: {stdout}{}",
                    text(&out.stderr)
                );
                assert!(stdout.contains("draw 1: ok"), "{stdout}");
            }
            Some(code) => {
                assert_eq!(
                    out.status.code(),
                    Some(3),
                    "{name}: {stdout}{}",
                    text(&out.stderr)
                );
                assert_eq!(server["draws"][0]["mismatch"], code);
                assert!(stdout.contains(&format!("MISMATCH ({code})")), "{stdout}");
                let message = server["draws"][0]["message"].as_str().unwrap();
                assert!(
                    stdout.contains(message),
                    "offline and server name the same: {stdout}"
                );
            }
        }
    }
    // A file that is not a package: refused, non-zero.
    let junk = offline_dir.join("junk.json");
    std::fs::write(&junk, "{\"format\": \"zip\"}").unwrap();
    let out = Command::new(binary())
        .args(["lottery", "verify"])
        .arg(&junk)
        .arg("--plugin")
        .arg(&wasm)
        .env_clear()
        .env("GONGKAI_DATA_DIR", &offline_dir)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("format"),
        "{}",
        text(&out.stderr)
    );
    let help = Command::new(binary()).arg("--help").output().unwrap();
    assert!(
        text(&help.stdout).contains("lottery"),
        "{}",
        text(&help.stdout)
    );
}
