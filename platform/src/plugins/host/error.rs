//! How plugin calls fail: a [`PluginError`] when a plugin (or the input it was given)
//! is at fault, a [`HostError`] when the host itself could not run the call.
//! `plugins::service` maps both to the API's error, in one place.

/// Why a plugin call failed. A value (compared in tests, shown in the API's answer),
/// so wasmtime's causes are kept as their text, chain included.
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
    #[error("does not know the action `{0}`")]
    UnknownAction(String),
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
                | Reason::UnknownAction(_)
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
    /// The export that failed (`validate`, `derive`, `action`, ...), or `load`.
    pub call: &'static str,
    pub reason: Reason,
}

/// The host could not start or schedule a call: never the plugin's or the caller's fault.
#[derive(Debug, thiserror::Error)]
pub enum HostError {
    #[error("cannot create the wasmtime engine")]
    Engine(#[source] wasmtime::Error),
    #[error("cannot link the imports of the plugin contract")]
    Linker(#[source] wasmtime::Error),
    #[error("the {0} lock is poisoned")]
    Poisoned(&'static str),
    #[error("the plugin call slots are closed")]
    SlotsClosed(#[from] tokio::sync::AcquireError),
    #[error("the plugin call task failed")]
    Task(#[from] tokio::task::JoinError),
}
