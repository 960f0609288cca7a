//! The relevance corpus: 48 documents each sought by one or more queries, among 480
//! ordinary documents of a county's portal written from the topics of the seed documents
//! (work plans, notices, reports), which share the queries' common words (通知, 实施意见,
//! 2025, 预算, 工作方案) without their distinctive ones. Deterministic.

/// A document of the corpus: title, document number, body (Markdown), kind, catalog code,
/// year of publication.
pub struct Doc {
    pub title: String,
    pub document_number: Option<String>,
    pub body: String,
    pub kind: &'static str,
    pub node: &'static str,
    pub year: i32,
}

fn doc(
    title: &str,
    number: Option<&str>,
    body: &str,
    kind: &'static str,
    node: &'static str,
    year: i32,
) -> Doc {
    Doc {
        title: title.to_string(),
        document_number: number.map(str::to_string),
        body: body.to_string(),
        kind,
        node,
        year,
    }
}

/// The documents sought, in the order the queries name them.
pub fn targets() -> Vec<Doc> {
    vec![
        doc("关于2025年度公务用车运行维护费预算的说明", None, "本单位2025年公务用车购置及运行维护费预算数为35.6万元，比上年减少2.1万元，主要是严格控制车辆运行成本。", "notice", "CZXX-SGJF", 2025),
        doc("关于规范公务用车管理的实施意见", Some("县政办发〔2024〕7号"), "为加强和规范公务用车管理，降低行政成本，结合本县实际，提出如下意见。", "policy", "FGWJ-GFXWJ", 2024),
        doc("城区国有土地上房屋征收拆迁补偿标准", None, "被征收房屋的补偿，按照房屋征收决定公告之日的市场评估价格确定。搬迁费、临时安置费按本标准执行。", "policy", "ZDLY", 2023),
        doc("关于进一步优化营商环境的实施意见", Some("湘政办发〔2025〕12号"), "持续深化“放管服”改革，打造市场化、法治化、国际化一流营商环境。", "policy", "FGWJ-GFXWJ", 2025),
        doc("2026年义务教育阶段招生入学工作方案", None, "坚持免试就近入学，严禁以各类考试、竞赛、培训成绩作为招生依据。", "notice", "ZDLY", 2026),
        doc("阳光分班实施办法", None, "新生编班由电脑随机分班，家长代表、纪检人员现场监督，结果当场公布。", "policy", "ZDLY", 2025),
        doc("2025年政府信息公开工作年度报告", None, "本年度主动公开政府信息二千余条，收到政府信息公开申请四十五件，均按期办结。", "notice", "NDBG", 2026),
        doc("关于调整城乡居民最低生活保障标准的通知", None, "城市居民最低生活保障标准由每人每月650元提高到680元。", "notice", "ZDLY", 2025),
        doc("环境影响评价报告书公示（县污水处理厂提标改造工程）", None, "公众可在公示之日起十个工作日内提出意见和建议。", "notice", "ZDLY", 2025),
        doc("2025年第三季度空气质量状况通报", None, "第三季度县城区优良天数比例为92.4%，首要污染物为臭氧。", "notice", "ZDLY", 2025),
        doc("县城区集中式饮用水水源地水质监测信息", None, "各监测指标均达到地表水Ⅲ类标准，水质达标率100%。", "notice", "ZDLY", 2025),
        doc("关于公布行政事业性收费项目目录清单的通知", None, "凡未列入目录清单的收费项目，一律不得执行。", "fee", "XZSYXSF", 2024),
        doc("县市场监督管理局行政处罚决定书（某超市销售过期食品案）", Some("县市监罚〔2025〕31号"), "当事人销售超过保质期的食品，违反了《中华人民共和国食品安全法》的规定。", "penalty", "XZCF", 2025),
        doc("关于公开招聘乡镇卫生院专业技术人员的公告", None, "本次公开招聘乡镇卫生院专业技术人员二十名。", "notice", "RSXX", 2025),
        doc("县人民医院门诊楼建设项目中标结果公告", None, "经评标委员会评审，确定中标人，中标金额为人民币四千二百万元。", "notice", "ZDLY", 2025),
        doc("政府采购意向公告（2025年12月）", None, "为便于供应商及时了解政府采购信息，现将采购意向公开如下。", "notice", "ZDLY", 2025),
        doc("关于2024年度部门决算公开的说明", None, "部门决算包括收入支出决算总表、财政拨款收入支出决算表等。", "notice", "CZXX-YJS", 2025),
        doc("三公经费支出情况说明（2025年预算）", None, "因公出国（境）费、公务接待费、公务用车购置及运行维护费合计。", "notice", "CZXX-SGJF", 2025),
        doc("关于做好2026年元旦春节期间物价稳定工作的通知", None, "加强节日期间市场价格监测，保障重要民生商品供应。", "notice", "GZDT", 2025),
        doc("县农村公路养护管理办法", Some("县政规〔2023〕2号"), "农村公路养护实行县道县管、乡道乡管、村道村管。", "policy", "FGWJ-GFXWJ", 2023),
        doc("关于印发《县突发事件总体应急预案》的通知", None, "各乡镇人民政府、县直各单位：现将总体应急预案印发给你们，请认真贯彻执行。", "notice", "GHJH", 2024),
        doc("关于实行政务公开“三级审查”制度的通知", None, "拟公开信息须经经办人、部门负责人、主管领导三级审查后方可发布。", "notice", "GZDT", 2024),
        doc("政府信息公开指南", None, "本指南说明政府信息的分类、获取方式、办理时限及信息公开工作机构的联系方式。", "notice", "JGZN", 2025),
        doc("关于开展2025年度“双随机、一公开”抽查工作的公告", None, "随机抽取检查对象，随机选派执法检查人员，抽查结果及时向社会公开。", "notice", "XZQZ", 2025),
        doc("县人民政府关于公布第二批历史文化街区名单的通知", None, "经县人民政府同意，公布第二批历史文化街区名单。", "notice", "GZDT", 2024),
        doc("关于征集2026年县级民生实事项目的公告", None, "面向社会公开征集民生实事项目建议。", "notice", "GZDT", 2025),
        doc("2025年度重大行政决策事项目录", None, "列入目录的重大行政决策事项应当履行公众参与、专家论证、风险评估程序。", "notice", "GHJH", 2025),
        doc("关于城区停车收费标准调整的听证公告", None, "定于下月举行城区停车收费标准调整听证会，现公开征集听证参加人。", "notice", "XZSYXSF", 2025),
        doc("县医疗保障局关于门诊共济保障机制改革的政策解读", None, "建立健全职工医保门诊共济保障机制，减轻参保人员门诊医疗费用负担。", "interpretation", "ZCJD", 2025),
        doc("关于划定高污染燃料禁燃区的通告", None, "禁燃区内禁止销售、燃用高污染燃料。", "notice", "ZDLY", 2024),
        doc("2025年县本级财政预算执行情况报告", None, "一般公共预算收入完成年初预算的103.2%。", "notice", "CZXX-YJS", 2026),
        doc("关于加快推进新型城镇化建设的若干措施", None, "推进农业转移人口市民化，提升县城综合承载能力。", "policy", "FGWJ-GFXWJ", 2024),
        doc("县政府常务会议纪要（第十二次）", None, "会议研究了县城污水管网建设等事项。", "news", "GZDT", 2025),
        doc("关于表彰2025年度优秀志愿者的决定", None, "授予张某等三十名同志“优秀志愿者”称号。", "notice", "GZDT", 2025),
        doc("关于住房公积金缴存比例调整的通知", None, "单位和职工住房公积金缴存比例下限为5%，上限为12%。", "notice", "ZDLY", 2025),
        doc("关于公开征求《县养犬管理规定（征求意见稿）》意见的公告", None, "为加强养犬管理，规范养犬行为，现公开征求社会各界意见。", "notice", "GZDT", 2025),
        doc("關於規範公務接待管理的通知", None, "嚴格執行公務接待標準，實行接待審批制度。", "notice", "GZDT", 2025),
        doc("ＰＭ２.５浓度监测月报（十一月）", None, "十一月县城区细颗粒物月均浓度为三十八微克每立方米。", "notice", "ZDLY", 2025),
        doc("关于开展冬季供暖安全检查的通知", None, "对供热企业、换热站开展安全检查。", "notice", "GZDT", 2025),
        doc("2025年度政府集中采购目录及标准", None, "集中采购机构采购项目以目录为准。", "notice", "ZDLY", 2025),
        doc("关于印发县级储备粮管理办法的通知", None, "县级储备粮的储存、轮换和动用，适用本办法。", "notice", "FGWJ-GFXWJ", 2024),
        doc("城乡居民基本养老保险待遇调整公告", None, "城乡居民基本养老保险基础养老金每人每月提高二十元。", "notice", "ZDLY", 2025),
        doc("县行政审批服务局行政许可决定公示（食品经营许可）", None, "准予食品经营许可，许可证有效期五年。", "licensing", "XZXK", 2025),
        doc("关于近期工作情况的通报", None, "十一月以来，综合执法大队依法拆除违法建筑二十三处，恢复绿地一千余平方米。", "news", "GZDT", 2025),
        doc("关于加强校外培训机构监管的通知", Some("县教发〔2025〕9号"), "严禁校外培训机构超前超标培训。", "notice", "ZDLY", 2025),
        doc("县消费券发放活动规则", None, "本轮消费券分三批次发放，每人限领一次。", "notice", "GZDT", 2025),
        doc("政务公开工作考核办法", None, "考核结果分为优秀、良好、合格、不合格四个等次。", "policy", "FGWJ-GFXWJ", 2024),
        doc("关于全县森林防火工作督查情况的通报", None, "十二月上旬，县森林防火指挥部对各乡镇进行了督查。", "notice", "GZDT", 2025),
    ]
}

