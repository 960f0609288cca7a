//! Demo requests for the demo city and its departments: one in every state, some
//! overdue. Dated October–November 2026 so that the bundled 2026 calendar covers them.
//! Idempotent: a tenant that already has requests is left alone.

use chrono::NaiveDate;

use super::model::Submission;
use super::service::{self, Step};
use super::store;
use super::Requests;
use crate::kernel::actor::Actor;
use crate::kernel::error::Result;
use crate::tenancy::{store as tenants, Tenant};
use gongkai_rules::requests::lifecycle::{AbandonReason, ConsultParty};

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, day).expect("a valid demo date")
}

/// Fictional applicants: (type, name, resident ID or credit code, organisation, e-mail).
const APPLICANTS: &[(&str, &str, &str, Option<&str>, &str)] = &[
    (
        "person",
        "张伟",
        "11010519491231002X",
        None,
        "zhangwei@example.cn",
    ),
    (
        "person",
        "王芳",
        "110101199003074514",
        None,
        "wangfang@example.cn",
    ),
    (
        "legal_service",
        "李律师",
        "91350100M000100Y43",
        Some("示例律师事务所"),
        "law@example.cn",
    ),
    (
        "research",
        "赵研究员",
        "91350100M000100Y43",
        Some("示例城市研究院"),
        "research@example.cn",
    ),
];

const TOPICS: &[&str] = &[
    "2025年度本市老旧小区改造项目资金安排及使用情况",
    "本市2026年义务教育阶段学校招生划片范围的制定依据",
    "示例河2026年第三季度水质监测数据",
    "本市2025年政府采购项目中标结果汇总",
    "城区道路拓宽工程的征收补偿标准文件",
    "2026年本市空气质量超标天数统计",
];

fn submission(n: usize) -> Submission {
    let (kind, name, code, org, email) = APPLICANTS[n % APPLICANTS.len()];
    let person = kind == "person";
    Submission {
        applicant_type: kind.into(),
        name: name.into(),
        id_type: person.then(|| "resident_id".into()),
        id_number: person.then(|| code.into()),
        organisation: org.map(str::to_string),
        credit_code: (!person).then(|| code.into()),
        phone: Some("13800138000".into()),
        email: Some(email.into()),
        address: Some("示例市人民路1号".into()),
        description: TOPICS[n % TOPICS.len()].into(),
        delivery_method: if matches!(n % 3, 0) { "post" } else { "email" }.into(),
        delivery_form: "electronic".into(),
        language: Some(if n % 5 == 4 { "en" } else { "zh" }.into()),
    }
}

