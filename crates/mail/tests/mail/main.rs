//! The mail crate's integration tests as one binary.
#![allow(clippy::unwrap_used)]

mod smtp;
mod tls;
