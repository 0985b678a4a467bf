import ArgumentParser
import CloudSession
import Foundation

/// A time option's value: seconds, MM:SS or HH:MM:SS[.ms], more than 0.
private func positiveSeconds(_ text: String) throws -> Double {
    let s = try ArgumentValues.seconds(text)
    guard s > 0 else { throw ArgumentValues.Invalid(description: "must be more than 0 seconds") }
    return s
}

/// How long to wait for the cloud: every cloud command has these.
public struct CloudConnectionOptions: ParsableArguments {
    @Option(name: .customLong("connect-timeout"), help: ArgumentHelp("How long to wait for a connection to the cloud (default 15 s; seconds or MM:SS).", valueName: "time"),
            transform: { try positiveSeconds($0) })
    public var connectTimeout: Double = 15

    @Option(name: .customLong("stall-timeout"), help: ArgumentHelp("Give up on a cloud request or download after this long without data (default 2:00).", valueName: "time"),
            transform: { try positiveSeconds($0) })
    public var stallTimeout: Double = 120

    public init() {}

    func apply(to s: inout CloudSettings) {
        s.http.connectTimeout = connectTimeout
        s.http.lowSpeedTime = stallTimeout
    }
}

/// `--session`: for the commands that continue a session.
public struct CloudSessionOption: ParsableArguments {
    @Option(name: .customLong("session"), help: "Cloud session to continue: an id, or 'last'.")
    public var session: String?

    public init() {}
}

/// `--timeout`: for the commands that wait for the agent's reply.
public struct CloudReplyOption: ParsableArguments {
    @Option(name: .customLong("timeout"), help: ArgumentHelp("Longest wait for one agent reply (default 15:00; seconds, MM:SS or HH:MM:SS).", valueName: "time"),
            transform: { try positiveSeconds($0) })
    public var turnTimeout: Double = 900

    public init() {}
}

/// `--poll-interval`: for the commands that wait for a render.
public struct CloudRenderOption: ParsableArguments {
    @Option(name: .customLong("poll-interval"), help: ArgumentHelp("Time between render status checks (default 30 s).", valueName: "time"),
            transform: { try positiveSeconds($0) })
    public var pollInterval: Double = 30

    public init() {}
}

/// The convert command's cloud flags: all of the above, plus `--url`.
public struct CloudOptions: ParsableArguments {
    @OptionGroup public var render: CloudRenderOption

    @Option(name: .customLong("url"), help: "Remote media for the cloud agent (repeatable; http/https).")
    public var urls: [String] = []

    @OptionGroup public var sessionOption: CloudSessionOption
    @OptionGroup public var reply: CloudReplyOption
    @OptionGroup public var connection: CloudConnectionOptions

    public init() {}

    public var pollInterval: Double { render.pollInterval }
    public var session: String? { sessionOption.session }
    public var turnTimeout: Double { reply.turnTimeout }

    public func validate() throws {
        for u in urls {
            guard let c = URLComponents(string: u), ["http", "https"].contains(c.scheme?.lowercased() ?? ""), c.host != nil else {
                throw ValidationError("--url \(u): only http and https URLs are accepted")
            }
        }
    }

    /// The client's settings: environment (NEMO_API_BASE, NEMO_TOKEN, TIKCONV_PLATFORM,
    /// XDG_CONFIG_HOME) plus these flags.
    public func settings(environment: [String: String] = ProcessInfo.processInfo.environment) -> CloudSettings {
        var s = CloudSettings.fromEnvironment(environment)
        s.pollInterval = pollInterval
        s.urls = urls
        s.session = session
        s.turnTimeout = turnTimeout
        connection.apply(to: &s)
        return s
    }
}
