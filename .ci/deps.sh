#!/usr/bin/env bash
# Installs what Incident Desk needs on Debian/Ubuntu, and says what it installs.
#   .ci/deps.sh run    packages to build and open the window
#   .ci/deps.sh test   plus what the test suite needs (Xvfb, WebKitWebDriver, keyring, notification
#                      server, tauri-driver, the Tauri bundler, axe-core via .ci/fetch-axe.sh)
#   .ci/deps.sh package  what `make package` needs (the build packages and the Tauri bundler)
set -euo pipefail
mode=${1:-run}

build_packages=(build-essential pkg-config curl file libssl-dev libwebkit2gtk-4.1-dev libgtk-3-dev
  libayatana-appindicator3-dev librsvg2-dev libsoup-3.0-dev)
test_packages=(webkit2gtk-driver xvfb dbus dbus-x11 gnome-keyring dunst xdotool imagemagick nodejs)

packages=("${build_packages[@]}")
[ "$mode" = test ] && packages+=("${test_packages[@]}")
# pip fetches axe-core (.ci/fetch-axe.sh); any python3 with pip will do, else Debian's.
if [ "$mode" = test ] && ! python3 -m pip --version >/dev/null 2>&1; then
  packages+=(python3-pip)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node from another source (nvm, nodesource) is fine for the UI tests.
if command -v node >/dev/null; then
  missing=("${missing[@]/nodejs}")
fi
missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))

if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null; then
    echo "deps: missing ${missing[*]}, and this is not a Debian/Ubuntu system: install them by hand." >&2
    exit 1
  fi
  sudo=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo=sudo
  fi
  echo "deps: installing ${missing[*]}"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null; then
  echo "deps: cargo (Rust) is not installed: see https://rustup.rs, then run this again." >&2
  exit 1
fi

# make test checks the format and runs clippy: rustup's default profile has both components.
if [ "$mode" = test ]; then
  for component in rustfmt clippy; do
    cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1 || rustup component add "$component"
  done
fi

if [ "$mode" = test ] && ! command -v tauri-driver >/dev/null; then
  echo "deps: installing tauri-driver (cargo install --locked)"
  cargo install tauri-driver --locked --quiet
fi
# The Tauri bundler builds the .deb (`make package`, and the package test of `make test`).
if [ "$mode" != run ] && ! cargo tauri --version >/dev/null 2>&1; then
  echo "deps: installing tauri-cli 2 for the Tauri bundler (cargo install --locked; a few minutes)"
  cargo install tauri-cli --version "^2" --locked --quiet
fi
if [ "$mode" = test ]; then "$(dirname "$0")/fetch-axe.sh"; fi
exit 0
