# talentreg — regional talent archive and credit mutual-recognition registry.
#
#   make demo        install missing build dependencies, build, run the demo
#   make check       install missing build dependencies, build, run every test
#   make check-asan  the whole suite under AddressSanitizer + UndefinedBehaviorSanitizer
#   make fuzz-smoke  build the libFuzzer harnesses with clang and run each for FUZZ_SECONDS
#   make install PREFIX=/usr/local [DESTDIR=...]
#
# Sources are picked up by pattern: registry/*.c is the library, except main.c, cli*.c and
# cmd_*.c, which make the command-line program; tests/check_*.c are libcheck suites chained
# by a generated runner; tools/*.c are stand-alone tools linked against the library;
# tests/fuzz/fuzz_*.c are fuzz harnesses and tests/fault/check_*.c fault-injection suites
# (docs/fuzzing.md).

VERSION     := $(shell sed -n 's/^#define TR_VERSION_STRING "\(.*\)"$$/\1/p' include/talentreg.h)
PREFIX      ?= /usr/local
DESTDIR     ?=
BUILD       ?= build
SAN         ?=
V           ?=
Q           := $(if $(V),,@)

# Debian packages the build and the tests need. `make deps` installs the missing ones.
DEB_PACKAGES := gcc libc6-dev make pkg-config libsqlite3-dev libyaml-dev libssl-dev check \
                openssl

# Only the fuzz targets need these; `make check` never asks for clang.
FUZZ_DEB_PACKAGES := clang-14 libclang-rt-14-dev

CC          ?= cc
PKGS        := sqlite3 yaml-0.1 libcrypto
OPT         ?= -O2
CFLAGS_BASE := -std=c17 -D_GNU_SOURCE -g $(OPT) -Wall -Wextra -Werror -Wshadow -Wvla \
               -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Iinclude -Iregistry \
               -pthread
ifeq ($(SAN),1)
CFLAGS_BASE += -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS_SAN := -fsanitize=address,undefined
endif
ifeq ($(SAN),fuzz)
CFLAGS_BASE += -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all \
               -fno-omit-frame-pointer
LDFLAGS_SAN := -fsanitize=address,undefined
endif

