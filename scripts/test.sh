#!/usr/bin/env bash
# The one test command: installs what the tests need, builds, and runs every test suite.
set -euo pipefail
cd "$(dirname "$0")/.."

PIM_SETUP_TEST=1 scripts/setup.sh

echo "== build (debug, with tests)"
swift build --build-tests

echo "== Swift tests"
swift test --skip-build