/// Each query and the documents (indexes into [`targets`]) of which at least one must be
/// among the first three results; most name exactly one.
pub fn queries() -> Vec<(&'static str, Vec<usize>)> {
    vec![
        ("公务用车 2025 预算", vec![0]),
        ("公務用車 預算", vec![0, 17]),
        ("公务用车管理", vec![1]),
        ("县政办发〔2024〕7号", vec![1]),
        ("2024 7号", vec![1]),
        ("拆迁补偿标准", vec![2]),
        ("征收补偿", vec![2]),
        ("营商环境 实施意见", vec![3]),
        ("2025 12号", vec![3]),
        ("湘政办发〔2025〕12号", vec![3]),
        ("〔2025〕12号", vec![3]),
        ("營商環境", vec![3]),
        ("２０２５　１２號", vec![3]),
        ("义务教育 招生", vec![4]),
        ("阳光分班", vec![5]),
        ("随机分班", vec![5]),
        ("信息公开 年度报告", vec![6]),
        ("最低生活保障标准", vec![7]),
        ("环境影响评价 污水处理厂", vec![8]),
        ("空气质量 第三季度", vec![9]),
        ("饮用水 水质", vec![10]),
        ("收费项目 目录清单", vec![11]),
        ("行政处罚 过期食品", vec![12]),
        ("招聘 卫生院", vec![13]),
        ("中标结果 门诊楼", vec![14]),
        ("采购意向", vec![15]),
        ("2024 部门决算", vec![16]),
        ("三公经费", vec![17]),
        ("元旦春节 物价", vec![18]),
        ("农村公路 养护", vec![19]),
        ("县政规〔2023〕2号", vec![19]),
        ("应急预案", vec![20]),
        ("三级审查", vec![21]),
        ("信息公开指南", vec![22]),
        ("双随机 抽查 2025", vec![23]),
        ("历史文化街区", vec![24]),
        ("民生实事 征集", vec![25]),
        ("重大行政决策", vec![26]),
        ("停车收费 听证", vec![27]),
        ("门诊共济", vec![28]),
        ("禁燃区", vec![29]),
        ("预算执行情况", vec![30]),
        ("新型城镇化", vec![31]),
        ("常务会议 纪要", vec![32]),
        ("优秀志愿者", vec![33]),
        ("公积金 缴存比例", vec![34]),
        ("养犬管理", vec![35]),
        ("公务接待", vec![36]),
        ("PM2.5 月报", vec![37]),
        ("供暖 安全检查", vec![38]),
        ("集中采购目录", vec![39]),
        ("储备粮", vec![40]),
        ("养老保险 待遇", vec![41]),
        ("食品经营许可", vec![42]),
        ("违法建筑", vec![43]),
        ("校外培训", vec![44]),
        ("2025 9号", vec![44]),
        ("消费券", vec![45]),
        ("政务公开 考核", vec![46]),
        ("森林防火 督查 通报", vec![47]),
    ]
}

