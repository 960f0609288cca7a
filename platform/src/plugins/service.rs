//! Installing plugin versions, tenants' settings, and calls through a tenant's pinned
//! version. Used by the API, the CLI and the items capability: [`evaluate`] and
//! [`export`] are what items call, with the [`Plugins`] handle.
//!
//! Errors, mapped here and nowhere else: a plugin that refuses the caller's input
//! (unknown kind or format, bad input, input too large) gives `Error::Invalid` (422); a
//! faulty plugin (timeout, fuel, memory, trap, malformed or oversized output, its own
//! internal error) gives `Error::Upstream` (502 `plugin-failed`), naming plugin,
//! version, export and reason; a host failure gives `Error::Internal` (500).

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;
use serde_json::json;
use sha2::{Digest, Sha256};

use super::host::{
    self, CallContext, HostError, Limits, LoadedPlugin, PluginCalendar, PluginError, PluginHost,
    Reason,
};
use super::model::{
    ActionOutput, Evaluation, ExportItemInput, Manifest, Package, PluginProblem, Severity,
    TenantPlugin, TenantPluginInput,
};
use super::store;
use crate::audit;
use crate::calendar::CalendarCache;
use crate::kernel::actor::Actor;
use crate::kernel::config::Config;
use crate::kernel::db::Db;
use crate::kernel::error::{Error, FieldProblem, Result};
use crate::kernel::ids;
use crate::kernel::limit::AddressLimiter;
use crate::tenancy::{Tenant, PLATFORM_TENANT_ID};
use gongkai_rules::calendar::Calendar;

/// What the plugin service works with: the registry's database, the host, tenants'
/// calendars (plugins count working days), where component files live, and the
/// largest component accepted. Cheap to clone.
#[derive(Clone)]
pub struct Plugins {
    pub db: Db,
    /// One engine, loaded plugin versions, the compile cache.
    pub host: Arc<PluginHost>,
    pub calendars: CalendarCache,
    /// Where component bytes live, content-addressed (plain files; attachments will
    /// move to `object_store`, and these can follow).
    pub packages_dir: PathBuf,
    pub max_upload_bytes: usize,
    /// Public actions per client address (they run plugin code for anyone).
    public_actions: Arc<AddressLimiter>,
}

impl Plugins {
    /// A host with the configured limits, its files under the data directory.
    pub fn new(config: &Config, db: Db, calendars: CalendarCache) -> Result<Plugins, HostError> {
        let host = PluginHost::new(Limits::from_config(config), cache_dir(&config.data_dir))?;
        Ok(Plugins {
            db,
            host: Arc::new(host),
            calendars,
            packages_dir: config.data_dir.join("plugins"),
            max_upload_bytes: config.plugin_max_upload_bytes,
            public_actions: Arc::new(AddressLimiter::per_minute(
                config.plugin_public_actions_per_address_per_minute,
            )),
        })
    }

    /// Counts one public action from `address`; refuses it (429) when the quota is spent.
    pub fn admit_public(&self, address: IpAddr) -> Result<()> {
        self.public_actions.admit(address)
    }

    fn package_path(&self, sha256: &str) -> PathBuf {
        self.packages_dir.join(format!("{sha256}.wasm"))
    }
}

/// Where compiled components are cached.
pub fn cache_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("plugin-cache")
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

impl From<PluginError> for Error {
    fn from(err: PluginError) -> Error {
        let field = match (&err.reason, err.call) {
            (Reason::UnknownKind(_), _) => "kind",
            (Reason::UnknownFormat(_), _) => "format",
            (Reason::UnknownAction(_), _) => "action",
            (_, "action") => "input",
            _ => "fields",
        };
        if err.reason.is_bad_input() {
            return Error::Invalid(vec![FieldProblem::new(field, err.to_string())]);
        }
        match err.reason {
            Reason::Host(_) => Error::internal_from(err),
            _ => Error::Upstream {
                slug: "plugin-failed",
                detail: err.to_string(),
            },
        }
    }
}

