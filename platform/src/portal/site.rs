//! A tenant's portal site: its settings (contact details, record numbers, kiosk, what
//! the request form asks), the host names that serve it at `/`, and the versioned pages
//! of its 政府信息公开 column (guide and rules). Read by the pages; set through the API by
//! whoever manages the tenant's catalog (`catalog:manage`: the column is part of it).

use axum::extract::{Path, State};
use axum::http::Method;
use axum::Json;
use serde::{Deserialize, Serialize};
use sqlx::FromRow;
use utoipa::ToSchema;

use crate::app::AppState;
use crate::audit;
use crate::http::access::{Access, Ctx};
use crate::http::json::ApiJson;
use crate::http::problem::Problem;
use crate::http::Routes;
use crate::kernel::db::Db;
use crate::kernel::error::{check, Constraint, Error, FieldProblem, OnConstraint, Result};
use crate::kernel::ids;
use crate::tenancy::Tenant;

pub fn routes(r: Routes) -> Routes {
    r.add(
        Method::GET,
        "/api/v1/tenants/{slug}/portal/settings",
        Access::Tenant("tenant:read"),
        get_settings,
    )
    .add(
        Method::PUT,
        "/api/v1/tenants/{slug}/portal/settings",
        Access::Tenant("catalog:manage"),
        put_settings,
    )
    .add(
        Method::GET,
        "/api/v1/tenants/{slug}/portal/pages/{page}",
        Access::Tenant("tenant:read"),
        list_versions,
    )
    .add(
        Method::POST,
        "/api/v1/tenants/{slug}/portal/pages/{page}",
        Access::Tenant("catalog:manage"),
        publish_version,
    )
}

/// Everything a tenant says about its portal. Missing fields take their defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct PortalSettings {
    /// The office that handles disclosure (政府信息公开工作机构).
    pub office_name: String,
    pub address: String,
    pub postcode: String,
    pub office_hours: String,
    pub phone: String,
    pub fax: String,
    pub email: String,
    /// 网站标识码
    pub site_code: String,
    /// ICP record (e.g. 京ICP备12345678号).
    pub icp: String,
    /// Public-security record (e.g. 京公网安备 11010502030000号).
    pub public_security: String,
    /// The fourth sub-column's name: 政府信息公开年报 or 政府信息公开工作年度报告.
    pub annual_report_label: String,
    /// The request form asks for the purpose (用途).
    pub ask_purpose: bool,
    /// Every page of this portal in kiosk mode (a service-hall screen on its own host).
    pub kiosk: bool,
    /// Seconds without a touch before a kiosk screen returns home.
    pub kiosk_idle_seconds: u64,
    /// Host names that serve this portal at `/` (e.g. gk.example.gov.cn).
    pub hosts: Vec<String>,
}

impl Default for PortalSettings {
    fn default() -> Self {
        PortalSettings {
            office_name: String::new(),
            address: String::new(),
            postcode: String::new(),
            office_hours: String::new(),
            phone: String::new(),
            fax: String::new(),
            email: String::new(),
            site_code: String::new(),
            icp: String::new(),
            public_security: String::new(),
            annual_report_label: String::new(),
            ask_purpose: false,
            kiosk: false,
            kiosk_idle_seconds: 120,
            hosts: Vec::new(),
        }
    }
}

impl PortalSettings {
    fn check(&mut self) -> Result<()> {
        let mut problems = Vec::new();
        let long = |name: &str, v: &str, problems: &mut Vec<FieldProblem>| {
            if v.chars().count() > 300 {
                problems.push(FieldProblem::new(name, "at most 300 characters"));
            }
        };
        for (name, v) in [
            ("office_name", &self.office_name),
            ("address", &self.address),
            ("postcode", &self.postcode),
            ("office_hours", &self.office_hours),
            ("phone", &self.phone),
            ("fax", &self.fax),
            ("email", &self.email),
            ("site_code", &self.site_code),
            ("icp", &self.icp),
            ("public_security", &self.public_security),
            ("annual_report_label", &self.annual_report_label),
        ] {
            long(name, v, &mut problems);
        }
        if !(3..=3600).contains(&self.kiosk_idle_seconds) {
            problems.push(FieldProblem::new("kiosk_idle_seconds", "3–3600"));
        }
        for host in &mut self.hosts {
            *host = host.trim().trim_end_matches('.').to_ascii_lowercase();
        }
        self.hosts.sort();
        self.hosts.dedup();
        if self.hosts.len() > 10 {
            problems.push(FieldProblem::new("hosts", "at most 10 host names"));
        }
        for host in &self.hosts {
            if !is_host_name(host) {
                problems.push(FieldProblem::new(
                    "hosts",
                    format!("`{host}` is not a host name like gk.example.gov.cn"),
                ));
            }
        }
        check(problems)
    }

