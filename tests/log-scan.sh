#!/usr/bin/env bash
# After the test suite: the logs the app wrote during it (kept in $INCIDENT_DESK_OUTPUT/logs by the
# e2e harness and the CLI tests) must hold no personal information and no secret. Checks generic
# shapes (e-mail addresses, phone numbers, bearer tokens, 64-hex keys) and the distinctive values the
# tests typed (tests/log-sentinels.txt). Fails when no log was collected at all.
set -uo pipefail
cd "$(dirname "$0")/.."
logs=${INCIDENT_DESK_OUTPUT:-tests/output}/logs
files=$(find "$logs" -type f 2>/dev/null | wc -l)
if [ "$files" -eq 0 ]; then
  echo "log-scan: no logs collected under $logs" >&2
  exit 1
fi
status=0
check() {
  local what=$1 pattern=$2
  if hits=$(grep -rEn -- "$pattern" "$logs" | head -5) && [ -n "$hits" ]; then
    echo "log-scan: $what found in the logs:" >&2
    echo "$hits" >&2
    status=1
  fi
}
check "an e-mail address" '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}'
check "a phone number" '\(?[0-9]{3}\)?[ .-][0-9]{3}[ .-][0-9]{4}'
check "a bearer token" '[Bb]earer [A-Za-z0-9._~+/-]+'
check "a 256-bit key" '[0-9a-fA-F]{64}'
while IFS= read -r sentinel; do
  case "$sentinel" in ''|'#'*) continue ;; esac
  if grep -rFn -- "$sentinel" "$logs" | head -3 | grep -q .; then
    echo "log-scan: \"$sentinel\" (typed by a test) found in the logs" >&2
    status=1
  fi
done < tests/log-sentinels.txt
# File modes: the e2e harness recorded every data directory the suite used (tests/e2e/src/lib.rs
# record_modes) before it was deleted; each file must be 0600 and each folder 0700.
modes=${INCIDENT_DESK_OUTPUT:-tests/output}/modes
mapfile -t mode_files < <(find "$modes" -type f -name '*.txt' 2>/dev/null)
recorded=${#mode_files[@]}
if [ "$recorded" -eq 0 ]; then
  echo "log-scan: no data directory modes recorded under $modes" >&2
  status=1
else
  bad=$(awk '($2 == "f" && $1 != "600") || ($2 == "d" && $1 != "700") { print FILENAME ": " $0 }' "${mode_files[@]}" | head -10)
  if [ -n "$bad" ]; then
    echo "log-scan: data files not 0600 / folders not 0700 (mode kind path):" >&2
    echo "$bad" >&2
    status=1
  else
    entries=$(cat "${mode_files[@]}" | wc -l)
    echo "log-scan: $recorded data directories, $entries files and folders, all 0600 / 0700"
  fi
fi
[ $status -eq 0 ] && echo "log-scan: $files log files, no personal information or secret"
exit $status
