//! The sandbox plugins run in: one shared wasmtime [`Engine`] (component model,
//! pooling allocator, epoch interruption, fuel), a background thread that ticks the
//! epoch, a pre-instantiated component per plugin version, and a fresh [`Store`] per
//! call with a memory cap, a deadline, fuel and size caps on what goes in and out.
//!
//! Calls here are blocking (CPU-bound, microseconds); [`PluginHost::run`] runs them on
//! tokio's blocking pool behind a semaphore the size of the instance pool, so the async
//! runtime never waits on a plugin and a burst of calls queues instead of failing.
//!
//! Failure handling: a call that traps, times out, runs out of fuel, exceeds its memory
//! or returns something malformed or too large fails with a [`PluginError`] naming the
//! plugin, its version, the export and the reason. Its store and instance are dropped
//! with the call (the pooling allocator resets the slot), so the next call starts
//! clean.

pub mod v0_1;

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, RwLock};
use std::time::Duration;

use chrono::NaiveDate;
use wasmtime::component::{Component, Linker};
use wasmtime::{
    Config, Enabled, Engine, InstanceAllocationStrategy, PoolingAllocationConfig, Store, Trap,
};

use gongkai_rules::calendar::{CalendarError, WorkingDays};
use v0_1::wit;

/// Fuel for calls that need no deterministic bound (instantiation, describe, export):
/// the epoch deadline bounds them.
const UNMETERED: u64 = i64::MAX as u64;

/// Bytes of each pooled linear memory and table kept mapped between calls.
const KEEP_RESIDENT_MEMORY: usize = 4 << 20;
const KEEP_RESIDENT_TABLE: usize = 64 << 10;

/// How often the epoch advances; deadlines are counted in these ticks.
pub const EPOCH_TICK: Duration = Duration::from_millis(10);

/// Limits of every call (configurable, see `kernel::config`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Linear memory a call may grow to (default 32 MiB).
    pub memory_bytes: usize,
    /// Wall-clock deadline of one export call (default 100 ms).
    pub deadline: Duration,
    /// Fuel (≈ wasm instructions) of one validate/derive/publication-rules call: a
    /// bound that is the same on every machine, so an item that is too costly to
    /// validate fails the same way everywhere (default 100 million, about 25 ms here,
    /// well inside the deadline; the plugin benchmark prints both). An air-quality
    /// validation needs about 90 thousand.
    pub fuel: u64,
    /// Largest input (fields JSON, export items) and output (derived JSON, problems,
    /// export bytes, manifest) of a call (default 4 MiB).
    pub max_io_bytes: usize,
    /// Instances alive at once (the pool's size; further calls wait).
    pub pool_instances: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            memory_bytes: 32 << 20,
            deadline: Duration::from_millis(100),
            fuel: 100_000_000,
            max_io_bytes: 4 << 20,
            pool_instances: 64,
        }
    }
}

/// Why a plugin call failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Reason {
    #[error("did not finish within its deadline of {0} ms")]
    Timeout(u64),
    #[error("ran out of fuel (budget {0} instructions)")]
    OutOfFuel(u64),
    #[error("exceeded its memory cap of {0} bytes")]
    MemoryExhausted(usize),
    #[error("trapped: {0}")]
    Trapped(String),
    #[error("returned malformed output: {0}")]
    Malformed(String),
    #[error("returned {size} bytes, more than the {cap} allowed")]
    OutputTooLarge { size: usize, cap: usize },
    #[error("input of {size} bytes is more than the {cap} allowed")]
    InputTooLarge { size: usize, cap: usize },
    #[error("does not know the kind `{0}`")]
    UnknownKind(String),
    #[error("does not know the export format `{0}`")]
    UnknownFormat(String),
    #[error("refused the input: {0}")]
    BadInput(String),
    #[error("reported an internal error: {0}")]
    Internal(String),
    /// The host could not run the plugin (instantiation, engine); not the plugin's fault.
    #[error("could not be run: {0}")]
    Host(String),
}

impl Reason {
    /// The caller's input was at fault (HTTP 422), rather than the plugin (502) or the host (500).
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            Reason::UnknownKind(_)
                | Reason::UnknownFormat(_)
                | Reason::BadInput(_)
                | Reason::InputTooLarge { .. }
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("plugin {plugin} {version}: {call} {reason}")]
pub struct PluginError {
    pub plugin: String,
    pub version: String,
    /// The export that failed (`validate`, `derive`, ...), or `load`.
    pub call: &'static str,
    pub reason: Reason,
}

