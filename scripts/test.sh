#!/usr/bin/env bash
# The one test command: installs what the tests need, builds, and runs every test suite.
set -euo pipefail
cd "$(dirname "$0")/.."

PIM_SETUP_TEST=1 scripts/setup.sh

echo "== build (debug, with tests)"
swift build --build-tests

# Every Swift suite, with PAM and NSS going through the real libraries under pam_wrapper +
# nss_wrapper and test accounts (the mail suites start their own aiosmtpd on loopback).
echo "== Swift tests"
scripts/test-auth-env.sh --skip-build

echo "== Portal sign-in through real PAM with the demo accounts"
scripts/test-portal-pam.sh

echo "== End-to-end tests in headless Chromium, markup through the Nu validator"
export PIM_BIN="$(swift build --show-bin-path)/pim"
scripts/test-e2e.sh

echo "== The demo of the run command, in headless Chromium"
python3 -m pytest -q -p no:cacheprovider tests/demo
