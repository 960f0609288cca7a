//! A request's timeline: its events, in order.

use serde_json::Value;
use sqlx::FromRow;

use super::decode;
use crate::kernel::db::TenantTx;
use crate::kernel::error::{Error, Result};
use crate::requests::model::TimelineEntry;

#[derive(Debug, Clone)]
pub struct EventRow {
    pub seq: i64,
    pub kind: String,
    pub on: String,
    pub at: String,
    pub details: Value,
}

impl EventRow {
    pub fn view(&self) -> TimelineEntry {
        TimelineEntry {
            seq: self.seq,
            kind: self.kind.clone(),
            on: self.on.clone(),
            at: self.at.clone(),
            details: self.details.clone(),
        }
    }
}

pub(super) const EVENT_COLUMNS: &str = "request_id, seq, kind, on_date, at, details";

/// An event as stored: the details are JSON text.
#[derive(FromRow)]
pub(super) struct EventColumns {
    pub(super) request_id: String,
    seq: i64,
    kind: String,
    on_date: String,
    at: String,
    details: String,
}

impl TryFrom<EventColumns> for EventRow {
    type Error = Error;

    fn try_from(e: EventColumns) -> Result<EventRow> {
        Ok(EventRow {
            seq: e.seq,
            kind: e.kind,
            on: e.on_date,
            at: e.at,
            details: serde_json::from_str(&e.details)
                .map_err(|err| Error::internal_cause("stored event details", err))?,
        })
    }
}

pub async fn events(tx: &mut TenantTx, request_id: &str) -> Result<Vec<EventRow>> {
    let rows = tx
        .query(&format!(
            "SELECT {EVENT_COLUMNS} FROM request_events WHERE tenant_id = $1 AND request_id = $2 ORDER BY seq"
        ))
        .bind(request_id.to_string())
        .fetch_all(tx.conn())
        .await?;
    decode::<EventColumns>(&rows)?
        .into_iter()
        .map(EventRow::try_from)
        .collect()
}

/// One event of a request's timeline, to append.
pub struct NewEvent<'a> {
    pub request_id: &'a str,
    pub seq: i64,
    pub kind: &'a str,
    pub on: &'a str,
    pub at: &'a str,
    pub actor: &'a str,
    pub details: &'a Value,
}

pub async fn add_event(tx: &mut TenantTx, e: NewEvent<'_>) -> Result<()> {
    tx.query(
        "INSERT INTO request_events (tenant_id, request_id, seq, kind, on_date, at, actor, details) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(e.request_id.to_string())
    .bind(e.seq)
    .bind(e.kind.to_string())
    .bind(e.on.to_string())
    .bind(e.at.to_string())
    .bind(e.actor.to_string())
    .bind(e.details.to_string())
    .execute(tx.conn())
    .await?;
    Ok(())
}
