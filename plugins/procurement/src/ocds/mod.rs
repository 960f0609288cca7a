//! Open Contracting Data Standard 1.1 (schema 1.1.5): one release per notice,
//! release packages, and records that compile the releases of one
//! procurement. The mapping is tabulated in README.md.
//!
//! Exports read the public rendition only: ID numbers of natural persons,
//! bidders' prices, the review panel and the delay reasons are never
//! exported.

mod compile;
mod release;

pub use compile::compile;
pub use release::{release, release_date, tag};

use crate::notice::{in_order, Notice};
use crate::sequence;
use gongkai_plugin_sdk::serde_json::{self, json, Map, Value};
use gongkai_plugin_sdk::{log, ExportOutput, ExportPart, ExportPiece, LogLevel, PluginError};
use std::collections::BTreeMap;

pub const MEDIA_TYPE: &str = "application/json";
pub const VERSION: &str = "1.1";
pub const CURRENCY: &str = "CNY";
/// The org-id scheme written for unified social credit codes.
pub const CREDIT_CODE_SCHEME: &str = "CN-USCC";

/// What the publisher decides: the registered ocid prefix ("ocds-" + 6
/// characters), where the package lives, and who publishes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub ocid_prefix: String,
    pub uri: String,
    /// The publishing organisation; the first notice's buyer when `None`.
    pub publisher: Option<String>,
    pub license: Option<String>,
}

/// Until the host passes the tenant's prefix (see README), the build sets it:
/// `GONGKAI_OCID_PREFIX=ocds-abc123 scripts/build-plugins`.
pub const DEFAULT_OCID_PREFIX: &str = match option_env!("GONGKAI_OCID_PREFIX") {
    Some(p) => p,
    None => "ocds-000000",
};

impl Default for Config {
    fn default() -> Config {
        Config {
            ocid_prefix: DEFAULT_OCID_PREFIX.into(),
            uri: "urn:gongkai:procurement:ocds".into(),
            publisher: None,
            license: None,
        }
    }
}

impl Config {
    pub fn ocid(&self, project_number: &str) -> String {
        format!("{}-{}", self.ocid_prefix, project_number.trim())
    }
}

/// The notices of each procurement (by project number), in the order they happened.
pub fn by_project(notices: &[Notice]) -> BTreeMap<&str, Vec<&Notice>> {
    let mut m: BTreeMap<&str, Vec<&Notice>> = BTreeMap::new();
    for n in notices {
        m.entry(n.project_number()).or_default().push(n);
    }
    for list in m.values_mut() {
        *list = in_order(list.iter().copied());
    }
    m
}

/// What one part of a package hands to the next (`ExportPart::carry`): how many
/// entries are out, the newest release date and the publisher seen so far. The
/// package's metadata needs all of them, so it is written after the list.
#[derive(Debug, Default, PartialEq, Eq)]
struct Carry {
    written: u64,
    published: String,
    publisher: String,
}

impl Carry {
    fn read(text: &str) -> Result<Carry, PluginError> {
        if text.is_empty() {
            return Ok(Carry::default());
        }
        let bad = || PluginError::BadInput(format!("not this plugin's carry: {text:?}"));
        let v: Value = serde_json::from_str(text).map_err(|_| bad())?;
        Ok(Carry {
            written: v["written"].as_u64().ok_or_else(bad)?,
            published: v["published"].as_str().ok_or_else(bad)?.into(),
            publisher: v["publisher"].as_str().ok_or_else(bad)?.into(),
        })
    }

    fn text(&self) -> String {
        json!({"written": self.written, "published": self.published, "publisher": self.publisher})
            .to_string()
    }

    /// Notes the newest release date and the first buyer of `notices`.
    fn see(&mut self, notices: &[Notice]) {
        if let Some(newest) = notices.iter().map(release_date).max() {
            self.published = self.published.clone().max(newest);
        }
        if self.publisher.is_empty() {
            if let Some(buyer) = notices.iter().find_map(|n| n.text("buyer")) {
                self.publisher = buyer.into();
            }
        }
    }

