//! The public portal: every agency's 政府信息公开 column as server-rendered pages at
//! `/{slug}/` (or at `/` of the agency's own host name), on the page machinery of
//! [`crate::web`]. Pages read through the same functions as the public API
//! (`disclosure::public`, the requests intake and tracking services) and add no rule
//! of their own.

pub mod apply;
pub mod columns;
pub mod demo;
pub mod home;
pub mod items;
pub mod plugin_fields;
pub mod site;
pub mod track;
pub mod view;

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::FromRef;
use axum::http::Method;
use axum::response::Response;

use crate::app::AppState;
use crate::disclosure::model::PublicNode;
use crate::disclosure::public;
use crate::disclosure::Disclosure;
use crate::http::access::Access;
use crate::http::Routes;
use crate::kernel::error::{Error, Result};
use crate::kernel::limit::AddressLimiter;
use crate::tenancy::Tenant;
use crate::web::error::{self, PageError, PageResult};
use crate::web::{Chrome, Footer, Lang, PageReq};
use site::PortalSettings;

pub fn routes(r: Routes) -> Routes {
    let r = site::routes(r);
    r.add_page(
        Method::GET,
        "/static/{file}",
        Access::Public,
        crate::web::assets::serve,
    )
    .add_page(Method::GET, "/", Access::Public, home::root)
    .add_page(Method::GET, "/{slug}", Access::Public, home::without_slash)
    .add_page(Method::GET, "/{slug}/", Access::Public, home::home)
    .add_page(
        Method::GET,
        "/{slug}/catalog",
        Access::Public,
        items::catalog,
    )
    .add_page(
        Method::GET,
        "/{slug}/catalog/{code}",
        Access::Public,
        items::node,
    )
    .add_page(
        Method::GET,
        "/{slug}/items/{id}",
        Access::Public,
        items::item,
    )
    .add_page(Method::GET, "/{slug}/search", Access::Public, items::search)
    .add_page(Method::GET, "/{slug}/guide", Access::Public, columns::guide)
    .add_page(Method::GET, "/{slug}/rules", Access::Public, columns::rules)
    .add_page(
        Method::GET,
        "/{slug}/reports",
        Access::Public,
        columns::reports,
    )
    .add_page(Method::GET, "/{slug}/apply", Access::Public, apply::form)
    .add_page(Method::POST, "/{slug}/apply", Access::Public, apply::submit)
    .add_page(Method::GET, "/{slug}/track", Access::Public, track::form)
    .add_page(Method::POST, "/{slug}/track", Access::Public, track::lookup)
}

/// What the portal keeps in memory: settings and the catalog with its counts by tenant
/// id for a few seconds (every page reads them; a publication shows in the counts
/// within that time), and the per-address limit of tracking lookups.
#[derive(Clone)]
pub struct PortalRuntime {
    settings: moka::sync::Cache<String, Arc<PortalSettings>>,
    catalogs: moka::sync::Cache<String, Arc<Catalog>>,
    lookups: Arc<AddressLimiter>,
}

/// A tenant's catalog nodes and how many published items each holds (by node id).
pub struct Catalog {
    pub nodes: Vec<PublicNode>,
    pub counts: HashMap<String, i64>,
}

/// Tracking lookups per address: enough for a person, far too few to guess codes.
const LOOKUPS_PER_MINUTE: u32 = 10;

impl Default for PortalRuntime {
    fn default() -> Self {
        PortalRuntime {
            settings: moka::sync::Cache::builder()
                .max_capacity(10_000)
                .time_to_live(Duration::from_secs(5))
                .build(),
            catalogs: moka::sync::Cache::builder()
                .max_capacity(10_000)
                .time_to_live(Duration::from_secs(5))
                .build(),
            lookups: Arc::new(AddressLimiter::per_minute(LOOKUPS_PER_MINUTE)),
        }
    }
}

impl PortalRuntime {
    pub fn forget(&self, tenant_id: &str) {
        self.settings.invalidate(tenant_id);
    }

    /// Counts one tracking lookup from `address`; refuses it when the quota is spent.
    pub fn admit_lookup(&self, address: IpAddr) -> Result<()> {
        self.lookups.admit(address)
    }
}

/// The agency whose portal a page belongs to, with what frames its pages.
pub struct Site {
    pub tenant: Tenant,
    /// Nearest first, the platform root left out.
    pub ancestors: Vec<Tenant>,
    pub settings: Arc<PortalSettings>,
}

