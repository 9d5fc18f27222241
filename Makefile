# The two commands a fresh machine needs (see README):
#   make demo   install what is missing, build, run FlowLine on examples/todo.csv
#   make test   install what is missing, build with ASan/UBSan, run the whole suite
JOBS ?= $(shell nproc)

.PHONY: deps build build-test demo test bench clean

deps:
	@./scripts/install-deps.sh

build: deps
	@cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DFLOWLINE_TESTS=OFF >/dev/null
	@cmake --build build -j $(JOBS)

build-test: deps
	@cmake -S . -B build-test -G Ninja -DCMAKE_BUILD_TYPE=Debug -DFLOWLINE_SANITIZE=ON -DFLOWLINE_BENCH=OFF >/dev/null
	@cmake --build build-test -j $(JOBS)

demo: build
	@./scripts/demo.sh build

test: build-test
	@cd build-test && ctest --output-on-failure -j $(JOBS) --timeout 300

bench: build
	@./bench/run_all.sh build

clean:
	rm -rf build build-test
