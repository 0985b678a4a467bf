// swift-tools-version:6.0
// tikconv: videos, photos and scripts → TikTok-ready MP4s.
// One target per layer; dependencies point down only (see README "Architecture").
import PackageDescription

// Pixel kernels run per pixel, so they are compiled optimised even in debug builds:
// otherwise `make test` (a debug build) would spend minutes in unoptimised loops.
let optimisedC: [CSetting] = [.unsafeFlags(["-O3"])]

let package = Package(
    name: "tikconv",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "tikconv", targets: ["tikconv"]),
        // OpenCV behind the CVision C API, opened by the binary on first use (Sources/CLazyLoad).
        .library(name: "TikconvVision", type: .dynamic, targets: ["CVisionImpl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // C interop: system libraries found by pkg-config, plus shims for macros and variadics.
        // FFmpeg's headers only: no library is linked (no pkgConfig, no `link`); CFFmpegLoader
        // opens libav* on first use, so `tikconv --version` maps none of them.
        .systemLibrary(
            name: "CFFmpeg",
            providers: [.apt(["libavformat-dev", "libavcodec-dev", "libavfilter-dev", "libavutil-dev", "libswscale-dev", "libswresample-dev"])]
        ),
        // libcurl's headers; the library is opened on first use (only the cloud route pays for it).
        .target(name: "CCurl", dependencies: ["CLazyLoad"]),
        // Load on first use: the heavy libraries below are not linked (no DT_NEEDED entry); each
        // module's loader.c opens its library with dlopen the first time a stage calls it. Their
        // headers still come from the -dev packages. The recipe is in Sources/CLazyLoad/include.
        .target(name: "CLazyLoad", linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux]))]),
        .target(name: "CFFmpegLoader", dependencies: ["CLazyLoad"]),
        .target(name: "CHeif", dependencies: ["CLazyLoad"]),
        .target(name: "CAubio", dependencies: ["CLazyLoad"]),
        // Animated WebP (FFmpeg 5.1 cannot decode it): libwebp's demux + animation decoder (loaded on first use).
        .target(name: "CWebP", dependencies: ["CLazyLoad"]),
        // Hot pixel loops (rotation, blur) in C so they are fast in every build configuration.
        .target(name: "CPixel", cSettings: optimisedC),
        // Computer vision for smart reframing: OpenCV 4 (C++) behind a plain C API. CVision is the
        // API and its loader (in the binary); CVisionImpl, the OpenCV code, is built into the
        // TikconvVision shared library. Debian's split OpenCV packages ship no opencv4.pc (only
        // the libopencv-dev metapackage, which pulls in every OpenCV module), so the header path
        // and libraries are named here. -Bsymbolic: the library's cvision_* calls bind to its own
        // definitions, never to the binary's trampolines of the same names.
        .target(name: "CVision", dependencies: ["CLazyLoad"]),
        .target(
            name: "CVisionImpl",
            cxxSettings: [.unsafeFlags(["-O2", "-I/usr/include/opencv4"])],
            // opencv_dnn runs the YuNet face model.
            linkerSettings: [.linkedLibrary("opencv_dnn"), .linkedLibrary("opencv_objdetect"), .linkedLibrary("opencv_imgproc"), .linkedLibrary("opencv_core"),
                             .unsafeFlags(["-Xlinker", "-Bsymbolic"])]
        ),
        // libass: captions and titles rendered for burning in (fonts by fontconfig, shaping by HarfBuzz),
        // loaded on first use: only a run with captions or titles maps libass.
        .target(name: "CASS", dependencies: ["CLazyLoad"]),
        // GLPK, the linear-programme solver behind the L1-optimal camera path (loaded on first use).
        .target(name: "CGLPK", dependencies: ["CLazyLoad"]),

        // AV layer: one Swift owner per FFmpeg object.
        .target(name: "FFmpeg", dependencies: ["CFFmpeg", "CFFmpegLoader"]),
        // HEIC/HEIF photos over libheif: one Swift owner per libheif object.
        .target(name: "HEIF", dependencies: ["CHeif"]),
        // Beat tracking over aubio (--beat-sync): one Swift owner per aubio object.
        .target(name: "BeatTracking", dependencies: ["CAubio"]),
        // Animated WebP over libwebp: one Swift owner for the animation decoder.
        .target(name: "WebP", dependencies: ["CWebP"]),
        // HTTP over libcurl: one Swift owner per curl object.
        .target(name: "HTTPTransport", dependencies: ["CCurl"]),
        // Shared probe layer: what every input is, judged by content.
        .target(name: "MediaProbe", dependencies: ["FFmpeg", "HEIF", "WebP"]),
        // Captions and titles: subtitle files read, rendered by libass into overlays for the picture.
        .target(name: "Captions", dependencies: ["CASS", "CPixel"]),
        // Pure planner: request → plan.
        .target(name: "Planning", dependencies: ["MediaProbe"]),
        // Outputs that appear only when complete (temp name, then rename); shared by both routes.
        .target(name: "OutputFiles"),
        // Offline conversion: decode → fit → encode → mux, or remux.
        // Smart reframing: shots, subjects and the camera path, from downscaled pictures.
        .target(name: "Reframing", dependencies: ["CVision", "CGLPK"]),
        .target(name: "LocalEngine", dependencies: ["FFmpeg", "HEIF", "BeatTracking", "CPixel", "MediaProbe", "Planning", "OutputFiles", "Reframing",
                                              "Captions", "WebP"]),
        // NemoVideo agent session client.
        .target(name: "CloudSession", dependencies: ["HTTPTransport", "MediaProbe", "Planning", "OutputFiles"]),
        // The command tree (a library so tests can drive it); the executable only calls it.
        .target(name: "TikconvCLI", dependencies: [
            "MediaProbe", "Planning", "LocalEngine", "CloudSession", "OutputFiles", "Reframing",
            "Captions",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "tikconv", dependencies: ["TikconvCLI"]),

        // libFuzzer targets (`make fuzz` builds them with -sanitize=fuzzer,address -D FUZZING into
        // .build-fuzz); in a normal build they replay inputs given as arguments.
        .target(name: "FuzzSupport"),
        .executableTarget(name: "probe-fuzz", dependencies: ["MediaProbe", "FFmpeg", "FuzzSupport"], path: "Sources/ProbeFuzz"),
        // CPU cost of the reframing analysis per stage (benchmarks/README.md; not in the product).
        .executableTarget(name: "reframe-bench", dependencies: ["Reframing"], path: "Sources/ReframeBench"),
        .executableTarget(name: "prompt-fuzz", dependencies: ["Planning", "MediaProbe", "FuzzSupport"], path: "Sources/PromptFuzz"),
        // The whole local engine (probe → plan → tiktok and mp4 conversions) on mutated media.
        .executableTarget(name: "engine-fuzz", dependencies: ["LocalEngine", "MediaProbe", "Planning", "FFmpeg", "FuzzSupport"],
                          path: "Sources/EngineFuzz"),

        // Test support: a real HTTP server on 127.0.0.1 speaking the NemoVideo protocol.
        .target(name: "NemoStandIn", dependencies: [
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        // Runs the stand-in on a port (with --latency for the benchmark); not in the tikconv product.
        .executableTarget(name: "nemo-standin", dependencies: ["NemoStandIn"]),

        // What several test targets share: running a checker program, capturing stderr.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "FFmpegTests", dependencies: ["FFmpeg", "CFFmpeg", "TestSupport"]),
        .testTarget(name: "BeatTrackingTests", dependencies: ["BeatTracking", "TestSupport"]),
        .testTarget(name: "HTTPTransportTests", dependencies: ["HTTPTransport", "CCurl", "NemoStandIn"]),
        .testTarget(name: "MediaProbeTests", dependencies: ["MediaProbe", "FFmpeg"]),
        .testTarget(name: "PlanningTests", dependencies: ["Planning", "MediaProbe"]),
        .testTarget(name: "LocalEngineTests", dependencies: ["LocalEngine", "OutputFiles", "FFmpeg", "CFFmpeg", "CPixel", "MediaProbe", "Planning", "Reframing", "TestSupport"]),
        .testTarget(name: "CloudSessionTests", dependencies: ["CloudSession", "NemoStandIn", "MediaProbe", "Planning", "HTTPTransport", "TikconvCLI"]),
        .testTarget(name: "TikconvCLITests", dependencies: ["TikconvCLI", "LocalEngine", "Planning", "MediaProbe"]),
        .testTarget(name: "ReframingTests", dependencies: ["Reframing", "TestSupport"]),
        // Captions: subtitle files from the wild, libass overlays.
        .testTarget(name: "CaptionsTests", dependencies: ["Captions"]),
        .testTarget(name: "EndToEndTests", dependencies: ["NemoStandIn", "TestSupport"]),
    ],
    swiftLanguageModes: [.v5],
    cxxLanguageStandard: .cxx17
)
