import Foundation

/// The files kept in the config dir, each written with mode 0600:
/// `credentials.json` (client id, anonymous token, user id, expiry) and `last-session.json`.
struct ConfigStore {
    let dir: URL

    struct Credentials: Codable {
        var clientId: String
        var token: String?
        var userId: String?
        var expiresAt: String?
        enum CodingKeys: String, CodingKey { case clientId = "client_id", token, userId = "user_id", expiresAt = "expires_at" }
    }

    struct LastSession: Codable {
        var sessionId: String
        var skill: String?
        /// The skill each recent session was made for (its attribution source).
        var skills: [String: String]?
        enum CodingKeys: String, CodingKey { case sessionId = "session_id", skill, skills }
    }

    var credentialsURL: URL { dir.appendingPathComponent("credentials.json") }
    var lastSessionURL: URL { dir.appendingPathComponent("last-session.json") }

    func loadCredentials() -> Credentials? { load(credentialsURL) }
    func saveCredentials(_ c: Credentials) throws { try save(c, to: credentialsURL) }
    func loadLastSession() -> LastSession? { load(lastSessionURL) }
    func saveLastSession(_ s: LastSession) throws { try save(s, to: lastSessionURL) }

    private func load<T: Decodable>(_ url: URL) -> T? {
        guard let d = FileManager.default.contents(atPath: url.path) else { return nil }
        return try? JSONDecoder().decode(T.self, from: d)
    }

    /// Writes to a temporary file created 0600, then renames it over the target.
    private func save<T: Encodable>(_ value: T, to url: URL) throws {
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch { throw CloudError.config("\(dir.path): \(error.localizedDescription)") }
        let data = try JSONEncoder().encode(value)
        let tmp = url.path + ".tmp-\(getpid())"
        let fd = open(tmp, O_CREAT | O_WRONLY | O_TRUNC, 0o600)
        guard fd >= 0 else { throw CloudError.config("\(tmp): \(String(cString: strerror(errno)))") }
        fchmod(fd, 0o600)
        let ok = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) == $0.count }
        close(fd)
        guard ok, rename(tmp, url.path) == 0 else {
            unlink(tmp)
            throw CloudError.config("\(url.path): \(String(cString: strerror(errno)))")
        }
    }
}
