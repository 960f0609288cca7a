//! Search benchmark (release build), on PostgreSQL and SQLite:
//!   cargo bench -p gongkai --bench search
//!
//! Loads BENCH_ITEMS published items (default 100000; issue 17 asks for 1,000,000) of
//! varied Chinese titles, bodies and document numbers into one tenant with their index
//! entries (batched INSERTs, see `populate`; a progress bar shows the load), then
//! measures from BENCH_CLIENTS concurrent clients (default 8) over HTTP, BENCH_QUERIES
//! requests per case (default 400):
//! p50/p95 of one-word, two-word and document-number queries, with facet counts and
//! without (`facets=false`), against the public read of single items in the same run;
//! and the index's size on disk, also per 100k items.
//!
//! Settings: BENCH_BACKENDS (`postgres,sqlite`), GKTEST_PG_URL (a superuser),
//! BENCH_HOLD_SECS (wait that long after loading, the database's address printed, to
//! look at query plans by hand).

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::*;
use gongkai::kernel::db::Backend;
use reqwest::StatusCode;
use serde_json::json;
use sqlx::Connection;

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

const TOPICS: &[&str] = &[
    "防汛抗旱",
    "安全生产",
    "森林防火",
    "农村人居环境整治",
    "学校安全",
    "河长制",
    "耕地保护",
    "医疗保险",
    "高标准农田",
    "乡村振兴",
    "食品安全",
    "消防安全",
    "人口普查",
    "退役军人",
    "残疾人补贴",
    "老旧小区改造",
    "垃圾分类",
    "文明城市",
    "网格化管理",
    "政务服务",
    "政务公开",
    "部门预算",
    "公务用车",
    "营商环境",
    "拆迁补偿",
    "义务教育",
    "空气质量",
    "饮用水",
    "养老保险",
    "住房公积金",
    "政府采购",
    "行政处罚",
    "行政许可",
    "最低生活保障",
    "招商引资",
    "交通运输",
];
const FORMS: &[(&str, &str)] = &[
    ("关于做好", "工作的通知"),
    ("关于印发", "工作方案的通知"),
    ("", "实施方案"),
    ("关于", "工作情况的通报"),
    ("关于加强", "的实施意见"),
    ("", "工作要点"),
    ("关于开展", "专项行动的通知"),
    ("", "工作总结"),
];
const SENTENCES: &[&str] = &[
    "为认真落实《中华人民共和国政府信息公开条例》，进一步加大政务公开力度，提高政府工作透明度。",
    "各乡镇、各部门要高度重视，加强组织领导，明确责任分工，确保各项工作落到实处。",
    "要坚持以公开为常态、不公开为例外，及时回应群众关切。",
    "督查结果纳入年度绩效考核，对工作不力的单位予以通报。",
    "各单位每周上报工作动态，政府办每月统计通报，每季度进行排名。",
    "资金使用情况接受审计监督，并按规定向社会公开。",
    "请于每月五日前将上月工作开展情况报送县政府办公室。",
    "严格执行中央八项规定精神，厉行节约，反对浪费。",
];

/// The i-th item: (title, body HTML, document number, year, kind).
fn item(i: u64) -> (String, String, Option<String>, i32, &'static str) {
    let n = i as usize;
    let topic = TOPICS[n % TOPICS.len()];
    let other = TOPICS[(n / TOPICS.len() + 7) % TOPICS.len()];
    let (before, after) = FORMS[(n / 3) % FORMS.len()];
    let year = 2015 + (n % 12) as i32;
    let title = format!("{year}年{before}{topic}与{other}{after}");
    let body: String = (0..5)
        .map(|k| {
            format!(
                "<p>{}{}</p>",
                SENTENCES[(n + k * 3) % SENTENCES.len()],
                if k == 2 { topic } else { "" }
            )
        })
        .collect();
    let number = n
        .is_multiple_of(3)
        .then(|| format!("县政发〔{year}〕{}号", n / 3 % 5000 + 1));
    let kind = ["notice", "news", "policy"][n % 3];
    (title, body, number, year, kind)
}

