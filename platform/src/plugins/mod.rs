//! Plugins: domain modules as sandboxed WebAssembly components (contract
//! `gongkai:plugin@0.1.0`, sdk/wit/). The host runs them (`host`), the registry keeps
//! installed versions and tenants' settings (`store`, `service`), and `service::evaluate`
//! / `service::export` (with the [`Plugins`] handle) are how the rest of the platform
//! calls a tenant's plugin.

pub mod host;
pub mod model;
pub mod routes;
pub mod service;
pub mod store;

pub use host::{HostError, Limits, PluginError, PluginHost, Reason};
pub use model::{Evaluation, Manifest, Package, TenantPlugin};
pub use service::Plugins;