impl Site {
    /// The portal of `slug`: 404 for an unknown or deactivated agency.
    pub async fn load(state: &AppState, slug: &str) -> Result<Site> {
        let placed = state
            .tenants
            .placed(&state.db, slug)
            .await?
            .filter(|p| p.tenant.active && !p.tenant.is_platform())
            .ok_or_else(|| Error::NotFound(format!("portal `{slug}`")))?;
        let settings = match state.portal.settings.get(&placed.tenant.id) {
            Some(s) => s,
            None => {
                let s = Arc::new(site::settings(&state.db, &placed.tenant.id).await?);
                state
                    .portal
                    .settings
                    .insert(placed.tenant.id.clone(), s.clone());
                s
            }
        };
        Ok(Site {
            tenant: placed.tenant.clone(),
            ancestors: placed
                .ancestors
                .iter()
                .filter(|t| !t.is_platform())
                .cloned()
                .collect(),
            settings,
        })
    }

    /// The catalog with its counts, for a few seconds.
    pub async fn catalog(&self, state: &AppState) -> Result<Arc<Catalog>> {
        if let Some(c) = state.portal.catalogs.get(&self.tenant.id) {
            return Ok(c);
        }
        let nodes = public::catalog_nodes(&Disclosure::from_ref(state), &self.tenant).await?;
        let mut tx = state.db.tenant_read(&self.tenant.id).await?;
        let counts = public::node_counts(&mut tx).await?;
        tx.commit().await?;
        let catalog = Arc::new(Catalog { nodes, counts });
        state
            .portal
            .catalogs
            .insert(self.tenant.id.clone(), catalog.clone());
        Ok(catalog)
    }

    pub fn slug(&self) -> &str {
        &self.tenant.slug
    }

    /// A path of this portal: `href("items/x")` is `/{slug}/items/x`.
    pub fn href(&self, rest: &str) -> String {
        format!("/{}/{rest}", self.tenant.slug)
    }

    pub fn name(&self, lang: Lang) -> &str {
        tenant_name(&self.tenant, lang)
    }

    pub fn kiosk(&self, req: &PageReq) -> bool {
        req.kiosk || self.settings.kiosk
    }

    pub fn chrome(&self, req: &PageReq) -> Chrome {
        let lang = req.lang;
        let s = &self.settings;
        let mut contact = Vec::new();
        for (key, value) in [
            ("contact-address", &s.address),
            ("contact-phone", &s.phone),
            ("contact-email", &s.email),
            ("contact-hours", &s.office_hours),
        ] {
            if !value.trim().is_empty() {
                contact.push(crate::web::layout::labelled(lang, key, value));
            }
        }
        Chrome {
            brand: self.name(lang).to_string(),
            brand_href: self.href(""),
            tagline: lang.t("column-name"),
            nav: vec![
                (self.href(""), lang.t("nav-home")),
                (self.href("guide"), lang.t("nav-guide")),
                (self.href("rules"), lang.t("nav-rules")),
                (self.href("catalog"), lang.t("nav-catalog")),
                (self.href("reports"), self.report_label(lang)),
                (self.href("apply"), lang.t("nav-apply")),
                (self.href("track"), lang.t("nav-track")),
            ],
            search_action: Some(self.href("search")),
            footer: Footer {
                sponsor: self.name(lang).to_string(),
                contact,
                site_code: s.site_code.clone(),
                icp: s.icp.clone(),
                public_security: s.public_security.clone(),
            },
            kiosk_home: self
                .kiosk(req)
                .then(|| (self.href(""), s.kiosk_idle_seconds)),
        }
    }

    /// The fourth sub-column's name (a setting: some localities say 工作年度报告).
    pub fn report_label(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => self
                .settings
                .annual_report_label_or(&lang.t("nav-reports"))
                .to_string(),
            Lang::En => lang.t("nav-reports"),
        }
    }

    /// The page's response, or its error page framed by this portal.
    pub fn finish(&self, req: &PageReq, result: PageResult) -> Response {
        match result {
            Ok(page) => page.finish(req),
            Err(err) => error::page(req, &self.chrome(req), err),
        }
    }
}

pub fn tenant_name(tenant: &Tenant, lang: Lang) -> &str {
    match lang {
        Lang::En if !tenant.name_en.trim().is_empty() => &tenant.name_en,
        _ => &tenant.name_zh,
    }
}

/// The frame of pages that belong to no agency.
pub fn platform_chrome(req: &PageReq) -> Chrome {
    Chrome::platform(req)
}

impl Site {
    /// The portal of `slug`, or the 404 page to answer with.
    pub async fn open(state: &AppState, req: &PageReq, slug: &str) -> Result<Site, Response> {
        Site::load(state, slug)
            .await
            .map_err(|err| error::page(req, &platform_chrome(req), PageError(err)))
    }
}