impl From<HostError> for Error {
    fn from(err: HostError) -> Error {
        Error::internal_from(err)
    }
}

/// A component refused at install: its file or its `describe` is at fault (422), unless
/// the host is (500).
fn refused_component(err: PluginError) -> Error {
    match err.reason {
        Reason::Host(_) => Error::internal_from(err),
        Reason::BadInput(m) => Error::invalid("component", format!("refused: {m}")),
        reason => Error::invalid("component", format!("refused: its `describe` {reason}")),
    }
}

/// Installs a component: checks it is a component of this contract that links against
/// the host's imports only, asks `describe` (within the deadline) and checks the
/// manifest, stores the bytes by content hash and records the version. Audited in the
/// platform's chain.
pub async fn install(plugins: &Plugins, actor: &Actor, bytes: Vec<u8>) -> Result<Package> {
    let cap = plugins.max_upload_bytes;
    if bytes.len() > cap {
        return Err(Error::invalid(
            "component",
            format!("{} bytes; the limit is {cap}", bytes.len()),
        ));
    }
    let sha256 = sha256_hex(&bytes);
    let sha = sha256.clone();
    let owned = bytes.clone();
    let (prepared, info) = plugins
        .host
        .run(move |h| {
            let prepared = h.prepare(&sha, &owned)?;
            let info = h.describe(&prepared)?;
            Ok::<_, PluginError>((prepared, info))
        })
        .await?
        .map_err(refused_component)?;
    let manifest = Manifest::new(info, prepared.contract());
    let problems = manifest.problems();
    if !problems.is_empty() {
        return Err(Error::Invalid(
            problems
                .into_iter()
                .map(|p| FieldProblem::new("component", format!("manifest: {p}")))
                .collect(),
        ));
    }
    let path = plugins.package_path(&sha256);
    if !path.is_file() {
        host::write_file_atomically(&path, &bytes)
            .map_err(|e| Error::internal_cause(format!("storing {}", path.display()), e))?;
    }
    let package = Package {
        id: manifest.id.clone(),
        version: manifest.version.clone(),
        sha256: sha256.clone(),
        size: bytes.len() as i64,
        installed_at: ids::now_text(),
        manifest,
    };
    let mut tx = plugins.db.tenant(PLATFORM_TENANT_ID).await?;
    store::insert_package(tx.conn(), &package).await?;
    audit::append(
        &mut tx,
        actor,
        "plugin.install",
        "plugin",
        &format!("{}@{}", package.id, package.version),
        json!({"sha256": sha256, "size": package.size, "kinds": package.manifest.kinds.iter().map(|k| &k.id).collect::<Vec<_>>()}),
    )
    .await?;
    tx.commit().await?;
    plugins.host.insert(prepared, &package.id, &package.version);
    Ok(package)
}

pub async fn list(plugins: &Plugins) -> Result<Vec<Package>> {
    store::packages(&plugins.db).await
}

/// The loaded (compiled, linked) plugin of an installed package: from memory, else
/// from its stored bytes (compiled from the disk cache when there).
async fn loaded(plugins: &Plugins, package: &Package) -> Result<Arc<LoadedPlugin>> {
    if let Some(plugin) = plugins.host.get(&package.sha256) {
        return Ok(plugin);
    }
    let path = plugins.package_path(&package.sha256);
    let bytes = tokio::fs::read(&path)
        .await
        .map_err(|e| Error::internal_cause(format!("reading {}", path.display()), e))?;
    if sha256_hex(&bytes) != package.sha256 {
        return Err(Error::internal(format!(
            "{} does not match its recorded hash",
            path.display()
        )));
    }
    let sha = package.sha256.clone();
    // A stored package that no longer loads is our fault, not the caller's.
    let prepared = plugins
        .host
        .run(move |h| h.prepare(&sha, &bytes))
        .await?
        .map_err(Error::internal_from)?;
    Ok(plugins.host.insert(prepared, &package.id, &package.version))
}

