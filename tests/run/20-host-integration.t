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
tap_run "host $rel waits" build/tests/test_waits
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
tap_run "host $rel serve" env IPC_PATTERN_BIN=build/tests/ipc_pattern build/tests/test_serve
tap_run "host $rel serve asan+ubsan" env IPCTRACE_BIN=build/san/ipctrace \
	IPC_PATTERN_BIN=build/tests/ipc_pattern build/tests/test_serve
tap_run "host $rel profile" build/tests/test_profile
tap_run "host $rel profile asan+ubsan" env IPCTRACE_BIN=build/san/ipctrace build/tests/test_profile
tap_run "host $rel trace defaults" build/tests/test_trace_defaults
tap_run "host $rel run" build/tests/test_run
tap_run "host $rel run asan+ubsan" env IPCTRACE_BIN=build/san/ipctrace build/tests/test_run
tap_run "host $rel loop" build/tests/test_loop
tap_run "host $rel trace view" build/tests/test_trace_view
# bad input, each with its exact message; what kills and failed saves leave
tap_run "host $rel inputs" build/tests/test_inputs
tap_run "host $rel inputs asan+ubsan" env IPCTRACE_BIN=build/san/ipctrace build/tests/test_inputs
tap_run "host $rel leftovers" build/tests/test_leftovers
tap_run "host $rel saves" build/tests/test_saves
# signals at random moments (a few here; make soak runs 120)
tap_run "host $rel interrupts" env IPCTRACE_INTERRUPT_TRIES=${IPCTRACE_INTERRUPT_TRIES:-8} \
	build/tests/test_interrupts
tap_plan
