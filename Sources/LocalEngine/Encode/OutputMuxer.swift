import FFmpeg
import MediaProbe

extension Muxer {
    /// An MP4 muxer for one of tikconv's outputs, tagged as made by tikconv so that a later
    /// batch over the same folder recognises it by content and does not convert it again.
    static func tikconvOutput(path: String) throws -> Muxer {
        let muxer = try Muxer(path: path)
        muxer.setMetadata(MadeByTikconv.metadataKey, MadeByTikconv.metadataValue)
        return muxer
    }
}
