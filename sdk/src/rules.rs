//! Publication rules.

use crate::{Date, Localized};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewStep {
    pub name: Localized,
    /// Role id that signs the step off.
    pub role: String,
}

/// Publish within `working_days` working days of `from` (0 = on `from`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline {
    pub from: Date,
    pub working_days: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PublicationRules {
    pub review_steps: Vec<ReviewStep>,
    pub publish_by: Option<Deadline>,
    /// Field paths masked on the public rendition.
    pub mask: Vec<String>,
    /// Embargo: not published before this date.
    pub not_before: Option<Date>,
}

impl PublicationRules {
    pub fn new() -> PublicationRules {
        PublicationRules::default()
    }
    pub fn review_step(mut self, zh: &str, en: &str, role: &str) -> PublicationRules {
        self.review_steps.push(ReviewStep {
            name: Localized::new(zh, en),
            role: role.into(),
        });
        self
    }
    pub fn publish_within(mut self, working_days: u32, from: Date) -> PublicationRules {
        self.publish_by = Some(Deadline { from, working_days });
        self
    }
    pub fn mask(mut self, path: &str) -> PublicationRules {
        self.mask.push(path.into());
        self
    }
    pub fn not_before(mut self, date: Date) -> PublicationRules {
        self.not_before = Some(date);
        self
    }
}
