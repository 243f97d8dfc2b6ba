# Bulkhead — the two commands a user needs:
#   make run    install what is missing, build, and open the Online Boutique sample in the desktop
#               application (without a display: print its policies with bulkhead-cli)
#   make test   the same set-up, then every test (and the core and CLI tests under the sanitizers)
# Other targets: make build, make golden, make deps, make asan, make fuzz, make bench, make bench-gui, make clean.

BUILD_DIR   ?= build
ASAN_DIR    ?= build-asan
JOBS        ?= 2
CMAKE_FLAGS ?=
FUZZ_DIR    ?= build-fuzz
FUZZ_SECONDS ?= 60
SAMPLE      := samples/online-boutique

# Debian 12 packages Bulkhead builds and tests with.
DEB_PACKAGES := build-essential cmake ninja-build pkg-config ccache libnghttp2-dev \
                qt6-base-dev qt6-svg-dev libgl-dev libgraphviz-dev graphviz libcairo2-dev \
                libyaml-cpp-dev libyaml-dev libsimdjson-dev libpcap-dev nlohmann-json3-dev libcli11-dev libabsl-dev \
                python3 python3-yaml python3-jsonschema xvfb xauth time bc clang-format-14 lld

# Only for `make fuzz` (libFuzzer comes with clang's runtime libraries), not for `make test`.
FUZZ_PACKAGES := clang-14 libclang-rt-14-dev
FUZZERS := decoder_ethernet decoder_sll decoder_raw decoder_null inventory policies zones project names http http_filter

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps fuzz-deps build golden run run-gui screenshots test test-unit asan fuzz bench bench-blast-json bench-gui clean

all: build

deps:
	@missing=$$(for p in $(DEB_PACKAGES); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	    echo "Installing: $$missing"; \
	    $(SUDO) apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

fuzz-deps: deps
	@missing=$$(for p in $(FUZZ_PACKAGES); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	    echo "Installing: $$missing"; \
	    $(SUDO) apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS)

build: deps $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS)

# The desktop application on the sample when there is a display; otherwise the sample's
# policies from the command line, saying why.
run: build
	@if [ -n "$$DISPLAY" ] || [ -n "$$WAYLAND_DISPLAY" ]; then \
	    $(BUILD_DIR)/bin/bulkhead $(SAMPLE); \
	else \
	    echo "make run: no display (neither DISPLAY nor WAYLAND_DISPLAY is set), so here are the sample's policies from bulkhead-cli; run 'make run' on a desktop for the application." >&2; \
	    $(BUILD_DIR)/bin/bulkhead-cli generate --inventory $(SAMPLE)/inventory.yaml \
	        --capture $(SAMPLE)/node1.pcapng --capture $(SAMPLE)/node2.pcap --zones $(SAMPLE)/zones.yaml; \
	fi

# Rewrite the golden files (tests/golden/expected/: the CLI's outputs on the sample) after a
# change of output that is meant; `git diff tests/golden` shows what changed.
golden: build
	tests/golden/golden.sh $(BUILD_DIR)/bin/bulkhead-cli --update

# The desktop application on the sample.
run-gui: build
	$(BUILD_DIR)/bin/bulkhead $(SAMPLE)

# PNG pictures of the application on the sample, under Xvfb, into docs/screenshots/.
screenshots: build
	tests/tools/screenshots.sh $(BUILD_DIR)/bin/bulkhead

test-unit: build
	cd $(BUILD_DIR) && ctest -j $(JOBS) --output-on-failure

# The core and command-line tests again under AddressSanitizer + UndefinedBehaviorSanitizer
# (CMAKE_FLAGS=-DBULKHEAD_BUILD_GUI=ON adds the desktop application and its tests).
asan: deps
	cmake --preset asan $(CMAKE_FLAGS) >/dev/null
	cmake --build $(ASAN_DIR) -j $(JOBS)
	cd $(ASAN_DIR) && LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1 \
	    ctest -j $(JOBS) --output-on-failure

