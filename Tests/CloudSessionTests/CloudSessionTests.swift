import CloudSession
import Foundation
import MediaProbe
import NemoStandIn
import Planning
import TikconvCLI
import XCTest

let expectedTimeline = #"Timeline (3 tracks): 1. Video: city timelapse (0-10s) 2. BGM: Lo-fi (0-10s, 35%) 3. Title: "Urban Dreams" (0-3s)"#
let replyText = "Done! Your 10-second TikTok has captions and lo-fi background music."

final class CloudSessionTests: XCTestCase {

    // MARK: - Happy paths

    func testScriptToMP4SendsExactRequests() throws {
        let h = try Harness { $0.eventForm = .adk }
        let result = try h.run(skill: .textToTikTok, inputs: [Inputs.script], prompt: "make an ad").get()
        h.outputIsTheServedMP4()
        XCTAssertEqual(result.assistantText, [replyText])
        XCTAssertEqual(h.texts, [replyText], "the partial fragment is not shown twice")
        XCTAssertNil(result.timelineSummary)
        XCTAssertEqual(result.bytes, fileSize(mp4Path))
        let sid = result.sessionId
        let rid = try XCTUnwrap(result.renderId)
        XCTAssertEqual(h.paths(), [
            "POST /api/auth/anonymous-token",
            "POST /api/tasks/me/with-session/nemo_agent",
            "GET /api/state/nemo_agent/me/\(sid)/latest",
            "POST /run_sse",
            "GET /api/state/nemo_agent/me/\(sid)/latest",
            "POST /api/render/proxy/lambda",
            "GET /api/render/proxy/lambda/\(rid)",
            "GET /api/render/proxy/lambda/\(rid)",
            "GET /files/\(rid).mp4",
        ])
        let reqs = h.requests
        // Attribution on every request; the token on every request but the anonymous token's.
        for r in reqs {
            XCTAssertEqual(r.header("X-Skill-Source"), "text-to-tiktok", r.path)
            XCTAssertEqual(r.header("X-Skill-Version"), "0.1.0", r.path)
            XCTAssertEqual(r.header("X-Skill-Platform"), "unknown", r.path)
        }
        let token = try XCTUnwrap(h.server.knownTokens.first { $0.hasPrefix("nmv_usr_standin") })
        XCTAssertNil(reqs[0].header("Authorization"))
        let clientId = try XCTUnwrap(reqs[0].header("X-Client-Id"))
        XCTAssertNotNil(UUID(uuidString: clientId))
        XCTAssertTrue(reqs[0].body.isEmpty)
        for r in reqs.dropFirst() { XCTAssertEqual(r.header("Authorization"), "Bearer \(token)", r.path) }

        XCTAssertEqual(reqs[1].json as NSDictionary?, ["task_name": "project", "language": "en"])
        // The instruction with the whole script.
        let sse = reqs[3]
        XCTAssertEqual(sse.header("Accept"), "text/event-stream")
        XCTAssertEqual(sse.header("Content-Type"), "application/json")
        let body = try XCTUnwrap(sse.json)
        XCTAssertEqual(body["app_name"] as? String, "nemo_agent")
        XCTAssertEqual(body["user_id"] as? String, "me")
        XCTAssertEqual(body["session_id"] as? String, sid)
        let msg = try XCTUnwrap(body["new_message"] as? [String: Any])
        XCTAssertEqual(msg["role"] as? String, "user")
        let parts = try XCTUnwrap(msg["parts"] as? [[String: Any]])
        XCTAssertEqual(parts.count, 1)
        let text = try XCTUnwrap(parts[0]["text"] as? String)
        XCTAssertTrue(text.hasPrefix("make an ad"))
        XCTAssertTrue(text.contains(try String(contentsOfFile: scriptPath, encoding: .utf8)))
        // Render body.
        let render = try XCTUnwrap(reqs[5].json)
        XCTAssertEqual(render["id"] as? String, rid)
        XCTAssertTrue(rid.hasPrefix("render_"))
        XCTAssertEqual(render["sessionId"] as? String, sid)
        XCTAssertEqual(render["output"] as? NSDictionary, ["format": "mp4", "quality": "high"])
        XCTAssertEqual((render["draft"] as? [String: Any]).map { NSDictionary(dictionary: $0) },
                       NSDictionary(dictionary: NemoStandInDraft.finished))
        XCTAssertTrue(h.events.contains(.toolProgress(name: "generate_video", finished: false)))
        XCTAssertTrue(h.events.contains(.toolProgress(name: "add_bgm", finished: true)))
        XCTAssertEqual(h.sleeps, [30, 30], "default poll interval, once per poll")
        h.assertNoTokenLeaks()
    }

