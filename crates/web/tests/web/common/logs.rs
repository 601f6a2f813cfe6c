//! A `log` logger that keeps every line in memory, for tests that read what Yui logged. One per
//! process, installed by the first test that asks; the other tests running beside it log into it
//! too, so a test looks only at the lines that carry something of its own (a key, an address).

use std::sync::Mutex;

static LINES: Mutex<Vec<String>> = Mutex::new(Vec::new());

struct Capture;

impl log::Log for Capture {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.level() <= log::Level::Info
    }

    fn log(&self, record: &log::Record<'_>) {
        if self.enabled(record.metadata()) {
            let line = format!("{} {}: {}", record.level(), record.target(), record.args());
            LINES.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(line);
        }
    }

    fn flush(&self) {}
}

/// Starts keeping the log (once; later calls do nothing).
pub fn capture() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        log::set_logger(&Capture).expect("no other logger in the test binary");
        log::set_max_level(log::LevelFilter::Info);
    });
}

/// Every line kept so far that contains `needle`.
pub fn lines_with(needle: &str) -> Vec<String> {
    LINES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .iter()
        .filter(|l| l.contains(needle))
        .cloned()
        .collect()
}
