#!/bin/sh
# build-deb.sh OUTDIR GIT_REV - build ipctrace's Debian package in a clean
# copy of the source tree, OUTDIR/ipctrace-VERSION/, so the checkout's own
# build/ survives (dpkg-buildpackage starts with `make clean`) and nothing
# lands in the checkout's parent directory. The .deb, .buildinfo and
# .changes end up in OUTDIR; so does lintian.txt, lintian's verdict on
# the .deb when lintian is installed. Exit 1 when the build fails or
# lintian finds an error.
#
# The copy has no .git: GIT_REV (the checkout's revision, mk/version.mk)
# reaches its build as IPCTRACE_GIT_REV, so `ipctrace --version` in the
# package still names the commit it was built from.
set -eu
out=$1
rev=$2
cd "$(dirname "$0")/.."
for tool in dpkg-buildpackage dh help2man; do
	command -v $tool >/dev/null || {
		echo "build-deb: $tool is missing: sudo scripts/install-deps.sh test (or apt-get install dpkg-dev debhelper help2man)" >&2
		exit 1
	}
done
version=$(sed -n '1s/^ipctrace (\([^ ]*\)) .*/\1/p' debian/changelog)
arch=$(dpkg --print-architecture)
src=$out/ipctrace-$version

rm -rf "$out"
mkdir -p "$src"
# the files of the tree: in a checkout, what git tracks or would (new files
# not yet committed, not ignored); elsewhere, everything but build products
if [ "$(git rev-parse --show-toplevel 2>/dev/null)" = "$(pwd -P)" ]; then
	git ls-files -z -co --exclude-standard |
		xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh |
		tar --null -T - -cf - | tar -xf - -C "$src"
else
	tar --exclude=./build --exclude=./.cache --exclude=./.git --exclude=./ipctrace \
		-cf - . | tar -xf - -C "$src"
fi

echo "build-deb: dpkg-buildpackage -us -uc -b in $src" >&2
(cd "$src" && IPCTRACE_GIT_REV=$rev dpkg-buildpackage -us -uc -b) >"$out/build.log" 2>&1 || {
	tail -n 30 "$out/build.log" >&2
	echo "build-deb: dpkg-buildpackage failed: see $out/build.log" >&2
	exit 1
}
deb=$out/ipctrace_${version}_$arch.deb
[ -f "$deb" ] || { echo "build-deb: no $deb after the build" >&2; exit 1; }
echo "build-deb: $deb" >&2

if command -v lintian >/dev/null; then
	# errors, warnings and infos; overridden tags are shown too, marked O:
	# (root builds here: lintian's warning about that is not about the package)
	lintian --display-info --show-overrides "$deb" 2>&1 |
		grep -v '^running with root privileges is not recommended' >"$out/lintian.txt" || true
	if [ -s "$out/lintian.txt" ]; then
		sed 's/^/lintian: /' "$out/lintian.txt" >&2
	else
		echo "lintian: no tags" >&2
	fi
	if grep -q '^E: ' "$out/lintian.txt"; then
		echo "build-deb: lintian found errors in $deb" >&2
		exit 1
	fi
else
	echo "build-deb: lintian is not installed: apt-get install lintian to check the package" >&2
fi
