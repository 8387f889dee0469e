# ipctrace - see README.md.
#
#   make            build ./ipctrace (BPF objects embedded as skeletons)
#   make test       the whole suite (host + VM); ./test.sh installs deps first
#   make hosttest   the suite without the VM
#   make vmtest     only the VM part: the Debian kernels of tests/vm/matrix under QEMU
#   make bench      ipctrace's own cost, measured side by side (ipctrace bench)
#   make soak       random interrupts, the fuzzers, and serve for 30 minutes
#                   under process churn (long; not CI)
#   make static     build/static/ipctrace and tests, for the VM
#   make vmlinux    regenerate vmlinux/$(ARCH)/vmlinux.h from this kernel
#   make install    ipctrace, its man pages and bash completion (PREFIX, DESTDIR);
#                   make uninstall, make man, make deb: see mk/install.mk

ARCH ?= $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
# The BPF side reads x86-64 pt_regs and the loader hands it x86-64 syscall
# numbers and THREAD_SIZE (bpf/syscall.bpf.h, user/kernel/tracer.c): on
# another architecture it would build and then read the wrong offsets.
ifneq ($(ARCH),x86)
$(error ipctrace supports x86-64 only, and this is $(ARCH): bpf/syscall.bpf.h and user/kernel/tracer.c hold the x86-64 register layout and THREAD_SIZE to port)
endif
CC ?= cc
CLANG ?= clang
BPFTOOL ?= bpftool
OUT := build

# VERSION and GIT_REV: debian/changelog and git (mk/version.mk)
include mk/version.mk

WARN := -Wall -Wextra -Werror
CFLAGS ?= -g -O2
BASE_CFLAGS := $(CFLAGS) $(WARN) -std=gnu11 -D_GNU_SOURCE \
	-DIPCTRACE_VERSION='"$(VERSION)"' -DIPCTRACE_GIT_REV='"$(GIT_REV)"'

# ---- the layers of user/, and what each may include ----
# Dependencies run one way: cli -> workload -> kernel -> bpf/ipctrace.h,
# cli -> output -> analysis -> model; everyone may use util and model.
# Each folder is compiled with only the include paths of the layers below
# it, so an include against the direction fails to build (`make
# check-layers` proves it). Only kernel/ sees the BPF skeletons.
LAYERS := util model kernel workload analysis output cli
INC_util     := -Iuser/util
INC_model    := -Iuser/model $(INC_util) -Ibpf
INC_kernel   := -Iuser/kernel $(INC_model) -I$(OUT)
INC_workload := -Iuser/workload -Iuser/kernel $(INC_model)
INC_analysis := -Iuser/analysis $(INC_model)
INC_output   := -Iuser/output -Iuser/analysis $(INC_model)
INC_cli      := -Iuser/cli -Iuser/output -Iuser/analysis -Iuser/workload \
		-Iuser/kernel $(INC_model)
# tests reach into every layer
INC_ALL := $(INC_cli) -Itests/lib
ALL_CFLAGS := $(BASE_CFLAGS) $(INC_ALL)

# GSL fits the cost model with its covariance (analysis/cost_model.c)
GSL_LIBS := -lgsl -lgslcblas
LIBS := -lbpf -lelf -lz -ljansson -lseccomp $(GSL_LIBS) -lm -lmicrohttpd
# no libmicrohttpd: Debian's libmicrohttpd.a needs gnutls, and gnutls needs
# p11-kit, which has no static library. The static binary's serve_http.o is
# built with IPCTRACE_NO_HTTP: `serve` says so, and --textfile still works.
STATIC_LIBS := -static -lbpf -lelf -lz -ljansson -lseccomp $(GSL_LIBS) -lm -lpthread
TEST_LIBS := -lcheck -lsubunit -lrt -lpthread -lm
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

# clang -target bpf does not search the system include dirs by itself
CLANG_BPF_SYS_INCLUDES ?= $(shell $(CLANG) -v -E - </dev/null 2>&1 | \
	sed -n '/<...> search starts here:/,/End of search list./{ s| \(/.*\)|-idirafter \1|p }')
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) $(WARN) \
	-Wno-unused-parameter -Wno-unused-function \
	-Ivmlinux/$(ARCH) -Ibpf $(CLANG_BPF_SYS_INCLUDES)