test: test-unit asan

# The benchmark suite (README "Performance"), in a Release build of its own; not part of `test`.
# BENCH_SCALE=0.2 shrinks every size. Synthetic captures are kept in $(BENCH_DIR)/bench-data.
BENCH_DIR   ?= build-rel
BENCH_SCALE ?= 1
bench: deps
	cmake -S . -B $(BENCH_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release -DBULKHEAD_BUILD_GUI=OFF $(CMAKE_FLAGS) >/dev/null
	cmake --build $(BENCH_DIR) -j $(JOBS) --target bulkhead-bench
	BENCH_SCALE=$(BENCH_SCALE) $(BENCH_DIR)/bin/bulkhead-bench $(BENCH_DIR)/bench-data
	$(MAKE) bench-blast-json

# blast-radius --format json at 10,000 and 30,000 workloads: output size, time, peak memory
# (tests/bench/blastradiusjson.sh). BLAST_SIZES="1000" for a quick look.
BLAST_SIZES ?= 10000 30000
bench-blast-json: deps
	cmake -S . -B $(BENCH_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release -DBULKHEAD_BUILD_GUI=OFF $(CMAKE_FLAGS) >/dev/null
	cmake --build $(BENCH_DIR) -j $(JOBS) --target bulkhead-cli
	tests/bench/blastradiusjson.sh $(BENCH_DIR)/bin/bulkhead-cli $(BENCH_DIR)/bench-data $(BLAST_SIZES)

# The desktop application opening 1k/2k/5k-workload models (tests/bench/guibench.cpp): time to
# interactive, GUI-thread stalls, selection, a design change, painting, peak memory. A tree of its
# own with the GUI, offscreen; not part of `test`. Models are kept in $(BENCH_GUI_DIR)/bench-data.
BENCH_GUI_DIR ?= build-rel-gui
bench-gui: deps
	cmake -S . -B $(BENCH_GUI_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS) >/dev/null
	cmake --build $(BENCH_GUI_DIR) -j $(JOBS) --target bulkhead-guibench
	QT_QPA_PLATFORM=offscreen $(BENCH_GUI_DIR)/bin/bulkhead-guibench $(BENCH_GUI_DIR)/bench-data

# libFuzzer targets (tests/fuzz) built with clang 14 + ASan/UBSan, each run FUZZ_SECONDS from the
# committed seeds (tests/fuzz/corpus/<target>). New inputs go to $(FUZZ_DIR)/corpus, crashes to
# $(FUZZ_DIR)/artifacts/<target>/ (then: add a regression row to the relevant tests/core test).
fuzz: fuzz-deps
	cmake -S . -B $(FUZZ_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++-14 \
	    -DBULKHEAD_BUILD_FUZZERS=ON -DBULKHEAD_BUILD_GUI=OFF -DBULKHEAD_BUILD_TESTS=OFF >/dev/null
	cmake --build $(FUZZ_DIR) -j $(JOBS) --target fuzzers
	@failed=; for t in $(FUZZERS); do \
	    mkdir -p $(FUZZ_DIR)/corpus/$$t $(FUZZ_DIR)/artifacts/$$t; \
	    echo "== fuzz_$$t for $(FUZZ_SECONDS) s"; \
	    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	    $(FUZZ_DIR)/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
	        -print_final_stats=1 -artifact_prefix=$(FUZZ_DIR)/artifacts/$$t/ \
	        $(FUZZ_DIR)/corpus/$$t tests/fuzz/corpus/$$t >$(FUZZ_DIR)/fuzz_$$t.log 2>&1 || failed="$$failed $$t"; \
	    grep -E '^stat::number_of_executed_units|ERROR|SUMMARY|Test unit written' $(FUZZ_DIR)/fuzz_$$t.log || true; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzzers that found a problem:$$failed (logs in $(FUZZ_DIR))"; exit 1; fi

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR) $(FUZZ_DIR)
