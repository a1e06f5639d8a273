#!/usr/bin/env bash
# Packaging, as a new machine would get it: bundles the .deb with the Tauri bundler (from the debug
# build the tests just used; `make package` bundles a release build the same way), checks what it
# holds (program, desktop entry, icon, autostart entry), installs it with dpkg, starts the installed
# program with --startup-probe on a fresh data directory, and removes it again.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${INCIDENT_DESK_OUTPUT:-tests/output}
mkdir -p "$out"
sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo

cargo tauri bundle --ci --debug --bundles deb >"$out/package-bundle.log" 2>&1 || { cat "$out/package-bundle.log" >&2; exit 1; }
deb=$(ls -t target/debug/bundle/deb/*.deb | head -n1)
echo "package: built $deb ($(du -h "$deb" | cut -f1))"

contents=$(dpkg-deb --contents "$deb")
for wanted in usr/bin/incident-desk usr/share/applications/ usr/share/icons/hicolor/ etc/xdg/autostart/incident-desk.desktop; do
  grep -qE -- " \.?/?$wanted" <<<"$contents" || { echo "package: $wanted is missing from the .deb" >&2; echo "$contents" >&2; exit 1; }
done
depends=$(dpkg-deb --field "$deb" Depends)
grep -q libwebkit2gtk-4.1 <<<"$depends" || { echo "package: Depends lacks WebKitGTK: $depends" >&2; exit 1; }

cleanup() { $sudo dpkg --purge incident-desk >/dev/null 2>&1 || true; }
trap cleanup EXIT
$sudo dpkg -i "$deb" >"$out/package-install.log" 2>&1 || { cat "$out/package-install.log" >&2; exit 1; }
desktop=$(grep -l '^Exec=incident-desk' /usr/share/applications/*.desktop | head -n1)
[ -n "$desktop" ] || { echo "package: no desktop entry runs incident-desk" >&2; exit 1; }
grep -q '^Icon=' "$desktop" || { echo "package: $desktop names no icon" >&2; exit 1; }
grep -q -- '--background' /etc/xdg/autostart/incident-desk.desktop

/usr/bin/incident-desk --version
data=$(mktemp -d)
probe=$(timeout 120 /usr/bin/incident-desk --startup-probe --data-dir "$data" 2>"$out/package-probe.log" | grep '^first_paint_ms=' || true)
rm -rf "$data"
[ -n "$probe" ] || { echo "package: the installed program printed no first_paint_ms" >&2; tail -20 "$out/package-probe.log" >&2; exit 1; }
echo "package: installed from $(basename "$deb"); desktop entry $desktop; the installed program painted its first screen ($probe)"
