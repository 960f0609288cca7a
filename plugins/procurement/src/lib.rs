//! Government procurement (政府采购) plugin: the notices of a procurement from
//! the intention to the acceptance, tied together by the project number,
//! with the legal time limits and OCDS 1.1 exports. See README.md.

pub mod kinds;
pub mod method;
pub mod money;
pub mod notice;
pub mod ocds;
pub mod sequence;
pub mod stage;
pub mod table;
pub mod timing;
mod validate;

#[cfg(test)]
mod tests;

use gongkai_plugin_sdk::{
    check_schema, export_plugin, Context, ExportFormat, ExportItem, ExportOutput, ExportPart,
    ExportPiece, Fields, ItemKind, Map, Plugin, PluginError, PluginInfo, Problems,
    PublicationRules,
};
use kinds::*;
use stage::Stage;

pub struct Procurement;

pub const CSV: &str = "csv";
pub const OCDS_RELEASES: &str = "ocds-release-package";
pub const OCDS_RECORDS: &str = "ocds-record-package";

impl Plugin for Procurement {
    fn describe() -> PluginInfo {
        let mut info = PluginInfo::new(
            "procurement",
            env!("CARGO_PKG_VERSION"),
            "政府采购",
            "Government procurement",
        );
        for id in ALL {
            info = info.with_kind(kinds::kind(id).expect("every id names a kind"));
        }
        info = info.with_kind(kinds::bid());
        info.with_export(
            ExportFormat::new(
                OCDS_RELEASES,
                "开放合同数据标准发布包（OCDS 1.1）",
                "OCDS 1.1 release package",
                ocds::MEDIA_TYPE,
                &ALL,
            )
            .streamed(),
        )
        .with_export(
            ExportFormat::new(
                OCDS_RECORDS,
                "开放合同数据标准记录包（OCDS 1.1）",
                "OCDS 1.1 record package",
                ocds::MEDIA_TYPE,
                &ALL,
            )
            .streamed(),
        )
        .with_export(
            ExportFormat::new(
                CSV,
                "采购公告一览（CSV）",
                "Procurement notices (CSV)",
                table::MEDIA_TYPE,
                &ALL,
            )
            .streamed(),
        )
    }

    fn kind(kind: &str) -> Option<ItemKind> {
        kinds::kind(kind)
    }

    fn validate(kind: &str, fields: &Fields, ctx: &Context) -> Result<Problems, PluginError> {
        let k = Self::kind(kind).ok_or_else(|| PluginError::UnknownKind(kind.into()))?;
        let mut problems = Problems::new();
        for mut p in check_schema(&k, fields, ctx) {
            if p.code == "organisation-code" {
                let code = lookup(fields, &p.path).unwrap_or_default();
                p.message = validate::credit_code_message(&code, ctx);
            }
            problems.add(p);
        }
        // Domain checks re-read the fields; keep one problem per path and code.
        let mut extra = Problems::new();
        validate::notice(&k, fields, ctx, &mut extra)?;
        for p in extra {
            if !problems
                .iter()
                .any(|s| s.path == p.path && s.code == p.code)
            {
                problems.add(p);
            }
        }
        Ok(problems)
    }

    /// The sequence rules against the procurement's published notices (the host passes
    /// those with the same project number): no notice after a cancellation, no award
    /// before the opening time in force, an amendment only moves times later, a
    /// contract after its award. Only the notice being saved is judged here.
    fn validate_related(
        kind: &str,
        fields: &Fields,
        related: &[ExportItem],
        ctx: &Context,
    ) -> Result<Problems, PluginError> {
        // The notice being saved: not published yet, and without the host's id.
        const THIS: &str = "";
        let Some(this) = notice::Notice::new(THIS, kind, fields.clone(), None) else {
            return Ok(Problems::new());
        };
        let mut notices: Vec<notice::Notice> = related
            .iter()
            .filter_map(|i| notice::Notice::from_export(i).ok())
            .filter(|n| n.id != THIS)
            .collect();
        notices.push(this);
        let mut problems = Problems::new();
        for f in sequence::check(&notices) {
            if f.notice == THIS {
                problems.push(f.path, f.severity, f.code, ctx.msg(f.zh, f.en));
            }
        }
        Ok(problems)
    }

