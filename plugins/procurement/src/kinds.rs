//! The notice kinds and the fields each one carries (财政部令第101号 and the
//! 2020 notice templates, 财办库〔2020〕50号).

use crate::method::Method;
use gongkai_plugin_sdk::{Field, ItemKind};

pub const INTENTION: &str = "intention";
pub const PREQUALIFICATION: &str = "prequalification";
pub const TENDER: &str = "tender";
pub const AMENDMENT: &str = "amendment";
pub const CANCELLATION: &str = "cancellation";
pub const AWARD: &str = "award";
pub const CONTRACT: &str = "contract";
pub const ACCEPTANCE: &str = "acceptance";
/// Not a notice: a supplier's bid, received through a sealed opening.
pub const BID: &str = "bid";

pub const ALL: [&str; 8] = [
    INTENTION,
    PREQUALIFICATION,
    TENDER,
    AMENDMENT,
    CANCELLATION,
    AWARD,
    CONTRACT,
    ACCEPTANCE,
];

const CATALOG: &str = "重点领域/政府采购";

pub fn kind(id: &str) -> Option<ItemKind> {
    if id == BID {
        return Some(bid());
    }
    let k = match id {
        INTENTION => intention(),
        PREQUALIFICATION => prequalification(),
        TENDER => tender(),
        AMENDMENT => amendment(),
        CANCELLATION => cancellation(),
        AWARD => award(),
        CONTRACT => contract(),
        ACCEPTANCE => acceptance(),
        _ => return None,
    };
    Some(k.derived(stage_field()))
}

/// Every kind derives the stage its notice puts the procurement in.
fn stage_field() -> Field {
    let mut f = Field::enumeration("stage").label("采购阶段", "Stage");
    for s in crate::stage::Stage::ALL {
        f = f.option(s.code(), s.zh(), s.en());
    }
    f
}

/// The fields that name the procurement and its buyer on every notice.
fn base(id: &str, zh: &str, en: &str, column_zh: &str, column_en: &str) -> ItemKind {
    ItemKind::new(id, zh, en)
        .catalog(CATALOG, column_zh, column_en)
        // The host passes the procurement's published notices to `validate_related`.
        .related_by("project_number")
        .field(
            Field::text("project_number")
                .label("项目编号", "Project number")
                .help(
                    "同一采购项目的各公告使用同一项目编号",
                    "All notices of one procurement carry the same project number",
                )
                .required(),
        )
        .field(
            Field::text("project_name")
                .label("项目名称", "Project name")
                .required(),
        )
        .field(Field::text("buyer").label("采购人", "Buyer").required())
        .field(
            Field::organisation_code("buyer_code")
                .label("采购人统一社会信用代码", "Buyer's credit code"),
        )
}

fn agency(k: ItemKind) -> ItemKind {
    k.field(Field::text("agency").label("采购代理机构", "Procurement agency"))
        .field(
            Field::organisation_code("agency_code")
                .label("代理机构统一社会信用代码", "Agency's credit code"),
        )
        .field(Field::text("contact").label("联系方式", "Contact"))
}

pub fn method_field() -> Field {
    let mut f = Field::enumeration("method").label("采购方式", "Procurement method");
    for m in Method::ALL {
        f = f.option(m.code(), m.zh(), m.en());
    }
    f.required()
}

fn money(id: &str, zh: &str, en: &str) -> Field {
    Field::money(id).unit("元").label(zh, en)
}

/// Suppliers (an award's winners, a contract's other party): organisations
/// by their credit code, natural persons (政府采购法 art. 21) by their ID
/// number, which is never published.
fn suppliers_table(id: &str, zh: &str, en: &str) -> Field {
    Field::table(
        id,
        vec![
            Field::text("name")
                .label("供应商名称", "Supplier")
                .required(),
            Field::enumeration("supplier_type")
                .label("供应商类型", "Supplier type")
                .option("organisation", "法人或其他组织", "Organisation")
                .option("person", "自然人", "Natural person"),
            Field::organisation_code("credit_code")
                .label("统一社会信用代码", "Unified social credit code"),
            Field::identity_number("id_number")
                .label("身份证号码（不公开）", "ID number (not published)"),
            Field::text("address").label("供应商地址", "Address"),
            Field::text("lot").label("包号", "Lot"),
            money("amount", "中标（成交）金额（元）", "Amount (yuan)"),
        ],
    )
    .label(zh, en)
    .required()
}

