//! What one notice can be checked for on its own: money, credit codes,
//! suppliers, the order of its dates, the minimum periods it sets and the
//! time limit of its own publication.

use crate::kinds::*;
use crate::method::Method;
use crate::money::{MoneyError, Yuan};
use crate::timing::{self, due, Due, Period};
use gongkai_plugin_sdk::{
    credit_code_check_char, Context, Date, FieldType, Fields, ItemKind, PluginError, Problems,
    Severity, ValueType,
};

type Result = std::result::Result<(), PluginError>;

fn cal_err(e: String) -> PluginError {
    PluginError::Internal(format!("working-day calendar: {e}"))
}

/// Checks of `kind` beyond the declared schema.
pub fn notice(kind: &ItemKind, f: &Fields, ctx: &Context, p: &mut Problems) -> Result {
    money_fields(kind, f, ctx, p);
    match kind.id.as_str() {
        INTENTION => intention(f, ctx, p),
        PREQUALIFICATION => prequalification(f, ctx, p),
        TENDER => tender(f, ctx, p),
        AMENDMENT => amendment(f, ctx, p),
        AWARD => award(f, ctx, p),
        CONTRACT => contract(f, ctx, p),
        ACCEPTANCE => {
            not_future(f, "acceptance_date", ctx, p);
            Ok(())
        }
        _ => Ok(()),
    }
}

/// A GB 32100 problem's message names the check character the first 17
/// characters call for, so a typing slip is easy to find.
pub fn credit_code_message(code: &str, ctx: &Context) -> String {
    let expected = code
        .get(..17)
        .filter(|_| code.len() == 18)
        .and_then(credit_code_check_char);
    match expected {
        Some(c) => ctx.msg(
            format!("统一社会信用代码校验码错误，按前17位应为 {c}"),
            format!("wrong check character: the first 17 characters call for {c}"),
        ),
        None => ctx.msg(
            "统一社会信用代码应为18位，由数字和除 I、O、S、V、Z 以外的大写字母组成",
            "a unified social credit code has 18 characters: digits and capitals other than I, O, S, V, Z",
        ),
    }
}

/// Every money value, top level and in tables: a plain decimal in 元, not
/// negative, at most two decimals.
fn money_fields(kind: &ItemKind, f: &Fields, ctx: &Context, p: &mut Problems) {
    for field in &kind.fields {
        match &field.field_type {
            FieldType::Value(ValueType::Money(_)) => money(f, &field.id, ctx, p),
            FieldType::Table(cols) => {
                let Ok(Some(rows)) = f.table(&field.id) else {
                    continue;
                };
                for row in &rows {
                    for c in cols {
                        if matches!(c.value_type, ValueType::Money(_)) {
                            money(row, &c.id, ctx, p);
                        }
                    }
                }
            }
            FieldType::Value(_) => {}
        }
    }
}

fn money(f: &Fields, key: &str, ctx: &Context, p: &mut Problems) {
    let Some(v) = f.get(key) else { return };
    if v.as_str().is_some_and(|s| s.trim().is_empty()) {
        return;
    }
    let (code, zh, en) = match Yuan::from_value(v) {
        Ok(_) => return,
        Err(MoneyError::NotANumber) => (
            "type",
            "金额应为数字，如 12345.67",
            "an amount is a number such as 12345.67",
        ),
        Err(MoneyError::Negative) => (
            "out-of-range",
            "金额不能为负",
            "an amount must not be negative",
        ),
        Err(MoneyError::TooPrecise) => (
            "money-precision",
            "金额以元为单位，最多两位小数",
            "amounts are in yuan with at most two decimals",
        ),
        Err(MoneyError::TooLarge) => ("out-of-range", "金额过大", "the amount is too large"),
    };
    p.push(&f.path(key), Severity::Error, code, ctx.msg(zh, en));
}

pub fn read_money(f: &Fields, key: &str) -> Option<Yuan> {
    f.get(key).and_then(|v| Yuan::from_value(v).ok())
}

fn not_future(f: &Fields, key: &str, ctx: &Context, p: &mut Problems) -> Option<Date> {
    let d = p.take(f.date(key))?;
    if d > ctx.today {
        p.push(
            key,
            Severity::Error,
            "future",
            ctx.msg("日期晚于今天", "the date is after today"),
        );
    }
    Some(d)
}

fn method(f: &Fields) -> Option<Method> {
    f.text("method").ok().flatten().and_then(Method::from_code)
}

