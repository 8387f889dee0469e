#!/bin/sh
# run-matrix.sh OUTDIR KERNEL JOBS [KERNEL JOBS]...: run each job list in a
# guest of its kernel (tests/vm/run-vm.sh), $VM_PARALLEL guests at a time
# (default 2), starting them in the order given. Writes
# OUTDIR/console-<release>.log and OUTDIR/qemu-<release>.out for each, and
# one line "<release> <seconds> <exit status>" per guest to OUTDIR/times.
# Exits non-zero if any guest did not finish its jobs.
#
# Why 2: a guest runs its vCPUs on one TCG thread, so it keeps one host core
# busy, and this project's machines have 2. Rather than cut the list into
# fixed halves, each of the $VM_PARALLEL lanes takes the next kernel not yet
# taken (mkdir is the atomic claim), so a slow guest does not hold up the
# kernels behind it.
set -u
cd "$(dirname "$0")/../.." || exit 1
[ $# -ge 3 ] || { echo "usage: $0 OUTDIR KERNEL JOBS [KERNEL JOBS]..." >&2; exit 2; }
out=$1
shift
lanes=${VM_PARALLEL:-2}
mkdir -p "$out"
: >"$out/times"
state=$(mktemp -d)
n=0
while [ $# -ge 2 ]; do
	n=$((n + 1))
	echo "$1" >"$state/kernel.$n"
	echo "$2" >"$state/jobs.$n"
	shift 2
done

lane() {
	i=1
	while [ "$i" -le "$n" ] && [ ! -e "$state/stop" ]; do
		if mkdir "$state/claim.$i" 2>/dev/null; then
			k=$(cat "$state/kernel.$i")
			rel=$(cat "$(scripts/fetch-vm-kernel.sh --path "$k")/release") || rel=$k
			start=$(date +%s)
			rc=0
			tests/vm/run-vm.sh "$(cat "$state/jobs.$i")" "$out/console-$rel.log" "$k" \
				>"$out/qemu-$rel.out" 2>&1 &
			echo $! >"$state/pid.$i"
			wait $! || rc=$?
			rm -f "$state/pid.$i"
			# one short line, appended: the lanes cannot interleave it
			echo "$rel $(($(date +%s) - start)) $rc" >>"$out/times"
		fi
		i=$((i + 1))
	done
}

# Ctrl-C or a TERM: no new guests, and the running ones are stopped (the
# lanes' children ignore SIGINT, as any background job of a script does)
stop() {
	: >"$state/stop"
	for p in "$state"/pid.*; do
		[ -f "$p" ] && kill "$(cat "$p")" 2>/dev/null
	done
	wait
	rm -rf "$state"
	exit 130
}
trap stop INT TERM HUP

l=1
while [ "$l" -le "$lanes" ]; do
	lane &
	l=$((l + 1))
done
wait
rm -rf "$state"
# every guest ran, and every one finished its jobs
[ "$(grep -c ' 0$' "$out/times")" -eq "$n" ]