fn intention() -> ItemKind {
    base(
        INTENTION,
        "采购意向公开",
        "Procurement intention",
        "采购意向",
        "Procurement intentions",
    )
    .field(
        Field::rich_text("needs")
            .label("采购需求概况", "Needs")
            .required(),
    )
    .field(money("budget", "预算金额（元）", "Budget (yuan)").required())
    .field(
        Field::date("expected_start")
            .label("预计采购时间", "Expected start of the procurement")
            .help(
                "采购意向原则上不晚于采购活动开始前30日公开",
                "The intention is published at least 30 days before this day",
            )
            .required(),
    )
    .field(Field::text("remarks").label("备注", "Remarks"))
    .field(delay_reason())
}

/// Why a notice is published after its time limit: turns the "late" error
/// into a warning, so a late notice can still be made public.
fn delay_reason() -> Field {
    Field::text("delay_reason").label("逾期公开原因", "Reason for late publication")
}

fn prequalification() -> ItemKind {
    agency(base(
        PREQUALIFICATION,
        "资格预审公告",
        "Pre-qualification notice",
        "采购公告",
        "Procurement notices",
    ))
    .field(method_field())
    .field(money("budget", "预算金额（元）", "Budget (yuan)"))
    .field(
        Field::rich_text("qualification")
            .label("申请人资格要求", "Qualification requirements")
            .required(),
    )
    .field(
        Field::date("notice_date")
            .label("公告日期", "Notice date")
            .required(),
    )
    .field(
        Field::datetime("application_deadline")
            .label("提交资格预审申请文件截止时间", "Application deadline")
            .required(),
    )
    .field(Field::text("application_place").label("申请文件提交地点", "Where to apply"))
}

fn tender() -> ItemKind {
    agency(base(
        TENDER,
        "采购公告（招标公告）",
        "Tender notice",
        "采购公告",
        "Procurement notices",
    ))
    .field(method_field())
    .field(money("budget", "预算金额（元）", "Budget (yuan)").required())
    .field(money("max_price", "最高限价（元）", "Ceiling price (yuan)"))
    .field(
        Field::table(
            "lots",
            vec![
                Field::text("lot").label("包号", "Lot").required(),
                Field::text("name").label("采购标的", "Subject").required(),
                Field::text("quantity").label("数量", "Quantity"),
                money("budget", "包预算（元）", "Lot budget (yuan)"),
            ],
        )
        .label("采购包", "Lots"),
    )
    .field(
        Field::rich_text("needs")
            .label("采购需求", "Needs")
            .required(),
    )
    .field(Field::rich_text("qualification").label("供应商资格要求", "Supplier qualification"))
    .field(
        Field::datetime("documents_from")
            .label(
                "获取采购文件开始时间（单一来源：公示开始时间）",
                "Documents issued from (single source: publicity start)",
            )
            .required(),
    )
    .field(
        Field::datetime("documents_until")
            .label("获取采购文件截止时间", "Documents available until"),
    )
    .field(money(
        "documents_price",
        "采购文件售价（元）",
        "Price of the documents (yuan)",
    ))
    .field(
        Field::datetime("bid_deadline")
            .label(
                "投标（响应）截止时间（单一来源：公示截止时间）",
                "Bid deadline (single source: publicity end)",
            )
            .required(),
    )
    .field(Field::datetime("opening_time").label("开标（开启）时间", "Opening time"))
    .field(Field::text("opening_place").label("开标地点", "Opening place"))
    .field(
        Field::text("single_source_supplier")
            .label("拟定单一来源供应商", "Proposed single-source supplier"),
    )
    .field(Field::organisation_code("single_source_code").label(
        "拟定供应商统一社会信用代码",
        "Proposed supplier's credit code",
    ))
}

