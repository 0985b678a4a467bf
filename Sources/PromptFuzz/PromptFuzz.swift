import Foundation
import FuzzSupport
import MediaProbe
import Planning

/// libFuzzer target over the planner's prompt reading: arbitrary bytes (as lossy UTF-8) go
/// through the phrase table's matcher, the trim parser and a full plan for a video, two photos,
/// a script, an audio file or nothing. The planner must return a plan or a `PlanningError` —
/// never crash — and the plan must keep its promises, checked here (a broken one is a crash
/// the fuzzer reports): every part quotes the prompt, no "no prompt" reason when there was
/// one, edits within their ranges, the JSON round-trips.
/// Built like probe-fuzz; without FUZZING it replays files given on the command line, or with
/// `--show PROMPT…` prints the plan of a video input for each prompt (for growing the table).
enum PromptFuzz {
    static let reports: [[ProbeReport]] = {
        var v = StreamInfo(index: 0, type: .video, codec: "h264")
        v.width = 1920; v.height = 1080; v.averageFrameRate = 30; v.realFrameRate = 30; v.pixelFormat = "yuv420p"
        v.sampleAspectRatio = "1:1"; v.isDefault = true; v.isStill = false; v.variableFrameRate = false; v.rotation = 0
        var a = StreamInfo(index: 1, type: .audio, codec: "aac")
        a.sampleRate = 48000; a.channels = 2; a.isDefault = true
        var p = StreamInfo(index: 0, type: .video, codec: "mjpeg")
        p.width = 4032; p.height = 3024; p.isStill = true
        let video = ProbeReport(path: "/in/clip.mp4", kind: .video, container: "mov,mp4,m4a,3gp,3g2,mj2", format: "mp4",
                                sizeBytes: 10_000_000, duration: 60, streams: [v, a])
        let photo = ProbeReport(path: "/in/a.jpg", kind: .image, container: "image2", format: "jpg", sizeBytes: 3_000_000, streams: [p])
        let script = ProbeReport(path: "/in/s.txt", kind: .text, container: "text", format: "txt", sizeBytes: 800,
                                 text: TextInfo(characters: 700, lines: 10, words: 120))
        var s = a; s.index = 0
        let song = ProbeReport(path: "/in/song.mp3", kind: .audio, container: "mp3", format: "mp3", sizeBytes: 4_000_000,
                               duration: 180, streams: [s])
        return [[video], [photo, photo], [script], [song], []]
    }()

    static func run(_ data: UnsafeRawBufferPointer) {
        let prompt = String(decoding: data, as: UTF8.self)
        _ = IntentMatcher.match(prompt)
        _ = TrimParser.parse(prompt)
        // One plan per input (regular expressions are slow under ASan): the length picks the
        // inputs and whether --local is set, so the corpus covers every combination.
        let inputs = reports[data.count % reports.count]
        var flags = PlanFlags()
        flags.forceLocal = (data.count / reports.count) % 2 == 1
        do {
            let plan = try Planner.plan(Request(inputs: inputs, prompt: prompt, flags: flags))
            check(plan, prompt: prompt)
        } catch let e as PlanningError {
            _ = e.errorDescription
        } catch {
            fatalError("Planner.plan threw a non-PlanningError: \(error)")
        }
    }

    /// The plan's promises; a broken one stops the fuzzer with the input that broke it.
    static func check(_ plan: Plan, prompt: String) {
        _ = plan.explain()
        let said = !prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        if said && plan.reasons.contains(where: { $0.contains("no prompt") }) { fatalError("'no prompt' reason for a prompt") }
        for part in plan.parts {
            let pieces = part.phrase.components(separatedBy: " … ")
            if pieces.contains(where: { $0.isEmpty || !prompt.contains($0) }) { fatalError("part '\(part.phrase)' does not quote the prompt") }
        }
        if let e = plan.edits {
            if plan.route != .local { fatalError("edits on the cloud route") }
            if let s = e.speed, !LocalEdits.speedRange.contains(s) { fatalError("speed \(s) out of range") }
            if let v = e.volumeDB, !LocalEdits.volumeRange.contains(v) { fatalError("volume \(v) out of range") }
            for f in [e.fadeIn, e.fadeOut].compactMap({ $0 }) where !LocalEdits.fadeRange.contains(f) { fatalError("fade \(f) out of range") }
        }
        guard let json = try? plan.jsonData(), let back = try? JSONDecoder().decode(Plan.self, from: json), back == plan else {
            fatalError("plan JSON does not round-trip")
        }
    }

    /// `prompt-fuzz --show PROMPT…`: each prompt's plan for a 60 s 1920x1080 video.
    static func show(_ prompts: ArraySlice<String>) {
        for prompt in prompts {
            print("== \(prompt)")
            do { print(try Planner.plan(Request(inputs: reports[0], prompt: prompt)).explain()) } catch {
                print("error: \((error as? LocalizedError)?.errorDescription ?? "\(error)")")
            }
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func promptFuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    PromptFuzz.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

#if FUZZING
@_cdecl("prompt_fuzz_main")
func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzDriver(argc, argv, { promptFuzzTestOneInput($0, $1) })
}
#else
@main
enum PromptFuzzReplay {
    static func main() {
        let args = CommandLine.arguments.dropFirst()
        if args.first == "--show" { PromptFuzz.show(args.dropFirst()); return }
        replayFiles(args) { PromptFuzz.run($0) }
    }
}
#endif
