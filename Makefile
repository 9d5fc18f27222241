# The two commands a fresh machine needs (see README):
#   make demo   install what is missing, build, run FlowLine on examples/todo.csv
#   make test   install what is missing, build with ASan/UBSan, run the whole suite
# and, after those:
#   make install [PREFIX=/usr/local] [DESTDIR=]   install the Release build (README: Install)
#   make deb    build/flowline_<version>_<arch>.deb from the Release build
JOBS ?= $(shell nproc)
PREFIX ?= /usr/local
# The benchmarks need the Release build's bench targets (and `make test`'s packages).
BENCH ?= OFF

.PHONY: deps deps-demo deps-deb build build-test demo test install deb bench clean

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

demo: build
	@./scripts/demo.sh build

test: build-test
	@cd build-test && ctest --output-on-failure -j $(JOBS) --timeout 300

install: build
	@DESTDIR=$(DESTDIR) cmake --install build --prefix $(PREFIX)

deb: build deps-deb
	@./scripts/make-deb.sh build

bench: deps
	@$(MAKE) --no-print-directory build BENCH=ON
	@./bench/run_all.sh build

clean:
	rm -rf build build-test
