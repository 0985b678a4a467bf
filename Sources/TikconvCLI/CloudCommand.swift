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
            Console().error("tikconv: " + userMessage(for: e))
            throw ExitCode(e.exitCode.rawValue)
        }
    }

    /// The client's settings from the environment and the flags a subcommand has.
    static func settings(_ connection: CloudConnectionOptions, session: String? = nil, turnTimeout: Double? = nil,
                         pollInterval: Double? = nil) -> CloudSettings {
        var s = CloudSettings.fromEnvironment(ProcessInfo.processInfo.environment)
        connection.apply(to: &s)
        s.session = session
        if let turnTimeout { s.turnTimeout = turnTimeout }
        if let pollInterval { s.pollInterval = pollInterval }
        return s
    }

    public struct Credits: ParsableCommand {
        public static let configuration = CommandConfiguration(abstract: "Show the cloud credit balance.")
        @OptionGroup public var connection: CloudConnectionOptions
        public init() {}
        public func run() throws {
            let settings = CloudCommand.settings(connection)
            let c = try CloudCommand.guarded { try CloudRunner(settings: settings).credits(events: CloudEventPrinter().draw) }
            print("Credits: \(fmt(c.available)) available, \(fmt(c.frozen)) frozen, \(fmt(c.total)) total")
        }
        private func fmt(_ d: Double) -> String { d == d.rounded() ? String(Int(d)) : String(d) }
    }

    public struct Status: ParsableCommand {
        public static let configuration = CommandConfiguration(abstract: "Summarise a session's timeline (default: the last session).")
        @OptionGroup public var session: CloudSessionOption
        @OptionGroup public var connection: CloudConnectionOptions
        public init() {}
        public func run() throws {
            let settings = CloudCommand.settings(connection, session: session.session)
            let r = try CloudCommand.guarded { try CloudRunner(settings: settings).status(session: session.session, events: CloudEventPrinter().draw) }
            print("Session \(r.sessionId)")
            print(r.timelineSummary ?? "")
        }
    }

    public struct Export: ParsableCommand {
        public static let configuration = CommandConfiguration(abstract: "Render a session's timeline and download the MP4.")
        @OptionGroup public var session: CloudSessionOption
        @OptionGroup public var render: CloudRenderOption
        @OptionGroup public var connection: CloudConnectionOptions
        @Option(name: [.short, .long], help: "Where to write the MP4 (default: tikconv-cloud.mp4).")
        public var output: String?
        @Flag(name: .shortAndLong, help: "Only errors on stderr.")
        public var quiet = false
        public init() {}
        public func run() throws {
            let settings = CloudCommand.settings(connection, session: session.session, pollInterval: render.pollInterval)
            let console = Console(quiet: quiet)
            let r = try CloudCommand.guarded { () throws -> CloudResult in
                try CloudRunner(settings: settings).export(session: session.session, outputPath: output ?? "tikconv-cloud.mp4",
                                                           events: CloudEventPrinter(err: { console.line($0) }).draw)
            }
            console.line("tikconv: wrote \(r.outputPath ?? "") (\(r.bytes) bytes)")
        }
    }

    public struct Chat: ParsableCommand {
        public static let configuration = CommandConfiguration(abstract: "Send one more instruction to a session, e.g. \"make the captions bigger\".")
        @OptionGroup public var session: CloudSessionOption
        @OptionGroup public var reply: CloudReplyOption
        @OptionGroup public var connection: CloudConnectionOptions
        @Argument(help: "The instruction for the agent.")
        public var message: String
        @Flag(name: .shortAndLong, help: "Only errors on stderr; the agent's reply still goes to stdout.")
        public var quiet = false
        public init() {}
        public func validate() throws {
            if message.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw ValidationError("the instruction is empty") }
            if session.session == nil { throw ValidationError("give --session ID (or --session last)") }
        }
        public func run() throws {
            let settings = CloudCommand.settings(connection, session: session.session, turnTimeout: reply.turnTimeout)
            let console = Console(quiet: quiet)
            let r = try CloudCommand.guarded {
                try CloudRunner(settings: settings).chat(session: session.session, message: message,
                                                         events: CloudEventPrinter(err: { console.line($0) }).draw)
            }
            console.line("tikconv: session \(r.sessionId); export with `tikconv cloud export --session \(r.sessionId) -o out.mp4`")
        }
    }
}