pub async fn tenant_settings(plugins: &Plugins, tenant: &Tenant) -> Result<Vec<TenantPlugin>> {
    let mut tx = plugins.db.tenant_read(&tenant.id).await?;
    let settings = store::settings(&mut tx).await?;
    tx.commit().await?;
    Ok(settings)
}

/// The installed packages of the plugins the tenant has enabled, at their pinned versions.
pub async fn enabled_packages(plugins: &Plugins, tenant: &Tenant) -> Result<Vec<Package>> {
    let mut out = Vec::new();
    for setting in tenant_settings(plugins, tenant).await? {
        if !setting.enabled {
            continue;
        }
        if let Some(p) =
            store::package(&plugins.db, &setting.plugin_id, &setting.pinned_version).await?
        {
            out.push(p);
        }
    }
    Ok(out)
}

/// Enables or disables a plugin for a tenant and pins its version. Audited.
pub async fn configure(
    plugins: &Plugins,
    actor: &Actor,
    tenant: &Tenant,
    plugin_id: &str,
    input: TenantPluginInput,
) -> Result<TenantPlugin> {
    if store::package(&plugins.db, plugin_id, &input.version)
        .await?
        .is_none()
    {
        return Err(Error::invalid(
            "version",
            format!("plugin {plugin_id} {} is not installed", input.version),
        ));
    }
    let mut tx = plugins.db.tenant(&tenant.id).await?;
    let before = store::setting(&mut tx, plugin_id).await?;
    let setting = TenantPlugin {
        plugin_id: plugin_id.to_string(),
        pinned_version: input.version,
        enabled: input.enabled,
        updated_at: ids::now_text(),
    };
    store::upsert_setting(&mut tx, &setting).await?;
    let action = match (&before, setting.enabled) {
        (Some(b), true) if b.enabled && b.pinned_version != setting.pinned_version => "plugin.pin",
        (_, true) => "plugin.enable",
        (_, false) => "plugin.disable",
    };
    audit::append(
        &mut tx,
        actor,
        action,
        "plugin",
        plugin_id,
        json!({"version": setting.pinned_version, "enabled": setting.enabled,
               "previous_version": before.as_ref().map(|b| b.pinned_version.clone()),
               "previously_enabled": before.as_ref().map(|b| b.enabled)}),
    )
    .await?;
    tx.commit().await?;
    Ok(setting)
}

/// The installed package of a plugin the tenant has enabled, at its pinned version:
/// 404 when the tenant has no setting for it, 409 when it is disabled.
pub async fn enabled_package(
    plugins: &Plugins,
    tenant: &Tenant,
    plugin_id: &str,
) -> Result<Package> {
    let mut tx = plugins.db.tenant_read(&tenant.id).await?;
    let setting = store::setting(&mut tx, plugin_id).await?;
    tx.commit().await?;
    let version = match setting {
        None => {
            return Err(Error::NotFound(format!(
                "plugin `{plugin_id}` for tenant `{}`",
                tenant.slug
            )))
        }
        Some(s) if !s.enabled => {
            return Err(Error::Conflict {
                message: format!("plugin `{plugin_id}` is disabled for this tenant"),
                current_state: Some("disabled".into()),
            })
        }
        Some(s) => s.pinned_version,
    };
    store::package(&plugins.db, plugin_id, &version)
        .await?
        .ok_or_else(|| Error::NotFound(format!("plugin {plugin_id} {version}")))
}

/// The working-day calendar plugins see: the tenant's, local adjustments included.
async fn calendar_for(plugins: &Plugins, tenant: &Tenant) -> Result<PluginCalendar> {
    let calendar: Calendar = plugins
        .calendars
        .for_tenant(&plugins.db, &tenant.id)
        .await?;
    Ok(Arc::new(calendar))
}

/// Validates, derives and states publication rules for one item of `kind` through the
/// tenant's pinned version of the plugin; messages in Chinese.
pub async fn evaluate(
    plugins: &Plugins,
    tenant: &Tenant,
    plugin_id: &str,
    kind: &str,
    fields: &serde_json::Map<String, serde_json::Value>,
    today: NaiveDate,
) -> Result<Evaluation> {
    let item = ItemToEvaluate {
        kind,
        fields,
        today,
        locale: "zh-CN",
        related: None,
    };
    evaluate_item(plugins, tenant, plugin_id, item).await
}

