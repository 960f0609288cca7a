//! Environment information (环境信息) plugin: air quality readings (HJ 633),
//! surface water results (GB 3838-2002) and EIA public-participation notices.

pub mod aqi;
pub mod eia;
mod export;
pub mod water;

#[cfg(test)]
mod tests;

use aqi::{AqiError, Concentrations, Level, Period, Standard};
use gongkai_plugin_sdk::{
    check_schema, export_plugin, Context, Date, ExportFormat, ExportItem, ExportOutput, Field,
    Fields, ItemKind, Map, Plugin, PluginError, PluginInfo, Problems, PublicationRules, Severity,
    Value,
};
use water::WaterBody;

pub const AIR: &str = "air-quality-reading";
pub const WATER: &str = "water-quality-result";
pub const EIA: &str = "eia-notice";
const CATALOG: &str = "重点领域/环境保护";

pub struct Environment;

fn conc(id: &str, zh: &str, en: &str, unit: &str) -> Field {
    Field::decimal(id).unit(unit).label(zh, en)
}

fn air_kind() -> ItemKind {
    let mut k = ItemKind::new(AIR, "空气质量监测数据", "Air quality reading")
        .catalog(CATALOG, "空气质量", "Air quality")
        .field(
            Field::text("station")
                .label("监测点位", "Monitoring station")
                .required(),
        )
        .field(
            Field::datetime("time")
                .label("监测时间", "Time")
                .help(
                    "小时值为时段结束时刻；日均值为当日 00:00",
                    "Hourly: end of the hour; daily: 00:00 of the day",
                )
                .required(),
        )
        .field(
            Field::enumeration("period")
                .label("平均时间", "Averaging period")
                .option("1h", "小时（实时报）", "1 hour (real-time)")
                .option("24h", "日（日报）", "24 hours (daily)")
                .required(),
        )
        .field(conc("so2", "二氧化硫（SO2）", "SO2", "µg/m³"))
        .field(conc("no2", "二氧化氮（NO2）", "NO2", "µg/m³"))
        .field(conc("pm10", "颗粒物（PM10）", "PM10", "µg/m³"))
        .field(conc("co", "一氧化碳（CO）", "CO", "mg/m³"))
        .field(conc("o3_1h", "臭氧（O3）1小时", "O3 1-hour", "µg/m³").help(
            "日报填日最大1小时平均（仅 HJ 633-2012 计入）",
            "Daily: maximum 1-hour mean (counted under HJ 633-2012 only)",
        ))
        .field(conc("o3_8h", "臭氧（O3）8小时", "O3 8-hour", "µg/m³").help(
            "日报填日最大8小时滑动平均；实时报填8小时滑动平均",
            "Daily: maximum 8-hour moving mean; hourly: 8-hour moving mean",
        ))
        .field(conc("pm25", "细颗粒物（PM2.5）", "PM2.5", "µg/m³"))
        .field(
            conc("so2_24h", "二氧化硫24小时平均", "SO2 24-hour mean", "µg/m³").help(
                "HJ 633-2012：SO2 1小时浓度高于800时按24小时平均计算分指数",
                "HJ 633-2012: when SO2 1h > 800 its IAQI comes from the 24-hour mean",
            ),
        );
    for (id, name) in aqi::INDICATORS {
        k = k.derived(
            Field::integer(&format!("iaqi_{id}"))
                .label(&format!("{name}分指数"), &format!("IAQI {name}")),
        );
    }
    let mut level = Field::enumeration("level").label("空气质量指数级别", "AQI level");
    for l in Level::ALL {
        level = level.option(l.code(), &format!("{}级（{}）", l.code(), l.zh()), l.en());
    }
    k.derived(Field::integer("aqi").label("空气质量指数（AQI）", "AQI"))
        .derived(level)
        .derived(Field::text("category").label("空气质量指数类别", "AQI category"))
        .derived(Field::text("primary_pollutants").label("首要污染物", "Primary pollutant(s)"))
        .derived(Field::text("standard").label("评价标准", "Standard"))
}

