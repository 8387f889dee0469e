#!/bin/sh
# The fuzz targets (tests/fuzz/, clang's libFuzzer on the ASan/UBSan
# build): the argument parsers and the results loader, from the seed corpus
# in tests/fuzz/corpus/. CI runs a bounded number of inputs (FUZZ_RUNS;
# fixed seed); `make soak` runs each for FUZZ_SECONDS instead. New corpus
# entries and crash artifacts go to build/fuzz/, never into the tree.
cd "$(dirname "$0")/../.." || exit 1
. tests/run/tap-lib.sh
runs=${FUZZ_RUNS:-100000}
seconds=${FUZZ_SECONDS:-120}
for target in args results; do
	work=build/fuzz/corpus-$target
	mkdir -p "$work"
	cp tests/fuzz/corpus/$target/* "$work"/
	log=build/fuzz/$target.log
	if build/fuzz/fuzz_$target -runs="$runs" -max_total_time="$seconds" -seed=1 \
		-dict=tests/fuzz/$target.dict -close_fd_mask=3 \
		-artifact_prefix=build/fuzz/ "$work" >"$log" 2>&1; then
		tap_ok "fuzz asan+ubsan" "$target: $(grep -o 'Done [0-9]* runs' "$log" ||
			echo "$runs runs"), no sanitizer report"
	else
		tap_not_ok "fuzz asan+ubsan" "$target: $(grep -m1 -E 'ERROR|runtime error|SUMMARY' "$log"); see $log"
	fi
done
tap_plan
