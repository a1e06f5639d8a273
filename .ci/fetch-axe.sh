#!/usr/bin/env bash
# axe-core for the accessibility e2e (tests/e2e/tests/a11y.rs): `axe.min.js` (axe-core 4.12, MPL-2.0)
# as shipped inside the PyPI wheel of axe-playwright-python, fetched with pip, checked against a pinned
# SHA-256, kept at tests/e2e/vendor/axe.min.js (git-ignored). Does nothing when it is already there.
# Run by `.ci/deps.sh test` (so by `make test`); needs python3 with pip.
set -euo pipefail
cd "$(dirname "$0")/.."

package=axe-playwright-python
version=0.1.8
member=axe_playwright_python/axe.min.js
sha256=84494fec757e4710dc751c8d7a636e457f4532f08f85c86dc9070133fbff53bc
dest=tests/e2e/vendor/axe.min.js

axe_version() { head -c 64 "$1" | sed -n 's/^\/\*! axe v\([0-9][0-9.]*\).*/\1/p'; }

if [ -f "$dest" ] && echo "$sha256  $dest" | sha256sum --check --status; then
  echo "deps: axe-core $(axe_version "$dest") present ($dest)"
  exit 0
fi

if ! python3 -m pip --version >/dev/null 2>&1; then
  echo "deps: python3 with pip is needed to fetch axe-core (Debian: apt-get install python3-pip)" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "deps: fetching axe-core from PyPI ($package==$version, pip download --no-deps)"
python3 -m pip download --quiet --disable-pip-version-check --no-deps "$package==$version" -d "$work"
wheel=$(ls "$work"/*.whl)
python3 -c 'import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))' \
  "$wheel" "$member" >"$work/axe.min.js"
if ! echo "$sha256  $work/axe.min.js" | sha256sum --check --status; then
  echo "deps: $member from $package $version does not have the pinned SHA-256 $sha256: not used" >&2
  exit 1
fi
mkdir -p "$(dirname "$dest")"
mv "$work/axe.min.js" "$dest"
echo "deps: axe-core $(axe_version "$dest") installed at $dest (sha256 verified)"