fn water_kind() -> ItemKind {
    let mg = |id: &str, zh: &str, en: &str| conc(id, zh, en, "mg/L");
    let mut k = ItemKind::new(WATER, "地表水水质监测结果", "Surface water quality result")
        .catalog(CATALOG, "水环境质量", "Water quality")
        .field(Field::text("site").label("断面/点位", "Site").required())
        .field(
            Field::enumeration("water_body")
                .label("水体类型", "Water body")
                .option("river", "河流", "River")
                .option("lake", "湖泊、水库", "Lake or reservoir")
                .required(),
        )
        .field(
            Field::date("date")
                .label("采样日期", "Sampling date")
                .required(),
        )
        .field(mg("do", "溶解氧", "Dissolved oxygen"))
        .field(mg("codmn", "高锰酸盐指数", "Permanganate index (CODMn)"))
        .field(mg("cod", "化学需氧量（COD）", "COD"))
        .field(mg("bod5", "五日生化需氧量（BOD5）", "BOD5"))
        .field(mg("nh3n", "氨氮（NH3-N）", "Ammonia nitrogen"))
        .field(mg("tp", "总磷（以P计）", "Total phosphorus"))
        .field(mg(
            "tn",
            "总氮（湖、库，以N计）",
            "Total nitrogen (lakes, reservoirs)",
        ))
        .field(Field::decimal("ph").label("pH值", "pH"))
        .field(Field::person_name("sampler").label("采样人员", "Sampled by"));
    let class_field = |id: &str, zh: &str, en: &str| {
        let mut f = Field::enumeration(id).label(zh, en);
        for c in 1..=6 {
            f = f.option(
                water::class_code(c),
                water::class_zh(c),
                water::class_code(c),
            );
        }
        f
    };
    for (id, name) in water::PARAMETERS {
        k = k.derived(class_field(
            &format!("class_{id}"),
            &format!("{name}类别"),
            &format!("{name} class"),
        ));
    }
    k.derived(class_field("class", "水质类别", "Water quality class"))
        .derived(Field::text("worst_parameters").label("定类指标", "Parameters setting the class"))
}

fn eia_kind() -> ItemKind {
    ItemKind::new(EIA, "环境影响评价公示", "EIA public participation notice")
        .catalog(CATALOG, "环境影响评价", "Environmental impact assessment")
        .field(
            Field::text("project")
                .label("建设项目名称", "Project")
                .required(),
        )
        .field(
            Field::text("builder")
                .label("建设单位", "Builder")
                .required(),
        )
        .field(
            Field::organisation_code("builder_code")
                .label("建设单位统一社会信用代码", "Builder's credit code"),
        )
        .field(Field::text("eia_agency").label("环评单位", "EIA agency"))
        .field(Field::rich_text("summary").label("项目概况", "Summary"))
        .field(Field::text("report_url").label("报告书征求意见稿链接", "Draft report link"))
        .field(Field::text("contact").label("公众意见联系方式", "Where to send comments"))
        .field(
            Field::date("comment_start")
                .label("征求意见开始日期", "Comment period start")
                .required(),
        )
        .field(
            Field::date("comment_end")
                .label("征求意见截止日期", "Comment period end")
                .required(),
        )
        .field(Field::date("publish_on").label("发布日期（不早于）", "Publish not before"))
}

/// A reading's fields in typed form (problems recorded on the way).
struct Reading {
    date: Date,
    period: Period,
    c: Concentrations,
}

