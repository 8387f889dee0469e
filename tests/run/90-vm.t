#!/bin/sh
# The VM tests: Debian's 6.1 kernel under QEMU, where fentry and kprobes
# work. The same integration tests run there in fentry and in kprobe mode,
# and `ipctrace probe` must pick fentry and resolve pipe_write. Each test's
# description names the kernel release and the mode.
cd "$(dirname "$0")/../.." || exit 1
. tests/run/tap-lib.sh
jobs=$(mktemp)
log=build/vm/console.log
cat >"$jobs" <<'JOBS'
/tests/test_counters
/tests/test_fastpath
IPCTRACE_EXPECT_MODE=fentry IPCTRACE_EXPECT_PIPE_WRITE=pipe_write /tests/test_cli
CK_TIMEOUT_MULTIPLIER=0.3 /tests/test_run --attach fentry
CK_TIMEOUT_MULTIPLIER=0.3 /tests/test_run --attach kprobe
CK_TIMEOUT_MULTIPLIER=0.3 IPC_PATTERN_BIN=/tests/ipc_pattern /tests/test_trace --attach fentry
CK_TIMEOUT_MULTIPLIER=0.3 IPC_PATTERN_BIN=/tests/ipc_pattern /tests/test_trace --attach kprobe
CK_TIMEOUT_MULTIPLIER=0.3 IPC_PATTERN_BIN=/tests/ipc_pattern /tests/test_trace_defaults --attach tracepoint
JOBS
if ! tests/vm/run-vm.sh "$jobs" "$log" >build/vm-qemu.out 2>&1; then
	tap_not_ok "vm" "QEMU did not finish: see build/vm-qemu.out and $log"
fi
release=$(sed -n 's/^@@VM kernel \([^ ]*\).*/\1/p' "$log" 2>/dev/null | tr -d '\r' | head -n 1)
echo "# VM console log: $log (kernel ${release:-unknown})"
# a stalled guest whose unfinished jobs ran again (tests/vm/run-vm.sh)
sed -n 's/^@@VM retry: /# VM retry: /p' "$log" 2>/dev/null
# split the console log into one file per job and merge each
section=$(mktemp)
awk -v out="$section" '
	{ sub(/\r$/, "") }
	/^@@VM begin / { n++; f = out "." n; job = substr($0, 12); print job > (out ".job." n); next }
	/^@@VM end rc=/ { rc = substr($0, 13); print rc > (out ".rc." n); f = ""; next }
	f != "" { print > f }
	END { print n + 0 > out }' "$log" 2>/dev/null
count=$(cat "$section" 2>/dev/null || echo 0)
i=1
while [ "$i" -le "${count:-0}" ]; do
	job=$(cat "$section.job.$i")
	rc=$(cat "$section.rc.$i" 2>/dev/null || echo "none (guest died)")
	# the program's name; the mode is in each test's name (Check's test case)
	mode=$(echo "$job" | sed -n 's|.*/tests/test_\([a-z_]*\).*|\1|p')
	sched=""
	case $rc in ''|*[!0-9]*) rc=99 ;; esac
	touch "$section.$i"
	tap_merge "vm $release $mode$sched" "$section.$i" "$rc"
	i=$((i + 1))
done
expected=$(grep -c . "$jobs")
if [ "${count:-0}" -lt "$expected" ]; then
	tap_not_ok "vm ${release:-?}" "only ${count:-0} of $expected jobs ran: see $log"
fi
rm -f "$section" "$section".* "$jobs"
tap_plan
