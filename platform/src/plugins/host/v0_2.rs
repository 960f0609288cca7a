//! Contract `gongkai:plugin@0.2.0` (sdk/wit/v0.2.0): the generated bindings and the
//! host's side of its imports. 0.2 adds the `action` export, the actions a plugin
//! declares and sealed fields on item kinds. Its types are the host's current ones:
//! calls through 0.1 plugins convert to them (`v0_1`).

use wasmtime::component::{HasSelf, Linker};

use super::HostState;

wasmtime::component::bindgen!({
    world: "plugin",
    path: "../sdk/wit/v0.2.0",
});

pub use gongkai::plugin::types as wit;

/// The WIT package this module implements.
pub const CONTRACT: &str = "gongkai:plugin@0.2.0";

impl gongkai::plugin::types::Host for HostState {}

impl gongkai::plugin::working_days::Host for HostState {
    fn add_working_days(&mut self, start: String, n: i32) -> Result<String, String> {
        self.shift_days(&start, n)
    }

    fn is_working_day(&mut self, day: String) -> Result<bool, String> {
        self.working_day(&day)
    }
}

impl gongkai::plugin::log::Host for HostState {
    fn log(&mut self, level: wit::LogLevel, message: String) {
        use wit::LogLevel as L;
        let level = match level {
            L::Trace => tracing::Level::TRACE,
            L::Debug => tracing::Level::DEBUG,
            L::Info => tracing::Level::INFO,
            L::Warn => tracing::Level::WARN,
            L::Error => tracing::Level::ERROR,
        };
        self.write_log(level, message);
    }
}

/// Adds this contract's imports (and nothing else) to the linker.
pub fn add_to_linker(linker: &mut Linker<HostState>) -> wasmtime::Result<()> {
    Plugin::add_to_linker::<HostState, HasSelf<HostState>>(linker, |state| state)
}
