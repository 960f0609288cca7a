//! Sealed openings (开标 with 三方密钥, issue 15): bids whose sealed fields and documents
//! are encrypted the moment they arrive, under a fresh key per part that is split into one
//! share per named key holder, and that open only after the opening time once `k` of the
//! `n` holders have contributed their shares. The cryptography is `gongkai_seal`'s; this
//! module stores what it makes, keeps the clock, and writes the ceremony to the audit
//! chain. See docs/adr/0012.
//!
//! Which fields and document slots are sealed, and until which field's time, a plugin kind
//! declares (contract 0.2 `sealed`); bids are checked by that plugin like items are.

pub mod model;
pub mod routes;
pub mod service;
pub mod store;

use std::sync::Arc;

use crate::kernel::clock::Clock;
use crate::kernel::config::Config;
use crate::kernel::db::Db;
use crate::plugins::Plugins;

/// What the sealing services use. Cloning shares everything.
#[derive(Clone)]
pub struct Sealing {
    pub db: Db,
    /// Deadlines and opening times are judged by it.
    pub clock: Clock,
    /// Where sealed documents' ciphertext is stored (the attachments' object store).
    pub config: Arc<Config>,
    /// The bid kind's declaration and its field checks.
    pub plugins: Plugins,
}