/// The steps of each demo request, each on its day, ending in the state it shows.
fn scripts() -> Vec<Vec<(NaiveDate, Step)>> {
    let assign = || Step::Assign {
        assignee_id: None,
        department: Some("信息公开科".into()),
    };
    let correction = |what: &str| Step::RequestCorrection {
        what: what.into(),
        respond_within_working_days: 10,
    };
    let draft = |code: &str| Step::Draft {
        outcome: code.into(),
        reply_text: None,
    };
    vec![
        // received, not yet registered
        vec![],
        // registered
        vec![(d(11, 20), Step::Register)],
        // correction requested
        vec![
            (d(11, 16), Step::Register),
            (d(11, 17), correction("请写明所需文件的名称或文号")),
        ],
        // corrected
        vec![
            (d(11, 9), Step::Register),
            (d(11, 10), correction("请说明所需信息的时间范围")),
            (
                d(11, 16),
                Step::ReceiveCorrection {
                    text: Some("2025年1月至12月".into()),
                },
            ),
        ],
        // assigned and overdue (registered 10-09, due 11-06)
        vec![(d(10, 9), Step::Register), (d(10, 12), assign())],
        // consulting a third party
        vec![
            (d(11, 2), Step::Register),
            (d(11, 3), assign()),
            (
                d(11, 10),
                Step::StartConsultation {
                    party: ConsultParty::ThirdParty,
                    with: "示例建设集团有限公司".into(),
                },
            ),
        ],
        // extended
        vec![
            (d(10, 20), Step::Register),
            (d(10, 21), assign()),
            (
                d(11, 13),
                Step::Extend {
                    working_days: 15,
                    reason: "需要调取多个年度的档案".into(),
                },
            ),
        ],
        // waiting for a fee
        vec![
            (d(11, 10), Step::Register),
            (d(11, 11), assign()),
            (
                d(11, 20),
                Step::NotifyFee {
                    basis: "pages".into(),
                    pages: Some(120),
                },
            ),
        ],
        // answer drafted
        vec![
            (d(11, 3), Step::Register),
            (d(11, 4), assign()),
            (d(11, 24), draft("2")),
        ],
        // answer reviewed
        vec![
            (d(11, 2), Step::Register),
            (d(11, 3), assign()),
            (d(11, 20), draft("1")),
            (d(11, 23), Step::Approve),
        ],
        // answered
        vec![
            (d(10, 26), Step::Register),
            (d(10, 27), assign()),
            (d(11, 12), draft("4.1")),
            (d(11, 13), Step::Approve),
            (d(11, 16), Step::Deliver { note: None }),
        ],
        // closed (refused, 3.4)
        vec![
            (d(10, 12), Step::Register),
            (d(10, 13), assign()),
            (d(10, 30), draft("3.4")),
            (d(11, 2), Step::Approve),
            (
                d(11, 3),
                Step::Deliver {
                    note: Some("挂号信 XA20261103".into()),
                },
            ),
            (d(11, 5), Step::Close),
        ],
        // withdrawn
        vec![
            (d(11, 18), Step::Register),
            (
                d(11, 19),
                Step::Withdraw {
                    reason: Some("已通过其他途径获取".into()),
                },
            ),
        ],
        // abandoned: no correction (6.1)
        vec![
            (d(10, 13), Step::Register),
            (d(10, 14), correction("请补充申请人身份证明")),
            (d(10, 29), Step::Abandon(AbandonReason::NoCorrection)),
        ],
        // abandoned: fee lapsed (6.2)
        vec![
            (d(10, 15), Step::Register),
            (d(10, 16), assign()),
            (
                d(10, 19),
                Step::NotifyFee {
                    basis: "pages".into(),
                    pages: Some(250),
                },
            ),
            (d(11, 17), Step::Abandon(AbandonReason::FeeLapsed)),
        ],
    ]
}

async fn has_requests(requests: &Requests, tenant: &Tenant) -> Result<bool> {
    let mut tx = requests.db.tenant_read(&tenant.id).await?;
    let any = store::has_any(&mut tx).await?;
    tx.commit().await?;
    Ok(any)
}

/// Adds the demo requests (every state in the city, an overdue one in each department).
pub async fn seed(requests: &Requests) -> Result<()> {
    let actor = Actor {
        user_id: None,
        label: "demo".into(),
    };
    // Whoever drafted an answer may not approve it: the demo's approvals are another's.
    let approver = Actor {
        user_id: None,
        label: "demo-approver".into(),
    };
    for (slug, all) in [
        ("demo-city", true),
        ("demo-city-edu", false),
        ("demo-city-env", false),
        ("demo-city-finance", false),
    ] {
        let Some(tenant) = tenants::by_slug(&requests.db, slug).await? else {
            continue;
        };
        if has_requests(requests, &tenant).await? {
            continue;
        }
        let scripts = scripts();
        let chosen: Vec<(usize, &Vec<(NaiveDate, Step)>)> = if all {
            scripts.iter().enumerate().collect()
        } else {
            // A department: one overdue, one answered, one fresh.
            [4usize, 10, 1].iter().map(|&i| (i, &scripts[i])).collect()
        };
        for (n, script) in chosen {
            let received = script.first().map(|(day, _)| *day).unwrap_or(d(11, 25));
            let input = submission(n);
            let hash = crate::kernel::crypto::sha256_hex(format!("demo-{slug}-{n}").as_bytes());
            let receipt =
                service::submit_on(requests, &tenant, input, &[], &hash, None, received).await?;
            let id = {
                let mut tx = requests.db.tenant_read(&tenant.id).await?;
                let row = store::by_number(&mut tx, &receipt.tracking_number).await?;
                tx.commit().await?;
                row.map(|r| r.id).unwrap_or_default()
            };
            for (day, step) in script {
                let by = match step {
                    Step::Approve => &approver,
                    _ => &actor,
                };
                service::step_on(requests, &tenant, by, &id, step.clone(), *day).await?;
            }
        }
    }
    super::jobs::recompute_all(requests).await?;
    Ok(())
}
