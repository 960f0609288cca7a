//! Full-text search (issue 17, docs/adr/0014): the public search of an agency and of its
//! children, the staff search of one tenant, the index that follows publication, and the
//! rebuild of the index (`gongkai search reindex`).
//!
//! The pure rules (folding, segmentation, document numbers, query and index forms,
//! snippets) are in the `gongkai_search` crate (`platform/search`). Here: `index` (what a
//! published item puts in the index, written in the transaction that changes the item,
//! a few hundred rows per statement when many are written), `service` (the queries over
//! both backends, facets, snippets), `routes` (the API) and `page` (what the portal's
//! search page and the console's share).

pub mod index;
pub mod page;
pub mod routes;
pub mod service;

use crate::disclosure::Disclosure;
use crate::kernel::error::Result;
use crate::tenancy::Tenant;

/// Rebuilds one tenant's index from its published items in one transaction; `progress`
/// is told of each item indexed. Returns how many were indexed.
pub async fn reindex_tenant(
    d: &Disclosure,
    tenant: &Tenant,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<u64> {
    let mut tx = d.db.tenant(&tenant.id).await?;
    index::clear(&mut tx).await?;
    let ids = index::published_ids(&mut tx).await?;
    let total = ids.len() as u64;
    let mut batch = Vec::new();
    for (n, id) in ids.iter().enumerate() {
        batch.extend(index::entry(&mut tx, &tenant.name_zh, id).await?);
        if batch.len() == 250 || n + 1 == ids.len() {
            index::insert(&mut tx, &batch).await?;
            batch.clear();
        }
        progress(n as u64 + 1, total);
    }
    tx.commit().await?;
    Ok(total)
}
