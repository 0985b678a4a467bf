import Foundation

/// What an independent program run by a test (ffmpeg, ffprobe, python3 and the scripts: the
/// tests' checkers) left: its exit status, stdout and stderr.
public struct ToolRun {
    public let status: Int32
    public let output: Data
    public let errors: String

    public var text: String { String(decoding: output, as: UTF8.self) }
}

/// Runs `path` with `arguments`, stdin closed. Its stderr goes through a file, so a chatty tool
/// cannot stall on a full pipe while its stdout is read.
public func runTool(_ path: String, _ arguments: [String]) throws -> ToolRun {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = arguments
    let out = Pipe(), errorFile = NSTemporaryDirectory() + "tool-stderr-\(UUID().uuidString)"
    _ = FileManager.default.createFile(atPath: errorFile, contents: nil)
    defer { try? FileManager.default.removeItem(atPath: errorFile) }
    p.standardOutput = out
    p.standardError = FileHandle(forWritingAtPath: errorFile)
    p.standardInput = FileHandle.nullDevice
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return ToolRun(status: p.terminationStatus, output: data, errors: (try? String(contentsOfFile: errorFile, encoding: .utf8)) ?? "")
}

/// Runs a Python reference computation (`python3 -c script arguments`, Debian's python3-opencv
/// and numpy) and returns its stdout; a failed run is an error that says what to install.
public func runPythonReference(_ script: String, _ arguments: [String]) throws -> Data {
    let run = try runTool("/usr/bin/python3", ["-c", script] + arguments)
    guard run.status == 0 else {
        throw NSError(domain: "python3", code: Int(run.status), userInfo: [
            NSLocalizedDescriptionKey: "reference run failed (python3-opencv missing? run scripts/setup): " + run.errors,
        ])
    }
    return run.output
}
