//! The report due: from 1 January every agency owes its report of the year before by
//! 31 January, and a government its summary by 31 March (DOMAIN.md §4). Until the
//! report's item is published, the staff who read reports see it on their dashboard,
//! marked overdue after the due day.

use chrono::{Datelike, NaiveDate};

use super::store;
use super::Reports;
use crate::kernel::error::Result;
use crate::tenancy::{Tenant, TenantKind};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    /// The year reported on (last year).
    pub year: i32,
    pub due_on: NaiveDate,
    /// `none` (not drafted), `draft`, `submitted` (its item not yet published).
    pub status: String,
    pub overdue: bool,
}

/// The day the report of `year` is due for a tenant of `kind`.
pub fn due_on(kind: TenantKind, year: i32) -> NaiveDate {
    let (month, day) = match kind {
        TenantKind::Government => (3, 31),
        _ => (1, 31),
    };
    NaiveDate::from_ymd_opt(year + 1, month, day).expect("a real day")
}

/// The reminder of last year's report, or `None` once its item is published.
pub async fn due(reports: &Reports, tenant: &Tenant) -> Result<Option<Reminder>> {
    let today = reports.clock.today();
    let year = today.year() - 1;
    let mut tx = reports.db.tenant_read(&tenant.id).await?;
    let report = store::get(&mut tx, year, false).await?;
    let published = match report.as_ref().and_then(|r| r.item_id.as_deref()) {
        Some(item) => crate::disclosure::store::item(&mut tx, item, false)
            .await?
            .is_some_and(|i| i.first_published_at.is_some()),
        None => false,
    };
    tx.commit().await?;
    if published {
        return Ok(None);
    }
    let due_on = due_on(tenant.kind, year);
    Ok(Some(Reminder {
        year,
        due_on,
        status: report.map_or("none".into(), |r| r.status),
        overdue: today > due_on,
    }))
}