/// The tenant's working-day calendar as plugins see it.
pub type PluginCalendar = Arc<dyn WorkingDays<Error = CalendarError> + Send + Sync>;

/// Refuses memory growth past the cap and remembers that it did, so a trap that
/// follows (the guest's allocator aborts) is reported as memory exhaustion.
struct Limiter {
    cap: usize,
    denied: bool,
}

impl wasmtime::ResourceLimiter for Limiter {
    fn memory_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        if desired > self.cap {
            self.denied = true;
            return Ok(false);
        }
        Ok(true)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        Ok(desired <= 100_000)
    }
}

/// What a store carries: the call's identity, its calendar and its limiter.
pub struct HostState {
    plugin: String,
    tenant: String,
    calendar: PluginCalendar,
    limiter: Limiter,
    logged: u32,
}

const MAX_LOG_LINES: u32 = 32;
const MAX_LOG_CHARS: usize = 1024;

impl HostState {
    fn write_log(&mut self, level: wit::LogLevel, message: String) {
        self.logged += 1;
        if self.logged > MAX_LOG_LINES {
            return;
        }
        let message: String = message.chars().take(MAX_LOG_CHARS).collect();
        let (plugin, tenant) = (self.plugin.as_str(), self.tenant.as_str());
        match level {
            wit::LogLevel::Trace => tracing::trace!(plugin, tenant, "{message}"),
            wit::LogLevel::Debug => tracing::debug!(plugin, tenant, "{message}"),
            wit::LogLevel::Info => tracing::info!(plugin, tenant, "{message}"),
            wit::LogLevel::Warn => tracing::warn!(plugin, tenant, "{message}"),
            wit::LogLevel::Error => tracing::error!(plugin, tenant, "{message}"),
        }
    }
}

/// A compiled, linked plugin version, ready to instantiate.
#[derive(Clone)]
pub struct LoadedPlugin {
    pub id: String,
    pub version: String,
    pub sha256: String,
    pre: v0_1::PluginPre<HostState>,
}

impl LoadedPlugin {
    fn error(&self, call: &'static str, reason: Reason) -> PluginError {
        PluginError {
            plugin: self.id.clone(),
            version: self.version.clone(),
            call,
            reason,
        }
    }
}

/// Counters, for tests and metrics.
#[derive(Debug, Default)]
pub struct Stats {
    pub compiled: AtomicU64,
    pub cache_hits: AtomicU64,
}

/// Engines are shared by every host in the process with the same pool settings (in
/// production: exactly one). One thread ticks them all.
type Shared = (Engine, Arc<tokio::sync::Semaphore>);

/// The engine and the semaphore guarding its instance pool (shared with it).
fn shared_engine(limits: &Limits) -> Result<Shared, String> {
    static ENGINES: OnceLock<Mutex<HashMap<(usize, u32), Shared>>> = OnceLock::new();
    let engines = ENGINES.get_or_init(|| {
        std::thread::Builder::new()
            .name("plugin-epoch".into())
            .spawn(|| loop {
                std::thread::sleep(EPOCH_TICK);
                let Some(Ok(engines)) = ENGINES.get().map(Mutex::lock) else {
                    continue;
                };
                for (engine, _) in engines.values() {
                    engine.increment_epoch();
                }
            })
            .expect("the epoch thread starts");
        Mutex::new(HashMap::new())
    });
    let mut engines = engines.lock().map_err(|_| "engine registry poisoned")?;
    let key = (limits.memory_bytes, limits.pool_instances);
    if let Some(shared) = engines.get(&key) {
        return Ok(shared.clone());
    }
    let pool = limits.pool_instances.max(1);
    let mut pooling = PoolingAllocationConfig::default();
    pooling
        .total_component_instances(pool)
        .max_core_instances_per_component(16)
        .total_core_instances(pool * 8)
        .max_memories_per_component(2)
        .max_memories_per_module(1)
        .total_memories(pool * 2)
        .max_tables_per_component(8)
        .total_tables(pool * 8)
        // The store's limiter enforces the cap; the slot is a little larger so that
        // the limiter, not the pool, is what says no (and the error says why).
        .max_memory_size(limits.memory_bytes.saturating_add(1 << 20))
        // A slot's dirty pages up to these sizes are reset in place (the kernel's
        // PAGEMAP_SCAN finds them) instead of unmapped with madvise, which costs a
        // TLB flush on every core and a page fault per page on the next call.
        .linear_memory_keep_resident(KEEP_RESIDENT_MEMORY)
        .table_keep_resident(KEEP_RESIDENT_TABLE)
        // Linux ≥ 6.7: reset only the pages a call wrote, not all of the above.
        .pagemap_scan(Enabled::Auto);
    let mut config = Config::new();
    config
        .wasm_component_model(true)
        .epoch_interruption(true)
        .consume_fuel(true)
        .allocation_strategy(InstanceAllocationStrategy::Pooling(pooling));
    let engine = Engine::new(&config).map_err(|e| format!("wasmtime engine: {e:#}"))?;
    let slots = Arc::new(tokio::sync::Semaphore::new(pool as usize));
    engines.insert(key, (engine.clone(), slots.clone()));
    Ok((engine, slots))
}

