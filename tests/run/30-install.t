#!/bin/sh
# ipctrace installed like a system tool: `make install` into a DESTDIR
# under /tmp, then the installed binary run from elsewhere with the
# checkout hidden (test_install), its man pages (tests/install/man.sh) and
# its bash completion (tests/install/completion.sh); the version from a
# tree that is no git checkout; `make uninstall`; and the Debian package
# (tests/install/deb.sh), when the packaging tools are installed.
cd "$(dirname "$0")/../.." || exit 1
. tests/run/tap-lib.sh
dest=$(mktemp -d /tmp/ipctrace-install-XXXXXX)
pfx=/usr/local
expect=$(make --no-print-directory -s version)
mode=$(tests/run/host-modes.sh | grep -v -- -sched | head -n 1)

if make --no-print-directory -s install DESTDIR="$dest" PREFIX=$pfx >"$dest.log" 2>&1; then
	tap_ok "install" "make install DESTDIR=$dest PREFIX=$pfx"
else
	tap_not_ok "install" "make install failed: $(tail -n 3 "$dest.log" | tr '\n' ' ')"
fi
tap_run "install" env IPCTRACE_BIN="$dest$pfx/bin/ipctrace" IPCTRACE_CHECKOUT="$(pwd -P)" \
	IPCTRACE_EXPECT_VERSION="$expect" IPCTRACE_EXPECT_MODE="${mode:-none}" \
	build/tests/test_install
tap_run "install man" tests/install/man.sh "$dest$pfx/bin/ipctrace" "$dest$pfx/share/man/man8"
# where install put the completion (the loader must find it there)
comp=$(find "$dest" -path '*/completions/ipctrace' | head -n 1)
tap_run "install completion" tests/install/completion.sh "$dest$pfx/bin" "${comp%/ipctrace}"

# a tree without .git of its own (a tarball; the copy `make deb` builds in)
# says so, also inside another checkout
for where in "$(mktemp -d /tmp/ipctrace-tree-XXXXXX)" build/tree-check; do
	mkdir -p "$where/debian"
	cp -r Makefile mk "$where/" && cp debian/changelog "$where/debian/"
	# not the parent make's flags: under make -j2 hosttest its jobserver
	# is not ours, and make would warn into what is compared
	got=$(MAKEFLAGS= MFLAGS= make --no-print-directory -s -C "$where" version 2>&1)
	if [ "$got" = "${expect%% *} (not built from a git checkout)" ]; then
		tap_ok "version" "a tree without .git ($where): $got"
	else
		tap_not_ok "version" "a tree without .git in $where: '$got'"
	fi
	rm -rf "$where"
done

make --no-print-directory -s uninstall DESTDIR="$dest" PREFIX=$pfx >"$dest.log" 2>&1
left=$(find "$dest" -type f)
if [ -z "$left" ]; then
	tap_ok "install" "make uninstall removes every file install put there"
else
	tap_not_ok "install" "make uninstall left $(echo $left)"
fi
rm -rf "$dest" "$dest.log"

tap_run "deb" tests/install/deb.sh "$expect"
tap_plan
