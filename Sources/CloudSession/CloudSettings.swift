import Foundation
import HTTPTransport

/// tikconv's version, sent as `X-Skill-Version`.
public let tikconvVersion = "0.1.0"

/// A monotonic clock in seconds.
public func monotonicSeconds() -> TimeInterval {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return TimeInterval(ts.tv_sec) + TimeInterval(ts.tv_nsec) / 1e9
}

/// Everything the cloud client needs besides the job itself. All waits go through
/// `sleep` and `now` so tests can run without real delays.
public struct CloudSettings {
    public static let defaultBaseURL = "https://mega-api-prod.nemovideo.ai"

    public var baseURL: String = CloudSettings.defaultBaseURL
    /// `$XDG_CONFIG_HOME/tikconv` (default `~/.config/tikconv`).
    public var configDir: URL
    /// `NEMO_TOKEN`, when set: used as is, never stored.
    public var environmentToken: String?
    /// `X-Skill-Platform`: clawhub | cursor | unknown.
    public var platform: String = "unknown"
    public var version: String = tikconvVersion
    /// Resume this session instead of creating one ("last" for the remembered one).
    public var session: String?
    /// Remote media given with --url (uploaded in the JSON form).
    public var urls: [String] = []

    public var pollInterval: TimeInterval = 30
    public var stillWorkingInterval: TimeInterval = 120
    public var turnTimeout: TimeInterval = 15 * 60
    public var rateLimitWait: TimeInterval = 30
    public var maxRenderWait: TimeInterval = 30 * 60
    /// State reads (one poll interval apart) after a dropped stream before giving up.
    public var dropStateChecks = 3
    public var http = HTTPSettings()

    public var sleep: (TimeInterval) -> Void = { if $0 > 0 { Thread.sleep(forTimeInterval: $0) } }
    public var now: () -> TimeInterval = monotonicSeconds
    public var wallClock: () -> Date = { Date() }
    public var makeClientId: () -> String = { UUID().uuidString.lowercased() }

    public init(configDir: URL) { self.configDir = configDir }

    /// The config directory from the environment: `$XDG_CONFIG_HOME/tikconv`, else `~/.config/tikconv`.
    public static func configDir(environment env: [String: String]) -> URL {
        if let x = env["XDG_CONFIG_HOME"], !x.isEmpty { return URL(fileURLWithPath: x).appendingPathComponent("tikconv") }
        let home = env["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return URL(fileURLWithPath: home).appendingPathComponent(".config/tikconv")
    }

    /// Reads NEMO_API_BASE, NEMO_TOKEN, TIKCONV_PLATFORM and the config dir from the environment.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) -> CloudSettings {
        var s = CloudSettings(configDir: configDir(environment: env))
        if let b = env["NEMO_API_BASE"], !b.isEmpty { s.baseURL = b }
        if let t = env["NEMO_TOKEN"], !t.isEmpty { s.environmentToken = t }
        if let p = env["TIKCONV_PLATFORM"], !p.isEmpty { s.platform = p }
        return s
    }
}
