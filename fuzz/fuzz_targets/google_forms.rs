//! Google Forms (Yui's Apps Script): any body through `parse`, any header through `verify`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use yui_ingest::google_forms;

fuzz_target!(|data: &[u8]| {
    let _ = google_forms::parse(data);
    let _ = google_forms::verify(std::str::from_utf8(data).ok(), &["a-shared-secret-of-some-length"]);
});
