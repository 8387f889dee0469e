#!/bin/sh
# sudo ./test.sh - install what is missing (Debian packages, the Debian
# kernels of tests/vm/matrix for the VM tests), build, and run the whole
# suite: unit tests (plain and ASan/UBSan), integration tests on this
# kernel, and the integration tests in QEMU guests of those kernels in
# fentry and kprobe mode. prove prints the summary.
set -eu
cd "$(dirname "$0")"
scripts/install-deps.sh test
exec make --no-print-directory test
