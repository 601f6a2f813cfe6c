//! Staff authentication. For now: passwords. Sessions and login arrive with the review queue.

pub mod password;
