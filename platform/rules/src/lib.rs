//! # gongkai-rules: the pure domain rules of Gongkai
//!
//! The rules the law and the national standards set, as plain data and pure functions, each
//! citing where it comes from (the Regulation on Government Information Disclosure, GB 11643,
//! GB 32100, the State Council's holiday notices, …) and tested beside it. The platform's
//! services read and write the data; these rules decide.
//!
//! Find a rule by its domain:
//! - [`calendar`]: working days (holidays, 调休, a tenant's local adjustments), the one
//!   [`calendar::WorkingDays`] trait, and the official holiday data;
//! - [`requests`]: requests for information (依申请公开): the statutory clock
//!   ([`requests::deadline`]), the lifecycle, outcome codes, processing fees;
//! - [`disclosure`]: proactive disclosure (主动公开): the items' lifecycle and review chains,
//!   the confidentiality scan and masks, index numbers, item kinds, the catalog tree, the
//!   Markdown of item bodies;
//! - [`identity`]: checks of identity numbers (resident ID, unified social credit code, bank
//!   card, mobile number), shared by the scan and request intake;
//! - [`annual_report`]: the annual report's tables 2–4 (国办公开办函〔2021〕30号 format), the
//!   id and label of every cell, and the cross-checks run before a report is submitted;
//! - [`statistics`]: months, quarters, the median of a histogram and the ranking with
//!   ties that the platform's statistics are computed with;
//! - [`problem`]: [`problem::FieldProblem`], how a rule reports a bad input field.
//!
//! ## What belongs here
//! A rule that needs no IO: given its inputs (dates, a calendar, stored values already read),
//! it answers deterministically. "Today" is an argument, never read from the clock; errors are
//! this crate's own types (`thiserror`), never the service layer's.
//!
//! ## What may not come here
//! No database, HTTP, async runtime, wasm, file system or clock: no sqlx, axum, tokio,
//! wasmtime, reqwest, object_store and the like. Dependencies stay plain data crates
//! (chrono, serde, serde_json, chinese_holiday, pulldown-cmark, thiserror, uuid). The
//! API's schema derives (`utoipa::ToSchema`) sit behind the optional `openapi` feature,
//! which only the platform turns on. Check with
//! `cargo tree -p gongkai-rules --no-default-features -e normal`.
//! A rule that seems to need IO is split: the service fetches, this crate decides.

pub mod annual_report;
pub mod calendar;
pub mod disclosure;
pub mod identity;
pub mod problem;
pub mod requests;
pub mod statistics;
