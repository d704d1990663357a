#!/usr/bin/env bash
# HTTP benchmark of PIM against the Hummingbird peer of ../shared/bench (see its README).
#
# Builds PIM in release, builds the peer in a scratch folder outside the read-only bench folder,
# starts both on loopback, gives PIM a copy of the peer's 21 KB app.css, and runs
# `wrk -t2 -c64 -d10s --latency` after a 3 s warm-up against /healthz and /static/app.css,
# one server at a time. Prints req/s, p50, p99 and server RSS, with PIM/peer ratios.
# Targets (issue 2): /healthz >= 1.5x peer, static >= 5x peer, PIM RSS <= 25 MB.
#
# Environment: see Benchmarks/lib.sh, plus PIM_EVENT_LOOPS (default: pim's default) and
# PIM_LOG_LEVEL (default info: access log on, written to /dev/null).
source "$(dirname "$0")/lib.sh"
pim_port=18181
peer_port=18180

build_both
seed_peer
start_peer "$peer_port" peer_pid

mkdir -p "$work/public"
cp "$peer_src/Public/app.css" "$work/public/app.css"
config=$work/pim.json
if [ -n "${PIM_EVENT_LOOPS:-}" ]; then
    echo "{\"http\": {\"eventLoops\": $PIM_EVENT_LOOPS}}" > "$config"
else
    echo "{}" > "$config"
fi
"$pim" serve --listen "127.0.0.1:$pim_port" --database "$work/pim.sqlite" --public "$work/public" \
    --config "$config" --log-level "${PIM_LOG_LEVEL:-info}" > /dev/null 2> "$work/pim.err" &
pids+=($!)
pim_pid=$!

wait_up "$peer_port"
wait_up "$pim_port"
cmp -s <(curl -s "http://127.0.0.1:$pim_port/static/app.css") <(curl -s "http://127.0.0.1:$peer_port/static/app.css") \
    || { echo "the two servers do not serve the same app.css" >&2; exit 1; }

declare -A result
load_before=$(load_average)
for path in /healthz /static/app.css; do
    result[peer,$path]=$(measure 64 "http://127.0.0.1:$peer_port$path")
    result[pim,$path]=$(measure 64 "http://127.0.0.1:$pim_port$path")
done
peer_rss=$(rss "$peer_pid")
pim_rss=$(rss "$pim_pid")

table_header
for path in /healthz /static/app.css; do
    table_row "$path peer" "${result[peer,$path]}" "$peer_rss"
    table_row "$path pim" "${result[pim,$path]}" "$pim_rss"
done
echo
ratio "/healthz PIM/peer" "$(cut -d' ' -f1 <<< "${result[pim,/healthz]}")" "$(cut -d' ' -f1 <<< "${result[peer,/healthz]}")" 1.5
ratio "/static/app.css PIM/peer" "$(cut -d' ' -f1 <<< "${result[pim,/static/app.css]}")" \
    "$(cut -d' ' -f1 <<< "${result[peer,/static/app.css]}")" 5
check_max "PIM peak RSS (VmHWM)" "${pim_rss% *}" 25 MB
echo "load average before: $load_before; after: $(load_average) ($(nproc) cores)"