fn read_air(f: &Fields, p: &mut Problems, ctx: &Context) -> Option<Reading> {
    let mut c = Concentrations::default();
    let slots: [(&str, &mut Option<f64>); 8] = [
        ("so2", &mut c.so2),
        ("no2", &mut c.no2),
        ("pm10", &mut c.pm10),
        ("co", &mut c.co),
        ("o3_1h", &mut c.o3_1h),
        ("o3_8h", &mut c.o3_8h),
        ("pm25", &mut c.pm25),
        ("so2_24h", &mut c.so2_24h),
    ];
    for (id, slot) in slots {
        if let Some(v) = p.take(f.decimal(id)) {
            if v < 0.0 || !v.is_finite() {
                p.push(
                    id,
                    Severity::Error,
                    "out-of-range",
                    ctx.msg("浓度不能为负", "concentration must not be negative"),
                );
            } else {
                *slot = Some(v);
            }
        }
    }
    let time = p.take(f.datetime("time"));
    let period = match p.take(f.text("period")) {
        Some("1h") => Some(Period::Hour),
        Some("24h") => Some(Period::Day),
        _ => None,
    };
    Some(Reading {
        date: time?.date,
        period: period?,
        c,
    })
}

fn validate_air(f: &Fields, ctx: &Context, p: &mut Problems) {
    let Some(r) = read_air(f, p, ctx) else { return };
    let std = Standard::in_force_on(r.date);
    if r.date > ctx.today {
        p.push(
            "time",
            Severity::Error,
            "future",
            ctx.msg("监测时间晚于今天", "the reading is dated after today"),
        );
    }
    if r.period == Period::Day && r.c.so2_24h.is_some() {
        p.push(
            "so2_24h",
            Severity::Warning,
            "ignored",
            ctx.msg(
                "日报的 SO2 即为24小时平均，此项不参与计算",
                "for a daily reading SO2 is already the 24-hour mean; this value is not used",
            ),
        );
    }
    if r.period == Period::Day && std == Standard::Hj633_2026 && r.c.o3_1h.is_some() {
        p.push(
            "o3_1h",
            Severity::Warning,
            "ignored",
            ctx.msg(
                "HJ 633-2026 日报不计臭氧1小时平均",
                "HJ 633-2026 daily reports do not count the O3 1-hour mean",
            ),
        );
    }
    match aqi::compute(&r.c, r.period, std) {
        Ok(res) => {
            for id in res.above_scale {
                p.push(
                    id,
                    Severity::Warning,
                    "above-scale",
                    ctx.msg(
                        "浓度超过最高浓度限值，分指数按500计",
                        "concentration above the highest breakpoint; IAQI counted as 500",
                    ),
                );
            }
        }
        Err(AqiError::NoIndicators) => {
            p.push(
                "pm25",
                Severity::Error,
                "required",
                ctx.msg(
                    "至少填写一项参与计算的污染物浓度",
                    "give at least one pollutant concentration that counts for this period",
                ),
            );
        }
        Err(AqiError::NeedsCompanion(id, needed)) => {
            p.push(
                needed,
                Severity::Error,
                "required",
                ctx.msg(
                    format!(
                        "{} 超过800 µg/m³，按 HJ 633-2012 须填写 {}",
                        aqi::display_name(id),
                        needed
                    ),
                    format!(
                        "{} is above 800 µg/m³: HJ 633-2012 needs {needed}",
                        aqi::display_name(id)
                    ),
                ),
            );
        }
    }
}

fn derive_air(f: &Fields, ctx: &Context) -> Map {
    let mut p = Problems::new();
    let mut out = Map::new();
    let Some(r) = read_air(f, &mut p, ctx) else {
        return out;
    };
    let std = Standard::in_force_on(r.date);
    out.insert("standard".into(), std.code().into());
    if let Ok(res) = aqi::compute(&r.c, r.period, std) {
        for (id, v) in &res.iaqi {
            out.insert(format!("iaqi_{id}"), (*v).into());
        }
        let level = res.level();
        out.insert("aqi".into(), res.aqi.into());
        out.insert("level".into(), level.code().into());
        out.insert("category".into(), level.zh().into());
        let names: Vec<&str> = res.primary.iter().map(|id| aqi::display_name(id)).collect();
        out.insert("primary_pollutants".into(), names.join(",").into());
    }
    out
}

