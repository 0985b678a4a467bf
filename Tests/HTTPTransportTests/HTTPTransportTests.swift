import CCurl
import Foundation
import HTTPTransport
import NemoStandIn
import XCTest

let testMedia = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("TestMedia")
let mp4Path = testMedia.appendingPathComponent("h264_aac_16x9.mp4").path

final class HTTPTransportTests: XCTestCase {
    var server: NemoStandIn!
    var base: String { server.baseURL }

    func startServer(_ configure: (inout NemoStandInConfig) -> Void = { _ in }) throws {
        var c = NemoStandInConfig(mp4Path: mp4Path)
        c.extraTokens = ["nmv_usr_testtoken": "user_registered"]
        configure(&c)
        server = NemoStandIn(config: c)
        try server.start()
    }

    override func tearDown() {
        server?.stop()
        server = nil
    }

    let auth = [("Authorization", "Bearer nmv_usr_testtoken")]

    // MARK: - The C shim against libcurl's own values

    func testOptionAndInfoNumericValues() {
        XCTAssertEqual(CURLOPT_URL.rawValue, 10002)
        XCTAssertEqual(CURLOPT_ERRORBUFFER.rawValue, 10010)
        XCTAssertEqual(CURLOPT_HTTPHEADER.rawValue, 10023)
        XCTAssertEqual(CURLOPT_WRITEFUNCTION.rawValue, 20011)
        XCTAssertEqual(CURLOPT_HEADERFUNCTION.rawValue, 20079)
        XCTAssertEqual(CURLOPT_XFERINFOFUNCTION.rawValue, 20219)
        XCTAssertEqual(CURLOPT_FOLLOWLOCATION.rawValue, 52)
        XCTAssertEqual(CURLOPT_MAXREDIRS.rawValue, 68)
        XCTAssertEqual(CURLOPT_TIMEOUT_MS.rawValue, 155)
        XCTAssertEqual(CURLOPT_CONNECTTIMEOUT_MS.rawValue, 156)
        XCTAssertEqual(CURLOPT_LOW_SPEED_LIMIT.rawValue, 19)
        XCTAssertEqual(CURLOPT_LOW_SPEED_TIME.rawValue, 20)
        XCTAssertEqual(CURLOPT_MIMEPOST.rawValue, 10269)
        XCTAssertEqual(CURLOPT_POSTFIELDSIZE_LARGE.rawValue, 30120)
        XCTAssertEqual(CURLOPT_PROTOCOLS_STR.rawValue, 10318)
        XCTAssertEqual(CURLOPT_REDIR_PROTOCOLS_STR.rawValue, 10319)
        XCTAssertEqual(CURLINFO_RESPONSE_CODE.rawValue, 0x200002)
        XCTAssertEqual(CURLINFO_CONTENT_TYPE.rawValue, 0x100012)
        XCTAssertEqual(CURLINFO_SIZE_DOWNLOAD_T.rawValue, 0x600008)
        XCTAssertEqual(Int(CURL_ERROR_SIZE), 256)
    }

    func testSetoptWrappersReturnOK() throws {
        ensureCurlInitialised()
        let h = try XCTUnwrap(curl_easy_init())
        defer { curl_easy_cleanup(h) }
        XCTAssertEqual(tk_curl_setopt_long(h, CURLOPT_FOLLOWLOCATION, 1), CURLE_OK)
        XCTAssertEqual(tk_curl_setopt_off(h, CURLOPT_POSTFIELDSIZE_LARGE, 0), CURLE_OK)
        XCTAssertEqual(tk_curl_setopt_string(h, CURLOPT_URL, "http://127.0.0.1:9/"), CURLE_OK)
        XCTAssertEqual(tk_curl_setopt_string(h, CURLOPT_PROTOCOLS_STR, "http,https"), CURLE_OK)
        XCTAssertEqual(tk_curl_setopt_string(h, CURLOPT_PROTOCOLS_STR, "gopher-nope"), CURLE_UNSUPPORTED_PROTOCOL)
        let buf = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
        defer { buf.deallocate() }
        XCTAssertEqual(tk_curl_setopt_pointer(h, CURLOPT_ERRORBUFFER, buf), CURLE_OK)
        let list = try HeaderList(["X-A: 1"])
        XCTAssertEqual(tk_curl_setopt_slist(h, CURLOPT_HTTPHEADER, list.list), CURLE_OK)
        let mime = try XCTUnwrap(curl_mime_init(h))
        XCTAssertEqual(tk_curl_setopt_mime(h, CURLOPT_MIMEPOST, mime), CURLE_OK)
        XCTAssertEqual(tk_curl_setopt_write_function(h, { _, s, n, _ in s * n }), CURLE_OK)
        XCTAssertEqual(tk_curl_setopt_header_function(h, { _, s, n, _ in s * n }), CURLE_OK)
        XCTAssertEqual(tk_curl_setopt_xferinfo_function(h, { _, _, _, _, _ in 0 }), CURLE_OK)
        XCTAssertEqual(tk_curl_setopt_mime(h, CURLOPT_MIMEPOST, nil), CURLE_OK)
        curl_mime_free(mime)
    }

