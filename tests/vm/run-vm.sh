#!/bin/sh
# run-vm.sh JOBS_FILE LOG: boot Debian's 6.1 kernel under QEMU (TCG: KVM
# hangs on this project's machines) with a busybox initramfs holding the
# static ipctrace and test binaries; each line of JOBS_FILE runs as a shell
# command in the guest; the serial console goes to LOG.
set -eu
cd "$(dirname "$0")/../.."
jobs=$1
log=$2
scripts/fetch-vm-kernel.sh
release=$(cat .cache/vm/release)
root=$(mktemp -d)
chmod 755 "$root"
trap 'rm -rf "$root"' EXIT

mkdir -p "$root/bin" "$root/tests" "$root/proc" "$root/sys" "$root/dev" \
	"$root/tmp" "$root/boot"
cp /bin/busybox "$root/bin/busybox"
cp build/static/ipctrace "$root/bin/ipctrace"
cp build/static/tests/* "$root/tests/"
cp tests/vm/guest-init.sh "$root/init"
cp "$jobs" "$root/jobs"
# no /proc/config.gz in Debian kernels: ipctrace reads /boot/config-$(uname -r)
cp .cache/vm/config "$root/boot/config-$release"
chmod +x "$root/init"
mknod -m 600 "$root/dev/console" c 5 1
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > build/vm-initrd.gz

mkdir -p "$(dirname "$log")"
rm -f "$log"
# the guest powers itself off; the timeout only guards against a hang
timeout 1800 qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m 2048 \
	-display none -monitor none -serial "file:$log" -no-reboot -net none \
	-kernel .cache/vm/vmlinuz -initrd build/vm-initrd.gz \
	-append "console=ttyS0 panic=-1 quiet" </dev/null
