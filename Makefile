# The two commands: `make run` (set up, build, convert a bundled clip) and `make test`.
SWIFT ?= swift
DEMO_OUT ?= .build/demo

.PHONY: setup build run test test-wild bench fuzz clean

setup:
	@scripts/setup

build: setup
	$(SWIFT) build -c release --product tikconv

## Builds and converts the bundled phone clip (portrait, 90° rotation) offline.
run: build
	@mkdir -p $(DEMO_OUT)
	.build/release/tikconv TestMedia/portrait_rot90.mp4 TestMedia/mpeg4_mp3.avi -o $(DEMO_OUT)/ -y
	.build/release/tikconv probe $(DEMO_OUT)/portrait_rot90.tiktok.mp4

## Every test: shims, probe, planner, engine, cloud (loopback stand-in), end to end.
test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

## Local vs the ffmpeg CLI vs the cloud, side by side → benchmarks/RESULTS.md (not part of test).
bench: setup
	python3 benchmarks/run $(BENCH_ARGS)

## Real-world corpus (Tests/WildMedia/public.tsv): fetched from Debian packages into
## ${XDG_CACHE_HOME:-~/.cache}/tikconv-wild, converted with both plans, each output validated
## by ffprobe (full decode) and MediaInfo. Prints a table; see docs/WILD.md.
test-wild: setup
	$(SWIFT) build --product tikconv
	scripts/test-wild --tikconv .build/debug/tikconv

clean:
	rm -rf .build