    pub fn annual_report_label_or<'a>(&'a self, default: &'a str) -> &'a str {
        if self.annual_report_label.trim().is_empty() {
            default
        } else {
            &self.annual_report_label
        }
    }
}

fn is_host_name(host: &str) -> bool {
    (3..=253).contains(&host.len())
        && host.contains('.')
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        })
}

/// The tenant's settings (defaults when never set).
pub async fn settings(db: &Db, tenant_id: &str) -> Result<PortalSettings> {
    let mut tx = db.tenant_read(tenant_id).await?;
    let row = tx
        .query("SELECT settings FROM portal_sites WHERE tenant_id = $1")
        .fetch_optional(tx.conn())
        .await?;
    tx.commit().await?;
    match row {
        Some(r) => serde_json::from_str(&<(String,)>::from_row(&r)?.0)
            .map_err(|e| Error::internal_cause("stored portal settings", e)),
        None => Ok(PortalSettings::default()),
    }
}

/// Sets the tenant's settings unless it has some (demo seeding; no host names).
pub async fn keep_or_set(db: &Db, tenant_id: &str, settings: &PortalSettings) -> Result<()> {
    let text = serde_json::to_string(settings).map_err(Error::internal_from)?;
    let mut tx = db.tenant(tenant_id).await?;
    let exists = tx
        .query("SELECT tenant_id FROM portal_sites WHERE tenant_id = $1")
        .fetch_optional(tx.conn())
        .await?
        .is_some();
    if !exists {
        tx.query("INSERT INTO portal_sites (tenant_id, settings, updated_at) VALUES ($1, $2, $3)")
            .bind(text)
            .bind(ids::now_text())
            .execute(tx.conn())
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The tenant whose portal a host name serves.
pub async fn tenant_of_host(db: &Db, host: &str) -> Result<Option<String>> {
    let row = sqlx::query("SELECT tenant_id FROM portal_hosts WHERE host = $1")
        .bind(host.to_ascii_lowercase())
        .fetch_optional(db.pool())
        .await?;
    Ok(row
        .map(|r| <(String,)>::from_row(&r).map(|(id,)| id))
        .transpose()?)
}

async fn save_settings(
    state: &AppState,
    ctx: &Ctx,
    tenant: &Tenant,
    mut input: PortalSettings,
) -> Result<PortalSettings> {
    input.check()?;
    let text = serde_json::to_string(&input).map_err(Error::internal_from)?;
    let mut tx = state.db.tenant(&tenant.id).await?;
    tx.query("DELETE FROM portal_sites WHERE tenant_id = $1")
        .execute(tx.conn())
        .await?;
    tx.query("INSERT INTO portal_sites (tenant_id, settings, updated_at) VALUES ($1, $2, $3)")
        .bind(text)
        .bind(ids::now_text())
        .execute(tx.conn())
        .await?;
    // The host table is a platform table: same transaction, no tenant scope to add.
    sqlx::query("DELETE FROM portal_hosts WHERE tenant_id = $1")
        .bind(tenant.id.clone())
        .execute(tx.conn())
        .await?;
    for host in &input.hosts {
        sqlx::query("INSERT INTO portal_hosts (host, tenant_id) VALUES ($1, $2)")
            .bind(host.clone())
            .bind(tenant.id.clone())
            .execute(tx.conn())
            .await
            .on_constraint(Constraint::Unique, || {
                Error::conflict(format!("host `{host}` already serves another portal"))
            })?;
    }
    audit::append(
        &mut tx,
        &ctx.actor(),
        "portal.settings",
        "tenant",
        &tenant.id,
        serde_json::json!({"hosts": input.hosts}),
    )
    .await?;
    tx.commit().await?;
    state.portal.forget(&tenant.id);
    Ok(input)
}

/// The portal settings of the tenant.
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/portal/settings", tag = "portal",
    params(("slug" = String, Path)),
    responses((status = 200, body = PortalSettings), (status = 404, body = Problem)))]
pub async fn get_settings(State(state): State<AppState>, ctx: Ctx) -> Result<Json<PortalSettings>> {
    Ok(Json(settings(&state.db, &ctx.tenant()?.id).await?))
}

/// Replace the portal settings (host names included).
#[utoipa::path(put, path = "/api/v1/tenants/{slug}/portal/settings", tag = "portal",
    params(("slug" = String, Path)), request_body = PortalSettings,
    responses((status = 200, body = PortalSettings), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn put_settings(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(input): ApiJson<PortalSettings>,
) -> Result<Json<PortalSettings>> {
    let tenant = ctx.tenant()?.clone();
    Ok(Json(save_settings(&state, &ctx, &tenant, input).await?))
}

/// The two column pages kept as versioned Markdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnPage {
    Guide,
    Rules,
}

impl ColumnPage {
    pub fn parse(text: &str) -> Option<ColumnPage> {
        match text {
            "guide" => Some(ColumnPage::Guide),
            "rules" => Some(ColumnPage::Rules),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ColumnPage::Guide => "guide",
            ColumnPage::Rules => "rules",
        }
    }
}

