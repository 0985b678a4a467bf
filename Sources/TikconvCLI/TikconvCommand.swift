import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import LocalEngine

/// The root command: `tikconv [options] INPUT…` converts; `probe` and `cloud` are subcommands.
public struct TikconvCommand: ParsableCommand {
    public static let version = "0.1.0"

    public static let configuration = CommandConfiguration(
        commandName: "tikconv",
        abstract: "Turn videos, photos and scripts into TikTok-ready MP4s (1080x1920 H.264 + AAC).",
        discussion: """
        Conversions and photo slideshows run offline through FFmpeg's libraries. Captions, \
        AI-chosen music, voice-over and text-to-video go to the NemoVideo cloud agent, and \
        only when asked: with a prompt that needs it (-p) or --cloud.

        Examples:
          tikconv clip.avi                      clip.tiktok.mp4, made offline
          tikconv clip.mov -p "vertical 9:16"   the same, asked in words
          tikconv clip.mov --fit pad            bars instead of following the subject
          tikconv phone.mp4 --focus 0.5,0.3     crop, keeping the upper middle
          tikconv clip.avi --to mp4             clip.mp4, copying what MP4 holds
          tikconv clip.mp4 --start 1:30 --duration 15
          tikconv *.mov -o out/                 one output each in out/
          tikconv clip.mp4 --plan               what would happen, and why
          tikconv probe clip.mp4 --json         what a file is, by content
          tikconv --cloud script.txt            text-to-video in the cloud
          tikconv photos/*.jpg --music song.mp3 an offline slideshow with your song
          tikconv clip.mp4 -p "add captions and background music"
          tikconv check clip.mp4                is it TikTok-ready already?

        Exit codes:
          0 ok, 1 internal error, 2 usage, 3 bad input, 4 needs the cloud,
          5 conversion failed, 6 output problem (exists, disk full),
          7 cloud failure, 8 cloud account (credits, plan),
          10 some inputs failed, 11 check: not TikTok-ready,
          130 Ctrl-C, 143 SIGTERM
        """,
        version: version,
        subcommands: [ConvertCommand.self, ProbeCommand.self, CheckCommand.self, CloudCommand.self],
        defaultSubcommand: ConvertCommand.self
    )

    public init() {}

    /// Runs the command line and exits with a documented code. The only place that exits.
    public static func runMain(_ arguments: [String]? = nil) -> Never {
        // FFmpeg's own messages are hidden (tikconv reports errors itself) unless asked for,
        // e.g. when filing a bug: TIKCONV_FFMPEG_LOG=1 tikconv clip.avi
        EngineLog.setQuiet(ProcessInfo.processInfo.environment["TIKCONV_FFMPEG_LOG"] == nil)
        // Over a file-size limit (`ulimit -f`) the kernel sends SIGXFSZ, whose default action
        // kills the process and leaves the temporary file. Ignored, the write fails with EFBIG,
        // which the engine reports as "out of space" and cleans up. A closed pipe likewise
        // becomes an EPIPE error instead of a silent death.
        signal(SIGXFSZ, SIG_IGN)
        signal(SIGPIPE, SIG_IGN)
        ProcessMapsDump.installIfAsked()
        let given = arguments ?? Array(CommandLine.arguments.dropFirst())
        if given == ["--help"] || given == ["-h"] || given == ["help"] {
            print(rootHelp())
            Glibc.exit(TikconvExit.success.rawValue)
        }
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            Glibc.exit(TikconvExit.success.rawValue)
        } catch let failure as CommandFailure {
            Glibc.exit(failure.exit.rawValue)
        } catch let e as ExitCode {
            Glibc.exit(e.rawValue)
        } catch let e as LocalizedError {
            // Every layer's error enum is a LocalizedError; map it in one place.
            Console().error("tikconv: " + userMessage(for: e))
            Glibc.exit(exitStatus(for: e).rawValue)
        } catch {
            // ArgumentParser's own: --help and --version exit 0, usage errors exit 2.
            if Self.exitCode(for: error) == .success { exit(withError: error) }
            stderrLine(oneStyle(fullMessage(for: error)))
            Glibc.exit(TikconvExit.usage.rawValue)
        }
    }
}

extension TikconvCommand {
    /// `tikconv --help`: the default command's help (every convert option, as `tikconv clip.avi`
    /// takes them) under the root's overview, then the other commands.
    static func rootHelp() -> String {
        let root = helpMessage(columns: nil)
        let convert = helpMessage(for: ConvertCommand.self, columns: nil)
            .replacingOccurrences(of: "tikconv convert ", with: "tikconv ")
        let body = convert.components(separatedBy: "\n").drop { !$0.hasPrefix("USAGE:") }.joined(separator: "\n")
        let overview = root.components(separatedBy: "\nUSAGE:").first ?? ""
        let commands = root.components(separatedBy: "\nSUBCOMMANDS:").dropFirst().first.map { "\nSUBCOMMANDS:" + $0 } ?? ""
        return overview + "\n" + body.trimmingCharacters(in: .newlines) + "\n" + commands
    }

    /// ArgumentParser's "Error: …" in tikconv's one message style, "tikconv: …".
    static func oneStyle(_ message: String) -> String {
        message.hasPrefix("Error: ") ? "tikconv: " + message.dropFirst("Error: ".count) : message
    }
}

/// A failure already reported to the user; carries only the exit code.
struct CommandFailure: Error {
    let exit: TikconvExit
}

/// Writes one line to stderr (logs and messages; stdout is for data).
func stderrLine(_ s: String) {
    FileHandle.standardError.write((withoutNestedParentheses(s) + "\n").data(using: .utf8)!)
}

/// Messages are built from parts that each may say something in parentheses (a library's
/// reason inside tikconv's); one level reads, two do not, so the inner ones become brackets.
func withoutNestedParentheses(_ s: String) -> String {
    var depth = 0
    return String(s.map { ch -> Character in
        switch ch {
        case "(": depth += 1; return depth > 1 ? "[" : ch
        case ")": depth = max(0, depth - 1); return depth > 0 ? "]" : ch
        default: return ch
        }
    })
}
