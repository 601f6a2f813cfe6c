//! Outgoing mail. Nothing in Yui sends mail directly: it writes a letter ([`Letters`], one
//! typed function per letter) to the outbox (`yui_db::outbox::enqueue`) in the same
//! transaction as the change it reports, and the worker here ([`run_worker`] /
//! [`deliver_due`]) sends it with lettre, retrying with back-off.
//!
//! `mail.url` picks the transport: `smtp://[user:password@]host[:port]` (plain SMTP, no TLS),
//! `smtp+starttls://…` (STARTTLS required), `smtps://…` (implicit TLS), `file:<dir>` (one
//! `.eml` per message, for development) or `log:` (tests).

pub mod letters;
mod mailer;
mod settings;
mod worker;

pub use letters::{Lang, Letters, MailError, Site};
pub use mailer::{DeliveryError, Mailer, SMTP_TIMEOUT};
pub use settings::{
    MailConfigError, MailSettings, RawMailSettings, SmtpCredentials, SmtpSecurity, Transport, DEFAULT_SMTPS_PORT,
    DEFAULT_SMTP_PORT, DEFAULT_STARTTLS_PORT,
};
pub use worker::{backoff, deliver_due, run_worker, DeliveryReport, BATCH, LEASE};
