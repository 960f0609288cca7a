//! A fresh wasmtime [`Store`] per call: what it carries (the call's identity, the
//! tenant's calendar, the memory limiter, a log budget), arming its deadline and fuel,
//! and telling a trap apart from a timeout, running out of fuel or of memory.

use wasmtime::{Store, Trap};

use super::engine::EPOCH_TICK;
use super::error::{PluginError, Reason};
use super::instance::Instance;
use super::limits::{Limiter, UNMETERED};
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
    /// The fuel the current call was given (validations and actions differ).
    fuel_budget: u64,
}

impl HostState {
    /// The `log` import of every contract version.
    pub(super) fn write_log(&mut self, level: tracing::Level, message: String) {
        self.logged += 1;
        if self.logged > MAX_LOG_LINES {
            return;
        }
        let message: String = message.chars().take(MAX_LOG_CHARS).collect();
        let (plugin, tenant) = (self.plugin.as_str(), self.tenant.as_str());
        match level {
            tracing::Level::TRACE => tracing::trace!(plugin, tenant, "{message}"),
            tracing::Level::DEBUG => tracing::debug!(plugin, tenant, "{message}"),
            tracing::Level::INFO => tracing::info!(plugin, tenant, "{message}"),
            tracing::Level::WARN => tracing::warn!(plugin, tenant, "{message}"),
            _ => tracing::error!(plugin, tenant, "{message}"),
        }
    }

    /// The `working-days.add-working-days` import of every contract version.
    pub(super) fn shift_days(&self, start: &str, n: i32) -> Result<String, String> {
        self.calendar
            .shift_working_days(parse_date(start)?, n)
            .map(|d| d.format("%Y-%m-%d").to_string())
            .map_err(|e| e.to_string())
    }

    /// The `working-days.is-working-day` import of every contract version.
    pub(super) fn working_day(&self, day: &str) -> Result<bool, String> {
        self.calendar
            .is_working_day(parse_date(day)?)
            .map_err(|e| e.to_string())
    }
}

fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| format!("malformed date `{s}`"))
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
                fuel_budget: 0,
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
        store.data_mut().fuel_budget = fuel;
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
            Some(Trap::OutOfFuel) => Reason::OutOfFuel(store.data().fuel_budget),
            Some(trap) => Reason::Trapped(trap.to_string()),
            None => Reason::Trapped(format!("{err:#}")),
        }
    }

    pub(super) fn instantiate(
        &self,
        plugin: &LoadedPlugin,
        store: &mut Store<HostState>,
        call: &'static str,
    ) -> Result<Instance, PluginError> {
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