/// A publication whose last permitted day is `last_day`: a warning on that
/// day, an error after it unless a reason for the delay is given (then a
/// warning, so that the late notice can still be published).
fn publication_due(
    f: &Fields,
    path: &str,
    last_day: Date,
    ctx: &Context,
    p: &mut Problems,
    (zh, en): (&str, &str),
) {
    match due(ctx.today, last_day) {
        Due::InTime => {}
        Due::LastDay => {
            p.push(
                path,
                Severity::Warning,
                "last-day",
                ctx.msg(
                    format!("今天（{last_day}）是{zh}的最后期限"),
                    format!("today ({last_day}) is the last day to {en}"),
                ),
            );
        }
        Due::Late => {
            let excused = f.is_set("delay_reason");
            p.push(
                path,
                if excused {
                    Severity::Warning
                } else {
                    Severity::Error
                },
                "late",
                ctx.msg(
                    format!(
                        "已超过{zh}的期限（{last_day}）{}",
                        if excused {
                            ""
                        } else {
                            "，请填写逾期公开原因"
                        }
                    ),
                    format!(
                        "the time to {en} ended on {last_day}{}",
                        if excused {
                            ""
                        } else {
                            ": give the reason for the delay"
                        }
                    ),
                ),
            );
        }
    }
}

fn intention(f: &Fields, ctx: &Context, p: &mut Problems) -> Result {
    let Some(start) = p.take(f.date("expected_start")) else {
        return Ok(());
    };
    let last = Period::Days(timing::INTENTION_LEAD_DAYS)
        .latest_start(start, ctx.calendar())
        .map_err(cal_err)?;
    publication_due(
        f,
        "expected_start",
        last,
        ctx,
        p,
        (
            "采购活动开始前30日公开采购意向",
            "publish the intention 30 days before the procurement starts",
        ),
    );
    Ok(())
}

fn prequalification(f: &Fields, ctx: &Context, p: &mut Problems) -> Result {
    let notice = p.take(f.date("notice_date"));
    let deadline = p.take(f.datetime("application_deadline"));
    let (Some(notice), Some(deadline)) = (notice, deadline) else {
        return Ok(());
    };
    let period = Period::WorkingDays(timing::PREQUALIFICATION_WORKING_DAYS);
    min_period(
        p,
        ctx,
        "application_deadline",
        notice,
        deadline.date,
        period,
    )
}

/// `end` must fall at least `period` after `start`.
fn min_period(
    p: &mut Problems,
    ctx: &Context,
    path: &str,
    start: Date,
    end: Date,
    period: Period,
) -> Result {
    let earliest = period
        .earliest_end(start, ctx.calendar())
        .map_err(cal_err)?;
    if end < earliest {
        p.push(
            path,
            Severity::Error,
            "min-period",
            ctx.msg(
                format!(
                    "自 {start} 起不得少于{}，最早为 {earliest}",
                    period.describe_zh()
                ),
                format!(
                    "at least {} from {start}: {earliest} at the earliest",
                    period.describe_en()
                ),
            ),
        );
    }
    Ok(())
}

