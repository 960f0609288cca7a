//! Contract `gongkai:plugin@0.1.0` (sdk/wit/v0.1.0): the generated bindings and the
//! host's side of its imports. Version 0.2 of the contract gets a `v0_2.rs` beside this
//! file with its own `bindgen!`; the host picks the module by the package version a
//! component imports, and both share the engine, limits and cache.

use wasmtime::component::{HasSelf, Linker};

use super::HostState;

wasmtime::component::bindgen!({
    world: "plugin",
    path: "../sdk/wit/v0.1.0",
});

pub use gongkai::plugin::types as wit;

/// The WIT package this module implements.
pub const CONTRACT: &str = "gongkai:plugin@0.1.0";

impl gongkai::plugin::types::Host for HostState {}

impl gongkai::plugin::working_days::Host for HostState {
    fn add_working_days(&mut self, start: String, n: i32) -> Result<String, String> {
        let start = parse_date(&start)?;
        self.calendar
            .shift_working_days(start, n)
            .map(|d| d.format("%Y-%m-%d").to_string())
            .map_err(|e| e.to_string())
    }

    fn is_working_day(&mut self, day: String) -> Result<bool, String> {
        self.calendar
            .is_working_day(parse_date(&day)?)
            .map_err(|e| e.to_string())
    }
}

impl gongkai::plugin::log::Host for HostState {
    fn log(&mut self, level: wit::LogLevel, message: String) {
        self.write_log(level, message);
    }
}

fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| format!("malformed date `{s}`"))
}

/// Adds this contract's imports (and nothing else) to the linker.
pub fn add_to_linker(linker: &mut Linker<HostState>) -> wasmtime::Result<()> {
    Plugin::add_to_linker::<HostState, HasSelf<HostState>>(linker, |state| state)
}
