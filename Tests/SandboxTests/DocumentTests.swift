import Foundation
import HTTP
import Sandbox
import Telegram
import XCTest

/// Multipart `sendDocument`, as the outbox sends exports: the Sandbox takes it as Telegram
/// does, keeps the bytes, and shows them to a simulator through the control API.
final class DocumentTests: SandboxTestCase {
    private let user: Int64 = 91

    override func setUpWithError() throws {
        try super.setUpWithError()
        _ = try sandbox.sendText("/start", from: user)  // opens the chat
    }

    func testAMultipartDocumentIsRecordedWithItsBytes() throws {
        let csv = Data([0xEF, 0xBB, 0xBF]) + Data("дата;время;услуга\r\n2026-12-14;12:00;Стрижка \"люкс\"\r\n".utf8)
        let message = try bot.sendDocument(chatID: user, fileName: "записи.csv", data: csv, mimeType: "text/csv", caption: "Экспорт")
        XCTAssertEqual(message.document?.fileName, "записи.csv")
        XCTAssertEqual(message.document?.fileSize, csv.count)

        let (status, chat) = try get("/control/chats/\(user)")
        XCTAssertEqual(status, 200)
        let transcript = try JSONDecoder().decode(ChatTranscript.self, from: JSONEncoder().encode(try XCTUnwrap(chat["result"])))
        let recorded = try XCTUnwrap(transcript.messages.last)
        XCTAssertEqual(recorded.sender, .bot)
        XCTAssertEqual(recorded.caption, "Экспорт")
        XCTAssertEqual(recorded.document?.fileName, "записи.csv")
        XCTAssertEqual(recorded.document?.mimeType, "text/csv")
        XCTAssertEqual(recorded.document?.size, csv.count)
        XCTAssertEqual(recorded.document?.data, csv, "the bytes, BOM and all, as uploaded")
        guard case .array(let calls)? = try get("/control/calls?method=sendDocument").1["result"] else { return XCTFail("no call log") }
        XCTAssertEqual(calls.count, 1)
        XCTAssertEqual(calls.first?["parameters"]?["document"]?["size"], .int(Int64(csv.count)))
    }

    func testADocumentOverFiftyMegabytesOrWithALongCaptionIsRefusedAsTelegramRefusesIt() throws {
        XCTAssertEqual(botError { try self.bot.sendDocument(chatID: self.user, fileName: "big.bin", data: Data(count: UploadLimits.fileBytes + 1)) },
                       .badRequest("Request Entity Too Large"))
        XCTAssertEqual(botError {
            try self.bot.sendDocument(chatID: self.user, fileName: "a.csv", data: Data("x".utf8),
                                      caption: String(repeating: "😀", count: UploadLimits.captionLength / 2 + 1))
        }, .badRequest("Bad Request: message caption is too long"))
        XCTAssertNil(sandbox.transcript(chatID: user)?.messages.first { $0.document != nil }, "nothing was recorded")
        let atLimit = try bot.sendDocument(chatID: user, fileName: "limit.bin", data: Data(count: UploadLimits.fileBytes))
        XCTAssertEqual(atLimit.document?.fileSize, UploadLimits.fileBytes, "50 MB itself goes through")
    }
}
