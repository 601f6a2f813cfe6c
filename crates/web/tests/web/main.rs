//! The web crate's integration tests as one binary: one link instead of one per file, and one
//! process whose tests run side by side, so nothing here may assume a process of its own.
#![allow(clippy::unwrap_used)]

mod admin;
mod api;
mod articles;
mod backup_drill;
mod browser;
mod browser_articles;
mod browser_follow;
mod browser_forms;
mod browser_hellowork;
mod browser_search;
mod browser_staff;
mod browser_succession;
mod browser_support;
mod cache;
mod choices;
mod common;
mod concurrency;
mod contact;
mod follow;
mod hellowork;
mod hooks;
mod language;
mod ledger;
mod lifecycle;
mod logs;
mod malformed;
mod mappings;
mod media;
mod metrics;
mod openapi;
mod orders;
mod organizations;
mod password_reset;
mod portal;
mod posting;
mod proxy;
mod revisions;
mod search;
mod staff_entry;
mod submit;
mod succession;
mod support;
mod terms;
mod transparency;
