# 门户与后台页面的中文文本（简体）。键名与 en.ftl 一一对应（测试会核对）。

platform-name = 政府信息公开平台
column-name = 政府信息公开
skip-to-content = 跳到正文
search-label = 站内搜索
search-button = 搜索
language-nav = 语言
language-name = 中文
column-nav = 栏目导航
breadcrumbs = 当前位置
pagination = 分页

nav-home = 首页
nav-guide = 政府信息公开指南
nav-rules = 政府信息公开制度
nav-catalog = 法定主动公开内容
nav-reports = 政府信息公开年报
nav-apply = 依申请公开
nav-track = 申请查询

footer-sponsor = 主办单位：
footer-site-code = 网站标识码：

contact-office = 工作机构：
contact-address = 办公地址：
contact-postcode = 邮政编码：
contact-hours = 办公时间：
contact-phone = 咨询电话：
contact-fax = 传真：
contact-email = 电子邮箱：
contact-none = 本机关尚未填写联系方式。

error-not-found-title = 页面不存在
error-not-found-text = 您要找的页面不存在，或者信息已撤回。请检查网址，或从首页重新进入。
error-too-many-title = 操作过于频繁
error-too-many-text = 同一地址的请求次数已达上限，请约 { $minutes } 分钟后再试。
error-bad-request-title = 请求有误
error-bad-request-text = 网址中的参数不正确，请返回上一页重新选择。
error-internal-title = 服务暂时不可用
error-internal-text = 系统暂时无法处理您的请求，请稍后再试。
error-back-home = 返回首页
error-agency-index = 全部机关

index-title = 政府信息公开平台
index-text = 请选择要访问的机关，查看其政府信息公开栏目。
index-empty = 暂无机关。

home-parent = 上级机关：
home-apply-title = 依申请公开
home-apply-text = 公民、法人或者其他组织可以向本机关申请获取政府信息。在线提交申请后，凭申请编号和查询码查询办理进度。
home-apply-button = 在线申请
home-track-button = 查询办理进度
home-subcolumns = 政府信息公开栏目
home-latest = 最新公开
home-plugin-columns = 最新数据
home-all-items = 全部公开信息
home-contact = 联系我们
home-key-areas = 重点领域信息公开
column-departments = 所属部门公开的表格
col-department = 部门
home-children = 所属机关
feed-atom = 订阅（Atom）

list-empty = 暂无信息。
items-count = 共 { $count } 条
page-of = 第 { $page } 页，共 { $pages } 页
page-prev = 上一页
page-next = 下一页
col-title = 标题
col-index-number = 索引号
col-kind = 类别
col-validity = 效力
col-published = 发布日期
catalog-tree = 公开目录
downloads = 下载本目录：

filter-words = 标题或索引号
filter-kind = 类别
filter-year = 年份
filter-validity = 效力
filter-order = 排序
filter-any = 全部
filter-apply = 筛选
order-newest = 最新在前
order-oldest = 最早在前

search-title = 搜索
search-hint = 请输入要查找的词语、文号或索引号；繁体、全角也可以。
search-results = 含“{ $words }”的信息共 { $count } 条。

# search
search-scope = 范围
search-scope-self = 本单位
search-scope-children = 本单位及下属单位
search-sort = 排序
search-sort-relevance = 按相关度
search-sort-date = 按发布日期
search-facets = 缩小范围
search-facet-agency = 发布单位
search-facet-catalog = 目录
search-facet-kind = 类别
search-facet-year = 年份
search-facet-validity = 效力
search-remove-filter = 去掉此条件
search-remove-filters = 去掉全部筛选条件
search-none = 没有找到含“{ $words }”的信息。
search-none-filtered = 所选条件可能太窄：
search-try-children = 在下属单位中一并搜索
search-none-tips = 可以换用更短或更常用的词语，或按文号查找（如“2025 12号”）。

kind-notice = 通知公告
kind-policy = 政策文件
kind-licensing = 行政许可
kind-penalty = 行政处罚
kind-enforcement = 行政强制
kind-fee = 行政事业性收费
kind-news = 工作动态
kind-interpretation = 政策解读

