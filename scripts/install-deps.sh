#!/bin/sh
# install-deps.sh build|test - install the Debian packages ipctrace needs
# and does not find; with "test" also the kernel for the VM tests. When
# everything is present it installs nothing and downloads nothing.
set -eu
cd "$(dirname "$0")/.."
what=${1:-build}

# build: compilers, libbpf + bpftool for the skeletons, libelf/zlib (libbpf,
# /proc/config.gz), jansson (JSON in and out)
pkgs="make gcc libc6-dev clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev
      libjansson-dev git"
# run: gnuplot draws the plots of a results directory; bench: perf compares
# ping-pong latency with `perf bench sched pipe`, and bpftrace is the peer
# whose tracing overhead bench measures beside ours (all optional at run time)
pkgs="$pkgs gnuplot-nox linux-perf bpftrace"
if [ "$what" = test ]; then
	# Check (unit test framework, static libs for the VM), prove (perl),
	# QEMU + busybox + cpio for the VM, setpriv/unshare (util-linux)
	pkgs="$pkgs check perl qemu-system-x86 busybox-static cpio util-linux"
fi

missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "install-deps: missing Debian packages:$missing" >&2
		echo "install-deps: run this as root (sudo) so it can install them" >&2
		exit 1
	fi
	echo "install-deps: installing$missing" >&2
	apt-get update -q >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >&2
fi
if [ "$what" = test ]; then
	scripts/fetch-vm-kernel.sh
fi
