#!/bin/sh
# fetch-vm-kernel.sh [--refresh] [CHOICE...] - fetch Debian kernels for the
# VM tests into .cache/vm (git-ignored).
# fetch-vm-kernel.sh --path CHOICE|RELEASE - print the cache directory of a
# kernel already fetched (exit 1 if it is not).
#
# A choice names a Debian package pattern, resolved to the newest matching
# version when it is first fetched (the archive drops old versions, so no
# version is written down here; the releases are examples from 2026-12-01):
#
#   6.1     bookworm, bookworm-security   linux-image-6.1.0-N-amd64      6.1.0-57-amd64
#   6.1-rt  bookworm, bookworm-security   linux-image-6.1.0-N-rt-amd64   6.1.0-57-rt-amd64 (PREEMPT_RT)
#   6.12    bookworm-backports, trixie    linux-image-6.12.N...-amd64    6.12.x+deb13-amd64
#   6.18    trixie-backports              linux-image-6.18.N...-amd64    6.18.15+deb13-amd64
#   newest  trixie-backports              the newest linux-image-X.Y.Z...-amd64
#                                         (not rt, not cloud)             7.3.4+deb13-amd64
#
# Without a choice it fetches 6.1, the kernel the VM tests booted first.
#
# Each kernel lives under its release, .cache/vm/<release>/{vmlinuz,config,
# release} (plus `packages`: what it was unpacked from), and
# .cache/vm/by-name/<choice> -> ../<release> says which release a choice
# resolved to. A choice already in the cache is used as it is: no apt call,
# no download (--refresh resolves the cached choices again and downloads
# only a release not in the cache yet).
#
# The suites other than bookworm's are not in this machine's apt sources,
# and the system's apt state is not ours to change. So each set of suites
# gets a private apt configuration under .cache/vm/apt/ (sources, lists,
# cache), pointing at the mirror the system already uses, verified with
# Debian's installed archive keyring.
set -eu
cd "$(dirname "$0")/.."
CACHE=.cache/vm
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

usage() {
	echo "usage: $0 [--refresh] [6.1|6.1-rt|6.12|6.18|newest]..." >&2
	echo "       $0 --path CHOICE|RELEASE" >&2
	exit 2
}

# is_kernel_dir DIR: a kernel directory with everything run-vm.sh needs
is_kernel_dir() {
	[ -s "$1/vmlinuz" ] && [ -s "$1/config" ] && [ -s "$1/release" ]
}

# choice NAME: set $suites (where to look) and $regex (which package names)
# for a choice. [^-]* after the version takes Debian's ABI suffix
# ("+deb13") but no flavour: -rt-amd64 and -cloud-amd64 have a dash more.
choice() {
	case $1 in
	6.1) suites="bookworm bookworm-security"
		regex='^linux-image-6\.1\.0-[0-9]+-amd64$' ;;
	6.1-rt) suites="bookworm bookworm-security"
		regex='^linux-image-6\.1\.0-[0-9]+-rt-amd64$' ;;
	6.12) suites="bookworm-backports trixie"
		regex='^linux-image-6\.12\.[0-9]+[^-]*-amd64$' ;;
	6.18) suites="trixie-backports"
		regex='^linux-image-6\.18\.[0-9]+[^-]*-amd64$' ;;
	newest) suites="trixie-backports"
		regex='^linux-image-[0-9]+\.[0-9]+\.[0-9]+[^-]*-amd64$' ;;
	*) echo "fetch-vm-kernel: unknown kernel choice '$1'" >&2; usage ;;
	esac
}