const TOPICS: &[&str] = &[
    "防汛抗旱",
    "安全生产大检查",
    "森林防火",
    "冬春火灾防控",
    "农村人居环境整治",
    "秋季学校安全",
    "河长制",
    "耕地保护",
    "城乡居民医疗保险参保",
    "高标准农田建设",
    "乡村振兴衔接资金",
    "食品安全宣传周",
    "消防安全",
    "扫黑除恶",
    "人口普查",
    "退役军人优待",
    "残疾人两项补贴",
    "老旧小区改造",
    "生活垃圾分类",
    "文明城市创建",
    "网格化管理",
    "政务服务一网通办",
    "政务公开",
    "部门预算",
];

const FORMS: &[(&str, &str)] = &[
    ("关于做好", "工作的通知"),
    ("关于印发", "工作方案的通知"),
    ("", "实施方案"),
    ("关于", "工作情况的通报"),
    ("关于加强", "的实施意见"),
    ("", "工作要点"),
    ("县政府办公室关于开展", "专项行动的通知"),
    ("", "工作总结"),
    ("关于", "的工作方案"),
    ("关于", "资金安排的公示"),
];

const SENTENCES: &[&str] = &[
    "为认真落实《中华人民共和国政府信息公开条例》，进一步加大政务公开力度，提高政府工作透明度，特制定本方案。",
    "各乡镇、各部门要高度重视，加强组织领导，明确责任分工，确保各项工作落到实处。",
    "要坚持以公开为常态、不公开为例外，及时回应群众关切。",
    "县政府办公室将对各单位工作开展情况进行督查，督查结果纳入年度绩效考核。",
    "各单位每周上报工作动态，政府办每月统计通报，每季度进行排名。",
    "本方案自印发之日起施行，由县政府办公室负责解释。",
    "请于每月五日前将上月工作开展情况报送县政府办公室。",
    "资金使用情况接受审计监督，并按规定向社会公开。",
];

