//! The page machinery shared by the public portal and the staff console: the page
//! language ([`i18n`]), the one layout ([`layout`]), the response every page goes out as
//! (security headers, ETag/`304`, cookies: [`response`]), error pages in the page
//! language ([`error`]), form tokens for public forms ([`csrf`]) and the static assets
//! ([`assets`]).
//!
//! Templates are [maud](https://maud.lambda.xyz) macros rather than askama files: the
//! HTML is checked by the compiler like any other Rust code (a misspelt field or a
//! missing value does not build), everything interpolated is escaped unless wrapped in
//! `PreEscaped`, and the layout and the partials are plain functions taking typed
//! arguments, which the console reuses without an inheritance mechanism to learn. maud
//! also compiles quickly (one small proc-macro crate) on the two-core builders.

pub mod assets;
pub mod csrf;
pub mod error;
pub mod forms;
pub mod i18n;
pub mod layout;
pub mod response;

pub use error::PageError;
pub use i18n::Lang;
pub use layout::{Chrome, Footer};
pub use response::{PageReq, PageResponse};