    func testGetinfoWrappersAfterARequest() throws {
        try startServer()
        let easy = try EasyHandle()
        try easy.set(CURLOPT_URL, base + "/api/credits/balance/simple")
        _ = tk_curl_setopt_write_function(easy.handle, { _, s, n, _ in s * n })
        XCTAssertEqual(easy.perform(), CURLE_OK)
        XCTAssertEqual(try easy.infoLong(CURLINFO_RESPONSE_CODE), 401) // no token
        XCTAssertEqual(try easy.infoString(CURLINFO_CONTENT_TYPE), "application/json")
        XCTAssertGreaterThan(try easy.infoOffset(CURLINFO_SIZE_DOWNLOAD_T), 0)
        var d: Double = -1
        XCTAssertEqual(tk_curl_getinfo_double(easy.handle, CURLINFO_TOTAL_TIME, &d), CURLE_OK)
        XCTAssertGreaterThanOrEqual(d, 0)
    }

    func testErrorBufferAndStrerror() throws {
        let easy = try EasyHandle()
        try easy.set(CURLOPT_URL, "http://127.0.0.1:1/")
        let code = easy.perform()
        XCTAssertEqual(code, CURLE_COULDNT_CONNECT)
        XCTAssertFalse(easy.errorDetail.isEmpty)
        XCTAssertEqual(curlErrorText(CURLE_COULDNT_CONNECT), "Couldn't connect to server")
    }

    func testHeaderListKeepsLines() throws {
        let l = try HeaderList(["A: 1", "B: two"])
        try l.append("C: 3")
        XCTAssertEqual(l.lines, ["A: 1", "B: two", "C: 3"])
    }

    // MARK: - HTTPClient

