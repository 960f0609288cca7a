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
use gongkai_plugin_sdk::{log, ExportOutput, LogLevel, PluginError};
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

fn not_empty(notices: &[Notice]) -> Result<(), PluginError> {
    if notices.is_empty() {
        return Err(PluginError::BadInput(
            "an OCDS package holds at least one release: no notice to export".into(),
        ));
    }
    Ok(())
}

/// The package's metadata. `publishedDate` is the latest release date: the
/// plugin has no clock, and the package changes only when a release comes.
fn package_head(notices: &[Notice], config: &Config) -> Map<String, Value> {
    let publisher = config
        .publisher
        .clone()
        .or_else(|| {
            notices
                .iter()
                .find_map(|n| n.text("buyer").map(String::from))
        })
        .unwrap_or_default();
    let published = notices.iter().map(release_date).max().unwrap_or_default();
    let mut head = Map::new();
    head.insert("uri".into(), config.uri.clone().into());
    head.insert("version".into(), VERSION.into());
    head.insert("publishedDate".into(), published.into());
    head.insert("publisher".into(), json!({"name": publisher}));
    if let Some(l) = &config.license {
        head.insert("license".into(), l.clone().into());
    }
    head
}

/// Writes `{head..., "list": [items...]}` one item at a time, so that only
/// one release or record is held as a JSON tree at once.
fn package(
    head: Map<String, Value>,
    list: &str,
    items: impl Iterator<Item = Value>,
) -> ExportOutput {
    let mut out = serde_json::to_vec(&Value::Object(head)).expect("JSON values serialise");
    out.pop(); // the closing brace
    out.extend_from_slice(format!(",\"{list}\":[").as_bytes());
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        serde_json::to_writer(&mut out, &item).expect("JSON values serialise");
    }
    out.extend_from_slice(b"]}");
    ExportOutput {
        media_type: MEDIA_TYPE.into(),
        extension: "json".into(),
        bytes: out,
    }
}

/// All notices as releases, each procurement's in the order they happened.
pub fn release_package(notices: &[Notice], config: &Config) -> Result<ExportOutput, PluginError> {
    not_empty(notices)?;
    let projects = by_project(notices);
    let releases = projects.values().flatten().map(|n| release(n, config));
    Ok(package(package_head(notices, config), "releases", releases))
}

/// One record per procurement: every release, and the compiled release.
/// The sequence findings go to the host's log (notice ids and codes only).
pub fn record_package(notices: &[Notice], config: &Config) -> Result<ExportOutput, PluginError> {
    not_empty(notices)?;
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
    Ok(package(package_head(notices, config), "records", records))
}