/// One item for a plugin to validate, derive and state publication rules for.
pub struct ItemToEvaluate<'a> {
    pub kind: &'a str,
    pub fields: &'a serde_json::Map<String, serde_json::Value>,
    pub today: NaiveDate,
    /// The messages' language (BCP 47).
    pub locale: &'a str,
    /// The published items sharing the value of the kind's `related-by` field, for the
    /// plugin's `validate-related`; `None` when the kind has none.
    pub related: Option<Vec<ExportItemInput>>,
}

/// [`evaluate`] with every choice: the messages' language and the related items.
pub async fn evaluate_item(
    plugins: &Plugins,
    tenant: &Tenant,
    plugin_id: &str,
    item: ItemToEvaluate<'_>,
) -> Result<Evaluation> {
    let ItemToEvaluate {
        kind,
        fields,
        today,
        locale,
        related,
    } = item;
    let package = enabled_package(plugins, tenant, plugin_id).await?;
    let plugin = loaded(plugins, &package).await?;
    let fields_json = serde_json::Value::Object(fields.clone()).to_string();
    let ctx = CallContext {
        tenant: tenant.id.clone(),
        today: today.format("%Y-%m-%d").to_string(),
        locale: locale.to_string(),
    };
    let calendar = calendar_for(plugins, tenant).await?;
    let kind_owned = kind.to_string();
    let related: Option<Vec<host::ExportItem>> = related.map(host_items);
    let raw = plugins
        .host
        .run_for(&tenant.id, move |h| {
            h.evaluate_related(
                &plugin,
                calendar,
                &kind_owned,
                &fields_json,
                related.as_deref(),
                &ctx,
            )
        })
        .await??;
    let problems: Vec<PluginProblem> = raw
        .problems
        .into_iter()
        .map(|p| PluginProblem {
            path: p.path,
            severity: match p.severity {
                host::v0_2::wit::Severity::Error => Severity::Error,
                host::v0_2::wit::Severity::Warning => Severity::Warning,
            },
            code: p.code,
            message: p.message,
        })
        .collect();
    Ok(Evaluation {
        plugin_id: package.id,
        plugin_version: package.version,
        sha256: package.sha256,
        kind: kind.to_string(),
        valid: !problems.iter().any(|p| p.severity == Severity::Error),
        problems,
        derived: raw.derived,
        publication_rules: raw.rules.into(),
    })
}

/// An export's result.
#[derive(Debug, Clone)]
pub struct Exported {
    pub plugin_id: String,
    pub plugin_version: String,
    pub media_type: String,
    pub extension: String,
    pub bytes: Vec<u8>,
}

/// Exports items through the tenant's pinned version of the plugin.
pub async fn export(
    plugins: &Plugins,
    tenant: &Tenant,
    package: Package,
    format: &str,
    items: Vec<ExportItemInput>,
) -> Result<Exported> {
    let plugin = loaded(plugins, &package).await?;
    let items = host_items(items);
    let tenant_id = tenant.id.clone();
    let format = format.to_string();
    let out = plugins
        .host
        .run_for(&tenant.id, move |h| {
            h.export(&plugin, &tenant_id, &format, &items)
        })
        .await??;
    Ok(Exported {
        plugin_id: package.id,
        plugin_version: package.version,
        media_type: out.media_type,
        extension: out.extension,
        bytes: out.bytes,
    })
}

/// One part of a streamed export (a format the plugin declares `streamed`) through the
/// tenant's pinned version: the caller hands the items over a batch at a time and
/// sends each piece on.
pub async fn export_part(
    plugins: &Plugins,
    tenant: &Tenant,
    package: &Package,
    format: &str,
    items: Vec<ExportItemInput>,
    part: host::ExportPart,
) -> Result<host::ExportPiece> {
    let plugin = loaded(plugins, package).await?;
    let items = host_items(items);
    let tenant_id = tenant.id.clone();
    let format = format.to_string();
    Ok(plugins
        .host
        .run_for(&tenant.id, move |h| {
            h.export_part(&plugin, &tenant_id, &format, &items, &part)
        })
        .await??)
}

