#!/bin/sh
# Fetch Debian's 6.1 kernel for the VM tests into .cache/vm (git-ignored):
# the package linux-image-amd64 points at, fetched with `apt-get download`
# and unpacked with dpkg -x. A kernel already in the cache is kept, so a
# second run downloads nothing.
set -eu
cd "$(dirname "$0")/.."
CACHE=.cache/vm
mkdir -p "$CACHE"

if [ -f "$CACHE/vmlinuz" ] && [ -f "$CACHE/config" ] && [ -f "$CACHE/release" ]; then
	exit 0
fi

pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
	awk '/Depends: linux-image-6\.1\.0-[0-9]+-amd64/ {print $2; exit}')
if [ -z "$pkg" ]; then
	# the metapackage moved on: take the newest 6.1 image apt knows
	pkg=$(apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-amd64$' |
		awk '{print $1}' | sort -V | tail -n 1)
fi
if [ -z "$pkg" ]; then
	echo "fetch-vm-kernel: no linux-image-6.1.0-*-amd64 package known to apt;" \
	     "run apt-get update (Debian 12 'bookworm' sources)" >&2
	exit 1
fi
echo "fetch-vm-kernel: downloading $pkg" >&2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# _apt cannot write into a root-only directory: download in a world-writable one
chmod 777 "$tmp"
(cd "$tmp" && apt-get download -q "$pkg" >/dev/null)
dpkg -x "$tmp"/"$pkg"_*.deb "$tmp/x"
release=${pkg#linux-image-}
cp "$tmp/x/boot/vmlinuz-$release" "$CACHE/vmlinuz.tmp"
cp "$tmp/x/boot/config-$release" "$CACHE/config"
echo "$release" > "$CACHE/release"
mv "$CACHE/vmlinuz.tmp" "$CACHE/vmlinuz"
