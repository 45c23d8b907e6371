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
MAIN_SRC := src/main.c $(filter-out src/main.c,$(wildcard src/*.c))
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

.PHONY: all check unit unit-san integration run bench deps clean format mutants \
	coverage

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

# make check: unit tests (plain and ASan+UBSan), then integration tests.
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

bench: bin/iorace
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

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(SAN) bin
