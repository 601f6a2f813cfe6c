//! The `yui` command's integration tests as one binary: each test runs the command as a real
//! process against its own database.
#![allow(clippy::unwrap_used)]

mod backup_cli;
mod cli;
mod mailings_cli;
mod media_cli;
mod nginx;
mod open_data_cli;
mod relevance;
