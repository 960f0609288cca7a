//! Tenancy: the tree of agencies that share the platform. The platform itself is the
//! root tenant; a city government, its departments, a county and its towns hang below.

pub mod directory;
pub mod model;
pub mod routes;
pub mod service;
pub mod store;

pub use directory::TenantDirectory;
pub use model::{Tenant, TenantKind, PLATFORM_TENANT_ID};
