//! The test harness: a real server on a loopback port over a fresh database of either
//! backend, and an HTTP client that signs in like a browser would (cookie + CSRF
//! header) or presents a token.
//!
//! PostgreSQL: `GKTEST_PG_URL` (default postgres://postgres@127.0.0.1:5432/postgres) must
//! reach a superuser. Each test gets its own database; migrations run as that superuser
//! (the owner) and the server connects as `gongkai_app`, a login role that is not
//! superuser, has no BYPASSRLS and owns nothing.

#![allow(dead_code)]

pub mod browser;
pub mod pages;

use std::path::PathBuf;

use gongkai::app::AppState;
use gongkai::kernel::config::Config;
use gongkai::kernel::db::Backend;
use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sqlx::Connection;

pub const PASSWORD: &str = "Test-password-2026";
pub const APP_ROLE: &str = "gongkai_app";

pub fn pg_admin_url() -> String {
    std::env::var("GKTEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

fn with_database(url: &str, database: &str) -> String {
    let (base, _) = url.rsplit_once('/').expect("a database URL has a path");
    format!("{base}/{database}")
}

pub fn with_user(url: &str, user: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("a URL");
    let host = rest.split_once('@').map(|(_, h)| h).unwrap_or(rest);
    format!("{scheme}://{user}@{host}")
}

/// A fresh database: (server URL, owner URL). Removed when the guard drops.
pub struct TestDb {
    pub backend: Backend,
    pub url: String,
    pub owner_url: String,
    name: Option<String>,
    dir: PathBuf,
}

impl TestDb {
    pub async fn new(backend: Backend) -> TestDb {
        let dir = std::env::temp_dir().join(format!("gongkai-test-{}", uuid_simple()));
        std::fs::create_dir_all(&dir).unwrap();
        match backend {
            Backend::Sqlite => {
                let url = format!("sqlite://{}/gongkai.db", dir.display());
                TestDb {
                    backend,
                    owner_url: url.clone(),
                    url,
                    name: None,
                    dir,
                }
            }
            Backend::Postgres => {
                let admin = pg_admin_url();
                let name = format!("gk_test_{}", uuid_simple());
                let mut conn = sqlx::PgConnection::connect(&admin)
                    .await
                    .expect("PostgreSQL answers at GKTEST_PG_URL");
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut conn)
                    .await
                    .unwrap();
                ensure_app_role(&mut conn).await;
                let owner_url = with_database(&admin, &name);
                TestDb {
                    backend,
                    url: with_user(&owner_url, APP_ROLE),
                    owner_url,
                    name: Some(name),
                    dir,
                }
            }
        }
    }

    /// Migrates as the owner and lets the serving role use the tables.
    pub async fn migrate(&self) {
        let config = self.config();
        gongkai::app::migrate(&config)
            .await
            .expect("migrations run");
        if self.backend == Backend::Postgres {
            let mut conn = sqlx::PgConnection::connect(&self.owner_url).await.unwrap();
            // Role membership is cluster-wide; concurrent tests may grant it at once.
            for _ in 0..5 {
                if sqlx::query(&format!("GRANT gongkai_runtime TO {APP_ROLE}"))
                    .execute(&mut conn)
                    .await
                    .is_ok()
                {
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
        }
    }

    pub fn config(&self) -> Config {
        Config {
            data_dir: self.dir.clone(),
            database_url: Some(self.url.clone()),
            migration_database_url: Some(self.owner_url.clone()),
            database_max_connections: 8,
            listen: "127.0.0.1:0".parse().unwrap(),
            cookie_secure: false,
            // The server's own program reads attachment text in a bounded child (set
            // for the platform's tests and benches; black-box tests run the program).
            attachments_extractor: option_env!("CARGO_BIN_EXE_gongkai").map(Into::into),
            ..Config::default()
        }
    }

    pub fn dir(&self) -> &PathBuf {
        &self.dir
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
        if let Some(name) = self.name.take() {
            // Best effort, in a thread of its own: Drop cannot await.
            let admin = pg_admin_url();
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                rt.block_on(async move {
                    if let Ok(mut conn) = sqlx::PgConnection::connect(&admin).await {
                        let _ =
                            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                                .execute(&mut conn)
                                .await;
                    }
                });
            })
            .join();
        }
    }
}

async fn ensure_app_role(conn: &mut sqlx::PgConnection) {
    let sql = format!(
        "DO $$ BEGIN CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE; \
         EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
    );
    for _ in 0..5 {
        if sqlx::query(&sql).execute(&mut *conn).await.is_ok() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("cannot create the role {APP_ROLE}");
}

pub fn uuid_simple() -> String {
    gongkai::kernel::ids::new_id().replace('-', "")
}

/// A running server over a fresh database, with a platform admin.
pub struct TestApp {
    pub db: TestDb,
    pub state: AppState,
    pub base: String,
    pub http: reqwest::Client,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

pub const ADMIN: &str = "admin@test.gongkai.cn";

impl TestApp {
    pub async fn start(backend: Backend) -> TestApp {
        Self::start_with(backend, |_| {}).await
    }

    pub async fn start_with(backend: Backend, adjust: impl FnOnce(&mut Config)) -> TestApp {
        let db = TestDb::new(backend).await;
        db.migrate().await;
        let mut config = db.config();
        adjust(&mut config);
        let state = AppState::build(config).await.expect("the app starts");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let serving = state.clone();
        tokio::spawn(async move {
            gongkai::http::serve(listener, serving, async {
                let _ = rx.await;
            })
            .await
            .unwrap();
        });
        let app = TestApp {
            db,
            state,
            base,
            http: reqwest::Client::new(),
            shutdown: Some(tx),
        };
        let platform = gongkai::tenancy::store::by_slug(&app.state.db, "platform")
            .await
            .unwrap()
            .unwrap();
        app.add_member(&platform, ADMIN, "platform_admin").await;
        app
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Adds (or extends) a member directly through the service, as the CLI does.
    pub async fn add_member(
        &self,
        tenant: &gongkai::tenancy::Tenant,
        email: &str,
        role: &str,
    ) -> gongkai::users::User {
        let input = gongkai::users::service::NewMember {
            email: email.to_string(),
            display_name: Some(email.split('@').next().unwrap().to_string()),
            password: Some(PASSWORD.to_string()),
            roles: vec![role.to_string()],
        };
        gongkai::users::service::add_member(
            self.state.accounts(),
            &gongkai::kernel::actor::Actor::cli(),
            tenant,
            input,
        )
        .await
        .expect("member added")
        .user
    }

    /// A tenant with one member per role named, signing in as `{role}@{slug}.cn`.
    pub async fn staffed(
        &self,
        slug: &str,
        parent: Option<&str>,
        roles: &[&str],
    ) -> gongkai::tenancy::Tenant {
        let t = self.create_tenant(slug, parent).await;
        for role in roles {
            self.add_member(&t, &format!("{role}@{slug}.cn"), role)
                .await;
        }
        t
    }

    pub async fn create_tenant(
        &self,
        slug: &str,
        parent: Option<&str>,
    ) -> gongkai::tenancy::Tenant {
        let input = gongkai::tenancy::service::NewTenant {
            slug: slug.to_string(),
            name_zh: format!("{slug}测试单位"),
            name_en: String::new(),
            kind: gongkai::tenancy::TenantKind::Department,
            parent: parent.map(str::to_string),
        };
        gongkai::tenancy::service::create(
            &self.state.db,
            &self.state.tenants,
            &gongkai::kernel::actor::Actor::cli(),
            input,
        )
        .await
        .expect("tenant created")
    }

    pub fn anonymous(&self) -> Client {
        Client {
            base: self.base.clone(),
            http: self.http.clone(),
            cookie: None,
            csrf: None,
            token: None,
        }
    }

    /// Signs in with the test password; panics unless it works.
    pub async fn login(&self, email: &str) -> Client {
        let mut client = self.anonymous();
        let res = client.login(email, PASSWORD).await;
        assert_eq!(res.status, StatusCode::OK, "login of {email}: {}", res.body);
        client
    }

    pub async fn admin(&self) -> Client {
        self.login(ADMIN).await
    }

    /// A connection as the database's owner that sees every tenant's rows: on PostgreSQL
    /// the owner is held by FORCE ROW LEVEL SECURITY too, so it is scoped to them all.
    pub async fn owner_connection(&self) -> sqlx::AnyConnection {
        use sqlx::Row;
        let mut conn = sqlx::AnyConnection::connect(&self.db.owner_url)
            .await
            .unwrap();
        if self.db.backend == Backend::Postgres {
            let ids: Vec<String> = sqlx::query("SELECT id FROM tenants")
                .fetch_all(&mut conn)
                .await
                .unwrap()
                .iter()
                .map(|r| r.get::<String, _>("id"))
                .collect();
            sqlx::query("SELECT set_config('app.tenant_ids', $1, false)")
                .bind(ids.join(","))
                .execute(&mut conn)
                .await
                .unwrap();
        }
        conn
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Reply {
    pub fn expect(self, status: StatusCode) -> Value {
        assert_eq!(self.status, status, "body: {}", self.body);
        self.body
    }
}

/// An HTTP client that keeps the session cookie and sends the CSRF header, or a token.
#[derive(Clone)]
pub struct Client {
    pub base: String,
    pub http: reqwest::Client,
    pub cookie: Option<String>,
    pub csrf: Option<String>,
    pub token: Option<String>,
}

impl Client {
    pub fn with_token(&self, token: &str) -> Client {
        Client {
            cookie: None,
            csrf: None,
            token: Some(token.to_string()),
            ..self.clone()
        }
    }

    pub async fn login(&mut self, email: &str, password: &str) -> Reply {
        let res = self
            .send(
                Method::POST,
                "/api/v1/auth/login",
                Some(json!({"email": email, "password": password})),
            )
            .await;
        if res.status == StatusCode::OK {
            self.csrf = res.body["csrf_token"].as_str().map(str::to_string);
        }
        res
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.request(Method::GET, path, None).await
    }

    pub async fn post(&mut self, path: &str, body: Value) -> Reply {
        self.send(Method::POST, path, Some(body)).await
    }

    pub async fn patch(&mut self, path: &str, body: Value) -> Reply {
        self.send(Method::PATCH, path, Some(body)).await
    }

    pub async fn put(&mut self, path: &str, body: Option<Value>) -> Reply {
        self.send(Method::PUT, path, body).await
    }

    pub async fn delete(&mut self, path: &str) -> Reply {
        self.send(Method::DELETE, path, None).await
    }

    /// A request that also remembers a new session cookie.
    pub async fn send(&mut self, method: Method, path: &str, body: Option<Value>) -> Reply {
        let (reply, cookie) = self
            .raw(
                method,
                path,
                body.map(|b| b.to_string().into_bytes()),
                "application/json",
            )
            .await;
        if let Some(cookie) = cookie {
            self.cookie = Some(cookie);
        }
        reply
    }

    pub async fn request(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        self.raw(
            method,
            path,
            body.map(|b| b.to_string().into_bytes()),
            "application/json",
        )
        .await
        .0
    }

    /// Sends raw bytes; returns the reply and the session cookie it set, if any.
    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        body: Option<Vec<u8>>,
        content_type: &str,
    ) -> (Reply, Option<String>) {
        let mut req = self.http.request(method, format!("{}{}", self.base, path));
        if let Some(cookie) = &self.cookie {
            req = req.header("cookie", cookie);
        }
        if let Some(csrf) = &self.csrf {
            req = req.header("x-csrf-token", csrf);
        }
        if let Some(token) = &self.token {
            req = req.header("authorization", format!("Bearer {token}"));
        }
        if let Some(body) = body {
            req = req.header("content-type", content_type).body(body);
        }
        let res = req.send().await.expect("the server answers");
        let status = res.status();
        let headers = res.headers().clone();
        let cookie = headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("gongkai=") || v.starts_with("__Host-gongkai="))
            .map(|v| v.split(';').next().unwrap().to_string());
        let text = res.text().await.unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (
            Reply {
                status,
                headers,
                body,
            },
            cookie,
        )
    }
}

/// The `field` of every problem in a 422's `errors`.
pub fn error_fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .filter_map(|e| e["field"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

pub fn header<'a>(reply: &'a Reply, name: &str) -> Option<&'a str> {
    reply
        .headers
        .get(name)
        .and_then(|v: &HeaderValue| v.to_str().ok())
}

/// Runs the test body once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! both_backends {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                ($body)(gongkai::kernel::db::Backend::Sqlite).await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                ($body)(gongkai::kernel::db::Backend::Postgres).await
            }
        }
    };
}