/// Loads `n` published items and their index entries straight into the tables, in
/// transactions of `BATCH` items: one multi-row INSERT of items (literal values) and the
/// index's own batched INSERTs (`search::index::insert`, as a reindex writes them) per
/// transaction, through the serving role's tenant transaction. No API call per item:
/// publishing through the API would take hours at a million.
async fn populate(app: &TestApp, tenant: &gongkai::tenancy::Tenant, node: &str, n: u64) {
    use gongkai::search::index::{self, Entry, Public};
    const BATCH: u64 = 1000;
    let bar = indicatif::ProgressBar::new(n).with_style(
        indicatif::ProgressStyle::with_template(
            "{msg} [{elapsed_precise}] {wide_bar} {pos}/{len} ({per_sec}, {eta})",
        )
        .unwrap(),
    );
    bar.set_message(format!("loading {:?}", app.db.backend));
    let q = |s: &str| s.replace('\'', "''");
    let mut i = 0;
    while i < n {
        let end = (i + BATCH).min(n);
        let mut rows = Vec::new();
        let mut entries = Vec::new();
        for j in i..end {
            let (title, body, number, year, kind) = item(j);
            let at = format!(
                "{year}-{:02}-{:02}T02:00:00.000000Z",
                1 + j % 12,
                1 + j % 27
            );
            let fields = match &number {
                Some(num) => json!({ "document_number": num }).to_string(),
                None => "{}".to_string(),
            };
            let id = gongkai::kernel::ids::new_id();
            let index_number = format!("BULK/{j}");
            rows.push(format!(
                "($1, '{id}', '{node}', '{kind}', '{index_number}', 'proactive', '', 'published', 'in_force', 1, 1, 1, '[]', \
                 '{day}', '{at}', '{at}', '{at}', '{at}', '{title}', '{body}', '{fields}', {number})",
                day = &at[..10],
                title = q(&title),
                body = q(&body),
                fields = q(&fields),
                number = number.as_ref().map_or("NULL".to_string(), |n| format!("'{}'", q(n))),
            ));
            entries.push(Entry::new(
                &id,
                Public {
                    published_at: Some(&at),
                    title: &title,
                    index_number: &index_number,
                    document_number: number.as_deref(),
                    body_html: &body,
                    fields: Some(&fields),
                },
                &tenant.name_zh,
                "",
            ));
        }
        let sql = format!(
            "INSERT INTO items (tenant_id, id, node_id, kind, index_number, attribute, attribute_reason, \
             public_state, validity, version, cycle_start, published_version, review_chain, changed_on, \
             created_at, updated_at, published_at, first_published_at, public_title, public_body_html, \
             public_fields, public_document_number) VALUES {}",
            rows.join(", ")
        );
        let mut tx = app.state.db.tenant(&tenant.id).await.unwrap();
        tx.query(&sql).execute(tx.conn()).await.unwrap();
        index::insert(&mut tx, &entries).await.unwrap();
        tx.commit().await.unwrap();
        bar.inc(end - i);
        i = end;
    }
    bar.finish();
}

/// Index size in bytes: the search tables with their indexes (the terms, the FTS5
/// shadow tables, `search_documents` with the text snippets are cut from).
async fn index_size(app: &TestApp) -> u64 {
    let mut owner = sqlx::AnyConnection::connect(&app.db.owner_url)
        .await
        .unwrap();
    let sql = match app.db.backend {
        Backend::Postgres => {
            "SELECT CAST(pg_total_relation_size('search_terms') + pg_total_relation_size('search_documents') AS BIGINT)"
        }
        // dbstat: SQLite's bundled build has it (SQLITE_ENABLE_DBSTAT_VTAB).
        Backend::Sqlite => {
            "SELECT CAST(sum(pgsize) AS BIGINT) FROM dbstat \
             WHERE name LIKE 'search%' OR name LIKE 'sqlite_autoindex_search%'"
        }
    };
    let (n,): (i64,) = sqlx::query_as(sql).fetch_one(&mut owner).await.unwrap();
    n as u64
}

