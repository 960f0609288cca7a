//! Authorisation with casbin: RBAC with domains, the tenant as domain. Role templates
//! (`p role object action`) are shared by every tenant; per-tenant data is only the
//! role assignments (`g user role tenant`). Both live in our own tables, read by a small
//! adapter, so one adapter serves SQLite and PostgreSQL.
//!
//! Changes are written by the service in its own transaction (with the audit entry), then
//! applied to the in-memory enforcer at once; a timer reloads everything to pick up
//! changes made by other replicas.

pub mod catalog;
pub mod roles;
pub mod routes;
pub mod withdrawals;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use casbin::{
    Adapter, CachedApi, CachedEnforcer, CoreApi, DefaultModel, Filter, MgmtApi, Model, RbacApi,
};
use tokio::sync::RwLock;

use crate::kernel::db::Db;
use crate::kernel::error::{Error, Result};
use crate::tenancy::model::Tenant;

const MODEL: &str = include_str!("model.conf");

/// What agencies withdrew from roles within themselves: tenant id → (role, `object:action`).
type Withdrawn = HashMap<String, HashSet<(String, String)>>;

#[derive(Clone)]
pub struct Authz {
    enforcer: Arc<RwLock<CachedEnforcer>>,
    withdrawn: Arc<std::sync::RwLock<Withdrawn>>,
    /// Where the withdrawals are read again on a reload.
    db: Db,
}

impl std::fmt::Debug for Authz {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Authz")
    }
}

fn casbin_error(err: casbin::Error) -> Error {
    Error::internal_cause("authorisation", err)
}

impl Authz {
    pub async fn load(db: &Db) -> Result<Authz> {
        let model = DefaultModel::from_str(MODEL).await.map_err(casbin_error)?;
        let mut enforcer = CachedEnforcer::new(model, DbAdapter { db: db.clone() })
            .await
            .map_err(casbin_error)?;
        // The database is written by the service; the enforcer only mirrors it.
        enforcer.enable_auto_save(false);
        Ok(Authz {
            enforcer: Arc::new(RwLock::new(enforcer)),
            withdrawn: Arc::new(std::sync::RwLock::new(withdrawals::load(db).await?)),
            db: db.clone(),
        })
    }

    /// Re-reads every policy, assignment and withdrawal (timer, or after a bulk change).
    pub async fn reload(&self) -> Result<()> {
        let withdrawn = withdrawals::load(&self.db).await?;
        let mut enforcer = self.enforcer.write().await;
        enforcer.load_policy().await.map_err(casbin_error)?;
        // casbin's cached enforcer keeps earlier decisions across a reload.
        enforcer.get_mut_cache().clear();
        *self.withdrawn.write().expect("withdrawals lock") = withdrawn;
        Ok(())
    }

    /// What `tenant_id` withdrew: (role, `object:action`), as the checks see it.
    pub fn withdrawn_in(&self, tenant_id: &str) -> HashSet<(String, String)> {
        self.withdrawn
            .read()
            .expect("withdrawals lock")
            .get(tenant_id)
            .cloned()
            .unwrap_or_default()
    }

    /// Applies a change of the matrix at once (the database holds it already).
    fn set_withdrawn(&self, tenant_id: &str, role: &str, permission: &str, withdrawn: bool) {
        let mut all = self.withdrawn.write().expect("withdrawals lock");
        let set = all.entry(tenant_id.to_string()).or_default();
        let key = (role.to_string(), permission.to_string());
        if withdrawn {
            set.insert(key);
        } else {
            set.remove(&key);
        }
    }

    /// May `user_id` do `object:action` on `tenant`? Either by a role held on the tenant
    /// itself, or by a `descendant:` permission held on one of its ancestors.
    pub async fn allowed(
        &self,
        user_id: &str,
        tenant: &Tenant,
        ancestors: &[Tenant],
        object: &str,
        action: &str,
    ) -> bool {
        let enforcer = self.enforcer.read().await;
        let withdrawn = self.withdrawn.read().expect("withdrawals lock");
        let check = |domain: &str, object: &str| {
            let granted = enforcer
                .enforce((user_id, domain, object, action))
                .unwrap_or(false);
            // Where the agency withdrew something, a role counts only for what the
            // platform grants it and the agency left it.
            match withdrawn.get(domain).filter(|w| !w.is_empty()) {
                Some(w) if granted => {
                    let permission = format!("{object}:{action}");
                    enforcer
                        .get_filtered_grouping_policy(0, vec![user_id.to_string()])
                        .iter()
                        .filter(|g| g.get(2).map(String::as_str) == Some(domain))
                        .filter_map(|g| g.get(1))
                        .any(|role| {
                            enforcer.has_policy(vec![
                                role.clone(),
                                object.to_string(),
                                action.to_string(),
                            ]) && !w.contains(&(role.clone(), permission.clone()))
                        })
                }
                _ => granted,
            }
        };
        if check(&tenant.id, object) {
            return true;
        }
        let inherited = format!("descendant:{object}");
        ancestors.iter().any(|a| check(&a.id, &inherited))
    }

    /// Roles the user holds in a tenant (as the enforcer currently sees them).
    pub async fn roles_in(&self, user_id: &str, tenant_id: &str) -> Vec<String> {
        let enforcer = self.enforcer.write().await;
        enforcer.get_roles_for_user(user_id, Some(tenant_id))
    }

