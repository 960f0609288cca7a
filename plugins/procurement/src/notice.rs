//! One published notice with what the sequence checks and the exports read
//! from it.

use crate::kinds::*;
use gongkai_plugin_sdk::{Date, DateTime, ExportItem, Fields, PluginError};

#[derive(Debug, Clone)]
pub struct Notice {
    /// The host's item id.
    pub id: String,
    /// One of [`crate::kinds::ALL`].
    pub kind: &'static str,
    pub fields: Fields,
    /// RFC 3339, when the host published it.
    pub published_at: Option<String>,
}

impl Notice {
    pub fn new(id: &str, kind: &str, fields: Fields, published_at: Option<&str>) -> Option<Notice> {
        let kind = ALL.into_iter().find(|k| *k == kind)?;
        Some(Notice {
            id: id.into(),
            kind,
            fields,
            published_at: published_at.map(String::from),
        })
    }

    pub fn from_export(item: &ExportItem) -> Result<Notice, PluginError> {
        Notice::new(
            &item.id,
            &item.kind,
            item.fields.clone(),
            item.published_at.as_deref(),
        )
        .ok_or_else(|| {
            PluginError::BadInput(format!("item {} has unknown kind {}", item.id, item.kind))
        })
    }

    pub fn text(&self, key: &str) -> Option<&str> {
        self.fields
            .text(key)
            .ok()
            .flatten()
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }

    pub fn date(&self, key: &str) -> Option<Date> {
        self.fields.date(key).ok().flatten()
    }

    pub fn datetime(&self, key: &str) -> Option<DateTime> {
        self.fields.datetime(key).ok().flatten()
    }

    pub fn project_number(&self) -> &str {
        self.text("project_number").unwrap_or("")
    }

    /// The day it was published (the host's word), if it was, in China.
    pub fn published_on(&self) -> Option<Date> {
        self.published_at.as_deref().and_then(china_date)
    }

    /// The date the notice itself stands for: when it was decided, signed,
    /// issued or accepted. An intention has none: its date is its publication.
    pub fn own_date(&self) -> Option<Date> {
        match self.kind {
            INTENTION => None,
            TENDER => self.datetime("documents_from").map(|t| t.date),
            AWARD => self.date("decision_date"),
            CONTRACT => self.date("signing_date"),
            ACCEPTANCE => self.date("acceptance_date"),
            _ => self.date("notice_date"),
        }
    }

    /// The date that orders notices of one procurement: publication, else
    /// the notice's own date; an unpublished intention comes first.
    pub fn order_date(&self) -> Option<Date> {
        self.published_on().or_else(|| self.own_date())
    }

    /// The rank of the kind in a procurement's life, breaking ties of dates.
    pub fn rank(&self) -> usize {
        ALL.iter()
            .position(|k| *k == self.kind)
            .unwrap_or(usize::MAX)
    }
}

/// The date in China (UTC+8) of an RFC 3339 time: "2026-03-02T17:00:00Z" is
/// 3 March there. A time without an offset is taken as China time.
pub fn china_date(rfc3339: &str) -> Option<Date> {
    let date = Date::parse(rfc3339.get(..10)?)?;
    let number = |r: std::ops::Range<usize>| rfc3339.get(r)?.parse::<i64>().ok();
    let minutes = number(11..13)? * 60 + number(14..16)?;
    let tail = rfc3339.get(16..)?;
    let offset = if tail.ends_with(['Z', 'z']) {
        0
    } else if let Some(i) = tail.rfind(['+', '-']) {
        let o = &tail[i..];
        let sign = if o.starts_with('-') { -1 } else { 1 };
        let hours: i64 = o.get(1..3)?.parse().ok()?;
        let mins: i64 = o.get(4..6)?.parse().ok()?;
        sign * (hours * 60 + mins)
    } else {
        8 * 60
    };
    date.add_days((minutes - offset + 8 * 60).div_euclid(24 * 60))
}

/// The notices in the order they happened.
pub fn in_order<'a>(notices: impl IntoIterator<Item = &'a Notice>) -> Vec<&'a Notice> {
    let mut v: Vec<&Notice> = notices.into_iter().collect();
    v.sort_by_key(|n| (n.order_date(), n.rank()));
    v
}
