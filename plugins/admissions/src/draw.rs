//! The 阳光分班 item kind: its fields are a lottery's inputs, commitment and
//! reveal; validation reports what would stop the draw, derivation runs it.
//! Until the contract has an "action" call (0.2), the placement reaches the
//! public this way: derived on save, exported as a package anyone can re-run.

use crate::lottery::{self, Class, Commitment, DrawInputs, InputError, Reveal, Student};
use crate::{error, mask, PLACEMENT};
use gongkai_plugin_sdk::{Context, Field, Fields, ItemKind, Map, Problems, Severity, Value};

/// Attribute names of the students table a draw can balance on.
pub const SEX: &str = "sex";
pub const CATEGORY: &str = "category";

pub fn kind() -> ItemKind {
    ItemKind::new(PLACEMENT, "阳光分班", "Class placement by lottery")
        .catalog("重点领域/义务教育", "阳光分班", "Class placement")
        .field(Field::text("school").label("学校", "School").required())
        .field(Field::text("grade").label("年级", "Grade").required())
        .field(Field::date("draw_date").label("分班日期", "Draw date"))
        .field(
            Field::enumeration("balance")
                .label("均衡条件", "Balance by")
                .option("sex,category", "先性别、再类别", "Sex, then category")
                .option("category,sex", "先类别、再性别", "Category, then sex")
                .option("sex", "性别", "Sex")
                .option("category", "类别", "Category")
                .option("none", "不设条件", "Nothing")
                .required(),
        )
        .field(
            Field::table(
                "classes",
                vec![
                    Field::text("name").label("班级", "Class").required(),
                    Field::integer("size").label("人数", "Size").required(),
                ],
            )
            .label("班级及人数", "Classes and sizes")
            .required(),
        )
        .field(
            Field::table(
                "students",
                vec![
                    Field::text("id")
                        .label("学生编号（化名编号）", "Student number (pseudonymous)")
                        .required(),
                    Field::enumeration(SEX)
                        .label("性别", "Sex")
                        .option("F", "女", "Female")
                        .option("M", "男", "Male"),
                    Field::text(CATEGORY).label("类别", "Category"),
                ],
            )
            .label(
                "学生名单（分班前冻结）",
                "Students (frozen before the draw)",
            )
            .help(
                "只填报名编号，不填姓名、身份证号",
                "Registration numbers only: no names, no ID numbers",
            )
            .required(),
        )
        .field(
            Field::text("commitment")
                .label(
                    "种子承诺（密钥的SHA-256）",
                    "Seed commitment (SHA-256 of the secret)",
                )
                .required(),
        )
        .field(
            Field::text("public_source")
                .label(
                    "公开随机数来源（事先指定）",
                    "Public value (named in advance)",
                )
                .help(
                    "如：中国福利彩票双色球第2026150期开奖号码",
                    "e.g. a later lottery draw's numbers",
                )
                .required(),
        )
        .field(Field::text("public_value").label(
            "公开随机数（监督人录入）",
            "Public value (entered by the supervisor)",
        ))
        .field(
            Field::text("secret").label("密钥（分班后公开）", "Secret (revealed after the draw)"),
        )
        .derived(Field::text("algorithm").label("算法版本", "Algorithm"))
        .derived(Field::text("inputs_digest").label("输入摘要", "Inputs digest"))
        .derived(Field::text("status").label("状态", "Status"))
        .derived(Field::text("seed").label("种子", "Seed"))
        .derived(
            Field::table(
                "placement",
                vec![
                    Field::text("student").label("学生编号", "Student"),
                    Field::text("class").label("班级", "Class"),
                ],
            )
            .label("分班结果", "Placement"),
        )
        .derived(Field::text("placement_digest").label("结果摘要", "Placement digest"))
        .derived(
            Field::table(
                "summary",
                vec![
                    Field::text("class").label("班级", "Class"),
                    Field::integer("size").label("人数", "Size"),
                    Field::integer("female").label("女生", "Girls"),
                    Field::integer("male").label("男生", "Boys"),
                    Field::text("categories").label("各类别人数", "By category"),
                ],
            )
            .label("各班构成", "Class make-up"),
        )
}

fn constraints(f: &Fields) -> Vec<String> {
    match f.text("balance") {
        Ok(Some("none")) | Ok(None) | Err(_) => Vec::new(),
        Ok(Some(list)) => list.split(',').map(str::to_string).collect(),
    }
}

fn text(row: &Fields, key: &str) -> String {
    row.text(key)
        .ok()
        .flatten()
        .unwrap_or("")
        .trim()
        .to_string()
}

