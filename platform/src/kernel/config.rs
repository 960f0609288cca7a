//! Configuration: defaults that need nothing, then an optional TOML file, then
//! `GONGKAI_*` environment variables. Unknown or malformed settings fail at start-up
//! with a message that names them.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use base64::Engine;
use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};

use super::crypto::{self, Secrets};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Where the embedded database, generated secrets and local files live.
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; defaults to `sqlite://<data_dir>/gongkai.db`.
    pub database_url: Option<String>,
    /// The table owner's connection for migrations on PostgreSQL; defaults to `database_url`.
    pub migration_database_url: Option<String>,
    pub database_max_connections: u32,
    pub listen: SocketAddr,
    /// Run migrations when `serve` starts.
    pub migrate_on_start: bool,
    /// Session cookies carry `Secure` and the `__Host-` prefix; turn off only for plain-HTTP tests.
    pub cookie_secure: bool,
    /// Base64 of 64 bytes; generated into the data dir when absent.
    pub cookie_key: Option<String>,
    /// Base64 of 32 bytes that encrypt applicants' personal data; generated when absent.
    pub data_key: Option<String>,
    pub session_idle_secs: u64,
    pub session_absolute_secs: u64,
    /// Failed-or-not login attempts allowed per minute for one account and for one address.
    pub login_per_account_per_minute: u32,
    pub login_per_address_per_minute: u32,
    pub max_body_bytes: usize,
    /// `text` or `json`.
    pub log_format: String,
    /// Where attachments live: `local` (under `<data_dir>/objects`) or `s3`.
    pub attachments_store: String,
    /// The largest attachment accepted, in bytes.
    pub attachments_max_bytes: usize,
    /// Public exports, feeds and attachment downloads per client address per minute.
    pub public_downloads_per_address_per_minute: u32,
    /// Items in one page of a public export (CSV, JSON, a plugin's format).
    pub public_export_page_items: u32,
    /// Items read and handed to a plugin at a time while a page of its streamed export is
    /// sent (a page is read in batches of the largest size dividing both).
    pub public_export_batch_items: u32,
    /// The program run (as `PROGRAM extract-text TYPE`) to read attachment text under a
    /// memory and time budget; by default this program itself.
    pub attachments_extractor: Option<std::path::PathBuf>,
    /// S3-compatible storage (with `attachments_store = "s3"`): bucket, endpoint (for
    /// MinIO, Ceph, OSS…; empty for AWS), region, credentials, plain HTTP for tests.
    pub s3_bucket: Option<String>,
    pub s3_endpoint: Option<String>,
    pub s3_region: String,
    pub s3_access_key_id: Option<String>,
    pub s3_secret_access_key: Option<String>,
    pub s3_allow_http: bool,
    /// Plugin calls (`plugins::Limits::from_config` reads these): linear memory cap in MiB.
    pub plugin_memory_mib: usize,
    /// Plugin calls: deadline of one export call in milliseconds.
    pub plugin_deadline_ms: u64,
    /// Plugin calls: fuel (≈ instructions) of one validate/derive/publication-rules call.
    pub plugin_fuel: u64,
    /// Plugin calls: largest input and output in bytes.
    pub plugin_max_io_bytes: usize,
    /// Largest component accepted by `POST /api/v1/plugins` and `plugin install`.
    pub plugin_max_upload_bytes: usize,
    /// Plugin actions (contract 0.2): fuel of one call.
    pub plugin_action_fuel: u64,
    /// Public plugin actions (a lottery's verification) per client address per minute.
    pub plugin_public_actions_per_address_per_minute: u32,
    /// Plugin instances alive at once; further calls wait for a slot.
    pub plugin_pool_instances: u32,
    /// Where e-mail goes: `file` (one .eml per message in `<data_dir>/mail`, the embedded
    /// demo's default), `smtp`, or `none` (messages wait in the outbox).
    pub email_transport: String,
    /// The sender of every message, e.g. `公开平台 <noreply@gongkai.example.cn>`.
    pub email_from: String,
    pub smtp_host: Option<String>,
    pub smtp_port: u16,
    pub smtp_username: Option<String>,
    pub smtp_password: Option<String>,
    /// `starttls` (port 587), `tls` (port 465) or `none` (a relay on a trusted network).
    pub smtp_tls: String,
    /// Seconds between outbox runs (a commit that writes mail also wakes the worker).
    pub email_poll_secs: u64,
    /// First retry after a transient failure; doubles each attempt.
    pub email_retry_base_secs: u64,
    /// Attempts before a message is marked failed.
    pub email_max_attempts: u32,
    /// How long a worker owns a message it is sending (a crashed worker's messages are
    /// sent by the next run after this).
    pub email_lease_secs: u64,
    /// Public request submissions allowed per client address per hour.
    pub request_submissions_per_address_per_hour: u32,
    /// Seconds between runs of the request clock jobs (reminders, lapses).
    pub requests_sweep_secs: u64,
    /// A fixed "today" (YYYY-MM-DD) for the platform's clock, for demos and tests only.
    pub clock_today: Option<String>,
    /// Reverse proxies (addresses or CIDR networks) whose `client_ip_header` is believed
    /// for per-address limits; from anyone else the header is ignored.
    pub trusted_proxies: Vec<String>,
    /// The header a trusted proxy writes the client's address into.
    pub client_ip_header: String,
    /// Where the public reaches this server, e.g. `https://gongkai.example.cn`: the base of
    /// links in feeds and e-mail (never the request's `Host`). Defaults to `http://<listen>`.
    pub public_base_url: Option<String>,
    /// PostgreSQL: serve even when the serving role is a superuser, has BYPASSRLS or owns
    /// the tables (each of which switches row-level security off). Never in production.
    pub insecure_single_role: bool,
    /// This server runs the demo: accounts may keep the demo's published password.
    pub demo: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            data_dir: PathBuf::from("./data"),
            database_url: None,
            migration_database_url: None,
            database_max_connections: 16,
            listen: "127.0.0.1:8080".parse().expect("valid default address"),
            migrate_on_start: false,
            cookie_secure: true,
            cookie_key: None,
            data_key: None,
            session_idle_secs: 30 * 60,
            session_absolute_secs: 12 * 60 * 60,
            login_per_account_per_minute: 10,
            login_per_address_per_minute: 30,
            max_body_bytes: 1024 * 1024,
            log_format: "text".into(),
            attachments_store: "local".into(),
            attachments_max_bytes: 20 * 1024 * 1024,
            public_downloads_per_address_per_minute: 120,
            public_export_page_items: 5_000,
            public_export_batch_items: 500,
            attachments_extractor: None,
            s3_bucket: None,
            s3_endpoint: None,
            s3_region: "us-east-1".into(),
            s3_access_key_id: None,
            s3_secret_access_key: None,
            s3_allow_http: false,
            plugin_memory_mib: 32,
            plugin_deadline_ms: 100,
            plugin_fuel: 100_000_000,
            plugin_max_io_bytes: 4 << 20,
            plugin_max_upload_bytes: 16 << 20,
            plugin_action_fuel: 400_000_000,
            plugin_public_actions_per_address_per_minute: 30,
            plugin_pool_instances: 64,
            email_transport: "file".into(),
            email_from: "Gongkai 公开 <noreply@gongkai.localhost>".into(),
            smtp_host: None,
            smtp_port: 587,
            smtp_username: None,
            smtp_password: None,
            smtp_tls: "starttls".into(),
            email_poll_secs: 10,
            email_retry_base_secs: 30,
            email_max_attempts: 8,
            email_lease_secs: 300,
            request_submissions_per_address_per_hour: 20,
            requests_sweep_secs: 300,
            clock_today: None,
            trusted_proxies: Vec::new(),
            client_ip_header: "x-forwarded-for".into(),
            public_base_url: None,
            insecure_single_role: false,
            demo: false,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration: {0}")]
    Load(#[from] Box<figment::Error>),
    #[error("configuration setting `{setting}`: {problem}")]
    Invalid {
        setting: &'static str,
        problem: String,
    },
    #[error("configuration: cannot prepare {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl Config {
    /// The fixed day of a demo or test (`clock_today`), checked at load.
    pub fn clock_today(&self) -> Option<chrono::NaiveDate> {
        let day = self.clock_today.as_deref()?;
        chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()
    }

    /// The trusted proxies as networks (checked at load).
    pub fn trusted_proxy_nets(&self) -> Vec<ipnet::IpNet> {
        self.trusted_proxies
            .iter()
            .filter_map(|p| parse_net(p))
            .collect()
    }

    /// The public base URL without a trailing slash.
    pub fn public_base_url(&self) -> String {
        match &self.public_base_url {
            Some(url) => url.trim_end_matches('/').to_string(),
            None => format!("http://{}", self.listen),
        }
    }

    /// Loads defaults, then `file` (if given), then the environment.
    pub fn load(file: Option<&Path>) -> Result<Config, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        if let Some(file) = file {
            if !file.exists() {
                return Err(ConfigError::Invalid {
                    setting: "config file",
                    problem: format!("{} does not exist", file.display()),
                });
            }
            figment = figment.merge(Toml::file(file));
        }
        figment = figment.merge(Env::prefixed("GONGKAI_").ignore(&["config", "log"]));
        let config: Config = figment.extract().map_err(Box::new)?;
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        let url = self.database_url();
        if !(url.starts_with("sqlite:")
            || url.starts_with("postgres://")
            || url.starts_with("postgresql://"))
        {
            return Err(ConfigError::Invalid {
                setting: "database_url",
                problem: format!("`{url}` is neither sqlite:… nor postgres://…"),
            });
        }
        if self.session_idle_secs == 0 || self.session_absolute_secs == 0 {
            return Err(ConfigError::Invalid {
                setting: "session_idle_secs",
                problem: "session timeouts must be above zero".into(),
            });
        }
        if self.login_per_account_per_minute == 0 || self.login_per_address_per_minute == 0 {
            return Err(ConfigError::Invalid {
                setting: "login_per_account_per_minute",
                problem: "login limits must be above zero".into(),
            });
        }
        if !matches!(self.log_format.as_str(), "text" | "json") {
            return Err(ConfigError::Invalid {
                setting: "log_format",
                problem: format!("`{}` is neither text nor json", self.log_format),
            });
        }
        if self.plugin_memory_mib == 0
            || self.plugin_deadline_ms == 0
            || self.plugin_fuel == 0
            || self.plugin_action_fuel == 0
            || self.plugin_max_io_bytes == 0
            || self.plugin_pool_instances == 0
            || self.plugin_public_actions_per_address_per_minute == 0
        {
            return Err(ConfigError::Invalid {
                setting: "plugin_*",
                problem: "plugin limits must be above zero".into(),
            });
        }
        self.validate_email()?;
        self.validate_attachments()?;
        self.validate_proxies()?;
        for (setting, value, len) in [
            ("cookie_key", &self.cookie_key, 64),
            ("data_key", &self.data_key, 32),
        ] {
            if let Some(value) = value {
                decode_key(setting, value, len)?;
            }
        }
        Ok(())
    }

    fn validate_proxies(&self) -> Result<(), ConfigError> {
        if let Some(bad) = self.trusted_proxies.iter().find(|p| parse_net(p).is_none()) {
            return Err(ConfigError::Invalid {
                setting: "trusted_proxies",
                problem: format!("`{bad}` is neither an IP address nor a network like 10.0.0.0/8"),
            });
        }
        if axum::http::HeaderName::from_bytes(self.client_ip_header.as_bytes()).is_err() {
            return Err(ConfigError::Invalid {
                setting: "client_ip_header",
                problem: format!("`{}` is not a header name", self.client_ip_header),
            });
        }
        if let Some(url) = &self.public_base_url {
            let ok = (url.starts_with("https://") || url.starts_with("http://"))
                && !url.contains(['?', '#', ' ']);
            if !ok {
                return Err(ConfigError::Invalid {
                    setting: "public_base_url",
                    problem: format!("`{url}` is not an http(s):// address"),
                });
            }
        }
        Ok(())
    }

    fn validate_email(&self) -> Result<(), ConfigError> {
        let invalid = |setting, problem: String| Err(ConfigError::Invalid { setting, problem });
        if !matches!(self.email_transport.as_str(), "file" | "smtp" | "none") {
            return invalid(
                "email_transport",
                format!("`{}` is none of file, smtp, none", self.email_transport),
            );
        }
        if self.email_from.parse::<lettre::message::Mailbox>().is_err() {
            return invalid(
                "email_from",
                format!("`{}` is not an e-mail address", self.email_from),
            );
        }
        if self.email_transport == "smtp" {
            if self.smtp_host.as_deref().unwrap_or("").trim().is_empty() {
                return invalid("smtp_host", "email_transport = smtp needs a host".into());
            }
            if self.smtp_port == 0 {
                return invalid("smtp_port", "a port above zero".into());
            }
            if !matches!(self.smtp_tls.as_str(), "starttls" | "tls" | "none") {
                return invalid(
                    "smtp_tls",
                    format!("`{}` is none of starttls, tls, none", self.smtp_tls),
                );
            }
            if self.smtp_username.is_some() != self.smtp_password.is_some() {
                return invalid(
                    "smtp_username",
                    "give both smtp_username and smtp_password, or neither".into(),
                );
            }
        }
        if self.email_poll_secs == 0
            || self.email_retry_base_secs == 0
            || self.email_max_attempts == 0
            || self.email_lease_secs == 0
            || self.requests_sweep_secs == 0
        {
            return invalid(
                "email_poll_secs",
                "e-mail and request job intervals and attempts must be above zero".into(),
            );
        }
        if self.request_submissions_per_address_per_hour == 0 {
            return invalid(
                "request_submissions_per_address_per_hour",
                "must be above zero".into(),
            );
        }
        if let Some(day) = &self.clock_today {
            if chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").is_err() {
                return invalid("clock_today", format!("`{day}` is not YYYY-MM-DD"));
            }
        }
        Ok(())
    }

    fn validate_attachments(&self) -> Result<(), ConfigError> {
        let invalid = |setting, problem: &str| ConfigError::Invalid {
            setting,
            problem: problem.to_string(),
        };
        if self.attachments_max_bytes == 0 {
            return Err(invalid("attachments_max_bytes", "must be above zero"));
        }
        if self.public_downloads_per_address_per_minute == 0 {
            return Err(invalid(
                "public_downloads_per_address_per_minute",
                "must be above zero",
            ));
        }
        if !(1..=100_000).contains(&self.public_export_page_items) {
            return Err(invalid("public_export_page_items", "from 1 to 100000"));
        }
        if !(1..=100_000).contains(&self.public_export_batch_items) {
            return Err(invalid("public_export_batch_items", "from 1 to 100000"));
        }
        match self.attachments_store.as_str() {
            "local" => Ok(()),
            "s3" => {
                if self.s3_bucket.as_deref().unwrap_or("").trim().is_empty() {
                    return Err(invalid(
                        "s3_bucket",
                        "required with attachments_store = \"s3\"",
                    ));
                }
                if let Some(endpoint) = &self.s3_endpoint {
                    let http = endpoint.starts_with("http://");
                    if !(http || endpoint.starts_with("https://")) {
                        return Err(invalid(
                            "s3_endpoint",
                            "must start with https:// (or http://)",
                        ));
                    }
                    if http && !self.s3_allow_http {
                        return Err(invalid(
                            "s3_endpoint",
                            "plain http needs s3_allow_http = true",
                        ));
                    }
                }
                if self.s3_access_key_id.is_some() != self.s3_secret_access_key.is_some() {
                    return Err(invalid(
                        "s3_access_key_id",
                        "give both s3_access_key_id and s3_secret_access_key, or neither",
                    ));
                }
                Ok(())
            }
            other => Err(ConfigError::Invalid {
                setting: "attachments_store",
                problem: format!("`{other}` is neither local nor s3"),
            }),
        }
    }

    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}/gongkai.db", self.data_dir.display()))
    }

    pub fn migration_database_url(&self) -> String {
        self.migration_database_url
            .clone()
            .unwrap_or_else(|| self.database_url())
    }

    /// The secrets from configuration, or generated once into the data dir (mode 0600).
    pub fn secrets(&self) -> Result<Secrets, ConfigError> {
        let cookie_key = match &self.cookie_key {
            Some(value) => decode_key("cookie_key", value, 64)?,
            None => self.generated_key("cookie.key", 64)?,
        };
        let data_key = match &self.data_key {
            Some(value) => decode_key("data_key", value, 32)?,
            None => self.generated_key("data.key", 32)?,
        };
        Ok(Secrets::new(cookie_key, data_key))
    }

    fn generated_key(&self, name: &str, len: usize) -> Result<Vec<u8>, ConfigError> {
        let dir = self.data_dir.join("secrets");
        let path = dir.join(name);
        let io = |source| ConfigError::Io {
            path: path.clone(),
            source,
        };
        if path.exists() {
            let text = std::fs::read_to_string(&path).map_err(io)?;
            return decode_key("generated secret", text.trim(), len);
        }
        std::fs::create_dir_all(&dir).map_err(io)?;
        let key = crypto::random_bytes(len);
        write_private(
            &path,
            &base64::engine::general_purpose::STANDARD.encode(&key),
        )
        .map_err(io)?;
        Ok(key)
    }
}

