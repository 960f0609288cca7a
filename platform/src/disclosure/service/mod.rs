//! The disclosure rules applied to stored data, one file per part of the work:
//! `catalog` (nodes, review chains, settings, sensitive words), `items` (create, edit,
//! the staff view of an item), `review` (submit and scan, decisions, findings),
//! `publication` (the public rendition, publish, schedule and the other transitions),
//! `reads` (lists and histories) and `inbox` (the review inbox, whose turn a pending
//! step is, the redacted preview). Every change is validated, stored and audited in
//! one tenant transaction.

mod catalog;
mod inbox;
mod items;
mod publication;
mod reads;
mod review;

pub use catalog::*;
pub use inbox::*;
pub use items::*;
pub use publication::*;
pub use reads::*;
pub use review::*;

use super::lifecycle::{apply, Action, ItemState};
use super::model::ItemRow;
use super::store;
use crate::kernel::db::TenantTx;
use crate::kernel::error::{Error, Result};

/// A refused transition: 409 with the item's stage.
fn conflict(message: impl Into<String>, state: &ItemState) -> Error {
    Error::Conflict {
        message: message.into(),
        current_state: Some(state.stage().as_str().to_string()),
    }
}

fn transition(state: ItemState, action: &Action) -> Result<ItemState> {
    apply(state, action).map_err(|e| conflict(e.to_string(), &e.state))
}

/// The item, or 404; `lock` takes its row lock (see [`store::item`]).
async fn load(tx: &mut TenantTx, id: &str, lock: bool) -> Result<ItemRow> {
    store::item(tx, id, lock)
        .await?
        .ok_or_else(|| Error::NotFound("item".into()))
}
