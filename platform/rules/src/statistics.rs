//! Statistics over the records (issue 14 point 6; DOMAIN §5): the months and quarters
//! they are counted over, the median of a histogram of days, shares, and the ranking of
//! agencies by one metric with ties. The service counts; these rules only do arithmetic,
//! so that "how is this computed" has one answer.

use chrono::{Datelike, NaiveDate};

/// A calendar month, written `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Month {
    pub year: i32,
    /// 1–12.
    pub month: u32,
}

impl Month {
    /// `2026-03`; anything else is `None`.
    pub fn parse(text: &str) -> Option<Month> {
        let (y, m) = text.split_once('-')?;
        if y.len() != 4 || m.len() != 2 || !y.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
            return None;
        }
        let month = Month {
            year: y.parse().ok()?,
            month: m.parse().ok()?,
        };
        (1..=12).contains(&month.month).then_some(month)
    }

    pub fn of(day: NaiveDate) -> Month {
        Month {
            year: day.year(),
            month: day.month(),
        }
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("a valid month")
    }

    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().expect("a day before")
    }

    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// Months from `self` to `to`, both included (empty when `to` is earlier).
    pub fn through(self, to: Month) -> Vec<Month> {
        let mut out = Vec::new();
        let mut m = self;
        while m <= to {
            out.push(m);
            m = m.next();
        }
        out
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// A calendar quarter, written `2026Q1` (or `2026-Q1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Quarter {
    pub year: i32,
    /// 1–4.
    pub quarter: u32,
}

impl Quarter {
    pub fn parse(text: &str) -> Option<Quarter> {
        let upper = text.to_ascii_uppercase();
        let (y, q) = upper.split_once('Q')?;
        let y = y.strip_suffix('-').unwrap_or(y);
        if y.len() != 4 || q.len() != 1 || !y.bytes().chain(q.bytes()).all(|b| b.is_ascii_digit()) {
            return None;
        }
        let quarter = Quarter {
            year: y.parse().ok()?,
            quarter: q.parse().ok()?,
        };
        (1..=4).contains(&quarter.quarter).then_some(quarter)
    }

    pub fn of(day: NaiveDate) -> Quarter {
        Quarter {
            year: day.year(),
            quarter: (day.month() - 1) / 3 + 1,
        }
    }

    pub fn first_month(self) -> Month {
        Month {
            year: self.year,
            month: self.quarter * 3 - 2,
        }
    }

    pub fn last_month(self) -> Month {
        Month {
            year: self.year,
            month: self.quarter * 3,
        }
    }

    pub fn first_day(self) -> NaiveDate {
        self.first_month().first_day()
    }

    pub fn last_day(self) -> NaiveDate {
        self.last_month().last_day()
    }
}

impl std::fmt::Display for Quarter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}Q{}", self.year, self.quarter)
    }
}

/// The median of values given as a histogram of (value, how many), in any order: the
/// middle value, or the mean of the two middle ones; `None` when there are none.
pub fn median(histogram: &[(i64, i64)]) -> Option<f64> {
    let mut sorted: Vec<(i64, i64)> = histogram.iter().copied().filter(|(_, n)| *n > 0).collect();
    sorted.sort();
    let total: i64 = sorted.iter().map(|(_, n)| n).sum();
    if total == 0 {
        return None;
    }
    // The k-th value (0-based) of the sorted list.
    let nth = |k: i64| {
        let mut seen = 0;
        for (value, n) in &sorted {
            seen += n;
            if k < seen {
                return *value;
            }
        }
        unreachable!("k is below the total")
    };
    Some(if total % 2 == 1 {
        nth(total / 2) as f64
    } else {
        (nth(total / 2 - 1) + nth(total / 2)) as f64 / 2.0
    })
}

/// `part / whole`, or `None` when nothing was counted (no share, rather than 0 or 100%).
pub fn share(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// Ranks of `values`, the highest first, ties sharing a rank and the next rank skipping
/// (1, 2, 2, 4: "competition" ranking); a value that could not be computed is unranked.
/// Values are compared rounded to 1e-9 so that equal shares computed alike tie.
pub fn rank(values: &[Option<f64>]) -> Vec<Option<u32>> {
    let key = |v: f64| (v * 1e9).round() as i64;
    values
        .iter()
        .map(|v| {
            v.map(|v| {
                1 + values
                    .iter()
                    .flatten()
                    .filter(|&&other| key(other) > key(v))
                    .count() as u32
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_and_quarters_parse_strictly() {
        assert_eq!(
            Month::parse("2026-03"),
            Some(Month {
                year: 2026,
                month: 3
            })
        );
        for bad in [
            "2026-3",
            "2026-13",
            "2026-00",
            "26-03",
            "2026/03",
            "2026-03-01",
            "x",
        ] {
            assert_eq!(Month::parse(bad), None, "{bad}");
        }
        assert_eq!(
            Month::parse("2024-02").unwrap().last_day().to_string(),
            "2024-02-29"
        );
        assert_eq!(
            Month::parse("2026-12").unwrap().next().to_string(),
            "2027-01"
        );
        assert_eq!(
            Month::parse("2025-11")
                .unwrap()
                .through(Month::parse("2026-02").unwrap())
                .len(),
            4
        );
        assert_eq!(
            Quarter::parse("2026Q3"),
            Some(Quarter {
                year: 2026,
                quarter: 3
            })
        );
        assert_eq!(
            Quarter::parse("2026-q1"),
            Some(Quarter {
                year: 2026,
                quarter: 1
            })
        );
        for bad in ["2026Q5", "2026Q0", "2026", "Q1", "2026Q12"] {
            assert_eq!(Quarter::parse(bad), None, "{bad}");
        }
        let q = Quarter::parse("2026Q2").unwrap();
        assert_eq!(
            (q.first_day().to_string(), q.last_day().to_string()),
            ("2026-04-01".into(), "2026-06-30".into())
        );
        assert_eq!(
            Quarter::of(NaiveDate::from_ymd_opt(2026, 9, 30).unwrap()).quarter,
            3
        );
    }

    #[test]
    fn median_of_a_histogram() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[(5, 0)]), None);
        assert_eq!(median(&[(8, 1)]), Some(8.0));
        // 3, 8, 8, 14 → (8 + 8) / 2; 3, 8, 14 → 8; 2, 9 → 5.5.
        assert_eq!(median(&[(14, 1), (3, 1), (8, 2)]), Some(8.0));
        assert_eq!(median(&[(14, 1), (3, 1), (8, 1)]), Some(8.0));
        assert_eq!(median(&[(9, 1), (2, 1)]), Some(5.5));
    }

    #[test]
    fn ranking_shares_ties_and_leaves_the_unknown_unranked() {
        assert_eq!(
            rank(&[Some(0.5), None, Some(1.0), Some(0.5), Some(0.25)]),
            [Some(2), None, Some(1), Some(2), Some(4)]
        );
        assert_eq!(
            rank(&[Some(2.0 / 3.0), Some(2.0 / 3.0)]),
            [Some(1), Some(1)]
        );
        assert_eq!(share(1, 0), None);
        assert_eq!(share(1, 4), Some(0.25));
    }
}
