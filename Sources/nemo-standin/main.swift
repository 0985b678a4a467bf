// Runs the NemoVideo stand-in on 127.0.0.1 for the benchmark and manual runs.
//   nemo-standin [--port N] [--latency] [--mp4 PATH] [--events adk|typed|mixed] [--misbehave NAME]...
// Prints the base URL on stdout (for NEMO_API_BASE) and serves until killed.
import Foundation
import NemoStandIn

func usage() -> Never {
    FileHandle.standardError.write(Data("""
    usage: nemo-standin [--port N] [--latency] [--mp4 PATH] [--events adk|typed|mixed] [--misbehave NAME]...
      --latency   emulate real latencies (upload ~2 s, turn ~20 s of SSE, render ~30 s)
      misbehaviours: token-expiry, unknown-session, no-credits, export-402, rate-limit-once,
                     drop-stream, no-text, render-failed, truncated-download, slow-render

    """.utf8))
    exit(2)
}

var args = Array(CommandLine.arguments.dropFirst())
var port = 0
var latency = false
var mp4 = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("TestMedia/h264_aac_16x9.mp4").path
var form: NemoStandInConfig.EventForm = .mixed
var misbehaviours: [String] = []
while !args.isEmpty {
    let a = args.removeFirst()
    func value() -> String { if args.isEmpty { usage() }; return args.removeFirst() }
    switch a {
    case "--port": guard let p = Int(value()) else { usage() }; port = p
    case "--latency": latency = true
    case "--mp4": mp4 = value()
    case "--events":
        switch value() { case "adk": form = .adk; case "typed": form = .typed; case "mixed": form = .mixed; default: usage() }
    case "--misbehave": misbehaviours.append(value())
    default: usage()
    }
}
guard FileManager.default.fileExists(atPath: mp4) else {
    FileHandle.standardError.write(Data("nemo-standin: no MP4 to serve at \(mp4) (give --mp4 PATH)\n".utf8))
    exit(2)
}
var config = latency ? NemoStandInConfig.latencyProfile(mp4Path: mp4) : NemoStandInConfig(mp4Path: mp4)
config.eventForm = form
for m in misbehaviours {
    switch m {
    case "token-expiry": config.expireTokenAt = "/run_sse"
    case "unknown-session": config.forgetSessionAt = "/run_sse"
    case "no-credits": config.outOfCredits = true
    case "export-402": config.exportPaymentRequired = true
    case "rate-limit-once": config.rateLimitOnceAt = "/api/tasks"
    case "drop-stream": config.dropStream = .afterTurnFinished
    case "no-text": config.noTextTurn = true
    case "render-failed": config.failRenders = 1
    case "truncated-download": config.downloadFault = .closeEarly
    case "slow-render": config.renderPolls = 6
    default: usage()
    }
}
let server = NemoStandIn(config: config)
do {
    let p = try server.start(port: port)
    print("http://127.0.0.1:\(p)")
    fflush(stdout)
} catch {
    FileHandle.standardError.write(Data("nemo-standin: cannot listen on port \(port): \(error)\n".utf8))
    exit(1)
}
signal(SIGPIPE, SIG_IGN)
dispatchMain()
