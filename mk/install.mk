# mk/install.mk - ipctrace as a system tool; included at the end of the
# Makefile, apart from the build's rules so the two merge separately.
#
#   make install     the binary, the man pages ipctrace(8) and
#                    ipctrace-COMMAND(8), bash completion and the README
#   make uninstall   remove them again (give the same variables)
#   make man         only the man pages, into build/man/
#   make deb         build/deb/ipctrace_VERSION_amd64.deb, built by
#                    dpkg-buildpackage -us -uc -b in a clean copy of the
#                    tree, then checked by lintian (scripts/build-deb.sh)
#   make -s version  the version the build compiles in
#
# Variables: PREFIX (/usr/local), DESTDIR (staging, empty), BINDIR, MANDIR,
# DOCDIR, BASHCOMPDIR. The installed binary needs nothing from the tree at
# run time: its BPF objects are compiled in (bpftool skeletons), gnuplot
# and perf are looked up on PATH, and `run` writes results/ under the
# current directory.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
DOCDIR ?= $(DATADIR)/doc/ipctrace
# Where bash-completion looks for the completion of a command it loads on
# demand, under this DATADIR: bash-completion's completionsdir
# (/usr/share/bash-completion/completions) with the prefix swapped. It also
# searches $XDG_DATA_DIRS, /usr/local/share by default, so an install under
# /usr/local completes too.
ifeq ($(origin BASHCOMPDIR),undefined)
BASHCOMPDIR := $(or $(shell pkg-config --define-variable=datadir=$(DATADIR) \
	--variable=completionsdir bash-completion 2>/dev/null), \
	$(DATADIR)/bash-completion/completions)
endif

.PHONY: install uninstall man deb version FORCE

# ---- the version compiled in (mk/version.mk) ----
# Rewritten only when it changes (a commit, a tree made dirty), so what
# compiles it in is rebuilt then, and only then.
$(OUT)/version.txt: FORCE
	@mkdir -p $(dir $@)
	@echo '$(VERSION_STRING)' | cmp -s - $@ 2>/dev/null || echo '$(VERSION_STRING)' > $@

VERSION_USERS := $(shell grep -l 'IPCTRACE_VERSION\|IPCTRACE_GIT_REV' $(USER_SRCS) /dev/null)
$(patsubst user/%.c,$(OUT)/obj/%.o,$(VERSION_USERS)) \
$(patsubst user/%.c,$(OUT)/obj-san/%.o,$(VERSION_USERS)): $(OUT)/version.txt

version:
	@echo '$(VERSION_STRING)'

# ---- man pages: help2man over each command's --help, plus man/*.h2m ----
# The commands are the ones `ipctrace --help` lists (scripts/gen-man.sh).
# The pages name DOCDIR, so they are redone when it changes; their date is
# the top debian/changelog entry's unless SOURCE_DATE_EPOCH says otherwise.
CHANGELOG_DATE = $(shell sed -n 's/^ -- .*>  //p' debian/changelog | head -n 1)

$(OUT)/man/docdir.txt: FORCE
	@mkdir -p $(dir $@)
	@echo '$(DOCDIR)' | cmp -s - $@ 2>/dev/null || echo '$(DOCDIR)' > $@

$(OUT)/man/stamp: ipctrace $(wildcard man/*.h2m) scripts/gen-man.sh \
		$(OUT)/man/docdir.txt debian/changelog
	SOURCE_DATE_EPOCH=$${SOURCE_DATE_EPOCH:-$$(date -d '$(CHANGELOG_DATE)' +%s)} \
		scripts/gen-man.sh ./ipctrace $(OUT)/man $(DOCDIR)
	@touch $@

man: $(OUT)/man/stamp

# ---- install / uninstall ----
install: ipctrace $(OUT)/man/stamp
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(DOCDIR)
	install -m 0755 ipctrace $(DESTDIR)$(BINDIR)/ipctrace
	install -m 0644 $(OUT)/man/*.8 $(DESTDIR)$(MANDIR)/man8/
	install -m 0644 completion/ipctrace.bash $(DESTDIR)$(BASHCOMPDIR)/ipctrace
	install -m 0644 README.md $(DESTDIR)$(DOCDIR)/README.md

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/ipctrace $(DESTDIR)$(MANDIR)/man8/ipctrace.8 \
		$(DESTDIR)$(MANDIR)/man8/ipctrace-*.8 $(DESTDIR)$(BASHCOMPDIR)/ipctrace \
		$(DESTDIR)$(DOCDIR)/README.md
	rmdir $(DESTDIR)$(DOCDIR) 2>/dev/null || true

# ---- the Debian package ----
deb:
	scripts/build-deb.sh $(OUT)/deb '$(GIT_REV)'
