//! The disclosure tables. Every query goes through a `TenantTx` (tenant id bound as `$1`);
//! rows are decoded by `FromRow` records (one per row shape, `decode`), converted into
//! the domain types where the stored form differs.

mod attachments;
mod catalog;
mod items;
mod review;

pub use attachments::*;
pub use catalog::*;
pub use items::*;
pub use review::*;

use sqlx::any::AnyRow;
use sqlx::FromRow;

/// Decodes a row into `T`: a `FromRow` record, or a tuple for one or two columns
/// (`(i64,)` for a count). For `Query::try_map`.
pub(super) fn decode<T: for<'r> FromRow<'r, AnyRow>>(row: AnyRow) -> sqlx::Result<T> {
    T::from_row(&row)
}
