import FFmpeg

/// Whether a photo decodes cleanly, checked before it is used: a JPEG cut short or with stray
/// bytes decodes "successfully" in FFmpeg with the missing part concealed (a grey or green
/// block), so the probe walks the JPEG's markers to its end-of-image marker and then decodes
/// the picture once with the decoder told to stop at the first damage.
enum PhotoIntegrity {
    /// What is wrong with a JPEG's structure, or nil when every segment is whole and the
    /// end-of-image marker is there (bytes after it, e.g. a phone's appended video, are allowed).
    static func jpegDamage(_ bytes: [UInt8]) -> String? {
        bytes.withUnsafeBufferPointer { walkMarkers($0) }
    }

    private static func walkMarkers(_ b: UnsafeBufferPointer<UInt8>) -> String? {
        let n = b.count
        guard n >= 4, b[0] == 0xFF, b[1] == 0xD8 else { return "no JPEG start marker" }
        var i = 2, sawScan = false
        var cutShort: String { sawScan ? "cut short: the end-of-image marker is missing" : "cut short before its picture data" }
        while true {
            guard i < n else { return cutShort }
            guard b[i] == 0xFF else { return "stray bytes at byte \(i) where a marker should be" }
            while i < n, b[i] == 0xFF { i += 1 }
            guard i < n else { return cutShort }
            let marker = b[i]
            i += 1
            if marker == 0xD9 { return sawScan ? nil : "it ends before any picture data" }
            if marker == 0x01 || (0xD0...0xD8).contains(marker) { continue }   // standalone markers
            guard isSegmentMarker(marker) else { return String(format: "an invalid marker 0x%02X at byte %d", marker, i - 1) }
            guard i + 2 <= n else { return "cut short inside a header" }
            let length = Int(b[i]) << 8 | Int(b[i + 1])
            guard length >= 2, i + length <= n else { return "cut short inside a header" }
            i += length
            if marker == 0xDA {
                sawScan = true
                guard let next = endOfScan(b, from: i) else { return "cut short: the end-of-image marker is missing" }
                i = next
            }
        }
    }

    /// Markers that start a segment with a length: SOFn, DHT, DAC, SOS, DQT, DNL, DRI, DHP, EXP, APPn, JPGn, COM.
    private static func isSegmentMarker(_ m: UInt8) -> Bool { (0xC0...0xCF).contains(m) || (0xDA...0xFE).contains(m) }

    /// The index of the marker that ends the entropy-coded data starting at `start` (0xFF 0x00
    /// is a stuffed byte and RSTn a restart inside the scan); nil when the file ends first.
    private static func endOfScan(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var i = start
        let n = b.count
        while i + 1 < n {
            if b[i] != 0xFF { i += 1; continue }
            let next = b[i + 1]
            if next == 0x00 || (0xD0...0xD7).contains(next) { i += 2; continue }
            if next == 0xFF { i += 1; continue }
            return i
        }
        return nil
    }

    /// Decodes the photo's picture once (at the smallest size the codec can: the whole
    /// bitstream is still read) with damage detection on; the decoder's complaint, or nil.
    static func decodeDamage(demuxer: Demuxer, stream: Int) -> String? {
        do {
            let decoder = try Decoder(demuxer: demuxer, stream: stream, threads: 1,
                                      lowres: Decoder.maxLowres(demuxer: demuxer, stream: stream), strict: true)
            let packet = try Packet(), frame = try Frame()
            while try demuxer.read(into: packet) {
                defer { packet.unref() }
                guard packet.streamIndex == stream else { continue }
                try decoder.send(packet)
                if try decoder.receive(into: frame) == .got { return nil }
            }
            try decoder.send(nil)
            return try decoder.receive(into: frame) == .got ? nil : "no picture could be decoded"
        } catch {
            return "its picture data does not decode: \(error.localizedDescription)"
        }
    }
}
