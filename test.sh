#!/bin/sh
# sudo ./test.sh - install what is missing (Debian packages, Debian's 6.1
# kernel for the VM tests), build, and run the whole suite: unit tests
# (plain and ASan/UBSan), integration tests on this kernel, and the same
# integration tests in a QEMU VM in fentry and kprobe mode. prove prints
# the summary.
set -eu
cd "$(dirname "$0")"
scripts/install-deps.sh test
exec make --no-print-directory test
