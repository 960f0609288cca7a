//! Proactive disclosure (主动公开): the item lifecycle, the review chain, the
//! confidentiality scan and redaction, and index numbers.

pub mod index_number;
pub mod lifecycle;
pub mod scan;
