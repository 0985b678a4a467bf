import ArgumentParser
import CloudSession
import Foundation

/// Flags for the cloud route; the main command includes them with `@OptionGroup`.
public struct CloudOptions: ParsableArguments {
    @Option(name: .customLong("poll-interval"), help: "Seconds between render status checks.")
    public var pollInterval: Double = 30

    @Option(name: .customLong("url"), help: "Remote media for the cloud agent (repeatable; http/https).")
    public var urls: [String] = []

    @Option(name: .customLong("session"), help: "Cloud session to continue: an id, or 'last'.")
    public var session: String?

    @Option(name: .customLong("timeout"), help: "Longest wait for one agent reply, in seconds.")
    public var turnTimeout: Double = 900

    @Option(name: .customLong("connect-timeout"), help: "Seconds to wait for a connection to the cloud.")
    public var connectTimeout: Double = 15

    @Option(name: .customLong("stall-timeout"), help: "Give up on a cloud request or download after this many seconds without data.")
    public var stallTimeout: Double = 120

    public init() {}

    public func validate() throws {
        guard pollInterval > 0 else { throw ValidationError("--poll-interval must be more than 0 seconds") }
        guard turnTimeout > 0 else { throw ValidationError("--timeout must be more than 0 seconds") }
        guard connectTimeout > 0 else { throw ValidationError("--connect-timeout must be more than 0 seconds") }
        guard stallTimeout > 0 else { throw ValidationError("--stall-timeout must be more than 0 seconds") }
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
        s.http.connectTimeout = connectTimeout
        s.http.lowSpeedTime = stallTimeout
        return s
    }
}
