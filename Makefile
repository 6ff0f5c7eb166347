# The developer interface: CI calls the same targets. Each target installs what it is missing.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PORT ?= 8080
CONFIG ?= release
BIN = .build/$(CONFIG)/rendezvous
# Release builds link the Swift runtime and Foundation into the binary: dead code is stripped, no
# shared-library relocations at start, ~15 % more pages a second and less resident code
# (docs/performance.md). Debug builds (the tests) stay dynamic: faster to link.
RELEASE_FLAGS = --static-swift-stdlib
PYTHON = .build/venv/bin/python
export DATABASE_URL ?= sqlite://./data/rendezvous.sqlite

# Building needs cairo, pango and qrencode headers; badges need the Noto fonts for every script, and
# Noto Color Emoji for emoji (without it they print as boxes).
RUN_PACKAGES = tzdata ca-certificates pkg-config libcairo2-dev libpango1.0-dev libqrencode-dev libgdk-pixbuf-2.0-dev webp-pixbuf-loader fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji
TEST_PACKAGES = $(RUN_PACKAGES) postgresql nginx python3 python3-venv chromium chromium-driver poppler-utils zbar-tools openssl
BENCH_PACKAGES = $(RUN_PACKAGES) wrk python3 python3-venv time postgresql nginx
CLUSTER_PACKAGES = $(RUN_PACKAGES) postgresql nginx curl

PREFIX ?= /opt/rendezvous

.PHONY: help run build install test fuzz bench cluster cluster-stop deps deps-test deps-bench deps-cluster migrate demo openapi clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

run: deps build ## Build, migrate, load the demo network if empty, serve on http://localhost:8080
	@mkdir -p data
	PORT=$(PORT) $(BIN) serve --demo

build: ## Build the rendezvous command ($(CONFIG))
	swift build -c $(CONFIG) $(if $(filter release,$(CONFIG)),$(RELEASE_FLAGS)) --product rendezvous

install: deps build ## Install the release in $(PREFIX) with its resources, linked from /usr/local/bin (docs/operations.md)
	install -d $(PREFIX)
	install -m 0755 .build/release/rendezvous $(PREFIX)/rendezvous
	rm -rf $(PREFIX)/Rendezvous_*.resources
	cp -R .build/release/Rendezvous_*.resources $(PREFIX)/
	ln -sfn $(PREFIX)/rendezvous /usr/local/bin/rendezvous

test: deps-test ## Every test, against SQLite and a throwaway PostgreSQL
	@scripts/python-venv.sh
	$(PYTHON) -m openapi_spec_validator Sources/RendezvousWeb/openapi.json
	swift build --build-tests
	DATABASE_POOL_TIMEOUT=180 REQUIRE_POSTGRES=1 REQUIRE_SMTP=1 scripts/with-postgres.sh swift test --skip-build
	BIN=.build/debug/rendezvous python3 Tests/cluster/kill_test.py
	$(PYTHON) -m pytest -q Tests/browser

fuzz: ## libFuzzer on the CSV import, iCalendar escaping, SMTP replies and JSON bodies, FUZZ_SECONDS (60) each
	scripts/fuzz.sh

bench: deps-bench ## wrk against /healthz and an event page, a 5,000-person registration rush, a 2,000-phone live quiz, insights on a generated 4-million-registration network
	@scripts/python-venv.sh
	swift build -c release $(RELEASE_FLAGS) --product rendezvous
	scripts/bench.sh
	scripts/bench-insights.sh

cluster: deps-cluster ## Three instances on a throwaway PostgreSQL behind nginx, on http://127.0.0.1:8100 (cluster-stop ends it)
	@[ -x .build/release/rendezvous ] || [ -x .build/debug/rendezvous ] || swift build --product rendezvous
	scripts/cluster.sh start

cluster-stop: ## Stop the cluster of make cluster and delete its data
	scripts/cluster.sh stop

migrate: build ## Apply migrations to DATABASE_URL
	$(BIN) migrate

demo: build ## Load the demo network into an empty DATABASE_URL
	$(BIN) demo

openapi: ## Regenerate Sources/RendezvousWeb/openapi.json from scripts/openapi.py
	python3 scripts/openapi.py

deps:
	@scripts/install-deps.sh $(RUN_PACKAGES)

deps-test:
	@scripts/install-deps.sh $(TEST_PACKAGES)

deps-bench:
	@scripts/install-deps.sh $(BENCH_PACKAGES)

deps-cluster:
	@scripts/install-deps.sh $(CLUSTER_PACKAGES)

clean:
	rm -rf .build
