import Foundation
import HTTP
import Sandbox
import Telegram
import XCTest

/// A fresh Sandbox per test, a client for the bot's side, and raw HTTP access for
/// checking the exact answers.
class SandboxTestCase: XCTestCase {
    let token = "424242:SANDBOX-test-token"
    var sandbox: SandboxServer!
    var bot: TelegramClient!
    let http = HTTPClient()

    var options: SandboxOptions { SandboxOptions(token: token, firstUpdateID: 500, webhookInitialBackoff: 0.05, webhookMaxBackoff: 0.2) }

    override func setUpWithError() throws {
        sandbox = SandboxServer(options: options)
        try sandbox.start()
        bot = TelegramClient(baseURL: sandbox.baseURL, token: token, http: HTTPClient())
    }

    override func tearDown() {
        sandbox.stop()
    }

    /// POSTs a raw body to a Bot API method; returns the status and the parsed answer.
    func post(_ method: String, _ body: String, contentType: String = "application/json", token: String? = nil) throws -> (Int, JSONValue) {
        let response = try http.send(HTTPRequest(method: "POST", url: "\(sandbox.baseURL)/bot\(token ?? self.token)/\(method)",
                                                 body: .data(Data(body.utf8), contentType: contentType)))
        return (response.status, try JSONDecoder().decode(JSONValue.self, from: response.body))
    }

    func get(_ path: String) throws -> (Int, JSONValue) {
        let response = try http.get("\(sandbox.baseURL)\(path)")
        return (response.status, try JSONDecoder().decode(JSONValue.self, from: response.body))
    }

    /// Asserts the Telegram error envelope exactly.
    func assertFailure(_ answer: (Int, JSONValue), _ code: Int, _ description: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(answer.0, code, file: file, line: line)
        XCTAssertEqual(answer.1["ok"], .bool(false), file: file, line: line)
        XCTAssertEqual(answer.1["error_code"], .int(Int64(code)), file: file, line: line)
        XCTAssertEqual(answer.1["description"], .string(description), file: file, line: line)
    }

    /// The bot's call, which must fail with a TelegramError.
    func botError(_ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) -> TelegramError? {
        do {
            try body()
            XCTFail("expected an error", file: file, line: line)
        } catch let error as TelegramError {
            return error
        } catch {
            XCTFail("not a TelegramError: \(error)", file: file, line: line)
        }
        return nil
    }
}
