import Foundation
import HTTP
import Sandbox
import Telegram
import XCTest

/// Whatever arrives, the Sandbox answers 400 with a description and keeps serving.
final class MalformedInputTests: SandboxTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        try sandbox.sendText("/start", from: 81)
    }

    private func assertStillServing(file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual((try? bot.getMe())?.id, 424242, "the server still answers", file: file, line: line)
    }

    private func assertBadRequest(_ answer: (Int, JSONValue), file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(answer.0, 400, "\(answer.1)", file: file, line: line)
        XCTAssertEqual(answer.1["ok"], .bool(false), file: file, line: line)
        XCTAssertEqual(answer.1["error_code"], .int(400), file: file, line: line)
        XCTAssertTrue(answer.1["description"]?.stringValue?.hasPrefix("Bad Request: ") == true, "\(answer.1)", file: file, line: line)
        assertStillServing(file: file, line: line)
    }

    func testBrokenJSONBodies() throws {
        assertBadRequest(try post("sendMessage", #"{"chat_id":81,"text":"#))
        assertBadRequest(try post("sendMessage", #"[1,2,3]"#))
        assertBadRequest(try post("sendMessage", "\u{0}\u{1}binary"))
        assertBadRequest(try post("sendMessage", #""just a string""#))
    }

    func testWrongTypes() throws {
        assertBadRequest(try post("sendMessage", #"{"chat_id":{"id":81},"text":"hi"}"#))
        assertBadRequest(try post("sendMessage", #"{"chat_id":"eighty-one","text":"hi"}"#))
        assertBadRequest(try post("sendMessage", #"{"chat_id":81,"text":["hi"]}"#))
        assertBadRequest(try post("sendMessage", #"{"chat_id":81,"text":"hi","reply_markup":{"inline_keyboard":"nope"}}"#))
        assertBadRequest(try post("sendMessage", #"{"chat_id":81,"text":"hi","reply_markup":[]}"#))
        assertBadRequest(try post("answerCallbackQuery", #"{"callback_query_id":{"x":1}}"#))
        assertBadRequest(try post("getUpdates", #"{"offset":"soon"}"#))
        assertBadRequest(try post("getUpdates", #"{"allowed_updates":"message"}"#))
        assertBadRequest(try post("setMyCommands", #"{"commands":[{"command":"x"}]}"#))
        assertBadRequest(try post("setMyCommands", #"{}"#))
        assertBadRequest(try post("deleteMessage", #"{"chat_id":81,"message_id":1.5}"#))
        assertBadRequest(try post("setWebhook", #"{"url":"https://h/x","drop_pending_updates":"maybe"}"#))
        // A string where Telegram takes a number is fine, as Telegram takes it.
        XCTAssertEqual(try post("sendMessage", #"{"chat_id":"81","text":42}"#).0, 200)
    }

    func testBrokenMultipartBodies() throws {
        assertBadRequest(try post("sendDocument", "--xyz\r\nno headers end", contentType: "multipart/form-data; boundary=xyz"))
        assertBadRequest(try post("sendDocument", "anything", contentType: "multipart/form-data"))
        assertBadRequest(try post("sendDocument", "--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--", contentType: "multipart/form-data; boundary=b"))
        let noFile = "--b\r\nContent-Disposition: form-data; name=\"chat_id\"\r\n\r\n81\r\n--b--\r\n"
        assertBadRequest(try post("sendDocument", noFile, contentType: "multipart/form-data; boundary=b"))
    }

    func testMalformedControlBodies() throws {
        for (path, body) in [("messages", "{"), ("messages", #"{"user_id":"x","text":"hi"}"#), ("callbacks", "[]"), ("flood", "{}"), ("users", #"{"id":1}"#)] {
            let response = try http.postJSON("\(sandbox.baseURL)/control/\(path)", body: Data(body.utf8))
            XCTAssertEqual(response.status, 400, "\(path) \(body)")
            XCTAssertTrue(response.text.contains("\"ok\":false"), response.text)
        }
        assertStillServing()
    }

    func testGarbageOnTheSocketDoesNotStopTheServer() throws {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(sandbox.port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        XCTAssertEqual(connected, 0)
        let garbage = Array("NOT HTTP AT ALL\r\n\u{1}\u{2}\r\n\r\n".utf8)
        _ = garbage.withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        close(socket)
        assertStillServing()
    }
}
