//! The kinds' fields and the rules of plans, catchment areas, policies and
//! results (the lottery's kind is in `draw.rs`).

use crate::{error, mask, CATCHMENT, PLAN, POLICY, RESULTS};
use gongkai_plugin_sdk::{Context, Field, Fields, ItemKind, Map, Problems, Severity, Value};

const CATALOG: &str = "重点领域/义务教育";

fn school() -> Field {
    Field::text("school").label("学校", "School").required()
}

fn year() -> Field {
    Field::integer("year")
        .label("招生年度", "Admission year")
        .required()
}

fn registration_start() -> Field {
    Field::date("registration_start")
        .label("报名开始日期", "Registration opens")
        .help("须在此日前公开", "Must be public by this day at the latest")
}

pub fn plan() -> ItemKind {
    ItemKind::new(PLAN, "招生计划", "Enrolment plan")
        .catalog(CATALOG, "招生计划", "Enrolment plans")
        .field(school())
        .field(year())
        .field(
            Field::enumeration("grade")
                .label("招生年级", "Grade")
                .option("primary-1", "小学一年级", "Primary year 1")
                .option("junior-1", "初中一年级", "Junior secondary year 1")
                .option("other", "其他", "Other")
                .required(),
        )
        .field(registration_start())
        .field(Field::date("registration_end").label("报名截止日期", "Registration closes"))
        .field(
            Field::table(
                "places",
                vec![
                    Field::text("category")
                        .label("招生类别", "Category")
                        .required(),
                    Field::integer("places")
                        .label("计划数", "Places")
                        .required(),
                    Field::integer("classes").label("班数", "Classes"),
                ],
            )
            .label("分类别计划", "Places by category")
            .required(),
        )
        .field(
            Field::integer("total_places")
                .label("计划总数", "Total places")
                .help(
                    "填写时须等于各类别之和",
                    "If given, must equal the sum of the categories",
                ),
        )
        .derived(Field::integer("places_total").label("计划总数（合计）", "Total places (sum)"))
}

pub fn catchment() -> ItemKind {
    ItemKind::new(CATCHMENT, "划片范围", "Catchment area")
        .catalog(CATALOG, "划片范围", "Catchment areas")
        .field(school())
        .field(year())
        .field(registration_start())
        .field(
            Field::table(
                "areas",
                vec![
                    Field::text("street")
                        .label("街道（乡镇）", "Street / township")
                        .required(),
                    Field::text("community")
                        .label("社区（村）", "Community / village")
                        .required(),
                    Field::text("note").label("说明", "Note"),
                ],
            )
            .label("招生范围", "Areas served")
            .required(),
        )
}

pub fn policy() -> ItemKind {
    ItemKind::new(POLICY, "招生政策", "Admission policy")
        .catalog(CATALOG, "招生政策", "Admission policies")
        .field(Field::text("title").label("标题", "Title").required())
        .field(Field::text("document_number").label("文号", "Document number"))
        .field(
            Field::date("issued_on")
                .label("印发日期", "Issued on")
                .required(),
        )
        .field(Field::rich_text("body").label("正文", "Text"))
        .field(
            Field::text("interpretation")
                .label("政策解读", "Interpretation")
                .help(
                    "解读的标题或链接（谁起草谁解读，随政策同步发布）",
                    "Title or link of the interpretation, published together with the policy",
                ),
        )
}

pub fn results() -> ItemKind {
    ItemKind::new(RESULTS, "招生结果（录取名单）", "Admission results")
        .catalog(CATALOG, "招生结果", "Admission results")
        .field(school())
        .field(year())
        .field(Field::text("batch").label("批次", "Round"))
        .field(Field::date("announced_on").label("公布日期", "Announced on"))
        .field(
            Field::date("publish_by")
                .label("政策规定的公布期限", "Publish by (as the policy sets)"),
        )
        .field(
            Field::table(
                "admitted",
                vec![
                    Field::person_name("name").label("姓名", "Name").required(),
                    Field::text("registration_no")
                        .label("报名号", "Registration number")
                        .required(),
                    Field::text("category").label("类别", "Category"),
                    Field::text("note").label("备注", "Note"),
                ],
            )
            .label(
                "录取名单（不公开，公开版自动脱敏）",
                "Admitted (masked on the portal)",
            )
            .help(
                "不得填写身份证号码、住址",
                "Never enter ID numbers or addresses",
            )
            .required(),
        )
        .derived(
            Field::table(
                "public_list",
                vec![
                    Field::text("name").label("姓名", "Name"),
                    Field::text("registration_no").label("报名号", "Registration number"),
                    Field::text("category").label("类别", "Category"),
                ],
            )
            .label("录取名单", "Admitted"),
        )
        .derived(Field::integer("admitted_count").label("录取人数", "Number admitted"))
}

fn rows(f: &Fields, key: &str, p: &mut Problems) -> Vec<Fields> {
    p.take(f.table(key)).unwrap_or_default()
}

