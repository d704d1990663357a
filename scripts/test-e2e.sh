#!/usr/bin/env bash
# End-to-end tests: the real `pim` binary under pam_wrapper + nss_wrapper (test users admin,
# alice, bob, carol, dave; groups secops, dba), driven by headless Chromium through selenium,
# then every page received checked by the Nu validator.
# Needs (scripts/setup.sh with PIM_SETUP_TEST=1): chromium, chromium-driver, default-jre-headless,
# libpam-wrapper, libnss-wrapper, libfaketime, and scripts/requirements-test.txt.
# Extra pytest arguments are passed through (e.g. `scripts/test-e2e.sh -k seed -x`).
# Screenshots, page HTML and server logs of a run land in artifacts/e2e/.
set -euo pipefail
cd "$(dirname "$0")/.."

for need in /usr/bin/chromium /usr/bin/chromedriver /usr/lib/x86_64-linux-gnu/libpam_wrapper.so \
            /usr/lib/x86_64-linux-gnu/libnss_wrapper.so; do
    [ -e "$need" ] || { echo "test-e2e.sh: $need missing (run PIM_SETUP_TEST=1 scripts/setup.sh)" >&2; exit 1; }
done
[ -e /usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1 ] ||
    echo "test-e2e.sh: WARNING libfaketime missing (apt-get install libfaketime): the clock tests will be skipped" >&2
command -v java >/dev/null || { echo "test-e2e.sh: java missing (default-jre-headless)" >&2; exit 1; }

if [ -z "${PIM_BIN:-}" ]; then
    echo "== build (debug) for the end-to-end tests"
    swift build --product pim
    export PIM_BIN="$PWD/.build/debug/pim"
fi

echo "== end-to-end tests (headless Chromium) and markup validation"
start=$(date +%s)
status=0
python3 -m pytest tests/e2e -c tests/e2e/pytest.ini --rootdir tests/e2e "$@" || status=$?
echo "== end-to-end: $(( $(date +%s) - start )) s, artifacts in artifacts/e2e/"
exit "$status"
