# iorace — see README.md. `make deps` installs the Debian packages it needs.
CC ?= cc
PKGS := libaio liburing json-c
CFLAGS ?= -O2 -g
CFLAGS += -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE -I. -pthread \
	-I/usr/include/tracefs -I/usr/include/traceevent
LDLIBS += -laio -luring -ljson-c -lpthread -lm -lbabeltrace2 \
	-llttng-ust -ldl -ltracefs -ltraceevent -ldevmapper

# Library code: everything except the CLI entry point.
LIB_SRC := $(sort $(wildcard common/*.c model/*.c replay/*.c injectors/*.c \
	trace/*.c checker/*.c))
MAIN_SRC := src/main.c $(filter-out src/main.c,$(wildcard src/*.c src/commands/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))

BUILD := build
SAN := build-san
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all -O1

LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
MAIN_OBJ := $(MAIN_SRC:%.c=$(BUILD)/%.o)
SAN_LIB_OBJ := $(LIB_SRC:%.c=$(SAN)/%.o)
SAN_MAIN_OBJ := $(MAIN_SRC:%.c=$(SAN)/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
SAN_UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(SAN)/tests/%)

.PHONY: all check unit unit-san integration run bench deps clean format lint \
	layers mutants coverage fuzz fuzz-smoke

all: bin/iorace

bin/iorace: $(MAIN_OBJ) $(LIB_OBJ)
	@mkdir -p bin
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

bin/iorace-san: $(SAN_MAIN_OBJ) $(SAN_LIB_OBJ)
	@mkdir -p bin
	$(CC) $(CFLAGS) $(SANFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(SAN)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SANFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS) -lcmocka

$(SAN)/tests/%: tests/unit/%.c $(SAN_LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SANFLAGS) -o $@ $^ $(LDLIBS) -lcmocka

-include $(shell find $(BUILD) $(SAN) -name '*.d' 2>/dev/null)

# make check: unit tests (plain and ASan+UBSan), the style checks of make lint,
# then integration tests.
# Each step prints its own result lines; tests/run-all sums them up into the
# closing "N passed, N failed".
check: bin/iorace bin/iorace-san $(UNIT_BIN) $(SAN_UNIT_BIN)
	@tests/run-all $(UNIT_BIN) $(SAN_UNIT_BIN)

unit: $(UNIT_BIN)
	@tests/run-all --unit-only $(UNIT_BIN)

# make run WORKLOAD=seed-truncate-dio SCALE=0.05: run one workload on the host.
WORKLOAD ?= seed-truncate-dio
SCALE ?= 0.05
run: bin/iorace
	bin/iorace run $(WORKLOAD) --scale $(SCALE) --out results/$(WORKLOAD)-$$(date +%s)

# bench/ust-micro's program: UST cost per event through the trace layer
UST_MICRO := $(BUILD)/bench/ust-micro
$(UST_MICRO): $(BUILD)/bench/ust_micro.o $(LIB_OBJ)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

bench: bin/iorace $(UST_MICRO)
	bench/run

deps:
	ci/install-deps

# make mutants: clean and mutant kernels (tests/mutants/*.patch) in the VM,
# plus the known-bad controls; prints the caught/escaped table.
mutants: bin/iorace
	ci/mutants

# make coverage: kernel coverage of the ext4/iomap DIO paths (the functions
# of ci/coverage/dio-paths.txt) reached by each named workload, on a gcov
# kernel in the VM; tables, unreached list and HTML in results/coverage-*,
# the union figure last. COVERAGE_OPTS: more ci/coverage/run options and
# workloads (e.g. COVERAGE_OPTS="--kernel ~/linux/build hole-fill-read").
COVERAGE_OPTS ?=
coverage: bin/iorace
	ci/coverage/run $(COVERAGE_OPTS)

# make fuzz [FUZZ_TIME=N]: libFuzzer targets (tests/fuzz/fuzz_*.c, clang's
# -fsanitize=fuzzer,address,undefined), each run N seconds (default 60)
# one after the other over its seed corpus (tests/fuzz/seed/, workloads/,
# tests/fio/) and regressions (tests/fuzz/regress/); crashes land in
# build-fuzz/. make fuzz-smoke: each target over seeds and regressions only.
# Neither is part of make check (clang's libFuzzer runtime).
FUZZ_CC ?= clang
FUZZ_TIME ?= 60
FUZZ := build-fuzz
FUZZFLAGS := -fsanitize=fuzzer,address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined -O1 -g
FUZZ_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE -I. -pthread \
	-I/usr/include/tracefs -I/usr/include/traceevent
FUZZ_TARGETS := workload oplog inject compare iolog
FUZZ_BIN := $(FUZZ_TARGETS:%=$(FUZZ)/fuzz_%)
FUZZ_LIB_OBJ := $(LIB_SRC:%.c=$(FUZZ)/%.o)
FUZZ_OPTS := -rss_limit_mb=2048 -malloc_limit_mb=512 -timeout=10
# a target's seeds and regressions (shell: $$t the target)
FUZZ_SEEDS = c="tests/fuzz/regress/$$t"; \
	if [ $$t = workload ]; then c="$$c workloads tests/fio"; \
	else c="$$c tests/fuzz/seed/$$t"; fi

.SECONDARY: $(FUZZ_LIB_OBJ)

$(FUZZ)/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined \
		-fno-omit-frame-pointer -O1 -g -c -o $@ $<

$(FUZZ)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_util.h $(FUZZ_LIB_OBJ)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZFLAGS) -o $@ $< $(FUZZ_LIB_OBJ) \
		$(LDLIBS)

fuzz: $(FUZZ_BIN)
	@for t in $(FUZZ_TARGETS); do \
		mkdir -p $(FUZZ)/corpus-$$t $(FUZZ)/crash-$$t; \
		echo "fuzz $$t: $(FUZZ_TIME) s"; $(FUZZ_SEEDS); \
		$(FUZZ)/fuzz_$$t $(FUZZ_OPTS) -max_total_time=$(FUZZ_TIME) \
			-artifact_prefix=$(FUZZ)/crash-$$t/ \
			$(FUZZ)/corpus-$$t $$c || exit 1; \
	done

fuzz-smoke: $(FUZZ_BIN)
	@for t in $(FUZZ_TARGETS); do \
		$(FUZZ_SEEDS); \
		$(FUZZ)/fuzz_$$t $(FUZZ_OPTS) -runs=0 $$c >/dev/null 2>&1 && \
			echo "ok   fuzz-smoke $$t" || \
			{ echo "FAIL fuzz-smoke $$t"; exit 1; }; \
	done

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

# make lint: clang-format --dry-run --Werror over the C and shellcheck over
# the shell scripts (tests/style); make check runs both as tests.
lint:
	@rc=0; tests/style clang-format || rc=1; tests/style shellcheck || rc=1; \
	exit $$rc

# make layers: every #include "DIR/..." goes down the layers
# common <- model <- trace <- replay -> injectors <- checker <- src
# (tests/layers); prints the directory include graph.
layers:
	@tests/layers

clean:
	rm -rf $(BUILD) $(SAN) $(FUZZ) bin
