#!/usr/bin/env bash
# Start-up benchmark (`make bench-startup`): first paint and memory of Incident Desk beside an empty
# Tauri window with the same window config (tests/bench/empty-window), both built in this run.
# Prints figures; never fails on speed. Runs inside the private session (.ci/session.sh).
#   RUNS=7            rounds; each launches every app once, in turn (medians reported; 0 skips them)
#   PROFILE=release   cargo profile to build and measure (debug reuses the test build)
#   LEVERS=1          also Incident Desk without each start-up lever, one at a time
#   IDLE_MINUTES=10   then each app once, idle that long: the empty window shown, Incident Desk
#                     with 50 open SENs, its window opened and closed to the tray (0 skips it)
# Memory is PSS summed over the app and its WebKit processes, read 4 s after the launch.
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

# One launch of `name` ("$@" is its command line): its first paint, then its memory 4 s after the
# launch, added to that name's lists.
declare -A paints rss pss
launch() {
  local name=$1; shift
  local data out pid line=""
  data=$(mktemp -d); out=$(mktemp)
  INCIDENT_DESK_PROBE_LINGER_MS=6000 "$@" --data-dir "$data" >"$out" 2>/dev/null &
  pid=$!
  for _ in $(seq 300); do
    line=$(grep -m1 '^first_paint_ms=' "$out" || true)
    [ -n "$line" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  if [ -z "$line" ]; then
    echo "bench-startup: $name printed no first_paint_ms" >&2; kill "$pid" 2>/dev/null || true
  else
    # Settled: 4 s after the launch, whenever the first paint came.
    local age; age=$(ps -o etimes= -p "$pid" | tr -d ' ')
    [ "${age:-0}" -lt 4 ] && sleep $((4 - age))
    paints[$name]+=" ${line#first_paint_ms=}"
    rss[$name]+=" $(tree_kb Rss "$pid")"
    pss[$name]+=" $(tree_kb Pss "$pid")"
  fi
  wait "$pid" 2>/dev/null || true
  rm -rf "$data" "$out"
}
# Launches each "name=command" in turn, RUNS rounds: a machine that gets busier or quieter during
# the bench then weighs on every app alike, not on whichever was measured last.
measure() {
  for _ in $(seq "$runs"); do
    for app in "$@"; do
      local name=${app%%=*}
      # shellcheck disable=SC2086 # the command is words on purpose
      launch "$name" ${app#*=}
    done
  done
  for app in "$@"; do
    local name=${app%%=*} p r s
    p=$(printf '%s\n' ${paints[$name]:-} | median)
    r=$(printf '%s\n' ${rss[$name]:-} | median)
    s=$(printf '%s\n' ${pss[$name]:-} | median)
    printf '%-16s first_paint_ms=%-6s rss_mib=%-6s pss_mib=%-6s (median of %s; paints:%s)\n' \
      "$name" "$p" "$((r / 1024))" "$((s / 1024))" "$(wc -w <<<"${paints[$name]:-}")" "${paints[$name]:-}"
    eval "${name//-/_}_paint=$p ${name//-/_}_rss=$r ${name//-/_}_pss=$s"
  done
}

# The empty window ignores --data-dir; pass it anyway so both get the same arguments.
apps=("empty-window=$dir/empty-window" "incident-desk=$dir/incident-desk --startup-probe")
# LEVERS=1: the same binary again without each start-up lever (probe.rs, `lever_on`; `settings`
# includes compositing off), and with only WebKit's GL compositing back on, to see what each pays;
# in the same rounds as the two apps.
if [ -n "${LEVERS:-}" ]; then
  for off in settings trim defer overlap monitor settings,trim,defer,overlap,monitor; do
    apps+=("without-${off//,/-}=env INCIDENT_DESK_LEVERS_OFF=$off $dir/incident-desk --startup-probe")
  done
  apps+=("accel-always=env INCIDENT_DESK_WEBKIT_ACCELERATION=always $dir/incident-desk --startup-probe")
fi
if [ "$runs" -gt 0 ]; then
  measure "${apps[@]}"
  awk -v a="$incident_desk_paint" -v b="$empty_window_paint" -v c="$incident_desk_rss" -v d="$empty_window_rss" \
      -v e="$incident_desk_pss" -v f="$empty_window_pss" \
    'BEGIN { printf "ratio (incident-desk / empty-window): first_paint %.2fx, rss %.2fx, pss %.2fx (targets: first paint <= 1.10x, pss <= 1.00x)\n", a / b, c / d, e / f }'
fi

idle_minutes=${IDLE_MINUTES:-10}
[ "$idle_minutes" = 0 ] && exit 0

# A SEN notification e-mail as the SOC sends it, for `sen import-email`.
sen_mail() {
  printf 'From: Cal-CSIRS <noreply@calcsirs.example.ca.gov>\r\nDate: %s\r\nSubject: Cal-CSIRS Notification: A Security Event Notification - SOC-[%s] requires your attention. The SEN Level is: [%s]\r\nContent-Type: text/plain\r\n\r\nSEN record: SOC-%s\r\nSummary: bench SEN %s\r\n' \
    "$(date -R)" "$1" "$2" "$1" "$1"
}
# Sends WM_DELETE_WINDOW to a window (what the window manager's close button does): the app hides
# to its tray.
close_window() { python3 tests/bench/close-window.py "$1"; }

echo "bench-startup: idle for $idle_minutes min (both apps at once; Incident Desk with 50 open SENs, closed to the tray)" >&2
desk_data=$(mktemp -d); empty_data=$(mktemp -d); mail=$(mktemp --suffix=.eml)
levels=(CRITICAL HIGH MEDIUM)
for n in $(seq 50); do
  sen_mail "$((7000 + n))" "${levels[$((n % 3))]}" >"$mail"
  "$dir/incident-desk" --data-dir "$desk_data" sen import-email "$mail" >/dev/null
done
rm -f "$mail"
# The empty window exits once its first paint has lingered: here it lingers past the idle time.
INCIDENT_DESK_PROBE_LINGER_MS=$(((idle_minutes + 5) * 60000)) "$dir/empty-window" --data-dir "$empty_data" >/dev/null 2>&1 &
empty_pid=$!
"$dir/incident-desk" --data-dir "$desk_data" >/dev/null 2>&1 & desk_pid=$!
window=""
# Both apps' windows carry the config's title ("Incident Desk"): --all makes the search match the
# pid and the name, not either (without it, the empty window was the one closed).
for _ in $(seq 200); do
  window=$(xdotool search --all --onlyvisible --pid "$desk_pid" --name '^Incident Desk' 2>/dev/null | head -1 || true)
  [ -n "$window" ] && break
  sleep 0.1
done
sleep 4
[ -n "$window" ] && close_window "$window" || echo "bench-startup: no Incident Desk window to close" >&2
sleep $((idle_minutes * 60))
desk_idle=$(tree_kb Pss "$desk_pid"); empty_idle=$(tree_kb Pss "$empty_pid")
kill "$desk_pid" "$empty_pid" 2>/dev/null || true
wait "$desk_pid" "$empty_pid" 2>/dev/null || true
rm -rf "$desk_data" "$empty_data"
printf 'idle %s min: empty-window pss_mib=%s (shown); incident-desk pss_mib=%s (50 open SENs, in the tray); ratio %s\n' \
  "$idle_minutes" "$((empty_idle / 1024))" "$((desk_idle / 1024))" "$(awk -v a="$desk_idle" -v b="$empty_idle" 'BEGIN { printf "%.2fx", a / b }')"