fn water_body(f: &Fields) -> Option<WaterBody> {
    match f.text("water_body") {
        Ok(Some("river")) => Some(WaterBody::River),
        Ok(Some("lake")) => Some(WaterBody::Lake),
        _ => None,
    }
}

fn water_values(f: &Fields, p: &mut Problems, ctx: &Context) -> Vec<(&'static str, f64)> {
    let mut values = Vec::new();
    for (id, _) in water::PARAMETERS {
        if let Some(v) = p.take(f.decimal(id)) {
            let bad = !v.is_finite() || v < 0.0 || (id == "ph" && v > 14.0);
            if bad {
                p.push(
                    id,
                    Severity::Error,
                    "out-of-range",
                    ctx.msg("数值超出有效范围", "value out of range"),
                );
            } else {
                values.push((id, v));
            }
        }
    }
    values
}

fn validate_water(f: &Fields, ctx: &Context, p: &mut Problems) {
    let values = water_values(f, p, ctx);
    if values.is_empty() {
        p.push(
            "do",
            Severity::Error,
            "required",
            ctx.msg("至少填写一项监测指标", "give at least one parameter"),
        );
    }
    if let Some(Date { .. }) = p.take(f.date("date")).filter(|d| *d > ctx.today) {
        p.push(
            "date",
            Severity::Error,
            "future",
            ctx.msg("采样日期晚于今天", "the sampling date is after today"),
        );
    }
    if water_body(f) == Some(WaterBody::River) && values.iter().any(|(id, _)| *id == "tn") {
        p.push(
            "tn",
            Severity::Warning,
            "ignored",
            ctx.msg(
                "总氮仅用于湖泊、水库评价，河流不参与定类",
                "total nitrogen is evaluated for lakes and reservoirs only",
            ),
        );
    }
}

fn derive_water(f: &Fields, ctx: &Context) -> Map {
    let mut out = Map::new();
    let Some(body) = water_body(f) else {
        return out;
    };
    let values = water_values(f, &mut Problems::new(), ctx);
    if let Some(res) = water::evaluate(&values, body) {
        for (id, c) in &res.classes {
            out.insert(format!("class_{id}"), water::class_code(*c).into());
        }
        out.insert("class".into(), water::class_code(res.overall).into());
        let names: Vec<&str> = res
            .worst
            .iter()
            .map(|id| {
                water::PARAMETERS
                    .iter()
                    .find(|(p, _)| p == id)
                    .map_or("?", |(_, n)| n)
            })
            .collect();
        out.insert("worst_parameters".into(), names.join(",").into());
    }
    out
}

fn validate_eia(f: &Fields, ctx: &Context, p: &mut Problems) -> Result<(), PluginError> {
    let start = p.take(f.date("comment_start"));
    let end = p.take(f.date("comment_end"));
    let (Some(start), Some(end)) = (start, end) else {
        return Ok(());
    };
    if end < start {
        p.push(
            "comment_end",
            Severity::Error,
            "order",
            ctx.msg("截止日期早于开始日期", "the end is before the start"),
        );
        return Ok(());
    }
    let earliest = eia::earliest_end(start, ctx.calendar()).map_err(PluginError::Internal)?;
    if end < earliest {
        p.push("comment_end", Severity::Error, "comment-period", ctx.msg(
            format!("征求意见期限不得少于10个工作日（含首尾），截止日期不早于 {earliest}"),
            format!("the comment period must last at least 10 working days (both ends included): end on {earliest} or later"),
        ));
    }
    if end < ctx.today {
        p.push(
            "comment_end",
            Severity::Warning,
            "past",
            ctx.msg("征求意见期已结束", "the comment period is already over"),
        );
    }
    Ok(())
}

