import Foundation

/// What a run loaded, for the tests that keep heavy libraries out of plain runs: with
/// TIKCONV_DEBUG_MAPS=<file> (Linux; undocumented for users), the process's own /proc/self/maps,
/// as it is when tikconv exits, is written to <file>. Libraries opened on first use stay mapped
/// until exit, so the copy shows every one the run opened.
enum ProcessMapsDump {
    nonisolated(unsafe) private static var destination: String?

    static func installIfAsked() {
        guard let path = ProcessInfo.processInfo.environment["TIKCONV_DEBUG_MAPS"], !path.isEmpty else { return }
        destination = path
        atexit { ProcessMapsDump.write() }
    }

    private static func write() {
        guard let destination, let maps = FileHandle(forReadingAtPath: "/proc/self/maps") else { return }
        let data = maps.readDataToEndOfFile()
        try? maps.close()
        _ = FileManager.default.createFile(atPath: destination, contents: data)
    }
}
