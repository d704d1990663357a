#!/bin/sh
# Runs the portal's sign-in tests through real PAM under pam_wrapper + nss_wrapper with the demo
# accounts of scripts/demo (pam_matrix checks scripts/demo/passdb).
#   swift build --build-tests && scripts/test-portal-pam.sh
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
PIM_PORTAL_PAM_TESTS=1 exec scripts/demo/demo-env.sh swift test --skip-build --filter PortalSignInPAMTests "$@"
