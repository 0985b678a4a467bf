import Foundation

/// One part of a multipart/form-data body, as the stand-in parsed it.
public struct RecordedPart: Equatable, Sendable {
    public var name: String
    public var filename: String?
    public var contentType: String?
    public var data: Data
}

/// One request the stand-in received, recorded in arrival order.
public struct RecordedRequest: Sendable {
    public var method: String
    /// The path without the query string.
    public var path: String
    public var query: String?
    public var headers: [(name: String, value: String)]
    public var body: Data
    /// Parsed parts when the body was multipart/form-data.
    public var parts: [RecordedPart]

    /// The last value of a header (case-insensitive name).
    public func header(_ name: String) -> String? {
        headers.last { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// The body as a JSON object, when it is one.
    public var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
    }
}

enum Multipart {
    /// Parses a multipart/form-data body (enough for tests: names, filenames, types, bytes).
    static func parse(body: Data, contentType: String) -> [RecordedPart] {
        guard let range = contentType.range(of: "boundary=") else { return [] }
        var boundary = String(contentType[range.upperBound...])
        if let semi = boundary.firstIndex(of: ";") { boundary = String(boundary[..<semi]) }
        boundary = boundary.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
        let delimiter = Data(("--" + boundary).utf8)
        let bytes = body
        var parts: [RecordedPart] = []
        var searchStart = bytes.startIndex
        var positions: [Range<Data.Index>] = []
        while let r = bytes.range(of: delimiter, in: searchStart..<bytes.endIndex) {
            positions.append(r)
            searchStart = r.upperBound
        }
        guard positions.count >= 2 else { return [] }
        let crlf2 = Data("\r\n\r\n".utf8)
        for i in 0..<(positions.count - 1) {
            var start = positions[i].upperBound
            let end = positions[i + 1].lowerBound
            // skip CRLF after the delimiter
            if bytes[start..<min(start + 2, end)] == Data("\r\n".utf8) { start += 2 }
            guard let sep = bytes.range(of: crlf2, in: start..<end) else { continue }
            let headerText = String(decoding: bytes[start..<sep.lowerBound], as: UTF8.self)
            var contentEnd = end
            if contentEnd - 2 >= sep.upperBound, bytes[(contentEnd - 2)..<contentEnd] == Data("\r\n".utf8) { contentEnd -= 2 }
            let content = Data(bytes[sep.upperBound..<contentEnd])
            var name = "", filename: String?, type: String?
            for line in headerText.components(separatedBy: "\r\n") {
                let lower = line.lowercased()
                if lower.hasPrefix("content-disposition:") {
                    name = value(of: "name", in: line) ?? ""
                    filename = value(of: "filename", in: line)
                } else if lower.hasPrefix("content-type:") {
                    type = line.dropFirst("content-type:".count).trimmingCharacters(in: .whitespaces)
                }
            }
            parts.append(RecordedPart(name: name, filename: filename, contentType: type, data: content))
        }
        return parts
    }

    private static func value(of key: String, in line: String) -> String? {
        for piece in line.split(separator: ";") {
            let t = piece.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix(key + "=") {
                return String(t.dropFirst(key.count + 1)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }
}