fn non_negative(row: &Fields, key: &str, ctx: &Context, p: &mut Problems) -> Option<i64> {
    let v = p.take(row.integer(key))?;
    if v < 0 {
        let msg = ctx.msg("不能为负数", "must not be negative");
        error(p, &row.path(key), "out-of-range", msg);
        return None;
    }
    Some(v)
}

/// The first row whose `key` text repeats an earlier one, as problems.
fn duplicates(rows: &[Fields], keys: &[&str], ctx: &Context, p: &mut Problems) {
    let mut seen: Vec<Vec<String>> = Vec::new();
    for row in rows {
        let k: Vec<String> = keys
            .iter()
            .map(|k| crate::value_text(row.get(k)).trim().to_string())
            .collect();
        if k.iter().all(String::is_empty) {
            continue;
        }
        if seen.contains(&k) {
            let msg = ctx.msg(
                format!("重复：{}", k.join(" ")),
                format!("duplicate: {}", k.join(" ")),
            );
            error(p, &row.path(keys[keys.len() - 1]), "duplicate", msg);
        } else {
            seen.push(k);
        }
    }
}

fn date_order(f: &Fields, start: &str, end: &str, ctx: &Context, p: &mut Problems) {
    if let (Ok(Some(s)), Ok(Some(e))) = (f.date(start), f.date(end)) {
        if e < s {
            let msg = ctx.msg("截止日期早于开始日期", "the end is before the start");
            error(p, end, "order", msg);
        }
    }
}

pub fn validate_plan(f: &Fields, ctx: &Context, p: &mut Problems) {
    date_order(f, "registration_start", "registration_end", ctx, p);
    let places = rows(f, "places", p);
    duplicates(&places, &["category"], ctx, p);
    let mut sum = 0;
    for row in &places {
        sum += non_negative(row, "places", ctx, p).unwrap_or(0);
        non_negative(row, "classes", ctx, p);
    }
    if let Some(total) = p.take(f.integer("total_places")) {
        if total != sum {
            let msg = ctx.msg(
                format!("计划总数 {total} 不等于各类别之和 {sum}"),
                format!("total places {total} differ from the sum of the categories, {sum}"),
            );
            error(p, "total_places", "sum", msg);
        }
    }
}

pub fn derive_plan(f: &Fields) -> Map {
    let mut out = Map::new();
    if let Ok(Some(rows)) = f.table("places") {
        let sum: i64 = rows
            .iter()
            .filter_map(|r| r.integer("places").ok().flatten())
            .filter(|n| *n >= 0)
            .sum();
        out.insert("places_total".into(), sum.into());
    }
    out
}

pub fn validate_catchment(f: &Fields, ctx: &Context, p: &mut Problems) {
    let areas = rows(f, "areas", p);
    duplicates(&areas, &["street", "community"], ctx, p);
}

pub fn validate_policy(f: &Fields, ctx: &Context, p: &mut Problems) {
    if !f.is_set("interpretation") {
        let msg = ctx.msg(
            "政策解读应与政策同步发布（谁起草谁解读）",
            "the interpretation should be published together with the policy",
        );
        p.push("interpretation", Severity::Warning, "interpretation", msg);
    }
}

pub fn validate_results(f: &Fields, ctx: &Context, p: &mut Problems) {
    let admitted = rows(f, "admitted", p);
    duplicates(&admitted, &["registration_no"], ctx, p);
    for row in &admitted {
        for key in ["name", "registration_no", "category", "note"] {
            if let Ok(Some(text)) = row.text(key) {
                if mask::contains_id_number(text) {
                    let msg = ctx.msg(
                        "不得填写身份证号码（未成年人敏感个人信息）",
                        "never enter an ID number (a child's sensitive personal information)",
                    );
                    error(p, &row.path(key), "identity-number", msg);
                }
            }
        }
    }
}

/// The public list: surname and `*`, registration number with its middle starred.
pub fn derive_results(f: &Fields) -> Map {
    let mut out = Map::new();
    let Ok(Some(rows)) = f.table("admitted") else {
        return out;
    };
    let text = |row: &Fields, key: &str| row.text(key).ok().flatten().unwrap_or("").to_string();
    let list: Vec<Value> = rows
        .iter()
        .map(|row| {
            let mut m = Map::new();
            m.insert("name".into(), mask::mask_name(&text(row, "name")).into());
            let number = text(row, "registration_no");
            // A number shaped like an ID number is starred whole, never partly shown.
            let shown = if mask::contains_id_number(&number) {
                "*".repeat(number.chars().count())
            } else {
                mask::mask_number(&number)
            };
            m.insert("registration_no".into(), shown.into());
            m.insert("category".into(), text(row, "category").into());
            Value::Object(m)
        })
        .collect();
    out.insert("admitted_count".into(), (list.len() as i64).into());
    out.insert("public_list".into(), Value::Array(list));
    out
}
