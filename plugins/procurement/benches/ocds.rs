//! OCDS export of 10,000 notices (2,000 procurements × tender, amendment, award, contract,
//! acceptance), natively in release: the time of the release package, the record package
//! and the CSV, and the peak heap of each, against the size of the output, measured with a
//! counting allocator in the same run: made whole (one buffer, as a 0.1 plugin's export),
//! then in parts of 500 notices as the host streams them (`export-part`, each piece sent
//! on and dropped), so that the peak heap of a streamed export is that of one part.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use gongkai_plugin_procurement::notice::Notice;
use gongkai_plugin_procurement::{ocds, table, Procurement, CSV, OCDS_RECORDS, OCDS_RELEASES};
use gongkai_plugin_sdk::serde_json::json;
use gongkai_plugin_sdk::Fields;
use gongkai_plugin_sdk::{ExportItem, ExportPart, Plugin};

struct Counting;

static NOW: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = NOW.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        NOW.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const PROCUREMENTS: usize = 2_000;
/// Notices a part, as the host's default batch (`public_export_batch_items`).
const PART: usize = 500;

fn notices() -> Vec<Notice> {
    let mut out = Vec::new();
    for p in 0..PROCUREMENTS {
        let base = json!({"project_number": format!("BENCH-2026-{p:05}"), "project_name": "教室照明改造",
            "buyer": "某市教育局", "buyer_code": "11350100003632005J"});
        let with = |extra: gongkai_plugin_sdk::serde_json::Value| {
            let mut v = base.clone();
            for (k, x) in extra.as_object().unwrap() {
                v[k] = x.clone();
            }
            Fields::from_value(v)
        };
        let notices = [
            (
                "tender",
                with(json!({"method": "open", "budget": "1800000.00",
                "documents_from": "2026-05-06T09:00+08:00", "bid_deadline": "2026-05-27T09:30+08:00",
                "opening_time": "2026-05-27T09:30+08:00", "needs": "<p>详见招标文件</p>"})),
            ),
            (
                "amendment",
                with(json!({"method": "open", "notice_date": "2026-05-12",
                "changes": [{"item": "投标截止时间", "before": "2026-05-27", "after": "2026-06-03"}],
                "new_bid_deadline": "2026-06-03T09:30+08:00"})),
            ),
            (
                "award",
                with(json!({"method": "open", "decision_date": "2026-06-05",
                "suppliers": [{"name": "某照明科技有限公司", "credit_code": "91350100M000100Y43", "amount": "1690000.00"}],
                "total_amount": "1690000.00", "scoring_summary": "<p>综合评分法</p>"})),
            ),
            (
                "contract",
                with(
                    json!({"contract_number": format!("HT-{p}"), "amount": "1690000.00",
                "suppliers": [{"name": "某照明科技有限公司", "credit_code": "91350100M000100Y43", "amount": "1690000.00"}],
                "signing_date": "2026-06-19"}),
                ),
            ),
            (
                "acceptance",
                with(
                    json!({"contract_number": format!("HT-{p}"), "acceptance_date": "2026-09-07", "result": "pass"}),
                ),
            ),
        ];
        for (i, (kind, fields)) in notices.into_iter().enumerate() {
            out.push(
                Notice::new(
                    &format!("{p}-{i}"),
                    kind,
                    fields,
                    Some("2026-09-08T02:00:00Z"),
                )
                .unwrap(),
            );
        }
    }
    out
}

fn measure(name: &str, run: impl Fn() -> usize) {
    run(); // warm
    let base = NOW.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let start = Instant::now();
    let bytes = run();
    let took = start.elapsed();
    let peak = PEAK.load(Ordering::Relaxed) - base;
    println!(
        "  {name:<22} {:>8.1} ms  {:>7.1} MiB out  peak heap {:>7.1} MiB ({:.1} × the output)",
        took.as_secs_f64() * 1e3,
        bytes as f64 / 1048576.0,
        peak as f64 / 1048576.0,
        peak as f64 / bytes as f64
    );
}

fn main() {
    let notices = notices();
    let config = ocds::Config::default();
    println!(
        "{} notices of {PROCUREMENTS} procurements, natively, release",
        notices.len()
    );
    measure("OCDS release package", || {
        ocds::release_package(&notices, &config)
            .unwrap()
            .bytes
            .len()
    });
    measure("OCDS record package", || {
        ocds::record_package(&notices, &config).unwrap().bytes.len()
    });
    measure("CSV", || table::csv(&notices).bytes.len());

    // The same through the plugin's entry point, a part of 500 notices at a time (a
    // procurement's five notices never split), each piece counted and dropped as the
    // host sends it on.
    let items: Vec<ExportItem> = notices
        .iter()
        .map(|n| ExportItem {
            id: n.id.clone(),
            kind: n.kind.into(),
            fields: n.fields.clone(),
            published_at: n.published_at.clone(),
        })
        .collect();
    println!("the same, streamed in parts of {PART} notices:");
    for (name, format) in [
        ("OCDS release package", OCDS_RELEASES),
        ("OCDS record package", OCDS_RECORDS),
        ("CSV", CSV),
    ] {
        measure(name, || {
            let parts: Vec<&[ExportItem]> = items.chunks(PART).collect();
            let mut carry = String::new();
            let mut sent = 0;
            for (i, batch) in parts.iter().enumerate() {
                let part = ExportPart {
                    first: i == 0,
                    last: i + 1 == parts.len(),
                    carry,
                };
                let piece = Procurement::export_part(format, batch, &part).unwrap();
                sent += piece.output.bytes.len();
                carry = piece.carry;
            }
            sent
        });
    }
}
