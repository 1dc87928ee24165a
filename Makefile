# Thin wrapper: the real build is CMake. `make run`, `make test`, `make bench`.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
SCENARIO ?= scenarios/sklearn-iris.json
OUT ?= out/sklearn-iris

.PHONY: all deps build build-asan run test bench format clean

all: build

deps:
	@scripts/install-deps

build: deps
	@cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build build -j $(JOBS)

build-asan: deps
	@cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DSCALESIM_SANITIZE=ON >/dev/null
	@cmake --build build-asan -j $(JOBS)

run: build
	./build/scalesim run $(SCENARIO) -o $(OUT)

test: build build-asan
	cd build && ctest --output-on-failure -j $(JOBS)
	cd build-asan && ctest --output-on-failure -j $(JOBS) -LE slow

bench: build
	bench/run

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf build build-asan out
