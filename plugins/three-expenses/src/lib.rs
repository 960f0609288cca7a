//! Three public expenses (三公经费) plugin: a department's budget table and
//! final-account table for a year, cross-checked line by line, with the
//! year-on-year change derived and the 20-calendar-day publication deadline
//! after the finance authority's approval (预算法 §14).

mod amount;
mod chart;
mod export;
#[cfg(test)]
mod tests;

pub use amount::Cents;
use gongkai_plugin_sdk::{
    check_schema, export_plugin, Context, Date, ExportFormat, ExportItem, ExportOutput, Field,
    Fields, ItemKind, Map, Plugin, PluginError, PluginInfo, Problems, PublicationRules, Severity,
};

pub const BUDGET: &str = "budget";
pub const FINAL: &str = "final-account";
/// Days after approval by which the tables are public (calendar days, 预算法 §14).
pub const PUBLISH_WITHIN_DAYS: i64 = 20;
/// A change above this share (percent) needs an explanation unless the item sets another.
pub const DEFAULT_THRESHOLD_PERCENT: f64 = 10.0;

/// The money lines: id, Chinese, English.
pub const LINES: [(&str, &str, &str); 6] = [
    ("total", "三公经费合计", "Total"),
    ("abroad", "因公出国（境）费", "Official travel abroad"),
    ("vehicles", "公务用车购置及运行费", "Official vehicles"),
    (
        "vehicle_purchase",
        "其中：公务用车购置费",
        "of which: vehicle purchase",
    ),
    (
        "vehicle_running",
        "其中：公务用车运行费",
        "of which: vehicle running",
    ),
    ("reception", "公务接待费", "Official reception"),
];

/// The counts: id, Chinese, English, unit, and the money line they belong to.
pub const COUNTS: [(&str, &str, &str, &str, &str); 6] = [
    (
        "abroad_groups",
        "因公出国（境）团组数",
        "Groups abroad",
        "个",
        "abroad",
    ),
    (
        "abroad_people",
        "因公出国（境）人次",
        "People abroad",
        "人次",
        "abroad",
    ),
    (
        "vehicles_bought",
        "公务用车购置数",
        "Vehicles bought",
        "辆",
        "vehicle_purchase",
    ),
    (
        "vehicles_held",
        "公务用车保有量",
        "Vehicles held",
        "辆",
        "vehicle_running",
    ),
    (
        "reception_batches",
        "公务接待批次",
        "Receptions",
        "批次",
        "reception",
    ),
    (
        "reception_people",
        "公务接待人次",
        "People received",
        "人次",
        "reception",
    ),
];

/// The columns an amount appears in: the year's figure, last year's, and (final
/// accounts) the same year's budget. Suffix of the field id, label.
const PREV: (&str, &str, &str) = ("_prev", "上年数", "last year");
const BUDGETED: (&str, &str, &str) = ("_budget", "本年预算数", "budget");

pub struct ThreeExpenses;

fn label(line: &str) -> (&'static str, &'static str) {
    LINES
        .iter()
        .find(|(id, _, _)| *id == line)
        .map_or(("", ""), |(_, zh, en)| (*zh, *en))
}