fn tender(f: &Fields, ctx: &Context, p: &mut Problems) -> Result {
    let m = method(f);
    let from = p.take(f.datetime("documents_from"));
    let until = p.take(f.datetime("documents_until"));
    let deadline = p.take(f.datetime("bid_deadline"));
    let opening = p.take(f.datetime("opening_time"));
    if let (Some(m), Some(from), Some(deadline)) = (m, &from, &deadline) {
        min_period(
            p,
            ctx,
            "bid_deadline",
            from.date,
            deadline.date,
            m.minimum_response_period(),
        )?;
    }
    let documents_sold = matches!(
        m,
        Some(Method::Open | Method::Invited | Method::Consultation)
    );
    if let (true, Some(from), Some(until)) = (documents_sold, &from, &until) {
        let n = timing::DOCUMENTS_AVAILABLE_WORKING_DAYS;
        let last = timing::availability_end(from.date, n, ctx.calendar()).map_err(cal_err)?;
        if until.date < last {
            p.push(
                "documents_until",
                Severity::Error,
                "documents-period",
                ctx.msg(
                    format!("采购文件提供期限不得少于{n}个工作日，截止不早于 {last}"),
                    format!("the documents are available at least {n} working days: until {last} or later"),
                ),
            );
        }
    }
    if let (Some(o), Some(d)) = (&opening, &deadline) {
        if o < d {
            p.push(
                "opening_time",
                Severity::Error,
                "opening-before-deadline",
                ctx.msg(
                    "开标时间早于投标截止时间",
                    "the opening is before the bid deadline",
                ),
            );
        } else if o != d && m.is_some_and(Method::is_tendering) {
            p.push(
                "opening_time",
                Severity::Warning,
                "opening-time",
                ctx.msg(
                    "开标应当在投标截止时间的同一时间进行（财政部令第87号第三十九条）",
                    "tenders are opened at the bid deadline itself (MOF Order 87, art. 39)",
                ),
            );
        }
    }
    if m == Some(Method::SingleSource) && !f.is_set("single_source_supplier") {
        p.push(
            "single_source_supplier",
            Severity::Error,
            "required",
            ctx.msg(
                "单一来源采购须公示拟定供应商",
                "name the proposed single-source supplier",
            ),
        );
    }
    let budget = read_money(f, "budget");
    if let (Some(ceiling), Some(budget)) = (read_money(f, "max_price"), budget) {
        if ceiling > budget {
            p.push(
                "max_price",
                Severity::Error,
                "above-budget",
                ctx.msg(
                    "最高限价不得超过预算金额",
                    "the ceiling price must not exceed the budget",
                ),
            );
        }
    }
    let lots: Option<Yuan> = f.table("lots").ok().flatten().and_then(|rows| {
        rows.iter()
            .map(|r| read_money(r, "budget"))
            .try_fold(Yuan(0), |sum, b| b.map(|b| sum + b))
    });
    if let (Some(lots), Some(budget)) = (lots, budget) {
        if lots > budget {
            p.push(
                "lots",
                Severity::Error,
                "above-budget",
                ctx.msg(
                    format!("各包预算合计 {lots} 元超过项目预算 {budget} 元"),
                    format!("the lots' budgets add up to {lots}, more than the budget of {budget}"),
                ),
            );
        }
    }
    Ok(())
}

fn amendment(f: &Fields, ctx: &Context, p: &mut Problems) -> Result {
    let notice = p.take(f.date("notice_date"));
    let prev_deadline = p.take(f.datetime("previous_bid_deadline"));
    let new_deadline = p.take(f.datetime("new_bid_deadline"));
    let prev_opening = p.take(f.datetime("previous_opening_time"));
    let new_opening = p.take(f.datetime("new_opening_time"));
    for (path, prev, new) in [
        ("new_bid_deadline", &prev_deadline, &new_deadline),
        ("new_opening_time", &prev_opening, &new_opening),
    ] {
        if let (Some(prev), Some(new)) = (prev, new) {
            if new < prev {
                p.push(
                    path,
                    Severity::Error,
                    "moves-back",
                    ctx.msg(
                        format!("更正只能推迟时间，不得早于原定的 {prev}"),
                        format!("an amendment only moves this time later than {prev}"),
                    ),
                );
            }
        }
    }
    let deadline = new_deadline.or(prev_deadline);
    let opening = new_opening.or(prev_opening);
    if let (Some(o), Some(d)) = (&opening, &deadline) {
        if o < d {
            p.push(
                "new_opening_time",
                Severity::Error,
                "opening-before-deadline",
                ctx.msg(
                    "开标时间早于投标截止时间",
                    "the opening is before the bid deadline",
                ),
            );
        }
    }
    let affects = f.boolean("affects_bids").ok().flatten() == Some(true);
    let lead = method(f).and_then(Method::clarification_lead);
    if let (true, Some(lead), Some(notice), Some(deadline)) = (affects, lead, notice, &deadline) {
        let earliest = lead.earliest_end(notice, ctx.calendar()).map_err(cal_err)?;
        if deadline.date < earliest {
            p.push(
                "new_bid_deadline",
                Severity::Error,
                "clarification-period",
                ctx.msg(
                    format!("影响投标文件编制的更正须在截止时间{}前发出，截止时间应顺延至 {earliest} 或之后", lead.describe_zh()),
                    format!("a change that affects the bids comes at least {} before the deadline: move the deadline to {earliest} or later", lead.describe_en()),
                ),
            );
        }
    }
    Ok(())
}

/// The suppliers' amounts, when every row has one.
fn suppliers_sum(f: &Fields) -> Option<Yuan> {
    let rows = f.table("suppliers").ok().flatten()?;
    rows.iter()
        .map(|r| read_money(r, "amount"))
        .try_fold(Yuan(0), |sum, a| a.map(|a| sum + a))
}

