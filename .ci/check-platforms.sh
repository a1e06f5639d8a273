#!/usr/bin/env bash
# Windows and macOS on paper: the workspace's dependency tree resolves for each (no build, a few
# seconds), each with its own keyring, notification and web view backend and none of Linux's.
# See "Platforms" in ARCHITECTURE.md.
set -euo pipefail
cd "$(dirname "$0")/.."

check() {
  local target=$1 present=$2 absent=$3 tree
  tree=$(cargo tree --locked --workspace --target "$target" -e normal --prefix none)
  for crate in $present; do
    grep -q "^$crate v" <<<"$tree" || { echo "check-platforms: $target: $crate is missing"; return 1; }
  done
  for crate in $absent; do
    if grep -q "^$crate v" <<<"$tree"; then echo "check-platforms: $target: Linux-only $crate is in the tree"; return 1; fi
  done
  echo "check-platforms: $target resolves ($(sort -u <<<"$tree" | wc -l) crates; has: $present)"
}

linux_only="webkit2gtk zbus-secret-service-keyring-store"
check x86_64-pc-windows-msvc "windows-native-keyring-store tauri-winrt-notification webview2-com" "$linux_only"
check aarch64-apple-darwin "apple-native-keyring-store mac-notification-sys objc2-web-kit" "$linux_only"