fn kind(id: &str) -> ItemKind {
    let (zh, en, col_zh, col_en) = if id == BUDGET {
        (
            "三公经费预算表",
            "Three public expenses: budget",
            "部门预算",
            "Budgets",
        )
    } else {
        (
            "三公经费决算表",
            "Three public expenses: final accounts",
            "部门决算",
            "Final accounts",
        )
    };
    let mut k = ItemKind::new(id, zh, en)
        .catalog("财政预决算/三公经费", col_zh, col_en)
        .field(
            Field::text("department")
                .label("部门", "Department")
                .required(),
        )
        .field(Field::integer("year").label("年度", "Year").required())
        .field(
            Field::date("approved_on")
                .label("财政部门批复日期", "Approved by the finance authority on")
                .help("批复后20日内公开", "Public within 20 days of the approval")
                .required(),
        )
        .field(
            Field::decimal("threshold_percent")
                .unit("%")
                .label("须说明的变动幅度", "Change that needs an explanation")
                .help("默认10%", "Default 10 %"),
        );
    let money = |id: String, zh: String, en: String| Field::money(&id).unit("万元").label(&zh, &en);
    for (line, lzh, len) in LINES {
        k = k
            .field(money(line.into(), lzh.into(), len.into()).required())
            .field(money(
                format!("{line}{}", PREV.0),
                format!("{lzh}（{}）", PREV.1),
                format!("{len} ({})", PREV.2),
            ));
        if id == FINAL {
            k = k.field(money(
                format!("{line}{}", BUDGETED.0),
                format!("{lzh}（{}）", BUDGETED.1),
                format!("{len} ({})", BUDGETED.2),
            ));
        }
        k = k.field(Field::text(&format!("{line}_note")).label(
            &format!("{lzh}增减变化原因"),
            &format!("{len}: reason for the change"),
        ));
        if id == FINAL {
            k = k.field(Field::text(&format!("{line}_budget_note")).label(
                &format!("{lzh}决算与预算差异说明"),
                &format!("{len}: why the final account differs from the budget"),
            ));
        }
    }
    for (count, czh, cen, _, _) in COUNTS {
        k = k.field(Field::integer(count).label(czh, cen));
    }
    for (line, lzh, len) in LINES {
        k = k
            .derived(
                Field::money(&format!("{line}_change"))
                    .unit("万元")
                    .label(&format!("{lzh}增减额"), &format!("{len}: change")),
            )
            .derived(
                Field::decimal(&format!("{line}_change_percent"))
                    .unit("%")
                    .label(&format!("{lzh}增减幅度"), &format!("{len}: change (%)")),
            );
        if id == FINAL {
            k = k
                .derived(
                    Field::money(&format!("{line}_vs_budget"))
                        .unit("万元")
                        .label(
                            &format!("{lzh}决算比预算增减"),
                            &format!("{len}: vs budget"),
                        ),
                )
                .derived(
                    Field::decimal(&format!("{line}_vs_budget_percent"))
                        .unit("%")
                        .label(
                            &format!("{lzh}决算比预算增减幅度"),
                            &format!("{len}: vs budget (%)"),
                        ),
                );
        }
    }
    k.derived(Field::date("publish_by").label("公开期限", "Publish by"))
}

/// The amounts of one column (suffix "", "_prev" or "_budget") that are valid.
fn column(f: &Fields, suffix: &str, ctx: &Context, p: &mut Problems) -> Vec<(&'static str, Cents)> {
    let mut out = Vec::new();
    for (line, _, _) in LINES {
        let key = format!("{line}{suffix}");
        let Some(v) = p.take(f.decimal(&key)) else {
            continue;
        };
        match Cents::from_wan_yuan(v) {
            Ok(c) => out.push((line, c)),
            Err(amount::Invalid::Negative) => {
                let msg = ctx.msg("金额不能为负", "an amount must not be negative");
                p.push(&key, Severity::Error, "out-of-range", msg);
            }
            Err(amount::Invalid::Decimals) => {
                let msg = ctx.msg(
                    "金额以万元为单位，至多保留两位小数",
                    "amounts are in 万元 with at most two decimals",
                );
                p.push(&key, Severity::Error, "decimals", msg);
            }
        }
    }
    out
}

fn get(col: &[(&str, Cents)], line: &str) -> Option<Cents> {
    col.iter().find(|(l, _)| *l == line).map(|(_, c)| *c)
}

/// total = abroad + vehicles + reception; vehicles = purchase + running.
fn check_sums(col: &[(&str, Cents)], suffix: &str, ctx: &Context, p: &mut Problems) {
    let sums = [
        ("total", ["abroad", "vehicles", "reception"].as_slice()),
        (
            "vehicles",
            ["vehicle_purchase", "vehicle_running"].as_slice(),
        ),
    ];
    for (whole, parts) in sums {
        let values: Option<Vec<Cents>> = parts.iter().map(|l| get(col, l)).collect();
        let (Some(w), Some(values)) = (get(col, whole), values) else {
            continue;
        };
        let sum = values.into_iter().fold(Cents(0), |a, b| a + b);
        if w != sum {
            let names: Vec<&str> = parts.iter().map(|l| label(l).0).collect();
            let key = format!("{whole}{suffix}");
            let msg = ctx.msg(
                format!(
                    "{}{} {w} 不等于{}之和 {sum}",
                    label(whole).0,
                    column_zh(suffix),
                    names.join("、")
                ),
                format!("{key} is {w} but its parts sum to {sum}"),
            );
            p.push(&key, Severity::Error, "sum", msg);
        }
    }
}

