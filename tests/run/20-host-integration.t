#!/bin/sh
# Integration tests on this host's kernel. Every attach mode is tried: the
# ones `ipctrace probe` calls available must pass the whole suite, and for
# the ones it calls unavailable, attaching must really fail - so probe's
# verdicts are checked against reality. Then the CLI tests, which require
# probe to select the first mode that worked here.
cd "$(dirname "$0")/../.." || exit 1
. tests/run/tap-lib.sh
rel=$(uname -r)
available=" $(tests/run/host-modes.sh | tr '\n' ' ') "
first_working=""
for mode in fentry kprobe tracepoint tracepoint-sched; do
	case $available in
	*" $mode "*)
		tap_run "host $rel $mode" env IPCTRACE_TEST_MODE=$mode build/tests/test_counters
		[ -z "$first_working" ] && [ "$mode" != tracepoint-sched ] && first_working=$mode
		;;
	*)
		rc=0
		env IPCTRACE_TEST_MODE=$mode build/tests/test_counters >"$TAP_OUT" 2>&1 || rc=$?
		if [ "$rc" -ne 0 ] && grep -q "tracer_start($mode)" "$TAP_OUT" &&
		   ! grep -q '^ok' "$TAP_OUT"; then
			tap_ok "host $rel $mode" "probe calls it unavailable and attaching really fails: $(grep -o 'tracer_start.*' "$TAP_OUT" | head -n 1)"
		else
			tap_not_ok "host $rel $mode" "probe calls it unavailable but the tracer started (rc=$rc)"
		fi
		;;
	esac
done
tap_run "host $rel tracepoint raw_tp" env IPCTRACE_TEST_MODE=tracepoint \
	IPCTRACE_TEST_SCHED=raw_tp build/tests/test_counters

# the pipe functions were renamed in 6.15 (262b2fa99cbe)
major=${rel%%.*}
minor=${rel#*.}
minor=${minor%%.*}
if [ "$major" -gt 6 ] || { [ "$major" -eq 6 ] && [ "$minor" -ge 15 ]; }; then
	pw=anon_pipe_write
else
	pw=pipe_write
fi
tap_run "host $rel cli" env IPCTRACE_EXPECT_MODE="${first_working:-none}" \
	IPCTRACE_EXPECT_PIPE_WRITE=$pw build/tests/test_cli
tap_run "host $rel cli asan+ubsan" env IPCTRACE_BIN=build/san/ipctrace \
	IPCTRACE_EXPECT_MODE="${first_working:-none}" IPCTRACE_EXPECT_PIPE_WRITE=$pw \
	build/tests/test_cli
tap_run "host $rel trace" build/tests/test_trace
tap_run "host $rel trace asan+ubsan" env IPCTRACE_BIN=build/san/ipctrace build/tests/test_trace
tap_run "host $rel run" build/tests/test_run
tap_run "host $rel run asan+ubsan" env IPCTRACE_BIN=build/san/ipctrace build/tests/test_run
tap_plan
