import Foundation
import MediaProbe

/// Texts shared by steps, reasons and messages, and the cloud route's steps.
extension Planner {
    // MARK: - Cloud steps

    static func cloudSteps(skill: CloudSkill, inputs: [ProbeReport], generative: Bool, session: [Intent]) -> [String] {
        var steps: [String] = []
        let onlyAccount = !generative && inputs.isEmpty && !session.isEmpty && session.allSatisfy { $0 == .credits }
        if onlyAccount { return ["check the credit balance"] }
        steps.append("open a NemoVideo session (skill \(skill.rawValue))")
        if session.contains(.credits) { steps.append("check the credit balance") }
        let media = inputs.filter { $0.kind != .text }
        if !media.isEmpty {
            steps.append("upload \(count(media.count, "file")) (\(media.map(name).joined(separator: ", ")))")
        }
        for t in inputs where t.kind == .text {
            steps.append("send the script \(name(t))\(t.text.map { " (\($0.words) words)" } ?? "") with the instruction")
        }
        let sendsMessage = generative || !inputs.isEmpty
        if sendsMessage { steps.append("send the instruction to the agent and stream its reply") }
        if session.contains(.status) { steps.append("read the session state") }
        if sendsMessage || session.contains(.export) {
            steps.append("export the draft to MP4 (render, poll until done)")
            steps.append("download the MP4")
        }
        return steps
    }


    // MARK: - Formatting

    static func name(_ r: ProbeReport) -> String {
        r.path.split(separator: "/").last.map(String.init) ?? r.path
    }

    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    static func seconds(_ s: Double) -> String { "\(number(s)) s" }

    static func number(_ x: Double) -> String {
        if x == x.rounded() && abs(x) < 1e12 { return String(Int(x)) }
        return String((x * 1000).rounded() / 1000)
    }

    static func fps(_ f: Double) -> String {
        abs(f - f.rounded()) < 0.005 ? String(Int(f.rounded())) : String((f * 100).rounded() / 100)
    }

    static func kHz(_ rate: Int) -> String {
        rate % 1000 == 0 ? "\(rate / 1000) kHz" : "\(Double(rate) / 1000) kHz"
    }

    static func channelName(_ n: Int) -> String {
        switch n { case 1: return "mono"; case 2: return "stereo"; case 6: return "5.1"; case 8: return "7.1"; default: return "\(n) channels" }
    }

    static func rangeText(start: Double?, duration: Double?) -> String {
        switch (start, duration) {
        case let (s?, d?): return "\(number(s))–\(number(s + d)) s"
        case let (nil, d?): return "first \(seconds(d))"
        case let (s?, nil): return "from \(seconds(s)) to the end"
        default: return "whole input"
        }
    }

    static func fitDescription(_ f: FitMode) -> String {
        switch f {
        case .blur: return "whole picture over a blurred, enlarged copy of itself"
        case .pad: return "whole picture with black bars"
        case .crop: return "fill the frame, cutting off the edges"
        case .smart: return "follow the subject full-screen, shot by shot; two people too far apart: split screen or the one talking"
        }
    }
}