if [ "${1:-}" = --path ]; then
	[ $# -eq 2 ] || usage
	for d in "$CACHE/by-name/$2" "$CACHE/$2"; do
		if [ -n "$2" ] && is_kernel_dir "$d"; then
			(cd "$d" && pwd -P)
			exit 0
		fi
	done
	echo "fetch-vm-kernel: no kernel '$2' in $CACHE: run $0 $2" >&2
	exit 1
fi
refresh=no
if [ "${1:-}" = --refresh ]; then
	refresh=yes
	shift
fi
case ${1:-} in -*) usage ;; esac
[ $# -gt 0 ] || set -- 6.1
for c in "$@"; do choice "$c"; done
mkdir -p "$CACHE/by-name"

# wanted: the choices not in the cache (all of them with --refresh)
wanted() {
	w=""
	for c in "$@"; do
		if [ "$refresh" = yes ] || ! is_kernel_dir "$CACHE/by-name/$c"; then
			w="$w $c"
		fi
	done
	echo "$w"
}
# the fast path: everything cached, nothing to lock, no apt at all
todo=$(wanted "$@")
[ -n "$todo" ] || exit 0

# Two callers (parallel guests, a user and a test run) must not run apt in
# the same lists directory or unpack the same release at once.
exec 9>"$CACHE/.lock"
flock 9

# Before kernels had their own directories, the 6.1 kernel sat in
# .cache/vm itself: adopt it rather than download it again.
if is_kernel_dir "$CACHE" && ! is_kernel_dir "$CACHE/by-name/6.1"; then
	old=$(cat "$CACHE/release")
	if echo "linux-image-$old" | grep -Eq '^linux-image-6\.1\.0-[0-9]+-amd64$'; then
		mkdir -p "$CACHE/$old"
		mv "$CACHE/vmlinuz" "$CACHE/config" "$CACHE/release" "$CACHE/$old/"
		echo "linux-image-$old (fetched into $CACHE by an earlier version of this script)" \
			>"$CACHE/$old/packages"
		rm -f "$CACHE/by-name/6.1"
		ln -s "../$old" "$CACHE/by-name/6.1"
		echo "fetch-vm-kernel: moved the cached $old to $CACHE/$old" >&2
	fi
fi
todo=$(wanted $todo)
[ -n "$todo" ] || exit 0

[ -r "$KEYRING" ] || {
	echo "fetch-vm-kernel: no $KEYRING (package debian-archive-keyring)" >&2
	exit 1
}
# The Debian mirror this machine's apt already uses: the site of the
# installed release's suite, and that of its security suite. apt's index
# targets name them whatever the sources' format (sources.list or deb822),
# and their Origin tells Debian's archive from a third party's that reuses
# the suite name (Docker's does).
codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
sites=$(apt-get indextargets --format '$(RELEASE) $(ORIGIN) $(SITE)' | sort -u)
archive=$(echo "$sites" | awk -v r="$codename" '$1 == r && $2 == "Debian" { print $3; exit }')
security=$(echo "$sites" | awk '$1 ~ /-security$/ && $2 == "Debian" { print $3; exit }')
if [ -z "$archive" ]; then
	echo "fetch-vm-kernel: apt knows no Debian '$codename' suite, so no mirror to" \
	     "use: add one to the apt sources, or run apt-get update if its lists are" \
	     "missing" >&2
	exit 1
fi
# Debian's convention, should the security suite be missing from the sources
: "${security:=$archive-security}"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# apt-get download runs as _apt: it needs a directory it can reach and write
chmod 755 "$tmp"
mkdir "$tmp/dl"
chmod 777 "$tmp/dl"

# apt_for SUITES: set $apt to apt options for a private configuration of
# these suites, updated once per run of this script.
apt_for() {
	key=$(echo "$1" | tr ' ' '+')
	dir=$(pwd -P)/$CACHE/apt/$key
	apt="-q -o Dir::Etc::SourceList=$dir/sources.list -o Dir::Etc::SourceParts=/dev/null
	     -o Dir::Etc::Preferences=/dev/null -o Dir::Etc::PreferencesParts=/dev/null
	     -o Dir::State::Lists=$dir/lists -o Dir::Cache=$dir/cache
	     -o Acquire::Languages=none"
	[ -e "$tmp/updated.$key" ] && return 0
	mkdir -p "$dir/lists/partial" "$dir/cache"
	for s in $1; do
		case $s in *-security) site=$security ;; *) site=$archive ;; esac
		echo "deb [signed-by=$KEYRING] $site $s main"
	done >"$dir/sources.list"
	echo "fetch-vm-kernel: apt-get update for $1 (private lists in $CACHE/apt/$key)" >&2
	# apt-get update warns but exits 0 when a signature fails: treat any
	# warning or error as fatal, and keep its messages
	# shellcheck disable=SC2086
	apt-get $apt update >"$tmp/update.log" 2>&1 || { cat "$tmp/update.log" >&2; exit 1; }
	if grep -Eq '^(W|E):' "$tmp/update.log"; then
		cat "$tmp/update.log" >&2
		echo "fetch-vm-kernel: apt-get update of $1 failed" >&2
		exit 1
	fi
	: >"$tmp/updated.$key"
}

