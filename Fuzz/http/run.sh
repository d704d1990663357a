#!/usr/bin/env bash
# Builds the libFuzzer harness for the HTTP request parser and runs it.
# Usage: Fuzz/http/run.sh [seconds]   (default 600). Not part of CI.
# Corpus and crash files go to Fuzz/corpus-http and Fuzz/crash-* (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-600}"
work="${FUZZ_WORK:-$(mktemp -d)}"
mkdir -p "$work/httptypes" Fuzz/corpus-http

# swift-http-types from the local mirror, at the version Package.swift uses, as a static module.
git -C /opt/swift-packages/apple/swift-http-types.git archive 1.8.0 Sources/HTTPTypes | tar -x -C "$work/httptypes"
macros=()
for version in 1.0 1.1 1.2 1.3 1.6 1.7; do
    macros+=(-enable-experimental-feature "AvailabilityMacro=HTTPTypes $version: macOS 10.0")
done
(cd "$work" && swiftc -O -parse-as-library -module-name HTTPTypes -emit-module -emit-library -static \
    "${macros[@]}" $(ls httptypes/Sources/HTTPTypes/*.swift | grep -v 'URL.swift') -o libHTTPTypes.a)

swiftc -O -g -parse-as-library -sanitize=fuzzer,address -module-name PIMWebFuzz \
    -I "$work" -L "$work" -lHTTPTypes \
    Sources/PIMWeb/HTTP/Configuration.swift Sources/PIMWeb/HTTP/Parser/*.swift Fuzz/http/FuzzHarness.swift \
    -o "$work/fuzz-http"

"$work/fuzz-http" -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 \
    -artifact_prefix=Fuzz/crash- Fuzz/corpus-http Fuzz/http/seeds
