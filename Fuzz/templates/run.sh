#!/usr/bin/env bash
# Fuzzes the PIMTemplates parser/linker/renderer with libFuzzer (not part of CI).
#   Fuzz/templates/run.sh [seconds=600] [extra libFuzzer flags…]
# Corpus: Fuzz/corpus-templates/ (seeded from the benchmark templates), crashes: Fuzz/crash-templates-*.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-600}"; shift || true
mkdir -p Fuzz/corpus-templates
cp -n Benchmarks/templates/Sources/RolesFixture/Templates/*.html Fuzz/corpus-templates/ 2>/dev/null || true
printf '{%% extends "layout" %%}{%% block c %%}<a href="{{ u }}">{{ x | default("-") }}</a>{%% end %%}\0<p>{%% block c %%}{%% end %%}</p>' > Fuzz/corpus-templates/seed-extends
printf '{%% for r in user.roles %%}<li title="{{ r.name }}">{{ loop.index }}{%% include "p" %%}</li>{%% empty %%}-{%% end %%}\0\0{{ d | date("yyyy-MM-dd HH:mm xxx", tz) }} {{ d | relative }} {{ xs | join(", ") }}' > Fuzz/corpus-templates/seed-loop
swiftc -O -sanitize=fuzzer,address -parse-as-library -swift-version 6 \
    -enable-upcoming-feature ExistentialAny -enable-upcoming-feature InternalImportsByDefault \
    -module-name PIMTemplatesFuzz \
    $(find Sources/PIMTemplates -name '*.swift' | sort) Fuzz/templates/FuzzParser.swift \
    -o Fuzz/templates-fuzzer.bin
exec Fuzz/templates-fuzzer.bin Fuzz/corpus-templates -max_total_time="$seconds" -max_len=4096 \
    -artifact_prefix=Fuzz/crash-templates- -print_final_stats=1 "$@"