/// `10.0.0.0/8` or a single address (as its /32 or /128).
fn parse_net(text: &str) -> Option<ipnet::IpNet> {
    let text = text.trim();
    text.parse::<ipnet::IpNet>().ok().or_else(|| {
        text.parse::<std::net::IpAddr>()
            .ok()
            .map(ipnet::IpNet::from)
    })
}

fn decode_key(setting: &'static str, value: &str, len: usize) -> Result<Vec<u8>, ConfigError> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(value.trim())
        .map_err(|e| ConfigError::Invalid {
            setting,
            problem: format!("not base64: {e}"),
        })?;
    if bytes.len() != len {
        return Err(ConfigError::Invalid {
            setting,
            problem: format!("must decode to {len} bytes, got {}", bytes.len()),
        });
    }
    Ok(bytes)
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(text.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_need_nothing() {
        let config = Config::default();
        config.validate().unwrap();
        assert_eq!(config.database_url(), "sqlite://./data/gongkai.db");
        assert_eq!(config.listen.to_string(), "127.0.0.1:8080");
    }

    #[test]
    fn wrong_settings_name_the_setting() {
        let config = Config {
            database_url: Some("mysql://x".into()),
            ..Config::default()
        };
        let err = config.validate().unwrap_err().to_string();
        assert!(err.contains("database_url"), "{err}");

        let config = Config {
            data_key: Some("short".into()),
            ..Config::default()
        };
        let err = config.validate().unwrap_err().to_string();
        assert!(err.contains("data_key"), "{err}");

        for (config, setting) in [
            (
                Config {
                    trusted_proxies: vec!["10.0.0.0/8".into(), "proxy.local".into()],
                    ..Config::default()
                },
                "trusted_proxies",
            ),
            (
                Config {
                    public_base_url: Some("gongkai.example.cn".into()),
                    ..Config::default()
                },
                "public_base_url",
            ),
        ] {
            let err = config.validate().unwrap_err().to_string();
            assert!(err.contains(setting), "{err}");
        }
        let config = Config {
            trusted_proxies: vec!["10.0.0.0/8".into(), "2001:db8::1".into()],
            public_base_url: Some("https://gongkai.example.cn/".into()),
            ..Config::default()
        };
        config.validate().unwrap();
        assert_eq!(config.trusted_proxy_nets().len(), 2);
        assert_eq!(config.public_base_url(), "https://gongkai.example.cn");
    }

    #[test]
    fn attachment_storage_is_checked() {
        let s3 = |f: fn(&mut Config)| {
            let mut c = Config {
                attachments_store: "s3".into(),
                s3_bucket: Some("gongkai".into()),
                ..Config::default()
            };
            f(&mut c);
            c.validate().map_err(|e| e.to_string())
        };
        assert!(s3(|_| {}).is_ok());
        assert!(s3(|c| c.s3_bucket = None)
            .unwrap_err()
            .contains("s3_bucket"));
        assert!(s3(|c| c.s3_endpoint = Some("minio:9000".into()))
            .unwrap_err()
            .contains("s3_endpoint"));
        assert!(s3(|c| c.s3_endpoint = Some("http://minio:9000".into()))
            .unwrap_err()
            .contains("s3_allow_http"));
        assert!(s3(|c| c.s3_access_key_id = Some("k".into()))
            .unwrap_err()
            .contains("s3_access_key_id"));
        let bad = Config {
            attachments_store: "ftp".into(),
            ..Config::default()
        };
        assert!(bad
            .validate()
            .unwrap_err()
            .to_string()
            .contains("attachments_store"));
    }

    #[test]
    fn unknown_keys_in_a_file_are_refused() {
        let dir = std::env::temp_dir().join(format!("gk-config-{}", crate::kernel::ids::new_id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("gongkai.toml");
        std::fs::write(&file, "listen = \"127.0.0.1:9000\"\ndatabse_url = \"x\"\n").unwrap();
        let err = Config::load(Some(&file)).unwrap_err().to_string();
        assert!(err.contains("databse_url"), "{err}");
        std::fs::write(&file, "listen = \"not an address\"\n").unwrap();
        let err = Config::load(Some(&file)).unwrap_err().to_string();
        assert!(err.contains("listen"), "{err}");
    }

    #[test]
    fn secrets_are_generated_once_with_private_mode() {
        let dir = std::env::temp_dir().join(format!("gk-secrets-{}", crate::kernel::ids::new_id()));
        let config = Config {
            data_dir: dir.clone(),
            ..Config::default()
        };
        let first = config.secrets().unwrap();
        let second = config.secrets().unwrap();
        assert_eq!(first.data_key_fingerprint(), second.data_key_fingerprint());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.join("secrets/data.key"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