    func testPhotosToMP4UploadsTwoFilesInOneMultipart() throws {
        let h = try Harness { $0.eventForm = .typed; $0.pollShape = .wrapped }
        let result = try h.run(skill: .photoVideo, inputs: [Inputs.jpg, Inputs.png], prompt: "slideshow with music and transitions") {
            $0.platform = "cursor"; $0.pollInterval = 5
        }.get()
        h.outputIsTheServedMP4()
        XCTAssertEqual(result.assistantText, [replyText])
        let uploads = h.server.requests(to: "/api/upload-video/nemo_agent/me/")
        XCTAssertEqual(uploads.count, 1)
        let up = uploads[0]
        XCTAssertEqual(up.path, "/api/upload-video/nemo_agent/me/\(result.sessionId)")
        XCTAssertTrue(up.header("Content-Type")?.hasPrefix("multipart/form-data; boundary=") ?? false)
        XCTAssertEqual(up.parts.map(\.name), ["files", "files"])
        XCTAssertEqual(up.parts.map(\.filename), ["photo.jpg", "photo.png"])
        XCTAssertEqual(up.parts.map(\.contentType), ["image/jpeg", "image/png"])
        XCTAssertEqual(up.parts[0].data, FileManager.default.contents(atPath: jpgPath))
        XCTAssertEqual(up.parts[1].data, FileManager.default.contents(atPath: pngPath))
        for r in h.requests {
            XCTAssertEqual(r.header("X-Skill-Source"), "tiktok-photo-video")
            XCTAssertEqual(r.header("X-Skill-Platform"), "cursor")
        }
        let text = try XCTUnwrap(((h.server.requests(to: "/run_sse")[0].json?["new_message"] as? [String: Any])?["parts"] as? [[String: Any]])?[0]["text"] as? String)
        XCTAssertEqual(text, "slideshow with music and transitions")
        XCTAssertEqual(h.sleeps, [5, 5])
        XCTAssertTrue(h.events.contains { if case .uploadProgress = $0 { return true }; return false })
        h.assertNoTokenLeaks()
    }

    func testVideoEditUploadsTheClipAndUsesThePlanInstruction() throws {
        let h = try Harness { $0.eventForm = .mixed; $0.pollShape = .flat }
        let result = try h.run(skill: .videoConverterTikTok, inputs: [Inputs.video], prompt: "add captions and background music",
                               instruction: "Add captions and background music; keep 9:16.").get()
        h.outputIsTheServedMP4()
        XCTAssertEqual(result.assistantText, [replyText])
        let up = try XCTUnwrap(h.server.requests(to: "/api/upload-video/").first)
        XCTAssertEqual(up.parts.count, 1)
        XCTAssertEqual(up.parts[0].filename, "h264_aac_16x9.mp4")
        XCTAssertEqual(up.parts[0].contentType, "video/mp4")
        XCTAssertEqual(up.parts[0].data, FileManager.default.contents(atPath: mp4Path))
        let text = ((h.server.requests(to: "/run_sse")[0].json?["new_message"] as? [String: Any])?["parts"] as? [[String: Any]])?[0]["text"] as? String
        XCTAssertEqual(text, "Add captions and background music; keep 9:16.")
        XCTAssertTrue(h.events.contains(.renderProgress(status: "completed", percent: 100)))
        XCTAssertTrue(h.events.contains { if case .downloadProgress = $0 { return true }; return false })
        h.assertNoTokenLeaks()
    }

    func testURLsAreSentInTheJSONForm() throws {
        let h = try Harness()
        let result = try h.run(skill: .videoConverterTikTok, inputs: [], prompt: "add captions") {
            $0.urls = ["https://example.com/a.mp4", "https://example.com/b.mov"]
        }.get()
        h.outputIsTheServedMP4()
        let up = try XCTUnwrap(h.server.requests(to: "/api/upload-video/").first)
        XCTAssertEqual(up.path, "/api/upload-video/nemo_agent/me/\(result.sessionId)")
        XCTAssertEqual(up.header("Content-Type"), "application/json")
        XCTAssertEqual(up.json as NSDictionary?, ["urls": ["https://example.com/a.mp4", "https://example.com/b.mov"], "source_type": "url"])
    }

    // MARK: - Token

