#!/bin/sh
# Integration tests on this host's kernel. test_counters runs every attach
# mode as a test case of its own: the modes `ipctrace probe` calls
# available must pass, and for the others attaching must really fail.
# Then the CLI tests, which require probe to select the first mode that
# works here, and run, trace and the results directories end to end.
cd "$(dirname "$0")/../.." || exit 1
. tests/run/tap-lib.sh
rel=$(uname -r)
first_working=$(tests/run/host-modes.sh | grep -v -- -sched | head -n 1)
tap_run "host $rel" build/tests/test_counters
tap_run "host $rel fastpath" build/tests/test_fastpath

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
tap_run "host $rel results" build/tests/test_results
tap_run "host $rel results asan+ubsan" env IPCTRACE_BIN=build/san/ipctrace \
	build/tests/test_results
tap_run "host $rel trace" build/tests/test_trace
tap_run "host $rel trace asan+ubsan" env IPCTRACE_BIN=build/san/ipctrace build/tests/test_trace
tap_run "host $rel trace defaults" build/tests/test_trace_defaults
tap_run "host $rel run" build/tests/test_run
tap_run "host $rel run asan+ubsan" env IPCTRACE_BIN=build/san/ipctrace build/tests/test_run
tap_plan
