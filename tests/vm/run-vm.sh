#!/bin/sh
# run-vm.sh JOBS_FILE LOG [KERNEL]: boot a Debian kernel under QEMU (TCG:
# KVM hangs on this project's machines) with a busybox initramfs holding the
# static ipctrace and test binaries; each line of JOBS_FILE runs as a shell
# command in the guest; the serial console goes to LOG. KERNEL is a choice
# of scripts/fetch-vm-kernel.sh (6.1 when not given), fetched if missing, or
# a release already in its cache. Several can run at once (each guest has
# its own initramfs; tests/vm/run-matrix.sh runs two).
#
# With multi-threaded TCG the guest now and then hung: text_poke_bp(),
# patching a tracepoint's static call, waited forever for the other vCPU to
# answer its IPI (a soft lockup; once a hang at boot). So the vCPUs share
# one host thread (thread=single), which costs no time here. Should a guest
# stall anyway, it panics on a soft lockup (softlockup_panic=1 with
# panic=-1 and -no-reboot ends QEMU), the host kills a guest that
# prints nothing for $VM_SILENCE_S seconds, and the jobs that did not finish
# run once more in a fresh guest. LOG keeps only complete jobs, plus a line
# "@@VM retry: RELEASE: ..." that says what happened; the stuck console is
# kept in LOG.stuck. A second stall is a failure: the missing jobs fail the
# suite.
set -eu
cd "$(dirname "$0")/../.."
jobs=$1
log=$2
kernel=${3:-6.1}
silence=${VM_SILENCE_S:-150}
if ! kdir=$(scripts/fetch-vm-kernel.sh --path "$kernel" 2>/dev/null); then
	scripts/fetch-vm-kernel.sh "$kernel"
	kdir=$(scripts/fetch-vm-kernel.sh --path "$kernel")
fi
release=$(cat "$kdir/release")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root
mkdir "$root"
chmod 755 "$root"
# stopped (Ctrl-C, or tests/vm/run-matrix.sh stopping its guests): take the
# guest down too, not leave it running its jobs to the end
qemu=""
trap '[ -n "$qemu" ] && kill "$qemu" 2>/dev/null; exit 130' INT TERM HUP

mkdir -p "$root/bin" "$root/tests" "$root/proc" "$root/sys" "$root/dev" \
	"$root/tmp" "$root/boot"
cp /bin/busybox "$root/bin/busybox"
cp build/static/ipctrace "$root/bin/ipctrace"
cp build/static/tests/* "$root/tests/"
cp tests/vm/guest-init.sh "$root/init"
# no /proc/config.gz in Debian kernels: ipctrace reads /boot/config-$(uname -r)
cp "$kdir/config" "$root/boot/config-$release"
chmod +x "$root/init"
mknod -m 600 "$root/dev/console" c 5 1

# boot_guest JOBS CONSOLE: one guest running JOBS; returns when it powers
# off, panics, or has printed nothing for $silence seconds
boot_guest() {
	cp "$1" "$root/jobs"
	(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$tmp/initrd.gz"
	rm -f "$2"
	: >"$2"
	timeout 1800 qemu-system-x86_64 -accel tcg,thread=single -cpu max -smp 2 -m 2048 \
		-display none -monitor none -serial "file:$2" -no-reboot -net none \
		-kernel "$kdir/vmlinuz" -initrd "$tmp/initrd.gz" \
		-append "console=ttyS0 panic=-1 softlockup_panic=1 quiet" </dev/null &
	qemu=$!
	last_size=-1
	quiet_s=0
	while kill -0 "$qemu" 2>/dev/null; do
		sleep 5
		size=$(wc -c <"$2")
		if [ "$size" -eq "$last_size" ]; then
			quiet_s=$((quiet_s + 5))
		else
			quiet_s=0
			last_size=$size
		fi
		if [ "$quiet_s" -ge "$silence" ]; then
			echo "run-vm: no console output for ${silence} s: stopping the guest" >&2
			pkill -P "$qemu" 2>/dev/null || true
			kill "$qemu" 2>/dev/null || true
			break
		fi
	done
	wait "$qemu" 2>/dev/null || true
}

mkdir -p "$(dirname "$log")"
boot_guest "$jobs" "$log"
if grep -q '^@@VM done' "$log"; then
	exit 0
fi
# keep the jobs that ended; run the rest once more
cp "$log" "$log.stuck"
done_jobs=$(grep -c '^@@VM end rc=' "$log" || true)
awk '/^@@VM end rc=/ { n = NR } { line[NR] = $0 } END { for (i = 1; i <= n; i++) print line[i] }' \
	"$log.stuck" >"$log"
stuck_job=$(sed -n "$((done_jobs + 1))p" "$jobs")
echo "@@VM retry: $release: the guest stalled in job $((done_jobs + 1)) ($stuck_job);" \
	"$done_jobs jobs had finished; the rest run in a fresh guest" \
	"(console of the stalled guest: $log.stuck)" >>"$log"
tail -n +"$((done_jobs + 1))" "$jobs" >"$tmp/jobs.rest"
boot_guest "$tmp/jobs.rest" "$log.retry"
cat "$log.retry" >>"$log"
rm -f "$log.retry"
grep -q '^@@VM done' "$log"
