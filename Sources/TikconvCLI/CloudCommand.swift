import ArgumentParser
import CloudSession
import Foundation

/// `tikconv cloud …`: the NemoVideo session outside a conversion.
public struct CloudCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "cloud",
        abstract: "Work with the NemoVideo cloud session: credits, status, export, chat.",
        subcommands: [Credits.self, Status.self, Export.self, Chat.self])

    public init() {}

    /// Runs a cloud action, turning a CloudError into its message and exit code.
    static func guarded<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as CloudError {
            FileHandle.standardError.write(Data("tikconv: error: \(e.errorDescription ?? "cloud error")\n".utf8))
            throw ExitCode(e.exitCode.rawValue)
        }
    }

    public struct Credits: ParsableCommand {
        public static let configuration = CommandConfiguration(abstract: "Show the cloud credit balance.")
        @OptionGroup public var cloud: CloudOptions
        public init() {}
        public func run() throws {
            let c = try CloudCommand.guarded { try CloudRunner(settings: cloud.settings()).credits(events: CloudEventPrinter().draw) }
            print("Credits: \(fmt(c.available)) available, \(fmt(c.frozen)) frozen, \(fmt(c.total)) total")
        }
        private func fmt(_ d: Double) -> String { d == d.rounded() ? String(Int(d)) : String(d) }
    }

    public struct Status: ParsableCommand {
        public static let configuration = CommandConfiguration(abstract: "Summarise a session's timeline (default: the last session).")
        @OptionGroup public var cloud: CloudOptions
        public init() {}
        public func run() throws {
            let r = try CloudCommand.guarded { try CloudRunner(settings: cloud.settings()).status(session: cloud.session, events: CloudEventPrinter().draw) }
            print("Session \(r.sessionId)")
            print(r.timelineSummary ?? "")
        }
    }

    public struct Export: ParsableCommand {
        public static let configuration = CommandConfiguration(abstract: "Render a session's timeline and download the MP4.")
        @OptionGroup public var cloud: CloudOptions
        @Option(name: [.short, .long], help: "Where to write the MP4.")
        public var output: String?
        public init() {}
        public func run() throws {
            let r = try CloudCommand.guarded { () throws -> CloudResult in
                let runner = CloudRunner(settings: cloud.settings())
                let path = output ?? "tikconv-cloud.mp4"
                return try runner.export(session: cloud.session, outputPath: path, events: CloudEventPrinter().draw)
            }
            FileHandle.standardError.write(Data("tikconv: wrote \(r.outputPath ?? "") (\(r.bytes) bytes)\n".utf8))
        }
    }

    public struct Chat: ParsableCommand {
        public static let configuration = CommandConfiguration(abstract: "Send one more instruction to a session, e.g. \"make the captions bigger\".")
        @OptionGroup public var cloud: CloudOptions
        @Argument(help: "The instruction for the agent.")
        public var message: String
        public init() {}
        public func validate() throws {
            if message.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw ValidationError("the instruction is empty") }
            if cloud.session == nil { throw ValidationError("give --session ID (or --session last)") }
        }
        public func run() throws {
            let r = try CloudCommand.guarded {
                try CloudRunner(settings: cloud.settings()).chat(session: cloud.session, message: message, events: CloudEventPrinter().draw)
            }
            FileHandle.standardError.write(Data("tikconv: session \(r.sessionId); export with `tikconv cloud export --session \(r.sessionId) -o out.mp4`\n".utf8))
        }
    }
}
