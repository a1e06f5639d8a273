#!/usr/bin/env bash
# Start-up benchmark (`make bench-startup`): first paint and memory of Incident Desk beside an empty
# Tauri window with the same window config (tests/bench/empty-window), both built in this run.
# Prints figures; never fails on speed. Runs inside the private session (.ci/session.sh).
#   RUNS=7            launches per app (median reported)
#   PROFILE=release   cargo profile to build and measure (debug reuses the test build)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${RUNS:-7}
profile=${PROFILE:-release}
echo "bench-startup: building incident-desk and empty-window ($profile)" >&2
# Whole-workspace selections only (see BUILD in the Makefile): the debug build is the test build.
if [ "$profile" = debug ]; then cargo build --locked --workspace --all-targets >&2
else cargo build --locked --profile "$profile" --workspace --bins >&2; fi
dir=target/$profile

# Sum of a memory field (Rss or Pss, kB) over a process and all its descendants.
tree_pids() {
  local pid=$1
  echo "$pid"
  for child in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do tree_pids "$child"; done
}
tree_kb() {
  local field=$1 root=$2 total=0
  for pid in $(tree_pids "$root"); do
    kb=$(awk -v f="$field:" '$1 == f { print $2 }' /proc/"$pid"/smaps_rollup 2>/dev/null || true)
    total=$((total + ${kb:-0}))
  done
  echo "$total"
}
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }

measure() {
  local name=$1; shift
  local paints=() rss=() pss=()
  for _ in $(seq "$runs"); do
    local data out pid line=""
    data=$(mktemp -d); out=$(mktemp)
    INCIDENT_DESK_PROBE_LINGER_MS=2500 "$@" --data-dir "$data" >"$out" 2>/dev/null &
    pid=$!
    for _ in $(seq 300); do
      line=$(grep -m1 '^first_paint_ms=' "$out" || true)
      [ -n "$line" ] && break
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.05
    done
    if [ -z "$line" ]; then echo "bench-startup: $name printed no first_paint_ms" >&2; kill "$pid" 2>/dev/null || true; continue; fi
    sleep 1.5 # settled after the first screen
    paints+=("${line#first_paint_ms=}")
    rss+=("$(tree_kb Rss "$pid")")
    pss+=("$(tree_kb Pss "$pid")")
    wait "$pid" 2>/dev/null || true
    rm -rf "$data" "$out"
  done
  local p r s
  p=$(printf '%s\n' "${paints[@]}" | median)
  r=$(printf '%s\n' "${rss[@]}" | median)
  s=$(printf '%s\n' "${pss[@]}" | median)
  printf '%-14s first_paint_ms=%-6s rss_mib=%-6s pss_mib=%-6s (median of %s; paints: %s)\n' \
    "$name" "$p" "$((r / 1024))" "$((s / 1024))" "${#paints[@]}" "${paints[*]}"
  eval "${name//-/_}_paint=$p ${name//-/_}_rss=$r ${name//-/_}_pss=$s"
}

# The empty window ignores --data-dir; pass it anyway so both get the same arguments.
measure empty-window "$dir/empty-window"
measure incident-desk "$dir/incident-desk" --startup-probe
awk -v a="$incident_desk_paint" -v b="$empty_window_paint" -v c="$incident_desk_rss" -v d="$empty_window_rss" \
    -v e="$incident_desk_pss" -v f="$empty_window_pss" \
  'BEGIN { printf "ratio (incident-desk / empty-window): first_paint %.2fx, rss %.2fx, pss %.2fx (target: within 1.3x)\n", a / b, c / d, e / f }'
