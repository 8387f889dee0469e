#!/bin/sh
# soak-serve.sh [MINUTES] - `make soak`: ipctrace serve, watching every
# process, for MINUTES (default 30) while 1,000 short-lived processes a
# minute do pipe IPC (ipc_pattern, 3 threads each). Every minute it prints
# serve's RSS, the entries of its per-thread maps, and how long a scrape
# of /metrics takes. Flat columns are the pass; it asserts nothing (speed
# and sizes depend on the machine), it reports. Root; not part of CI.
set -eu
cd "$(dirname "$0")/.."
minutes=${1:-${SOAK_MINUTES:-30}}
bin=./ipctrace
pattern=build/tests/ipc_pattern
log=$(mktemp)
"$bin" serve --listen 127.0.0.1:0 >"$log" 2>&1 &
serve=$!
trap 'kill $serve 2>/dev/null; wait $serve 2>/dev/null; rm -f "$log"' EXIT
while ! port=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/metrics.*|\1|p' "$log") || [ -z "$port" ]; do
	kill -0 $serve 2>/dev/null || { cat "$log" >&2; exit 1; }
	sleep 0.2
done
url=http://127.0.0.1:$port/metrics

# the ids of serve's maps, from its fdinfo (bpftool shows no owner here)
map_ids=$(cat /proc/$serve/fdinfo/* 2>/dev/null | sed -n 's/^map_id:[ \t]*//p' | sort -un)

# entries of serve's map NAME
entries() {
	for id in $map_ids; do
		if [ "$(bpftool -j map show id "$id" | jq -r .name)" = "$1" ]; then
			bpftool -j map dump id "$id" | jq length
			return
		fi
	done
	echo "?"
}

metric() { curl -s "$url" | sed -n "s/^$1 //p" | head -n 1; }

printf '%4s %8s %8s %8s %6s %6s %6s %6s %10s %10s %9s\n' min procs rss_kB threads tasks hists \
	sleeps wakes scrape_ms snap_ms reclaimed
started=0
end=$(( $(date +%s) + minutes * 60 ))
next=$(date +%s)
m=0
while [ "$(date +%s)" -lt "$end" ]; do
	# about 1,000 a minute (the spawn itself takes some ms), each 20
	# writes that block on a pipe
	"$pattern" pipe 20 69632 --quiet >/dev/null 2>&1 &
	started=$((started + 1))
	sleep 0.045
	if [ "$(date +%s)" -ge "$next" ]; then
		rss=$(sed -n 's/^VmRSS:[ \t]*\([0-9]*\) kB/\1/p' /proc/$serve/status)
		scrape=$(curl -s -o /dev/null -w '%{time_total}' "$url" | awk '{ printf "%.1f", $1 * 1000 }')
		snap=$(metric ipctrace_snapshot_seconds | awk '{ printf "%.1f", $1 * 1000 }')
		printf '%4d %8d %8s %8s %6s %6s %6s %6s %10s %10s %9s\n' $m $started "$rss" \
			"$(entries threads)" "$(entries tasks)" "$(entries hists)" \
			"$(entries sleeps)" "$(entries wakes)" "$scrape" "$snap" \
			"$(metric ipctrace_threads_reclaimed_total)"
		m=$((m + 1))
		next=$((next + 60))
	fi
done
wait_for_children=$(jobs -p | grep -v "^$serve$" || true)
[ -z "$wait_for_children" ] || wait $wait_for_children 2>/dev/null || true
echo "lost events: $(curl -s "$url" | awk '/^ipctrace_lost_events_total/ { s += $2 } END { print s + 0 }')"
echo "series dropped: $(metric ipctrace_series_dropped_total)"
kill -TERM $serve
wait $serve && echo "serve: SIGTERM, exit 0"
trap 'rm -f "$log"' EXIT
