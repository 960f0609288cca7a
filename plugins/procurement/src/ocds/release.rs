//! One notice as an OCDS release (the mapping is tabulated in README.md).

use super::{Config, CREDIT_CODE_SCHEME, CURRENCY};
use crate::kinds::*;
use crate::method::Method;
use crate::money::Yuan;
use crate::notice::Notice;
use gongkai_plugin_sdk::serde_json::{json, Map, Value};
use gongkai_plugin_sdk::{Date, DateTime};
use std::collections::BTreeMap;

/// The release tag a notice of `kind` carries.
pub fn tag(kind: &str) -> &'static str {
    match kind {
        INTENTION => "planning",
        PREQUALIFICATION | TENDER => "tender",
        AMENDMENT => "tenderAmendment",
        CANCELLATION => "tenderCancellation",
        AWARD => "award",
        CONTRACT => "contract",
        _ => "implementation",
    }
}

fn datetime(t: &DateTime) -> String {
    let offset = if t.offset.is_empty() {
        "+08:00"
    } else {
        &t.offset
    };
    format!(
        "{}T{:02}:{:02}:{:02}{offset}",
        t.date, t.hour, t.minute, t.second
    )
}

fn day(d: Date) -> String {
    format!("{d}T00:00:00+08:00")
}

fn amount(y: Yuan) -> Value {
    json!({"amount": y.to_json_number(), "currency": CURRENCY})
}

/// Rich text is an HTML fragment; OCDS descriptions are plain text.
fn plain(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
        .trim()
        .to_string()
}

/// The release date: when the host published the notice, else the notice's
/// own date (an unpublished intention: the last day it may be published).
pub fn release_date(n: &Notice) -> String {
    if let Some(p) = &n.published_at {
        return p.clone();
    }
    let own = n.own_date().or_else(|| {
        n.date("expected_start")
            .and_then(|d| d.add_days(-crate::timing::INTENTION_LEAD_DAYS))
    });
    own.map(day)
        .unwrap_or_else(|| "1970-01-01T00:00:00+08:00".into())
}

/// Parties of a release, one per organisation (roles merged).
#[derive(Default)]
struct Parties(Vec<Value>);

impl Parties {
    /// Adds a party and returns its OrganizationReference.
    fn add(&mut self, name: &str, code: Option<&str>, role: &str) -> Value {
        let id = match code {
            Some(c) => format!("{CREDIT_CODE_SCHEME}-{c}"),
            None => format!("{role}-{name}"),
        };
        if let Some(p) = self.0.iter_mut().find(|p| p["id"] == id.as_str()) {
            let roles = p["roles"].as_array_mut().expect("roles are an array");
            if !roles.iter().any(|r| r == role) {
                roles.push(role.into());
            }
        } else {
            let mut p = json!({"id": id, "name": name, "roles": [role]});
            if let Some(c) = code {
                p["identifier"] = json!({"scheme": CREDIT_CODE_SCHEME, "id": c, "legalName": name});
            }
            self.0.push(p);
        }
        json!({"id": id, "name": name})
    }
}

fn lot_of(n: &Notice, key: &str) -> String {
    n.text(key).unwrap_or("1").to_string()
}

fn award_id(project: &str, lot: &str) -> String {
    format!("{project}-{lot}")
}

