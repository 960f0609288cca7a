//! Demo items for `gongkai demo`: for the city and each demo department, a realistic set
//! of items in several states (published, approved, scheduled, in review with scan
//! findings to resolve, draft). Fictional, in the style of the agencies' own documents.
//! Idempotent: a tenant that already has items is left alone.

use serde_json::{json, Value};

use super::service::{self, DecisionInput, ListFilter, NewItem, ResolutionInput, VerdictInput};
use super::Disclosure;
use crate::kernel::actor::Actor;
use crate::kernel::error::{Error, Result};
use crate::tenancy::store as tenants;
use crate::tenancy::Tenant;
use crate::users::service::NewMember;
use gongkai_rules::disclosure::lifecycle::{Action, DisclosureAttribute};

#[derive(Clone, Copy, PartialEq)]
enum Goal {
    Draft,
    InReview,
    Approved,
    Scheduled,
    Published,
}

struct Demo {
    code: &'static str,
    kind: &'static str,
    title: &'static str,
    body: &'static str,
    fields: fn() -> Value,
    goal: Goal,
}

fn none() -> Value {
    json!({})
}

/// (tenant, editor, reviewer, approver, items)
fn plan() -> Vec<(
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Vec<Demo>,
)> {
    vec![
        ("demo-city", "editor@demo.gongkai.cn", "reviewer@demo.gongkai.cn", "approver@demo.gongkai.cn", vec![
            Demo { code: "FGWJ-GFXWJ", kind: "policy", title: "示例市人民政府关于印发《示例市政务公开工作要点（2026年）》的通知",
                body: "各区县人民政府，市政府各部门：\n\n现将《示例市政务公开工作要点（2026年）》印发给你们，请结合实际认真贯彻落实。\n\n一、深化重点领域信息公开……\n\n二、健全政府信息公开内容审核制度，落实“三级审查”……",
                fields: || json!({"policy_type": "normative", "document_number": "示政办发〔2026〕12号", "issued_on": "2026-04-08", "effective_on": "2026-04-08"}),
                goal: Goal::Published },
            Demo { code: "ZCJD", kind: "interpretation", title: "《示例市政务公开工作要点（2026年）》政策解读",
                body: "一、出台背景\n\n二、主要内容：每周集中上传一次公开信息，坚持“先审后发”……",
                fields: || json!({"policy_item_id": "{policy}", "interpreter": "示例市人民政府办公室"}),
                goal: Goal::Published },
            Demo { code: "GZDT", kind: "news", title: "市政府召开政务公开工作推进会", body: "会议通报了第三季度政务公开工作情况，部署下一阶段重点任务。",
                fields: || json!({"source": "市政府办公室"}), goal: Goal::Published },
            Demo { code: "GZDT", kind: "notice", title: "关于开展政府开放日活动的公告",
                body: "报名联系人：王老师，联系电话 13912345678，身份证号 11010519491231002X（请核对）。\n\n活动时间：2026年12月15日。",
                fields: none, goal: Goal::InReview },
            Demo { code: "NDBG", kind: "notice", title: "示例市人民政府2026年政府信息公开工作年度报告（初稿）",
                body: "本报告依据《中华人民共和国政府信息公开条例》编制……", fields: none, goal: Goal::Draft },
        ]),
        ("demo-city-edu", "edu-editor@demo.gongkai.cn", "edu-reviewer@demo.gongkai.cn", "edu-approver@demo.gongkai.cn", vec![
            Demo { code: "FGWJ-GFXWJ", kind: "policy", title: "示例市教育局关于规范中小学课后服务工作的通知",
                body: "各区县教育局，市直各学校：\n\n为进一步规范课后服务……",
                fields: || json!({"policy_type": "normative", "document_number": "示教规〔2026〕2号", "issued_on": "2026-08-20", "effective_on": "2026-09-01", "expires_on": "2031-08-31"}),
                goal: Goal::Published },
            Demo { code: "XZSYXSF", kind: "fee", title: "普通高中学费收费标准", body: "依据省发展改革委、省财政厅、省教育厅有关文件执行。",
                fields: || json!({"fee_name": "普通高中学费", "standard": "每生每学期800元", "basis": "示价费〔2024〕5号", "amount_yuan": 800}),
                goal: Goal::Published },
            Demo { code: "XZXK", kind: "licensing", title: "民办学校办学许可（示例市启明培训学校）",
                body: "经审查，准予许可。联系邮箱 qiming-school@example.cn。",
                fields: || json!({"document_number": "示教许〔2026〕031号", "party": "示例市启明培训学校", "party_type": "legal_person", "decided_on": "2026-10-12", "legal_basis": "《中华人民共和国民办教育促进法》第十八条", "content": "准予设立，办学许可证有效期五年"}),
                goal: Goal::InReview },
            Demo { code: "GZDT", kind: "news", title: "市教育局开展秋季学期校园安全检查", body: "检查组深入全市32所中小学……", fields: none, goal: Goal::Scheduled },
        ]),
        ("demo-city-env", "env-editor@demo.gongkai.cn", "env-reviewer@demo.gongkai.cn", "env-approver@demo.gongkai.cn", vec![
            Demo { code: "XZCF", kind: "penalty", title: "行政处罚决定书（示例市某化工有限公司超标排放）",
                body: "当事人于2026年7月3日超标排放废水，违反了《中华人民共和国水污染防治法》第十条。",
                fields: || json!({"document_number": "示环罚〔2026〕17号", "party": "示例市某化工有限公司", "party_type": "legal_person", "decided_on": "2026-09-15", "legal_basis": "《中华人民共和国水污染防治法》第八十三条", "content": "罚款人民币二十万元"}),
                goal: Goal::Published },
            Demo { code: "XZCF", kind: "penalty", title: "行政处罚决定书（个体经营者噪声污染）",
                body: "当事人夜间施工产生噪声污染，经责令改正后仍未改正。",
                fields: || json!({"document_number": "示环罚〔2026〕21号", "party": "张三丰", "party_type": "natural_person", "decided_on": "2026-10-30", "legal_basis": "《中华人民共和国噪声污染防治法》第七十七条", "content": "罚款人民币五千元"}),
                goal: Goal::Published },
            Demo { code: "ZDLY", kind: "notice", title: "2026年第三季度全市空气质量状况", body: "全市优良天数比例为86.4%……", fields: none, goal: Goal::Approved },
            Demo { code: "GZDT", kind: "news", title: "生态环境局开展入河排污口排查", body: "排查工作将于年底前完成。", fields: none, goal: Goal::Draft },
        ]),
        ("demo-city-finance", "finance-editor@demo.gongkai.cn", "finance-reviewer@demo.gongkai.cn", "finance-approver@demo.gongkai.cn", vec![
            Demo { code: "CZXX-YJS", kind: "notice", title: "示例市财政局2026年部门预算", body: "一、部门主要职责\n\n二、收支预算总表……", fields: none, goal: Goal::Published },
            Demo { code: "CZXX-SGJF", kind: "notice", title: "示例市财政局2025年度“三公”经费决算说明",
                body: "2025年度“三公”经费财政拨款支出决算为12.6万元……经办人电话 0551-1234567，手机 13698765432。",
                fields: none, goal: Goal::InReview },
            Demo { code: "GZDT", kind: "news", title: "市财政局召开预算绩效管理培训会", body: "培训覆盖全市87家预算单位。", fields: none, goal: Goal::Published },
        ]),
    ]
}

