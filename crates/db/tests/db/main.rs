//! The storage crate's integration tests as one binary (one link instead of one per file), on
//! the backend `YUI_TEST_BACKEND` names.
#![allow(clippy::unwrap_used)]

mod articles;
mod following;
mod migrations;
mod neutrality;
mod orders;
mod outbox;
mod password_resets;
mod postings;
mod rate_limits;
mod review_log;
mod succession;
mod transactions;