fn amendment() -> ItemKind {
    agency(base(
        AMENDMENT,
        "更正公告",
        "Amendment notice",
        "更正公告",
        "Amendments",
    ))
    .field(method_field())
    .field(
        Field::date("notice_date")
            .label("更正日期", "Date of the amendment")
            .required(),
    )
    .field(Field::date("original_notice_date").label("原公告日期", "Date of the original notice"))
    .field(
        Field::table(
            "changes",
            vec![
                Field::text("item")
                    .label("更正事项", "What changes")
                    .required(),
                Field::text("before").label("更正前内容", "Before"),
                Field::text("after").label("更正后内容", "After").required(),
            ],
        )
        .label("更正事项", "Changes")
        .required(),
    )
    .field(
        Field::boolean("affects_bids")
            .label("影响投标（响应）文件编制", "Affects how bids are prepared"),
    )
    .field(
        Field::datetime("previous_bid_deadline").label("原投标截止时间", "Previous bid deadline"),
    )
    .field(Field::datetime("new_bid_deadline").label("新投标截止时间", "New bid deadline"))
    .field(Field::datetime("previous_opening_time").label("原开标时间", "Previous opening time"))
    .field(Field::datetime("new_opening_time").label("新开标时间", "New opening time"))
}

fn cancellation() -> ItemKind {
    agency(base(
        CANCELLATION,
        "终止公告",
        "Cancellation notice",
        "终止公告",
        "Cancellations",
    ))
    .field(
        Field::date("notice_date")
            .label("公告日期", "Notice date")
            .required(),
    )
    .field(
        Field::enumeration("reason_code")
            .label("终止类型", "Kind of cancellation")
            .option(
                "failed",
                "废标（供应商不足或均不符合要求）",
                "Failed (too few or no compliant bids)",
            )
            .option("withdrawn", "采购任务取消", "Procurement withdrawn")
            .option("irregular", "违法违规影响采购公正", "Irregularities")
            .option("other", "其他", "Other")
            .required(),
    )
    .field(
        Field::rich_text("reason")
            .label("终止原因", "Reason")
            .required(),
    )
}

fn award() -> ItemKind {
    agency(base(
        AWARD,
        "中标（成交）结果公告",
        "Award notice",
        "结果公告",
        "Awards",
    ))
    .field(method_field())
    .field(
        Field::datetime("opening_time")
            .label("开标时间", "Opening time")
            .help(
                "采购公告或更正公告载明的开标时间",
                "As stated in the tender notice or its last amendment",
            ),
    )
    .field(
        Field::date("decision_date")
            .label("确定中标（成交）供应商日期", "Date the supplier was chosen")
            .required(),
    )
    .field(suppliers_table(
        "suppliers",
        "中标（成交）供应商",
        "Suppliers",
    ))
    .field(
        money(
            "total_amount",
            "中标（成交）总金额（元）",
            "Total amount (yuan)",
        )
        .required(),
    )
    .field(
        Field::rich_text("scoring_summary")
            .label("评审情况", "Evaluation summary")
            .required(),
    )
    .field(
        Field::table(
            "bids",
            vec![
                Field::text("bidder").label("投标人", "Bidder").required(),
                Field::organisation_code("credit_code").label("统一社会信用代码", "Credit code"),
                money("price", "投标报价（元）", "Price (yuan)"),
                Field::decimal("score").label("评审得分", "Score"),
            ],
        )
        .label("投标情况", "Bids")
        .help(
            "确定中标（成交）供应商之前不公开报价",
            "Prices stay hidden until the supplier is chosen",
        ),
    )
    .field(
        Field::table(
            "panel",
            vec![
                Field::person_name("name").label("姓名", "Name").required(),
                Field::enumeration("role")
                    .label("身份", "Role")
                    .option("expert", "评审专家", "Expert")
                    .option(
                        "buyer-representative",
                        "采购人代表",
                        "Buyer's representative",
                    ),
            ],
        )
        .label("评审委员会成员名单", "Evaluation panel")
        .required(),
    )
    .field(Field::text("documents_link").label("采购文件", "Procurement documents"))
    .field(delay_reason())
}