async fn user_actor(d: &Disclosure, email: &str) -> Result<Actor> {
    let mut conn = d.db.pool().acquire().await?;
    let user = crate::users::store::by_email(&mut conn, email)
        .await?
        .ok_or_else(|| Error::internal(format!("demo user {email} missing")))?;
    Ok(Actor::user(&user.id, email))
}

/// Seeds the demo items. Each department's reviewer and approver who is missing is
/// added with `password` through `add_member` (the users service, as the CLI), and
/// listed in `users` as (e-mail, tenant, role) for the demo's instructions.
pub async fn seed(
    d: &Disclosure,
    password: &str,
    users: &mut Vec<(String, String, String)>,
    add_member: impl AsyncFn(&Tenant, NewMember) -> Result<()>,
) -> Result<()> {
    for (slug, editor, reviewer, approver, items) in plan() {
        let tenant = tenants::by_slug(&d.db, slug)
            .await?
            .ok_or_else(|| Error::internal(format!("demo tenant {slug} missing")))?;
        // Each department signs its own items: its own reviewer and approver.
        for (email, role, name) in [
            (reviewer, "reviewer", "保密审查员"),
            (approver, "approver", "分管领导"),
        ] {
            if !d.authz.roles_in_db(&d.db, email, &tenant.id, role).await? {
                let input = NewMember {
                    email: email.to_string(),
                    display_name: Some(format!("{name}（{}）", tenant.name_zh)),
                    password: Some(password.to_string()),
                    roles: vec![role.to_string()],
                };
                add_member(&tenant, input).await?;
            }
            if !users.iter().any(|(e, t, _)| e == email && t == slug) {
                users.push((email.to_string(), slug.to_string(), role.to_string()));
            }
        }
        service::ensure_seeded(d, &tenant).await?;
        let existing = service::list(
            d,
            &tenant,
            ListFilter {
                stage: None,
                node_id: None,
                kind: None,
                created_by: None,
                limit: 1,
                offset: 0,
            },
        )
        .await?;
        if !existing.is_empty() {
            continue;
        }
        let (ed, rev, apr) = (
            user_actor(d, editor).await?,
            user_actor(d, reviewer).await?,
            user_actor(d, approver).await?,
        );
        let mut tx = d.db.tenant_read(&tenant.id).await?;
        let nodes = super::store::nodes(&mut tx).await?;
        tx.commit().await?;
        let mut policy_id = String::new();
        for demo in items {
            let node = nodes
                .iter()
                .find(|n| n.code == demo.code)
                .ok_or_else(|| Error::internal(format!("demo node {} missing", demo.code)))?;
            let mut fields = (demo.fields)();
            if fields.get("policy_item_id").is_some() {
                fields["policy_item_id"] = json!(policy_id);
            }
            let input = NewItem {
                node_id: Some(node.id.clone()),
                kind: demo.kind.into(),
                title: demo.title.into(),
                body: demo.body.into(),
                fields,
                attribute: DisclosureAttribute::Proactive,
                legal_ground: None,
                attribute_reason: String::new(),
            };
            let item = service::create_item(d, &ed, &tenant, input).await?;
            if demo.kind == "policy" {
                policy_id = item.id.clone();
            }
            if demo.goal == Goal::Draft {
                continue;
            }
            let submitted = service::submit(d, &ed, &tenant, &item.id).await?;
            if demo.goal == Goal::InReview {
                continue; // left with its findings for the reviewer
            }
            for f in service::findings(d, &tenant, &item.id).await? {
                let input = ResolutionInput {
                    resolution: "redact".into(),
                    reason: "个人信息".into(),
                };
                service::resolve(d, &rev, &tenant, &item.id, &f.id, input).await?;
            }
            for (step, actor) in [(0, &rev), (1, &apr)]
                .into_iter()
                .take(submitted.review_chain.len())
            {
                let input = DecisionInput {
                    step,
                    verdict: VerdictInput::Approve,
                    comments: "同意".into(),
                    version: None,
                };
                service::decide(d, actor, &tenant, &item.id, input).await?;
            }
            match demo.goal {
                Goal::Published => {
                    service::publish(d, &ed, &tenant, &item.id).await?;
                }
                Goal::Scheduled => {
                    let at = d.clock.now() + chrono::Duration::days(3);
                    service::act(d, &ed, &tenant, &item.id, Action::Schedule { at }).await?;
                }
                _ => {}
            }
        }
    }
    Ok(())
}
