//! Typeform: any body through `parse`, and through `verify` with its first line as the signature.
#![no_main]

use libfuzzer_sys::fuzz_target;
use yui_ingest::typeform;

fuzz_target!(|data: &[u8]| {
    let _ = typeform::parse(data);
    let text = String::from_utf8_lossy(data);
    let signature = text.lines().next();
    let _ = typeform::verify(signature, data, &["a-signing-secret", "a-rotated-secret"]);
});
