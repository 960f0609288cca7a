//! Scheduled publication: a background job publishes approved items whose time has come.
//!
//! Tenant tables are behind row-level security, so the job walks the active tenants and
//! looks at each one's scheduled items in its own tenant transaction. On PostgreSQL the
//! rows are taken `FOR UPDATE SKIP LOCKED`, so several replicas can run the job at once
//! and each item is published by exactly one of them; a replica that loses the race sees
//! the item no longer scheduled. On SQLite one process runs it (the write transaction
//! serialises everything anyway).

use std::time::Duration;

use super::Disclosure;
use crate::kernel::actor::Actor;
use crate::kernel::error::Result;

/// How often the job looks for due items.
pub const INTERVAL: Duration = Duration::from_secs(5);

/// Starts the job (called once from `AppState::spawn_background`).
pub fn spawn(d: Disclosure) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(INTERVAL);
        loop {
            tick.tick().await;
            if let Err(err) = run_due(&d).await {
                tracing::warn!(error = %err, "scheduled publication failed");
            }
        }
    });
}

/// Publishes every scheduled item whose time has come; returns how many.
pub async fn run_due(d: &Disclosure) -> Result<usize> {
    let now = d.now_text();
    let mut published = 0;
    for tenant in crate::tenancy::store::all(&d.db).await? {
        if !tenant.active || tenant.is_platform() {
            continue;
        }
        let mut tx = d.db.tenant(&tenant.id).await?;
        let due = super::store::due_scheduled(&mut tx, &now).await?;
        for id in &due {
            match super::service::publish_in(&mut tx, &d.clock, &Actor::system(), id).await {
                Ok(_) => published += 1,
                // Refused (e.g. a finding reopened): left scheduled, reported.
                Err(err) => {
                    tracing::warn!(item = %id, error = %err, "scheduled item not published")
                }
            }
        }
        tx.commit().await?;
        for id in &due {
            d.public_items.forget(&tenant.id, id);
        }
    }
    Ok(published)
}
