//! The `gongkai` command line: serve, migrate, the demo, and the operator's commands
//! for tenants, users, roles, tokens and the audit log. The operator at this command
//! line already holds the database, so these commands need no sign-in; they are
//! audited as `cli`.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};

use super::{demo, AppState};
use crate::kernel::actor::Actor;
use crate::kernel::config::Config;
use crate::kernel::error::Error;
use crate::tenancy::service::{NewTenant, TenantPatch};
use crate::tenancy::{store as tenants, TenantKind};
use crate::users::service::{self as users, NewMember, UserPatch};
use crate::{audit, auth};

#[derive(Parser)]
#[command(
    name = "gongkai",
    version,
    about = "Gongkai (公开): government information disclosure platform"
)]
struct Cli {
    /// A TOML configuration file (settings may also come from GONGKAI_* variables).
    #[arg(long, env = "GONGKAI_CONFIG", global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API.
    Serve {
        /// Run migrations first.
        #[arg(long)]
        migrate: bool,
    },
    /// Run database migrations (as the table owner on PostgreSQL).
    Migrate,
    /// Create the demo agencies and users (idempotent), print how to sign in, and serve.
    Demo {
        /// Seed and exit without serving.
        #[arg(long)]
        no_serve: bool,
    },
    /// Tenants (agencies).
    #[command(subcommand)]
    Tenant(TenantCommand),
    /// User accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Role assignments.
    #[command(subcommand)]
    Role(RoleCommand),
    /// API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// The audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Domain plugins (WebAssembly components).
    #[command(subcommand)]
    Plugin(PluginCommand),
    /// The verifiable class lottery (阳光分班) of the admissions plugin.
    #[command(subcommand)]
    Lottery(LotteryCommand),
    /// Full-text search.
    #[command(subcommand)]
    Search(SearchCommand),
}

#[derive(Subcommand)]
enum SearchCommand {
    /// Rebuild the search index from the published items (every tenant, or one), each
    /// tenant in one transaction, with a progress bar.
    Reindex {
        /// Only this tenant (slug).
        #[arg(long)]
        tenant: Option<String>,
    },
}

#[derive(Subcommand)]
enum LotteryCommand {
    /// Verify a downloaded lottery package offline, with no database: runs the
    /// admissions plugin's own `verify` action on it. Exits 0 when every draw checks
    /// out, 3 when one does not (naming the first mismatch).
    Verify {
        /// The package (JSON): the `lottery-package` export of the portal.
        file: PathBuf,
        /// The admissions plugin component (`.wasm`) that made the draw.
        #[arg(long)]
        plugin: PathBuf,
    },
}

#[derive(Subcommand)]
enum PluginCommand {
    /// Install a plugin version from a component file (validated against the contract);
    /// prints its id, version and sha256.
    Install {
        /// The component (`.wasm`), e.g. target/plugins/environment.wasm.
        file: PathBuf,
    },
    /// List installed plugin versions and their kinds.
    List,
}

#[derive(Subcommand)]
enum TenantCommand {
    /// Create a tenant.
    Create {
        #[arg(long)]
        slug: String,
        /// The Chinese name.
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        name_en: String,
        /// government, department or other.
        #[arg(long, default_value = "department")]
        kind: String,
        /// The parent's slug (default: top level).
        #[arg(long)]
        parent: Option<String>,
    },
    /// List every tenant.
    List,
    /// Rename, move, deactivate or reactivate a tenant.
    Update {
        #[arg(long)]
        slug: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        name_en: Option<String>,
        #[arg(long)]
        parent: Option<String>,
        #[arg(long)]
        active: Option<bool>,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account with a role in a tenant; the password is read from standard input.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        role: String,
        #[arg(long)]
        name: Option<String>,
    },
    /// Disable an account and end its sessions.
    Disable {
        #[arg(long)]
        email: String,
    },
}

