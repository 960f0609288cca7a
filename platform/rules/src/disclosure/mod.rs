//! Proactive disclosure (主动公开), Regulation arts. 19–26: the items' lifecycle and review
//! chains, the confidentiality scan and its masks, index numbers, the built-in item kinds,
//! the catalog tree and the Markdown of item bodies.

pub mod catalog_tree;
pub mod field_paths;
pub mod index_number;
pub mod kinds;
pub mod lifecycle;
pub mod render;
pub mod scan;
