//! Texts: the standard reply document for each outcome (tenants may replace it), and the
//! e-mails sent to applicants and staff. Chinese first; English follows when the request
//! asked for it. Placeholders in `{braces}` are filled by [`fill`].

use gongkai_rules::requests::outcome::{Outcome, OutcomeGroup};

/// Placeholders a reply template may use.
pub const PLACEHOLDERS: &[&str] = &[
    "{applicant}",
    "{tracking_number}",
    "{received_on}",
    "{agency}",
    "{date}",
    "{outcome}",
    "{referred_to}",
];

/// The sentence that says what was decided, per outcome (Chinese).
fn decision_zh(outcome: Outcome) -> &'static str {
    match outcome.code() {
        "1" => "您申请获取的政府信息属于公开范围，现予以公开，相关信息见附件。",
        "2" => "您申请获取的政府信息中部分内容属于不予公开范围，现对可以公开的部分予以提供，不予公开部分的理由见下文。",
        "3.1" => "您申请获取的政府信息属于国家秘密，根据《中华人民共和国政府信息公开条例》第十四条的规定，不予公开。",
        "3.2" => "您申请获取的政府信息属于法律、行政法规禁止公开的信息，根据《中华人民共和国政府信息公开条例》第十四条的规定，不予公开。",
        "3.3" => "您申请获取的政府信息公开后可能危及国家安全、公共安全、经济安全、社会稳定，根据《中华人民共和国政府信息公开条例》第十四条的规定，不予公开。",
        "3.4" => "您申请获取的政府信息涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害，根据《中华人民共和国政府信息公开条例》第十五条的规定，不予公开。",
        "3.5" => "您申请获取的信息属于人事管理、后勤管理、内部工作流程等内部事务信息，根据《中华人民共和国政府信息公开条例》第十六条第一款的规定，不予公开。",
        "3.6" => "您申请获取的信息属于讨论记录、过程稿、磋商信函、请示报告等过程性信息，根据《中华人民共和国政府信息公开条例》第十六条第二款的规定，不予公开。",
        "3.7" => "您申请获取的信息属于行政执法案卷信息，根据《中华人民共和国政府信息公开条例》第十六条第二款的规定，不予公开。",
        "3.8" => "您申请获取的信息属于行政查询事项，请按照相关法律、行政法规的规定办理。",
        "4.1" => "经检索，本机关不掌握您申请获取的政府信息。{referred_to}",
        "4.2" => "您申请获取的信息需要本机关对现有政府信息进行加工、分析后另行制作，根据《中华人民共和国政府信息公开条例》第三十八条的规定，本机关不予提供。",
        "4.3" => "经补正，您的申请内容仍不明确，本机关无法提供。",
        "5.1" => "您的申请属于信访、投诉、举报等事项，本机关将告知您通过相应渠道提出，不作为政府信息公开申请处理。",
        "5.2" => "您的申请属于重复申请，本机关已就相同内容作出答复，不予重复处理。",
        "5.3" => "您申请获取的信息属于公开出版物，请通过公开渠道获取，本机关不予处理。",
        "5.4" => "您无正当理由大量、反复申请政府信息公开，本机关不予处理。",
        "5.5" => "您要求本机关确认或重新出具已获取的信息，不属于政府信息公开申请的范围，本机关不予处理。",
        "6.1" => "本机关于期限内告知您补正申请，您无正当理由逾期未补正，视为放弃申请，本机关不再处理该申请。",
        "6.2" => "本机关已向您发出收费通知，您逾期未缴纳信息处理费，视为放弃申请，本机关不再处理该申请。",
        _ => "本机关已对您的申请作出处理。",
    }
}

fn decision_en(outcome: Outcome) -> &'static str {
    match outcome.group() {
        OutcomeGroup::Granted => "The information you asked for is disclosed; it is attached.",
        OutcomeGroup::PartlyGranted => {
            "Part of the information you asked for is disclosed; the reasons for withholding the rest follow."
        }
        OutcomeGroup::Refused => "The information you asked for is not disclosed, for the legal reason stated in the Chinese text.",
        OutcomeGroup::Unavailable => "The information cannot be provided, for the reason stated in the Chinese text. {referred_to}",
        OutcomeGroup::NotProcessed => "The application is not processed as a request for government information, for the reason stated in the Chinese text.",
        OutcomeGroup::Other => "The application is no longer processed, for the reason stated in the Chinese text.",
    }
}