/// p50 and p95 in ms of GETs of `paths` from `clients` clients, `per_case` requests in all.
async fn measure(base: &str, paths: &[String], clients: u64, per_case: u64) -> (f64, f64) {
    let http = reqwest::Client::new();
    let next = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let urls: std::sync::Arc<Vec<String>> =
        std::sync::Arc::new(paths.iter().map(|p| format!("{base}{p}")).collect());
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (http, urls, next) = (http.clone(), urls.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies: Vec<Duration> = Vec::new();
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= per_case {
                    break;
                }
                let url = &urls[i as usize % urls.len()];
                let t = Instant::now();
                let res = http.get(url).send().await.unwrap();
                assert_eq!(res.status(), StatusCode::OK, "{url}");
                res.bytes().await.unwrap();
                latencies.push(t.elapsed());
            }
            latencies
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    all.sort();
    let at = |p: usize| all[(all.len() * p / 100).min(all.len() - 1)].as_secs_f64() * 1000.0;
    (at(50), at(95))
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn run(backend: Backend) {
    let n = env("BENCH_ITEMS", 100_000);
    let clients = env("BENCH_CLIENTS", 8);
    let per_case = env("BENCH_QUERIES", 400);
    let app = TestApp::start_with(backend, |c| c.database_max_connections = 16).await;
    let tenant = app.create_tenant("bench", None).await;
    app.add_member(&tenant, "editor@bench.cn", "editor").await;
    let ed = app.login("editor@bench.cn").await;
    let nodes = ed
        .get("/api/v1/tenants/bench/catalog")
        .await
        .expect(StatusCode::OK);
    let node = nodes
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["code"] == "GZDT")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let label = format!("{backend:?}");
    let started = Instant::now();
    gongkai_search::warm_up();
    populate(&app, &tenant, &node, n).await;
    let secs = started.elapsed().as_secs_f64();
    if backend == Backend::Postgres {
        let mut owner = sqlx::AnyConnection::connect(&app.db.owner_url)
            .await
            .unwrap();
        sqlx::query("ANALYZE").execute(&mut owner).await.unwrap();
    }
    let size = index_size(&app).await;
    println!(
        "[{label}] {n} items and their index loaded in {secs:.1} s ({:.0} items/s); index {:.1} MiB, {:.1} MiB per 100k items",
        n as f64 / secs,
        size as f64 / 1048576.0,
        size as f64 / 1048576.0 * 100_000.0 / n as f64
    );

    // Time to look at the plans by hand (EXPLAIN ANALYZE as the serving role).
    let hold = env("BENCH_HOLD_SECS", 0);
    if hold > 0 {
        println!(
            "[{label}] holding {hold} s: {} (tenant {})",
            app.db.url, tenant.id
        );
        tokio::time::sleep(Duration::from_secs(hold)).await;
    }

    let mut owner = sqlx::AnyConnection::connect(&app.db.owner_url)
        .await
        .unwrap();
    if backend == Backend::Postgres {
        sqlx::query("SELECT set_config('app.tenant_ids', $1, false)")
            .bind(tenant.id.clone())
            .execute(&mut owner)
            .await
            .unwrap();
    }
    let ids: Vec<(String,)> =
        sqlx::query_as("SELECT id FROM items WHERE tenant_id = $1 ORDER BY id LIMIT 5000")
            .bind(tenant.id.clone())
            .fetch_all(&mut owner)
            .await
            .unwrap();
    let reads: Vec<String> = ids
        .iter()
        .map(|(id,)| format!("/api/v1/public/bench/items/{id}"))
        .collect();
    let one_word = [
        "防汛抗旱",
        "营商环境",
        "公务用车",
        "垃圾分类",
        "政务公开",
        "养老保险",
        "行政处罚",
        "耕地保护",
    ];
    let two_words = [
        "公务用车 预算",
        "营商环境 实施意见",
        "防汛抗旱 通知",
        "垃圾分类 工作方案",
        "政务公开 工作要点",
        "拆迁补偿 通报",
    ];
    let numbers: Vec<String> = (0..50)
        .map(|k| format!("{} {}号", 2015 + k % 12, k * 97 % 5000 + 1))
        .collect();
    let q = |list: &[String], facets: bool| -> Vec<String> {
        list.iter()
            .map(|w| {
                format!(
                    "/api/v1/public/bench/search?q={}{}",
                    enc(w),
                    if facets { "" } else { "&facets=false" }
                )
            })
            .collect()
    };
    let one: Vec<String> = one_word.iter().map(|s| s.to_string()).collect();
    let two: Vec<String> = two_words.iter().map(|s| s.to_string()).collect();
    // Warm up the caches of the database and of the process.
    measure(&app.base, &q(&one, true), clients, 40).await;
    let (p50, p95) = measure(&app.base, &reads, clients, per_case).await;
    println!("[{label}] single-item read (baseline): p50 {p50:.2} ms, p95 {p95:.2} ms ({clients} clients)");
    for (name, list) in [
        ("one word", &one),
        ("two words", &two),
        ("document number", &numbers),
    ] {
        for facets in [false, true] {
            let (p50, p95) = measure(&app.base, &q(list, facets), clients, per_case).await;
            println!(
                "[{label}] {name:<16} {:<14} p50 {p50:>7.2} ms, p95 {p95:>7.2} ms",
                if facets {
                    "with facets"
                } else {
                    "without facets"
                }
            );
        }
    }
    let (p50, p95) = measure(
        &app.base,
        &one.iter()
            .map(|w| {
                format!(
                    "/api/v1/public/bench/search?q={}&kind=notice&year=2020",
                    enc(w)
                )
            })
            .collect::<Vec<_>>(),
        clients,
        per_case,
    )
    .await;
    println!(
        "[{label}] one word, kind and year filters, with facets: p50 {p50:.2} ms, p95 {p95:.2} ms"
    );
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let backends = std::env::var("BENCH_BACKENDS").unwrap_or_else(|_| "postgres,sqlite".into());
    rt.block_on(async {
        for b in backends.split(',') {
            match b.trim() {
                "postgres" => run(Backend::Postgres).await,
                "sqlite" => run(Backend::Sqlite).await,
                other => panic!("unknown backend {other}"),
            }
        }
    });
}
