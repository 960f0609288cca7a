//! The id and the place of every cell of tables 2–4: `t<table>:<row>:<column>` (e.g.
//! `t3:3.4:person`) for the API, the store and the drill-down, and the Chinese label a
//! person reads (`表三 第（三）4行 自然人列`).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use super::tables::{Column, RemedyKind, RemedyResult, Table2Column, Table2Row, Table3Row};

/// One cell of tables 2–4. Only cells the format prints exist (see [`Cell::all`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cell {
    T2(Table2Row, Table2Column),
    T3(Table3Row, Column),
    T4(RemedyKind, RemedyResult),
}

impl Cell {
    /// Every cell in printed order.
    pub fn all() -> impl Iterator<Item = Cell> {
        let t2 = Table2Row::ALL
            .into_iter()
            .flat_map(|r| r.columns().iter().map(move |&c| Cell::T2(r, c)));
        let t3 =
            Table3Row::all().flat_map(|r| Column::ALL.into_iter().map(move |c| Cell::T3(r, c)));
        let t4 = RemedyKind::ALL
            .into_iter()
            .flat_map(|k| RemedyResult::ALL.into_iter().map(move |r| Cell::T4(k, r)));
        t2.chain(t3).chain(t4)
    }

    /// The table's number: 2, 3 or 4.
    pub fn table(self) -> u8 {
        match self {
            Cell::T2(..) => 2,
            Cell::T3(..) => 3,
            Cell::T4(..) => 4,
        }
    }

    /// Whether the format derives this cell from others (a total) rather than counting.
    pub fn is_total(self) -> bool {
        matches!(
            self,
            Cell::T3(Table3Row::Total, _)
                | Cell::T3(_, Column::Total)
                | Cell::T4(_, RemedyResult::Total)
        )
    }

    /// Where the cell is, as a person reads it: `表三 第（三）4行 自然人列`.
    pub fn label_zh(self) -> String {
        match self {
            Cell::T2(row, column) => format!("表二 {}行 {}列", row.label_zh(), column.label_zh()),
            Cell::T3(row, column) => {
                format!("表三 第{}行 {}列", row.numbering(), column.label_zh())
            }
            Cell::T4(kind, result) => format!("表四 {} {}列", kind.label_zh(), result.label_zh()),
        }
    }
}

/// `t3:3.4:person`, `t2:licensing:decisions`, `t4:reconsideration:total`.
impl fmt::Display for Cell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cell::T2(r, c) => write!(f, "t2:{}:{}", r.code(), c.code()),
            Cell::T3(r, c) => write!(f, "t3:{}:{}", r.code(), c.code()),
            Cell::T4(k, r) => write!(f, "t4:{}:{}", k.code(), r.code()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown cell \"{0}\": expected t2:<row>:<column>, t3:<row>:<column> or t4:<kind>:<result>, e.g. t3:3.4:person")]
pub struct UnknownCell(pub String);

impl FromStr for Cell {
    type Err = UnknownCell;
    fn from_str(s: &str) -> Result<Cell, UnknownCell> {
        // Every cell prints differently, so parsing is a search of the printed ids.
        Cell::all()
            .find(|c| c.to_string() == s.trim())
            .ok_or_else(|| UnknownCell(s.to_string()))
    }
}

impl Serialize for Cell {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Cell {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::requests::outcome::Outcome;

    #[test]
    fn the_format_has_these_many_cells_and_ids_round_trip() {
        // Table 2: 2 rows × 3 + 3 × 1 + 1; table 3: 25 rows × 7; table 4: 3 × 5.
        assert_eq!(Cell::all().count(), 10 + 25 * 7 + 15);
        for cell in Cell::all() {
            assert_eq!(cell.to_string().parse::<Cell>(), Ok(cell));
        }
        assert_eq!(
            "t3:3.4:person".parse::<Cell>(),
            Ok(Cell::T3(
                Table3Row::Outcome(Outcome::ThirdPartyRights),
                Column::Person
            ))
        );
        for bad in [
            "t2:licensing:made",
            "t3:3.9:person",
            "t4:reconsideration",
            "x",
        ] {
            assert_eq!(bad.parse::<Cell>(), Err(UnknownCell(bad.into())));
        }
    }

    #[test]
    fn labels_name_table_row_and_column() {
        let cell = Cell::T3(
            Table3Row::Outcome(Outcome::ThirdPartyRights),
            Column::Person,
        );
        assert_eq!(cell.label_zh(), "表三 第（三）4行 自然人列");
        assert_eq!(
            Cell::T3(Table3Row::Total, Column::Total).label_zh(),
            "表三 第（七）行 总计列"
        );
        assert_eq!(
            Cell::T2(Table2Row::Fee, Table2Column::AmountYuan).label_zh(),
            "表二 行政事业性收费行 本年收费金额（万元）列"
        );
        assert_eq!(
            Cell::T4(RemedyKind::LitigationDirect, RemedyResult::Pending).label_zh(),
            "表四 行政诉讼 未经复议直接起诉 尚未审结列"
        );
    }
}
