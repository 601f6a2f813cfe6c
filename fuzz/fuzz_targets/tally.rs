//! Tally: any body through `parse`, and through `verify` with its first line as the signature.
#![no_main]

use libfuzzer_sys::fuzz_target;
use yui_ingest::tally;

fuzz_target!(|data: &[u8]| {
    let _ = tally::parse(data);
    let text = String::from_utf8_lossy(data);
    let signature = text.lines().next();
    let _ = tally::verify(signature, data, &["a-signing-secret", "a-rotated-secret"]);
});
