//! Demo data: a fictional city government with three departments and a user for each
//! role. Seeding is idempotent: what exists is left as it is.

use axum::extract::FromRef;

use super::AppState;
use crate::disclosure::Disclosure;
use crate::kernel::actor::Actor;
use crate::kernel::error::{Error, Result};
use crate::tenancy::service::NewTenant;
use crate::tenancy::{store as tenants, Tenant, TenantKind};
use crate::users::service::{self as users, NewMember};

pub const PASSWORD: &str = "Gongkai-Demo-2026";

pub const CITY: &str = "demo-city";

/// (slug, 中文名, English name, kind, parent)
const TENANTS: &[(&str, &str, &str, TenantKind, Option<&str>)] = &[
    (
        CITY,
        "示例市人民政府",
        "Demo City People's Government",
        TenantKind::Government,
        None,
    ),
    (
        "demo-city-edu",
        "示例市教育局",
        "Demo City Education Bureau",
        TenantKind::Department,
        Some(CITY),
    ),
    (
        "demo-city-env",
        "示例市生态环境局",
        "Demo City Ecology and Environment Bureau",
        TenantKind::Department,
        Some(CITY),
    ),
    (
        "demo-city-finance",
        "示例市财政局",
        "Demo City Finance Bureau",
        TenantKind::Department,
        Some(CITY),
    ),
];

/// (e-mail, display name, tenant, role)
const USERS: &[(&str, &str, &str, &str)] = &[
    (
        "admin@demo.gongkai.cn",
        "平台管理员 Platform Admin",
        "platform",
        "platform_admin",
    ),
    (
        "city-admin@demo.gongkai.cn",
        "李建国（市政府办公室）",
        CITY,
        "tenant_admin",
    ),
    (
        "editor@demo.gongkai.cn",
        "王晓梅（信息公开科）",
        CITY,
        "editor",
    ),
    (
        "reviewer@demo.gongkai.cn",
        "赵立新（保密办）",
        CITY,
        "reviewer",
    ),
    (
        "approver@demo.gongkai.cn",
        "陈志远（分管副秘书长）",
        CITY,
        "approver",
    ),
    (
        "officer@demo.gongkai.cn",
        "刘芳（依申请公开经办）",
        CITY,
        "request_officer",
    ),
    // The same officer also handles the education bureau's requests (switching agencies).
    (
        "officer@demo.gongkai.cn",
        "刘芳（依申请公开经办）",
        "demo-city-edu",
        "request_officer",
    ),
    ("auditor@demo.gongkai.cn", "孙敏（审计）", CITY, "auditor"),
    (
        "overseer@demo.gongkai.cn",
        "周海（政务公开办）",
        CITY,
        "overseer",
    ),
    (
        "edu-editor@demo.gongkai.cn",
        "吴静（教育局办公室）",
        "demo-city-edu",
        "editor",
    ),
    (
        "env-editor@demo.gongkai.cn",
        "郑涛（生态环境局办公室）",
        "demo-city-env",
        "editor",
    ),
    (
        "finance-editor@demo.gongkai.cn",
        "钱琳（财政局办公室）",
        "demo-city-finance",
        "editor",
    ),
];

/// The demo's accounts (they alone are given [`PASSWORD`]).
pub const ACCOUNTS: [&str; USERS.len()] = {
    let mut out = [""; USERS.len()];
    let mut i = 0;
    while i < USERS.len() {
        out[i] = USERS[i].0;
        i += 1;
    }
    out
};

pub struct DemoInfo {
    pub users: Vec<(String, String, String)>,
}

impl DemoInfo {
    pub fn instructions(&self, listen: &str) -> String {
        let mut out = format!(
            "Gongkai demo is ready on http://{listen}\n\n\
             Staff console: http://{listen}/console/  (sign in with any account below)\n\
             Every demo account's password is {PASSWORD}\n\n"
        );
        for (email, tenant, role) in &self.users {
            out.push_str(&format!("  {email:<34} {role:<16} {tenant}\n"));
        }
        out.push_str(&format!(
            "\nSign in:  curl -i -H 'content-type: application/json' \\\n    \
             -d '{{\"email\":\"admin@demo.gongkai.cn\",\"password\":\"{PASSWORD}\"}}' \
             http://{listen}/api/v1/auth/login\n\
             API document: http://{listen}/api/openapi.json\n"
        ));
        out
    }
}

/// Seeds the demo into an empty database or one that holds only the demo; refuses a
/// database with any other agency (it would get accounts with a published password).
pub async fn seed(state: &AppState) -> Result<DemoInfo> {
    let foreign: Vec<String> = tenants::all(&state.db)
        .await?
        .into_iter()
        .filter(|t| !t.is_platform() && !TENANTS.iter().any(|(slug, ..)| *slug == t.slug))
        .map(|t| t.slug)
        .collect();
    if !foreign.is_empty() {
        return Err(Error::conflict(format!(
            "this database holds agencies that are not the demo's ({}): the demo, with its \
             published password, is seeded only into an empty or demo database; point \
             data_dir or database_url elsewhere",
            foreign.join(", ")
        )));
    }
    let actor = Actor::cli();
    for (slug, name_zh, name_en, kind, parent) in TENANTS {
        if tenants::by_slug(&state.db, slug).await?.is_none() {
            let input = NewTenant {
                slug: slug.to_string(),
                name_zh: name_zh.to_string(),
                name_en: name_en.to_string(),
                kind: *kind,
                parent: parent.map(str::to_string),
            };
            crate::tenancy::service::create(&state.db, &state.tenants, &actor, input).await?;
        }
    }
    let mut info = DemoInfo { users: Vec::new() };
    for (email, name, tenant_slug, role) in USERS {
        let tenant = tenants::by_slug(&state.db, tenant_slug)
            .await?
            .expect("demo tenants were created above");
        if !state
            .authz
            .roles_in_db(&state.db, email, &tenant.id, role)
            .await?
        {
            let input = NewMember {
                email: email.to_string(),
                display_name: Some(name.to_string()),
                password: Some(PASSWORD.to_string()),
                roles: vec![role.to_string()],
            };
            users::add_member(state.accounts(), &actor, &tenant, input).await?;
        }
        info.users
            .push((email.to_string(), tenant_slug.to_string(), role.to_string()));
    }
    crate::requests::demo::seed(&state.requests).await?;
    let add_member = async |tenant: &Tenant, input: NewMember| {
        users::add_member(state.accounts(), &actor, tenant, input)
            .await
            .map(drop)
    };
    let items = Disclosure::from_ref(state);
    crate::disclosure::demo::seed(&items, PASSWORD, &mut info.users, add_member).await?;
    crate::portal::demo::seed(state).await?;
    Ok(info)
}
