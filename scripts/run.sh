#!/usr/bin/env bash
# The one run command: installs what PIM needs, builds it, and starts it on
# http://127.0.0.1:8080 with the embedded SQLite database in ./data.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh

echo "== build (release)"
swift build -c release
BIN="$(swift build -c release --show-bin-path)/pim"

mkdir -p data
exec "$BIN" serve --listen 127.0.0.1:8080 --database data/pim.sqlite --public Public
