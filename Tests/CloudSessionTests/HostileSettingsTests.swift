import CloudSession
import Foundation
import HTTPTransport
import TikconvCLI
import XCTest

/// Time-out defaults and the flags that change them; a reply over a limit is a bad reply.
final class HostileSettingsTests: XCTestCase {
    func testTimeoutDefaultsAndFlags() throws {
        let d = try CloudOptions.parse([]).settings(environment: ["HOME": "/home/u"])
        XCTAssertEqual(d.http.connectTimeout, 15)
        XCTAssertEqual(d.http.lowSpeedTime, 120, "a request with no data for 2 minutes is a stall")
        XCTAssertEqual(d.http.lowSpeedLimit, 1)
        XCTAssertEqual(d.http.overallTimeout, 300)
        XCTAssertEqual(d.turnTimeout, 900)
        XCTAssertEqual(d.http.maxLineBytes, 1 << 20)
        let s = try CloudOptions.parse(["--connect-timeout", "2", "--stall-timeout", "3", "--timeout", "4"]).settings(environment: [:])
        XCTAssertEqual(s.http.connectTimeout, 2)
        XCTAssertEqual(s.http.lowSpeedTime, 3)
        XCTAssertEqual(s.turnTimeout, 4)
        XCTAssertThrowsError(try CloudOptions.parse(["--stall-timeout", "0"]))
    }

    func testNetworkMessagesAreOneLineAndSayWhatFailed() {
        let refused = CloudError.network(.connectionRefused(url: "http://127.0.0.1:9/api/x?token=nmv_usr_secret", detail: "Connection refused"))
        XCTAssertEqual(refused.errorDescription, "cloud unreachable: could not connect to http://127.0.0.1:9 (Connection refused)")
        let scheme = CloudError.network(.protocolRefused(url: "file:///etc/passwd", detail: "Protocol \"file\" disabled"))
        XCTAssertEqual(scheme.errorDescription, "cloud request failed: refused to follow file://: only http and https are allowed (Protocol \"file\" disabled)")
        for e in [refused, scheme] { XCTAssertFalse(e.errorDescription!.contains("\n")) }
    }
}
