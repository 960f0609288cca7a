//! A fresh wasmtime [`Store`] per call: what it carries (the call's identity, the
//! tenant's calendar, the memory limiter, a log budget), arming its deadline and fuel,
//! and telling a trap apart from a timeout, running out of fuel or of memory.

use wasmtime::{Store, Trap};

use super::engine::EPOCH_TICK;
use super::error::{PluginError, Reason};
use super::limits::{Limiter, UNMETERED};
use super::v0_1::{self, wit};
use super::{LoadedPlugin, PluginCalendar, PluginHost};

const MAX_LOG_LINES: u32 = 32;
const MAX_LOG_CHARS: usize = 1024;

/// What a store carries: the call's identity, its calendar and its limiter.
pub struct HostState {
    plugin: String,
    tenant: String,
    pub(super) calendar: PluginCalendar,
    limiter: Limiter,
    logged: u32,
}

impl HostState {
    pub(super) fn write_log(&mut self, level: wit::LogLevel, message: String) {
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

impl PluginHost {
    pub(super) fn store(
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
    pub(super) fn arm(&self, store: &mut Store<HostState>, fuel: u64) -> Result<(), Reason> {
        let ticks = (self.limits.deadline.as_millis() / EPOCH_TICK.as_millis()).max(1) as u64;
        // +1: the current tick is already partly over.
        store.set_epoch_deadline(ticks + 1);
        store
            .set_fuel(fuel)
            .map_err(|e| Reason::Host(format!("cannot set fuel: {e:#}")))
    }

    pub(super) fn classify(&self, store: &Store<HostState>, err: wasmtime::Error) -> Reason {
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

    pub(super) fn instantiate(
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
}
