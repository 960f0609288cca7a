//! 信息处理费 (information processing fee), 《政府信息公开信息处理费管理办法》
//! 国办函〔2020〕109号. No fee is the default (Regulation art. 42); where an agency does
//! charge, it uses ONE of two progressive ("超额累进") scales per request (art. 3):
//!
//! - by count (按件, art. 4), over one applicant's requests in one calendar month:
//!   1–10 free; 11–30: 100 yuan each; from 31 on, bands of 10, each 100 yuan dearer than the
//!   last (31–40: 200, 41–50: 300, …).
//! - by volume (按量, art. 5), over the pages of one request: 1–30 free; 31–100: 10/page;
//!   101–200: 20/page; 201 and up: 40/page.
//!
//! Progressive means marginal: each unit pays the price of the band it falls in.
//! The two scales can never both apply to one request: [`ChargeBasis`] holds exactly one.

use serde::{Deserialize, Serialize};

/// How one request is charged. An enum, so a request cannot be charged both ways.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChargeBasis {
    /// By count: this request is the `nth_in_month`-th (1-based) request of the same
    /// applicant in the calendar month.
    ByCount { nth_in_month: u32 },
    /// By volume: the request's output is `pages` pages.
    ByPages { pages: u32 },
}

/// Units `from..=to` charged at `unit_price_yuan` each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeBand {
    pub from: u32,
    pub to: u32,
    pub units: u32,
    pub unit_price_yuan: u64,
    pub subtotal_yuan: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeQuote {
    pub total_yuan: u64,
    /// Bands touched, in order, free bands included (so the applicant sees them).
    pub bands: Vec<FeeBand>,
}

/// Price in yuan of the `n`-th request (1-based) of an applicant in a calendar month.
pub fn price_of_nth_request(n: u32) -> u64 {
    match n {
        0..=10 => 0,
        11..=30 => 100,
        // 31–40 → 200, 41–50 → 300, …
        _ => 200 + 100 * u64::from((n - 31) / 10),
    }
}

/// Price in yuan of page number `p` (1-based) of one request.
pub fn price_of_page(p: u32) -> u64 {
    match p {
        0..=30 => 0,
        31..=100 => 10,
        101..=200 => 20,
        _ => 40,
    }
}

/// Fee for the whole month of an applicant who made `requests` requests charged by count:
/// the sum of the prices of requests 1..=requests.
pub fn fee_by_request_count(requests: u32) -> FeeQuote {
    quote(requests, price_of_nth_request)
}

/// Fee for one request of `pages` pages charged by volume.
pub fn fee_by_pages(pages: u32) -> FeeQuote {
    quote(pages, price_of_page)
}

/// Fee for one request on its basis. By count this is the price of its place in the month
/// (summing these over a month's requests gives [`fee_by_request_count`]).
pub fn fee_for_request(basis: ChargeBasis) -> FeeQuote {
    match basis {
        ChargeBasis::ByCount { nth_in_month } if nth_in_month > 0 => {
            let price = price_of_nth_request(nth_in_month);
            FeeQuote {
                total_yuan: price,
                bands: vec![FeeBand {
                    from: nth_in_month,
                    to: nth_in_month,
                    units: 1,
                    unit_price_yuan: price,
                    subtotal_yuan: price,
                }],
            }
        }
        ChargeBasis::ByCount { .. } => FeeQuote {
            total_yuan: 0,
            bands: vec![],
        },
        ChargeBasis::ByPages { pages } => fee_by_pages(pages),
    }
}

/// Sum `price(1..=n)`, grouped into runs of equal price.
fn quote(n: u32, price: fn(u32) -> u64) -> FeeQuote {
    let mut bands: Vec<FeeBand> = Vec::new();
    for unit in 1..=n {
        let p = price(unit);
        match bands.last_mut() {
            Some(b) if b.unit_price_yuan == p => {
                b.to = unit;
                b.units += 1;
                b.subtotal_yuan += p;
            }
            _ => bands.push(FeeBand {
                from: unit,
                to: unit,
                units: 1,
                unit_price_yuan: p,
                subtotal_yuan: p,
            }),
        }
    }
    FeeQuote {
        total_yuan: bands.iter().map(|b| b.subtotal_yuan).sum(),
        bands,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn price_per_request_at_band_edges() {
        for (n, p) in [
            (1, 0),
            (10, 0),
            (11, 100),
            (30, 100),
            (31, 200),
            (40, 200),
            (41, 300),
            (50, 300),
            (51, 400),
            (60, 400),
            (61, 500),
        ] {
            assert_eq!(price_of_nth_request(n), p, "request #{n}");
        }
    }

    #[test]
    fn monthly_total_by_count() {
        // Working: 11–30 = 20 × 100 = 2000; 31–40 = 10 × 200 = 2000; 41–50 = 10 × 300 = 3000.
        for (n, total) in [
            (0, 0),
            (10, 0),
            (11, 100),
            (12, 200),
            (29, 1900),
            (30, 2000),
            (31, 2200),
            (39, 3800),
            (40, 4000),
            (41, 4300),
            (50, 7000),
            (51, 7400),
        ] {
            assert_eq!(fee_by_request_count(n).total_yuan, total, "{n} requests");
        }
        let q = fee_by_request_count(41);
        let summary: Vec<_> = q
            .bands
            .iter()
            .map(|b| (b.from, b.to, b.unit_price_yuan, b.subtotal_yuan))
            .collect();
        assert_eq!(
            summary,
            vec![
                (1, 10, 0, 0),
                (11, 30, 100, 2000),
                (31, 40, 200, 2000),
                (41, 41, 300, 300)
            ]
        );
    }

    #[test]
    fn pages_at_band_edges() {
        // 31–100 = 70 × 10 = 700; 101–200 = 100 × 20 = 2000; then 40/page.
        for (pages, total) in [
            (0, 0),
            (30, 0),
            (31, 10),
            (32, 20),
            (99, 690),
            (100, 700),
            (101, 720),
            (199, 2680),
            (200, 2700),
            (201, 2740),
            (250, 4700),
        ] {
            assert_eq!(fee_by_pages(pages).total_yuan, total, "{pages} pages");
        }
        let bands = fee_by_pages(201).bands;
        assert_eq!(bands.len(), 4);
        assert_eq!(
            (bands[3].from, bands[3].to, bands[3].subtotal_yuan),
            (201, 201, 40)
        );
    }

    #[test]
    fn one_request_one_basis() {
        assert_eq!(
            fee_for_request(ChargeBasis::ByCount { nth_in_month: 31 }).total_yuan,
            200
        );
        assert_eq!(
            fee_for_request(ChargeBasis::ByCount { nth_in_month: 10 }).total_yuan,
            0
        );
        assert_eq!(
            fee_for_request(ChargeBasis::ByPages { pages: 101 }).total_yuan,
            720
        );
        // Per-request prices add up to the monthly total.
        let sum: u64 = (1..=45)
            .map(|n| fee_for_request(ChargeBasis::ByCount { nth_in_month: n }).total_yuan)
            .sum();
        assert_eq!(sum, fee_by_request_count(45).total_yuan);
    }
}
