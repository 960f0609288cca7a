//! Black-box tests of the `gongkai` binary live in `cli.rs`; this crate has no library
//! code of its own.