    /// Does the account with this e-mail hold the role in the tenant (as stored)?
    pub async fn roles_in_db(
        &self,
        db: &Db,
        email: &str,
        tenant_id: &str,
        role: &str,
    ) -> Result<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM role_assignments r JOIN users u ON u.id = r.user_id \
             WHERE u.email = $1 AND r.tenant_id = $2 AND r.role = $3",
        )
        .bind(crate::users::store::normalize_email(email))
        .bind(tenant_id)
        .bind(role)
        .fetch_one(db.pool())
        .await?;
        Ok(n > 0)
    }

    pub async fn granted(&self, user_id: &str, role: &str, tenant_id: &str) -> Result<()> {
        let mut enforcer = self.enforcer.write().await;
        enforcer
            .add_grouping_policy(vec![user_id.into(), role.into(), tenant_id.into()])
            .await
            .map_err(casbin_error)?;
        Ok(())
    }

    pub async fn revoked(&self, user_id: &str, role: &str, tenant_id: &str) -> Result<()> {
        let mut enforcer = self.enforcer.write().await;
        enforcer
            .remove_grouping_policy(vec![user_id.into(), role.into(), tenant_id.into()])
            .await
            .map_err(casbin_error)?;
        Ok(())
    }
}

/// Applies every default grant not applied before: a fresh install gets them all, an
/// existing one gets those a new release added, and a grant an admin removed after it
/// was applied stays removed.
pub async fn seed_default_permissions(db: &Db) -> Result<()> {
    let mut tx = db.begin().await?;
    for (role, permissions) in catalog::DEFAULT_GRANTS {
        for permission in *permissions {
            let (object, action) =
                catalog::split(permission).expect("catalog permissions have a colon");
            let first_time = sqlx::query(
                "INSERT INTO role_permission_defaults (role, object, action) VALUES ($1, $2, $3) \
                 ON CONFLICT (role, object, action) DO NOTHING",
            )
            .bind(*role)
            .bind(object)
            .bind(action)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                > 0;
            if first_time {
                sqlx::query(
                    "INSERT INTO role_permissions (role, object, action) VALUES ($1, $2, $3) \
                     ON CONFLICT (role, object, action) DO NOTHING",
                )
                .bind(*role)
                .bind(object)
                .bind(action)
                .execute(&mut *tx)
                .await?;
            }
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Reads policies from our tables. Writes go through the service (see module docs), so
/// the write half of the trait refuses.
struct DbAdapter {
    db: Db,
}

fn adapter_error(err: sqlx::Error) -> casbin::Error {
    casbin::Error::AdapterError(casbin::error::AdapterError(Box::new(err)))
}

fn read_only() -> casbin::Result<bool> {
    Err(casbin::Error::AdapterError(casbin::error::AdapterError(
        "policies are written by the service, not through the enforcer".into(),
    )))
}

#[async_trait::async_trait]
impl Adapter for DbAdapter {
    async fn load_policy(&mut self, m: &mut dyn Model) -> casbin::Result<()> {
        // Both kinds of rule are three texts, in the order of the model's definitions.
        let permissions: Vec<(String, String, String)> =
            sqlx::query_as("SELECT role, object, action FROM role_permissions")
                .fetch_all(self.db.pool())
                .await
                .map_err(adapter_error)?;
        for (role, object, action) in permissions {
            m.add_policy("p", "p", vec![role, object, action]);
        }
        let assignments: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT r.user_id, r.role, r.tenant_id FROM role_assignments r \
             JOIN users u ON u.id = r.user_id WHERE u.active = 1",
        )
        .fetch_all(self.db.pool())
        .await
        .map_err(adapter_error)?;
        for (user_id, role, tenant_id) in assignments {
            m.add_policy("g", "g", vec![user_id, role, tenant_id]);
        }
        Ok(())
    }

    async fn load_filtered_policy<'a>(
        &mut self,
        m: &mut dyn Model,
        _f: Filter<'a>,
    ) -> casbin::Result<()> {
        self.load_policy(m).await
    }

    async fn save_policy(&mut self, _m: &mut dyn Model) -> casbin::Result<()> {
        read_only().map(|_| ())
    }

    async fn clear_policy(&mut self) -> casbin::Result<()> {
        read_only().map(|_| ())
    }

    fn is_filtered(&self) -> bool {
        false
    }

    async fn add_policy(
        &mut self,
        _sec: &str,
        _ptype: &str,
        _rule: Vec<String>,
    ) -> casbin::Result<bool> {
        read_only()
    }

    async fn add_policies(
        &mut self,
        _sec: &str,
        _ptype: &str,
        _rules: Vec<Vec<String>>,
    ) -> casbin::Result<bool> {
        read_only()
    }

    async fn remove_policy(
        &mut self,
        _sec: &str,
        _ptype: &str,
        _rule: Vec<String>,
    ) -> casbin::Result<bool> {
        read_only()
    }

    async fn remove_policies(
        &mut self,
        _sec: &str,
        _ptype: &str,
        _rules: Vec<Vec<String>>,
    ) -> casbin::Result<bool> {
        read_only()
    }

    async fn remove_filtered_policy(
        &mut self,
        _sec: &str,
        _ptype: &str,
        _field_index: usize,
        _field_values: Vec<String>,
    ) -> casbin::Result<bool> {
        read_only()
    }
}