validity-in_force = 现行有效
validity-amended = 已修改
validity-repealed = 已废止

item-index-number = 索引号
item-issuer = 发布机构
item-document-number = 文号
item-catalog = 所属目录
item-kind = 类别
item-issued-on = 成文日期
item-published-on = 发布日期
item-updated-on = 更新日期
item-validity = 效力
item-effective-on = 自 { $date } 起施行
item-expires-on = 有效期至 { $date }
item-fields = 详细信息
item-policy = 所解读的政策
item-interpretations = 政策解读
item-attachments = 附件
item-repealed-title = 本文件已废止。
item-repealed-on = （{ $date }废止）
item-repealed-text = 以下内容仅供查阅，不再作为执行依据。
item-amended-text = 本文件已被修改，请以修改后的文件为准。
item-print-hint = 如需纸质文本，可使用浏览器的打印功能。

last-updated = 最后更新：
default-text-note = 本页由平台根据本机关登记的信息自动生成，本机关尚未编辑。
guide-unset = （尚未填写）
guide-default =
    ## 一、主动公开

    本机关按照《中华人民共和国政府信息公开条例》第二十条、第二十一条的规定，通过本网站“法定主动公开内容”栏目主动公开政府信息，按目录分类编排，每条信息标注索引号、文号、发布日期和效力状态。请访问[法定主动公开内容]({ $catalog })。

    属于主动公开范围的政府信息，自形成或者变更之日起 20 个工作日内予以公开。

    ## 二、依申请公开

    公民、法人或者其他组织可以向{ $agency }申请获取政府信息。

    - 在线申请：填写[在线申请表]({ $apply })，提交后获得申请编号和查询码，可随时[查询办理进度]({ $track })。
    - 当面或信函申请：{ $address }；办公时间：{ $hours }。

    本机关收到申请后，能够当场答复的当场答复；不能当场答复的，自收到申请之日起 20 个工作日内答复；需要延长答复期限的，经负责人同意并告知申请人，延长期限最长不超过 20 个工作日。网上申请以本机关登记之日为收到申请之日；需要补正的，答复期限自收到补正后的申请之日起计算；征求第三方意见所需时间不计算在答复期限内。

    ## 三、收费

    依申请提供政府信息，原则上不收取费用。申请人申请公开政府信息的数量、频次明显超过合理范围的，按照《政府信息公开信息处理费管理办法》按件或者按量计收信息处理费，本机关将书面通知收费金额和缴纳期限。

    ## 四、工作机构与联系方式

    - 工作机构：{ $office }
    - 办公地址：{ $address }
    - 办公时间：{ $hours }
    - 咨询电话：{ $phone }
    - 电子邮箱：{ $email }

    ## 五、救济途径

    申请人认为本机关在政府信息公开工作中侵犯其合法权益的，可以向上一级行政机关或者政府信息公开工作主管部门投诉、举报，也可以自知道该行政行为之日起 60 日内依法申请行政复议，或者自知道或者应当知道作出行政行为之日起 6 个月内依法提起行政诉讼。
rules-default =
    本机关执行《中华人民共和国政府信息公开条例》（国务院令第711号）及上级机关制定的政府信息公开工作制度，包括：

    - 政府信息公开保密审查制度（三级审查）；
    - 政府信息主动公开与依申请公开工作制度；
    - 政府信息公开工作考核、社会评议和责任追究制度；
    - 政策解读与回应关切制度。

    本机关制定的具体制度将在本栏目发布。
reports-intro = 按照《中华人民共和国政府信息公开条例》第四十九条，县级以上人民政府部门于每年1月31日前、县级以上地方人民政府于每年3月31日前公布本机关上一年度政府信息公开工作年度报告。
reports-none = 本机关暂未发布年度报告。
# reports: the published annual report's page and downloads, the dashboard reminder
kind-annual_report = 政府信息公开工作年度报告
report-downloads = 下载年度报告
console-report-due-title = 政府信息公开工作年度报告
console-report-due = { $year }年度报告应于{ $due }前公布（当前：{ $status }）。
console-report-overdue = { $year }年度报告已逾期：应于{ $due }前公布（当前：{ $status }）。
console-report-status-none = 尚未起草
console-report-status-draft = 草稿
console-report-status-submitted = 已提交，待审核发布