    fn derive(kind: &str, _fields: &Fields, _ctx: &Context) -> Result<Map, PluginError> {
        if kind == BID {
            return Ok(Map::new());
        }
        let stage = Stage::of_kind(kind).ok_or_else(|| PluginError::UnknownKind(kind.into()))?;
        let mut out = Map::new();
        out.insert("stage".into(), stage.code().into());
        Ok(out)
    }

    fn publication_rules(
        kind: &str,
        f: &Fields,
        ctx: &Context,
    ) -> Result<PublicationRules, PluginError> {
        let rules = PublicationRules::new();
        let date = |key| f.date(key).ok().flatten();
        let rules = match kind {
            // 财库〔2020〕10号: at least 30 days before the procurement starts.
            INTENTION => match date("expected_start")
                .and_then(|d| d.add_days(-timing::INTENTION_LEAD_DAYS))
            {
                Some(last) => rules.publish_within(0, last),
                None => rules,
            },
            // Public when the documents are first issued.
            TENDER => match f.datetime("documents_from").ok().flatten() {
                Some(t) => rules.publish_within(0, t.date),
                None => rules,
            },
            PREQUALIFICATION | AMENDMENT => match date("notice_date") {
                Some(d) => rules.publish_within(0, d),
                None => rules,
            },
            CANCELLATION | ACCEPTANCE | BID => rules,
            // 实施条例 art. 43: within 2 working days of the decision; never before it.
            // Bidders' prices stay hidden while the supplier is not chosen.
            AWARD => {
                let mut r = mask_rows(rules, f, "suppliers", "id_number");
                match date("decision_date") {
                    Some(d) => {
                        if d > ctx.today {
                            r = mask_rows(r, f, "bids", "price");
                        }
                        r.publish_within(timing::RESULT_WORKING_DAYS as u32, d)
                            .not_before(d)
                    }
                    None => mask_rows(r, f, "bids", "price"),
                }
            }
            // 实施条例 art. 50: within 2 working days of signing.
            CONTRACT => {
                let r = mask_rows(rules, f, "suppliers", "id_number");
                match date("signing_date") {
                    Some(d) => r.publish_within(timing::CONTRACT_WORKING_DAYS as u32, d),
                    None => r,
                }
            }
            _ => return Err(PluginError::UnknownKind(kind.into())),
        };
        Ok(rules)
    }

    fn export(format: &str, items: &[ExportItem]) -> Result<ExportOutput, PluginError> {
        Self::export_part(format, items, &ExportPart::whole()).map(|piece| piece.output)
    }

    /// Every format is streamed: the host hands a batch of whole procurements a part.
    fn export_part(
        format: &str,
        items: &[ExportItem],
        part: &ExportPart,
    ) -> Result<ExportPiece, PluginError> {
        let notices = items
            .iter()
            .map(notice::Notice::from_export)
            .collect::<Result<Vec<_>, _>>()?;
        let config = ocds::Config::default();
        match format {
            OCDS_RELEASES => ocds::release_package_part(&notices, &config, part),
            OCDS_RECORDS => ocds::record_package_part(&notices, &config, part),
            CSV => Ok(table::csv_part(&notices, part)),
            _ => Err(PluginError::UnknownFormat(format.into())),
        }
    }
}

/// Masks `column` in every row of table `key` that has a value there.
fn mask_rows(mut rules: PublicationRules, f: &Fields, key: &str, column: &str) -> PublicationRules {
    if let Ok(Some(rows)) = f.table(key) {
        for (i, row) in rows.iter().enumerate() {
            if row.is_set(column) {
                rules = rules.mask(&format!("{key}[{i}].{column}"));
            }
        }
    }
    rules
}

/// The text at a field path (`key` or `table[3].column`).
fn lookup(f: &Fields, path: &str) -> Option<String> {
    let value = match path.split_once('[') {
        None => f.get(path)?,
        Some((table, rest)) => {
            let (index, column) = rest.split_once("].")?;
            f.get(table)?
                .get(index.parse::<usize>().ok()?)?
                .get(column)?
        }
    };
    value.as_str().map(String::from)
}

export_plugin!(Procurement);