/// Organisations give their credit code, natural persons their ID number.
fn suppliers(f: &Fields, ctx: &Context, p: &mut Problems) {
    let Ok(Some(rows)) = f.table("suppliers") else {
        return;
    };
    for row in &rows {
        let person = row.text("supplier_type").ok().flatten() == Some("person");
        let (needed, zh, en) = if person {
            (
                "id_number",
                "自然人供应商须填写身份证号码",
                "a natural person gives an ID number",
            )
        } else {
            (
                "credit_code",
                "须填写统一社会信用代码",
                "an organisation gives its unified social credit code",
            )
        };
        if !row.is_set(needed) {
            p.push(
                &row.path(needed),
                Severity::Error,
                "required",
                ctx.msg(zh, en),
            );
        }
    }
}

fn amount_sum(f: &Fields, total_key: &str, ctx: &Context, p: &mut Problems) {
    if let (Some(sum), Some(total)) = (suppliers_sum(f), read_money(f, total_key)) {
        if sum != total {
            p.push(
                total_key,
                Severity::Error,
                "amount-sum",
                ctx.msg(
                    format!("各供应商金额合计 {sum} 元，与总金额 {total} 元不一致"),
                    format!("the suppliers' amounts add up to {sum}, not {total}"),
                ),
            );
        }
    }
}

fn award(f: &Fields, ctx: &Context, p: &mut Problems) -> Result {
    suppliers(f, ctx, p);
    amount_sum(f, "total_amount", ctx, p);
    let opening = p.take(f.datetime("opening_time"));
    let Some(decided) = p.take(f.date("decision_date")) else {
        return Ok(());
    };
    // Written ahead of the decision: it waits for that day (`not_before`)
    // and its bidders' prices stay masked.
    if decided > ctx.today {
        p.push(
            "decision_date",
            Severity::Warning,
            "future",
            ctx.msg(
                "确定中标（成交）供应商的日期晚于今天：公告不早于该日发布，投标报价不公开",
                "the decision is after today: the notice waits for it and the bidders' prices stay hidden",
            ),
        );
    }
    if let Some(o) = opening.filter(|o| decided < o.date) {
        p.push(
            "decision_date",
            Severity::Error,
            "award-before-opening",
            ctx.msg(
                format!("确定中标（成交）供应商的日期早于开标时间 {o}"),
                format!("the supplier cannot be chosen before the opening at {o}"),
            ),
        );
    }
    let last = ctx
        .calendar()
        .add_working_days(decided, timing::RESULT_WORKING_DAYS)
        .map_err(cal_err)?;
    publication_due(
        f,
        "decision_date",
        last,
        ctx,
        p,
        (
            "自确定中标（成交）供应商之日起2个工作日内公告结果",
            "publish the result within 2 working days of the decision",
        ),
    );
    Ok(())
}

fn contract(f: &Fields, ctx: &Context, p: &mut Problems) -> Result {
    suppliers(f, ctx, p);
    amount_sum(f, "amount", ctx, p);
    let award_notice = p.take(f.date("award_notice_date"));
    if let (Ok(Some(s)), Ok(Some(e))) = (f.date("start_date"), f.date("end_date")) {
        if e < s {
            p.push(
                "end_date",
                Severity::Error,
                "order",
                ctx.msg(
                    "履行期限止早于履行期限起",
                    "the performance ends before it starts",
                ),
            );
        }
    }
    let Some(signed) = not_future(f, "signing_date", ctx, p) else {
        return Ok(());
    };
    if let Some(a) = award_notice {
        if signed < a {
            p.push(
                "signing_date",
                Severity::Error,
                "contract-before-award",
                ctx.msg(
                    format!("合同签订日期早于中标（成交）公告日期 {a}"),
                    format!("signed before the award notice of {a}"),
                ),
            );
        } else if a
            .add_days(timing::SIGN_WITHIN_DAYS)
            .is_some_and(|last| signed > last)
        {
            let excused = f.is_set("delay_reason");
            p.push(
                "signing_date",
                if excused { Severity::Warning } else { Severity::Error },
                "signing-late",
                ctx.msg(
                    "合同应自中标（成交）通知书发出之日起30日内签订（政府采购法第四十六条）",
                    "the contract must be signed within 30 days of the award (Government Procurement Law, art. 46)",
                ),
            );
        }
    }
    let last = ctx
        .calendar()
        .add_working_days(signed, timing::CONTRACT_WORKING_DAYS)
        .map_err(cal_err)?;
    publication_due(
        f,
        "signing_date",
        last,
        ctx,
        p,
        (
            "自合同签订之日起2个工作日内公告合同",
            "publish the contract within 2 working days of signing",
        ),
    );
    Ok(())
}
