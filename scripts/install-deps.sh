#!/bin/sh
# install-deps.sh build|test - install the Debian packages ipctrace needs
# and does not find; with "test" also every kernel the VM tests boot (those
# tests/vm/matrix names). When everything is present it installs nothing
# and downloads nothing.
set -eu
cd "$(dirname "$0")/.."
what=${1:-build}

# build: compilers, libbpf + bpftool for the skeletons, libelf/zlib (libbpf,
# /proc/config.gz), jansson (JSON in and out), GSL (the cost model's least
# squares with covariance; libgsl-dev has the static libgsl.a the VM
# binary links), libmicrohttpd (serve's HTTP), libseccomp (syscall names;
# its static library links the VM's binary)
pkgs="make gcc libc6-dev clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev
      libjansson-dev libgsl-dev libmicrohttpd-dev libseccomp-dev git"
# run: gnuplot draws the plots of a results directory; bench: perf compares
# ping-pong latency with `perf bench sched pipe`, and bpftrace is the peer
# whose tracing overhead bench measures beside ours (all optional at run time)
pkgs="$pkgs gnuplot-nox linux-perf bpftrace"
# make install: help2man writes the man pages from each command's --help
pkgs="$pkgs help2man"
if [ "$what" = test ]; then
	# Check (unit test framework, static libs for the VM), prove (perl),
	# QEMU + busybox + cpio for the VM, setpriv/unshare/flock (util-linux),
	# the archive keys that verify the VM kernels' suites
	pkgs="$pkgs check perl qemu-system-x86 busybox-static cpio util-linux
	      debian-archive-keyring"
	# the install tests: man and lexgrog (man-db) check the man pages,
	# bash-completion loads the completion; dpkg-buildpackage (dpkg-dev),
	# debhelper and lintian build and check the Debian package
	pkgs="$pkgs man-db bash-completion dpkg-dev debhelper lintian"
	# a real Prometheus server and promtool for serve's tests
	pkgs="$pkgs prometheus"
	# clang's libFuzzer runtime for the fuzz targets
	pkgs="$pkgs libclang-rt-14-dev"
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
	# shellcheck disable=SC2046
	scripts/fetch-vm-kernel.sh $(awk '!/^#/ && NF { print $1 }' tests/vm/matrix)
fi
