//! The OpenAPI document, generated from the handlers' annotations. A test checks that
//! every route in the route table is in it.

use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::{audit, auth, authz, calendar, disclosure, plugins, requests, tenancy, users};

#[derive(OpenApi)]
#[openapi(
    info(title = "Gongkai (公开) API", description = "Government information disclosure platform. Errors are RFC 9457 problem details."),
    paths(
        super::health::healthz,
        super::health::readyz,
        super::health::metrics,
        super::health::openapi,
        auth::routes::login,
        auth::routes::logout,
        auth::routes::me,
        auth::routes::list_tokens,
        auth::routes::create_token,
        auth::routes::revoke_token,
        tenancy::routes::list,
        tenancy::routes::create,
        tenancy::routes::get,
        tenancy::routes::update,
        users::routes::list_users,
        users::routes::create_user,
        users::routes::get_user,
        users::routes::update_user,
        users::routes::list_members,
        users::routes::add_member,
        users::routes::grant_role,
        users::routes::revoke_role,
        authz::routes::list,
        authz::routes::set_permissions,
        audit::routes::list,
        audit::routes::verify,
        calendar::routes::list_years,
        calendar::routes::get_year,
        calendar::routes::put_year,
        calendar::routes::list_adjustments,
        calendar::routes::put_adjustment,
        calendar::routes::delete_adjustment,
        calendar::routes::explain,
        plugins::routes::list,
        plugins::routes::install,
        plugins::routes::tenant_list,
        plugins::routes::configure,
        plugins::routes::validate,
        plugins::routes::export,
        requests::routes::submit,
        requests::routes::track,
        requests::routes::applicant_correction,
        requests::routes::applicant_fee,
        requests::routes::applicant_withdraw,
        requests::routes::fee_quote,
        requests::routes::list,
        requests::routes::outcomes,
        requests::routes::get,
        requests::routes::register,
        requests::routes::request_correction,
        requests::routes::receive_correction,
        requests::routes::assign,
        requests::routes::refer,
        requests::routes::start_consultation,
        requests::routes::end_consultation,
        requests::routes::extend,
        requests::routes::fee_notice,
        requests::routes::fee_payment,
        requests::routes::draft_answer,
        requests::routes::approve_answer,
        requests::routes::return_answer,
        requests::routes::deliver,
        requests::routes::close,
        requests::routes::add_remedy,
        requests::routes::update_remedy,
        requests::routes::remedy_table,
        requests::routes::list_templates,
        requests::routes::put_template,
        disclosure::routes::list_kinds,
        disclosure::routes::get_catalog,
        disclosure::routes::create_node,
        disclosure::routes::update_node,
        disclosure::routes::delete_node,
        disclosure::routes::put_chain,
        disclosure::routes::get_settings,
        disclosure::routes::put_settings,
        disclosure::routes::get_words,
        disclosure::routes::put_words,
        disclosure::routes::list_items,
        disclosure::routes::create_item,
        disclosure::routes::overdue,
        disclosure::routes::get_item,
        disclosure::routes::update_item,
        disclosure::routes::list_versions,
        disclosure::routes::submit,
        disclosure::routes::list_decisions,
        disclosure::routes::decide,
        disclosure::routes::list_findings,
        disclosure::routes::resolve_finding,
        disclosure::routes::publish,
        disclosure::routes::schedule,
        disclosure::routes::unschedule,
        disclosure::routes::revise,
        disclosure::routes::withdraw,
        disclosure::routes::repeal,
        disclosure::routes::amend,
        disclosure::public::catalog,
        disclosure::public::list,
        disclosure::public::by_index,
        disclosure::public::get,
        disclosure::public::feed,
        disclosure::public::node_feed,
        disclosure::public::export_csv,
        disclosure::public::export_json,
        disclosure::attachments::list,
        disclosure::attachments::upload,
        disclosure::attachments::download,
        disclosure::attachments::remove,
        disclosure::attachments::public_download,
    ),
    modifiers(&Security),
    tags(
        (name = "auth", description = "Sign-in, sessions and API tokens"),
        (name = "tenants", description = "The tree of agencies"),
        (name = "users", description = "Accounts (platform admins)"),
        (name = "members", description = "A tenant's members and roles"),
        (name = "roles", description = "Roles and permissions"),
        (name = "audit", description = "The hash-chained audit log"),
        (name = "calendar", description = "The working-day calendar"),
        (name = "plugins", description = "Domain plugins (WebAssembly components): install, enable, validate, export"),
        (name = "requests", description = "Requests for information (依申请公开): submission, tracking, the staff workflow, fees, remedies"),
        (name = "catalog", description = "The disclosure catalog, review chains and scan settings"),
        (name = "items", description = "Proactive disclosure items and their lifecycle"),
        (name = "public", description = "The public read API of a tenant's portal"),
        (name = "health", description = "Probes and metrics"),
    )
)]
struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                "__Host-gongkai",
                "the session cookie set by /api/v1/auth/login; state changes also need X-CSRF-Token",
            ))),
        );
    }
}

pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
