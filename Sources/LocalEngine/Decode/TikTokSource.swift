import FFmpeg
import MediaProbe

/// Demux stage: the input file, the two streams the tiktok plan keeps, and the time origin
/// every later stage measures from.
final class TikTokSource {
    let demuxer: Demuxer
    let video: StreamInfo
    let audio: StreamInfo?
    /// Source seconds that become output time zero: the first timestamp of the kept streams,
    /// plus any trim start.
    let origin: Double
    private let packet: Packet

    init(report: ProbeReport, start: Double?) throws {
        guard let video = report.primaryVideo else { throw LocalEngineError.noVideoStream(path: report.path) }
        self.video = video
        audio = report.primaryAudio
        // The probe already analysed the file; its report stands in for a second analysis.
        let demuxer = try stage("open input") { try Demuxer(path: report.path, analyze: !report.headerIsComplete) }
        self.demuxer = demuxer
        packet = try Packet()
        var origin = [video.startTime, report.primaryAudio?.startTime].compactMap { $0 }.min() ?? 0
        if let start, start > 0 {
            try stage("seek") { try demuxer.seek(toSeconds: start) }
            origin += start
        }
        self.origin = origin
    }

    /// The next packet (valid until the next call), or nil at the end of the file.
    func read() throws -> Packet? {
        packet.unref()
        return try stage("read input") { try demuxer.read(into: packet) } ? packet : nil
    }

    /// What happens to the streams the plan does not keep, for the report.
    static func droppedStreams(_ report: ProbeReport, keeping kept: [Int]) -> (outcomes: [StreamOutcome], notes: [String]) {
        var outcomes: [StreamOutcome] = [], notes: [String] = []
        for s in report.streams where !kept.contains(s.index) {
            let reason = s.type == .audio ? "only the default audio stream is kept" : "TikTok uploads carry one video and one audio stream"
            outcomes.append(StreamOutcome(index: s.index, type: s.type, codec: s.codec, action: .dropped, outputCodec: nil, reason: reason))
            notes.append("dropped \(s.type) stream #\(s.index) (\(s.codec))")
        }
        return (outcomes, notes)
    }
}