# fetch_member PKG: download PKG and copy out the kernel image and config
# of $rel if it has them. Until 6.18 linux-image-<rel> holds
# boot/vmlinuz-<rel> and boot/config-<rel>; from 6.19 it is empty and
# linux-binary-<rel> holds the image (boot/ on 6.19, usr/lib/modules/<rel>/
# later), linux-base-<rel> (from 7.2) the config. So look, don't assume.
fetch_member() {
	rm -f "$tmp"/dl/*.deb
	# shellcheck disable=SC2086
	(cd "$tmp/dl" && apt-get $apt download "$1" >/dev/null)
	deb=$(echo "$tmp"/dl/*.deb)
	[ -f "$deb" ] || { echo "fetch-vm-kernel: download of $1 failed" >&2; exit 1; }
	echo "$1 $(dpkg-deb -f "$deb" Version)" >>"$new/packages"
	dpkg -c "$deb" | awk '{ print $NF }' >"$tmp/members"
	for f in vmlinuz config; do
		[ -s "$new/$f" ] && continue
		m=$(grep -Fx -e "./boot/$f-$rel" -e "./usr/lib/modules/$rel/$f" "$tmp/members" | head -n 1)
		[ -n "$m" ] || continue
		# extract only that member: an image package with modules is 170 MB
		dpkg-deb --fsys-tarfile "$deb" | tar -xOf - "$m" >"$new/$f"
	done
}

for c in $todo; do
	choice "$c"
	apt_for "$suites"
	# shellcheck disable=SC2086
	pkg=$(apt-cache $apt pkgnames linux-image- | grep -E "$regex" |
		sed 's/^linux-image-//' | sort -V | tail -n 1)
	if [ -z "$pkg" ]; then
		echo "fetch-vm-kernel: no package matching $regex in $suites" >&2
		exit 1
	fi
	rel=$pkg
	if ! is_kernel_dir "$CACHE/$rel"; then
		echo "fetch-vm-kernel: $c is $rel: downloading" >&2
		new=$CACHE/.new-$rel
		rm -rf "$new"
		mkdir -p "$new"
		fetch_member "linux-image-$rel"
		# the empty image of 6.19+ depends on the packages that hold it
		# (apt-cache shows a dependency missing from the archive as <name>)
		# shellcheck disable=SC2086
		for p in $(apt-cache $apt depends "linux-image-$rel" |
			awk -v r="$rel" '$1 == "Depends:" && ($2 == "linux-binary-" r || $2 == "linux-base-" r) { print $2 }'); do
			[ -s "$new/vmlinuz" ] && [ -s "$new/config" ] && break
			fetch_member "$p"
		done
		for f in vmlinuz config; do
			if [ ! -s "$new/$f" ]; then
				echo "fetch-vm-kernel: no $f for $rel in:" \
				     "$(cut -d' ' -f1 "$new/packages" | tr '\n' ' ')" >&2
				exit 1
			fi
		done
		echo "$rel" >"$new/release"
		rm -rf "${CACHE:?}/$rel"
		mv "$new" "$CACHE/$rel"
	fi
	rm -f "$CACHE/by-name/$c"
	ln -s "../$rel" "$CACHE/by-name/$c"
	echo "fetch-vm-kernel: $c -> $CACHE/$rel" >&2
done