apply-title = 政府信息公开申请
apply-rules-title = 申请须知
apply-rules-deadline = 本机关自登记申请之日起 20 个工作日内答复；需要延长的，经负责人同意并告知申请人，最长延长 20 个工作日。需要补正或征求第三方意见的，相应时间不计入期限。
apply-rules-fees = 依申请提供政府信息原则上不收费；申请数量、频次明显超过合理范围的，依法按件或按量收取信息处理费，收费前书面告知金额和缴纳期限。
apply-rules-privacy = 您填写的身份证件号码、电话和地址仅用于办理本申请，加密保存，不会公开。
apply-applicant-type = 申请人类型
apply-name = 申请人姓名或联系人姓名
apply-name-hint = 法人或其他组织请填写联系人姓名。
apply-person = 自然人填写
apply-id-type = 证件类型
apply-id-number = 证件号码
apply-id-number-hint = 居民身份证为 18 位，最后一位可能是 X。
apply-organisation = 法人或者其他组织填写
apply-organisation-name = 单位名称
apply-credit-code = 统一社会信用代码
apply-credit-code-hint = 18 位代码，见营业执照或登记证书。
apply-contact = 联系方式
apply-contact-hint = 电话、电子邮箱、通信地址至少填写一项；选择邮寄的需填写地址，选择电子邮件的需填写邮箱。
apply-phone = 联系电话
apply-email = 电子邮箱
apply-address = 通信地址
apply-description = 所需政府信息的名称、文号或者便于查询的其他特征性描述
apply-description-hint = 请尽量写明信息的名称、文号、形成时间，至少 5 个字，最多 5000 字。
apply-purpose = 申请用途
apply-delivery-method = 获取信息的方式
apply-delivery-form = 信息的载体形式
apply-document = 身份证明材料（可选）
apply-document-hint = 如本机关需要核实申请人身份，可在此上传身份证件或营业执照的照片或扫描件（JPEG、PNG 或 PDF，5 MB 以内）。材料仅供办理申请的工作人员查看。
apply-document-again = 浏览器无法保留已选择的文件，请重新选择。
apply-error-document = 请上传 5 MB 以内的照片（JPEG、PNG）或 PDF 文件。
apply-submit = 提交申请
apply-errors-title = 申请表有以下问题，请修改后重新提交：
apply-error-form = 表单已过期或来源无法核实，请核对内容后再次提交。
apply-error-too-long = 内容过长，最多 { $limit } 个字。
apply-error-applicant_type = 请选择申请人类型。
apply-error-name = 请填写申请人姓名（法人或其他组织填写联系人姓名）。
apply-error-id_type = 自然人申请请选择证件类型。
apply-error-id_number = 请填写正确的证件号码：居民身份证号码为 18 位，校验位和出生日期须正确。
apply-error-organisation = 法人或者其他组织申请请填写单位名称。
apply-error-credit_code = 请填写正确的 18 位统一社会信用代码。
apply-error-phone = 请填写正确的联系电话（电话、邮箱、地址至少填写一项；选择当面领取的须填写电话）。
apply-error-email = 请填写正确的电子邮箱（选择电子邮件送达的须填写）。
apply-error-address = 选择邮寄的，请填写通信地址。
apply-error-description = 请描述所需政府信息，至少 5 个字，最多 5000 字。
apply-error-delivery_method = 请选择获取信息的方式。
apply-error-delivery_form = 请选择信息的载体形式：电子邮件和在线获取只能选择电子文本。
apply-error-language = 请选择语言。
apply-error-Idempotency-Key = 表单已过期，请刷新页面后重新提交。