BPF_APPS := ipctrace attach_check profile floor
SKELS := $(patsubst %,$(OUT)/%.skel.h,$(BPF_APPS))
BPF_HDRS := $(wildcard bpf/*.h) vmlinux/$(ARCH)/vmlinux.h

USER_SRCS := $(foreach l,$(LAYERS),$(wildcard user/$(l)/*.c))
LIB_SRCS := $(filter-out user/cli/main.c,$(USER_SRCS))
USER_HDRS := $(foreach l,$(LAYERS),$(wildcard user/$(l)/*.h)) bpf/ipctrace.h
LIB_OBJS := $(patsubst user/%.c,$(OUT)/obj/%.o,$(LIB_SRCS))
# the same objects link statically too, but for the HTTP server (see STATIC_LIBS)
LIB_OBJS_STATIC := $(filter-out $(OUT)/obj/cli/serve_http.o,$(LIB_OBJS)) \
	$(OUT)/obj-static/cli/serve_http.o
LIB_OBJS_SAN := $(patsubst user/%.c,$(OUT)/obj-san/%.o,$(LIB_SRCS))
MAIN_OBJ := $(OUT)/obj/cli/main.o
MAIN_OBJ_SAN := $(OUT)/obj-san/cli/main.o
# the layer of an object: build/obj/<layer>/x.o -> <layer>
layer_of = $(word 3,$(subst /, ,$(1)))

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(OUT)/tests/%,$(UNIT_SRCS))
UNIT_BINS_SAN := $(patsubst tests/unit/%.c,$(OUT)/tests-san/%,$(UNIT_SRCS))
TESTLIB_SRCS := $(wildcard tests/lib/*.c)
TESTLIB_OBJS := $(patsubst tests/lib/%.c,$(OUT)/obj/testlib/%.o,$(TESTLIB_SRCS))
TESTLIB_OBJS_SAN := $(patsubst tests/lib/%.c,$(OUT)/obj-san/testlib/%.o,$(TESTLIB_SRCS))
INTEG_SRCS := $(wildcard tests/integration/test_*.c)
INTEG_BINS := $(patsubst tests/integration/%.c,$(OUT)/tests/%,$(INTEG_SRCS))
INTEG_BINS_STATIC := $(patsubst tests/integration/%.c,$(OUT)/static/tests/%,$(INTEG_SRCS))
# programs the integration tests trace
HELPER_BINS := $(OUT)/tests/ipc_pattern
HELPER_BINS_STATIC := $(OUT)/static/tests/ipc_pattern

.PHONY: all static test vmtest hosttest unit deps test-deps vmlinux clean \
	install sanitize bench check-layers fuzz soak
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
# A layer's objects see only its own include paths (INC_<layer>).
# -MMD: an object depends on the headers it really includes, no others.
$(OUT)/obj/%.o: user/%.c | $(SKELS)
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) -MMD -MP $(INC_$(call layer_of,$@)) -c $< -o $@

$(OUT)/obj-static/cli/serve_http.o: user/cli/serve_http.c | $(SKELS)
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) -DIPCTRACE_NO_HTTP -MMD -MP $(INC_cli) -c $< -o $@

$(OUT)/obj-san/%.o: user/%.c | $(SKELS)
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(SAN) -MMD -MP $(INC_$(call layer_of,$@)) -c $< -o $@

-include $(patsubst %.o,%.d,$(LIB_OBJS) $(LIB_OBJS_SAN) $(MAIN_OBJ) $(MAIN_OBJ_SAN) \
	$(OUT)/obj-static/cli/serve_http.o)

ipctrace: $(MAIN_OBJ) $(LIB_OBJS)
	$(CC) $(BASE_CFLAGS) $^ $(LIBS) -o $@

static: $(OUT)/static/ipctrace $(INTEG_BINS_STATIC) $(HELPER_BINS_STATIC)

$(OUT)/static/ipctrace: $(MAIN_OBJ) $(LIB_OBJS_STATIC) | $(OUT)/static
	$(CC) $(BASE_CFLAGS) $^ $(STATIC_LIBS) -o $@

$(OUT)/san/ipctrace: $(MAIN_OBJ_SAN) $(LIB_OBJS_SAN) | $(OUT)/san
	$(CC) $(BASE_CFLAGS) $(SAN) $^ $(LIBS) -o $@

# The layering holds: for each layer, a file including a header of a layer
# it must not see fails to compile with that layer's flags, and one
# including a header it may see compiles (so the check itself works).
# Each line: layer, a header it may include, a header it must not.
LAYER_CHECKS := \
	output:cell_stats.h:tracer.h \
	output:run_result.h:workload.h \
	analysis:run_result.h:report_model.h \
	analysis:hist.h:tracer.h \
	model:hist.h:tracer.h \
	model:ipctrace.h:cell_stats.h \
	kernel:attach_report.h:workload.h \
	kernel:ipctrace.skel.h:report_model.h \
	workload:tracer.h:report_model.h \
	workload:run_result.h:cell_stats.h \
	util:log.h:ipctrace.h \
	output:report_model.h:run_args.h
check-layers: $(SKELS)
	@n=0; bad=0; for c in $(LAYER_CHECKS); do \
		layer=$${c%%:*}; rest=$${c#*:}; ok=$${rest%%:*}; no=$${rest#*:}; \
		flags=$$(case $$layer in \
			util) echo '$(INC_util)';; model) echo '$(INC_model)';; \
			kernel) echo '$(INC_kernel)';; workload) echo '$(INC_workload)';; \
			analysis) echo '$(INC_analysis)';; output) echo '$(INC_output)';; \
			esac); \
		n=$$((n + 1)); \
		if printf '#include "%s"\n' "$$ok" | $(CC) $(BASE_CFLAGS) $$flags -x c \
			-fsyntax-only - 2>/dev/null; then \
			echo "ok $$n - layers: $$layer may include $$ok"; \
		else echo "not ok $$n - layers: $$layer cannot include $$ok"; bad=1; fi; \
		n=$$((n + 1)); \
		if printf '#include "%s"\n' "$$no" | $(CC) $(BASE_CFLAGS) $$flags -x c \
			-fsyntax-only - 2>/dev/null; then \
			echo "not ok $$n - layers: $$layer can include $$no: the layering leaks"; bad=1; \
		else echo "ok $$n - layers: $$layer including $$no fails to build"; fi; \
	done; echo "1..$$n"; exit $$bad

# ---- tests ----
# Tests reach into every layer (INC_ALL); the test library is built once.
$(OUT)/obj/testlib/%.o: tests/lib/%.c | $(SKELS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(OUT)/obj-san/testlib/%.o: tests/lib/%.c | $(SKELS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SAN) -MMD -MP -c $< -o $@

-include $(patsubst %.o,%.d,$(TESTLIB_OBJS) $(TESTLIB_OBJS_SAN))

$(OUT)/tests/test_%: tests/unit/test_%.c $(LIB_OBJS) $(TESTLIB_OBJS) | $(OUT)/tests
	$(CC) $(ALL_CFLAGS) $< $(TESTLIB_OBJS) $(LIB_OBJS) $(LIBS) $(TEST_LIBS) -o $@

$(OUT)/tests-san/test_%: tests/unit/test_%.c $(LIB_OBJS_SAN) $(TESTLIB_OBJS_SAN) | $(OUT)/tests-san
	$(CC) $(ALL_CFLAGS) $(SAN) $< $(TESTLIB_OBJS_SAN) $(LIB_OBJS_SAN) $(LIBS) $(TEST_LIBS) -o $@

$(OUT)/tests/test_%: tests/integration/test_%.c $(LIB_OBJS) $(TESTLIB_OBJS) | $(OUT)/tests
	$(CC) $(ALL_CFLAGS) $< $(TESTLIB_OBJS) $(LIB_OBJS) $(LIBS) $(TEST_LIBS) -o $@

$(OUT)/static/tests/test_%: tests/integration/test_%.c $(LIB_OBJS_STATIC) $(TESTLIB_OBJS) | $(OUT)/static/tests
	$(CC) $(ALL_CFLAGS) $< $(TESTLIB_OBJS) $(LIB_OBJS_STATIC) $(STATIC_LIBS) $(TEST_LIBS) -o $@

$(OUT)/tests/ipc_pattern: tests/integration/ipc_pattern.c | $(OUT)/tests
	$(CC) $(BASE_CFLAGS) $< -lpthread -o $@

$(OUT)/static/tests/ipc_pattern: tests/integration/ipc_pattern.c | $(OUT)/static/tests
	$(CC) $(BASE_CFLAGS) -static $< -lpthread -o $@

unit: $(UNIT_BINS) $(UNIT_BINS_SAN)

# ---- fuzzing: clang's libFuzzer on the ASan/UBSan build ----
# The argument parsers (cli/run_args.c, trace_args.c and what they use)
# and the results loader (output/, from JSON to the rendered report). The
# library is compiled again by clang with coverage for the fuzzer; clang's
# UBSan also checks float-to-integer casts, which gcc's does not.
FUZZ_CC ?= clang
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_SRCS := $(foreach l,util model analysis output,$(wildcard user/$(l)/*.c)) \
	user/cli/run_args.c user/cli/trace_args.c user/cli/common_args.c
FUZZ_OBJS := $(patsubst user/%.c,$(OUT)/obj-fuzz/%.o,$(FUZZ_SRCS))
FUZZ_BINS := $(OUT)/fuzz/fuzz_args $(OUT)/fuzz/fuzz_results

$(OUT)/obj-fuzz/%.o: user/%.c | $(SKELS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(BASE_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer-no-link -MMD -MP \
		$(INC_$(call layer_of,$@)) -c $< -o $@

-include $(patsubst %.o,%.d,$(FUZZ_OBJS))

$(OUT)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(BASE_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer $(INC_ALL) $< \
		$(FUZZ_OBJS) $(LIBS) -o $@

fuzz: $(FUZZ_BINS)

# make soak, longer than CI (root, not CI): 120 random interrupts; each
# fuzzer for FUZZ_SECONDS (600) from the seed corpus (tests/fuzz/corpus/);
# then ipctrace serve for SOAK_MINUTES (30) under 1,000 processes a minute,
# with RSS, map entries and scrape time minute by minute
FUZZ_SECONDS ?= 600
SOAK_MINUTES ?= 30
soak: deps all $(INTEG_BINS) $(HELPER_BINS) $(FUZZ_BINS)
	IPCTRACE_INTERRUPT_TRIES=120 $(OUT)/tests/test_interrupts
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_RUNS=-1 tests/run/30-fuzz.t
	scripts/soak-serve.sh $(SOAK_MINUTES)

sanitize: $(UNIT_BINS_SAN) $(OUT)/san/ipctrace

# The whole suite, counted by prove: unit tests (plain and ASan/UBSan),
# host integration tests in every mode this kernel supports, CLI tests,
# then the VM tests (tests/vm/matrix: five Debian kernels under QEMU).
# prove names only the numbers of failed tests: build/test-failures.txt
# (written by tests/run/tap-lib.sh) says which and why, so print it.
PROVE = rm -f $(OUT)/test-failures.txt; prove --exec '' --merge $(1) || \
	{ echo "failures:"; cat $(OUT)/test-failures.txt 2>/dev/null; exit 1; }

# a VM that stalled and re-ran its unfinished jobs says so in its kernel's
# console log (tests/vm/run-vm.sh)
VM_RETRY_NOTE = cat $(OUT)/vm/console-*.log 2>/dev/null | sed -n 's/^@@VM retry: /note: VM retry: /p'

test: all $(UNIT_BINS) $(UNIT_BINS_SAN) $(INTEG_BINS) $(HELPER_BINS) $(OUT)/san/ipctrace \
	$(FUZZ_BINS) static
	$(call PROVE,tests/run/*.t)
	@$(VM_RETRY_NOTE)

hosttest: all $(UNIT_BINS) $(UNIT_BINS_SAN) $(INTEG_BINS) $(HELPER_BINS) $(OUT)/san/ipctrace \
	$(FUZZ_BINS)
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

$(OUT)/bpf $(OUT)/static $(OUT)/san \
$(OUT)/tests $(OUT)/tests-san $(OUT)/static/tests:
	mkdir -p $@

clean:
	rm -rf $(OUT) ipctrace

# install, uninstall, man pages, bash completion, the Debian package
include mk/install.mk