#[derive(Subcommand)]
enum RoleCommand {
    /// Grant a role in a tenant.
    Grant {
        #[arg(long)]
        email: String,
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        role: String,
    },
    /// Revoke a role in a tenant.
    Revoke {
        #[arg(long)]
        email: String,
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        role: String,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Make an API token acting as the user; prints the secret once.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        expires_in_days: Option<u32>,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Recompute every tenant's hash chain; exits non-zero naming the first broken entry.
    Verify {
        #[arg(long)]
        tenant: Option<String>,
    },
}

pub async fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::load(cli.config.as_deref()) {
        Ok(config) => config,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(2);
        }
    };
    init_logging(&config);
    match run(cli.command, config).await {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {}", causes_once(&err));
            ExitCode::FAILURE
        }
    }
}

/// The error and its causes on one line, each said once: some errors (sqlx's migration
/// errors) already repeat their cause in their own message.
fn causes_once(err: &anyhow::Error) -> String {
    let mut said: Vec<String> = Vec::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if !said.last().is_some_and(|previous| previous.contains(&text)) {
            said.push(text);
        }
    }
    said.join(": ")
}

fn init_logging(config: &Config) {
    use tracing_subscriber::EnvFilter;
    let filter =
        EnvFilter::try_from_env("GONGKAI_LOG").unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = if config.log_format == "json" {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

async fn run(command: Command, mut config: Config) -> anyhow::Result<ExitCode> {
    match command {
        Command::Serve { migrate } => {
            config.migrate_on_start |= migrate;
            serve(AppState::build(config).await?).await?;
        }
        Command::Migrate => {
            super::migrate(&config).await?;
            println!("migrations applied");
        }
        Command::Demo { no_serve } => {
            config.migrate_on_start = true;
            config.demo = true;
            let state = AppState::build(config).await?;
            let info = demo::seed(&state).await?;
            println!("{}", info.instructions(&state.config.listen.to_string()));
            if !no_serve {
                serve(state).await?;
            }
        }
        Command::Tenant(command) => tenant(command, AppState::build(config).await?).await?,
        Command::User(command) => user(command, AppState::build(config).await?).await?,
        Command::Role(command) => role(command, AppState::build(config).await?).await?,
        Command::Token(TokenCommand::Create {
            email,
            name,
            expires_in_days,
        }) => {
            let state = AppState::build(config).await?;
            let user = user_by_email(&state, &email).await?;
            let (_, secret) =
                auth::tokens::create(&state.db, &Actor::cli(), &user.id, &name, expires_in_days)
                    .await?;
            println!("{secret}");
        }
        Command::Plugin(command) => plugin(command, AppState::build(config).await?).await?,
        Command::Lottery(LotteryCommand::Verify { file, plugin }) => {
            return lottery_verify(&config, &file, &plugin).await
        }
        Command::Search(SearchCommand::Reindex { tenant }) => {
            let state = AppState::build(config).await?;
            search_reindex(&state, tenant.as_deref()).await?;
        }
        Command::Audit(AuditCommand::Verify { tenant }) => {
            let state = AppState::build(config).await?;
            let reports = audit::verify_all(&state.db, tenant.as_deref()).await?;
            let mut intact = true;
            for report in &reports {
                match &report.broken {
                    None => println!(
                        "{}: intact ({} entries)",
                        report.tenant_slug, report.entries
                    ),
                    Some(broken) => {
                        intact = false;
                        println!("{}: BROKEN at {broken}", report.tenant_slug);
                    }
                }
            }
            return Ok(if intact {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(3)
            });
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn serve(state: AppState) -> anyhow::Result<()> {
    super::preflight::check(&state).await?;
    let listener = tokio::net::TcpListener::bind(state.config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", state.config.listen))?;
    tracing::info!(address = %listener.local_addr()?, "serving");
    state.spawn_background();
    crate::http::serve(listener, state, shutdown_signal()).await?;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}

/// `gongkai search reindex`: one progress bar per tenant, and the totals.
async fn search_reindex(state: &AppState, only: Option<&str>) -> anyhow::Result<()> {
    use axum::extract::FromRef;
    let d = crate::disclosure::Disclosure::from_ref(state);
    let tenants: Vec<crate::tenancy::Tenant> = match only {
        Some(slug) => vec![tenant_by_slug(state, slug).await?],
        None => tenants::all(&state.db)
            .await?
            .into_iter()
            .filter(|t| !t.is_platform())
            .collect(),
    };
    gongkai_search::warm_up();
    let style = indicatif::ProgressStyle::with_template(
        "{prefix:>16} [{bar:40}] {pos}/{len} items ({elapsed})",
    )
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
    .progress_chars("=> ");
    let mut indexed = 0;
    for t in &tenants {
        let bar = indicatif::ProgressBar::new(0)
            .with_style(style.clone())
            .with_prefix(t.slug.clone());
        let n = crate::search::reindex_tenant(&d, t, &|done: u64, total: u64| {
            bar.set_length(total);
            bar.set_position(done);
        })
        .await?;
        bar.finish();
        indexed += n;
    }
    println!(
        "indexed {indexed} published item(s) of {} tenant(s)",
        tenants.len()
    );
    Ok(())
}

async fn tenant_by_slug(state: &AppState, slug: &str) -> anyhow::Result<crate::tenancy::Tenant> {
    tenants::by_slug(&state.db, slug)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no tenant `{slug}`"))
}

async fn user_by_email(state: &AppState, email: &str) -> anyhow::Result<crate::users::User> {
    let mut conn = state.db.pool().acquire().await?;
    crate::users::store::by_email(&mut conn, email)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no account with the e-mail address {email}"))
}

/// Problems listed one a line, so the operator sees them all at once.
fn explain(err: Error) -> anyhow::Error {
    match err {
        Error::Invalid(problems) => {
            let lines: Vec<String> = problems
                .iter()
                .map(|p| format!("  {}: {}", p.field, p.message))
                .collect();
            anyhow::anyhow!("the input has problems:\n{}", lines.join("\n"))
        }
        other => other.into(),
    }
}

async fn tenant(command: TenantCommand, state: AppState) -> anyhow::Result<()> {
    match command {
        TenantCommand::Create {
            slug,
            name,
            name_en,
            kind,
            parent,
        } => {
            let kind = TenantKind::parse(&kind)
                .filter(|k| *k != TenantKind::Platform)
                .ok_or_else(|| {
                    anyhow::anyhow!("--kind is government, department or other, not `{kind}`")
                })?;
            let input = NewTenant {
                slug,
                name_zh: name,
                name_en,
                kind,
                parent,
            };
            let t =
                crate::tenancy::service::create(&state.db, &state.tenants, &Actor::cli(), input)
                    .await
                    .map_err(explain)?;
            println!("created tenant {} ({})", t.slug, t.id);
        }
        TenantCommand::List => {
            for t in tenants::all(&state.db).await? {
                let parent = t.parent_id.clone().unwrap_or_default();
                let status = if t.active { "active" } else { "inactive" };
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    t.slug,
                    t.name_zh,
                    t.name_en,
                    t.kind.as_str(),
                    status,
                    parent
                );
            }
        }
        TenantCommand::Update {
            slug,
            name,
            name_en,
            parent,
            active,
        } => {
            let t = tenant_by_slug(&state, &slug).await?;
            let patch = TenantPatch {
                name_zh: name,
                name_en,
                kind: None,
                parent,
                active,
            };
            let t = crate::tenancy::service::update(
                &state.db,
                &state.tenants,
                &Actor::cli(),
                &t,
                patch,
            )
            .await
            .map_err(explain)?;
            println!("updated tenant {}", t.slug);
        }
    }
    Ok(())
}

async fn user(command: UserCommand, state: AppState) -> anyhow::Result<()> {
    match command {
        UserCommand::Create {
            email,
            tenant,
            role,
            name,
        } => {
            let t = tenant_by_slug(&state, &tenant).await?;
            let mut password = String::new();
            std::io::stdin().read_to_string(&mut password)?;
            let password = password.trim_end_matches(['\n', '\r']).to_string();
            let display_name =
                name.unwrap_or_else(|| email.split('@').next().unwrap_or(&email).to_string());
            let input = NewMember {
                email,
                display_name: Some(display_name),
                password: Some(password),
                roles: vec![role],
            };
            let member = users::add_member(state.accounts(), &Actor::cli(), &t, input)
                .await
                .map_err(explain)?;
            println!(
                "{} holds {} in {}",
                member.user.email,
                member.roles.join(", "),
                t.slug
            );
        }
        UserCommand::Disable { email } => {
            let u = user_by_email(&state, &email).await?;
            let patch = UserPatch {
                active: Some(false),
                ..UserPatch::default()
            };
            users::update_user(state.accounts(), &Actor::cli(), &u.id, patch)
                .await
                .map_err(explain)?;
            println!("disabled {email}; its sessions have ended");
        }
    }
    Ok(())
}

async fn role(command: RoleCommand, state: AppState) -> anyhow::Result<()> {
    match command {
        RoleCommand::Grant {
            email,
            tenant,
            role,
        } => {
            let t = tenant_by_slug(&state, &tenant).await?;
            let u = user_by_email(&state, &email).await?;
            users::grant(state.accounts(), &Actor::cli(), &t, &u.id, &role)
                .await
                .map_err(explain)?;
            println!("granted {role} in {tenant} to {email}");
        }
        RoleCommand::Revoke {
            email,
            tenant,
            role,
        } => {
            let t = tenant_by_slug(&state, &tenant).await?;
            let u = user_by_email(&state, &email).await?;
            users::revoke(state.accounts(), &Actor::cli(), &t, &u.id, &role)
                .await
                .map_err(explain)?;
            println!("revoked {role} in {tenant} from {email}");
        }
    }
    Ok(())
}

async fn plugin(command: PluginCommand, state: AppState) -> anyhow::Result<()> {
    match command {
        PluginCommand::Install { file } => {
            let bytes =
                std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let package = crate::plugins::service::install(&state.plugins, &Actor::cli(), bytes)
                .await
                .map_err(explain)?;
            println!("{} {} {}", package.id, package.version, package.sha256);
        }
        PluginCommand::List => {
            for p in crate::plugins::service::list(&state.plugins).await? {
                let kinds: Vec<&str> = p.manifest.kinds.iter().map(|k| k.id.as_str()).collect();
                println!(
                    "{} {} {} {} bytes, installed {}; kinds: {}",
                    p.id,
                    p.version,
                    p.sha256,
                    p.size,
                    p.installed_at,
                    kinds.join(", ")
                );
            }
        }
    }
    Ok(())
}

/// `gongkai lottery verify FILE --plugin WASM`: the plugin's `verify` action, offline.
async fn lottery_verify(
    config: &Config,
    file: &std::path::Path,
    plugin: &std::path::Path,
) -> anyhow::Result<ExitCode> {
    use crate::plugins::service;
    let package = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let package: serde_json::Value = serde_json::from_slice(&package)
        .with_context(|| format!("{} is not JSON", file.display()))?;
    let wasm = std::fs::read(plugin).with_context(|| format!("reading {}", plugin.display()))?;
    println!("plugin sha256:{}", service::sha256_hex(&wasm));
    let cache = service::cache_dir(&config.data_dir);
    let today = crate::kernel::clock::Clock::from_setting(config.clock_today()).today();
    let verdict = service::run_action_offline(wasm, "verify", &package, cache, today).await?;
    let draws = verdict["draws"].as_array().cloned().unwrap_or_default();
    for (i, draw) in draws.iter().enumerate() {
        match draw["ok"].as_bool() {
            Some(true) => println!("draw {}: ok", i + 1),
            _ => println!(
                "draw {}: MISMATCH ({}) {}",
                i + 1,
                draw["mismatch"].as_str().unwrap_or("?"),
                draw["message"].as_str().unwrap_or("")
            ),
        }
    }
    Ok(if verdict["ok"] == true {
        println!("verified: every draw checks out");
        ExitCode::SUCCESS
    } else {
        println!("NOT verified");
        ExitCode::from(3)
    })
}