    /// The package's metadata. `publishedDate` is the latest release date: the
    /// plugin has no clock, and the package changes only when a release comes.
    fn head(&self, config: &Config) -> Map<String, Value> {
        let publisher = config.publisher.clone().unwrap_or(self.publisher.clone());
        let mut head = Map::new();
        head.insert("uri".into(), config.uri.clone().into());
        head.insert("version".into(), VERSION.into());
        head.insert("publishedDate".into(), self.published.clone().into());
        head.insert("publisher".into(), json!({"name": publisher}));
        if let Some(l) = &config.license {
            head.insert("license".into(), l.clone().into());
        }
        head
    }
}

/// One part of `{"list": [entries...], head...}`, written one entry at a time so
/// that only one release or record is held as a JSON tree at once. The first part
/// opens the list; the last closes it and adds the package's metadata.
fn package_part(
    list: &str,
    notices: &[Notice],
    entries: impl Iterator<Item = Value>,
    config: &Config,
    part: &ExportPart,
) -> Result<ExportPiece, PluginError> {
    let mut carry = Carry::read(&part.carry)?;
    if part.first && part.last && notices.is_empty() {
        return Err(PluginError::BadInput(
            "an OCDS package holds at least one release: no notice to export".into(),
        ));
    }
    let mut out = Vec::new();
    if part.first {
        out.extend_from_slice(format!("{{\"{list}\":[").as_bytes());
    }
    for entry in entries {
        if carry.written > 0 {
            out.push(b',');
        }
        serde_json::to_writer(&mut out, &entry).expect("JSON values serialise");
        carry.written += 1;
    }
    carry.see(notices);
    if part.last {
        out.push(b']');
        for (key, value) in carry.head(config) {
            out.push(b',');
            serde_json::to_writer(&mut out, &key).expect("JSON strings serialise");
            out.push(b':');
            serde_json::to_writer(&mut out, &value).expect("JSON values serialise");
        }
        out.push(b'}');
    }
    Ok(ExportPiece {
        output: ExportOutput {
            media_type: MEDIA_TYPE.into(),
            extension: "json".into(),
            bytes: out,
        },
        carry: carry.text(),
    })
}

/// All notices as releases, each procurement's in the order they happened.
pub fn release_package(notices: &[Notice], config: &Config) -> Result<ExportOutput, PluginError> {
    release_package_part(notices, config, &ExportPart::whole()).map(|p| p.output)
}

/// One part of a release package (see [`package_part`]).
pub fn release_package_part(
    notices: &[Notice],
    config: &Config,
    part: &ExportPart,
) -> Result<ExportPiece, PluginError> {
    let projects = by_project(notices);
    let releases = projects.values().flatten().map(|n| release(n, config));
    package_part("releases", notices, releases, config, part)
}

/// One record per procurement: every release, and the compiled release.
/// The sequence findings go to the host's log (notice ids and codes only).
pub fn record_package(notices: &[Notice], config: &Config) -> Result<ExportOutput, PluginError> {
    record_package_part(notices, config, &ExportPart::whole()).map(|p| p.output)
}

/// One part of a record package. The host never splits a procurement's notices
/// across parts (they are related by the project number), so each record is whole.
pub fn record_package_part(
    notices: &[Notice],
    config: &Config,
    part: &ExportPart,
) -> Result<ExportPiece, PluginError> {
    let projects = by_project(notices);
    let records = projects.iter().map(|(project, ns)| {
        for f in sequence::check(ns.iter().copied()) {
            log(
                LogLevel::Warn,
                &format!(
                    "procurement {project}: notice {} {} ({})",
                    f.notice, f.code, f.path
                ),
            );
        }
        let releases: Vec<Value> = ns.iter().map(|n| release(n, config)).collect();
        json!({
            "ocid": config.ocid(project),
            "compiledRelease": compile(&releases),
            "releases": releases,
        })
    });
    package_part("records", notices, records, config, part)
}
