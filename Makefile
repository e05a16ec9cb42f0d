# Gouji — build, test, demo and benchmark entry points.
# Every system package the project needs is installed here (apt-get), so a fresh machine works.

SWIFT       ?= swift
SHARED      ?= $(abspath ../shared)
SEEDS       ?= $(SHARED)/seeds
APT_PACKAGES = libuv1-dev poppler-utils libsqlite3-dev pkg-config libmimalloc-dev
BIN_DEBUG    = .build/debug
BIN_RELEASE  = .build/release
DEMO_HOME   ?= $(CURDIR)/demo-home

.PHONY: deps build release test demo bench clean

# Install missing system packages (apt-get update once, only when something is missing).
deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

test: deps
	$(SWIFT) build --build-tests
	GOUJI_SHARED=$(SHARED) $(SWIFT) test --skip-build --disable-xctest

# Start the system with the embedded store, ingest the seeds, print a findings summary, stop.
demo: build
	@rm -rf $(DEMO_HOME)
	GOUJI_HOME=$(DEMO_HOME) $(BIN_DEBUG)/gouji up --workers 2
	@# Whatever ingest reports, show what was stored and stop the daemon; exit with ingest's status.
	@export GOUJI_HOME=$(DEMO_HOME); status=0; \
	$(BIN_DEBUG)/gouji ingest $(SEEDS) --wait || status=$$?; \
	$(BIN_DEBUG)/gouji ls; \
	$(BIN_DEBUG)/gouji findings --summary; \
	$(BIN_DEBUG)/gouji findings --severity error; \
	$(BIN_DEBUG)/gouji down; \
	exit $$status

bench: release
	cc -O2 -o $(BIN_RELEASE)/c-echo Benchmarks/gouji-bench/c-echo/echo.c $$(pkg-config --cflags --libs libuv)
	GOUJI_SHARED=$(SHARED) $(BIN_RELEASE)/gouji-bench --c-echo $(BIN_RELEASE)/c-echo
	BIN=$(BIN_RELEASE) SEEDS=$(SEEDS) Benchmarks/e2e.sh

clean:
	rm -rf .build $(DEMO_HOME)
