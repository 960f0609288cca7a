//! The sandbox plugins run in: one shared wasmtime engine (component model, pooling
//! allocator, epoch interruption, fuel; `engine`), a background thread that ticks the
//! epoch, a pre-instantiated component per plugin version (compiled once, kept on disk:
//! `cache`), and a fresh store per call (`store`) with a memory cap, a deadline, fuel
//! (`limits`) and size caps on what goes in and out (`call`). One `bindgen!` per
//! version of the WIT contract (`v0_1`, `v0_2`, both in one linker); `instance` reads
//! which one a component implements and answers every call in the current types.
//!
//! Calls here are blocking (CPU-bound, microseconds); [`PluginHost::run`] runs them on
//! tokio's blocking pool behind a semaphore the size of the instance pool, so the async
//! runtime never waits on a plugin and a burst of calls queues instead of failing.
//!
//! Failure handling: a call that traps, times out, runs out of fuel, exceeds its memory
//! or returns something malformed or too large fails with a [`PluginError`] naming the
//! plugin, its version, the export and the reason. Its store and instance are dropped
//! with the call (the pooling allocator resets the slot), so the next call starts
//! clean. A fault of the host itself is a [`HostError`].

mod cache;
mod call;
mod engine;
mod error;
mod instance;
mod limits;
mod store;
pub mod v0_1;
pub mod v0_2;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, RwLock};

use chrono::NaiveDate;
use wasmtime::component::Linker;
use wasmtime::Engine;

use gongkai_rules::calendar::{CalendarError, WorkingDays};

pub(crate) use cache::write_file_atomically;
pub use call::{
    CallContext, ExportItem, ExportOutput, ExportPart, ExportPiece, PluginInfo, Problem,
    PublicationRules, RawEvaluation,
};
pub use engine::EPOCH_TICK;
pub use error::{HostError, PluginError, Reason};
pub use instance::Contract;
pub use limits::Limits;
pub use store::HostState;

/// The tenant's working-day calendar as plugins see it.
pub type PluginCalendar = Arc<dyn WorkingDays<Error = CalendarError> + Send + Sync>;

/// A compiled, linked plugin version, ready to instantiate.
#[derive(Clone)]
pub struct LoadedPlugin {
    pub id: String,
    pub version: String,
    pub sha256: String,
    pre: instance::Pre,
}

impl LoadedPlugin {
    /// The contract version the component implements.
    pub fn contract(&self) -> Contract {
        self.pre.contract()
    }

    fn error(&self, call: &'static str, reason: Reason) -> PluginError {
        PluginError {
            plugin: self.id.clone(),
            version: self.version.clone(),
            call,
            reason,
        }
    }

    fn label(sha256: &str) -> String {
        format!("sha256:{}", &sha256[..sha256.len().min(12)])
    }
}

/// Counters, for tests and metrics.
#[derive(Debug, Default)]
pub struct Stats {
    pub compiled: AtomicU64,
    pub cache_hits: AtomicU64,
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

impl PluginHost {
    /// A host whose compiled components are cached under `cache_dir`.
    pub fn new(limits: Limits, cache_dir: PathBuf) -> Result<PluginHost, HostError> {
        let (engine, slots) = engine::shared_engine(&limits)?;
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let mut linker = Linker::new(&engine);
        v0_1::add_to_linker(&mut linker).map_err(HostError::Linker)?;
        v0_2::add_to_linker(&mut linker).map_err(HostError::Linker)?;
        Ok(PluginHost {
            slots,
            per_tenant: Mutex::new(HashMap::new()),
            tenant_share: cores.saturating_sub(1).max(1),
            fingerprint: cache::fingerprint(&engine),
            engine,
            linker,
            limits,
            cache_dir,
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
        check_header(bytes).map_err(fail)?;
        let component = self.component(sha256, bytes).map_err(fail)?;
        let contract =
            Contract::of(&self.engine, &component).map_err(|m| fail(Reason::BadInput(m)))?;
        let pre = self.linker.instantiate_pre(&component).map_err(|e| {
            fail(Reason::BadInput(format!(
                "it needs an import the host does not offer (plugins may import only {}): {e:#}",
                contract.package()
            )))
        })?;
        let world = |e: wasmtime::Error| {
            fail(Reason::BadInput(format!(
                "it does not export the {} plugin world: {e:#}",
                contract.package()
            )))
        };
        let pre = match contract {
            Contract::V0_1 => instance::Pre::V0_1(v0_1::PluginPre::new(pre).map_err(world)?),
            Contract::V0_2 => instance::Pre::V0_2(v0_2::PluginPre::new(pre).map_err(world)?),
        };
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

    /// Runs a blocking plugin call for a tenant on the blocking pool: it waits (before
    /// its deadline starts) until the tenant has fewer calls running than cores − 1 and
    /// a slot of the engine's pool is free.
    pub async fn run_for<T, F>(self: &Arc<Self>, tenant: &str, f: F) -> Result<T, HostError>
    where
        F: FnOnce(&PluginHost) -> T + Send + 'static,
        T: Send + 'static,
    {
        let share = {
            let mut map = self
                .per_tenant
                .lock()
                .map_err(|_| HostError::Poisoned("tenant slots"))?;
            if map.len() > 10_000 {
                map.retain(|_, s| s.available_permits() < self.tenant_share);
            }
            map.entry(tenant.to_string())
                .or_insert_with(|| Arc::new(tokio::sync::Semaphore::new(self.tenant_share)))
                .clone()
        };
        let _share = share.acquire_owned().await?;
        self.run(f).await
    }

    /// Runs a blocking plugin call on the blocking pool, holding one pool slot.
    pub async fn run<T, F>(self: &Arc<Self>, f: F) -> Result<T, HostError>
    where
        F: FnOnce(&PluginHost) -> T + Send + 'static,
        T: Send + 'static,
    {
        let permit = self.slots.clone().acquire_owned().await?;
        let host = self.clone();
        let answer = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            f(&host)
        })
        .await?;
        Ok(answer)
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

/// A quick look at the preamble, for a clearer refusal than the parser's.
fn check_header(bytes: &[u8]) -> Result<(), Reason> {
    let refuse = |m: &str| Err(Reason::BadInput(m.into()));
    if bytes.len() < 8 || &bytes[..4] != b"\0asm" {
        return refuse("not a WebAssembly file (no \\0asm preamble)");
    }
    match bytes[4..8] {
        [_, _, 1, 0] => Ok(()),
        [1, 0, 0, 0] => refuse(
            "a core WebAssembly module, not a component (turn it into one with gongkai-componentize)",
        ),
        _ => refuse("an unknown WebAssembly binary version"),
    }
}
