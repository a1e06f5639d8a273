# Incident Desk. Two commands for a newcomer:
#   make run    install what is missing, build, open the window
#   make test   install what the tests need, run every test family
.PHONY: run test build package test-one test-ui check-platforms bench bench-startup bench-core bench-reminders deps-run deps-test deps-package

CARGO ?= cargo
APP := target/debug/incident-desk
# Every build and test run selects the whole workspace with its test targets, so Cargo resolves one
# feature set and compiles each dependency once (a narrower selection, such as `-p e2e` or
# `--exclude`, unifies features differently and rebuilds half the tree).
BUILD := $(CARGO) build --locked --workspace --all-targets
TEST := $(CARGO) test --locked --workspace

run: deps-run
	@$(BUILD)
	@./$(APP)

test: deps-test
	$(BUILD)
	.ci/session.sh .ci/test-all.sh

build: deps-run
	$(BUILD)

# The .deb (desktop entry, icon, start-at-login entry) from a release build, with the Tauri bundler:
# target/release/bundle/deb/. `make test` bundles and installs the debug build the same way.
package: deps-package
	$(CARGO) tauri build --ci --bundles deb

# One test target, for development, inside the private session (keyring, notifications, window):
# `make test-one T=it` (desk-core), `T=contract` (practice portal), `T=profile` (an e2e file);
# add F=<name filter> to run only matching tests.
test-one: deps-test
	$(BUILD)
	.ci/session.sh $(TEST) --test $(T) -- --include-ignored --test-threads=1 $(F)
test-ui:
	node --test ui/tests/
# Windows and macOS on paper: their dependency trees resolve, with their own keyring, notification
# and web view backends (no build; a few seconds). Also a step of `make test`.
check-platforms:
	.ci/check-platforms.sh

deps-run:
	@.ci/deps.sh run
deps-test:
	@.ci/deps.sh test
deps-package:
	@.ci/deps.sh package

# Benchmarks print figures; they never fail a build on speed.
bench: bench-core bench-startup bench-reminders
bench-core:
	$(CARGO) bench --locked -p desk-core
bench-startup: deps-test
	.ci/session.sh tests/bench/startup.sh
# Lateness of reminder notifications (p50/p99 over 100) and idle CPU with 500 open SENs.
bench-reminders: deps-test
	.ci/session.sh tests/bench/reminders.sh