applicant-person = 自然人
applicant-commercial = 商业企业
applicant-research = 科研机构
applicant-public_interest = 社会公益组织
applicant-legal_service = 法律服务机构
applicant-other = 其他组织
id-type-resident_id = 居民身份证
id-type-passport = 护照
id-type-hk_macao_permit = 港澳居民来往内地通行证
id-type-taiwan_permit = 台湾居民来往大陆通行证
id-type-foreign_permanent_residence = 外国人永久居留身份证
id-type-other = 其他证件
delivery-email = 电子邮件
delivery-post = 邮寄
delivery-collection = 当面领取
delivery-online = 网上获取
form-electronic = 电子文本
form-paper = 纸质文本

receipt-title = 申请回执
receipt-lead = 您的政府信息公开申请已提交。请记下申请编号和查询码。
receipt-agency = 受理机关
receipt-number = 申请编号
receipt-code = 查询码
receipt-received = 提交日期
receipt-status = 办理状态
receipt-code-once = 查询码只显示这一次，本机关无法找回。请立即抄写或打印本回执。
receipt-print = 可使用浏览器的打印功能打印本回执。
receipt-track = 查询办理进度

track-title = 申请查询
track-intro = 请输入申请编号和查询码，查看申请的办理状态、每一步的日期、答复期限及其计算依据。
track-number = 申请编号
track-code = 查询码
track-submit = 查询
track-missing = 请填写申请编号和查询码。
track-not-found = 未找到与该申请编号和查询码相符的申请，请核对后重试。
track-result-title = 申请 { $number } 的办理情况
track-due = 答复期限
track-due-provisional = （暂定）
track-due-none = 尚未起算
track-days-left = 剩余 { $days } 个工作日
track-overdue = 已超过答复期限
track-why = 期限如何计算
track-steps = 办理过程
track-step-date = 日期
track-step = 环节
track-fee = 信息处理费
track-fee-text = 应缴信息处理费 { $amount } 元，缴纳期限 { $pay_by }，状态：{ $status }。
track-fee-how = 请按收费通知书载明的方式缴纳；逾期未缴纳的，视为放弃申请。
track-answer = 答复
track-remedies = 救济途径
track-remedies-text = 如对答复不服，可以自知道该行政行为之日起 60 日内依法申请行政复议，或者自知道或者应当知道之日起 6 个月内依法向人民法院提起行政诉讼。

status-received = 已接收
status-registered = 已登记
status-correction_requested = 待补正
status-corrected = 已补正
status-assigned = 办理中
status-consulting = 征求意见中
status-answer_drafted = 答复待审核
status-answer_reviewed = 答复已审核
status-answered = 已答复
status-closed = 已办结
status-withdrawn = 已撤回
status-abandoned = 视为放弃

event-received = 收到申请
event-registered = 登记
event-correction_requested = 告知补正
event-corrected = 补正
event-assigned = 交办
event-referred = 转办
event-consultation_started = 征求意见
event-consultation_ended = 征求意见结束
event-extended = 延长答复期限
event-fee_noticed = 收费通知
event-fee_paid = 缴纳信息处理费
event-answer_drafted = 拟定答复
event-answer_approved = 答复审核通过
event-answer_returned = 答复退回修改
event-delivered = 送达答复
event-closed = 办结
event-withdrawn = 撤回申请
event-abandoned = 视为放弃

fee-status-pending = 待缴纳
fee-status-paid = 已缴纳
fee-status-lapsed = 逾期未缴

value-yes = 是
value-no = 否

error-signin-title = 请先登录
error-signin-text = 此页面需要登录后使用，或者您的会话已超时。
error-signin-link = 登录
error-forbidden-title = 没有权限
error-forbidden-text = 您在本单位的角色不包含此项操作的权限。如需办理，请联系本单位管理员。

