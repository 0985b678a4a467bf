import CFFmpeg
import Foundation

/// Writes one RGB picture as a PNG file with FFmpeg's own PNG encoder (contact sheets, previews).
public enum PNGWriter {
    public static func write(_ picture: Frame, to path: String) throws {
        let encoder = try Encoder(name: "png") { c in
            c.pointee.width = Int32(picture.width)
            c.pointee.height = Int32(picture.height)
            c.pointee.pix_fmt = AV_PIX_FMT_RGB24
            c.pointee.time_base = AVRational(num: 1, den: 1)
        }
        picture.pts = 0
        try encoder.send(picture)
        try encoder.send(nil)
        let packet = try Packet()
        guard try encoder.receive(into: packet) == .got, let data = packet.pointer.pointee.data else {
            throw FFmpegError.call(function: "avcodec_receive_packet(png)", code: AVError.eof, message: "the PNG encoder produced nothing")
        }
        let bytes = Data(bytes: data, count: packet.size)
        guard FileManager.default.createFile(atPath: path, contents: bytes) else {
            throw FFmpegError.call(function: "write \(path)", code: AVError.posix(errno), message: String(cString: strerror(errno)))
        }
    }
}
