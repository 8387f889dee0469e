# tap-lib.sh - sourced by the tests/run/*.t scripts that prove runs.
# Each script runs several test programs (modes, builds, places) and prints
# them as one TAP stream with a single plan at the end.
TAP_N=0
TAP_COUNTS=$(mktemp)
TAP_OUT=$(mktemp)
# every failure with its message, for `make test` to print after prove
TAP_FAILURES=${TAP_FAILURES:-build/test-failures.txt}
trap 'rm -f "$TAP_COUNTS" "$TAP_OUT"' EXIT

# tap_merge PREFIX FILE RC: re-emit the TAP in FILE
tap_merge() {
	awk -v prefix="$1" -v start="$TAP_N" -v rc="$3" -v countfile="$TAP_COUNTS" \
		-v failfile="$TAP_FAILURES" -f tests/run/tap-merge.awk "$2"
	TAP_N=$(cat "$TAP_COUNTS")
}

# tap_run PREFIX COMMAND...: run a test program, merge its TAP
tap_run() {
	prefix=$1
	shift
	rc=0
	"$@" >"$TAP_OUT" 2>&1 || rc=$?
	tap_merge "$prefix" "$TAP_OUT" "$rc"
}

# tap_ok PREFIX DESCRIPTION / tap_not_ok: a single check made by the script
tap_ok() { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N - [$1] $2"; }
tap_not_ok() {
	TAP_N=$((TAP_N + 1))
	echo "not ok $TAP_N - [$1] $2"
	echo "[$1] $2" >>"$TAP_FAILURES"
}

tap_plan() { echo "1..$TAP_N"; }
