//! Demo portal settings: contact details and record numbers for the demo agencies, so
//! that their portals look as a real agency's would. Existing settings are kept.

use super::site::{self, PortalSettings};
use crate::app::AppState;
use crate::kernel::error::Result;

/// (slug, office, address, phone, e-mail)
const SITES: &[(&str, &str, &str, &str, &str)] = &[
    (
        "demo-city",
        "示例市人民政府办公室（政务公开科）",
        "示例市人民路1号市政府大楼3楼",
        "0551-12345678",
        "gongkai@demo-city.gov.cn",
    ),
    (
        "demo-city-edu",
        "示例市教育局办公室",
        "示例市文化路20号",
        "0551-12345600",
        "gongkai@edu.demo-city.gov.cn",
    ),
    (
        "demo-city-env",
        "示例市生态环境局办公室",
        "示例市环湖路8号",
        "0551-12345611",
        "gongkai@env.demo-city.gov.cn",
    ),
    (
        "demo-city-finance",
        "示例市财政局办公室",
        "示例市金融街6号",
        "0551-12345622",
        "gongkai@finance.demo-city.gov.cn",
    ),
];

pub async fn seed(state: &AppState) -> Result<()> {
    for (slug, office, address, phone, email) in SITES {
        let Some(tenant) = crate::tenancy::store::by_slug(&state.db, slug).await? else {
            continue;
        };
        let settings = PortalSettings {
            office_name: office.to_string(),
            address: address.to_string(),
            postcode: "230000".into(),
            office_hours: "工作日 上午8:30—12:00，下午14:30—17:30".into(),
            phone: phone.to_string(),
            email: email.to_string(),
            site_code: "0000000000".into(),
            icp: "示ICP备00000000号".into(),
            public_security: "示公网安备 00000000000000号".into(),
            ..PortalSettings::default()
        };
        site::keep_or_set(&state.db, &tenant.id, &settings).await?;
    }
    Ok(())
}