/// The plugin host: engine, linker, compile cache and loaded plugins.
pub struct PluginHost {
    engine: Engine,
    linker: Linker<HostState>,
    limits: Limits,
    cache_dir: PathBuf,
    fingerprint: String,
    loaded: RwLock<HashMap<String, Arc<LoadedPlugin>>>,
    slots: Arc<tokio::sync::Semaphore>,
    /// Calls running at once for one tenant: one tenant (a looping plugin, a burst)
    /// never takes every core, so other tenants' calls keep theirs.
    per_tenant: Mutex<HashMap<String, Arc<tokio::sync::Semaphore>>>,
    tenant_share: usize,
    pub stats: Stats,
}

/// Raw results of one evaluation, before the service shapes them.
#[derive(Debug, Clone)]
pub struct RawEvaluation {
    pub problems: Vec<wit::Problem>,
    pub derived: serde_json::Map<String, serde_json::Value>,
    pub rules: wit::PublicationRules,
}

pub use wit::{
    Context as CallContext, ExportItem, ExportOutput, PluginInfo, Problem, PublicationRules,
};

impl PluginHost {
    /// A host whose compiled components are cached under `cache_dir`.
    pub fn new(limits: Limits, cache_dir: PathBuf) -> Result<PluginHost, String> {
        let (engine, slots) = shared_engine(&limits)?;
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let mut linker = Linker::new(&engine);
        v0_1::add_to_linker(&mut linker).map_err(|e| format!("plugin linker: {e:#}"))?;
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        engine.precompile_compatibility_hash().hash(&mut hasher);
        let fingerprint = format!("{:016x}", hasher.finish());
        Ok(PluginHost {
            slots,
            per_tenant: Mutex::new(HashMap::new()),
            tenant_share: cores.saturating_sub(1).max(1),
            engine,
            linker,
            limits,
            cache_dir,
            fingerprint,
            loaded: RwLock::new(HashMap::new()),
            stats: Stats::default(),
        })
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Engine fingerprint in cache file names: a different wasmtime or setting misses.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// The plugin with this content hash, if it is loaded.
    pub fn get(&self, sha256: &str) -> Option<Arc<LoadedPlugin>> {
        self.loaded.read().ok()?.get(sha256).cloned()
    }

    /// Compiles (or takes from the disk cache) and links a component, without calling
    /// it. Refuses files that are not components of this contract, with the reason.
    pub fn prepare(&self, sha256: &str, bytes: &[u8]) -> Result<LoadedPlugin, PluginError> {
        let label = LoadedPlugin::label(sha256);
        let fail = |reason: Reason| PluginError {
            plugin: label.clone(),
            version: "?".into(),
            call: "load",
            reason,
        };
        check_header(bytes).map_err(|m| fail(Reason::BadInput(m)))?;
        let component = self
            .component(sha256, bytes)
            .map_err(|m| fail(Reason::BadInput(m)))?;
        let pre = self.linker.instantiate_pre(&component).map_err(|e| {
            fail(Reason::BadInput(format!(
                "it needs an import the host does not offer (plugins may import only {}): {e:#}",
                v0_1::CONTRACT
            )))
        })?;
        let pre = v0_1::PluginPre::new(pre).map_err(|e| {
            fail(Reason::BadInput(format!(
                "it does not export the {} plugin world: {e:#}",
                v0_1::CONTRACT
            )))
        })?;
        Ok(LoadedPlugin {
            id: label.clone(),
            version: "?".into(),
            sha256: sha256.to_string(),
            pre,
        })
    }

    /// Keeps a prepared plugin under its content hash with its described id and version.
    pub fn insert(&self, mut plugin: LoadedPlugin, id: &str, version: &str) -> Arc<LoadedPlugin> {
        plugin.id = id.to_string();
        plugin.version = version.to_string();
        let plugin = Arc::new(plugin);
        if let Ok(mut loaded) = self.loaded.write() {
            loaded.insert(plugin.sha256.clone(), plugin.clone());
        }
        plugin
    }

    fn component(&self, sha256: &str, bytes: &[u8]) -> Result<Component, String> {
        let path = self
            .cache_dir
            .join(format!("{sha256}-{}.cwasm", self.fingerprint));
        if path.is_file() {
            // SAFETY: the file is one this host wrote itself with `Component::serialize`,
            // named by the component's content hash and the engine's compatibility
            // fingerprint, under the server's own data directory.
            match unsafe { Component::deserialize_file(&self.engine, &path) } {
                Ok(component) => {
                    self.stats.cache_hits.fetch_add(1, Ordering::Relaxed);
                    return Ok(component);
                }
                Err(err) => {
                    tracing::warn!(path = %path.display(), error = %err, "dropping unusable compiled plugin");
                    let _ = std::fs::remove_file(&path);
                }
            }
        }
        let component = Component::new(&self.engine, bytes)
            .map_err(|e| format!("not a valid component: {e:#}"))?;
        self.stats.compiled.fetch_add(1, Ordering::Relaxed);
        match component.serialize() {
            Ok(compiled) => {
                if let Err(err) = write_file_atomically(&path, &compiled) {
                    tracing::warn!(path = %path.display(), error = %err, "cannot cache a compiled plugin");
                }
            }
            Err(err) => tracing::warn!(error = %err, "cannot serialise a compiled plugin"),
        }
        Ok(component)
    }

    fn store(
        &self,
        plugin: &LoadedPlugin,
        tenant: &str,
        calendar: PluginCalendar,
    ) -> Store<HostState> {
        let mut store = Store::new(
            &self.engine,
            HostState {
                plugin: plugin.id.clone(),
                tenant: tenant.to_string(),
                calendar,
                limiter: Limiter {
                    cap: self.limits.memory_bytes,
                    denied: false,
                },
                logged: 0,
            },
        );
        store.limiter(|state| &mut state.limiter);
        store.epoch_deadline_trap();
        store
    }

    /// Arms the deadline and fuel for the next export call.
    fn arm(&self, store: &mut Store<HostState>, fuel: u64) -> Result<(), Reason> {
        let ticks = (self.limits.deadline.as_millis() / EPOCH_TICK.as_millis()).max(1) as u64;
        // +1: the current tick is already partly over.
        store.set_epoch_deadline(ticks + 1);
        store
            .set_fuel(fuel)
            .map_err(|e| Reason::Host(e.to_string()))
    }

    fn classify(&self, store: &Store<HostState>, err: wasmtime::Error) -> Reason {
        if store.data().limiter.denied {
            return Reason::MemoryExhausted(self.limits.memory_bytes);
        }
        match err.downcast_ref::<Trap>() {
            Some(Trap::Interrupt) => Reason::Timeout(self.limits.deadline.as_millis() as u64),
            Some(Trap::OutOfFuel) => Reason::OutOfFuel(self.limits.fuel),
            Some(trap) => Reason::Trapped(trap.to_string()),
            None => Reason::Trapped(format!("{err:#}")),
        }
    }

    fn instantiate(
        &self,
        plugin: &LoadedPlugin,
        store: &mut Store<HostState>,
        call: &'static str,
    ) -> Result<v0_1::Plugin, PluginError> {
        self.arm(store, UNMETERED)
            .map_err(|r| plugin.error(call, r))?;
        plugin.pre.instantiate(&mut *store).map_err(|e| {
            let reason = match self.classify(store, e) {
                Reason::Trapped(m) => Reason::Host(format!("instantiation failed: {m}")),
                other => other,
            };
            plugin.error(call, reason)
        })
    }

    /// `describe`, bounded like any call (no fuel limit: it runs once, at install).
    pub fn describe(&self, plugin: &LoadedPlugin) -> Result<PluginInfo, PluginError> {
        let calendar: PluginCalendar = Arc::new(NoCalendar);
        let mut store = self.store(plugin, "", calendar);
        let instance = self.instantiate(plugin, &mut store, "describe")?;
        self.arm(&mut store, UNMETERED)
            .map_err(|r| plugin.error("describe", r))?;
        let info = instance
            .call_describe(&mut store)
            .map_err(|e| plugin.error("describe", self.classify(&store, e)))?;
        let size = info_size(&info);
        self.check_output(plugin, "describe", size)?;
        Ok(info)
    }

    fn check_input(
        &self,
        plugin: &LoadedPlugin,
        call: &'static str,
        size: usize,
    ) -> Result<(), PluginError> {
        let cap = self.limits.max_io_bytes;
        if size > cap {
            return Err(plugin.error(call, Reason::InputTooLarge { size, cap }));
        }
        Ok(())
    }

    fn check_output(
        &self,
        plugin: &LoadedPlugin,
        call: &'static str,
        size: usize,
    ) -> Result<(), PluginError> {
        let cap = self.limits.max_io_bytes;
        if size > cap {
            return Err(plugin.error(call, Reason::OutputTooLarge { size, cap }));
        }
        Ok(())
    }

    /// `validate` alone, in a fresh instance.
    pub fn validate(
        &self,
        plugin: &LoadedPlugin,
        calendar: PluginCalendar,
        kind: &str,
        fields_json: &str,
        ctx: &CallContext,
    ) -> Result<Vec<Problem>, PluginError> {
        self.check_input(plugin, "validate", kind.len() + fields_json.len())?;
        let mut store = self.store(plugin, &ctx.tenant, calendar);
        let instance = self.instantiate(plugin, &mut store, "validate")?;
        self.call_validate(plugin, &instance, &mut store, kind, fields_json, ctx)
    }

    fn call_validate(
        &self,
        plugin: &LoadedPlugin,
        instance: &v0_1::Plugin,
        store: &mut Store<HostState>,
        kind: &str,
        fields_json: &str,
        ctx: &CallContext,
    ) -> Result<Vec<Problem>, PluginError> {
        let call = "validate";
        self.arm(store, self.limits.fuel)
            .map_err(|r| plugin.error(call, r))?;
        let answer = instance
            .call_validate(&mut *store, kind, &fields_json.to_owned(), ctx)
            .map_err(|e| plugin.error(call, self.classify(store, e)))?;
        let problems = answer.map_err(|e| plugin.error(call, own_error(e)))?;
        let size: usize = problems
            .iter()
            .map(|p| p.path.len() + p.code.len() + p.message.len() + 16)
            .sum();
        self.check_output(plugin, call, size)?;
        Ok(problems)
    }

    /// `validate`, `derive` and `publication-rules` of one item, in one fresh instance;
    /// each export call has its own deadline and fuel.
    pub fn evaluate(
        &self,
        plugin: &LoadedPlugin,
        calendar: PluginCalendar,
        kind: &str,
        fields_json: &str,
        ctx: &CallContext,
    ) -> Result<RawEvaluation, PluginError> {
        self.check_input(plugin, "validate", kind.len() + fields_json.len())?;
        let mut store = self.store(plugin, &ctx.tenant, calendar);
        let instance = self.instantiate(plugin, &mut store, "validate")?;
        let problems = self.call_validate(plugin, &instance, &mut store, kind, fields_json, ctx)?;
        // The generated binding takes the `fields-json` alias as `&String`.
        let fields_json = &fields_json.to_owned();

        let call = "derive";
        self.arm(&mut store, self.limits.fuel)
            .map_err(|r| plugin.error(call, r))?;
        let derived = instance
            .call_derive(&mut store, kind, fields_json, ctx)
            .map_err(|e| plugin.error(call, self.classify(&store, e)))?
            .map_err(|e| plugin.error(call, own_error(e)))?;
        self.check_output(plugin, call, derived.len())?;
        let derived = match serde_json::from_str::<serde_json::Value>(&derived) {
            Ok(serde_json::Value::Object(map)) => map,
            Ok(_) => return Err(plugin.error(call, Reason::Malformed("not a JSON object".into()))),
            Err(e) => return Err(plugin.error(call, Reason::Malformed(format!("not JSON: {e}")))),
        };

        let call = "publication-rules";
        self.arm(&mut store, self.limits.fuel)
            .map_err(|r| plugin.error(call, r))?;
        let rules = instance
            .call_publication_rules(&mut store, kind, fields_json, ctx)
            .map_err(|e| plugin.error(call, self.classify(&store, e)))?
            .map_err(|e| plugin.error(call, own_error(e)))?;
        let size: usize = rules.mask.iter().map(String::len).sum::<usize>()
            + rules
                .review_steps
                .iter()
                .map(|s| s.name.zh.len() + s.name.en.len() + s.role.len())
                .sum::<usize>();
        self.check_output(plugin, call, size)?;
        Ok(RawEvaluation {
            problems,
            derived,
            rules,
        })
    }

    /// `export` of many items (deadline, memory and size caps; no fuel limit).
    pub fn export(
        &self,
        plugin: &LoadedPlugin,
        tenant: &str,
        format: &str,
        items: &[ExportItem],
    ) -> Result<ExportOutput, PluginError> {
        let call = "export";
        let size: usize = items
            .iter()
            .map(|i| i.id.len() + i.kind.len() + i.fields.len() + 64)
            .sum();
        self.check_input(plugin, call, size)?;
        let mut store = self.store(plugin, tenant, Arc::new(NoCalendar));
        let instance = self.instantiate(plugin, &mut store, call)?;
        self.arm(&mut store, UNMETERED)
            .map_err(|r| plugin.error(call, r))?;
        let out = instance
            .call_export(&mut store, format, items)
            .map_err(|e| plugin.error(call, self.classify(&store, e)))?
            .map_err(|e| plugin.error(call, own_error(e)))?;
        self.check_output(plugin, call, out.bytes.len())?;
        Ok(out)
    }

    /// Runs a blocking plugin call for a tenant on the blocking pool: it waits (before
    /// its deadline starts) until the tenant has fewer calls running than cores − 1 and
    /// a slot of the engine's pool is free.
    pub async fn run_for<T, F>(self: &Arc<Self>, tenant: &str, f: F) -> Result<T, String>
    where
        F: FnOnce(&PluginHost) -> T + Send + 'static,
        T: Send + 'static,
    {
        let share = {
            let mut map = self
                .per_tenant
                .lock()
                .map_err(|_| "tenant slots poisoned")?;
            if map.len() > 10_000 {
                map.retain(|_, s| s.available_permits() < self.tenant_share);
            }
            map.entry(tenant.to_string())
                .or_insert_with(|| Arc::new(tokio::sync::Semaphore::new(self.tenant_share)))
                .clone()
        };
        let _share = share.acquire_owned().await.map_err(|e| e.to_string())?;
        self.run(f).await
    }

    /// Runs a blocking plugin call on the blocking pool, holding one pool slot.
    pub async fn run<T, F>(self: &Arc<Self>, f: F) -> Result<T, String>
    where
        F: FnOnce(&PluginHost) -> T + Send + 'static,
        T: Send + 'static,
    {
        let permit = self
            .slots
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| e.to_string())?;
        let host = self.clone();
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            f(&host)
        })
        .await
        .map_err(|e| format!("plugin call task: {e}"))
    }
}