/// One saved version of a column page.
#[derive(Debug, Clone, Serialize, ToSchema, FromRow)]
pub struct PageVersion {
    pub version: i64,
    pub body: String,
    pub created_by: Option<String>,
    pub created_at: String,
}

/// The newest version of a page, if the tenant ever saved one.
pub async fn current_page(
    db: &Db,
    tenant_id: &str,
    page: ColumnPage,
) -> Result<Option<PageVersion>> {
    Ok(versions(db, tenant_id, page, 1).await?.into_iter().next())
}

async fn versions(
    db: &Db,
    tenant_id: &str,
    page: ColumnPage,
    limit: i64,
) -> Result<Vec<PageVersion>> {
    let mut tx = db.tenant_read(tenant_id).await?;
    let rows = tx
        .query(
            "SELECT version, body, created_by, created_at FROM portal_pages \
             WHERE tenant_id = $1 AND page = $2 ORDER BY version DESC LIMIT $3",
        )
        .bind(page.as_str())
        .bind(limit)
        .fetch_all(tx.conn())
        .await?;
    tx.commit().await?;
    Ok(rows
        .iter()
        .map(PageVersion::from_row)
        .collect::<sqlx::Result<_>>()?)
}

fn page_of(text: &str) -> Result<ColumnPage> {
    ColumnPage::parse(text).ok_or_else(|| Error::NotFound(format!("portal page `{text}`")))
}

/// Every saved version of the guide or the rules, newest first.
#[utoipa::path(get, path = "/api/v1/tenants/{slug}/portal/pages/{page}", tag = "portal",
    params(("slug" = String, Path), ("page" = String, Path, description = "guide or rules")),
    responses((status = 200, body = Vec<PageVersion>), (status = 404, body = Problem)))]
pub async fn list_versions(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_slug, page)): Path<(String, String)>,
) -> Result<Json<Vec<PageVersion>>> {
    let page = page_of(&page)?;
    Ok(Json(
        versions(&state.db, &ctx.tenant()?.id, page, 1000).await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PageInput {
    /// Markdown (raw HTML is shown as text).
    pub body: String,
}

/// Publish a new version of the guide or the rules; the portal shows it at once with
/// its date as "last updated".
#[utoipa::path(post, path = "/api/v1/tenants/{slug}/portal/pages/{page}", tag = "portal",
    params(("slug" = String, Path), ("page" = String, Path, description = "guide or rules")),
    request_body = PageInput,
    responses((status = 201, body = PageVersion), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn publish_version(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_slug, page)): Path<(String, String)>,
    ApiJson(input): ApiJson<PageInput>,
) -> Result<(axum::http::StatusCode, Json<PageVersion>)> {
    let page = page_of(&page)?;
    let body = input.body.trim().to_string();
    if body.is_empty() || body.chars().count() > 100_000 {
        return Err(Error::invalid("body", "1 to 100000 characters of Markdown"));
    }
    let tenant = ctx.tenant()?;
    let actor = ctx.actor();
    let mut tx = state.db.tenant(&tenant.id).await?;
    let next: i64 = tx
        .query("SELECT COALESCE(MAX(version), 0) + 1 AS n FROM portal_pages WHERE tenant_id = $1 AND page = $2")
        .bind(page.as_str())
        .fetch_one(tx.conn())
        .await
        .and_then(|r| <(i64,)>::from_row(&r))?
        .0;
    let v = PageVersion {
        version: next,
        body,
        created_by: actor.user_id.clone(),
        created_at: ids::now_text(),
    };
    tx.query(
        "INSERT INTO portal_pages (tenant_id, page, version, body, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(page.as_str())
    .bind(v.version)
    .bind(v.body.clone())
    .bind(v.created_by.clone())
    .bind(v.created_at.clone())
    .execute(tx.conn())
    .await
    .on_constraint(Constraint::Unique, || {
        Error::conflict("another version was saved at the same moment; save again")
    })?;
    audit::append(
        &mut tx,
        &actor,
        &format!("portal.{}.publish", page.as_str()),
        "tenant",
        &tenant.id,
        serde_json::json!({"version": v.version}),
    )
    .await?;
    tx.commit().await?;
    Ok((axum::http::StatusCode::CREATED, Json(v)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_names_are_checked_and_normalised() {
        let mut s = PortalSettings {
            hosts: vec!["GK.Example.gov.cn.".into(), "gk.example.gov.cn".into()],
            ..PortalSettings::default()
        };
        s.check().unwrap();
        assert_eq!(s.hosts, vec!["gk.example.gov.cn"]);
        for bad in ["localhost", "a..b", "-a.cn", "a b.cn", "http://x.cn"] {
            let mut s = PortalSettings {
                hosts: vec![bad.into()],
                ..PortalSettings::default()
            };
            assert!(s.check().is_err(), "{bad}");
        }
    }
}