fn contract() -> ItemKind {
    base(
        CONTRACT,
        "合同公告",
        "Contract notice",
        "合同公告",
        "Contracts",
    )
    .field(
        Field::text("contract_number")
            .label("合同编号", "Contract number")
            .required(),
    )
    .field(
        Field::text("contract_name")
            .label("合同名称", "Contract title")
            .required(),
    )
    .field(Field::text("lot").label("包号", "Lot"))
    .field(suppliers_table("suppliers", "供应商（乙方）", "Suppliers"))
    .field(money("amount", "合同金额（元）", "Contract amount (yuan)").required())
    .field(
        Field::date("award_notice_date").label("中标（成交）公告日期", "Date of the award notice"),
    )
    .field(
        Field::date("signing_date")
            .label("合同签订日期", "Date signed")
            .required(),
    )
    .field(Field::date("start_date").label("履行期限起", "Performance from"))
    .field(Field::date("end_date").label("履行期限止", "Performance until"))
    .field(
        Field::text("contract_file")
            .label("合同文本", "Contract document")
            .help(
                "涉及国家秘密、商业秘密的内容除外",
                "Without state or commercial secrets",
            )
            .required(),
    )
    .field(delay_reason())
}

fn acceptance() -> ItemKind {
    base(
        ACCEPTANCE,
        "履约验收公告",
        "Acceptance notice",
        "履约验收",
        "Acceptance",
    )
    .field(
        Field::text("contract_number")
            .label("合同编号", "Contract number")
            .required(),
    )
    .field(Field::text("lot").label("包号", "Lot"))
    .field(
        Field::date("acceptance_date")
            .label("验收日期", "Date of acceptance")
            .required(),
    )
    .field(
        Field::enumeration("result")
            .label("验收结论", "Result")
            .option("pass", "合格", "Passed")
            .option("fail", "不合格", "Failed")
            .required(),
    )
    .field(Field::text("acceptance_body").label("验收主体", "Accepted by"))
    .field(
        Field::boolean("public_service")
            .label("公共服务项目", "Public-service project")
            .help(
                "向社会公众提供的公共服务项目，验收结果须公告",
                "Public-service projects must publish the acceptance result",
            ),
    )
    .field(Field::rich_text("summary").label("验收情况", "Findings"))
}

/// A supplier's bid (投标文件 / 响应文件). It is received through the core's sealed
/// openings (contract 0.2): the price and the commercial and technical documents stay
/// encrypted until the opening time, when the key holders (采购人, 代理机构, 监督部门)
/// open them together. Never an item: the core refuses to publish a kind that seals.
pub fn bid() -> ItemKind {
    ItemKind::new(BID, "投标（响应）文件", "Bid")
        .catalog(CATALOG, "开标", "Bid openings")
        .field(
            Field::text("project_number")
                .label("项目编号", "Project number")
                .required(),
        )
        .field(Field::text("lot").label("包号", "Lot"))
        .field(
            Field::text("supplier")
                .label("供应商名称", "Supplier")
                .required(),
        )
        .field(
            Field::organisation_code("supplier_code")
                .label("供应商统一社会信用代码", "Supplier's credit code")
                .required(),
        )
        .field(money("price", "投标报价（元）", "Bid price (yuan)").required())
        .field(
            Field::datetime("opening_time")
                .label("开标时间", "Opening time")
                .required(),
        )
        .sealed("price", "opening_time")
        .sealed("commercial", "opening_time")
        .sealed("technical", "opening_time")
}
