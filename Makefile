# The two commands: `make run` (set up, build, convert a bundled clip) and `make test`.
SWIFT ?= swift
DEMO_OUT ?= .build/demo
# `make install PREFIX=~/.local` (DESTDIR for packaging).
PREFIX ?= /usr/local
DESTDIR ?=
SHARE = $(DESTDIR)$(PREFIX)/share

.PHONY: setup build run test test-asan test-tsan fuzz leaks test-wild bench clean install uninstall

setup:
	@scripts/setup

# libTikconvVision (OpenCV for smart reframing) is a shared library the binary opens on first
# use, next to it here and under lib/tikconv/ once installed. The binary carries its own Swift
# runtime (--static-swift-stdlib): only the parts it uses are mapped, about 6.5 MB less resident
# memory in every run (--version 15 MB instead of 21), and it runs where no Swift is installed.
RELEASE = -c release --static-swift-stdlib
build: setup
	$(SWIFT) build $(RELEASE) --product tikconv
	$(SWIFT) build $(RELEASE) --product TikconvVision

## Builds and converts the bundled phone clip (portrait, 90° rotation) offline.
run: build
	@mkdir -p $(DEMO_OUT)
	.build/release/tikconv TestMedia/portrait_rot90.mp4 TestMedia/mpeg4_mp3.avi -o $(DEMO_OUT)/ -y
	.build/release/tikconv probe $(DEMO_OUT)/portrait_rot90.tiktok.mp4

## Every test: shims, probe, planner, engine, cloud (loopback stand-in), end to end.
## The suite is XCTest only: without --disable-swift-testing, swift-testing's runner would
## add a "Test run with 0 tests passed" line after XCTest's real count.
test: setup
	scripts/check-layers
	scripts/check-function-length
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --disable-swift-testing

## The release binary, its man page and bash/zsh/fish completions under PREFIX, all generated
## by swift-argument-parser from the command tree (the man page by its generate-manual plugin,
## which reads the same help from a build of its own configuration; debug is the cheaper one).
install: build
	$(SWIFT) package plugin generate-manual --configuration debug >/dev/null
	scripts/fix-manual .build/plugins/GenerateManual/outputs/tikconv/tikconv.1
	@mkdir -p .build/completions
	.build/release/tikconv --generate-completion-script bash > .build/completions/tikconv.bash
	.build/release/tikconv --generate-completion-script zsh > .build/completions/_tikconv
	.build/release/tikconv --generate-completion-script fish > .build/completions/tikconv.fish
	install -d "$(DESTDIR)$(PREFIX)/bin" "$(SHARE)/man/man1" "$(SHARE)/bash-completion/completions" \
	  "$(SHARE)/zsh/site-functions" "$(SHARE)/fish/vendor_completions.d"
	install -m 755 .build/release/tikconv "$(DESTDIR)$(PREFIX)/bin/tikconv"
	install -d "$(DESTDIR)$(PREFIX)/lib/tikconv"
	install -m 755 .build/release/libTikconvVision.so "$(DESTDIR)$(PREFIX)/lib/tikconv/libTikconvVision.so"
	install -m 644 .build/plugins/GenerateManual/outputs/tikconv/tikconv.1 "$(SHARE)/man/man1/tikconv.1"
	install -m 644 .build/completions/tikconv.bash "$(SHARE)/bash-completion/completions/tikconv"
	install -m 644 .build/completions/_tikconv "$(SHARE)/zsh/site-functions/_tikconv"
	install -m 644 .build/completions/tikconv.fish "$(SHARE)/fish/vendor_completions.d/tikconv.fish"
	# The YuNet face model scripts/setup fetched (smart reframing finds it in PREFIX/share/tikconv).
	install -D -m 644 "$${XDG_DATA_HOME:-$$HOME/.local/share}/tikconv/face_detection_yunet_2023mar.onnx" \
	  "$(SHARE)/tikconv/face_detection_yunet_2023mar.onnx"

uninstall:
	rm -f "$(SHARE)/tikconv/face_detection_yunet_2023mar.onnx"
	rm -f "$(DESTDIR)$(PREFIX)/lib/tikconv/libTikconvVision.so"
	rm -f "$(DESTDIR)$(PREFIX)/bin/tikconv" "$(SHARE)/man/man1/tikconv.1" "$(SHARE)/bash-completion/completions/tikconv" \
	  "$(SHARE)/zsh/site-functions/_tikconv" "$(SHARE)/fish/vendor_completions.d/tikconv.fish"

## Local vs the ffmpeg CLI vs the cloud, side by side → benchmarks/RESULTS.md (not part of test).
bench:
	@scripts/setup bench
	python3 benchmarks/run $(BENCH_ARGS)

## Real-world corpus (Tests/WildMedia/public.tsv): fetched from Debian packages into
## ${XDG_CACHE_HOME:-~/.cache}/tikconv-wild, converted with both plans, each output validated
## by ffprobe (full decode) and MediaInfo. Prints a table; see docs/WILD.md.
test-wild: setup
	$(SWIFT) build --product tikconv
	$(SWIFT) build --product TikconvVision
	scripts/test-wild --tikconv .build/debug/tikconv

## The whole suite under AddressSanitizer, in its own scratch path; the end-to-end tests then run
## the ASan-built tikconv (and fuzz replays) found beside the test bundle, with LeakSanitizer on
## for those children (off for the XCTest process, whose runtime keeps test objects alive).
test-asan: setup
	$(SWIFT) build --build-tests --sanitize=address --scratch-path .build-asan
	TIKCONV_TEST_SANITIZER=address ASAN_OPTIONS=detect_leaks=0 $(SWIFT) test --skip-build --disable-swift-testing --sanitize=address --scratch-path .build-asan

## The same under ThreadSanitizer (signal handling, progress callbacks, engine threads).
test-tsan: setup
	$(SWIFT) build --build-tests --sanitize=thread --scratch-path .build-tsan
	TIKCONV_TEST_SANITIZER=thread $(SWIFT) test --skip-build --disable-swift-testing --sanitize=thread --scratch-path .build-tsan

## libFuzzer over the probe (arbitrary bytes as a file) and the planner's prompt parsing, a fixed
## number of executions each (PROBE_RUNS, PROMPT_RUNS). Scratch path .build-fuzz.
fuzz: setup
	@scripts/fuzz

## One full conversion of a small clip under valgrind (release build, one thread). Debian's
## valgrind 3.19 cannot read the DWARF 5 the Swift 6 toolchain writes, so it runs a copy
## without debug info.
leaks: build
	objcopy --strip-debug .build/release/tikconv .build/tikconv-nodebug
	valgrind --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite --error-exitcode=9 \
	  .build/tikconv-nodebug TestMedia/h264_aac_16x9.mp4 -o .build/leaks.mp4 -y --threads 1 --progress none

clean:
	rm -rf .build .build-asan .build-tsan .build-fuzz