impl LoadedPlugin {
    fn label(sha256: &str) -> String {
        format!("sha256:{}", &sha256[..sha256.len().min(12)])
    }
}

/// The calendar of calls that have no tenant (describe, export).
struct NoCalendar;

impl WorkingDays for NoCalendar {
    type Error = CalendarError;
    fn is_working_day(&self, _: NaiveDate) -> Result<bool, CalendarError> {
        Err(CalendarError::NoCalendar)
    }
    fn add_working_days(&self, _: NaiveDate, _: u32) -> Result<NaiveDate, CalendarError> {
        Err(CalendarError::NoCalendar)
    }
    fn shift_working_days(&self, _: NaiveDate, _: i32) -> Result<NaiveDate, CalendarError> {
        Err(CalendarError::NoCalendar)
    }
}

fn own_error(e: wit::PluginError) -> Reason {
    match e {
        wit::PluginError::UnknownKind(k) => Reason::UnknownKind(k),
        wit::PluginError::UnknownFormat(f) => Reason::UnknownFormat(f),
        wit::PluginError::BadInput(m) => Reason::BadInput(m),
        wit::PluginError::Internal(m) => Reason::Internal(m),
    }
}

/// A quick look at the preamble, for a clearer refusal than the parser's.
fn check_header(bytes: &[u8]) -> Result<(), String> {
    if bytes.len() < 8 || &bytes[..4] != b"\0asm" {
        return Err("not a WebAssembly file (no \\0asm preamble)".into());
    }
    match bytes[4..8] {
        [_, _, 1, 0] => Ok(()),
        [1, 0, 0, 0] => Err(
            "a core WebAssembly module, not a component (turn it into one with gongkai-componentize)"
                .into(),
        ),
        _ => Err("an unknown WebAssembly binary version".into()),
    }
}

fn info_size(info: &PluginInfo) -> usize {
    // Every string counts; a rough upper bound is enough for a cap.
    format!("{info:?}").len()
}

pub(crate) fn write_file_atomically(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}
