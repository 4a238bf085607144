# Gatehouse: the two set-up commands are `make run` and `make test` (see README.md).
SWIFT ?= swift
BIN := .build/debug/gatehouse

.PHONY: deps build run test bench clean

# Installs libgit2 (Debian's libgit2-dev) when pkg-config cannot find it.
deps:
	@scripts/ensure-deps.sh

build: deps
	$(SWIFT) build --product gatehouse

# Gatehouse's main job on this repository with its own rules/: until the gates exist, check
# the ownership rules, then show who must review the last commit (HEAD itself in a clone with
# a single commit).
RUN_BASE ?= $(shell git rev-parse -q --verify HEAD~1 >/dev/null 2>&1 && echo HEAD~1 || echo HEAD)
run: build
	$(BIN) rules check
	$(BIN) owners --base $(RUN_BASE) --verbose

test: deps
	$(SWIFT) test --parallel

bench: deps
	Benchmarks/run.sh

clean:
	rm -rf .build
