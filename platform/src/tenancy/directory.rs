//! The tenants every request resolves (by slug, with their ancestors), kept for a few
//! seconds in memory: every tenant route and every public page starts here, and the tree
//! changes rarely. This process forgets everything on any tenant change; another process
//! (the CLI) is seen within [`TTL`].

use std::sync::Arc;
use std::time::Duration;

use super::model::Tenant;
use super::store;
use crate::kernel::db::Db;
use crate::kernel::error::{Error, Result};

/// How long another process's tenant change may go unseen.
pub const TTL: Duration = Duration::from_secs(5);

/// A tenant with its ancestors, nearest first, up to the platform root.
#[derive(Debug, Clone)]
pub struct Placed {
    pub tenant: Tenant,
    pub ancestors: Vec<Tenant>,
}

#[derive(Clone)]
pub struct TenantDirectory {
    by_slug: moka::sync::Cache<String, Arc<Placed>>,
}

impl Default for TenantDirectory {
    fn default() -> Self {
        TenantDirectory {
            by_slug: moka::sync::Cache::builder()
                .max_capacity(10_000)
                .time_to_live(TTL)
                .build(),
        }
    }
}

impl TenantDirectory {
    /// The tenant of this slug with its ancestors; unknown slugs are not remembered.
    pub async fn placed(&self, db: &Db, slug: &str) -> Result<Option<Arc<Placed>>> {
        if let Some(placed) = self.by_slug.get(slug) {
            return Ok(Some(placed));
        }
        let Some(tenant) = store::by_slug(db, slug).await? else {
            return Ok(None);
        };
        let ancestors = store::ancestors(db, &tenant).await?;
        let placed = Arc::new(Placed { tenant, ancestors });
        self.by_slug.insert(slug.to_string(), placed.clone());
        Ok(Some(placed))
    }

    pub async fn by_slug(&self, db: &Db, slug: &str) -> Result<Option<Tenant>> {
        Ok(self.placed(db, slug).await?.map(|p| p.tenant.clone()))
    }

    /// The tenant behind a public URL (portal, public API): gone when deactivated.
    pub async fn public(&self, db: &Db, slug: &str) -> Result<Tenant> {
        self.by_slug(db, slug)
            .await?
            .filter(|t| t.active && !t.is_platform())
            .ok_or_else(|| Error::NotFound(format!("portal `{slug}`")))
    }

    /// After a tenant is created, renamed, moved or (de)activated: a move changes the
    /// ancestors of a whole subtree, so everything goes.
    pub fn forget_all(&self) {
        self.by_slug.invalidate_all();
    }
}
