#!/bin/sh
# Unit tests of the user-side logic, built plainly and with ASan/UBSan,
# and the check that the layers of user/ include only downwards.
cd "$(dirname "$0")/../.." || exit 1
. tests/run/tap-lib.sh
for src in tests/unit/test_*.c; do
	name=$(basename "$src" .c)
	tap_run "unit" "build/tests/$name"
	tap_run "unit asan+ubsan" env IPCTRACE_BIN=build/san/ipctrace "build/tests-san/$name"
done
# the layering of user/ holds: a header against the direction fails to build
tap_run "layers" make --no-print-directory -s check-layers
tap_plan
