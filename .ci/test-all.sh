#!/usr/bin/env bash
# Every test family, run inside the private session (.ci/session.sh). Runs them all, then reports
# which failed; exits non-zero if any did.
set -uo pipefail
cd "$(dirname "$0")/.."
export INCIDENT_DESK_OUTPUT=${INCIDENT_DESK_OUTPUT:-$PWD/tests/output}
mkdir -p "$INCIDENT_DESK_OUTPUT"
rm -rf "$INCIDENT_DESK_OUTPUT/logs" "$INCIDENT_DESK_OUTPUT/modes" "$INCIDENT_DESK_OUTPUT/a11y-summary.txt" # only this run's logs, data dirs and axe summary

failed=()
step() {
  local name=$1; shift
  echo "=== $name: $*"
  local start=$SECONDS
  if "$@"; then echo "=== $name: passed in $((SECONDS - start)) s"
  else echo "=== $name: FAILED after $((SECONDS - start)) s"; failed+=("$name"); fi
}

# The invariants the tools hold: one format (.rustfmt.toml), and clippy with warnings denied
# (the workspace lints in Cargo.toml deny unwrap, expect, panic and todo outside tests).
step fmt cargo fmt --all --check
step clippy env CLIPPY_CONF_DIR=.ci cargo clippy --locked --workspace --all-targets -- -D warnings
# Whole-workspace selections only (see BUILD in the Makefile: same feature set as the build, so
# nothing is compiled twice); the test targets are chosen by name instead.
# Unit and integration tests, in parallel: the libraries' and binaries' own tests, desk-core's
# `it` and the practice portal's `contract`, including those that need the session's keyring or
# notification server (#[ignore]d for a plain `cargo test`).
step unit cargo test --locked --workspace --no-fail-fast --lib --bins --test it --test contract -- --include-ignored
# The end-to-end suite in tests/e2e drives the real window, one test at a time: each starts a
# window, and two cores are all CI has (tests/e2e/tests/a11y.rs runs axe-core, fetched by
# `.ci/deps.sh test`; without it that test fails naming the command to fetch it).
e2e_targets=()
for file in tests/e2e/tests/*.rs; do e2e_targets+=(--test "$(basename "$file" .rs)"); done
step e2e cargo test --locked --workspace --no-fail-fast "${e2e_targets[@]}" -- --include-ignored --test-threads=1
# What the axe-core audit covered (written by tests/e2e/tests/a11y.rs).
cat "$INCIDENT_DESK_OUTPUT/a11y-summary.txt" 2>/dev/null || echo "a11y: no axe summary (the a11y e2e did not finish)"
step log-scan tests/log-scan.sh
step ui node --test ui/tests/
step platforms .ci/check-platforms.sh
step make-run tests/make-run-screenshot.sh
step package tests/package-install.sh

if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED: ${failed[*]}"
  exit 1
fi
echo "all test families passed; screenshots in $INCIDENT_DESK_OUTPUT"
