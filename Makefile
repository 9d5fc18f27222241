# The two commands a fresh machine needs (see README):
#   make demo   install what is missing, build, run FlowLine on examples/todo.csv
#   make test   install what is missing, build with ASan/UBSan, run the whole suite, then
#               `make tsan` (TSAN=OFF skips it)
# and, after those:
#   make install [PREFIX=/usr/local] [DESTDIR=]   install the Release build (README: Install)
#   make deb    build/flowline_<version>_<arch>.deb from the Release build
#   make tsan   build the threaded parts' tests and `flowline` with ThreadSanitizer (build-tsan)
#               and run them (scripts/tsan.sh; docs/reliability.md, "Sanitizers")
JOBS ?= $(shell nproc)
PREFIX ?= /usr/local
# The benchmarks need the Release build's bench targets (and `make test`'s packages).
BENCH ?= OFF
TSAN ?= ON
# What `make tsan` builds: `flowline` (the integration tests run it) and the tests labelled
# `tsan` (tests/cmake/tsan.cmake).
TSAN_TARGETS = flowline unit_engine unit_exec unit_front unit_gpu integration_tests

.PHONY: deps deps-demo deps-deb build build-test build-tsan demo test tsan install deb bench clean

# What building and running need (make demo), what packaging adds, what the tests add.
deps-demo:
	@./scripts/install-deps.sh demo
deps-deb:
	@./scripts/install-deps.sh deb
deps:
	@./scripts/install-deps.sh test

build: deps-demo
	@cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DFLOWLINE_TESTS=OFF \
	  -DFLOWLINE_BENCH=$(BENCH) >/dev/null
	@cmake --build build -j $(JOBS)

build-test: deps
	@cmake -S . -B build-test -G Ninja -DCMAKE_BUILD_TYPE=Debug -DFLOWLINE_SANITIZE=ON -DFLOWLINE_BENCH=OFF >/dev/null
	@cmake --build build-test -j $(JOBS)

# -O1, as ThreadSanitizer's documentation advises: at -O0 every test runs several times slower.
build-tsan: deps
	@cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DFLOWLINE_SANITIZE=thread \
	  "-DCMAKE_CXX_FLAGS_DEBUG=-g -O1" "-DCMAKE_C_FLAGS_DEBUG=-g -O1" \
	  -DFLOWLINE_BENCH=OFF -DFLOWLINE_EXAMPLES=OFF >/dev/null
	@cmake --build build-tsan -j $(JOBS) --target $(TSAN_TARGETS)

demo: build
	@./scripts/demo.sh build

# Then the TSan subset (about 7 minutes from a cold cache on 2 cores; TSAN=OFF skips it).
test: build-test
	@cd build-test && ctest --output-on-failure -j $(JOBS) --timeout 300
	@if [ "$(TSAN)" != OFF ]; then $(MAKE) --no-print-directory tsan; fi

tsan: build-tsan
	@JOBS=$(JOBS) ./scripts/tsan.sh build-tsan

install: build
	@DESTDIR=$(DESTDIR) cmake --install build --prefix $(PREFIX)

deb: build deps-deb
	@./scripts/make-deb.sh build

bench: deps
	@$(MAKE) --no-print-directory build BENCH=ON
	@./bench/run_all.sh build

clean:
	rm -rf build build-test build-tsan
