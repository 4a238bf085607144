# Gatehouse: the two set-up commands are `make run` and `make test` (see README.md).
SWIFT ?= swift
BIN := .build/debug/gatehouse

.PHONY: deps build run test bench fuzz dist install clean

# Installs libgit2 (Debian's libgit2-dev) when pkg-config cannot find it.
deps:
	@scripts/ensure-deps.sh

build: deps
	$(SWIFT) build --product gatehouse

# Gatehouse's main job on this repository with its own rules/: the gates of rules/gatehouse.yml
# (changed-line coverage, ownership rules) on the last commit, who must review it, whom to ask,
# and what they must check. The coverage report comes from `make test`; without one, the suite
# runs first to write it.
RUN_BASE ?= $(shell git rev-parse -q --verify HEAD~1 >/dev/null 2>&1 && echo HEAD~1 || echo HEAD)
COVERAGE_REPORT := .build/debug/codecov/Gatehouse.json
run: build $(COVERAGE_REPORT)
	$(BIN) check --base $(RUN_BASE) --verbose
	$(BIN) owners --base $(RUN_BASE)
	$(BIN) reviewers --base $(RUN_BASE)
	$(BIN) checklist --base $(RUN_BASE) --format text

$(COVERAGE_REPORT):
	@echo "gatehouse: no coverage report yet; running the test suite with coverage first (make test)"
	@scripts/ensure-test-tools.sh
	$(SWIFT) test --parallel --enable-code-coverage

# The suite runs with coverage: `make run` (and CI) then gate this repository's own change on it.
test: deps
	@scripts/ensure-test-tools.sh
	$(SWIFT) test --parallel --enable-code-coverage

# `make bench` runs every benchmark; `make bench BENCH=scale` (or diff, owners, coverage, size, dist,
# hook) runs one.
BENCH ?= all
bench: deps
	Benchmarks/run.sh $(BENCH)

# `make fuzz` builds the libFuzzer harness (Fuzz/, its own package and .build) and runs every
# target for FUZZ_SECONDS (600) each; `make fuzz FUZZ_TARGET=lcov FUZZ_SECONDS=60` runs one.
# FUZZ_JOBS targets run at a time (1). Not part of `make test`: see docs/PERFORMANCE.md.
FUZZ_TARGET ?= all
FUZZ_SECONDS ?= 600
FUZZ_JOBS ?= 1
fuzz:
	SWIFT=$(SWIFT) FUZZ_TARGET=$(FUZZ_TARGET) FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_JOBS=$(FUZZ_JOBS) scripts/fuzz.sh

# `make dist` writes dist/gatehouse-<version>-linux-<arch>.tar.gz: the release executable with the
# Swift runtime linked in, its completions, man page, README, license and SHA256SUMS
# (scripts/dist.sh). `make install PREFIX=/usr/local DESTDIR=` puts each where it belongs.
PREFIX ?= /usr/local
DESTDIR ?=
dist: deps
	SWIFT=$(SWIFT) scripts/dist.sh

install: deps
	@stage=$$(SWIFT=$(SWIFT) scripts/dist.sh stage | tail -1) && \
	install -d "$(DESTDIR)$(PREFIX)/bin" "$(DESTDIR)$(PREFIX)/share/man/man1" \
	  "$(DESTDIR)$(PREFIX)/share/bash-completion/completions" "$(DESTDIR)$(PREFIX)/share/zsh/site-functions" \
	  "$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d" "$(DESTDIR)$(PREFIX)/share/doc/gatehouse" && \
	install -m 0755 "$$stage/bin/gatehouse" "$(DESTDIR)$(PREFIX)/bin/gatehouse" && \
	install -m 0644 "$$stage/share/man/man1/gatehouse.1" "$(DESTDIR)$(PREFIX)/share/man/man1/gatehouse.1" && \
	install -m 0644 "$$stage/share/bash-completion/completions/gatehouse" "$(DESTDIR)$(PREFIX)/share/bash-completion/completions/gatehouse" && \
	install -m 0644 "$$stage/share/zsh/site-functions/_gatehouse" "$(DESTDIR)$(PREFIX)/share/zsh/site-functions/_gatehouse" && \
	install -m 0644 "$$stage/share/fish/vendor_completions.d/gatehouse.fish" "$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/gatehouse.fish" && \
	install -m 0644 "$$stage"/share/doc/gatehouse/* "$(DESTDIR)$(PREFIX)/share/doc/gatehouse/" && \
	echo "gatehouse: installed $(DESTDIR)$(PREFIX)/bin/gatehouse"

clean:
	rm -rf .build Fuzz/.build dist
