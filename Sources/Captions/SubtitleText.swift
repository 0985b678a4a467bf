import Foundation

/// A subtitle file's bytes as text: UTF-8 (with or without BOM), UTF-16 (either byte order,
/// with a BOM, or without one when every other byte is zero), else Windows-1252/Latin-1.
enum SubtitleText {
    static func decode(_ data: Data) -> String? {
        let b = [UInt8](data.prefix(4))
        if b.starts(with: [0xEF, 0xBB, 0xBF]) { return String(decoding: data.dropFirst(3), as: UTF8.self) }
        if b.starts(with: [0xFF, 0xFE]) { return String(data: data.dropFirst(2), encoding: .utf16LittleEndian) }
        if b.starts(with: [0xFE, 0xFF]) { return String(data: data.dropFirst(2), encoding: .utf16BigEndian) }
        if let wide = utf16WithoutBOM(data) { return wide }
        if let s = String(data: data, encoding: .utf8) { return s }
        return String(data: data, encoding: .windowsCP1252) ?? String(data: data, encoding: .isoLatin1)
    }

    /// ASCII-heavy UTF-16 text has a zero in every other byte.
    private static func utf16WithoutBOM(_ data: Data) -> String? {
        let head = [UInt8](data.prefix(400))
        guard head.count >= 4 else { return nil }
        let even = stride(from: 0, to: head.count - 1, by: 2).filter { head[$0] == 0 }.count
        let odd = stride(from: 1, to: head.count, by: 2).filter { head[$0] == 0 }.count
        let pairs = head.count / 2
        if odd * 10 >= pairs * 7 && even == 0 { return String(data: data, encoding: .utf16LittleEndian) }
        if even * 10 >= pairs * 7 && odd == 0 { return String(data: data, encoding: .utf16BigEndian) }
        return nil
    }

    /// Lines without their CR/LF endings (CRLF, LF or lone CR).
    static func lines(_ s: String) -> [String] {
        s.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }
}
