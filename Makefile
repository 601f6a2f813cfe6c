# Yui: `make run` serves the demo portal on SQLite; `make test` runs the whole suite on SQLite
# and on a throwaway PostgreSQL, with the browser journeys in headless Chromium.
SHELL := /bin/bash
CARGO ?= cargo
BUILD_PACKAGES := libpq-dev pkg-config
TEST_PACKAGES := $(BUILD_PACKAGES) postgresql chromium chromium-driver python3-aiosmtpd python3-venv \
	nginx openssl curl systemd fonts-ipafont-gothic
# CI builds each commit once: incremental caches would only double the target directory on disk.
ifeq ($(CI),true)
export CARGO_INCREMENTAL ?= 0
endif

.PHONY: run build deb test test-sqlite test-postgres test-package lint fmt deps-build deps-test bench fuzz clean-data

run: deps-build
	$(CARGO) build --bin yui
	./target/debug/yui migrate
	./target/debug/yui seed-demo
	./target/debug/yui serve

build: deps-build
	$(CARGO) build --release --bin yui

# target/debian/yui_<version>_<arch>.deb: see docs/operations.md.
deb: build
	scripts/build-deb.sh target/release/yui target/debian

test: deps-test lint test-sqlite test-postgres test-package
	@echo "make test: all suites passed (SQLite and PostgreSQL, and the Debian package)"

test-sqlite:
	YUI_TEST_BACKEND=sqlite $(CARGO) test --workspace

# Every integration test binary (one per crate, tests/<name>/main.rs) runs on a database, so all of
# them run again on PostgreSQL; unit tests and doctests touch none and run in test-sqlite only.
test-postgres:
	YUI_TEST_BACKEND=postgres scripts/with-postgres.sh $(CARGO) test --workspace --test '*'

# The Debian package, installed and started as its own user, then purged (needs root: dpkg).
test-package:
	$(CARGO) build --bin yui
	scripts/test-package.sh target/debug/yui

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

fmt:
	$(CARGO) fmt --all

deps-build:
	@scripts/ensure-deps.sh $(BUILD_PACKAGES)

# schemathesis (the OpenAPI run of the suite) comes from PyPI into .cache/schemathesis, and
# axe-core (the accessibility rules of the browser run) from npm into .cache/axe, both pinned.
# A Japanese font makes the browser run's screenshots readable.
deps-test:
	@scripts/ensure-deps.sh $(TEST_PACKAGES)
	@scripts/ensure-schemathesis.sh
	@scripts/ensure-axe.sh

bench: deps-build
	@scripts/ensure-deps.sh wrk curl postgresql nginx
	$(CARGO) build --release --bin yui
	scripts/bench.sh

# Not part of `make test`: each sender's parser and signature check under libFuzzer (nightly) for
# FUZZ_SECS seconds, starting from the fixtures. Crashes land in fuzz/artifacts/<target>/.
FUZZ_SECS ?= 30
FUZZ_TARGETS := standard google_forms tally typeform

fuzz:
	@$(CARGO) fuzz --version >/dev/null 2>&1 || $(CARGO) install cargo-fuzz --locked
	@for target in $(FUZZ_TARGETS); do \
		mkdir -p fuzz/corpus/$$target && cp crates/ingest/testdata/*.json fuzz/corpus/$$target/ && \
		echo "fuzz: $$target for $(FUZZ_SECS)s" && \
		$(CARGO) +nightly fuzz run --fuzz-dir fuzz $$target -- -max_total_time=$(FUZZ_SECS) || exit 1; \
	done

clean-data:
	rm -rf data
