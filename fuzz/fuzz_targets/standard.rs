//! Standard Webhooks: any body through `parse`, and any header text through `verify`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use yui_ingest::standard_webhooks::{self, Headers, Secret};

fuzz_target!(|data: &[u8]| {
    let _ = standard_webhooks::parse(data);

    // The headers are the sender's text too: the first three lines stand for id, timestamp and
    // signature, and the whole input is the body.
    let text = String::from_utf8_lossy(data);
    let mut lines = text.splitn(4, '\n');
    let headers = Headers { id: lines.next(), timestamp: lines.next(), signature: lines.next() };
    let Ok(secret) = Secret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") else { return };
    let _ = standard_webhooks::verify(headers, data, &[secret], 1_764_000_000);
    let _ = Secret::parse(&text);
});
