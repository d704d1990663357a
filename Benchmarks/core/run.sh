#!/bin/sh
# Seeds a database at scale and times the page queries on it (p50 / p95 / max, ms).
# Usage: Benchmarks/core/run.sh [users roles assignments audit]
# Defaults are the target scale of issue 4: 100000 users, 1000 roles, 200000 assignments,
# 1000000 audit events. Builds `pim` in release mode first.
set -eu
cd "$(dirname "$0")/../.."
USERS=${1:-100000}
ROLES=${2:-1000}
ASSIGNMENTS=${3:-200000}
AUDIT=${4:-1000000}
DB=${PIM_BENCH_DB:-.build/bench/pim-bench.sqlite}
swift build -c release --static-swift-stdlib --product pim
PIM="$(swift build -c release --static-swift-stdlib --show-bin-path)/pim"
if [ ! -f "$DB" ]; then
    mkdir -p "$(dirname "$DB")"
    time "$PIM" dev seed --database "$DB" --users "$USERS" --roles "$ROLES" --assignments "$ASSIGNMENTS" --audit "$AUDIT"
fi
ls -l "$DB"
"$PIM" dev bench --database "$DB" --users "$USERS" --iterations "${ITERATIONS:-200}"
time "$PIM" audit verify --database "$DB"
