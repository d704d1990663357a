# Shared parts of Benchmarks/http.sh and Benchmarks/portal.sh (sourced, bash): building PIM and
# the Hummingbird peer of ../shared/bench (see its README), starting servers, running wrk,
# reading RSS and printing result rows.
#
# Environment: BENCH_DIR (default ../shared/bench, else /work/shared/bench), PEER_SCRATCH
# (default /tmp/pim-bench-peer, reused between runs; SwiftPM's lock makes concurrent users wait),
# DURATION (default 10s), WARMUP (default 3s), THREADS (default 2).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
bench=${BENCH_DIR:-$root/../shared/bench}
[ -d "$bench" ] || bench=/work/shared/bench
peer_src=$bench/peer-hummingbird
peer_scratch=${PEER_SCRATCH:-/tmp/pim-bench-peer}
duration=${DURATION:-10s}
warmup=${WARMUP:-3s}
threads=${THREADS:-2}
work=$(mktemp -d "${TMPDIR:-/tmp}/pim-bench.XXXXXX")
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    # A server that does not finish its graceful shutdown in 15 s is killed (a hung server must
    # not hang the benchmark).
    for _ in $(seq 1 150); do
        local alive=0
        for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
        [ "$alive" -eq 0 ] && break
        sleep 0.1
    done
    for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    [ -n "${KEEP_WORK:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

# Sets $pim (release binary, built like README's and scripts/run.sh's: Swift's runtime and
# Foundation linked in statically) and $peer.
build_both() {
    echo "building PIM (release)..." >&2
    swift build -c release --static-swift-stdlib --product pim >&2
    pim=$(swift build -c release --static-swift-stdlib --show-bin-path)/pim
    echo "building the peer (release, scratch $peer_scratch)..." >&2
    swift build -c release --package-path "$peer_src" --scratch-path "$peer_scratch" >&2
    peer=$peer_scratch/release/peer
}

# Seeds the peer's database once ($work/peer.sqlite); sets PEER_SID, PEER_CSRF, PEER_ROLE_IDS.
seed_peer() {
    "$peer" seed --db "$work/peer.sqlite" > "$work/peer-seed.txt"
    PEER_SID=$(sed -n 's/^BENCH_SID=//p' "$work/peer-seed.txt")
    PEER_CSRF=$(sed -n 's/^BENCH_CSRF=//p' "$work/peer-seed.txt")
    PEER_ROLE_IDS=$(sed -n 's/^BENCH_ROLE_IDS=//p' "$work/peer-seed.txt")
    export PEER_SID PEER_CSRF PEER_ROLE_IDS
}

# start_peer PORT VAR [serve flags...]: the peer on the seeded database; its pid goes into VAR
# (not printed: a $(...) subshell would lose it from $pids and leave the peer running).
start_peer() {
    local port=$1 var=$2
    shift 2
    "$peer" serve --port "$port" --db "$work/peer.sqlite" \
        --public-dir "$peer_src/Public" --templates "$peer_src/Templates" "$@" > "$work/peer-$port.log" 2>&1 &
    pids+=($!)
    printf -v "$var" '%s' $!
}

wait_up() {
    for _ in $(seq 1 300); do
        curl -sf -o /dev/null "http://127.0.0.1:$1/healthz" && return 0
        sleep 0.1
    done
    echo "server on port $1 did not come up" >&2
    exit 1
}

# measure CONNECTIONS URL [wrk args...]: a warm-up, then the measured run. Prints
# "req/s p50_us p99_us requests non2xx3xx errors" (errors: connect/read/write/timeout).
# Scripts see PIM_PAIR_OFFSET=0 in the warm-up and $RUN_PAIR_OFFSET (default 0) in the run;
# the command $MEASURE_HOOK (if set) runs between the two.
measure() {
    local connections=$1 url=$2
    shift 2
    PIM_PAIR_OFFSET=0 wrk -t"$threads" -c"$connections" -d"$warmup" "$@" "$url" > /dev/null
    ${MEASURE_HOOK:-}
    PIM_PAIR_OFFSET=${RUN_PAIR_OFFSET:-0} wrk -t"$threads" -c"$connections" -d"$duration" --latency "$@" "$url" | tee -a "$work/wrk.log" | awk '
        function us(v) {
            if (v ~ /us$/) return v + 0
            if (v ~ /ms$/) return (v + 0) * 1000
            if (v ~ /s$/) return (v + 0) * 1000000
            return v + 0
        }
        /Requests\/sec/ { rps = $2 }
        / requests in / { total = $1 }
        /Non-2xx or 3xx/ { bad = $NF }
        /Socket errors/ { gsub(/,/, ""); errors = $4 + $6 + $8 + $10 }
        $1 == "50%" { p50 = us($2) }
        $1 == "99%" { p99 = us($2) }
        END { printf "%.0f %.0f %.0f %d %d %d\n", rps, p50, p99, total, bad, errors }'
}

# reset_peak PID: starts VmHWM afresh at the current resident set (writing 5 to clear_refs,
# proc(5)), so that a later `rss` reports the peak of what ran in between.
reset_peak() { echo 5 > "/proc/$1/clear_refs"; }

# rss PID: "peak current" resident set in MB (VmHWM, VmRSS of /proc/PID/status).
rss() { awk '/VmHWM/ { h = $2 } /VmRSS/ { r = $2 } END { printf "%.1f %.1f", h / 1024, r / 1024 }' "/proc/$1/status"; }

load_average() { cut -d' ' -f1-3 /proc/loadavg; }

table_header() {
    printf '\n%-26s %10s %9s %9s %8s %8s %s\n' "endpoint / server" "req/s" "p50 ms" "p99 ms" "HWM MB" "RSS MB" "notes"
}

# table_row LABEL "measure output" "rss output" [note]
table_row() {
    local rps p50 p99 total bad errors hwm cur
    read -r rps p50 p99 total bad errors <<< "$2"
    read -r hwm cur <<< "$3"
    local note=${4:-}
    [ "$bad" -gt 0 ] && note="$note non-2xx/3xx=$bad/$total"
    [ "$errors" -gt 0 ] && note="$note socket-errors=$errors"
    awk -v l="$1" -v r="$rps" -v a="$p50" -v b="$p99" -v h="$hwm" -v c="$cur" -v n="$note" \
        'BEGIN { printf "%-26s %10s %9.2f %9.2f %8s %8s %s\n", l, r, a / 1000, b / 1000, h, c, n }'
}

# ratio LABEL PIM_RPS PEER_RPS TARGET: "PIM/peer = 2.10x (target >= 3x: met)".
ratio() {
    awk -v l="$1" -v m="$2" -v p="$3" -v t="$4" \
        'BEGIN { r = (p > 0 ? m / p : 0); printf "%-40s %6.2fx  (target >= %sx: %s)\n", l, r, t, (r >= t ? "met" : "MISSED") }'
}

# check LABEL VALUE LIMIT UNIT: "VALUE UNIT (target <= LIMIT: met|MISSED)".
check_max() {
    awk -v l="$1" -v v="$2" -v t="$3" -v u="$4" \
        'BEGIN { printf "%-40s %6.1f %s (target <= %s %s: %s)\n", l, v, u, t, u, (v <= t ? "met" : "MISSED") }'
}