# pkg-config is only asked once the dependencies exist (the deps target installs them).
PKG_CFLAGS  = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS    = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm
CHECK_LIBS  = $(shell pkg-config --libs check 2>/dev/null)
ALL_CFLAGS  = $(CFLAGS_BASE) $(PKG_CFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(LDFLAGS_SAN) $(LDFLAGS) -pthread

CLI_SRC  := registry/main.c $(wildcard registry/cli*.c) $(wildcard registry/cmd_*.c)
LIB_SRC  := $(filter-out $(CLI_SRC),$(wildcard registry/*.c))
TEST_SRC := $(wildcard tests/check_*.c)
TOOL_SRC := $(wildcard tools/*.c)

EMBED    := $(sort $(wildcard schemas/*.sql schemas/*.yaml schemas/*.jsonld schemas/policies/*.yaml))

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/embedded.o
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_OBJ := $(TEST_SRC:%.c=$(BUILD)/%.o) $(BUILD)/tests/runner.o $(BUILD)/tests/tr_test.o
TOOLS    := $(TOOL_SRC:tools/%.c=$(BUILD)/tools/%)

# One harness per file; its corpus is tests/fuzz/corpus/<target>/, its crashes
# tests/fuzz/crashes/<target>/.
FUZZ_SRC     := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_TARGETS := $(FUZZ_SRC:tests/fuzz/fuzz_%.c=%)
FUZZ_REPLAY  := $(FUZZ_TARGETS:%=$(BUILD)/tests/fuzz/replay_%)
FUZZ_CC      ?= clang-14
FUZZ_BUILD   ?= build-fuzz
FUZZ_SECONDS ?= 20

# The fault-injection suites link their own allocator in front of malloc (-Wl,--wrap), and
# libyaml, SQLite and libcrypto statically so that their allocations go through it too.
FAULT_SRC   := $(wildcard tests/fault/*.c)
FAULT_OBJ   := $(FAULT_SRC:%.c=$(BUILD)/%.o) $(BUILD)/tests/fault/runner.o $(BUILD)/tests/tr_test.o
FAULTBIN    := $(BUILD)/tests/fault/check_fault
FAULT_WRAP  := -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup,--wrap=strndup
FAULT_LIBS   = -Wl,-Bstatic -lsqlite3 -lyaml -lcrypto -Wl,-Bdynamic -ldl -lm $(CHECK_LIBS)

LIB      := $(BUILD)/libtalentreg.a
BIN      := $(BUILD)/talentreg
TESTBIN  := $(BUILD)/check_talentreg

.PHONY: all deps deps-fuzz demo check check-asan test-unit test-cli test-fuzz test-fault \
        fuzz-build fuzz-smoke install uninstall clean format

all: $(LIB) $(BIN) $(TOOLS)

# $(call deb_install,PACKAGES): install those of the Debian PACKAGES that are missing.
define deb_install
	@missing=""; \
	for p in $(1); do \
	    dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q 'install ok installed' \
	        || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	    echo "deps: installing$$missing"; \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; \
	fi
endef

deps:
	$(call deb_install,$(DEB_PACKAGES))

deps-fuzz:
	$(call deb_install,$(FUZZ_DEB_PACKAGES))

$(BUILD)/%.o: %.c $(wildcard include/*.h include/talentreg/*.h registry/*.h) | deps
	@mkdir -p $(dir $@)
	@$(if $(Q),echo '  CC      $<')
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

# Files under schemas/ are compiled into the library (registry/embedded.h).
$(BUILD)/embedded.c: $(EMBED) tools/embed.sh
	@mkdir -p $(dir $@)
	tools/embed.sh $(EMBED) > $@.tmp
	mv $@.tmp $@

$(BUILD)/embedded.o: $(BUILD)/embedded.c registry/embedded.h | deps
	@$(if $(Q),echo '  CC      $<')
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo '  AR      $@')
	$(Q)rm -f $@
	$(Q)ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(LIB)
	@$(if $(Q),echo '  LD      $@')
	$(Q)$(CC) -o $@ $(CLI_OBJ) $(LIB) $(ALL_LDFLAGS) $(PKG_LIBS)

$(BUILD)/tools/%: tools/%.c $(LIB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo '  LD      $@')
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB) $(ALL_LDFLAGS) $(PKG_LIBS)

# Suites are found by the runner, not by a header: no prototype to require.
$(BUILD)/tests/%.o: tests/%.c $(wildcard include/*.h include/talentreg/*.h registry/*.h tests/*.h \
                                  tests/fuzz/*.h tests/fault/*.h) | deps
	@mkdir -p $(dir $@)
	@$(if $(Q),echo '  CC      $<')
	$(Q)$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -Itests -c -o $@ $<

# The command table: one CLI_CMD(name) per registry/cmd_<name>.c, sorted (registry/cli.c).
CMD_NAMES := $(sort $(patsubst registry/cmd_%.c,%,$(wildcard registry/cmd_*.c)))
$(BUILD)/commands.h: $(wildcard registry/cmd_*.c)
	@mkdir -p $(dir $@)
	printf 'CLI_CMD(%s)\n' $(CMD_NAMES) > $@.tmp
	mv $@.tmp $@

$(BUILD)/registry/cli.o: $(BUILD)/commands.h
$(BUILD)/registry/cli.o: ALL_CFLAGS += -I$(BUILD)

# The runner chains every `Suite *NAME_suite(void)` found in tests/check_*.c.
$(BUILD)/tests/suites.h: $(TEST_SRC)
	@mkdir -p $(dir $@)
	sed -n 's/^Suite \*\([a-z0-9_]*_suite\)(void)$$/TR_SUITE(\1)/p' $(TEST_SRC) > $@.tmp
	mv $@.tmp $@

$(BUILD)/tests/runner.o: tests/runner.c $(BUILD)/tests/suites.h | deps
	@mkdir -p $(dir $@)
	@$(if $(Q),echo '  CC      $<')
	$(Q)$(CC) $(ALL_CFLAGS) -I$(BUILD)/tests -c -o $@ $<

$(TESTBIN): $(TEST_OBJ) $(LIB)
	@$(if $(Q),echo '  LD      $@')
	$(Q)$(CC) -o $@ $(TEST_OBJ) $(LIB) $(ALL_LDFLAGS) $(PKG_LIBS) $(CHECK_LIBS)

test-unit: $(TESTBIN)
	./$(TESTBIN)

test-cli: $(BIN)
	tests/cli/run.sh ./$(BIN)

# Every harness replayed on its corpus and crash inputs, with the normal compiler.
$(BUILD)/tests/fuzz/replay_%: $(BUILD)/tests/fuzz/fuzz_%.o $(BUILD)/tests/fuzz/replay.o $(LIB)
	@$(if $(Q),echo '  LD      $@')
	$(Q)$(CC) -o $@ $^ $(ALL_LDFLAGS) $(PKG_LIBS)

# The objects are reused by both links: keep them.
.SECONDARY: $(FUZZ_SRC:%.c=$(BUILD)/%.o) $(BUILD)/tests/fuzz/replay.o

test-fuzz: $(FUZZ_REPLAY)
	tests/fuzz/replay.sh $(BUILD) $(FUZZ_TARGETS)

$(BUILD)/tests/fault/suites.h: $(FAULT_SRC)
	@mkdir -p $(dir $@)
	sed -n 's/^Suite \*\([a-z0-9_]*_suite\)(void)$$/TR_SUITE(\1)/p' $(FAULT_SRC) > $@.tmp
	mv $@.tmp $@

$(BUILD)/tests/fault/runner.o: tests/runner.c $(BUILD)/tests/fault/suites.h | deps
	@mkdir -p $(dir $@)
	@$(if $(Q),echo '  CC      $<')
	$(Q)$(CC) $(ALL_CFLAGS) -I$(BUILD)/tests/fault -c -o $@ $<

$(FAULTBIN): $(FAULT_OBJ) $(LIB)
	@$(if $(Q),echo '  LD      $@')
	$(Q)$(CC) -rdynamic -o $@ $(FAULT_OBJ) $(LIB) $(ALL_LDFLAGS) $(FAULT_WRAP) $(FAULT_LIBS)

test-fault: $(FAULTBIN)
	./$(FAULTBIN)

check: deps all
	$(MAKE) --no-print-directory test-unit test-fault test-fuzz test-cli

check-asan: deps
	$(MAKE) --no-print-directory BUILD=build-asan SAN=1 OPT=-O1 all
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    $(MAKE) --no-print-directory BUILD=build-asan SAN=1 OPT=-O1 test-unit test-fault \
	    test-fuzz test-cli

# The harnesses built with libFuzzer (clang, ASan + UBSan) in $(FUZZ_BUILD)/fuzz/.
$(BUILD)/fuzz/fuzz_%: $(BUILD)/tests/fuzz/fuzz_%.o $(LIB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo '  LD      $@')
	$(Q)$(CC) -fsanitize=fuzzer -o $@ $^ $(ALL_LDFLAGS) $(PKG_LIBS)

fuzz-build: deps deps-fuzz
	$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) SAN=fuzz CC=$(FUZZ_CC) OPT=-O1 \
	    $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz/fuzz_%)

# Each harness for FUZZ_SECONDS over a scratch copy of its corpus; crashes are kept in
# tests/fuzz/crashes/<target>/.
fuzz-smoke: fuzz-build
	tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

demo: deps all
	tools/demo.sh ./$(BIN)

$(BUILD)/talentreg.pc: Makefile
	@mkdir -p $(dir $@)
	printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$${prefix}/lib' 'includedir=$${prefix}/include' '' \
	    'Name: talentreg' 'Description: regional talent archive and credit registry' \
	    'Version: $(VERSION)' 'Requires.private: $(PKGS)' \
	    'Libs: -L$${libdir} -ltalentreg' 'Libs.private: -lm -pthread' \
	    'Cflags: -I$${includedir}' > $@

install: all $(BUILD)/talentreg.pc
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig \
	    $(DESTDIR)$(PREFIX)/include/talentreg $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/talentreg
	install -m 0644 $(LIB) $(DESTDIR)$(PREFIX)/lib/libtalentreg.a
	install -m 0644 $(BUILD)/talentreg.pc $(DESTDIR)$(PREFIX)/lib/pkgconfig/talentreg.pc
	install -m 0644 include/talentreg.h $(DESTDIR)$(PREFIX)/include/talentreg.h
	install -m 0644 include/talentreg/*.h $(DESTDIR)$(PREFIX)/include/talentreg/
	install -m 0644 docs/talentreg.1 $(DESTDIR)$(PREFIX)/share/man/man1/talentreg.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/talentreg $(DESTDIR)$(PREFIX)/lib/libtalentreg.a \
	    $(DESTDIR)$(PREFIX)/lib/pkgconfig/talentreg.pc $(DESTDIR)$(PREFIX)/include/talentreg.h \
	    $(DESTDIR)$(PREFIX)/share/man/man1/talentreg.1
	rm -rf $(DESTDIR)$(PREFIX)/include/talentreg

format:
	clang-format -i registry/*.c registry/*.h include/*.h include/talentreg/*.h tests/*.c tools/*.c \
	    tests/fuzz/*.c tests/fuzz/*.h tests/fault/*.c tests/fault/*.h

clean:
	rm -rf build build-asan $(FUZZ_BUILD)