/// One notice as an OCDS release.
pub fn release(n: &Notice, config: &Config) -> Value {
    let project = n.project_number();
    let mut parties = Parties::default();
    let mut r = json!({
        "ocid": config.ocid(project),
        "id": n.id,
        "date": release_date(n),
        "tag": [tag(n.kind)],
        "initiationType": "tender",
        "language": "zh",
    });
    if let Some(buyer) = n.text("buyer") {
        r["buyer"] = parties.add(buyer, n.text("buyer_code"), "buyer");
    }
    let mut tender = json!({"id": project});
    if let Some(title) = n.text("project_name") {
        tender["title"] = title.into();
    }
    if let Some(agency) = n.text("agency") {
        tender["procuringEntity"] = parties.add(agency, n.text("agency_code"), "procuringEntity");
    }
    if let Some(m) = n.text("method").and_then(Method::from_code) {
        tender["procurementMethod"] = m.ocds().into();
        tender["procurementMethodDetails"] = m.zh().into();
    }
    let money = |key| n.fields.get(key).and_then(|v| Yuan::from_value(v).ok());
    match n.kind {
        INTENTION => {
            let mut planning = json!({});
            if let Some(needs) = n.text("needs") {
                planning["rationale"] = plain(needs).into();
                tender["description"] = plain(needs).into();
            }
            if let Some(b) = money("budget") {
                planning["budget"] = json!({"amount": amount(b)});
                tender["value"] = amount(b);
            }
            r["planning"] = planning;
            tender["status"] = "planned".into();
            if let Some(d) = n.date("expected_start") {
                tender["tenderPeriod"] = json!({"startDate": day(d)});
            }
        }
        PREQUALIFICATION => {
            tender["status"] = "active".into();
            if let Some(q) = n.text("qualification") {
                tender["eligibilityCriteria"] = plain(q).into();
            }
            if let Some(b) = money("budget") {
                tender["value"] = amount(b);
            }
            if let Some(t) = n.datetime("application_deadline") {
                tender["milestones"] = json!([{
                    "id": "prequalification",
                    "title": "资格预审申请截止",
                    "type": "engagement",
                    "dueDate": datetime(&t),
                    "status": "scheduled",
                }]);
            }
        }
        TENDER => {
            tender["status"] = "active".into();
            if let Some(needs) = n.text("needs") {
                tender["description"] = plain(needs).into();
            }
            if let Some(q) = n.text("qualification") {
                tender["eligibilityCriteria"] = plain(q).into();
            }
            if let Some(b) = money("budget") {
                tender["value"] = amount(b);
            }
            let mut period = Map::new();
            if let Some(t) = n.datetime("documents_from") {
                period.insert("startDate".into(), datetime(&t).into());
            }
            if let Some(t) = n.datetime("bid_deadline") {
                period.insert("endDate".into(), datetime(&t).into());
            }
            tender["tenderPeriod"] = period.into();
            if let Some(t) = n
                .datetime("opening_time")
                .or_else(|| n.datetime("bid_deadline"))
            {
                tender["awardPeriod"] = json!({"startDate": datetime(&t)});
            }
            if let Ok(Some(rows)) = n.fields.table("lots") {
                let items: Vec<Value> = rows
                    .iter()
                    .map(|row| {
                        let text = |k| row.text(k).ok().flatten().unwrap_or("");
                        let quantity = text("quantity");
                        let description = if quantity.is_empty() {
                            text("name").to_string()
                        } else {
                            format!("{}（{quantity}）", text("name"))
                        };
                        json!({"id": text("lot"), "description": description})
                    })
                    .collect();
                tender["items"] = items.into();
            }
            if let Some(s) = n.text("single_source_supplier") {
                tender["tenderers"] =
                    json!([parties.add(s, n.text("single_source_code"), "tenderer")]);
            }
        }
        AMENDMENT => {
            tender["status"] = "active".into();
            if let Some(t) = n.datetime("new_bid_deadline") {
                tender["tenderPeriod"] = json!({"endDate": datetime(&t)});
            }
            if let Some(t) = n.datetime("new_opening_time") {
                tender["awardPeriod"] = json!({"startDate": datetime(&t)});
            }
            let changes: Vec<String> = n
                .fields
                .table("changes")
                .ok()
                .flatten()
                .unwrap_or_default()
                .iter()
                .map(|row| {
                    let text = |k| row.text(k).ok().flatten().unwrap_or("").to_string();
                    format!("{}：{} → {}", text("item"), text("before"), text("after"))
                })
                .collect();
            let mut a = json!({"id": n.id, "rationale": changes.join("；")});
            if let Some(d) = n.date("notice_date") {
                a["date"] = day(d).into();
            }
            tender["amendments"] = json!([a]);
        }
        CANCELLATION => {
            tender["status"] = match n.text("reason_code") {
                Some("failed") => "unsuccessful",
                Some("withdrawn") => "withdrawn",
                _ => "cancelled",
            }
            .into();
            let mut a = json!({"id": n.id, "rationale": plain(n.text("reason").unwrap_or(""))});
            if let Some(d) = n.date("notice_date") {
                a["date"] = day(d).into();
            }
            tender["amendments"] = json!([a]);
        }
        AWARD => {
            if let Ok(Some(bids)) = n.fields.table("bids") {
                tender["numberOfTenderers"] = bids.len().into();
            }
            r["awards"] = awards(n, project, &mut parties).into();
        }
        CONTRACT | ACCEPTANCE => {
            r["contracts"] = json!([contract(n, project, &mut parties)]);
        }
        _ => {}
    }
    if tender.as_object().is_some_and(|t| t.len() > 1) {
        r["tender"] = tender;
    }
    if !parties.0.is_empty() {
        r["parties"] = parties.0.into();
    }
    r
}

