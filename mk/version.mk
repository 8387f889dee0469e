# mk/version.mk - ipctrace's version, from one place: the top entry of
# debian/changelog, "ipctrace (0.1.0) unstable; ...". To release, add an
# entry there (dch -v 0.2.0). The git revision is appended when the tree is
# a git checkout of its own, "-dirty" when tracked files differ from HEAD;
# `make deb` hands its copy of the tree the revision in IPCTRACE_GIT_REV.
# Anything else (a tarball, a tree inside some other repository) says so.

VERSION := $(shell sed -n '1s/^ipctrace (\([^ ]*\)) .*/\1/p' debian/changelog 2>/dev/null)
ifeq ($(VERSION),)
$(error debian/changelog must start with "ipctrace (VERSION) ...": ipctrace's version comes from there)
endif

ifdef IPCTRACE_GIT_REV
GIT_REV := $(IPCTRACE_GIT_REV)
else ifeq ($(shell git rev-parse --show-toplevel 2>/dev/null),$(CURDIR))
GIT_REV := $(shell git rev-parse --short=12 HEAD)$(shell \
	test -z "$$(git status --porcelain --untracked-files=no 2>/dev/null)" || echo -dirty)
else
GIT_REV := not built from a git checkout
endif

VERSION_STRING := $(VERSION) ($(GIT_REV))
# (the rules that rebuild what compiles it in are in mk/install.mk: this
# file is included before the first target, which must stay `all`)
