#!/usr/bin/env bash
# Reminder benchmark (`make bench-reminders`): lateness of notifications over 100 short reminders
# (p50/p99, target p99 < 1 s) and idle CPU of the running app with 500 open SENs. Prints figures;
# never fails on speed. Runs inside the private session (.ci/session.sh): real app, real dunst.
#   PROFILE=debug     cargo profile of the app and the bench (debug reuses the test build; release
#                     builds both first)
#   IDLE_SECONDS=60   length of each idle CPU measurement
#   IDLE_SENS=500,0   the numbers of open SENs the idle CPU is measured with
#   BENCH_ONLY=idle   only the idle CPU, then the empty Tauri window shown as long (the floor)
set -euo pipefail
cd "$(dirname "$0")/../.."
profile=${PROFILE:-debug}
if [ "$profile" = debug ]; then
  cargo build --locked --workspace --all-targets >&2
else
  cargo build --locked --profile "$profile" -p incident-desk -p e2e --bins >&2
fi
export INCIDENT_DESK_BIN=$PWD/target/$profile/incident-desk
export INCIDENT_DESK_OUTPUT=${INCIDENT_DESK_OUTPUT:-$PWD/tests/output}
mkdir -p "$INCIDENT_DESK_OUTPUT"
"target/$profile/reminders_bench"
