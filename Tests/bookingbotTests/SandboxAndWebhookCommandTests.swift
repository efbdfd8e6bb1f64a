import Foundation
import HTTP
import Sandbox
import Telegram
import TestSupport
import XCTest

/// `bookingbot webhook …` against the Sandbox, and `bookingbot sandbox` as a process.
final class SandboxAndWebhookCommandTests: XCTestCase {
    private let token = "123456:sandbox-token-for-command-tests"
    private var binary: String { productsDirectory.appendingPathComponent("bookingbot").path }

    func testWebhookSetInfoAndDeleteGoThroughTheBotAPI() throws {
        let sandbox = SandboxServer(options: SandboxOptions(token: token))
        try sandbox.start()
        defer { sandbox.stop() }
        let environment = [
            "DATABASE_URL": "postgresql://unused:unused@127.0.0.1:1/unused", "BOT_TOKEN": token,
            "TELEGRAM_API_URL": sandbox.baseURL, "WEBHOOK_SECRET": "command-test-secret", "PATH": "/usr/bin:/bin",
            // Loopback, where nothing listens: no update is sent in this test anyway.
            "WEBHOOK_URL": "https://127.0.0.1:1/telegram",
        ]
        let set = try runProgram(binary, ["webhook", "set"], environment: environment, currentDirectory: FileManager.default.temporaryDirectory)
        XCTAssertEqual(set.status, 0, set.stderr)
        let call = try XCTUnwrap(sandbox.calls(method: "setWebhook").last)
        XCTAssertEqual(call.parameters["url"], .string("https://127.0.0.1:1/telegram"))
        XCTAssertEqual(call.parameters["secret_token"], .string("command-test-secret"))

        let info = try runProgram(binary, ["webhook", "info"], environment: environment, currentDirectory: FileManager.default.temporaryDirectory)
        XCTAssertEqual(info.status, 0, info.stderr)
        XCTAssertTrue(info.stdout.contains("url: https://127.0.0.1:1/telegram"), info.stdout)

        let delete = try runProgram(binary, ["webhook", "delete"], environment: environment, currentDirectory: FileManager.default.temporaryDirectory)
        XCTAssertEqual(delete.status, 0, delete.stderr)
        XCTAssertTrue(try TelegramClient(baseURL: sandbox.baseURL, token: token).getWebhookInfo().url.isEmpty)

        var wrong = environment
        wrong["BOT_TOKEN"] = "999999:a-token-the-sandbox-does-not-know"
        let refused = try runProgram(binary, ["webhook", "info"], environment: wrong, currentDirectory: FileManager.default.temporaryDirectory)
        XCTAssertEqual(refused.status, 1)
        XCTAssertFalse(refused.stderr.contains("a-token-the-sandbox-does-not-know"), refused.stderr)
    }

    func testTheSandboxRunsAsAProcess() throws {
        let port = unusedLoopbackPort()
        let webPort = unusedLoopbackPort()
        let sandbox = try ChildProcess(binary, ["sandbox", "--port", "\(port)", "--token", token, "--web-port", "\(webPort)",
                                                "--owner", "7001", "--moderator", "7003",
                                                "--latency-ms", "20", "--jitter-ms", "5", "--telegram-limits"],
                                       environment: ["PATH": "/usr/bin:/bin"])
        defer { sandbox.signal(SIGKILL) }
        let client = TelegramClient(baseURL: "http://127.0.0.1:\(port)", token: token)
        XCTAssertTrue(ChildProcess.eventually { (try? client.getMe()) != nil }, sandbox.stdout + sandbox.stderr)
        // A user writes through the control API; the bot sees it with getUpdates.
        let control = HTTPClient()
        let sent = try control.postJSON("http://127.0.0.1:\(port)/control/messages", body: Data(#"{"user_id":1001,"text":"hello"}"#.utf8))
        XCTAssertEqual(sent.status, 200, sent.text)
        let updates = try client.getUpdates(timeout: 1)
        XCTAssertEqual(updates.first?.message?.text, "hello")
        XCTAssertEqual(updates.first?.message?.chat.id, 1001)

        // The web chat: its address printed, the page on both ports, the people named on
        // the command line listed; the Bot API (and its token) not on the web port.
        XCTAssertTrue(sandbox.stdout.contains("open http://127.0.0.1:\(webPort)/ in a browser"), sandbox.stdout)
        for served in [port, webPort] {
            let page = try control.get("http://127.0.0.1:\(served)/")
            XCTAssertEqual(page.status, 200)
            XCTAssertTrue(page.text.contains("/web/assets/chat.js"), page.text)
        }
        let people = try control.get("http://127.0.0.1:\(webPort)/web/people").text
        XCTAssertTrue(people.contains(#""id":7001,"language":"ru","name":"Olga","note":"owner""#), people)
        XCTAssertTrue(people.contains(#""name":"Maria","note":"moderator once added by the owner""#), people)
        XCTAssertEqual(try control.get("http://127.0.0.1:\(webPort)/bot\(token)/getMe").status, 404)
    }

    func testTheSandboxRefusesALatencyOutOfRange() throws {
        for (argument, named) in [("--latency-ms=10001", "--latency-ms must be 0–10000"), ("--jitter-ms=-1", "--jitter-ms must be 0–10000"),
                                  ("--latency-ms=99999999999999999999", "--latency-ms"), ("--web-port=70000", "--web-port must be 0–65535"),
                                  ("--owner=-5", "user ids (--as, --owner, --moderator) are positive")] {
            let refused = try runProgram(binary, ["sandbox", "--port", "1", argument], environment: ["PATH": "/usr/bin:/bin"],
                                         currentDirectory: FileManager.default.temporaryDirectory)
            XCTAssertNotEqual(refused.status, 0, argument)
            XCTAssertTrue(refused.stderr.contains(named), refused.stderr)
        }
    }
}