    func testTokenFileIsPrivateAndReusedOnASecondRun() throws {
        let h = try Harness()
        _ = try h.run(skill: .textToTikTok, inputs: [Inputs.script]).get()
        let creds = h.configDir.appendingPathComponent("credentials.json").path
        let attrs = try FileManager.default.attributesOfItem(atPath: creds)
        XCTAssertEqual((attrs[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        let last = h.configDir.appendingPathComponent("last-session.json").path
        XCTAssertEqual((try FileManager.default.attributesOfItem(atPath: last)[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        let token = try XCTUnwrap(h.server.knownTokens.first { $0.hasPrefix("nmv_usr_standin") })
        try FileManager.default.removeItem(atPath: h.output)

        _ = try h.run(skill: .textToTikTok, inputs: [Inputs.script]).get()
        XCTAssertEqual(h.count("/api/auth/anonymous-token"), 1, "the stored token is reused")
        XCTAssertEqual(h.server.requests(to: "/run_sse").last?.header("Authorization"), "Bearer \(token)")
    }

    func testExpiredStoredTokenIsRenewedWithTheSameClientId() throws {
        let h = try Harness()
        var now = Date()
        _ = try h.run(skill: .textToTikTok, inputs: [Inputs.script]) { s in s.wallClock = { now } }.get()
        try FileManager.default.removeItem(atPath: h.output)
        now = now.addingTimeInterval(8 * 86400)
        _ = try h.run(skill: .textToTikTok, inputs: [Inputs.script]) { s in s.wallClock = { now } }.get()
        let tokenRequests = h.server.requests(to: "/api/auth/anonymous-token")
        XCTAssertEqual(tokenRequests.count, 2)
        XCTAssertEqual(tokenRequests[0].header("X-Client-Id"), tokenRequests[1].header("X-Client-Id"))
    }

    func testEnvironmentTokenIsUsedAndNeverStored() throws {
        let h = try Harness()
        _ = try h.run(skill: .textToTikTok, inputs: [Inputs.script]) { $0.environmentToken = "nmv_usr_registered_secret" }.get()
        XCTAssertEqual(h.count("/api/auth/anonymous-token"), 0)
        for r in h.requests where !r.path.hasPrefix("/files/") || true {
            XCTAssertEqual(r.header("Authorization"), "Bearer nmv_usr_registered_secret")
        }
        let creds = FileManager.default.contents(atPath: h.configDir.appendingPathComponent("credentials.json").path)
        XCTAssertFalse(String(decoding: creds ?? Data(), as: UTF8.self).contains("nmv_usr_registered_secret"))
        h.assertNoTokenLeaks()
    }

    // MARK: - Misbehaviours

    /// 1001 mid-session: a new anonymous token (same client id), the request retried once.
    func testTokenExpiryMidSessionReauthenticatesAndRetriesOnce() throws {
        let h = try Harness { $0.expireTokenAt = "/run_sse" }
        let result = try h.run(skill: .textToTikTok, inputs: [Inputs.script]).get()
        h.outputIsTheServedMP4()
        XCTAssertEqual(result.assistantText, [replyText])
        let tokens = h.server.requests(to: "/api/auth/anonymous-token")
        XCTAssertEqual(tokens.count, 2)
        XCTAssertEqual(tokens[0].header("X-Client-Id"), tokens[1].header("X-Client-Id"))
        let sse = h.server.requests(to: "/run_sse")
        XCTAssertEqual(sse.count, 2, "the refused request (not charged) is retried once")
        XCTAssertNotEqual(sse[0].header("Authorization"), sse[1].header("Authorization"))
        XCTAssertEqual(sse[0].body, sse[1].body)
        h.assertNoTokenLeaks()
    }

    /// HTTP 400 on the anonymous token: a new client id and one retry.
    func testAnonymousToken400MakesANewClientIdAndRetries() throws {
        let h = try Harness { $0.rejectFirstClientId = true }
        _ = try h.run(skill: .textToTikTok, inputs: [Inputs.script]).get()
        h.outputIsTheServedMP4()
        let t = h.server.requests(to: "/api/auth/anonymous-token")
        XCTAssertEqual(t.count, 2)
        XCTAssertNotEqual(t[0].header("X-Client-Id"), t[1].header("X-Client-Id"))
        let stored = try XCTUnwrap(FileManager.default.contents(atPath: h.configDir.appendingPathComponent("credentials.json").path))
        XCTAssertTrue(String(decoding: stored, as: UTF8.self).contains(t[1].header("X-Client-Id")!))
    }

    func testRejectedEnvironmentTokenFailsWithoutAnonymousFallback() throws {
        let h = try Harness()
        let error = try XCTUnwrap(h.run(skill: .textToTikTok, inputs: [Inputs.script]) { $0.environmentToken = "nmv_usr_bogus_value" }.error as? CloudError)
        XCTAssertEqual(error, .tokenRejected(fromEnvironment: true))
        XCTAssertEqual(error.exitCode, .cloudFailure)
        XCTAssertFalse(error.localizedDescription.contains("nmv_usr_bogus_value"))
        XCTAssertEqual(h.count("/api/auth/anonymous-token"), 0)
        XCTAssertEqual(h.paths(), ["POST /api/tasks/me/with-session/nemo_agent"])
    }

    /// 1002: a new session, uploads redone, one retry.
    func testUnknownSessionCreatesANewSessionAndRetriesOnce() throws {
        let h = try Harness { $0.forgetSessionAt = "/api/upload-video" }
        let result = try h.run(skill: .videoConverterTikTok, inputs: [Inputs.video], prompt: "add captions").get()
        h.outputIsTheServedMP4()
        XCTAssertEqual(h.count("/api/tasks/me/with-session/nemo_agent"), 2)
        let uploads = h.server.requests(to: "/api/upload-video/")
        XCTAssertEqual(uploads.count, 2)
        XCTAssertEqual(uploads[1].path, "/api/upload-video/nemo_agent/me/\(result.sessionId)")
        XCTAssertNotEqual(uploads[0].path, uploads[1].path)
        XCTAssertEqual(h.count("/run_sse"), 1)
        XCTAssertEqual(h.server.requests(to: "/run_sse")[0].json?["session_id"] as? String, result.sessionId)
    }

    /// 2001: the bind URL for an anonymous user; exit 8; nothing rendered.
    func testOutOfCreditsShowsTheBindURL() throws {
        let h = try Harness { $0.outOfCredits = true }
        let error = try XCTUnwrap(h.run(skill: .textToTikTok, inputs: [Inputs.script]).error as? CloudError)
        guard case let .outOfCredits(url?) = error else { return XCTFail("\(error)") }
        XCTAssertTrue(url.hasPrefix("https://nemovideo.com/register?bind=anon_standin_"))
        XCTAssertTrue(error.localizedDescription.contains(url))
        XCTAssertEqual(error.exitCode, .cloudAccount)
        XCTAssertEqual(h.count("/run_sse"), 1)
        XCTAssertEqual(h.count("/api/render"), 0)
        h.assertNoOutput()
        h.assertNoTokenLeaks(error)
    }

    func testOutOfCreditsForARegisteredUserSaysTopUp() throws {
        let h = try Harness { $0.outOfCredits = true }
        let error = try XCTUnwrap(h.run(skill: .textToTikTok, inputs: [Inputs.script]) { $0.environmentToken = "nmv_usr_registered_secret" }.error as? CloudError)
        XCTAssertEqual(error, .outOfCredits(bindURL: nil))
        XCTAssertTrue(error.localizedDescription.contains("top up credits"))
        XCTAssertEqual(error.exitCode, .cloudAccount)
    }

    /// HTTP 402 on export: the plan message, exit 8, one render request.
    func testExport402ShowsThePlanMessage() throws {
        let h = try Harness { $0.exportPaymentRequired = true }
        let error = try XCTUnwrap(h.run(skill: .textToTikTok, inputs: [Inputs.script]).error as? CloudError)
        XCTAssertEqual(error, .exportBlocked)
        XCTAssertTrue(error.localizedDescription.contains("register or upgrade to unlock export"))
        XCTAssertEqual(error.exitCode, .cloudAccount)
        XCTAssertEqual(h.count("/api/render/proxy/lambda"), 1)
        XCTAssertEqual(h.count("/run_sse"), 1)
        XCTAssertEqual(h.texts, [replyText], "the agent's text was shown before the export failed")
        h.assertNoOutput()
    }

    /// HTTP 429 once: wait 30 s (injected sleeper), retry once, go on.
    func testRateLimitedOnceWaitsAndRetries() throws {
        let h = try Harness { $0.rateLimitOnceAt = "/api/tasks" }
        _ = try h.run(skill: .textToTikTok, inputs: [Inputs.script]).get()
        h.outputIsTheServedMP4()
        XCTAssertEqual(h.count("/api/tasks/me/with-session/nemo_agent"), 2)
        XCTAssertEqual(h.sleeps.first, 30)
        XCTAssertTrue(h.events.contains(.waiting(seconds: 30, reason: "rate limited")))
    }

    func testRateLimitedTwiceFails() throws {
        let h = try Harness { $0.rateLimitAlwaysAt = "/api/tasks" }
        let error = try XCTUnwrap(h.run(skill: .textToTikTok, inputs: [Inputs.script]) { $0.rateLimitWait = 7 }.error as? CloudError)
        XCTAssertEqual(error, .rateLimited)
        XCTAssertEqual(error.exitCode, .cloudFailure)
        XCTAssertEqual(h.count("/api/tasks"), 2)
        XCTAssertEqual(h.sleeps, [7])
    }

    /// A dropped stream whose turn finished: the state is read, nothing is re-sent, the export goes on.
    func testDroppedStreamReadsStateAndNeverResends() throws {
        let h = try Harness { $0.dropStream = .afterTurnFinished }
        let result = try h.run(skill: .textToTikTok, inputs: [Inputs.script]).get()
        h.outputIsTheServedMP4()
        XCTAssertEqual(h.count("/run_sse"), 1, "/run_sse is never re-sent")
        XCTAssertEqual(result.timelineSummary, expectedTimeline)
        XCTAssertTrue(h.events.contains(.status("The connection dropped; reading the session state before doing anything else")))
        let p = h.paths()
        let sseIndex = try XCTUnwrap(p.firstIndex(of: "POST /run_sse"))
        XCTAssertEqual(p[sseIndex + 1], "GET /api/state/nemo_agent/me/\(result.sessionId)/latest")
    }

    /// A dropped stream whose turn never finished: fail (exit 7) after reading the state, nothing re-sent.
    func testDroppedStreamWithUnfinishedTurnFailsWithoutResending() throws {
        let h = try Harness { $0.dropStream = .turnUnfinished }
        let error = try XCTUnwrap(h.run(skill: .textToTikTok, inputs: [Inputs.script]) { $0.dropStateChecks = 3; $0.pollInterval = 4 }.error as? CloudError)
        guard case let .turnUnfinished(sid) = error else { return XCTFail("\(error)") }
        XCTAssertTrue(error.localizedDescription.contains("tikconv cloud status --session \(sid)"))
        XCTAssertEqual(error.exitCode, .cloudFailure)
        XCTAssertEqual(h.count("/run_sse"), 1)
        XCTAssertEqual(h.count("/api/state/"), 1 + 3, "one snapshot before, three checks after")
        XCTAssertEqual(h.sleeps, [4, 4])
        XCTAssertEqual(h.count("/api/render"), 0)
        h.assertNoOutput()
    }

    /// A turn with no text: the timeline summary in the protocol's one-line form, then export.
    func testTurnWithNoTextSummarisesTheTimeline() throws {
        for form in [NemoStandInConfig.EventForm.adk, .typed] {
            let h = try Harness { $0.noTextTurn = true; $0.eventForm = form }
            let result = try h.run(skill: .videoConverterTikTok, inputs: [Inputs.video], prompt: "add captions").get()
            h.outputIsTheServedMP4()
            XCTAssertEqual(result.assistantText, [])
            XCTAssertEqual(result.timelineSummary, expectedTimeline)
            XCTAssertEqual(h.summaries, [expectedTimeline])
            XCTAssertEqual(h.count("/run_sse"), 1)
        }
    }

    /// A failed render is retried once with a new id.
    func testFailedRenderIsRetriedOnceWithANewId() throws {
        let h = try Harness { $0.failRenders = 1 }
        let result = try h.run(skill: .textToTikTok, inputs: [Inputs.script]).get()
        h.outputIsTheServedMP4()
        let submits = h.requests.filter { $0.method == "POST" && $0.path == "/api/render/proxy/lambda" }
        XCTAssertEqual(submits.count, 2)
        let ids = submits.compactMap { $0.json?["id"] as? String }
        XCTAssertEqual(Set(ids).count, 2)
        XCTAssertEqual(ids.last, result.renderId)
        XCTAssertEqual(h.count("/run_sse"), 1)
    }

    func testRenderFailingTwiceFails() throws {
        let h = try Harness { $0.failRenders = 10 }
        let error = try XCTUnwrap(h.run(skill: .textToTikTok, inputs: [Inputs.script]).error as? CloudError)
        guard case .renderFailed = error else { return XCTFail("\(error)") }
        XCTAssertEqual(error.exitCode, .cloudFailure)
        XCTAssertEqual(h.requests.filter { $0.method == "POST" && $0.path == "/api/render/proxy/lambda" }.count, 2)
        XCTAssertEqual(h.count("/files/"), 0)
        h.assertNoOutput()
    }

    /// A download cut short (Content-Length not reached): no output, no temp file, exit 7.
    func testTruncatedDownloadLeavesNoOutput() throws {
        let h = try Harness { $0.downloadFault = .closeEarly }
        let error = try XCTUnwrap(h.run(skill: .textToTikTok, inputs: [Inputs.script]).error as? CloudError)
        guard case .downloadIncomplete = error else { return XCTFail("\(error)") }
        XCTAssertTrue(error.localizedDescription.contains("tikconv cloud export --session"))
        XCTAssertEqual(error.exitCode, .cloudFailure)
        XCTAssertEqual(h.count("/files/"), 1)
        h.assertNoOutput()
    }

    /// A short body that ends cleanly: only the size the render reported shows it.
    func testShortDownloadIsCaughtBySizeCheck() throws {
        let h = try Harness { $0.downloadFault = .shortBody; $0.pollShape = .flat }
        let error = try XCTUnwrap(h.run(skill: .textToTikTok, inputs: [Inputs.script]).error as? CloudError)
        guard case let .downloadIncomplete(_, got, expected) = error else { return XCTFail("\(error)") }
        XCTAssertEqual(expected, fileSize(mp4Path))
        XCTAssertEqual(got, fileSize(mp4Path) / 2)
        XCTAssertEqual(error.exitCode, .cloudFailure)
        h.assertNoOutput()
    }

    /// A slow render: polled at the poll interval until completed.
    func testSlowRenderIsPolledAtTheInterval() throws {
        let h = try Harness { $0.renderPolls = 6 }
        let result = try h.run(skill: .textToTikTok, inputs: [Inputs.script]) { $0.pollInterval = 12 }.get()
        h.outputIsTheServedMP4()
        XCTAssertEqual(h.count("/api/render/proxy/lambda/\(result.renderId!)"), 6)
        XCTAssertEqual(h.sleeps, Array(repeating: 12, count: 6))
        let progress = h.events.compactMap { if case let .renderProgress(_, p) = $0 { return p }; return nil }
        XCTAssertEqual(progress.count, 6)
        XCTAssertEqual(progress, progress.sorted())
        XCTAssertEqual(progress.last, 100)
    }

    func testSlowRenderGivesUpAfterTheCap() throws {
        let h = try Harness { $0.renderPolls = 100 }
        let error = try XCTUnwrap(h.run(skill: .textToTikTok, inputs: [Inputs.script]) { $0.pollInterval = 30; $0.maxRenderWait = 90 }.error as? CloudError)
        guard case .renderTimedOut = error else { return XCTFail("\(error)") }
        XCTAssertEqual(h.sleeps.count, 3)
    }

    /// Keep-alives only: "still working" every interval of silence (fake clock, no real waiting).
    func testSilenceReportsStillWorking() throws {
        let h = try Harness { $0.silentSeconds = 0.2; $0.keepAliveInterval = 0.01 }
        // Time passes (10 s a read) only once the stand-in has the message.
        var t: TimeInterval = 0
        let result = try h.run(skill: .textToTikTok, inputs: [Inputs.script]) { s in
            s.turnTimeout = 1_000_000
            s.now = { if h.count("/run_sse") > 0 { t += 10 }; return t }
        }.get()
        XCTAssertEqual(result.assistantText, [replyText])
        let still = h.events.filter { if case .stillWorking = $0 { return true }; return false }
        XCTAssertGreaterThanOrEqual(still.count, 1)
    }

    /// The 15-minute cap (fake clock): the turn stops, exit 7, the message was sent once.
    func testTurnCapStopsTheTurn() throws {
        let h = try Harness { $0.silentSeconds = 0.5; $0.keepAliveInterval = 0.01 }
        // Time passes (100 s a read) only once the stand-in has the message.
        var t: TimeInterval = 0
        let error = try XCTUnwrap(h.run(skill: .textToTikTok, inputs: [Inputs.script]) { s in
            s.turnTimeout = 900
            s.now = { if h.count("/run_sse") > 0 { t += 100 }; return t }
        }.error as? CloudError)
        guard case .turnTimedOut = error else { return XCTFail("\(error)") }
        XCTAssertEqual(error.exitCode, .cloudFailure)
        XCTAssertEqual(h.count("/run_sse"), 1)
    }

    func testErrorInsideTheStream() throws {
        let h = try Harness { $0.streamError = "model overloaded" }
        let error = try XCTUnwrap(h.run(skill: .textToTikTok, inputs: [Inputs.script]).error as? CloudError)
        XCTAssertEqual(error, .agentError("model overloaded"))
        XCTAssertEqual(error.exitCode, .cloudFailure)
        XCTAssertEqual(h.count("/run_sse"), 1)
    }

    func testUnsupportedFileFromTheServer() throws {
        let h = try Harness { $0.uploadErrorCode = 4001 }
        let error = try XCTUnwrap(h.run(skill: .videoConverterTikTok, inputs: [Inputs.video], prompt: "captions").error as? CloudError)
        XCTAssertEqual(error, .unsupportedFile(name: "h264_aac_16x9.mp4"))
        XCTAssertTrue(error.localizedDescription.contains("mp4 mov avi webm mkv jpg png gif webp mp3 wav m4a aac"))
        XCTAssertEqual(error.exitCode, .badInput)
        XCTAssertEqual(h.count("/run_sse"), 0)
    }

    func testFileTooLargeFromTheServer() throws {
        let h = try Harness { $0.uploadErrorCode = 4002 }
        let error = try XCTUnwrap(h.run(skill: .videoConverterTikTok, inputs: [Inputs.video], prompt: "captions").error as? CloudError)
        XCTAssertEqual(error, .fileTooLarge(name: "h264_aac_16x9.mp4"))
        XCTAssertTrue(error.localizedDescription.contains("trim or compress"))
        XCTAssertEqual(error.exitCode, .badInput)
    }

    func testFormatTheCloudDoesNotAcceptIsNeverSent() throws {
        let h = try Harness()
        var flv = Inputs.video
        flv.format = "flv"
        let error = try XCTUnwrap(h.run(skill: .videoConverterTikTok, inputs: [flv], prompt: "captions").error as? CloudError)
        XCTAssertEqual(error, .unsupportedFile(name: "h264_aac_16x9.mp4"))
        XCTAssertEqual(error.exitCode, .badInput)
        XCTAssertTrue(h.requests.isEmpty)
    }

    func testUnreachableServer() throws {
        let h = try Harness()
        h.server.stop()
        let error = try XCTUnwrap(h.run(skill: .textToTikTok, inputs: [Inputs.script]).error as? CloudError)
        guard case .network(.connectionRefused) = error else { return XCTFail("\(error)") }
        XCTAssertEqual(error.exitCode, .cloudFailure)
    }

    // MARK: - Subcommands

    func testCreditsStatusChatExportWithLastSession() throws {
        let h = try Harness { $0.eventForm = .typed }
        let first = try h.run(skill: .photoVideo, inputs: [Inputs.jpg], prompt: "slideshow").get()
        try FileManager.default.removeItem(atPath: h.output)
        let runner = CloudRunner(settings: h.settings())

        let credits = try runner.credits()
        XCTAssertEqual(credits, Credits(available: 100, frozen: 0, total: 100))

        let status = try runner.status(session: "last")
        XCTAssertEqual(status.sessionId, first.sessionId)
        XCTAssertEqual(status.timelineSummary, expectedTimeline)

        let chat = try runner.chat(session: "last", message: "make the captions bigger", events: h.record)
        XCTAssertEqual(chat.sessionId, first.sessionId)
        XCTAssertEqual(chat.assistantText, [replyText])
        let sse = h.server.requests(to: "/run_sse")
        XCTAssertEqual(sse.count, 2)
        XCTAssertEqual(sse[1].json?["session_id"] as? String, first.sessionId)
        XCTAssertEqual(((sse[1].json?["new_message"] as? [String: Any])?["parts"] as? [[String: Any]])?[0]["text"] as? String, "make the captions bigger")
        XCTAssertEqual(sse[1].header("X-Skill-Source"), "tiktok-photo-video", "the remembered session's skill")

        let export = try runner.export(session: first.sessionId, outputPath: h.output, events: h.record)
        XCTAssertEqual(export.sessionId, first.sessionId)
        h.outputIsTheServedMP4()
        h.assertNoTokenLeaks()
    }

    func testSessionLastWithoutOneIsAUsageError() throws {
        let h = try Harness()
        XCTAssertThrowsError(try CloudRunner(settings: h.settings()).status(session: "last")) {
            XCTAssertEqual($0 as? CloudError, .noSession)
            XCTAssertEqual(($0 as? CloudError)?.exitCode, .usage)
        }
    }

    func testStatusOfAForgottenSession() throws {
        let h = try Harness()
        XCTAssertThrowsError(try CloudRunner(settings: h.settings()).status(session: "123")) {
            XCTAssertEqual($0 as? CloudError, .sessionNotFound(session: "123"))
        }
    }

    func testCLIOptionsBuildSettingsFromEnvironmentAndFlags() throws {
        let o = try CloudOptions.parse(["--poll-interval", "5", "--url", "https://e.com/a.mp4", "--url", "https://e.com/b.mp4", "--session", "last", "--timeout", "60"])
        let s = o.settings(environment: ["NEMO_API_BASE": "http://127.0.0.1:9", "NEMO_TOKEN": "nmv_usr_x", "TIKCONV_PLATFORM": "clawhub", "XDG_CONFIG_HOME": "/tmp/xdg"])
        XCTAssertEqual(s.baseURL, "http://127.0.0.1:9")
        XCTAssertEqual(s.environmentToken, "nmv_usr_x")
        XCTAssertEqual(s.platform, "clawhub")
        XCTAssertEqual(s.configDir.path, "/tmp/xdg/tikconv")
        XCTAssertEqual(s.pollInterval, 5)
        XCTAssertEqual(s.urls, ["https://e.com/a.mp4", "https://e.com/b.mp4"])
        XCTAssertEqual(s.session, "last")
        XCTAssertEqual(s.turnTimeout, 60)
        let d = try CloudOptions.parse([]).settings(environment: ["HOME": "/home/u"])
        XCTAssertEqual(d.configDir.path, "/home/u/.config/tikconv")
        XCTAssertEqual(d.baseURL, "https://mega-api-prod.nemovideo.ai")
        XCTAssertEqual(d.platform, "unknown")
        XCTAssertEqual(d.pollInterval, 30)
        XCTAssertThrowsError(try CloudOptions.parse(["--url", "file:///etc/passwd"]))
        XCTAssertThrowsError(try CloudOptions.parse(["--poll-interval", "0"]))
    }

    func testExitCodeMapping() {
        XCTAssertEqual(CloudError.network(.timedOut(url: "", detail: "")).exitCode, .cloudFailure)
        XCTAssertEqual(CloudError.server(code: 5000, message: "x").exitCode, .cloudFailure)
        XCTAssertEqual(CloudError.httpStatus(500).exitCode, .cloudFailure)
        XCTAssertEqual(CloudError.outOfCredits(bindURL: nil).exitCode, .cloudAccount)
        XCTAssertEqual(CloudError.exportBlocked.exitCode, .cloudAccount)
        XCTAssertEqual(CloudError.unsupportedFile(name: nil).exitCode, .badInput)
        XCTAssertEqual(CloudError.fileTooLarge(name: nil).exitCode, .badInput)
        XCTAssertEqual(CloudError.output("x").exitCode, .outputError)
    }
}

/// The draft the stand-in returns after a turn (mirrors NemoStandIn's).
enum NemoStandInDraft {
    static let finished: [String: Any] = [
        "d": 10000,
        "t": [
            ["tt": 0, "sg": [["st": 0, "d": 10000, "m": ["name": "city timelapse"]]]],
            ["tt": 1, "sg": [["st": 0, "d": 10000, "m": ["name": "Lo-fi", "volume": 0.35]]]],
            ["tt": 7, "sg": [["st": 0, "d": 3000, "m": ["text": "Urban Dreams"]]]],
        ],
    ]
}

final class CloudRouteTests: XCTestCase {
    /// The CLI entry: NEMO_API_BASE and XDG_CONFIG_HOME from the environment, the assistant's
    /// text on stdout, progress on stderr, nothing token-like anywhere.
    func testCloudRouteShowsTextOnStdoutAndProgressOnStderr() throws {
        let h = try Harness()
        var out: [String] = [], err: [String] = []
        let printer = CloudEventPrinter(out: { out.append($0) }, err: { err.append($0) })
        let options = try CloudOptions.parse(["--poll-interval", "1"])
        let env = ["NEMO_API_BASE": h.server.baseURL, "XDG_CONFIG_HOME": h.dir.appendingPathComponent("xdg").path]
        let result = try CloudRoute.run(plan: Plan(route: .cloud, skill: .textToTikTok), request: Request(inputs: [Inputs.script]),
                                        options: options, outputPath: h.output, environment: env, printer: printer) { $0.sleep = { _ in } }
        h.outputIsTheServedMP4()
        XCTAssertEqual(out, [replyText])
        XCTAssertTrue(err.contains("tikconv: Starting a cloud session"))
        XCTAssertTrue(err.contains("tikconv: download 100%"))
        XCTAssertTrue(err.contains { $0.hasPrefix("tikconv: rendering: completed 100%") })
        XCTAssertTrue(FileManager.default.fileExists(atPath: h.dir.appendingPathComponent("xdg/tikconv/credentials.json").path))
        XCTAssertEqual(result.outputPath, h.output)
        for t in h.server.knownTokens { XCTAssertFalse((out + err).joined().contains(t)) }
    }
}

final class LastSessionTests: XCTestCase {
    func testChatWithAnExplicitSessionBecomesLast() throws {
        let h = try Harness()
        let first = try h.run(skill: .textToTikTok, inputs: [Inputs.script]).get()
        try FileManager.default.removeItem(atPath: h.output)
        _ = try h.run(skill: .photoVideo, inputs: [Inputs.jpg], prompt: "slideshow").get()
        let runner = CloudRunner(settings: h.settings())
        XCTAssertNotEqual(try runner.status(session: "last").sessionId, first.sessionId)
        _ = try runner.chat(session: first.sessionId, message: "shorter", events: h.record)
        XCTAssertEqual(try runner.status(session: "last").sessionId, first.sessionId)
        XCTAssertEqual(h.server.requests(to: "/api/state/").last?.header("X-Skill-Source"), "text-to-tiktok", "the session's skill is kept")
    }

    func testResumingASessionForAConversion() throws {
        let h = try Harness()
        let first = try h.run(skill: .textToTikTok, inputs: [Inputs.script]).get()
        try FileManager.default.removeItem(atPath: h.output)
        let second = try h.run(skill: .textToTikTok, inputs: [], prompt: "make it punchier") { $0.session = "last" }.get()
        XCTAssertEqual(second.sessionId, first.sessionId)
        XCTAssertEqual(h.count("/api/tasks/me/with-session/nemo_agent"), 1)
        h.outputIsTheServedMP4()
    }
}