fn column_zh(suffix: &str) -> &'static str {
    match suffix {
        "_prev" => "（上年数）",
        "_budget" => "（预算数）",
        _ => "",
    }
}

/// A change of more than `threshold` percent between `from` and `to` (from 0
/// to anything above 0 counts as more).
fn beyond(from: Cents, to: Cents, threshold: f64) -> bool {
    let diff = (to.0 - from.0).abs() as f64;
    if from.0 == 0 {
        diff > 0.0
    } else {
        diff * 100.0 > threshold * from.0 as f64
    }
}

fn explained(f: &Fields, key: &str) -> bool {
    f.is_set(key)
}

fn threshold(f: &Fields, ctx: &Context, p: &mut Problems) -> f64 {
    match p.take(f.decimal("threshold_percent")) {
        Some(t) if (0.0..=100.0).contains(&t) => t,
        Some(_) => {
            let msg = ctx.msg("变动幅度应在0到100之间", "must be between 0 and 100");
            p.push("threshold_percent", Severity::Error, "out-of-range", msg);
            DEFAULT_THRESHOLD_PERCENT
        }
        None => DEFAULT_THRESHOLD_PERCENT,
    }
}

fn validate_tables(kind: &str, f: &Fields, ctx: &Context, p: &mut Problems) {
    let t = threshold(f, ctx, p);
    let current = column(f, "", ctx, p);
    let prev = column(f, PREV.0, ctx, p);
    check_sums(&current, "", ctx, p);
    check_sums(&prev, PREV.0, ctx, p);
    let budget = if kind == FINAL {
        let b = column(f, BUDGETED.0, ctx, p);
        check_sums(&b, BUDGETED.0, ctx, p);
        b
    } else {
        Vec::new()
    };

    // Counts: non-negative; a count without money or money without a count
    // needs a word of explanation.
    for (count, czh, cen, _, line) in COUNTS {
        let Some(n) = p.take(f.integer(count)) else {
            continue;
        };
        if n < 0 {
            let msg = ctx.msg("数量不能为负", "a count must not be negative");
            p.push(count, Severity::Error, "out-of-range", msg);
            continue;
        }
        let Some(amount) = get(&current, line) else {
            continue;
        };
        let note = format!("{line}_note");
        if (n == 0) != (amount.0 == 0) && !explained(f, &note) {
            let (lzh, len) = label(line);
            let msg = ctx.msg(
                format!("{lzh} {amount} 万元而{czh} {n}，请说明"),
                format!("{len} is {amount} 万元 with {cen} = {n} ({line}, {count}): explain"),
            );
            p.push(&note, Severity::Error, "explanation-required", msg);
        }
    }

    // Changes beyond the threshold against last year and, for final accounts,
    // against the same year's budget.
    let compare = [
        (&prev, "_note", "上年", "last year"),
        (&budget, "_budget_note", "预算", "the budget"),
    ];
    for (other, note_suffix, wzh, wen) in compare {
        for (line, cur) in &current {
            let Some(base) = get(other, line) else {
                continue;
            };
            let note = format!("{line}{note_suffix}");
            if beyond(base, *cur, t) && !explained(f, &note) && !p.about(&note) {
                let (lzh, len) = label(line);
                let change = Change::between(base, *cur);
                let msg = ctx.msg(
                    format!("{lzh}比{wzh} {base} 变动 {}（{}），超过 {t}%，须说明原因", change.amount, change.percent_text()),
                    format!("{len} ({line}) changed by {} ({}) against {wen} ({base}), more than {t} %: explain why", change.amount, change.percent_text()),
                );
                p.push(&note, Severity::Error, "explanation-required", msg);
            }
        }
    }
}

/// A change between two amounts: its size and share in hundredths of a percent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    pub amount: Cents,
    /// Percent × 100, rounded half away from zero; None when the base is 0.
    pub basis_points: Option<i64>,
}

impl Change {
    pub fn between(from: Cents, to: Cents) -> Change {
        let amount = Cents(to.0 - from.0);
        let basis_points = (from.0 != 0).then(|| {
            let num = i128::from(amount.0) * 10_000;
            let den = i128::from(from.0);
            let q = (num.abs() * 2 + den) / (2 * den);
            (if num < 0 { -q } else { q }) as i64
        });
        Change {
            amount,
            basis_points,
        }
    }

    /// "-7.03" (percent with two decimals), or None.
    pub fn percent(&self) -> Option<String> {
        self.basis_points.map(|bp| Cents(bp).to_string())
    }

