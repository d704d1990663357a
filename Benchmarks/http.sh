#!/usr/bin/env bash
# HTTP benchmark of PIM against the Hummingbird peer of ../shared/bench (see its README).
#
# Builds PIM in release, builds the peer in a scratch folder outside the read-only bench folder,
# starts both on loopback, gives PIM a copy of the peer's 21 KB app.css, and runs
# `wrk -t2 -c64 -d10s --latency` after a 3 s warm-up against /healthz and /static/app.css,
# one server at a time. Prints req/s, p50, p99 and peak server RSS, with PIM/peer ratios.
# Targets (issue 2): /healthz >= 1.5x peer, static >= 5x peer, PIM RSS <= 25 MB.
#
# Environment: BENCH_DIR (default ../shared/bench, else /work/shared/bench), PEER_SCRATCH
# (default /tmp/pim-bench-peer, reused between runs), DURATION (default 10s),
# PIM_EVENT_LOOPS (default: pim's default), PIM_LOG_LEVEL (default info: access log on).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bench=${BENCH_DIR:-$root/../shared/bench}
[ -d "$bench" ] || bench=/work/shared/bench
peer_src=$bench/peer-hummingbird
peer_scratch=${PEER_SCRATCH:-/tmp/pim-bench-peer}
duration=${DURATION:-10s}
pim_port=18181
peer_port=18180
work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

echo "building PIM (release)..." >&2
swift build -c release --product pim >&2
pim=$(swift build -c release --show-bin-path)/pim
echo "building the peer (release, scratch $peer_scratch)..." >&2
swift build -c release --package-path "$peer_src" --scratch-path "$peer_scratch" >&2
peer=$peer_scratch/release/peer

"$peer" seed --db "$work/peer.sqlite" > "$work/seed.txt"
"$peer" serve --port "$peer_port" --db "$work/peer.sqlite" \
    --public-dir "$peer_src/Public" --templates "$peer_src/Templates" > "$work/peer.log" 2>&1 &
pids+=($!)
peer_pid=$!

mkdir -p "$work/public"
cp "$peer_src/Public/app.css" "$work/public/app.css"
config=$work/pim.conf
: > "$config"
[ -n "${PIM_EVENT_LOOPS:-}" ] && echo "event_loops = $PIM_EVENT_LOOPS" >> "$config"
"$pim" serve --listen "127.0.0.1:$pim_port" --database "$work/pim.sqlite" --public "$work/public" \
    --config "$config" --log-level "${PIM_LOG_LEVEL:-info}" > /dev/null 2> "$work/pim.err" &
pids+=($!)
pim_pid=$!

wait_up() {
    for _ in $(seq 1 100); do
        curl -sf -o /dev/null "http://127.0.0.1:$1/healthz" && return 0
        sleep 0.1
    done
    echo "server on port $1 did not come up" >&2
    exit 1
}
wait_up "$peer_port"
wait_up "$pim_port"
cmp -s <(curl -s "http://127.0.0.1:$pim_port/static/app.css") <(curl -s "http://127.0.0.1:$peer_port/static/app.css") \
    || { echo "the two servers do not serve the same app.css" >&2; exit 1; }

# Runs wrk and prints "req/s p50 p99" with latencies in microseconds.
measure() {
    wrk -t2 -c64 -d3s "$1" > /dev/null
    wrk -t2 -c64 -d"$duration" --latency "$1" | awk '
        function us(v) {
            if (v ~ /us$/) return v + 0
            if (v ~ /ms$/) return (v + 0) * 1000
            if (v ~ /s$/) return (v + 0) * 1000000
            return v + 0
        }
        /Requests\/sec/ { rps = $2 }
        $1 == "50%" { p50 = us($2) }
        $1 == "99%" { p99 = us($2) }
        END { printf "%.0f %.0f %.0f\n", rps, p50, p99 }'
}
rss_mb() { awk '/VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

declare -A result
for path in /healthz /static/app.css; do
    result[peer,$path]=$(measure "http://127.0.0.1:$peer_port$path")
    result[pim,$path]=$(measure "http://127.0.0.1:$pim_port$path")
done
peer_rss=$(rss_mb "$peer_pid")
pim_rss=$(rss_mb "$pim_pid")

printf '\n%-16s %-6s %10s %9s %9s %9s\n' endpoint server "req/s" "p50 us" "p99 us" "RSS MB"
for path in /healthz /static/app.css; do
    read -r prps pp50 pp99 <<< "${result[peer,$path]}"
    read -r mrps mp50 mp99 <<< "${result[pim,$path]}"
    printf '%-16s %-6s %10s %9s %9s %9s\n' "$path" peer "$prps" "$pp50" "$pp99" "$peer_rss"
    printf '%-16s %-6s %10s %9s %9s %9s\n' "$path" pim "$mrps" "$mp50" "$mp99" "$pim_rss"
    awk -v m="$mrps" -v p="$prps" -v path="$path" -v target="$([ "$path" = /healthz ] && echo 1.5 || echo 5)" \
        'BEGIN { r = m / p; printf "%-16s ratio  %9.2fx  (target >= %sx: %s)\n", path, r, target, (r >= target ? "met" : "MISSED") }'
done
awk -v r="$pim_rss" 'BEGIN { printf "PIM peak RSS %.1f MB (target <= 25 MB: %s)\n", r, (r <= 25 ? "met" : "MISSED") }'
