#!/bin/sh
# deb.sh EXPECTED_VERSION - build the Debian package (make deb: a clean copy
# of the tree, dpkg-buildpackage -us -uc -b, lintian) and check it, as TAP:
# named after the changelog's version; lintian finds no error; Depends holds
# the package of every library the binary links (dpkg-shlibdeps at work);
# Recommends gnuplot-nox and linux-perf; it ships the binary, a man page
# per command, the completion and the README; its binary says the version
# the checkout's build says; its man pages render without warnings.
# Skipped, and says so, without the packaging tools (scripts/install-deps.sh
# test installs them). EXPECTED_VERSION is `make -s version`'s output.
cd "$(dirname "$0")/../.." || exit 1
expect=$1
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; }

for tool in dpkg-buildpackage dh help2man; do
	if ! command -v $tool >/dev/null; then
		echo "ok 1 - the Debian package # SKIP $tool is not installed (scripts/install-deps.sh test)"
		echo "1..1"
		exit 0
	fi
done

version=${expect%% *}
deb=build/deb/ipctrace_${version}_$(dpkg --print-architecture).deb
if make --no-print-directory -s deb >build/deb.out 2>&1; then
	ok "make deb: dpkg-buildpackage -us -uc -b made $(basename "$deb")"
else
	not_ok "make deb failed: $(tail -n 5 build/deb.out | tr '\n' ' ')"
	echo "1..$n"
	exit 0
fi

if command -v lintian >/dev/null; then
	tags=$(grep -c '^[EWIPX]: ' build/deb/lintian.txt)
	if grep -q '^E: ' build/deb/lintian.txt; then
		not_ok "lintian: errors: $(grep '^E: ' build/deb/lintian.txt | tr '\n' ' ')"
	else
		if [ "$tags" -eq 0 ]; then ok "lintian: no tags"; else ok "lintian: no errors ($tags tags: $(cut -d' ' -f1,3 build/deb/lintian.txt | tr '\n' ' '))"; fi
	fi
else
	ok "lintian # SKIP lintian is not installed"
fi

field() { dpkg-deb -f "$deb" "$1"; }
if [ "$(field Package) $(field Version)" = "ipctrace $version" ]; then
	ok "the package is ipctrace $version"
else
	not_ok "the package is $(field Package) $(field Version), not ipctrace $version"
fi

x=$(mktemp -d /tmp/ipctrace-deb-XXXXXX)
dpkg-deb -x "$deb" "$x"
bin=$x/usr/bin/ipctrace

# every library the binary links, by the package that holds it here
depends=$(field Depends)
missing=""
for lib in $(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
	path=$(ldconfig -p | awk -v l="$lib" '$1 == l && /x86-64/ { print $NF; exit }')
	# dpkg knows a file by the path its package ships, /lib or /usr/lib
	real=$(basename "$(readlink -f "$path")")
	pkg=$( (dpkg -S "$(dirname "$path")/$real" || dpkg -S "/usr$(dirname "$path")/$real") \
		2>/dev/null | sed -n '1s/:.*//p')
	case ", $depends," in
	*", $pkg "* | *", $pkg,"*) ;;
	*) missing="$missing $lib($pkg)" ;;
	esac
done
if [ -n "$depends" ] && [ -z "$missing" ]; then
	ok "Depends names the package of every library linked: $depends"
else
	not_ok "Depends '$depends' lacks$missing"
fi
recommends=$(field Recommends)
if [ "$recommends" = "gnuplot-nox, linux-perf" ]; then
	ok "Recommends: $recommends"
else
	not_ok "Recommends: '$recommends'"
fi

lacks=""
for f in usr/bin/ipctrace usr/share/bash-completion/completions/ipctrace \
	usr/share/doc/ipctrace/README.md.gz usr/share/doc/ipctrace/copyright \
	usr/share/man/man8/ipctrace.8.gz $("$bin" --help | awk '/^Commands:/ { on = 1; next }
		on && /^  [a-z]/ { print "usr/share/man/man8/ipctrace-" $1 ".8.gz"; next }
		on { on = 0 }'); do
	[ -e "$x/$f" ] || lacks="$lacks $f"
done
if [ -z "$lacks" ]; then
	ok "it ships the binary, a man page per command, the completion, the README"
else
	not_ok "it lacks$lacks"
fi

got=$("$bin" --version)
if [ "$got" = "ipctrace $expect" ]; then
	ok "its ipctrace --version: $got"
else
	not_ok "its ipctrace --version says '$got', the checkout's build '$expect'"
fi

warned=""
for f in "$x"/usr/share/man/man8/*.8.gz; do
	w=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z "$f" 2>&1 >/dev/null)
	[ -z "$w" ] || warned="$warned $(basename "$f"): $w"
done
if [ -z "$warned" ]; then
	ok "its man pages render without warnings"
else
	not_ok "its man pages warn:$warned"
fi
rm -rf "$x"
echo "1..$n"