/// The draw's inputs as the fields give them (unreadable cells count as empty;
/// validation reports them).
pub fn inputs(f: &Fields) -> DrawInputs {
    let constraints = constraints(f);
    let table = |key| f.table(key).ok().flatten().unwrap_or_default();
    DrawInputs {
        version: lottery::VERSION.into(),
        classes: table("classes")
            .iter()
            .map(|r| Class {
                name: text(r, "name"),
                size: r
                    .integer("size")
                    .ok()
                    .flatten()
                    .and_then(|n| u32::try_from(n).ok())
                    .unwrap_or(0),
            })
            .collect(),
        students: table("students")
            .iter()
            .map(|r| Student {
                id: text(r, "id"),
                attrs: constraints.iter().map(|c| text(r, c)).collect(),
            })
            .collect(),
        constraints,
    }
}

pub fn commitment(f: &Fields) -> Commitment {
    Commitment {
        secret_sha256: text(f, "commitment").to_ascii_lowercase(),
        public_source: text(f, "public_source"),
    }
}

/// Both halves of the reveal, once both are entered.
pub fn reveal(f: &Fields) -> Option<Reveal> {
    let (secret, public_value) = (text(f, "secret"), text(f, "public_value"));
    (!secret.is_empty() && !public_value.is_empty()).then_some(Reveal {
        secret,
        public_value,
    })
}

/// The field path an input error belongs to.
fn path_of(e: &InputError, f: &Fields) -> String {
    let students = f.table("students").ok().flatten().unwrap_or_default();
    let classes = f.table("classes").ok().flatten().unwrap_or_default();
    // A duplicate is named at its second occurrence, a missing value at its row.
    let student_row = |id: &str, last: bool| {
        let is = |r: &&Fields| text(r, "id") == id;
        let row = if last {
            students.iter().rfind(is)
        } else {
            students.iter().find(is)
        };
        row.map(|r| r.path("id"))
    };
    let class_row = |name: &str, col: &str| {
        classes
            .iter()
            .rfind(|r| text(r, "name") == name)
            .map(|r| r.path(col))
    };
    use InputError::*;
    let p = match e {
        NoStudents | TooManyStudents(_) => None,
        EmptyStudentId(i) => students.get(*i).map(|r| r.path("id")),
        DuplicateStudent(id) => student_row(id, true),
        Attributes { student } => student_row(student, false),
        NoClasses | SizeSum { .. } | UnevenSizes { .. } => Some("classes".into()),
        EmptyClassName(i) => classes.get(*i).map(|r| r.path("name")),
        DuplicateClass(n) => class_row(n, "name"),
        EmptyClass(n) => class_row(n, "size"),
        UnknownVersion(_) | TooManyConstraints(_) | DuplicateConstraint(_) => {
            Some("balance".into())
        }
        ShortSecret(_) => Some("secret".into()),
    };
    p.unwrap_or_else(|| match e {
        NoStudents | TooManyStudents(_) | EmptyStudentId(_) | DuplicateStudent(_) => {
            "students".into()
        }
        _ => "classes".into(),
    })
}

fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

pub fn validate(f: &Fields, ctx: &Context, p: &mut Problems) {
    let inputs = inputs(f);
    // `inputs` keeps the table's row order, so row i is students[i].
    for (i, s) in inputs.students.iter().enumerate() {
        if mask::contains_id_number(&s.id) {
            let msg = ctx.msg(
                "学生编号不得使用身份证号码，请用报名编号",
                "use a registration number, never an ID number",
            );
            error(p, &format!("students[{i}].id"), "identity-number", msg);
        }
    }
    if let Err(e) = lottery::check(&inputs) {
        error(
            p,
            &path_of(&e, f),
            "draw-inputs",
            ctx.msg(zh(&e), e.to_string()),
        );
    }
    let c = commitment(f);
    if !c.secret_sha256.is_empty() && !is_sha256_hex(&c.secret_sha256) {
        let msg = ctx.msg(
            "承诺应为64位十六进制的SHA-256值",
            "the commitment must be a SHA-256 value (64 hex digits)",
        );
        error(p, "commitment", "commitment", msg);
    }
    let secret = text(f, "secret");
    if !secret.is_empty() {
        if secret.len() < lottery::MIN_SECRET_BYTES {
            let e = InputError::ShortSecret(secret.len());
            error(p, "secret", "secret", ctx.msg(zh(&e), e.to_string()));
        } else if lottery::commit(&secret) != c.secret_sha256 {
            let msg = ctx.msg(
                "密钥与事先公布的承诺不符",
                "the secret does not match the published commitment",
            );
            error(p, "secret", "commitment", msg);
        }
    }
    if secret.is_empty() != text(f, "public_value").is_empty() {
        let msg = ctx.msg(
            "密钥和公开随机数都录入后才能分班",
            "the draw needs both the secret and the public value",
        );
        let missing = if secret.is_empty() {
            "secret"
        } else {
            "public_value"
        };
        p.push(missing, Severity::Warning, "incomplete", msg);
    }
}

