import Foundation
import FuzzSupport
import MediaProbe
import Planning

/// libFuzzer target over the planner's prompt parsing: arbitrary bytes (as lossy UTF-8) go
/// through the intent matcher, the trim parser and a full plan for a video, two photos, a script,
/// an audio file or nothing. The planner must return a plan or a `PlanningError` — never crash.
/// Built like probe-fuzz; without FUZZING it replays files given on the command line.
enum PromptFuzz {
    static let reports: [[ProbeReport]] = {
        var v = StreamInfo(index: 0, type: "video", codec: "h264")
        v.width = 1920; v.height = 1080; v.averageFrameRate = 30; v.realFrameRate = 30; v.pixelFormat = "yuv420p"
        v.sampleAspectRatio = "1:1"; v.isDefault = true; v.isStill = false; v.variableFrameRate = false; v.rotation = 0
        var a = StreamInfo(index: 1, type: "audio", codec: "aac")
        a.sampleRate = 48000; a.channels = 2; a.isDefault = true
        var p = StreamInfo(index: 0, type: "video", codec: "mjpeg")
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
        do {
            do {
                let inputs = reports[data.count % reports.count]
                var flags = PlanFlags()
                flags.forceLocal = (data.count / reports.count) % 2 == 1
                do {
                    let plan = try Planner.plan(Request(inputs: inputs, prompt: prompt, flags: flags))
                    _ = plan.explain()
                    _ = try? plan.jsonString()
                } catch let e as PlanningError {
                    _ = e.errorDescription
                } catch {
                    fatalError("Planner.plan threw a non-PlanningError: \(error)")
                }
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
        replayFiles(CommandLine.arguments.dropFirst()) { PromptFuzz.run($0) }
    }
}
#endif
