//! Accounts and memberships: create, add to a tenant, grant and revoke roles, disable.
//! Each change is stored and audited in one transaction; the authoriser and the caches
//! learn of it right after the commit.

use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

use super::store::{self, Member, User};
use crate::audit;
use crate::auth::principal::PrincipalCache;
use crate::auth::session_store::DbSessionStore;
use crate::auth::{password, tokens};
use crate::authz::{catalog, roles, Authz};
use crate::kernel::actor::Actor;
use crate::kernel::db::{Db, TenantTx};
use crate::kernel::error::{check, Error, FieldProblem, Result};
use crate::kernel::ids;
use crate::tenancy::{self, Tenant, PLATFORM_TENANT_ID};

/// What account changes touch: the database, and those who must learn of a change
/// right after its commit (the authoriser, the cache of signed-in accounts, sessions).
#[derive(Clone, Copy)]
pub struct Accounts<'a> {
    pub db: &'a Db,
    pub authz: &'a Authz,
    pub principals: &'a PrincipalCache,
    pub sessions: &'a DbSessionStore,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    pub email: String,
    pub display_name: String,
    pub password: String,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    pub display_name: Option<String>,
    /// false disables the account and ends its sessions.
    pub active: Option<bool>,
    /// A new password; ends the account's sessions.
    pub password: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMember {
    pub email: String,
    /// Needed only when no account has this address yet.
    pub display_name: Option<String>,
    /// Needed only when no account has this address yet.
    pub password: Option<String>,
    pub roles: Vec<String>,
}

fn check_email(email: &str, problems: &mut Vec<FieldProblem>) {
    let email = email.trim();
    let valid = email.len() <= 254
        && !email.contains(char::is_whitespace)
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.starts_with('.')
        });
    if !valid {
        problems.push(FieldProblem::new("email", "not an e-mail address"));
    }
}

fn check_display_name(name: &str, problems: &mut Vec<FieldProblem>) {
    let len = name.trim().chars().count();
    if len == 0 || len > 100 {
        problems.push(FieldProblem::new("display_name", "1–100 characters"));
    }
}

/// May this role be held in this tenant? Platform admins exist only on the platform root.
fn check_role(tenant: &Tenant, role: &str) -> Result<()> {
    if !catalog::is_role(role) {
        return Err(Error::invalid("role", format!("unknown role `{role}`")));
    }
    if role == "platform_admin" && !tenant.is_platform() {
        return Err(Error::invalid(
            "role",
            "platform_admin is held on the platform root only",
        ));
    }
    Ok(())
}

/// Nobody grants or revokes their own roles: another administrator must.
fn check_not_self(actor: &Actor, user_id: &str) -> Result<()> {
    if actor.user_id.as_deref() == Some(user_id) {
        return Err(Error::Forbidden(
            "nobody grants or revokes their own roles: another administrator must".into(),
        ));
    }
    Ok(())
}

/// A role whose permissions reach other tenants (any `descendant:` permission, as the
/// role templates stand now) is granted only from above: by an account that may manage
/// the members of the tenant's parent (the parent's own administrator, a platform
/// administrator), or at the command line. A tenant's own administrator cannot give
/// anyone, least of all a colleague acting for them, a view into other agencies.
async fn check_reach(
    accounts: Accounts<'_>,
    actor: &Actor,
    tenant: &Tenant,
    role: &str,
) -> Result<()> {
    let (Some(user_id), Some(parent_id)) = (&actor.user_id, &tenant.parent_id) else {
        return Ok(());
    };
    let permissions = roles::permissions(accounts.db, role).await?;
    if !permissions.iter().any(|p| p.starts_with("descendant:")) {
        return Ok(());
    }
    let mut conn = accounts.db.pool().acquire().await?;
    let parent = tenancy::store::by_id(&mut conn, parent_id)
        .await?
        .ok_or_else(|| Error::internal(format!("missing parent tenant {parent_id}")))?;
    drop(conn);
    let above = tenancy::store::ancestors(accounts.db, &parent).await?;
    if accounts
        .authz
        .allowed(user_id, &parent, &above, "members", "manage")
        .await
    {
        return Ok(());
    }
    Err(Error::Forbidden(format!(
        "`{role}` reaches other agencies: only an administrator of the parent agency or of the platform may grant it"
    )))
}

/// Is the actor the platform's operator: the command line, or an account that may manage
/// accounts on the platform root (a platform administrator)?
async fn is_platform_operator(accounts: Accounts<'_>, actor: &Actor) -> Result<bool> {
    let Some(user_id) = &actor.user_id else {
        return Ok(true);
    };
    let mut conn = accounts.db.pool().acquire().await?;
    let root = tenancy::store::by_id(&mut conn, PLATFORM_TENANT_ID)
        .await?
        .ok_or_else(|| Error::internal("the platform root tenant is missing"))?;
    drop(conn);
    Ok(accounts
        .authz
        .allowed(user_id, &root, &[], "users", "manage")
        .await)
}

/// Validates and inserts a new account inside the caller's transaction.
async fn insert_user(tx: &mut TenantTx, actor: &Actor, input: &NewUser) -> Result<User> {
    let mut problems = Vec::new();
    check_email(&input.email, &mut problems);
    check_display_name(&input.display_name, &mut problems);
    problems.extend(password::check("password", &input.password));
    check(problems)?;
    let user = User {
        id: ids::new_id(),
        email: store::normalize_email(&input.email),
        display_name: input.display_name.trim().to_string(),
        active: true,
        created_at: ids::now_text(),
    };
    let pw = input.password.clone();
    let hash = tokio::task::spawn_blocking(move || password::hash(&pw))
        .await
        .map_err(Error::internal_from)?;
    store::insert(tx.conn(), &user, &hash).await?;
    audit::append(
        tx,
        actor,
        "user.create",
        "user",
        &user.id,
        json!({"email": user.email}),
    )
    .await?;
    Ok(user)
}

/// Creates an account with no roles (platform admins; the CLI).
pub async fn create_user(db: &Db, actor: &Actor, input: NewUser) -> Result<User> {
    let mut tx = db.tenant(PLATFORM_TENANT_ID).await?;
    let user = insert_user(&mut tx, actor, &input).await?;
    tx.commit().await?;
    Ok(user)
}

pub async fn update_user(
    accounts: Accounts<'_>,
    actor: &Actor,
    user_id: &str,
    patch: UserPatch,
) -> Result<User> {
    let mut problems = Vec::new();
    if let Some(name) = &patch.display_name {
        check_display_name(name, &mut problems);
    }
    if let Some(pw) = &patch.password {
        problems.extend(password::check("password", pw));
    }
    check(problems)?;

    let mut tx = accounts.db.tenant(PLATFORM_TENANT_ID).await?;
    let user = store::by_id(tx.conn(), user_id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("user {user_id}")))?;
    let mut changed = user.clone();
    let mut details = serde_json::Map::new();
    if let Some(name) = patch.display_name {
        changed.display_name = name.trim().to_string();
        details.insert("display_name".into(), json!(changed.display_name));
    }
    if let Some(active) = patch.active {
        changed.active = active;
        details.insert("active".into(), json!(active));
    }
    store::update(tx.conn(), &changed).await?;
    if let Some(pw) = patch.password.clone() {
        let hash = tokio::task::spawn_blocking(move || password::hash(&pw))
            .await
            .map_err(Error::internal_from)?;
        store::set_password_hash(tx.conn(), user_id, &hash).await?;
        details.insert("password".into(), json!("changed"));
    }
    let ends_access = patch.active == Some(false) || patch.password.is_some();
    if ends_access {
        // Tokens are revoked, not merely refused while disabled: re-enabling the account
        // must not bring back credentials issued before.
        let revoked = tokens::revoke_all(tx.conn(), user_id).await?;
        details.insert("tokens_revoked".into(), json!(revoked));
    }
    let action = if patch.active == Some(false) {
        "user.disable"
    } else {
        "user.update"
    };
    audit::append(
        &mut tx,
        actor,
        action,
        "user",
        user_id,
        serde_json::Value::Object(details),
    )
    .await?;
    tx.commit().await?;

    accounts.principals.forget_user(user_id);
    if ends_access {
        accounts.principals.forget_tokens();
        accounts.sessions.delete_for_user(user_id, None).await?;
    }
    if patch.active.is_some() {
        // Assignments of disabled accounts are not loaded into the enforcer.
        accounts.authz.reload().await?;
    }
    Ok(changed)
}

/// A user changes their own password: the current one is checked, then every other
/// session and every API token of the account ends; `keep` (the session the change
/// was made in) stays signed in.
pub async fn change_own_password(
    accounts: Accounts<'_>,
    actor: &Actor,
    user_id: &str,
    current: &str,
    new: &str,
    keep: Option<tower_sessions::session::Id>,
) -> Result<()> {
    check(password::check("new_password", new))?;
    let mut tx = accounts.db.tenant(PLATFORM_TENANT_ID).await?;
    let hash = store::password_hash(tx.conn(), user_id).await?;
    let (current, new) = (current.to_string(), new.to_string());
    let new_hash = tokio::task::spawn_blocking(move || {
        password::verify(&current, &hash).then(|| password::hash(&new))
    })
    .await
    .map_err(Error::internal_from)?
    .ok_or(Error::BadCredentials)?;
    store::set_password_hash(tx.conn(), user_id, &new_hash).await?;
    let revoked = tokens::revoke_all(tx.conn(), user_id).await?;
    audit::append(
        &mut tx,
        actor,
        "user.password",
        "user",
        user_id,
        json!({"tokens_revoked": revoked}),
    )
    .await?;
    tx.commit().await?;
    accounts.principals.forget_tokens();
    accounts.sessions.delete_for_user(user_id, keep).await?;
    Ok(())
}

