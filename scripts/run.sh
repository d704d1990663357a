#!/usr/bin/env bash
# The one run command: installs what PIM needs, builds it, and starts the demo on
# http://127.0.0.1:8080 with the embedded SQLite database in ./data.
#
# The demo signs people in through pam_wrapper + nss_wrapper with the accounts of scripts/demo
# (admin, alice, bob, carol; their passwords are printed below), seeds a few example roles,
# eligibilities, an activation and a pending request, and marks every page "Demo". PIM refuses
# demo mode on any address but loopback. For a real host, run `pim serve` without --demo behind
# nginx with /etc/pam.d/pim (scripts/pam.d/pim.example).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -eq 0 ]; then scripts/setup.sh; fi

echo "== build (release)"
# Swift's runtime and Foundation linked in statically, like README's install: the server maps
# one binary instead of a dozen shared libraries (less resident memory, see README).
swift build -c release --static-swift-stdlib
BIN="$(swift build -c release --static-swift-stdlib --show-bin-path)/pim"

mkdir -p data
exec scripts/demo/demo-env.sh "$BIN" serve --demo --listen "${PIM_LISTEN:-127.0.0.1:8080}" \
    --database data/pim.sqlite --public Public