console-name = 工作台
console-nav-desk = 我的工作
console-nav-account = 我的账户
console-signed-in-as = 当前用户：
console-agencies = 切换单位
console-sign-out = 退出登录
console-signin-title = 工作人员登录
console-email = 电子邮箱
console-password = 密码
console-sign-in = 登录
console-signin-wrong = 电子邮箱或密码不正确。
console-signin-locked = 登录尝试次数过多，账户已暂时锁定，请约 { $minutes } 分钟后再试。
console-signin-no-role = 此账户在任何有效单位都没有角色，无法登录工作台。
console-choose-title = 选择单位
console-choose-none = 您在任何有效单位都没有角色。
console-my-roles = 我的角色：
console-desk-title = 我的工作
console-desk-mine = 分配给我的申请
console-desk-mine-none = 目前没有分配给您的申请。
console-desk-overdue = 本单位已逾期的申请
console-desk-overdue-none = 本单位没有逾期的申请。
console-desk-nothing = 您的角色在本单位暂无待办事项。
console-request-number = 申请编号
console-request-status = 状态
console-request-received = 收到日期
console-request-due = 答复期限
console-request-overdue = 已逾期
console-account-title = 我的账户
console-password-title = 修改密码
console-password-change = 修改密码
console-field-current_password = 当前密码
console-field-name = 名称
console-field-expires_in_days = 有效天数（可不填）
console-error-current_password = 当前密码不正确。
console-error-name = 请填写 1 至 100 个字符的名称。
console-error-expires_in_days = 有效天数为 1 至 3650，或不填。
console-tokens-title = API 令牌
console-tokens-none = 您还没有 API 令牌。
console-token-new = 新建令牌
console-token-create = 新建
console-token-shown-once = 新令牌如下，只显示这一次，请立即妥善保存：
console-token-created = 创建时间
console-token-expires = 到期
console-token-state = 状态
console-token-revoked = 已吊销
console-token-revoke = 吊销
role-platform_admin = 平台管理员
role-tenant_admin = 单位管理员
role-editor = 编辑
role-reviewer = 保密审查员
role-approver = 审核领导
role-request_officer = 依申请公开经办人
role-auditor = 审计员
role-overseer = 监督单位
console-nav-requests = 依申请公开
console-nav-permissions = 权限设置
console-permissions-title = 角色权限
console-permissions-intro = 表中为平台授予各角色的权限（默认）。本单位可在单位内收回某一角色的权限，也可恢复已收回的权限；不能授予平台未授予的权限。更改在受影响用户的下一次操作时生效。
console-permissions-caption = 角色 × 权限（标为“已收回”的是本单位的更改）
console-permissions-permission = 权限
console-permissions-not-granted = 平台未授予
console-permissions-withdrawn = 已收回
console-permissions-withdraw = 收回
console-permissions-restore = 恢复
console-requests-title = 依申请公开办理
console-requests-none = 没有符合条件的申请。
console-filter-any = 全部
console-filter-mine = 只看分配给我的
console-filter-overdue = 只看已逾期
console-filter-apply = 筛选
console-request-left = 剩余工作日
console-request-title = 申请
console-request-deadline = 答复期限
console-request-due-on = 答复期限：
console-request-days-left = 剩余 { $days } 个工作日
console-request-steps = 办理
console-request-answers = 答复
console-request-no-answer = 尚未起草答复。
console-request-timeline = 办理过程
console-request-applicant = 申请人
console-request-contact = 联系方式
console-request-delivery = 获取方式 / 载体形式
console-request-description = 所需信息
console-request-documents = 申请人提交的材料
console-steps-none = 您的角色在本单位不能办理此申请的任何步骤。
console-step-refused = 申请当前的状态不允许这一步。
console-step-register = 登记
console-step-correction-request = 要求补正
console-step-assign = 分办
console-step-refer = 告知向其他机关申请
console-step-extend = 延长答复期限
console-step-fee-notice = 发出收费通知
console-step-answer = 起草答复
console-step-answer-approve = 批准答复
console-step-answer-return = 退回答复
console-step-deliver = 送达
console-step-close = 办结
console-field-what = 需要补正的内容
console-field-respond_within_working_days = 补正期限（工作日，默认 15）
console-field-assignee_id = 经办人
console-field-department = 承办部门
console-field-agency = 应当向其申请的机关
console-field-working_days = 延长的工作日数
console-field-reason = 延期理由（将告知申请人）
console-field-basis = 计费方式
console-field-pages = 页数
console-field-outcome_code = 答复结果（年报表三的代码）
console-field-reply_text = 答复书正文（不填则用本单位的模板生成）
console-field-comments = 退回意见
console-field-note = 送达记录（挂号信号码、领取人和时间等）
console-basis-count = 按件计收
console-basis-pages = 按量计收
console-status-received = 已接收
console-status-registered = 已登记
console-status-correction_requested = 待补正
console-status-corrected = 已补正
console-status-assigned = 办理中
console-status-consulting = 征求意见中
console-status-answer_drafted = 答复待审核
console-status-answer_reviewed = 答复已审核
console-status-answered = 已答复
console-status-closed = 已办结
console-status-withdrawn = 已撤回
console-status-abandoned = 视为放弃
console-event-received = 收到申请
console-event-registered = 登记
console-event-correction_requested = 要求补正
console-event-corrected = 已补正
console-event-assigned = 分办
console-event-referred = 告知向其他机关申请
console-event-consultation_started = 征求意见
console-event-consultation_ended = 征求意见结束
console-event-extended = 延长答复期限
console-event-fee_noticed = 收费通知
console-event-fee_paid = 已缴费
console-event-answer_drafted = 起草答复
console-event-answer_approved = 批准答复
console-event-answer_returned = 退回答复
console-event-delivered = 送达
console-event-closed = 办结
console-event-withdrawn = 撤回
console-event-abandoned = 视为放弃
console-field-new_password = 新密码
console-error-new_password = 新密码不符合要求。
console-password-changed = 密码已修改。其他设备上的登录和全部 API 令牌已失效。