/// One award per lot, with its suppliers and their amounts added up.
fn awards(n: &Notice, project: &str, parties: &mut Parties) -> Vec<Value> {
    let rows = n
        .fields
        .table("suppliers")
        .ok()
        .flatten()
        .unwrap_or_default();
    let mut lots: BTreeMap<String, (Vec<Value>, Option<Yuan>)> = BTreeMap::new();
    for row in &rows {
        let text = |k| {
            row.text(k)
                .ok()
                .flatten()
                .map(str::trim)
                .filter(|s| !s.is_empty())
        };
        let Some(name) = text("name") else { continue };
        let person = text("supplier_type") == Some("person");
        let code = if person { None } else { text("credit_code") };
        let lot = text("lot").unwrap_or("1").to_string();
        let entry = lots.entry(lot).or_insert((Vec::new(), Some(Yuan(0))));
        entry.0.push(parties.add(name, code, "supplier"));
        let a = row.get("amount").and_then(|v| Yuan::from_value(v).ok());
        entry.1 = entry.1.zip(a).map(|(s, a)| s + a);
    }
    let total = n
        .fields
        .get("total_amount")
        .and_then(|v| Yuan::from_value(v).ok());
    let single = lots.len() == 1;
    lots.into_iter()
        .map(|(lot, (suppliers, sum))| {
            let mut a = json!({
                "id": award_id(project, &lot),
                "status": "active",
                "suppliers": suppliers,
            });
            if let Some(title) = n.text("project_name") {
                a["title"] = title.into();
            }
            if let Some(s) = n.text("scoring_summary") {
                a["description"] = plain(s).into();
            }
            if let Some(d) = n.date("decision_date") {
                a["date"] = day(d).into();
            }
            if let Some(v) = sum.or(if single { total } else { None }) {
                a["value"] = amount(v);
            }
            a
        })
        .collect()
}

fn contract(n: &Notice, project: &str, parties: &mut Parties) -> Value {
    let number = n.text("contract_number").unwrap_or(project);
    let mut c = json!({"id": number, "awardID": award_id(project, &lot_of(n, "lot"))});
    if n.kind == ACCEPTANCE {
        let mut m = json!({
            "id": format!("acceptance-{}", n.id),
            "title": "履约验收",
            "type": "delivery",
            "status": if n.text("result") == Some("pass") { "met" } else { "notMet" },
        });
        if let Some(d) = n.date("acceptance_date") {
            m["dateMet"] = day(d).into();
        }
        if let Some(s) = n.text("summary") {
            m["description"] = plain(s).into();
        }
        c["implementation"] = json!({"milestones": [m]});
        return c;
    }
    c["status"] = "active".into();
    if let Some(t) = n.text("contract_name") {
        c["title"] = t.into();
    }
    if let Some(v) = n
        .fields
        .get("amount")
        .and_then(|v| Yuan::from_value(v).ok())
    {
        c["value"] = amount(v);
    }
    if let Some(d) = n.date("signing_date") {
        c["dateSigned"] = day(d).into();
    }
    let mut period = Map::new();
    if let Some(d) = n.date("start_date") {
        period.insert("startDate".into(), day(d).into());
    }
    if let Some(d) = n.date("end_date") {
        period.insert("endDate".into(), day(d).into());
    }
    if !period.is_empty() {
        c["period"] = period.into();
    }
    if let Some(file) = n.text("contract_file") {
        let mut doc = json!({"id": format!("contract-{}", n.id), "documentType": "contractSigned", "title": file});
        if file.starts_with("https://") || file.starts_with("http://") {
            doc["url"] = file.into();
        }
        c["documents"] = json!([doc]);
    }
    // Suppliers are parties; OCDS links them to the contract through its award.
    for row in n
        .fields
        .table("suppliers")
        .ok()
        .flatten()
        .unwrap_or_default()
    {
        let text = |k| {
            row.text(k)
                .ok()
                .flatten()
                .map(str::trim)
                .filter(|s| !s.is_empty())
        };
        if let Some(name) = text("name") {
            let person = text("supplier_type") == Some("person");
            parties.add(
                name,
                if person { None } else { text("credit_code") },
                "supplier",
            );
        }
    }
    c
}
