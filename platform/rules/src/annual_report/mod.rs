//! The annual report on government information disclosure (政府信息公开工作年度报告) in the
//! national format of 国办公开办函〔2021〕30号 (《中华人民共和国政府信息公开工作年度报告格式》):
//! its three tables as typed figures, every cell's stable id and Chinese label, and the
//! cross-checks the format implies.
//!
//! The format has six sections (一 总体情况, 二 主动公开, 三 申请, 四 复议诉讼, 五 问题及改进,
//! 六 其他事项); sections 二–四 are tables 2–4 and are modelled here; the others are text the
//! service stores. A figure counts records (the service aggregates them); the rules here
//! only know numbers: which cells there are, how totals follow from parts, and which
//! equations must hold before a report is submitted ([`checks::cross_checks`]).
//!
//! Every cell has a stable text id, `t<table>:<row>:<column>` (e.g. `t3:3.4:person`,
//! `t2:licensing:decisions`, `t4:reconsideration:total`): the API, the store and the
//! drill-down name cells by it.

pub mod cells;
pub mod checks;
pub mod layout;
pub mod tables;

pub use cells::{Cell, UnknownCell};
pub use checks::{cross_checks, PriorCarry};
pub use tables::{
    AnnualFigures, Column, RemedyKind, RemedyResult, Table2, Table2Column, Table2Row, Table3,
    Table3Row, Table4,
};
