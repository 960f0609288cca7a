//! What one call may use: memory, time, fuel and the size of what goes in and out.

use std::time::Duration;

use crate::kernel::config::Config;

/// Fuel for calls that need no deterministic bound (instantiation, describe, export):
/// the epoch deadline bounds them.
pub(super) const UNMETERED: u64 = i64::MAX as u64;

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
    /// Fuel of one `action` call (contract 0.2; default 400 million): a class lottery
    /// of 2,000 students needs about 105 million (JSON in and out included), a
    /// validation's budget is too tight for it; the deadline still bounds the call.
    pub action_fuel: u64,
    /// Largest input (fields JSON, export items) and output (derived JSON, problems,
    /// export bytes, manifest) of a call (default 4 MiB).
    pub max_io_bytes: usize,
    /// Instances alive at once (the pool's size; further calls wait).
    pub pool_instances: u32,
}

impl Limits {
    /// The limits the configuration sets (`plugin_*`, plain numbers there).
    pub fn from_config(config: &Config) -> Limits {
        Limits {
            memory_bytes: config.plugin_memory_mib << 20,
            deadline: Duration::from_millis(config.plugin_deadline_ms),
            fuel: config.plugin_fuel,
            action_fuel: config.plugin_action_fuel,
            max_io_bytes: config.plugin_max_io_bytes,
            pool_instances: config.plugin_pool_instances,
        }
    }
}

impl Default for Limits {
    /// The configuration's defaults: they are written down once, there.
    fn default() -> Self {
        Limits::from_config(&Config::default())
    }
}

/// Refuses memory growth past the cap and remembers that it did, so a trap that
/// follows (the guest's allocator aborts) is reported as memory exhaustion.
pub(super) struct Limiter {
    pub(super) cap: usize,
    pub(super) denied: bool,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_the_documented_ones() {
        let limits = Limits::default();
        assert_eq!(limits.memory_bytes, 32 << 20);
        assert_eq!(limits.deadline, Duration::from_millis(100));
        assert_eq!(limits.fuel, 100_000_000);
        assert_eq!(limits.action_fuel, 400_000_000);
        assert_eq!(limits.max_io_bytes, 4 << 20);
        assert_eq!(limits.pool_instances, 64);
    }
}