/// The standard reply document of `outcome` in `language` (`zh` or `en`).
pub fn standard_reply(outcome: Outcome, language: &str) -> String {
    if language == "en" {
        format!(
            "Dear {{applicant}},\n\nWe received your request for government information {{tracking_number}} on {{received_on}}.\nDecision ({{outcome}}): {}\n\nYou may apply for administrative reconsideration within 60 days or bring an administrative lawsuit within 6 months of receiving this reply.\n\n{{agency}}\n{{date}}\n",
            decision_en(outcome)
        )
    } else {
        format!(
            "{{applicant}}：\n\n本机关于{{received_on}}收到您的政府信息公开申请（编号：{{tracking_number}}）。经审查，现答复如下：\n{}\n\n如对本答复不服，可以在收到本答复之日起六十日内依法申请行政复议，或者在六个月内依法提起行政诉讼。\n\n{{agency}}\n{{date}}\n",
            decision_zh(outcome)
        )
    }
}

/// Replaces every `{name}` of `values` in `template`.
pub fn fill(template: &str, values: &[(&str, String)]) -> String {
    let mut out = template.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// An e-mail: subject and plain-text body.
pub struct Mail {
    pub subject: String,
    pub body: String,
}

fn both(zh: (String, String), en: Option<(String, String)>) -> Mail {
    match en {
        Some((subject_en, body_en)) => Mail {
            subject: format!("{} / {}", zh.0, subject_en),
            body: format!("{}\n\n----- English -----\n\n{}", zh.1, body_en),
        },
        None => Mail {
            subject: zh.0,
            body: zh.1,
        },
    }
}

/// What an applicant's e-mail is about.
pub enum ApplicantMail<'a> {
    Acknowledgement {
        access_code_hint: &'a str,
        track_url: &'a str,
    },
    CorrectionNotice {
        what: &'a str,
        respond_by: &'a str,
    },
    ExtensionNotice {
        working_days: u32,
        reason: &'a str,
        due: &'a str,
    },
    FeeNotice {
        amount_yuan: u64,
        pay_by: &'a str,
    },
    AnswerDelivered {
        outcome: &'a str,
    },
}