const KINDS: &[(&str, &str)] = &[
    ("notice", "GZDT"),
    ("news", "GZDT"),
    ("notice", "GHJH"),
    ("policy", "FGWJ-GFXWJ"),
    ("notice", "ZDLY"),
    ("notice", "CZXX-YJS"),
];

/// The ordinary documents: `n` of them.
pub fn fillers(n: usize) -> Vec<Doc> {
    (0..n)
        .map(|i| {
            let topic = TOPICS[i % TOPICS.len()];
            let (before, after) = FORMS[(i / TOPICS.len()) % FORMS.len()];
            let year = 2019 + (i % 8) as i32;
            let title = format!("{year}年{before}{topic}{after}");
            let body: Vec<&str> = (0..4)
                .map(|k| SENTENCES[(i + k * 3) % SENTENCES.len()])
                .collect();
            let body = format!(
                "{}\n\n{topic}工作是今年的重点任务之一。{}\n\n{}",
                body[0],
                body[1],
                body[2..].join("")
            );
            let (kind, node) = KINDS[i % KINDS.len()];
            // Document numbers near the targets' (112号 beside 12号) but never theirs.
            let number = match i % 5 {
                0 => Some(format!("县政发〔{year}〕{}号", 100 + i)),
                1 => Some(format!("湘政办发〔{year}〕{}号", 110 + i % 7)),
                _ => None,
            };
            Doc {
                title,
                document_number: number,
                body,
                kind,
                node,
                year,
            }
        })
        .collect()
}
