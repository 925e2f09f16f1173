# Telltale: build, run and test. `make run` serves the web app; `make test` runs every test.
SHELL := /bin/bash
GO ?= go
VERSION ?= $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo dev)
ADDR ?= 127.0.0.1:8000
BASE ?= /
WASM_EXEC := $(shell $(GO) env GOROOT)/lib/wasm/go_js_wasm_exec
LDFLAGS := -s -w -X main.version=$(VERSION)

.PHONY: all run build telltale test test-native test-wasm test-e2e size bench clean

all: build

bin/telltale: FORCE
	@mkdir -p bin
	$(GO) build -ldflags '$(LDFLAGS)' -o bin/telltale ./cmd/telltale

telltale: bin/telltale

# build writes the static site to site/ (override the sub-path with BASE=/telltale/).
build: bin/telltale
	bin/telltale build --out site --base $(BASE)

# run builds the site and serves it on $(ADDR); it prints the URL.
run: bin/telltale
	bin/telltale serve --addr $(ADDR)

# test runs every test: native with -race, the core under node as js/wasm, and
# the browser tests in headless Chromium.
test: test-native test-wasm test-e2e

test-native:
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...

test-wasm:
	GOOS=js GOARCH=wasm $(GO) test -count=1 -exec="$(WASM_EXEC)" ./core/...

test-e2e: bin/telltale
	TELLTALE_E2E=1 $(GO) test -count=1 -run 'TestBrowser' -v ./cmd/telltale/

size: build
	@raw=$$(stat -c %s site/app.wasm); gz=$$(stat -c %s site/app.wasm.gz); br=$$(stat -c %s site/app.wasm.br); \
	printf 'app.wasm raw %d bytes (%.1f MB), gzip %d bytes (%.1f MB), brotli %d bytes (%.1f MB)\n' \
	  $$raw $$(echo "$$raw/1000000" | bc -l) $$gz $$(echo "$$gz/1000000" | bc -l) $$br $$(echo "$$br/1000000" | bc -l)

bench:
	@echo "== native"
	$(GO) test -run '^$$' -bench . -benchmem -count 5 ./core/... | tee bench-native.out
	@echo "== js/wasm (node)"
	GOOS=js GOARCH=wasm $(GO) test -run '^$$' -bench . -benchmem -count 5 -exec="$(WASM_EXEC)" ./core/... | tee bench-wasm.out

clean:
	rm -rf bin site bench-*.out

FORCE:
