# The two commands of the README, and their parts. Each installs what it needs
# (tools/install-deps.sh, Debian packages and npm) and then works offline.
#   make demo   build, run the specification's examples (C++ and JavaScript), a short benchmark
#   make test   build, run every C++ and JavaScript test
#   make bench  the full benchmark against OpenBLAS, oneDNN, libxsmm and Eigen

JOBS ?= $(shell nproc)
SGMM := build/release/tools/sgmm

.PHONY: demo test test-cpp test-js test-asan bench deps build js

deps:
	tools/install-deps.sh

build: deps
	cmake --preset release
	cmake --build --preset release -j $(JOBS)

js: deps
	cd bindings/node && npm install --no-audit --no-fund

demo: build js
	$(SGMM) info
	$(SGMM) demo
	for example in examples/js/*.js; do echo "== node $$example"; node $$example || exit 1; done
	bench/run.sh --quick

test-cpp: build
	ctest --preset release -j $(JOBS)

test-js: js
	cd bindings/node && npm test

test: test-cpp test-js

test-asan: deps
	cmake --preset asan
	cmake --build --preset asan -j $(JOBS)
	ctest --preset asan -j $(JOBS)

bench: deps
	bench/run.sh
