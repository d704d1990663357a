#!/usr/bin/env bash
# The one test command: installs what the tests need, builds, and runs every test suite.
set -euo pipefail
cd "$(dirname "$0")/.."

PIM_SETUP_TEST=1 scripts/setup.sh

echo "== build (debug, with tests)"
swift build --build-tests

# Suites that measure time or run the `pim` binary as a child process go in a serial pass of
# their own: in the parallel pass hundreds of tests share the 2-core cooperative pool, and a
# "did not wait" assertion would only measure how busy the machine is.
timing='\.(ConcurrencyTests|ServerConcurrencyTests|DeliveryWorkerTests|WorkerCrashTests|UseCaseMailTests|PAMThreadPoolTests|ServeCommandTests|ServeMailTests|CommandLineTests|CrashTests|CheckpointTests|MallocTuningTests|StartupPagesTests)/'

echo "== Swift tests (parallel)"
swift test --skip-build --skip PIMAuthTests --skip "$timing"

echo "== Swift tests that measure time or run pim as a process (serial)"
swift test --skip-build --no-parallel --skip PIMAuthTests --filter "$timing"

# PAM and NSS through the real libraries under pam_wrapper + nss_wrapper with test accounts.
echo "== PIMAuth tests under pam_wrapper + nss_wrapper"
scripts/test-auth-env.sh --skip-build --filter PIMAuthTests

echo "== Portal sign-in through real PAM with the demo accounts"
scripts/test-portal-pam.sh

echo "== End-to-end tests in headless Chromium, markup through the Nu validator"
export PIM_BIN="$(swift build --show-bin-path)/pim"
scripts/test-e2e.sh

echo "== The demo of the run command, in headless Chromium"
python3 -m pytest -q -p no:cacheprovider tests/demo
