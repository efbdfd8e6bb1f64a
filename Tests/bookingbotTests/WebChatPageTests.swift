import Foundation
import HTTP
import TestSupport
import XCTest

/// The web chat as `bookingbot sandbox` serves it, in a real headless Chromium (Debian's,
/// through Playwright: `scripts/test` installs both). Tests/Browser/web_chat_features.py
/// plays a person in the page and the bot through the Bot API, and checks each thing the
/// page shows; the booking journey with the real bot is WebChatEndToEndTests.
final class WebChatPageTests: XCTestCase {
    private let token = "123456:sandbox-token-for-web-chat-tests"
    private var binary: String { productsDirectory.appendingPathComponent("bookingbot").path }

    func testThePageShowsAndDoesWhatTelegramsAppDoes() throws {
        let port = unusedLoopbackPort()
        let sandbox = try ChildProcess(binary, ["sandbox", "--port", "\(port)", "--token", token, "--owner", "7001"],
                                       environment: ["PATH": "/usr/bin:/bin"])
        defer { sandbox.signal(SIGKILL) }
        let url = "http://127.0.0.1:\(port)/"
        XCTAssertTrue(ChildProcess.eventually { (try? HTTPClient().get(url).status) == 200 }, sandbox.stdout + sandbox.stderr)
        let run = try BrowserScript.run("web_chat_features.py", spec: ["url": url, "token": token, "owner": 7001], timeout: 120)
        XCTAssertEqual(run.status, 0, "the page did not show what it should:\n\(run.stderr)\n\(run.stdout)")
        XCTAssertTrue(run.stdout.contains("all features shown"), run.stdout)
    }
}
