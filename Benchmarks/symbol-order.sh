#!/usr/bin/env bash
# Regenerates Benchmarks/pim.order, the list of functions a running `pim serve` executes (start-up,
# sign-in, My roles, Activate), which the release link places side by side (Package.swift,
# PIMWeb's linker settings). The kernel maps a binary's code in 64 KB runs around each page
# touched, so the ~2 MB of functions it executes, scattered over 20 MB of .text, kept 16 MB resident;
# packed, 9 MB (dependencies built without -function-sections move only as whole files).
# Functions missing from the list still link, just outside the packed run, so a stale list
# costs memory, not correctness: rerun this after larger changes. SwiftPM does not relink for
# a changed list alone; delete .build/release/pim first.
#
# Runs the release binary (debug info stripped, for valgrind) under callgrind with pam_wrapper +
# nss_wrapper, drives a small workload, and keeps the names of the executed functions. Needs
# valgrind.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$(mktemp -d "${TMPDIR:-/tmp}/pim-order.XXXXXX")
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
pid=
swift build -c release --static-swift-stdlib --product pim >&2
strip --strip-debug -o "$work/pim" "$(swift build -c release --static-swift-stdlib --show-bin-path)/pim"
source Benchmarks/valgrind-shim.sh
shim=$(valgrind_sigsuspend_shim "$work")

activators=bench01
printf 'benchviewer:x:2000:2000:Bench Viewer,,,:/home/benchviewer:/bin/sh\nbench01:x:2001:2000:Bench 01,,,:/home/bench01:/bin/sh\n' > "$work/passwd"
printf 'benchviewer:benchviewer-pass:pim\nbench01:bench01-pass:pim\n' > "$work/passdb"
printf 'pimusers:x:2000:\nbenchers:x:2001:%s\n' "$activators" > "$work/group"
"$work/pim" dev bench-seed --database "$work/pim.sqlite" --viewer benchviewer --viewer-roles 25 \
    --group benchers --activators "$activators" --pool-roles 10 > "$work/seed.txt"
port=18189
# demo-env.sh puts the wrappers in front of the LD_PRELOAD it is given.
LD_PRELOAD="$shim" PIM_DEMO_SERVICE_DIR=$work/pam.d "$root/scripts/demo/demo-env.sh" env \
    NSS_WRAPPER_PASSWD="$work/passwd" NSS_WRAPPER_GROUP="$work/group" PAM_MATRIX_PASSWD="$work/passdb" \
    valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" --compress-strings=no \
    --compress-pos=no --demangle=no "$work/pim" serve --listen "127.0.0.1:$port" \
    --database "$work/pim.sqlite" --time-zone Europe/Berlin > "$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do curl -sf -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.2; done
# What start-up ran goes to callgrind.out.1 (counters start over): the server drops the pages of
# start-up code once it listens (StartupPages), so those functions go after the ones it serves with.
sleep 2
callgrind_control --dump "$pid" > /dev/null

python3 - "http://127.0.0.1:$port" "$(sed -n 's/^BENCH_POOL_ROLE_IDS=//p' "$work/seed.txt")" <<'PY'
import http.cookiejar, re, sys, urllib.parse, urllib.request
base, roles = sys.argv[1], sys.argv[2].split(",")[:6]
def session(user):
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    page = opener.open(base + "/signin").read().decode()
    token = re.search(r'name="login_csrf" value="([^"]*)"', page).group(1)
    form = {"login_csrf": token, "next": "/my-roles", "username": user, "password": user + "-pass"}
    assert opener.open(base + "/signin", urllib.parse.urlencode(form).encode()).url.endswith("/my-roles")
    return opener
viewer = session("benchviewer")
for _ in range(3):
    viewer.open(base + "/my-roles").read()
activator = session("bench01")
csrf = re.search(r'name="csrf" value="([^"]*)"', activator.open(base + "/my-requests").read().decode()).group(1)
for role in roles:
    form = {"role": role, "duration": "60", "justification": "Incident INC-1: on-call access & <checks>", "csrf": csrf}
    assert "tab=active" in activator.open(base + "/my-roles/activate", urllib.parse.urlencode(form).encode()).url
PY
kill "$pid"
wait "$pid" || true
pid=
# Every function callgrind saw (fn= callers, cfn= callees): first those of serving (sign-in, pages,
# background threads), then those only start-up ran; each group sorted for stable diffs.
functions() { sed -n 's/^c\{0,1\}fn=\(([0-9]*) \)\{0,1\}//p' "$1" | grep '^\$s\|^_\|^[a-zA-Z]' | sort -u; }
functions "$work/callgrind.out" > "$work/serving.txt"
functions "$work/callgrind.out.1" | comm -23 - "$work/serving.txt" > "$work/startup.txt"
cat "$work/serving.txt" "$work/startup.txt" > Benchmarks/pim.order
echo "serving: $(wc -l < "$work/serving.txt") functions; start-up only: $(wc -l < "$work/startup.txt")" >&2
echo "Benchmarks/pim.order: $(wc -l < Benchmarks/pim.order) functions" >&2
