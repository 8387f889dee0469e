# ipctrace - see README.md.
#
#   make            build ./ipctrace (BPF objects embedded as skeletons)
#   make test       the whole suite (host + VM); ./test.sh installs deps first
#   make hosttest   the suite without the VM
#   make vmtest     only the VM part: Debian's 6.1 kernel under QEMU
#   make bench      ipctrace's own cost, measured side by side (ipctrace bench)
#   make static     build/static/ipctrace and tests, for the VM
#   make vmlinux    regenerate vmlinux/$(ARCH)/vmlinux.h from this kernel

ARCH ?= $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
CC ?= cc
CLANG ?= clang
BPFTOOL ?= bpftool
OUT := build

VERSION := 0.1.0
GIT_REV := $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)

WARN := -Wall -Wextra -Werror
CFLAGS ?= -g -O2
ALL_CFLAGS := $(CFLAGS) $(WARN) -std=gnu11 -D_GNU_SOURCE \
	-DIPCTRACE_VERSION='"$(VERSION)"' -DIPCTRACE_GIT_REV='"$(GIT_REV)"' \
	-I$(OUT) -Ibpf -Iuser
LIBS := -lbpf -lelf -lz -ljansson -lm
STATIC_LIBS := -static -lbpf -lelf -lz -ljansson -lm
TEST_LIBS := -lcheck -lsubunit -lrt -lpthread -lm
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

# clang -target bpf does not search the system include dirs by itself
CLANG_BPF_SYS_INCLUDES ?= $(shell $(CLANG) -v -E - </dev/null 2>&1 | \
	sed -n '/<...> search starts here:/,/End of search list./{ s| \(/.*\)|-idirafter \1|p }')
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) $(WARN) \
	-Wno-unused-parameter -Wno-unused-function \
	-Ivmlinux/$(ARCH) -Ibpf $(CLANG_BPF_SYS_INCLUDES)

