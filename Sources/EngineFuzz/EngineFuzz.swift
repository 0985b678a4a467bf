import FFmpeg
import Foundation
import FuzzSupport
import LocalEngine
import MediaProbe
import Planning

/// libFuzzer target over the whole local engine: the bytes become a file; if the probe accepts
/// it and the planner would convert it offline, the tiktok plan and then the mp4 plan run end to
/// end into a scratch folder. Each must finish or throw the engine's own error — never crash,
/// hang or leak. Runs are capped so each input takes a moment: 0.5 s of tiktok output, one
/// thread, x264 ultrafast, inputs up to `maxInput` bytes (the mp4 plan has no duration cap, so
/// the input size bounds it).
///
/// Built like probe-fuzz (`make fuzz`); without FUZZING it replays files named on the command line.
enum EngineFuzz {
    static let maxInput = 256 << 10

    /// One scratch folder per process (and per libFuzzer worker), reused for every input.
    nonisolated(unsafe) static var folder: String = {
        FFmpegLog.setQuiet(true)
        let f = NSTemporaryDirectory() + "engine-fuzz-\(getpid())"
        mkdir(f, 0o700)
        atexit { EngineFuzz.cleanUp(); EngineFuzz.printTally() }
        return f
    }()
    static let ext = ProcessInfo.processInfo.environment["ENGINE_FUZZ_EXT"] ?? "mp4"
    static var input: String { folder + "/input." + ext }
    static var output: String { folder + "/output.mp4" }
    /// ENGINE_FUZZ_VERBOSE=1: one line per plan on stderr (what ran, and how it ended).
    static let verbose = ProcessInfo.processInfo.environment["ENGINE_FUZZ_VERBOSE"] != nil

    /// How far inputs got, so a run shows how many were really converted (not only probed).
    /// Index: 0 inputs, 1 refused by the probe, then per plan (tiktok, mp4): converted, refused.
    nonisolated(unsafe) static var tally = [Int](repeating: 0, count: 6)

    static func printTally() {
        #if !FUZZING
        guard verbose else { return }
        #endif
        fputs("engine-fuzz: \(tally[0]) inputs, \(tally[1]) refused by the probe; tiktok \(tally[2]) converted, \(tally[3]) refused; "
              + "mp4 \(tally[4]) converted, \(tally[5]) refused\n", stderr)
    }

    static func run(_ data: UnsafeRawBufferPointer) {
        guard data.count <= maxInput, write(data, to: input) else { return }
        tally[0] += 1
        let report: ProbeReport
        do { report = try Prober.probe(path: input) } catch let e as ProbeError {
            tally[1] += 1
            if verbose { fputs("  probe: \(e.errorDescription ?? "")\n", stderr) }
            return
        } catch {
            fatalError("Prober.probe threw a non-ProbeError: \(error)")
        }
        // The fit follows the input's length, so the corpus reaches blur, pad and crop.
        let fit = FitMode.allCases[data.count % FitMode.allCases.count]
        for target in LocalPlan.allCases where plansLocally(report, target) {
            convert(report, target, fit: fit)
            unlink(output)
        }
    }

    /// What the CLI asks the planner before converting: a local plan of this kind.
    static func plansLocally(_ report: ProbeReport, _ target: LocalPlan) -> Bool {
        var flags = PlanFlags()
        flags.forceLocal = true
        flags.target = target
        guard let plan = try? Planner.plan(Request(inputs: [report], flags: flags)) else { return false }
        return plan.route == .local && plan.localPlan == target
    }

    static func convert(_ report: ProbeReport, _ target: LocalPlan, fit: FitMode) {
        let slot = target == .tiktok ? 2 : 4
        do {
            let result: ConversionResult
            switch target {
            case .tiktok:
                var o = TikTokOptions()
                o.fit = fit; o.preset = "ultrafast"; o.threads = 1; o.duration = 0.5
                result = try TikTokConverter(report: report, options: o, outputPath: output, overwrite: true).run()
            case .mp4:
                var o = MP4Options()
                o.preset = "ultrafast"; o.threads = 1
                result = try MP4Converter(report: report, options: o, outputPath: output, overwrite: true).run()
            }
            tally[slot] += 1
            if verbose { fputs("  \(target): \(result.videoFrames) frames, \(result.durationSeconds) s\n", stderr) }
        } catch let e as LocalEngineError {
            tally[slot + 1] += 1
            if verbose { fputs("  \(target): \(e.errorDescription ?? "")\n", stderr) }
        } catch let e as FFmpegError {
            tally[slot + 1] += 1
            if verbose { fputs("  \(target): \(e.errorDescription ?? "")\n", stderr) }
        } catch {
            // Anything else reaches the user as "internal error" (exit 1): a finding.
            fatalError("the \(target) plan threw \(type(of: error)): \(error)")
        }
    }

    /// Writes the bytes with POSIX calls (no Foundation buffers for LeakSanitizer to report).
    static func write(_ data: UnsafeRawBufferPointer, to path: String) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var off = 0
        while off < data.count {
            let n = Glibc.write(fd, data.baseAddress! + off, data.count - off)
            if n <= 0 { return false }
            off += n
        }
        return true
    }

    /// Removes the scratch folder (at exit).
    static func cleanUp() {
        unlink(input); unlink(output)
        rmdir(folder)
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func engineFuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    EngineFuzz.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

#if FUZZING
@_cdecl("engine_fuzz_main")
func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzDriver(argc, argv, { engineFuzzTestOneInput($0, $1) })
}
#else
@main
enum EngineFuzzReplay {
    static func main() {
        replayFiles(CommandLine.arguments.dropFirst()) { EngineFuzz.run($0) }
    }
}
#endif