/// An e-mail to the applicant about request `number` of `agency`.
pub fn applicant_mail(mail: ApplicantMail, agency: &str, number: &str, english: bool) -> Mail {
    let (zh, en) = match mail {
        ApplicantMail::Acknowledgement {
            access_code_hint,
            track_url,
        } => (
            (
                format!("【{agency}】政府信息公开申请已收到（编号 {number}）"),
                format!("您好：\n\n{agency}已收到您的政府信息公开申请。\n申请编号：{number}\n查询码：{access_code_hint}\n请凭申请编号和查询码在 {track_url} 查询办理进度和答复期限。\n\n{agency}"),
            ),
            (
                format!("Request received ({number})"),
                format!("{agency} has received your request for government information.\nTracking number: {number}\nAccess code: {access_code_hint}\nFollow its progress and due date at {track_url}.\n"),
            ),
        ),
        ApplicantMail::CorrectionNotice { what, respond_by } => (
            (
                format!("【{agency}】补正申请告知书（编号 {number}）"),
                format!("您好：\n\n您的政府信息公开申请（编号 {number}）内容需要补正：\n{what}\n\n请于{respond_by}前通过申请查询页面提交补正内容。逾期无正当理由不补正的，视为放弃申请。答复期限自收到补正申请之日起重新计算。\n\n{agency}"),
            ),
            (
                format!("Please correct your request ({number})"),
                format!("Your request {number} needs correcting:\n{what}\n\nPlease reply by {respond_by} on the tracking page. Without a correction in time the request is treated as abandoned. The answer period restarts when the corrected request arrives.\n"),
            ),
        ),
        ApplicantMail::ExtensionNotice {
            working_days,
            reason,
            due,
        } => (
            (
                format!("【{agency}】延长答复期限告知书（编号 {number}）"),
                format!("您好：\n\n因{reason}，经本机关政府信息公开工作机构负责人同意，您的申请（编号 {number}）答复期限延长{working_days}个工作日，延长后的答复期限为{due}。\n\n{agency}"),
            ),
            (
                format!("Answer period extended ({number})"),
                format!("The period to answer your request {number} is extended by {working_days} working days ({reason}). New due date: {due}.\n"),
            ),
        ),
        ApplicantMail::FeeNotice {
            amount_yuan,
            pay_by,
        } => (
            (
                format!("【{agency}】信息处理费缴费通知（编号 {number}）"),
                format!("您好：\n\n根据《政府信息公开信息处理费管理办法》，您的申请（编号 {number}）需缴纳信息处理费 {amount_yuan} 元。请于{pay_by}前缴纳；逾期未缴纳的，视为放弃申请。缴费期间不计入答复期限。\n\n{agency}"),
            ),
            (
                format!("Information processing fee ({number})"),
                format!("Your request {number} carries an information processing fee of {amount_yuan} yuan. Please pay by {pay_by}; otherwise the request is treated as abandoned. The time until payment does not count toward the answer period.\n"),
            ),
        ),
        ApplicantMail::AnswerDelivered { outcome } => (
            (
                format!("【{agency}】政府信息公开申请答复书（编号 {number}）"),
                format!("您好：\n\n您的政府信息公开申请（编号 {number}）已办结，处理结果：{outcome}。答复书见附件。\n\n{agency}"),
            ),
            (
                format!("Answer to your request ({number})"),
                format!("Your request {number} has been answered ({outcome}). The reply document is attached.\n"),
            ),
        ),
    };
    both(zh, english.then_some(en))
}

/// What a staff e-mail is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffMail {
    Assigned,
    DueIn5,
    DueIn1,
    Overdue,
}

impl StaffMail {
    pub fn kind(self) -> &'static str {
        match self {
            StaffMail::Assigned => "staff_assigned",
            StaffMail::DueIn5 => "staff_due_in_5",
            StaffMail::DueIn1 => "staff_due_in_1",
            StaffMail::Overdue => "staff_overdue",
        }
    }
}

pub fn staff_mail(mail: StaffMail, agency: &str, number: &str, due: &str) -> Mail {
    let (subject, line) = match mail {
        StaffMail::Assigned => (
            format!("【待办】依申请公开 {number} 已分配给您 / Request {number} assigned to you"),
            format!("申请 {number} 已分配给您办理，答复期限：{due}。\nRequest {number} is assigned to you; due {due}."),
        ),
        StaffMail::DueIn5 => (
            format!("【提醒】依申请公开 {number} 剩余5个工作日 / Request {number} due in 5 working days"),
            format!("申请 {number} 距答复期限（{due}）还有5个工作日。\nRequest {number} is due in 5 working days ({due})."),
        ),
        StaffMail::DueIn1 => (
            format!("【提醒】依申请公开 {number} 明日到期 / Request {number} due in 1 working day"),
            format!("申请 {number} 距答复期限（{due}）还有1个工作日。\nRequest {number} is due in 1 working day ({due})."),
        ),
        StaffMail::Overdue => (
            format!("【逾期】依申请公开 {number} 已超过答复期限 / Request {number} is overdue"),
            format!("申请 {number} 已超过答复期限（{due}），请立即处理。\nRequest {number} is overdue (due {due}); act now."),
        ),
    };
    Mail {
        subject,
        body: format!("{line}\n\n{agency}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_outcome_has_a_reply_in_both_languages() {
        for outcome in Outcome::all() {
            let zh = standard_reply(outcome, "zh");
            assert!(
                zh.contains("{tracking_number}") && zh.contains("{agency}"),
                "{outcome}"
            );
            let en = standard_reply(outcome, "en");
            assert!(en.contains("{tracking_number}"), "{outcome}");
        }
        let filled = fill(
            &standard_reply("4.1".parse().unwrap(), "zh"),
            &[("referred_to", "请向示例市财政局申请。".into())],
        );
        assert!(filled.contains("示例市财政局"));
    }
}
