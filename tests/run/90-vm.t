#!/bin/sh
# The VM tests: Debian kernels under QEMU, where fentry and kprobes work.
# tests/vm/matrix says which job list runs on which kernel: the whole
# integration suite on the oldest (6.1) and the newest (end to end in
# fentry, kprobe and tracepoint mode), the counters in
# fentry and kprobe mode and the CLI tests on 6.1-rt, 6.12 and 6.18. What a
# test expects of a kernel follows from its release (tests/vm/guest-init.sh).
# Guests run two at a time (tests/vm/run-matrix.sh). Each test's
# description names the kernel release and the mode; each kernel's console
# log is build/vm/console-<release>.log, and the TAP printed here is kept in
# build/vm/vm.tap.
cd "$(dirname "$0")/../.." || exit 1
. tests/run/tap-lib.sh
out=build/vm
plan=$(mktemp -d)

# plan_matrix: fetch the matrix's kernels, and write $plan/order (one
# release a line, in the matrix's order) and $plan/<release>.jobs. Two
# choices that name the same release (6.18 could be the newest) share one
# guest, which runs each job once.
plan_matrix() {
	# all at once: one apt-get update per set of suites, and only for
	# kernels not in .cache/vm yet
	# shellcheck disable=SC2046
	scripts/fetch-vm-kernel.sh $(awk '!/^#/ && NF { print $1 }' tests/vm/matrix) \
		>"$out/fetch.out" 2>&1
	: >"$plan/order"
	while read -r kernel list; do
		case $kernel in ''|'#'*) continue ;; esac
		if ! kdir=$(scripts/fetch-vm-kernel.sh --path "$kernel" 2>/dev/null); then
			tap_not_ok "vm $kernel" "kernel not available: see $out/fetch.out"
			continue
		fi
		rel=$(cat "$kdir/release")
		grep -qxF "$rel" "$plan/order" || echo "$rel" >>"$plan/order"
		echo "$kernel" >>"$plan/$rel.choices"
		grep -v -e '^#' -e '^[[:space:]]*$' "tests/vm/jobs-$list" >>"$plan/$rel.all"
	done <tests/vm/matrix
	for rel in $(cat "$plan/order"); do
		awk '!seen[$0]++' "$plan/$rel.all" >"$plan/$rel.jobs"
	done
}

# vm_merge RELEASE: one TAP test per test of every job in its console log
vm_merge() {
	rel=$1
	jobs=$plan/$rel.jobs
	log=$out/console-$rel.log
	guest=$(sed -n 's/^@@VM kernel \([^ ]*\).*/\1/p' "$log" 2>/dev/null | tr -d '\r' | head -n 1)
	secs=$(awk -v r="$rel" '$1 == r { print $2 }' "$out/times" 2>/dev/null)
	echo "# VM $rel ($(tr '\n' ' ' <"$plan/$rel.choices" | sed 's/ $//')):" \
		"$(grep -c . "$jobs") jobs in ${secs:-?} s wall; console log $log"
	if [ "$guest" != "$rel" ]; then
		tap_not_ok "vm $rel" "the guest's console names kernel '${guest:-none}', not $rel: see $log and $out/qemu-$rel.out"
	fi
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
		# the program's name; the attach mode is in each test's name
		# (Check's test case: test_counters:fentry-raw_tp:..., test_run:kprobe:...)
		prog=$(echo "$job" | sed -n 's|.*/tests/test_\([a-z_]*\).*|\1|p')
		case $rc in ''|*[!0-9]*) rc=99 ;; esac
		touch "$section.$i"
		tap_merge "vm $rel ${prog:-job}" "$section.$i" "$rc"
		i=$((i + 1))
	done
	expected=$(grep -c . "$jobs")
	if [ "${count:-0}" -lt "$expected" ]; then
		tap_not_ok "vm $rel" "only ${count:-0} of $expected jobs ran: see $log and $out/qemu-$rel.out"
	fi
	rm -f "$section" "$section".*
}

vm_suite() {
	t0=$(date +%s)
	plan_matrix
	# what fetching did: nothing at all when every kernel was in the cache
	if [ -s "$out/fetch.out" ]; then
		sed 's/^/# /' "$out/fetch.out"
	else
		echo "# VM kernels: all in .cache/vm, nothing fetched"
	fi
	args=""
	for rel in $(cat "$plan/order"); do
		args="$args $rel $plan/$rel.jobs"
	done
	if [ -n "$args" ]; then
		# shellcheck disable=SC2086
		tests/vm/run-matrix.sh "$out" $args >"$out/matrix.out" 2>&1
	fi
	echo "# VM matrix: $(grep -c . "$plan/order") kernels in $(($(date +%s) - t0)) s wall," \
		"${VM_PARALLEL:-2} guests at a time"
	for rel in $(cat "$plan/order"); do
		vm_merge "$rel"
	done
	tap_plan
}

mkdir -p "$out"
# what an earlier run left, maybe for other releases, must not pass for this run's
rm -f "$out"/console-*.log "$out"/console-*.log.stuck "$out"/qemu-*.out \
	"$out/times" "$out/vm.tap"
vm_suite >"$out/vm.tap"
rm -rf "$plan"
cat "$out/vm.tap"
