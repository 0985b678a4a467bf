import Foundation

/// CPU time the analysis spent per stage, in milliseconds of this thread's CPU time
/// (OpenCV runs on the calling thread, see `VisionThreads`), and how often each ran.
public struct AnalysisCosts: Equatable, Sendable {
    public var pictures = 0
    public var detections = 0
    public var histogramMs = 0.0
    public var facesMs = 0.0
    public var faceRuns = 0
    /// Face runs that searched only around the faces already found.
    public var regionFaceRuns = 0
    public var peopleMs = 0.0
    public var peopleRuns = 0
    public var motionMs = 0.0
    public var pathMs = 0.0
    public var shots = 0

    public var totalMs: Double { histogramMs + facesMs + peopleMs + motionMs + pathMs }
}

/// This thread's CPU time in milliseconds.
func threadCPUMilliseconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
    return Double(now.tv_sec) * 1000 + Double(now.tv_nsec) / 1_000_000
}

/// Runs `body` and adds its CPU time to `total`.
func measured<T>(_ total: inout Double, _ body: () throws -> T) rethrows -> T {
    let start = threadCPUMilliseconds()
    defer { total += threadCPUMilliseconds() - start }
    return try body()
}
