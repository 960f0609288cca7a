//! Reads for staff: one item, its versions, decisions and findings, the tenant's list
//! and the overdue list across the tenants the caller oversees.

use super::{item_out, load};
use crate::disclosure::model::*;
use crate::disclosure::store;
use crate::disclosure::Disclosure;
use crate::kernel::error::Result;
use crate::tenancy::Tenant;

pub async fn get_item(d: &Disclosure, tenant: &Tenant, id: &str) -> Result<ItemOut> {
    let mut tx = d.db.tenant_read(&tenant.id).await?;
    let item = load(&mut tx, id, false).await?;
    let out = item_out(&mut tx, tenant, item).await?;
    tx.commit().await?;
    Ok(out)
}

pub async fn decisions(d: &Disclosure, tenant: &Tenant, id: &str) -> Result<Vec<DecisionOut>> {
    let mut tx = d.db.tenant_read(&tenant.id).await?;
    load(&mut tx, id, false).await?;
    let out = store::decisions(&mut tx, id).await?;
    tx.commit().await?;
    Ok(out)
}

pub async fn versions(d: &Disclosure, tenant: &Tenant, id: &str) -> Result<Vec<Version>> {
    let mut tx = d.db.tenant_read(&tenant.id).await?;
    load(&mut tx, id, false).await?;
    let out = store::versions(&mut tx, id).await?;
    tx.commit().await?;
    Ok(out)
}

pub async fn findings(d: &Disclosure, tenant: &Tenant, id: &str) -> Result<Vec<FindingOut>> {
    let mut tx = d.db.tenant_read(&tenant.id).await?;
    load(&mut tx, id, false).await?;
    let out = store::findings(&mut tx, id, None).await?;
    tx.commit().await?;
    Ok(out)
}

pub(super) fn summary(tenant: &Tenant, item: ItemRow, title: String) -> ItemSummary {
    ItemSummary {
        tenant: tenant.slug.clone(),
        stage: item.state.stage().as_str().into(),
        validity: item.state.validity.as_str().into(),
        id: item.id,
        node_id: item.node_id,
        kind: item.kind,
        index_number: item.index_number,
        title,
        version: item.version,
        due_on: item.due_on,
        updated_at: item.updated_at,
        published_at: item.published_at,
    }
}

/// The staff list's filters (`None`: any) and page.
pub struct ListFilter {
    pub stage: Option<String>,
    pub node_id: Option<String>,
    pub kind: Option<String>,
    /// Items created by this user (a console's "my drafts" with `stage` draft).
    pub created_by: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

pub async fn list(d: &Disclosure, tenant: &Tenant, f: ListFilter) -> Result<Vec<ItemSummary>> {
    let mut tx = d.db.tenant_read(&tenant.id).await?;
    let rows = store::list_items(
        &mut tx,
        f.stage.as_deref(),
        f.node_id.as_deref(),
        f.kind.as_deref(),
        f.created_by.as_deref(),
        f.limit,
        f.offset,
    )
    .await?;
    tx.commit().await?;
    Ok(rows
        .into_iter()
        .map(|(i, t)| summary(tenant, i, t))
        .collect())
}

/// Overdue items of the tenant and of every descendant the caller may read.
pub async fn overdue(d: &Disclosure, user_id: &str, tenant: &Tenant) -> Result<Vec<ItemSummary>> {
    let today = d.today().to_string();
    let mut scope = vec![tenant.clone()];
    for t in crate::tenancy::store::all(&d.db).await? {
        if t.id == tenant.id || !t.active {
            continue;
        }
        let ancestors = crate::tenancy::store::ancestors(&d.db, &t).await?;
        if ancestors.iter().any(|a| a.id == tenant.id)
            && d.authz
                .allowed(user_id, &t, &ancestors, "items", "read")
                .await
        {
            scope.push(t);
        }
    }
    let mut out = Vec::new();
    for t in scope {
        let mut tx = d.db.tenant_read(&t.id).await?;
        let rows = store::overdue(&mut tx, &today).await?;
        tx.commit().await?;
        out.extend(rows.into_iter().map(|(i, title)| summary(&t, i, title)));
    }
    out.sort_by(|a, b| a.due_on.cmp(&b.due_on));
    Ok(out)
}
