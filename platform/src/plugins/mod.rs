//! Plugins: domain modules as sandboxed WebAssembly components (contracts
//! `gongkai:plugin@0.1.0` and `@0.2.0` side by side, sdk/wit/). The host runs them (`host`), the registry keeps
//! installed versions and tenants' settings (`store`, `service`), and `service::evaluate`
//! / `service::export` / `service::run_action` (with the [`Plugins`] handle) are how
//! the rest of the platform calls a tenant's plugin.

pub mod host;
pub mod model;
pub mod routes;
pub mod service;
pub mod store;

pub use host::{HostError, Limits, PluginError, PluginHost, Reason};
pub use model::{Evaluation, Manifest, Package, TenantPlugin};
pub use service::Plugins;
