import ArgumentParser
import Foundation

/// Values typed on the command line, parsed the way ffmpeg users expect. Each parser throws
/// a message listing what is valid; ArgumentParser shows it after "The value '…' is invalid
/// for '--option'" and exits 2, before any file is read (also under --plan).
enum ArgumentValues {
    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    static let timeForms = "give seconds (90 or 12.5), MM:SS (1:30) or HH:MM:SS[.ms] (0:01:30.5)"

    /// "90", "12.5", "90s", "1500ms", "1:30", "01:30.5", "1:02:03", "1:02:03.250" → seconds.
    /// In the clock forms minutes and seconds stay below 60, as ffmpeg's time syntax has them.
    static func seconds(_ text: String) throws -> Double {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard !t.isEmpty, !t.hasPrefix("-"), !t.hasPrefix("+") else { throw Invalid(description: timeForms) }
        if t.contains(":") { return try clock(t) }
        var number = Substring(t), scale = 1.0
        if number.hasSuffix("ms") { number = number.dropLast(2); scale = 0.001 } else if number.hasSuffix("s") { number = number.dropLast() }
        guard let v = decimal(number) else { throw Invalid(description: timeForms) }
        return v * scale
    }

    private static func clock(_ t: String) throws -> Double {
        let parts = t.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), let last = parts.last else { throw Invalid(description: timeForms) }
        guard let secs = decimal(last), (1...2).contains(last.prefix(while: \.isNumber).count) else { throw Invalid(description: timeForms) }
        if secs >= 60 { throw Invalid(description: timeForms + "; seconds stay below 60") }
        let whole = parts.dropLast().compactMap { $0.allSatisfy { $0.isASCII && $0.isNumber } ? Int($0) : nil }
        guard whole.count == parts.count - 1, whole.allSatisfy({ $0 >= 0 }) else { throw Invalid(description: timeForms) }
        if whole.count == 2 && whole[1] >= 60 { throw Invalid(description: timeForms + "; minutes stay below 60 after hours") }
        return Double(whole.reduce(0) { $0 * 60 + $1 }) * 60 + secs
    }

    /// Digits with at most one decimal point: no exponents, infinities or NaN.
    private static func decimal(_ s: Substring) -> Double? {
        guard !s.isEmpty, s.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), s.filter({ $0 == "." }).count <= 1,
              s != "." else { return nil }
        return Double(s)
    }

    /// The AAC bitrates accepted: below 32k it sounds broken, above 512k AAC gains nothing.
    static let audioBitrates = 32_000...512_000

    /// "128k", "128K", "128000", "0.128M", or a bare number below 1000 read as kb/s ("160").
    static func audioBitrate(_ text: String) throws -> Int {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        let message = "AAC takes 32k to 512k (e.g. 128k, 160k, 192k, 256k)"
        var number = Substring(t), scale = 1.0
        if number.hasSuffix("k") { number = number.dropLast(); scale = 1000 } else if number.hasSuffix("m") { number = number.dropLast(); scale = 1_000_000 }
        guard let v = decimal(number) else { throw Invalid(description: message) }
        if scale == 1 && v < 1000 { scale = 1000 }
        let bits = Int((v * scale).rounded())
        guard audioBitrates.contains(bits) else { throw Invalid(description: message) }
        return bits
    }

    /// "x,y" with both between 0 and 1.
    static func focus(_ text: String) throws -> Focus {
        let p = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard p.count == 2, let x = p[0], let y = p[1], (0...1).contains(x), (0...1).contains(y) else {
            throw Invalid(description: "give x,y between 0 and 1, e.g. 0.5,0.3 (0.5,0.5 is the middle)")
        }
        return Focus(x: x, y: y)
    }

    struct Focus: Equatable {
        var x: Double
        var y: Double
    }
}

/// x264's presets, fastest first (`x264 --help`); anything else fails inside x264 part-way.
enum X264Preset: String, CaseIterable, ExpressibleByArgument {
    case ultrafast, superfast, veryfast, faster, fast, medium, slow, slower, veryslow, placebo
}
