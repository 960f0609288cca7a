//! Creating and changing tenants: validation, storage and the audit entry in one
//! transaction. Used by the API and the CLI alike. Tenant changes are audited in the
//! platform's chain, where platform admins act.

use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

use super::directory::TenantDirectory;
use super::model::{self, Tenant, TenantKind, PLATFORM_TENANT_ID};
use super::store;
use crate::audit;
use crate::kernel::actor::Actor;
use crate::kernel::db::Db;
use crate::kernel::error::{check, Error, FieldProblem, Result};
use crate::kernel::ids;

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTenant {
    pub slug: String,
    pub name_zh: String,
    #[serde(default)]
    pub name_en: String,
    pub kind: TenantKind,
    /// The parent's slug; the platform root when absent.
    pub parent: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TenantPatch {
    pub name_zh: Option<String>,
    pub name_en: Option<String>,
    pub kind: Option<TenantKind>,
    /// Move under this parent (slug).
    pub parent: Option<String>,
    /// false deactivates: staff can no longer sign in to it and its portal is gone;
    /// nothing is deleted. true reactivates.
    pub active: Option<bool>,
}

async fn parent_by_slug(db: &Db, slug: Option<&str>) -> Result<Tenant> {
    let slug = slug.unwrap_or("platform");
    store::by_slug(db, slug)
        .await?
        .ok_or_else(|| Error::invalid("parent", format!("no tenant `{slug}`")))
}

pub async fn create(
    db: &Db,
    directory: &TenantDirectory,
    actor: &Actor,
    input: NewTenant,
) -> Result<Tenant> {
    let mut problems: Vec<FieldProblem> = Vec::new();
    model::check_slug(&input.slug, &mut problems);
    model::check_name("name_zh", &input.name_zh, true, &mut problems);
    model::check_name("name_en", &input.name_en, false, &mut problems);
    if input.kind == TenantKind::Platform {
        problems.push(FieldProblem::new("kind", "there is one platform root"));
    }
    check(problems)?;
    let parent = parent_by_slug(db, input.parent.as_deref()).await?;
    let tenant = Tenant {
        id: ids::new_id(),
        parent_id: Some(parent.id.clone()),
        slug: input.slug,
        name_zh: input.name_zh.trim().to_string(),
        name_en: input.name_en.trim().to_string(),
        kind: input.kind,
        active: true,
        created_at: ids::now_text(),
    };
    let mut tx = db.tenant(PLATFORM_TENANT_ID).await?;
    store::insert(tx.conn(), &tenant).await?;
    audit::append(
        &mut tx,
        actor,
        "tenant.create",
        "tenant",
        &tenant.id,
        json!({"slug": tenant.slug, "name_zh": tenant.name_zh, "name_en": tenant.name_en,
               "kind": tenant.kind.as_str(), "parent": parent.slug}),
    )
    .await?;
    tx.commit().await?;
    directory.forget_all();
    Ok(tenant)
}

pub async fn update(
    db: &Db,
    directory: &TenantDirectory,
    actor: &Actor,
    tenant: &Tenant,
    patch: TenantPatch,
) -> Result<Tenant> {
    if tenant.is_platform() {
        return Err(Error::conflict("the platform root cannot be changed"));
    }
    let mut problems = Vec::new();
    if let Some(name) = &patch.name_zh {
        model::check_name("name_zh", name, true, &mut problems);
    }
    if let Some(name) = &patch.name_en {
        model::check_name("name_en", name, false, &mut problems);
    }
    if patch.kind == Some(TenantKind::Platform) {
        problems.push(FieldProblem::new("kind", "there is one platform root"));
    }
    check(problems)?;

    let mut changed = tenant.clone();
    let mut details = serde_json::Map::new();
    if let Some(name) = patch.name_zh {
        changed.name_zh = name.trim().to_string();
        details.insert("name_zh".into(), json!(changed.name_zh));
    }
    if let Some(name) = patch.name_en {
        changed.name_en = name.trim().to_string();
        details.insert("name_en".into(), json!(changed.name_en));
    }
    if let Some(kind) = patch.kind {
        changed.kind = kind;
        details.insert("kind".into(), json!(kind.as_str()));
    }
    if let Some(parent_slug) = &patch.parent {
        let parent = parent_by_slug(db, Some(parent_slug)).await?;
        let parent_ancestors = store::ancestors(db, &parent).await?;
        model::check_move(tenant, &parent, &parent_ancestors)
            .map_err(|m| Error::invalid("parent", m))?;
        changed.parent_id = Some(parent.id);
        details.insert("parent".into(), json!(parent_slug));
    }
    if let Some(active) = patch.active {
        changed.active = active;
        details.insert("active".into(), json!(active));
    }
    if details.is_empty() {
        return Ok(changed);
    }
    let action = match patch.active {
        Some(false) => "tenant.deactivate",
        Some(true) if !tenant.active => "tenant.reactivate",
        _ if patch.parent.is_some() => "tenant.move",
        _ => "tenant.update",
    };
    let mut tx = db.tenant(PLATFORM_TENANT_ID).await?;
    store::update(tx.conn(), &changed).await?;
    audit::append(
        &mut tx,
        actor,
        action,
        "tenant",
        &tenant.id,
        serde_json::Value::Object(details),
    )
    .await?;
    tx.commit().await?;
    directory.forget_all();
    Ok(changed)
}