# console: items and review
console-nav-items = 主动公开
console-nav-review = 审核
console-nav-search = 搜索
console-search-title = 搜索信息
console-search-words = 词语、文号或索引号
console-search-hint = 在本单位已发布的信息中按全文查找，在未发布的草稿、审核中和待发布信息中按标题、文号和索引号查找。
console-stage-draft = 草稿
console-stage-in_review = 审核中
console-stage-approved = 已审核
console-stage-scheduled = 定时发布
console-stage-published = 已发布
console-stage-withdrawn = 已撤回
console-required = （必填）
console-choice-regulation = 规章
console-choice-normative = 行政规范性文件
console-choice-natural_person = 自然人
console-choice-legal_person = 法人
console-choice-other = 其他组织
console-form-problems = 请修改以下内容：
console-items-title = 主动公开信息
console-items-none = 没有符合条件的信息。
console-item-new = 新建信息
console-item-new-title = 新建信息
console-item-edit-title = 修改草稿
console-item-choose-kind = 选择信息类别
console-item-kind-is = 信息类别：
console-item-index = 索引号
console-item-title = 标题
console-item-body = 正文（Markdown）
console-item-kind = 类别
console-item-node = 公开目录
console-item-stage = 状态
console-item-version = 版本
console-item-due = 公开期限
console-item-updated = 更新
console-item-validity = 效力状态
console-item-fields = 类别信息
console-item-attribute = 公开属性
console-item-attribute-choice = 公开属性认定
console-item-attribute-fixed = （创建时认定，不可修改）
console-item-legal_ground = 不予主动公开的依据
console-item-attribute_reason = 理由
console-attribute-proactive = 主动公开
console-attribute-on_request = 依申请公开
console-attribute-not_disclosed = 不予公开
console-item-not-a-draft = 只能修改草稿。已审核或已发布的信息请先“修订”，生成新版本后再修改。
console-item-save = 保存
console-item-edit = 修改草稿
console-item-back = 返回信息
console-item-refused = 无法办理：
console-item-actions = 办理
console-item-no-actions = 您的角色在本单位对此信息当前没有可办理的操作。
console-item-content = 内容（工作人员所见）
console-item-scheduled = 定时发布时间
console-item-withdrawn = 撤回理由
console-item-repealed = 废止日期
console-item-attachments = 附件
console-item-no-attachments = 没有附件。
console-item-attachment = 附件
console-item-attachment-file = 选择文件
console-item-attachment-upload = 上传附件
console-item-attachment-progress = 上传进度
console-item-attachment-remove = 删除
console-item-stale-title = 在您修改期间，其他人已保存了新版本
console-item-stale-text = 您是在第 { $edited } 版上修改的，而此信息现在是第 { $saved } 版（保存于 { $at }）。您填写的内容都保留在下面的表单里；请对照已保存的版本，确认后再保存。
console-item-stale-saved = 已保存的第 { $version } 版
console-item-stale-diff = 已保存版本与您的修改之间的差异（- 已保存，+ 您的修改）
console-item-stale-yours = 再次保存将以您的内容替换已保存的版本。
console-filter-my-items = 只看我创建的
console-pages = 分页
console-page-prev = 上一页
console-page-next = 下一页
console-page-n = 第 { $page } 页
console-action-submit = 提交审核
console-action-publish = 立即发布
console-action-schedule = 定时发布
console-action-schedule-at = 发布时间（北京时间）
console-action-unschedule = 取消定时发布
console-action-revise = 修订（生成新版本）
console-action-withdraw = 撤回
console-action-withdraw-reason = 撤回理由（必填）
console-action-repeal = 标记为已废止
console-action-repeal-reason = 废止理由（如废止该文件的文件，记入审计日志）
console-action-amend = 标记为已修改
console-history-title = 版本记录
console-history-choose = 选择要比较的两个版本
console-history-from = 比较自
console-history-to = 比较至
console-history-saved = 保存时间
console-history-compare = 比较
console-history-diff = 第 { $a } 版与第 { $b } 版的差异
console-history-same = 两个版本内容相同。
console-findings-title = 保密审查发现项
console-findings-none = 扫描未发现需要处理的内容。
console-findings-not-yet = 提交审核时将扫描标题、正文、字段和附件。
console-findings-in-file = 在附件中发现（见右侧）。
console-finding-resident_id = 居民身份证号码
console-finding-mobile = 手机号码
console-finding-bank_card = 银行卡号
console-finding-email = 电子邮箱
console-finding-sensitive_word = 敏感词
console-finding-unreadable = 附件无法读取
console-finding-unscanned = 附件未经扫描
console-finding-open = 待处理
console-finding-redacted = 已确认遮盖
console-finding-kept = 保留原文
console-finding-reason = 处理理由（保留原文时必填）
console-finding-change = 更改处理意见
console-finding-mask = 确认遮盖
console-finding-keep = 保留原文
console-review-title = 待我审核
console-review-none = 目前没有等待您的角色审核的信息。
console-review-yours = 能否由我审核
console-review-your-turn = 轮到您审核
console-review-of = 审核：
console-review-item-page = 查看信息页面
console-review-open = 审核页面
console-review-turn = 当前审核步骤
console-review-not-in-review = 此信息当前不在审核中。
console-review-not-yours = 您不能审核这一步：
console-review-comments-label = 审核意见（退回时必填）
console-review-return-needs-reason = 退回须填写理由。
console-review-approve = 同意
console-review-return = 退回修改
console-review-as-published = 公开后的样子（已遮盖）
console-review-as-written = 工作人员所见（原文）
console-review-unresolved = 还有 { $count } 个发现项未处理，未处理前按原文显示。
console-review-chain = 审核流程与意见
console-review-pending = 待审核
console-review-no-decisions = 还没有审核意见。
console-review-step = 审核步骤
console-review-verdict = 结论
console-review-comments = 意见
console-review-by = 审核人、时间
console-verdict-approve = 同意
console-verdict-reject = 退回
console-refusal-not_in_review = 此信息当前不在审核中。
console-refusal-nothing_pending = 所有审核步骤都已同意。
console-refusal-not_pending = 这一步还没有轮到。
console-refusal-edited_this_version = 职责分离：您修改过这一版本（起草、编辑或增删附件），不能审核自己经手的内容。
console-refusal-already_signed = 职责分离：您已经签署了这一版本的另一个审核步骤，每人只能签署一步。
console-refusal-wrong_role = 这一步须由“{ $role }”审核，您在本单位没有这个角色。