impl Plugin for Environment {
    fn describe() -> PluginInfo {
        PluginInfo::new(
            "environment",
            env!("CARGO_PKG_VERSION"),
            "环境信息",
            "Environment information",
        )
        .with_kind(air_kind())
        .with_kind(water_kind())
        .with_kind(eia_kind())
        .with_export(ExportFormat::new(
            "csv",
            "空气质量数据（CSV）",
            "Air quality readings (CSV)",
            export::CSV_MEDIA_TYPE,
            &[AIR],
        ))
        .with_export(ExportFormat::new(
            "json-feed",
            "环境信息订阅（JSON Feed）",
            "Environment feed (JSON Feed 1.1)",
            export::FEED_MEDIA_TYPE,
            &[AIR, WATER, EIA],
        ))
    }

    fn kind(kind: &str) -> Option<ItemKind> {
        match kind {
            AIR => Some(air_kind()),
            WATER => Some(water_kind()),
            EIA => Some(eia_kind()),
            _ => None,
        }
    }

    fn validate(kind: &str, fields: &Fields, ctx: &Context) -> Result<Problems, PluginError> {
        let k = Self::kind(kind).ok_or_else(|| PluginError::UnknownKind(kind.into()))?;
        let mut schema = check_schema(&k, fields, ctx);
        // Domain rules re-read the fields; keep one problem per path and code.
        let mut p = Problems::new();
        match kind {
            AIR => validate_air(fields, ctx, &mut p),
            WATER => validate_water(fields, ctx, &mut p),
            _ => validate_eia(fields, ctx, &mut p)?,
        }
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

    fn derive(kind: &str, fields: &Fields, ctx: &Context) -> Result<Map, PluginError> {
        match kind {
            AIR => Ok(derive_air(fields, ctx)),
            WATER => Ok(derive_water(fields, ctx)),
            EIA => Ok(Map::new()),
            _ => Err(PluginError::UnknownKind(kind.into())),
        }
    }

    fn publication_rules(
        kind: &str,
        fields: &Fields,
        ctx: &Context,
    ) -> Result<PublicationRules, PluginError> {
        let rules = PublicationRules::new();
        Ok(match kind {
            // Readings are published within 1 working day of the reading.
            AIR => match fields.datetime("time") {
                Ok(Some(t)) => rules.publish_within(1, t.date),
                _ => rules.publish_within(1, ctx.today),
            },
            // General rule for proactive disclosure: 20 working days from when
            // the information is formed (Decree 711, art. 26). Samplers are staff
            // of the monitoring station, not public.
            WATER => {
                let from = fields.date("date").ok().flatten().unwrap_or(ctx.today);
                rules.publish_within(20, from).mask("sampler")
            }
            // The notice must be public when the comment period opens, and passes
            // an extra compliance review by the EIA section.
            EIA => {
                let mut r = rules.review_step(
                    "环评公示合规审核",
                    "EIA notice compliance review",
                    "reviewer",
                );
                if let Ok(Some(start)) = fields.date("comment_start") {
                    r = r.publish_within(0, start);
                }
                if let Ok(Some(d)) = fields.date("publish_on") {
                    r = r.not_before(d);
                }
                r
            }
            _ => return Err(PluginError::UnknownKind(kind.into())),
        })
    }

    fn export(format: &str, items: &[ExportItem]) -> Result<ExportOutput, PluginError> {
        match format {
            "csv" => export::csv(items),
            "json-feed" => export::json_feed(items),
            _ => Err(PluginError::UnknownFormat(format.into())),
        }
    }
}

/// The derived fields of an item (recomputed; exports never trust stored ones).
pub(crate) fn derived_for(kind: &str, fields: &Fields) -> Map {
    let ctx = Context::new(
        "export",
        Date {
            year: 9999,
            month: 12,
            day: 31,
        },
        "zh-CN",
    );
    Environment::derive(kind, fields, &ctx).unwrap_or_default()
}

pub(crate) fn value_text(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

export_plugin!(Environment);
