//! Database access for both backends through sqlx's `Any` driver, so that one set of
//! queries serves SQLite and PostgreSQL (ids and times are text on both; placeholders are
//! `$n`, which SQLite accepts too).
//!
//! Tenant data is reached only through [`TenantTx`]: it binds the tenant id as `$1` of
//! every query it makes and, on PostgreSQL, sets `app.tenant_ids` for the row-level
//! security policies, so a forgotten `WHERE` still returns nothing of another tenant.

use std::str::FromStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use sqlx::any::{AnyArguments, AnyConnectOptions, AnyPoolOptions};
use sqlx::query::Query;
use sqlx::{Any, AnyConnection, AnyPool, ConnectOptions, Transaction};

/// Tables of the platform itself, shared by all tenants. Every other table is tenant
/// data: `tenant_id` first in its primary key and, on PostgreSQL, row-level security
/// (a test walks the catalog and holds every table to this).
pub const PLATFORM_TABLES: &[(&str, &str)] = &[
    ("_sqlx_migrations", "migration bookkeeping"),
    ("tenants", "the tenant tree itself; slugs are unique across the platform"),
    ("users", "accounts are global; one person may work for several agencies"),
    ("role_assignments", "read by the authoriser for every tenant at once; written with an audit entry in the tenant's chain"),
    ("role_permissions", "role templates shared by every tenant"),
    ("role_permission_defaults", "which default grants a release has applied"),
    ("api_tokens", "belong to an account, found by hash before any tenant is known"),
    ("sessions", "belong to an account, found by id before any tenant is known"),
    ("calendar_years", "the State Council's notices, the same for every tenant"),
    ("calendar_days", "the State Council's notices, the same for every tenant"),
    ("plugin_packages", "installed components, shared by every tenant that enables them"),
    ("portal_hosts", "a host name names its tenant before any tenant is known"),
    ("role_withdrawals", "read by the authoriser for every tenant at once; written with an audit entry in the tenant's chain"),
    ("search_terms", "PostgreSQL's full-text index of published public text: under row-level security the GIN index goes unused; queries join it to protected tables"),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> Backend {
        if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            Backend::Postgres
        }
    }
}

#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    /// Tests only: [`Db::remove_tenant_filter_for_tests`].
    unfiltered: Arc<AtomicBool>,
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

fn sqlite_url_with_pragmas(url: &str) -> String {
    // WAL, foreign keys and synchronous=FULL: legal deadlines live in this data.
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}mode=rwc")
}

async fn connect_options(url: &str) -> Result<AnyConnectOptions, sqlx::Error> {
    sqlx::any::install_default_drivers();
    let url = match Backend::of_url(url) {
        Backend::Sqlite => {
            if let Some(path) = url
                .strip_prefix("sqlite://")
                .or_else(|| url.strip_prefix("sqlite:"))
            {
                let path = path.split('?').next().unwrap_or_default();
                if let Some(parent) = std::path::Path::new(path).parent() {
                    if !parent.as_os_str().is_empty() {
                        std::fs::create_dir_all(parent).map_err(sqlx::Error::Io)?;
                    }
                }
            }
            sqlite_url_with_pragmas(url)
        }
        Backend::Postgres => url.to_string(),
    };
    Ok(AnyConnectOptions::from_str(&url)?.disable_statement_logging())
}