fn zh(e: &InputError) -> String {
    use InputError::*;
    match e {
        UnknownVersion(v) => format!("未知的算法版本 {v}"),
        NoStudents => "没有学生".into(),
        TooManyStudents(n) => format!("学生 {n} 人，超过上限 {}", lottery::MAX_STUDENTS),
        NoClasses => "没有班级".into(),
        TooManyConstraints(n) => format!("均衡条件 {n} 项，至多 {}", lottery::MAX_CONSTRAINTS),
        DuplicateConstraint(c) => format!("均衡条件 {c} 重复"),
        EmptyStudentId(i) => format!("第 {} 名学生没有编号", i + 1),
        DuplicateStudent(id) => format!("学生编号 {id} 重复"),
        Attributes { student } => format!("学生 {student} 缺少均衡条件所需的信息"),
        EmptyClassName(i) => format!("第 {} 个班级没有名称", i + 1),
        DuplicateClass(n) => format!("班级 {n} 重复"),
        EmptyClass(n) => format!("班级 {n} 人数为0"),
        SizeSum { sizes, students } => {
            format!("各班人数之和 {sizes} 不等于学生人数 {students}")
        }
        UnevenSizes { smallest, largest } => {
            format!("各班人数 {smallest}–{largest}，相差不得超过1人")
        }
        ShortSecret(n) => format!(
            "密钥只有 {n} 字节，至少需要 {} 字节",
            lottery::MIN_SECRET_BYTES
        ),
    }
}

/// Inputs digest always (it is published with the commitment before the
/// draw); seed, placement and summary once the reveal checks out. A placement
/// therefore never exists without the commitment and seed beside it.
pub fn derive(f: &Fields) -> Map {
    let mut out = Map::new();
    let inputs = inputs(f);
    let Ok(digest) = lottery::inputs_digest(&inputs) else {
        return out;
    };
    out.insert("algorithm".into(), lottery::VERSION.into());
    out.insert("inputs_digest".into(), lottery::hex(&digest).into());
    let drawn = reveal(f).and_then(|r| {
        let seed = lottery::derive_seed(&inputs, &commitment(f), &r).ok()?;
        Some((seed, lottery::place(&inputs, &seed).ok()?))
    });
    let Some((seed, placement)) = drawn else {
        out.insert("status".into(), "committed".into());
        return out;
    };
    out.insert("status".into(), "drawn".into());
    out.insert("seed".into(), seed.to_hex().into());
    out.insert(
        "placement_digest".into(),
        lottery::placement_digest(&placement).into(),
    );
    out.insert("summary".into(), summary(&inputs, &placement));
    let rows = placement
        .assignments
        .into_iter()
        .map(|a| {
            let mut m = Map::new();
            m.insert("student".into(), a.student.into());
            m.insert("class".into(), a.class.into());
            Value::Object(m)
        })
        .collect();
    out.insert("placement".into(), Value::Array(rows));
    out
}

/// Per class: size, girls, boys and "category count" pairs, for the reader
/// to see the balance without recomputing.
fn summary(inputs: &DrawInputs, placement: &lottery::Placement) -> Value {
    let sex_at = inputs.constraints.iter().position(|c| c == SEX);
    let cat_at = inputs.constraints.iter().position(|c| c == CATEGORY);
    // Students by id, to look each placed student's attributes up.
    let mut sorted = inputs.clone();
    sorted.students.sort_by(|a, b| a.id.cmp(&b.id));
    let inputs = &sorted;
    let attrs = |id: &str| {
        inputs
            .students
            .binary_search_by(|s| s.id.as_str().cmp(id))
            .ok()
            .map(|i| &inputs.students[i].attrs)
    };
    let rows = inputs
        .classes
        .iter()
        .map(|class| {
            let members: Vec<&Vec<String>> = placement
                .assignments
                .iter()
                .filter(|a| a.class == class.name)
                .filter_map(|a| attrs(&a.student))
                .collect();
            let count = |at: Option<usize>, v: &str| {
                at.map(|i| members.iter().filter(|a| a[i] == v).count() as i64)
            };
            let mut cats: Vec<(String, usize)> = Vec::new();
            if let Some(i) = cat_at {
                for a in &members {
                    match cats.iter_mut().find(|(c, _)| *c == a[i]) {
                        Some((_, n)) => *n += 1,
                        None => cats.push((a[i].clone(), 1)),
                    }
                }
                cats.sort();
            }
            let cats: Vec<String> = cats.iter().map(|(c, n)| format!("{c} {n}")).collect();
            let mut m = Map::new();
            m.insert("class".into(), class.name.clone().into());
            m.insert("size".into(), (members.len() as i64).into());
            m.insert("female".into(), count(sex_at, "F").into());
            m.insert("male".into(), count(sex_at, "M").into());
            m.insert("categories".into(), cats.join(", ").into());
            Value::Object(m)
        })
        .collect();
    Value::Array(rows)
}
