#!/usr/bin/env bash
# Proves `make run` opens the window on this display: runs it on a temporary data dir, waits for
# the window, takes a screenshot of the screen into the output folder, then closes the app.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${INCIDENT_DESK_OUTPUT:-tests/output}
mkdir -p "$out"
data=$(mktemp -d)
INCIDENT_DESK_DATA_DIR=$data make --no-print-directory run >"$out/make-run.log" 2>&1 &
make_pid=$!
window=""
for _ in $(seq 240); do
  window=$(xdotool search --onlyvisible --name '^Incident Desk$' 2>/dev/null | head -n1 || true)
  [ -n "$window" ] && break
  kill -0 "$make_pid" 2>/dev/null || break
  sleep 0.5
done
status=0
if [ -n "$window" ]; then
  sleep 2 # let the first screen paint
  import -window root "$out/make-run.png"
  echo "make run: window $window is up; screenshot $out/make-run.png"
else
  echo "make run: no window appeared; see $out/make-run.log" >&2
  status=1
fi
pkill -f -- "incident-desk" -P "$make_pid" 2>/dev/null || true
pkill -f -- "target/debug/incident-desk" 2>/dev/null || true
wait "$make_pid" 2>/dev/null || true
rm -rf "$data"
exit $status