    fn percent_text(&self) -> String {
        self.percent().map_or("—".into(), |p| format!("{p}%"))
    }
}

/// Derived fields: change and percentage per line, and the deadline.
pub fn derive_tables(kind: &str, f: &Fields) -> Map {
    let mut out = Map::new();
    let mut p = Problems::new();
    let ctx = Context::new("derive", Date::new(2000, 1, 1).unwrap(), "zh-CN");
    let current = column(f, "", &ctx, &mut p);
    let mut pairs = vec![(column(f, PREV.0, &ctx, &mut p), "change")];
    if kind == FINAL {
        pairs.push((column(f, BUDGETED.0, &ctx, &mut p), "vs_budget"));
    }
    for (other, name) in &pairs {
        for (line, cur) in &current {
            if let Some(base) = get(other, line) {
                let c = Change::between(base, *cur);
                out.insert(format!("{line}_{name}"), c.amount.to_string().into());
                if let Some(pct) = c.percent() {
                    out.insert(format!("{line}_{name}_percent"), pct.into());
                }
            }
        }
    }
    if let Some(d) = publish_by(f) {
        out.insert("publish_by".into(), d.to_string().into());
    }
    out
}

/// Approval date + 20 calendar days.
pub fn publish_by(f: &Fields) -> Option<Date> {
    f.date("approved_on")
        .ok()
        .flatten()?
        .add_days(PUBLISH_WITHIN_DAYS)
}

impl Plugin for ThreeExpenses {
    fn describe() -> PluginInfo {
        PluginInfo::new(
            "three-expenses",
            env!("CARGO_PKG_VERSION"),
            "三公经费",
            "Three public expenses",
        )
        .with_kind(kind(BUDGET))
        .with_kind(kind(FINAL))
        .with_export(ExportFormat::new(
            "csv",
            "三公经费（CSV）",
            "Three public expenses (CSV)",
            export::CSV_MEDIA_TYPE,
            &[BUDGET, FINAL],
        ))
        .with_export(ExportFormat::new(
            "json-summary",
            "三公经费汇总（JSON，可跨部门加总）",
            "Three public expenses summary (JSON, sums across departments)",
            export::JSON_MEDIA_TYPE,
            &[BUDGET, FINAL],
        ))
        .with_export(ExportFormat::new(
            "svg",
            "三公经费历年变化图（SVG）",
            "Three public expenses over the years (SVG chart)",
            chart::SVG_MEDIA_TYPE,
            &[BUDGET, FINAL],
        ))
    }

    fn kind(id: &str) -> Option<ItemKind> {
        matches!(id, BUDGET | FINAL).then(|| kind(id))
    }

    fn validate(id: &str, fields: &Fields, ctx: &Context) -> Result<Problems, PluginError> {
        let k = Self::kind(id).ok_or_else(|| PluginError::UnknownKind(id.into()))?;
        let mut schema = check_schema(&k, fields, ctx);
        let mut p = Problems::new();
        validate_tables(id, fields, ctx, &mut p);
        for extra in p {
            if !schema
                .iter()
                .any(|s| s.path == extra.path && s.code == extra.code)
            {
                schema.add(extra);
            }
        }
        Ok(schema)
    }

    fn derive(id: &str, fields: &Fields, _ctx: &Context) -> Result<Map, PluginError> {
        match id {
            BUDGET | FINAL => Ok(derive_tables(id, fields)),
            _ => Err(PluginError::UnknownKind(id.into())),
        }
    }

    /// Due within 20 calendar days of the approval: the deadline is that day
    /// itself (0 working days from it), whatever the calendar says of it.
    fn publication_rules(
        id: &str,
        fields: &Fields,
        _ctx: &Context,
    ) -> Result<PublicationRules, PluginError> {
        if !matches!(id, BUDGET | FINAL) {
            return Err(PluginError::UnknownKind(id.into()));
        }
        let rules = PublicationRules::new();
        Ok(match publish_by(fields) {
            Some(d) => rules.publish_within(0, d),
            None => rules,
        })
    }

    fn export(format: &str, items: &[ExportItem]) -> Result<ExportOutput, PluginError> {
        match format {
            "csv" => export::csv(items),
            "json-summary" => export::json_summary(items),
            "svg" => chart::svg(items),
            _ => Err(PluginError::UnknownFormat(format.into())),
        }
    }
}

export_plugin!(ThreeExpenses);