impl Db {
    pub async fn connect(url: &str, max_connections: u32) -> Result<Db, sqlx::Error> {
        let backend = Backend::of_url(url);
        let options = connect_options(url).await?;
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(10))
            // No ping before each use: it is a round trip on every request. A connection
            // the server dropped fails its next query once and is then discarded.
            .test_before_acquire(false)
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        for pragma in [
                            "PRAGMA journal_mode = WAL",
                            "PRAGMA synchronous = FULL",
                            "PRAGMA foreign_keys = ON",
                            "PRAGMA busy_timeout = 10000",
                        ] {
                            sqlx::query(pragma).execute(&mut *conn).await?;
                        }
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        Ok(Db {
            pool,
            backend,
            unfiltered: Arc::default(),
        })
    }

    fn migrator(&self) -> &'static sqlx::migrate::Migrator {
        match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        }
    }

    /// Runs the migrations of this backend over `url` (the table owner's connection).
    pub async fn migrate(url: &str) -> Result<(), sqlx::Error> {
        let db = Db::connect(url, 1).await?;
        db.migrator().run(&db.pool).await?;
        db.pool.close().await;
        Ok(())
    }

    /// How many of this build's migrations the database lacks: all of them when it was
    /// never migrated. A role that may not read the bookkeeping table is not judged (0).
    pub async fn pending_migrations(&self) -> Result<usize, sqlx::Error> {
        let all = self.migrator().iter().count();
        let applied: Vec<i64> =
            match sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success")
                .fetch_all(&self.pool)
                .await
            {
                Ok(applied) => applied,
                Err(sqlx::Error::Database(db))
                    if db.code().as_deref() == Some("42P01")
                        || db.message().contains("no such table") =>
                {
                    return Ok(all)
                }
                Err(sqlx::Error::Database(_)) => return Ok(0),
                Err(other) => return Err(other),
            };
        Ok(self
            .migrator()
            .iter()
            .filter(|m| !applied.contains(&m.version))
            .count())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// For the isolation tests only: from now on, every [`TenantTx::query`] of this
    /// database (and its clones) matches rows of every tenant (`tenant_id = $1` becomes
    /// always true), as if the application forgot its filter. On PostgreSQL row-level
    /// security must still hide other tenants' rows; on SQLite nothing does.
    #[doc(hidden)]
    pub fn remove_tenant_filter_for_tests(&self) {
        self.unfiltered.store(true, Ordering::SeqCst);
    }

    fn filtered(&self) -> bool {
        !self.unfiltered.load(Ordering::Relaxed)
    }

    /// The pool, for platform tables (tenants, users, roles, tokens, sessions).
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub async fn close(&self) {
        self.pool.close().await
    }

    /// A read-write transaction over platform tables. On SQLite it takes the write lock
    /// up front, so that a read followed by a write cannot fail on a concurrent writer.
    pub async fn begin(&self) -> Result<Transaction<'static, Any>, sqlx::Error> {
        let begin = match self.backend {
            Backend::Sqlite => "BEGIN IMMEDIATE",
            Backend::Postgres => "BEGIN",
        };
        open(&self.pool, begin.to_string(), None).await
    }

    /// A read-write transaction scoped to one tenant.
    pub async fn tenant(&self, tenant_id: &str) -> Result<TenantTx, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => TenantTx::unscoped(self.begin().await?, tenant_id),
            Backend::Postgres => TenantTx::scoped(&self.pool, "BEGIN", tenant_id).await,
        }
        .map(|tx| tx.filtered(self.filtered()))
    }

    /// A read-only transaction scoped to one tenant (no write lock on SQLite).
    pub async fn tenant_read(&self, tenant_id: &str) -> Result<TenantTx, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => {
                TenantTx::unscoped(open(&self.pool, "BEGIN".into(), None).await?, tenant_id)
            }
            Backend::Postgres => TenantTx::scoped(&self.pool, "BEGIN READ ONLY", tenant_id).await,
        }
        .map(|tx| tx.filtered(self.filtered()))
    }

    /// A read-only transaction over several tenants at once, the first of `tenant_ids`
    /// bound as `$1` (a region's search: an agency and its children). Queries name the
    /// others themselves; on PostgreSQL the row-level security scope holds exactly these
    /// tenants. Ids must be plain ids (hex digits and dashes), as every tenant id is.
    pub async fn tenants_read(&self, tenant_ids: &[String]) -> Result<TenantTx, sqlx::Error> {
        let first = tenant_ids
            .first()
            .ok_or_else(|| sqlx::Error::Protocol("no tenant to read".into()))?;
        if tenant_ids.len() == 1 || self.backend == Backend::Sqlite {
            return self.tenant_read(first).await;
        }
        let plain =
            |id: &String| !id.is_empty() && id.chars().all(|c| c.is_ascii_hexdigit() || c == '-');
        if !tenant_ids.iter().all(plain) {
            return Err(sqlx::Error::Protocol(
                "a tenant id that is not plain".into(),
            ));
        }
        let tx = open(
            &self.pool,
            "BEGIN READ ONLY".into(),
            Some(tenant_ids.join(",")),
        )
        .await?;
        Ok(TenantTx {
            tx,
            tenant_id: first.clone(),
            backend: Backend::Postgres,
            filter: true,
        }
        .filtered(self.filtered()))
    }

    /// Answers when the database does (for /readyz).
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
    }
}

