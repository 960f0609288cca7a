//! The pure rules of full-text search, the same for both backends (docs/adr/0014):
//!
//! - [`fold`]: what "the same text" means to search: NFKC (full-width letters, digits and
//!   punctuation become half-width), lower case, traditional characters become simplified
//!   (OpenCC's character table), and every character that is neither a letter nor a digit
//!   becomes a space.
//! - [`segment`]: Chinese word segmentation (jieba, search mode, no HMM: a word is cut the
//!   same way in a title and in a query), giving the terms of the index and of a query.
//! - [`docnumber`]: document numbers (文号) such as `湘政办发〔2025〕12号`: the year and the
//!   serial number make one term, so `2025 12号`, `〔2025〕12号` and the whole number all
//!   find the document, and `112号` does not.
//! - [`query`]: a citizen's words turned into the terms to match, FTS5's MATCH text and
//!   PostgreSQL's `tsquery`, and the weighted `tsvector` of a document.
//! - [`snippet`]: a window of the original text around the matched words, HTML-escaped,
//!   with the words marked (`<mark>`); and the plain text of the public body's HTML.

pub mod docnumber;
pub mod fold;
pub mod query;
pub mod segment;
pub mod snippet;

pub use docnumber::doc_number_terms;
pub use fold::{fold, fold_char};
pub use query::{Document, Field, Group, Query, QueryError, Weight};
pub use segment::{index_terms, parts_of, query_terms, warm_up};
pub use snippet::{highlight, html_to_text, snippet};