/// Whether the account holds any role in the tenant.
async fn is_member(accounts: Accounts<'_>, user_id: &str, tenant: &Tenant) -> bool {
    !accounts
        .authz
        .roles_in(user_id, &tenant.id)
        .await
        .is_empty()
}

/// Adds a member to a tenant with roles, creating the account when the address is new.
pub async fn add_member(
    accounts: Accounts<'_>,
    actor: &Actor,
    tenant: &Tenant,
    input: NewMember,
) -> Result<Member> {
    if input.roles.is_empty() {
        return Err(Error::invalid("roles", "name at least one role"));
    }
    for role in &input.roles {
        check_role(tenant, role)?;
        check_reach(accounts, actor, tenant, role).await?;
    }
    let mut tx = accounts.db.tenant(&tenant.id).await?;
    let found = store::by_email(tx.conn(), &input.email).await?;
    if !is_platform_operator(accounts, actor).await? {
        // A tenant's administrator extends only accounts already in the tenant. Anyone
        // else — an account of another agency or an address nobody has — is enrolled by
        // a platform administrator, and both get this same answer: the address's
        // existence is not told.
        let member_here = match &found {
            Some(user) => is_member(accounts, &user.id, tenant).await,
            None => false,
        };
        if !member_here {
            return Err(Error::Forbidden(
                "only a platform administrator enrols an account in an agency; once it is a \
                 member here, grant its roles"
                    .into(),
            ));
        }
    }
    let user = match found {
        Some(user) => user,
        None => {
            let (Some(display_name), Some(password)) =
                (input.display_name.clone(), input.password.clone())
            else {
                let mut problems = Vec::new();
                if input.display_name.is_none() {
                    problems.push(FieldProblem::new(
                        "display_name",
                        "required for a new account",
                    ));
                }
                if input.password.is_none() {
                    problems.push(FieldProblem::new("password", "required for a new account"));
                }
                return Err(Error::Invalid(problems));
            };
            let new = NewUser {
                email: input.email.clone(),
                display_name,
                password,
            };
            insert_user(&mut tx, actor, &new).await?
        }
    };
    check_not_self(actor, &user.id)?;
    let at = ids::now_text();
    for role in &input.roles {
        if store::grant(tx.conn(), &tenant.id, &user.id, role, &at).await? {
            audit::append(
                &mut tx,
                actor,
                "role.grant",
                "user",
                &user.id,
                json!({"role": role, "email": user.email}),
            )
            .await?;
        }
    }
    tx.commit().await?;
    for role in &input.roles {
        accounts.authz.granted(&user.id, role, &tenant.id).await?;
    }
    accounts.principals.forget_user(&user.id);
    let roles = accounts.authz.roles_in(&user.id, &tenant.id).await;
    Ok(Member { user, roles })
}

pub async fn grant(
    accounts: Accounts<'_>,
    actor: &Actor,
    tenant: &Tenant,
    user_id: &str,
    role: &str,
) -> Result<()> {
    check_role(tenant, role)?;
    check_not_self(actor, user_id)?;
    check_reach(accounts, actor, tenant, role).await?;
    let unknown = || Error::NotFound(format!("member {user_id} of this tenant"));
    // Granting a role to someone not yet a member would enrol them: that is a platform
    // administrator's act (issue 11 point 4). An account of another agency and an id
    // nobody has get the same answer.
    if !is_member(accounts, user_id, tenant).await && !is_platform_operator(accounts, actor).await?
    {
        return Err(unknown());
    }
    let mut tx = accounts.db.tenant(&tenant.id).await?;
    let user = store::by_id(tx.conn(), user_id)
        .await?
        .ok_or_else(unknown)?;
    if store::grant(tx.conn(), &tenant.id, user_id, role, &ids::now_text()).await? {
        audit::append(
            &mut tx,
            actor,
            "role.grant",
            "user",
            user_id,
            json!({"role": role, "email": user.email}),
        )
        .await?;
    }
    tx.commit().await?;
    accounts.authz.granted(user_id, role, &tenant.id).await?;
    accounts.principals.forget_user(user_id);
    Ok(())
}

pub async fn revoke(
    accounts: Accounts<'_>,
    actor: &Actor,
    tenant: &Tenant,
    user_id: &str,
    role: &str,
) -> Result<()> {
    check_not_self(actor, user_id)?;
    let mut tx = accounts.db.tenant(&tenant.id).await?;
    if !store::revoke(tx.conn(), &tenant.id, user_id, role).await? {
        return Err(Error::NotFound(format!(
            "role `{role}` of user {user_id} in this tenant"
        )));
    }
    audit::append(
        &mut tx,
        actor,
        "role.revoke",
        "user",
        user_id,
        json!({"role": role}),
    )
    .await?;
    tx.commit().await?;
    accounts.authz.revoked(user_id, role, &tenant.id).await?;
    accounts.principals.forget_user(user_id);
    Ok(())
}
