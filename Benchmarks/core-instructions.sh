#!/usr/bin/env bash
# Instructions per Activate use case and per My roles read (built-in roles + My roles), counted
# by callgrind on `pim dev bench-core` (no HTTP), so the figure does not depend on the load of a
# shared host. Two runs with different N; Ir per operation = (Ir(N2) - Ir(N1)) / (N2 - N1).
# Usage: Benchmarks/core-instructions.sh [PIM_BINARY]   (default: a release build of this tree)
set -euo pipefail
cd "$(dirname "$0")/.."
pim=${1:-}
if [ -z "$pim" ]; then swift build -c release --product pim >&2; pim=$(swift build -c release --show-bin-path)/pim; fi
work=$(mktemp -d "${TMPDIR:-/tmp}/pim-core-ir.XXXXXX")
trap 'rm -rf "$work"' EXIT
# Valgrind (3.19) cannot read the toolchain's DWARF 5 debug information: count a stripped copy.
strip -g -o "$work/pim" "$pim"
source Benchmarks/valgrind-shim.sh
shim=$(valgrind_sigsuspend_shim "$work")
"$work/pim" dev bench-seed --database "$work/seed.sqlite" --viewer-roles 25 --pool-roles 150 > /dev/null
count() {  # activations my-roles -> total Ir
    rm -f "$work"/run.sqlite*; cp "$work/seed.sqlite" "$work/run.sqlite"
    LD_PRELOAD="$shim" valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" \
        "$work/pim" dev bench-core --database "$work/run.sqlite" --activations "$1" --my-roles "$2" > /dev/null 2> "$work/cg.err"
    sed -n 's/^summary: //p; s/^totals: //p' "$work/cg.out" | head -1
}
# Few enough activations that the log stays under the checkpointer's RESTART threshold (4,000
# pages): a restart falling inside one run and not the other moved the figure by 90K.
a1=$(count 10 0); a2=$(count 60 0); m1=$(count 0 20); m2=$(count 0 220)
echo "activate (1 role, no MFA/approval, 3 mails): $(( (a2 - a1) / 50 )) Ir"
echo "My roles reads (builtInRoles + myRoles, 25 eligible roles): $(( (m2 - m1) / 200 )) Ir"
