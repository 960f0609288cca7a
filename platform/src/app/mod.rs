//! The application: the state shared by every request and background job, and the
//! wiring of the capabilities into it. The command line (`cli`) and the demo data
//! (`demo`) live here too, because they wire the whole application. Capabilities do not
//! import this module; only it, `http` and the route modules do.

pub mod cli;
pub mod demo;
pub mod preflight;

use std::sync::Arc;
use std::time::Duration;

use axum::extract::FromRef;

use crate::auth::principal::{PrincipalCache, SessionTimeouts};
use crate::auth::rate_limit::LoginLimiter;
use crate::auth::session_store::DbSessionStore;
use crate::authz::Authz;
use crate::calendar::CalendarCache;
use crate::disclosure::Disclosure;
use crate::kernel::clock::Clock;
use crate::kernel::config::Config;
use crate::kernel::crypto::Secrets;
use crate::kernel::db::{Backend, Db};
use crate::kernel::error::Result;
use crate::plugins::Plugins;
use crate::tenancy::TenantDirectory;
use crate::users::service::Accounts;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub authz: Authz,
    pub config: Arc<Config>,
    /// Today and now, for every capability (fixed by `clock_today` in demos and tests).
    pub clock: Clock,
    pub secrets: Arc<Secrets>,
    pub sessions: DbSessionStore,
    pub principals: PrincipalCache,
    pub login_limiter: Arc<LoginLimiter>,
    /// Public exports, feeds and attachment downloads per client address.
    pub downloads: Arc<crate::kernel::limit::AddressLimiter>,
    pub calendar: CalendarCache,
    /// Tenants by slug with their ancestors, for a few seconds.
    pub tenants: TenantDirectory,
    /// Published items' public renditions, for a few seconds.
    pub public_items: crate::disclosure::public::PublicItemCache,
    /// Installed plugins and the host that runs them.
    pub plugins: Plugins,
    /// The handles of the request services.
    pub requests: crate::requests::Requests,
    /// Portal settings for a few seconds, the tracking lookup limit.
    pub portal: crate::portal::PortalRuntime,
}

impl AppState {
    /// Connects to the database (after migrating, when asked) and loads the policies.
    pub async fn build(config: Config) -> anyhow::Result<AppState> {
        let secrets = config.secrets()?;
        if config.migrate_on_start {
            migrate(&config).await?;
        }
        let mut db = Db::connect(&config.database_url(), config.database_max_connections).await?;
        let pending = db.pending_migrations().await?;
        if pending > 0 {
            // The embedded database is ours alone: bring it up to date. A server database
            // is migrated by its tables' owner, deliberately.
            if db.backend() != Backend::Sqlite {
                anyhow::bail!(
                    "the database is not set up ({pending} migration(s) not applied): \
                     run `gongkai migrate` as the tables' owner first"
                );
            }
            db.close().await;
            migrate(&config).await?;
            db = Db::connect(&config.database_url(), config.database_max_connections).await?;
        }
        let authz = Authz::load(&db).await?;
        let calendar = CalendarCache::default();
        let plugins = Plugins::new(&config, db.clone(), calendar.clone())?;
        let clock = Clock::from_setting(config.clock_today());
        let secrets = Arc::new(secrets);
        let requests = crate::requests::Requests::new(
            db.clone(),
            calendar.clone(),
            clock.clone(),
            secrets.clone(),
            &config,
        )?;
        Ok(AppState {
            sessions: DbSessionStore::new(db.clone()),
            login_limiter: Arc::new(LoginLimiter::new(
                config.login_per_account_per_minute,
                config.login_per_address_per_minute,
            )),
            downloads: Arc::new(crate::kernel::limit::AddressLimiter::per_minute(
                config.public_downloads_per_address_per_minute,
            )),
            clock,
            principals: PrincipalCache::default(),
            calendar,
            tenants: TenantDirectory::default(),
            public_items: Default::default(),
            plugins,
            requests,
            portal: Default::default(),
            authz,
            db,
            secrets,
            config: Arc::new(config),
        })
    }

    /// What the account and membership services need.
    pub fn accounts(&self) -> Accounts<'_> {
        Accounts {
            db: &self.db,
            authz: &self.authz,
            principals: &self.principals,
            sessions: &self.sessions,
        }
    }

    pub fn session_timeouts(&self) -> SessionTimeouts {
        SessionTimeouts {
            idle_secs: self.config.session_idle_secs as i64,
            absolute_secs: self.config.session_absolute_secs as i64,
        }
    }

    /// Timers: reload policies (other replicas' changes), drop expired sessions, forget
    /// idle rate-limit keys.
    pub fn spawn_background(&self) {
        crate::requests::spawn(&self.requests, &self.config);
        crate::disclosure::scheduler::spawn(Disclosure::from_ref(self));
        let state = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(60));
            tick.tick().await;
            loop {
                tick.tick().await;
                if let Err(err) = state.authz.reload().await {
                    tracing::warn!(error = %err, "policy reload failed");
                }
                if let Err(err) = state.sessions.delete_expired().await {
                    tracing::warn!(error = %err, "expired session clean-up failed");
                }
                state.login_limiter.shrink();
                state.downloads.shrink();
            }
        });
    }
}

/// Runs the migrations of the configured backend as the owner, then seeds defaults.
pub async fn migrate(config: &Config) -> Result<()> {
    Db::migrate(&config.migration_database_url()).await?;
    let db = Db::connect(&config.migration_database_url(), 1).await?;
    crate::authz::seed_default_permissions(&db).await?;
    crate::calendar::service::seed_official(&db).await?;
    db.close().await;
    Ok(())
}