/// Items as the plugin receives them (fields as JSON text).
fn host_items(items: Vec<ExportItemInput>) -> Vec<host::ExportItem> {
    items
        .into_iter()
        .map(|i| host::ExportItem {
            id: i.id,
            kind: i.kind,
            fields: serde_json::Value::Object(i.fields).to_string(),
            published_at: i.published_at,
        })
        .collect()
}

/// Who asks for an action: anyone (only the plugin's public actions) or the tenant's staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caller {
    Public,
    Staff,
}

/// Who runs which action on what, and on which day.
#[derive(Debug, Clone, Copy)]
pub struct ActionCall<'a> {
    pub caller: Caller,
    pub action: &'a str,
    pub input: &'a serde_json::Value,
    pub today: NaiveDate,
}

/// Runs an action of plugin `plugin_id` at `version` (the tenant's pinned one, see
/// [`enabled_package`]) on a JSON input, under the limits of a validation. 404 when the
/// version is not installed or does not declare the action (or, for the public, does
/// not declare it public); 422 when the plugin refuses the input; 502 when it fails.
pub async fn run_action(
    plugins: &Plugins,
    tenant: &Tenant,
    plugin_id: &str,
    version: &str,
    call: ActionCall<'_>,
) -> Result<ActionOutput> {
    let ActionCall {
        caller,
        action,
        input,
        today,
    } = call;
    let package = store::package(&plugins.db, plugin_id, version)
        .await?
        .ok_or_else(|| Error::NotFound(format!("plugin {plugin_id} {version}")))?;
    let declared = package.manifest.action(action);
    if !declared.is_some_and(|a| a.public || caller == Caller::Staff) {
        let which = if caller == Caller::Public {
            "public action"
        } else {
            "action"
        };
        return Err(Error::NotFound(format!(
            "{which} `{action}` of plugin {plugin_id} {version}"
        )));
    }
    let plugin = loaded(plugins, &package).await?;
    let ctx = CallContext {
        tenant: tenant.id.clone(),
        today: today.format("%Y-%m-%d").to_string(),
        locale: "zh-CN".into(),
    };
    let (name, input) = (action.to_string(), input.to_string());
    let out = plugins
        .host
        .run_for(&tenant.id, move |h| h.action(&plugin, &name, &input, &ctx))
        .await??;
    let output = serde_json::from_str(&out).map_err(Error::internal_from)?;
    Ok(ActionOutput {
        plugin_id: package.id,
        plugin_version: package.version,
        sha256: package.sha256,
        action: action.to_string(),
        output,
    })
}

/// Runs `action` of the component `bytes` with no database and no tenant (`gongkai
/// lottery verify`): a host of the default limits, compiled components cached under
/// `cache_dir`. The plugin's answer as JSON, or why it failed.
pub async fn run_action_offline(
    bytes: Vec<u8>,
    action: &str,
    input: &serde_json::Value,
    cache_dir: PathBuf,
    today: NaiveDate,
) -> std::result::Result<serde_json::Value, anyhow::Error> {
    let host = Arc::new(PluginHost::new(Limits::default(), cache_dir)?);
    let sha256 = sha256_hex(&bytes);
    let (name, input) = (action.to_string(), input.to_string());
    let ctx = CallContext {
        tenant: String::new(),
        today: today.format("%Y-%m-%d").to_string(),
        locale: "zh-CN".into(),
    };
    let out = host
        .run(move |h| {
            let prepared = h.prepare(&sha256, &bytes)?;
            let info = h.describe(&prepared)?;
            let plugin = h.insert(prepared, &info.id, &info.version);
            h.action(&plugin, &name, &input, &ctx)
        })
        .await??;
    Ok(serde_json::from_str(&out)?)
}