    func testPostJSONSendsBodyAndHeaders() throws {
        try startServer()
        let client = HTTPClient()
        let body = Data(#"{"task_name":"project","language":"en"}"#.utf8)
        let r = try client.send(HTTPRequest(method: "POST", url: base + "/api/tasks/me/with-session/nemo_agent",
                                            headers: auth + [("X-Skill-Source", "text-to-tiktok")], body: .data(body, contentType: "application/json")))
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(r.header("content-type"), "application/json")
        let rec = try XCTUnwrap(server.requests.last)
        XCTAssertEqual(rec.method, "POST")
        XCTAssertEqual(rec.body, body)
        XCTAssertEqual(rec.header("Content-Type"), "application/json")
        XCTAssertEqual(rec.header("X-Skill-Source"), "text-to-tiktok")
        XCTAssertEqual(rec.header("Authorization"), "Bearer nmv_usr_testtoken")
        XCTAssertNil(rec.header("Expect"))
    }

    func testEmptyPostAndStatusIsReturnedNotThrown() throws {
        try startServer()
        let r = try HTTPClient().send(HTTPRequest(method: "POST", url: base + "/api/auth/anonymous-token"))
        XCTAssertEqual(r.status, 400) // no X-Client-Id
        XCTAssertFalse(r.isSuccess)
        XCTAssertEqual(server.requests.last?.body.count, 0)
    }

    func testMultipartFilesAndData() throws {
        try startServer()
        let sid = try createSession()
        let jpg = testMedia.appendingPathComponent("photo.jpg").path
        let png = testMedia.appendingPathComponent("photo.png").path
        var sent: Int64 = 0
        let r = try HTTPClient().send(HTTPRequest(method: "POST", url: base + "/api/upload-video/nemo_agent/me/\(sid)", headers: auth, body: .multipart([
            MultipartPart(name: "files", content: .file(path: jpg), filename: "photo.jpg", contentType: "image/jpeg"),
            MultipartPart(name: "files", content: .file(path: png), filename: "photo.png", contentType: "image/png"),
        ])), progress: { _, _, up, _ in sent = max(sent, up) })
        XCTAssertEqual(r.status, 200)
        let parts = try XCTUnwrap(server.requests.last?.parts)
        XCTAssertEqual(parts.map(\.name), ["files", "files"])
        XCTAssertEqual(parts.map(\.filename), ["photo.jpg", "photo.png"])
        XCTAssertEqual(parts.map(\.contentType), ["image/jpeg", "image/png"])
        XCTAssertEqual(parts[0].data, FileManager.default.contents(atPath: jpg))
        XCTAssertEqual(parts[1].data, FileManager.default.contents(atPath: png))
        XCTAssertGreaterThan(sent, 0)

        _ = try HTTPClient().send(HTTPRequest(method: "POST", url: base + "/api/upload-video/nemo_agent/me/\(sid)", headers: auth,
                                              body: .multipart([MultipartPart(name: "files", content: .data(Data("abc".utf8)), filename: "a.mp4")])))
        XCTAssertEqual(server.requests.last?.parts.first?.data, Data("abc".utf8))
    }

    func testMissingUploadFileFailsBeforeSending() throws {
        try startServer()
        XCTAssertThrowsError(try HTTPClient().send(HTTPRequest(method: "POST", url: base + "/x", body: .multipart([
            MultipartPart(name: "files", content: .file(path: "/nonexistent/file.mp4")),
        ])))) { XCTAssertEqual($0 as? HTTPError, .file(path: "/nonexistent/file.mp4", detail: "not readable")) }
        XCTAssertTrue(server.requests.isEmpty)
    }

    func testStreamDeliversLinesAsTheyArrive() throws {
        try startServer { $0.eventForm = .typed; $0.silentSeconds = 0.3; $0.keepAliveInterval = 0.05 }
        let sid = try createSession()
        var lines: [String] = []
        var ticks = 0
        let r = try HTTPClient().stream(sseRequest(sid), onLine: { lines.append($0) }, onTick: { ticks += 1 })
        XCTAssertEqual(r.status, 200)
        XCTAssertTrue(r.body.isEmpty)
        XCTAssertTrue(lines.contains(": keep-alive"))
        XCTAssertTrue(lines.contains("data:"))
        XCTAssertTrue(lines.contains { $0.hasPrefix("data: {\"type\":\"text\"") })
        XCTAssertGreaterThan(ticks, 0)
    }

    func testStreamBuffersAJSONErrorReply() throws {
        try startServer { $0.outOfCredits = true }
        let sid = try createSession()
        var lines: [String] = []
        let r = try HTTPClient().stream(sseRequest(sid), onLine: { lines.append($0) })
        XCTAssertTrue(lines.isEmpty)
        XCTAssertTrue(String(decoding: r.body, as: UTF8.self).contains("2001"))
    }

    func testStreamLineTooLongFailsClearly() throws {
        try startServer()
        let sid = try createSession()
        var s = HTTPSettings()
        s.maxLineBytes = 16
        var req = sseRequest(sid)
        req.settings = s
        XCTAssertThrowsError(try HTTPClient().stream(req, onLine: { _ in })) {
            XCTAssertEqual($0 as? HTTPError, .lineTooLong(limit: 16))
            XCTAssertTrue(($0 as? HTTPError)?.errorDescription?.contains("16 bytes") ?? false)
        }
    }

    func testDroppedStreamIsDropped() throws {
        try startServer { $0.dropStream = .turnUnfinished }
        let sid = try createSession()
        var lines = 0
        XCTAssertThrowsError(try HTTPClient().stream(sseRequest(sid), onLine: { _ in lines += 1 })) {
            guard case .dropped? = $0 as? HTTPError else { return XCTFail("\($0)") }
        }
        XCTAssertGreaterThan(lines, 0)
    }

    func testOverallTimeout() throws {
        try startServer { $0.silentSeconds = 3; $0.keepAliveInterval = 0.1 }
        let sid = try createSession()
        var req = sseRequest(sid)
        var s = HTTPSettings()
        s.overallTimeout = 0.4
        req.settings = s
        XCTAssertThrowsError(try HTTPClient().stream(req, onLine: { _ in })) {
            guard case .timedOut? = $0 as? HTTPError else { return XCTFail("\($0)") }
        }
    }

    func testDownloadToFileWithProgress() throws {
        try startServer()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("a.mp4").path
        var last: Int64 = 0
        let r = try HTTPClient().download(HTTPRequest(url: base + "/files/render_x.mp4"), to: out) { d, _, _, _ in last = d }
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(FileManager.default.contents(atPath: out), FileManager.default.contents(atPath: mp4Path))
        XCTAssertEqual(last, Int64(FileManager.default.contents(atPath: mp4Path)!.count))
    }

    func testTruncatedDownloadThrowsAndRemovesFile() throws {
        try startServer { $0.downloadFault = .closeEarly }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString + ".mp4").path
        XCTAssertThrowsError(try HTTPClient().download(HTTPRequest(url: base + "/files/render_x.mp4"), to: out)) {
            guard case .dropped? = $0 as? HTTPError else { return XCTFail("\($0)") }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }

    func testConnectionRefused() throws {
        XCTAssertThrowsError(try HTTPClient().send(HTTPRequest(url: "http://127.0.0.1:1/api"))) {
            guard case .connectionRefused? = $0 as? HTTPError else { return XCTFail("\($0)") }
            XCTAssertTrue(($0 as? HTTPError)?.errorDescription?.contains("127.0.0.1:1") ?? false)
        }
    }

    func testOnlyHTTPAndHTTPSForRequestsAndRedirects() throws {
        try startServer()
        XCTAssertThrowsError(try HTTPClient().send(HTTPRequest(url: "file:///etc/passwd"))) {
            guard case .protocolRefused? = $0 as? HTTPError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try HTTPClient().send(HTTPRequest(url: base + "/test/redirect?to=file:///etc/passwd"))) {
            guard case .protocolRefused? = $0 as? HTTPError else { return XCTFail("\($0)") }
        }
        // An http redirect is followed.
        let r = try HTTPClient().send(HTTPRequest(url: base + "/test/redirect?to=/api/credits/balance/simple", headers: auth))
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(server.requests.last?.path, "/api/credits/balance/simple")
        // At most 5 redirects.
        XCTAssertThrowsError(try HTTPClient().send(HTTPRequest(url: base + "/test/redirect-loop"))) {
            guard case .tooManyRedirects? = $0 as? HTTPError else { return XCTFail("\($0)") }
        }
        XCTAssertEqual(server.requests(to: "/test/redirect-loop").count, 6)
    }

    // MARK: - TLS verification is never turned off

    /// https to the plain-HTTP stand-in: a TLS error, never a silent success.
    func testHTTPSToAPlainServerIsATLSError() throws {
        try startServer()
        XCTAssertThrowsError(try HTTPClient().send(HTTPRequest(url: "https://127.0.0.1:\(server.port)/api/credits/balance/simple", headers: auth))) {
            guard case .tls? = $0 as? HTTPError else { return XCTFail("\($0)") }
        }
    }

    /// A real TLS server with a self-signed certificate (openssl s_server): the client refuses
    /// it because peer and host verification are on (VERIFYPEER=1, VERIFYHOST=2).
    func testSelfSignedCertificateIsRefused() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl") else { throw XCTSkip("no openssl") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tikconv-tls-" + UUID().uuidString).path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let gen = Process()
        gen.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        gen.arguments = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir + "/key.pem", "-out", dir + "/cert.pem",
                         "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]
        gen.standardError = FileHandle.nullDevice
        try gen.run(); gen.waitUntilExit()
        XCTAssertEqual(gen.terminationStatus, 0)
        // A free port: bind, read it, release.
        let probe = NemoStandIn(config: NemoStandInConfig(mp4Path: mp4Path))
        let port = try probe.start()
        probe.stop()
        let tls = Process()
        tls.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        tls.arguments = ["s_server", "-accept", "127.0.0.1:\(port)", "-cert", dir + "/cert.pem", "-key", dir + "/key.pem", "-www", "-quiet"]
        tls.standardOutput = FileHandle.nullDevice
        tls.standardError = FileHandle.nullDevice
        try tls.run()
        defer { tls.terminate(); tls.waitUntilExit() }
        var settings = HTTPSettings()
        settings.connectTimeout = 2
        settings.overallTimeout = 5
        var last: Error?
        for _ in 0..<50 {
            do {
                _ = try HTTPClient(settings: settings).send(HTTPRequest(url: "https://127.0.0.1:\(port)/"))
                return XCTFail("a self-signed certificate was accepted")
            } catch HTTPError.connectionRefused {
                Thread.sleep(forTimeInterval: 0.1) // s_server not listening yet
            } catch { last = error; break }
        }
        guard case .tls? = last as? HTTPError else { return XCTFail("expected a TLS verification error, got \(String(describing: last))") }
    }

    // MARK: helpers

    private func createSession() throws -> String {
        let r = try HTTPClient().send(HTTPRequest(method: "POST", url: base + "/api/tasks/me/with-session/nemo_agent", headers: auth,
                                                  body: .data(Data("{}".utf8), contentType: "application/json")))
        let obj = try JSONSerialization.jsonObject(with: r.body) as! [String: Any]
        return (obj["data"] as! [String: Any])["session_id"] as! String
    }

    private func sseRequest(_ sid: String) -> HTTPRequest {
        let body = #"{"app_name":"nemo_agent","user_id":"me","session_id":"\#(sid)","new_message":{"role":"user","parts":[{"text":"hi"}]}}"#
        return HTTPRequest(method: "POST", url: base + "/run_sse", headers: auth + [("Accept", "text/event-stream")],
                           body: .data(Data(body.utf8), contentType: "application/json"))
    }
}