/// Opens a transaction with `begin` (and, when given, sets `app.tenant_ids` to
/// `tenant_ids` in it) in a task of its own, so that it always runs to the end.
///
/// Cancellation safety: a request's future is dropped at whatever `.await` it has reached
/// when its client goes away. Dropped while `BEGIN` was in flight, sqlx (0.8) would hand
/// the connection back to the pool inside a transaction it does not know about (its
/// bookkeeping counts the transaction only once `BEGIN` has answered), and the next user
/// of that connection would run inside it: read-only, or scoped to another tenant. Run
/// to the end in its own task, the opening always yields a `Transaction`, and one that
/// nobody is left to take is dropped there, which rolls it back before the connection
/// is used again.
async fn open(
    pool: &AnyPool,
    begin: String,
    tenant_ids: Option<String>,
) -> Result<Transaction<'static, Any>, sqlx::Error> {
    let pool = pool.clone();
    tokio::spawn(async move {
        let mut tx = pool.begin_with(begin).await?;
        if let Some(ids) = tenant_ids {
            sqlx::query("SELECT set_config('app.tenant_ids', $1, true)")
                .bind(ids)
                .execute(&mut *tx)
                .await?;
        }
        Ok(tx)
    })
    .await
    .map_err(|_| sqlx::Error::WorkerCrashed)?
}

/// A transaction that can reach one tenant's data and nothing of any other tenant's.
pub struct TenantTx {
    tx: Transaction<'static, Any>,
    tenant_id: String,
    backend: Backend,
    /// False only under [`Db::remove_tenant_filter_for_tests`].
    filter: bool,
}

impl TenantTx {
    /// SQLite has no row-level security: the `$1` binding is the wall.
    fn unscoped(tx: Transaction<'static, Any>, tenant_id: &str) -> Result<TenantTx, sqlx::Error> {
        Ok(TenantTx {
            tx,
            tenant_id: tenant_id.to_string(),
            backend: Backend::Sqlite,
            filter: true,
        })
    }

    /// Opens the transaction and sets `app.tenant_ids` for the row-level security
    /// policies in one round trip: every tenant request starts here. The id is written
    /// into the statement only when it is a plain id (hex digits and dashes); anything
    /// else goes through a bound parameter.
    async fn scoped(pool: &AnyPool, begin: &str, tenant_id: &str) -> Result<TenantTx, sqlx::Error> {
        let plain =
            !tenant_id.is_empty() && tenant_id.chars().all(|c| c.is_ascii_hexdigit() || c == '-');
        let tx = if plain {
            let begin =
                format!("{begin}; SELECT set_config('app.tenant_ids', '{tenant_id}', true)");
            open(pool, begin, None).await?
        } else {
            open(pool, begin.to_string(), Some(tenant_id.to_string())).await?
        };
        Ok(TenantTx {
            tx,
            tenant_id: tenant_id.to_string(),
            backend: Backend::Postgres,
            filter: true,
        })
    }

    fn filtered(mut self, filter: bool) -> TenantTx {
        self.filter = filter;
        self
    }

    pub fn tenant_id(&self) -> &str {
        &self.tenant_id
    }

    /// The backend, for the few statements whose SQL differs (locking, upserts).
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A query over tenant tables with the tenant id already bound as `$1`.
    pub fn query<'q>(&self, sql: &'q str) -> Query<'q, Any, AnyArguments<'q>> {
        debug_assert!(
            sql.contains("tenant_id = $1") || sql.contains("($1"),
            "a tenant query must be scoped by $1: {sql}"
        );
        if !self.filter {
            // Tests only: `x.tenant_id >= ''` holds for every row (the statement is leaked
            // to get the lifetime the query needs; a test makes a handful).
            let unfiltered = sql.replace("tenant_id = $1", "tenant_id >= substr($1, 1, 0)");
            let sql: &'static str = Box::leak(unfiltered.into_boxed_str());
            return sqlx::query(sql).bind(self.tenant_id.clone());
        }
        sqlx::query(sql).bind(self.tenant_id.clone())
    }

    /// The connection, to run queries made with [`TenantTx::query`] or over platform tables.
    pub fn conn(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }

    /// Commits in a task of its own: a caller that goes away mid-commit neither leaves
    /// the outcome to chance nor queues a rollback behind the `COMMIT`.
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        tokio::spawn(self.tx.commit())
            .await
            .map_err(|_| sqlx::Error::WorkerCrashed)?
    }
}

/// True when the error is a UNIQUE violation (both backends).
pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    crate::kernel::error::Constraint::Unique.violated_by(err)
}
