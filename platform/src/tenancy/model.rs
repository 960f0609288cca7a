//! Tenants as plain values, and the rules about them.

use serde::{Deserialize, Serialize};

use crate::kernel::error::FieldProblem;

pub const PLATFORM_TENANT_ID: &str = "00000000-0000-7000-8000-000000000000";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TenantKind {
    Platform,
    Government,
    Department,
    Other,
}

impl TenantKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TenantKind::Platform => "platform",
            TenantKind::Government => "government",
            TenantKind::Department => "department",
            TenantKind::Other => "other",
        }
    }

    pub fn parse(text: &str) -> Option<TenantKind> {
        match text {
            "platform" => Some(TenantKind::Platform),
            "government" => Some(TenantKind::Government),
            "department" => Some(TenantKind::Department),
            "other" => Some(TenantKind::Other),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Tenant {
    pub id: String,
    pub parent_id: Option<String>,
    pub slug: String,
    pub name_zh: String,
    pub name_en: String,
    pub kind: TenantKind,
    pub active: bool,
    pub created_at: String,
}

impl Tenant {
    pub fn is_platform(&self) -> bool {
        self.id == PLATFORM_TENANT_ID
    }
}

/// Slugs name portals in URLs: 2–63 of a–z, 0–9 and inner hyphens.
pub fn check_slug(slug: &str, problems: &mut Vec<FieldProblem>) {
    let ok_chars = slug
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !(2..=63).contains(&slug.len()) || !ok_chars || slug.starts_with('-') || slug.ends_with('-')
    {
        problems.push(FieldProblem::new(
            "slug",
            "2–63 characters of a–z, 0–9 and hyphens, not starting or ending with a hyphen",
        ));
    }
}

pub fn check_name(field: &str, name: &str, required: bool, problems: &mut Vec<FieldProblem>) {
    let len = name.trim().chars().count();
    if (required && len == 0) || len > 200 {
        problems.push(FieldProblem::new(
            field,
            if required {
                "1–200 characters"
            } else {
                "at most 200 characters"
            },
        ));
    }
}

/// A tenant may not be moved under itself or one of its own descendants, nor may the
/// platform root move.
pub fn check_move(
    tenant: &Tenant,
    new_parent: &Tenant,
    new_parent_ancestors: &[Tenant],
) -> Result<(), String> {
    if tenant.is_platform() {
        return Err("the platform root cannot be moved".into());
    }
    if new_parent.id == tenant.id || new_parent_ancestors.iter().any(|a| a.id == tenant.id) {
        return Err(format!(
            "`{}` cannot move under `{}`: that is itself or one of its descendants",
            tenant.slug, new_parent.slug
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(id: &str) -> Tenant {
        Tenant {
            id: id.into(),
            parent_id: None,
            slug: id.into(),
            name_zh: id.into(),
            name_en: String::new(),
            kind: TenantKind::Government,
            active: true,
            created_at: String::new(),
        }
    }

    #[test]
    fn slugs() {
        for good in ["ab", "demo-city", "city-01"] {
            let mut p = Vec::new();
            check_slug(good, &mut p);
            assert!(p.is_empty(), "{good}");
        }
        for bad in ["a", "-ab", "ab-", "Ab", "a_b", "市政府", &"a".repeat(64)] {
            let mut p = Vec::new();
            check_slug(bad, &mut p);
            assert_eq!(p.len(), 1, "{bad}");
        }
    }

    #[test]
    fn moves_under_own_descendants_are_refused() {
        let city = t("city");
        let dept = t("dept");
        let other = t("other");
        assert!(check_move(&dept, &other, &[]).is_ok());
        assert!(check_move(&city, &city, &[]).is_err());
        // dept's ancestors include city: city cannot move under dept.
        assert!(check_move(&city, &dept, std::slice::from_ref(&city)).is_err());
        assert!(check_move(&t(PLATFORM_TENANT_ID), &other, &[]).is_err());
    }
}
