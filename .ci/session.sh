#!/usr/bin/env bash
# Runs a command inside a private desktop session, so tests use real parts without touching the
# user's own: a D-Bus session bus (dbus-run-session), an Xvfb display, an unlocked gnome-keyring
# (Secret Service) with a throw-away password, and the dunst notification server. HOME and XDG_*
# point at a temporary directory; everything started here is stopped on exit.
set -euo pipefail

if [ -z "${INCIDENT_DESK_SESSION:-}" ]; then
  export INCIDENT_DESK_SESSION=starting
  exec dbus-run-session -- "$0" "$@"
fi

# Cargo and rustup live under the real HOME; keep them when HOME moves.
export CARGO_HOME=${CARGO_HOME:-$HOME/.cargo} RUSTUP_HOME=${RUSTUP_HOME:-$HOME/.rustup}
export PATH="$CARGO_HOME/bin:$PATH"
session_dir=$(mktemp -d /tmp/incident-desk-session.XXXXXX)
export HOME=$session_dir/home XDG_RUNTIME_DIR=$session_dir/run
export XDG_DATA_HOME=$HOME/.local/share XDG_CONFIG_HOME=$HOME/.config XDG_CACHE_HOME=$HOME/.cache
# The machine's own system autostart entries (an installed .deb's) stay out of the tests' view.
export XDG_CONFIG_DIRS=$session_dir/xdg
mkdir -p "$HOME" "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_CONFIG_DIRS"
mkdir -m 700 -p "$XDG_RUNTIME_DIR"

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$session_dir"
}
trap cleanup EXIT

# Xvfb picks a free display number and writes it to fd 3.
Xvfb -displayfd 3 -screen 0 1440x900x24 -nolisten tcp 3>"$session_dir/display" 2>"$session_dir/xvfb.log" &
pids+=($!)
for _ in $(seq 100); do [ -s "$session_dir/display" ] && break; sleep 0.1; done
export DISPLAY=":$(cat "$session_dir/display")"
unset WAYLAND_DISPLAY

# An empty password would leave no default collection (set_password fails with NoStorageAccess).
eval "$(printf 'incident-desk-test-session' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
dunst >"$session_dir/dunst.log" 2>&1 &
pids+=($!)

export INCIDENT_DESK_SESSION=ready
echo "session: DISPLAY=$DISPLAY, private D-Bus, gnome-keyring (secrets), dunst" >&2
"$@"
