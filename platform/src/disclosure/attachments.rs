//! Attachments of items. Storage through `object_store` is not built yet: items have no
//! attachments, and the scan has no attachment text to read.

use crate::app::AppState;
use crate::kernel::error::Result;
use crate::tenancy::Tenant;

/// (attachment id, text) of the item's text-like attachments, for the scan.
pub async fn texts_for_scan(
    _state: &AppState,
    _tenant: &Tenant,
    _item_id: &str,
) -> Result<Vec<(String, String)>> {
    Ok(Vec::new())
}