BPF_APPS := ipctrace attach_probe
SKELS := $(patsubst %,$(OUT)/%.skel.h,$(BPF_APPS))
BPF_HDRS := $(wildcard bpf/*.h) vmlinux/$(ARCH)/vmlinux.h

USER_SRCS := $(wildcard user/*.c)
LIB_SRCS := $(filter-out user/main.c,$(USER_SRCS))
USER_HDRS := $(wildcard user/*.h) bpf/ipctrace.h
LIB_OBJS := $(patsubst user/%.c,$(OUT)/obj/%.o,$(LIB_SRCS))
# the same objects link statically too: nothing in them depends on it
LIB_OBJS_STATIC := $(LIB_OBJS)
LIB_OBJS_SAN := $(patsubst user/%.c,$(OUT)/obj-san/%.o,$(LIB_SRCS))

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(OUT)/tests/%,$(UNIT_SRCS))
UNIT_BINS_SAN := $(patsubst tests/unit/%.c,$(OUT)/tests-san/%,$(UNIT_SRCS))
TESTLIB_SRCS := $(wildcard tests/lib/*.c)
TESTLIB_HDRS := $(wildcard tests/lib/*.h)
INTEG_SRCS := $(wildcard tests/integration/test_*.c)
INTEG_BINS := $(patsubst tests/integration/%.c,$(OUT)/tests/%,$(INTEG_SRCS))
INTEG_BINS_STATIC := $(patsubst tests/integration/%.c,$(OUT)/static/tests/%,$(INTEG_SRCS))
# programs the integration tests trace
HELPER_BINS := $(OUT)/tests/ipc_pattern
HELPER_BINS_STATIC := $(OUT)/static/tests/ipc_pattern

.PHONY: all static test vmtest hosttest unit deps test-deps vmlinux clean \
	install sanitize bench
.DELETE_ON_ERROR:
# keep the BPF objects and skeletons between builds
.SECONDARY:

all: ipctrace

# ---- BPF ----
$(OUT)/bpf/%.tmp.o: bpf/%.bpf.c $(BPF_HDRS) | $(OUT)/bpf
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(OUT)/bpf/%.bpf.o: $(OUT)/bpf/%.tmp.o
	$(BPFTOOL) gen object $@ $<

$(OUT)/%.skel.h: $(OUT)/bpf/%.bpf.o
	$(BPFTOOL) gen skeleton $< > $@

# ---- user space ----
$(OUT)/obj/%.o: user/%.c $(USER_HDRS) $(SKELS) | $(OUT)/obj
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(OUT)/obj-san/%.o: user/%.c $(USER_HDRS) $(SKELS) | $(OUT)/obj-san
	$(CC) $(ALL_CFLAGS) $(SAN) -c $< -o $@

ipctrace: $(OUT)/obj/main.o $(LIB_OBJS)
	$(CC) $(ALL_CFLAGS) $^ $(LIBS) -o $@

static: $(OUT)/static/ipctrace $(INTEG_BINS_STATIC) $(HELPER_BINS_STATIC)

$(OUT)/static/ipctrace: $(OUT)/obj/main.o $(LIB_OBJS_STATIC) | $(OUT)/static
	$(CC) $(ALL_CFLAGS) $^ $(STATIC_LIBS) -o $@

$(OUT)/san/ipctrace: $(OUT)/obj-san/main.o $(LIB_OBJS_SAN) | $(OUT)/san
	$(CC) $(ALL_CFLAGS) $(SAN) $^ $(LIBS) -o $@

# ---- tests ----
$(OUT)/tests/test_%: tests/unit/test_%.c $(LIB_OBJS) $(TESTLIB_SRCS) $(TESTLIB_HDRS) | $(OUT)/tests
	$(CC) $(ALL_CFLAGS) -Itests/lib $< $(TESTLIB_SRCS) $(LIB_OBJS) $(LIBS) $(TEST_LIBS) -o $@

$(OUT)/tests-san/test_%: tests/unit/test_%.c $(LIB_OBJS_SAN) $(TESTLIB_SRCS) $(TESTLIB_HDRS) | $(OUT)/tests-san
	$(CC) $(ALL_CFLAGS) $(SAN) -Itests/lib $< $(TESTLIB_SRCS) $(LIB_OBJS_SAN) $(LIBS) $(TEST_LIBS) -o $@

$(OUT)/tests/test_%: tests/integration/test_%.c $(LIB_OBJS) $(TESTLIB_SRCS) $(TESTLIB_HDRS) | $(OUT)/tests
	$(CC) $(ALL_CFLAGS) -Itests/lib $< $(TESTLIB_SRCS) $(LIB_OBJS) $(LIBS) $(TEST_LIBS) -o $@

$(OUT)/static/tests/test_%: tests/integration/test_%.c $(LIB_OBJS_STATIC) $(TESTLIB_SRCS) $(TESTLIB_HDRS) | $(OUT)/static/tests
	$(CC) $(ALL_CFLAGS) -Itests/lib $< $(TESTLIB_SRCS) $(LIB_OBJS_STATIC) $(STATIC_LIBS) $(TEST_LIBS) -o $@

$(OUT)/tests/ipc_pattern: tests/integration/ipc_pattern.c | $(OUT)/tests
	$(CC) $(ALL_CFLAGS) $< -lpthread -o $@

$(OUT)/static/tests/ipc_pattern: tests/integration/ipc_pattern.c | $(OUT)/static/tests
	$(CC) $(ALL_CFLAGS) -static $< -lpthread -o $@

unit: $(UNIT_BINS) $(UNIT_BINS_SAN)

sanitize: $(UNIT_BINS_SAN) $(OUT)/san/ipctrace

# The whole suite, counted by prove: unit tests (plain and ASan/UBSan),
# host integration tests in every mode this kernel supports, CLI tests,
# then the VM tests (fentry and kprobe modes on Debian's 6.1 kernel).
# prove names only the numbers of failed tests: build/test-failures.txt
# (written by tests/run/tap-lib.sh) says which and why, so print it.
PROVE = rm -f $(OUT)/test-failures.txt; prove --exec '' --merge $(1) || \
	{ echo "failures:"; cat $(OUT)/test-failures.txt 2>/dev/null; exit 1; }

# a VM that stalled and re-ran its unfinished jobs says so (tests/vm/run-vm.sh)
VM_RETRY_NOTE = sed -n 's/^@@VM retry: /note: VM retry: /p' $(OUT)/vm/console.log

test: all $(UNIT_BINS) $(UNIT_BINS_SAN) $(INTEG_BINS) $(HELPER_BINS) $(OUT)/san/ipctrace static
	$(call PROVE,tests/run/*.t)
	@$(VM_RETRY_NOTE)

hosttest: all $(UNIT_BINS) $(UNIT_BINS_SAN) $(INTEG_BINS) $(HELPER_BINS) $(OUT)/san/ipctrace
	$(call PROVE,$(filter-out tests/run/90-vm.t,$(wildcard tests/run/*.t)))

vmtest: static
	$(call PROVE,tests/run/90-vm.t)
	@$(VM_RETRY_NOTE)

# root, on a quiet machine: ratios of runs made side by side, with spread
bench: deps all
	./ipctrace bench

deps:
	@scripts/install-deps.sh build

test-deps:
	@scripts/install-deps.sh test

vmlinux:
	$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > vmlinux/$(ARCH)/vmlinux.h

install: ipctrace
	install -D -m 0755 ipctrace $(DESTDIR)/usr/local/bin/ipctrace

$(OUT)/bpf $(OUT)/obj $(OUT)/obj-san $(OUT)/static $(OUT)/san \
$(OUT)/tests $(OUT)/tests-san $(OUT)/static/tests:
	mkdir -p $@

clean:
	rm -rf $(OUT) ipctrace
