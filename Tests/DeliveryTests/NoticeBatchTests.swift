import Foundation
import Store
import Texts
@testable import Delivery
import XCTest

/// Staff notices waiting for one chat go as one message: whole, in order, within
/// Telegram's 4096 characters; nothing else is ever merged.
final class NoticeBatchTests: XCTestCase {
    private var nextID: Int64 = 0

    private func row(_ text: String, lane: OutboxLane = .notice, method: String = "sendMessage", extra: [String: Any] = [:]) -> OutboxMessage {
        nextID += 1
        var object: [String: Any] = ["chat_id": 42, "text": text]
        object.merge(extra) { $1 }
        let payload = String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        return OutboxMessage(id: nextID, chatID: 42, method: method, payload: payload, priority: lane.rawValue, attempts: 0)
    }

    private func text(of payload: String) throws -> String {
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any])
        XCTAssertEqual(object["chat_id"] as? Int, 42)
        return try XCTUnwrap(object["text"] as? String)
    }

    func testNoticesWaitingTogetherGoAsOneMessageInOrder() throws {
        let rows = [row("🆕 New booking\n\nAnna"), row("❌ Booking cancelled\n\nBoris"), row("🔁 Booking moved\n\nVera")]
        let batch = NoticeBatch.take(from: rows[...])
        XCTAssertEqual(batch.rows, rows)
        XCTAssertEqual(try text(of: batch.payload), ["🆕 New booking\n\nAnna", "❌ Booking cancelled\n\nBoris", "🔁 Booking moved\n\nVera"]
            .joined(separator: NoticeBatch.separator))
    }

    func testALoneNoticeGoesAsStored() {
        let rows = [row("🆕 New booking")]
        let batch = NoticeBatch.take(from: rows[...])
        XCTAssertEqual(batch.rows, rows)
        XCTAssertEqual(batch.payload, rows[0].payload)
    }

    func testTheMergeStopsAtAnythingThatIsNotAPlainNotice() {
        let rows = [row("one"), row("two"), row("a reply", lane: .interactive), row("three")]
        XCTAssertEqual(NoticeBatch.take(from: rows[...]).rows, Array(rows[0..<2]), "order is kept: nothing jumps a reply")
        let withButtons = [row("one"), row("two", extra: ["reply_markup": ["inline_keyboard": [[["text": "x", "callback_data": "y"]]]]])]
        XCTAssertEqual(NoticeBatch.take(from: withButtons[...]).rows, [withButtons[0]], "a message with buttons is never merged")
        let reply = [row("a reply", lane: .interactive), row("one")]
        XCTAssertEqual(NoticeBatch.take(from: reply[...]).rows, [reply[0]], "a reply goes alone")
        let edit = [row("one", method: "editMessageText"), row("two")]
        XCTAssertEqual(NoticeBatch.take(from: edit[...]).rows, [edit[0]])
    }

    func testAMessageNeverPassesTelegramsLengthAndEveryNoticeStaysWhole() throws {
        // 30 notices of 300 characters with emoji (two UTF-16 units each): not all fit in one.
        let notice = String(repeating: "🆕", count: 50) + String(repeating: "x", count: 200)
        let rows = (0..<30).map { _ in row(notice) }
        var rest = rows[...]
        var messages: [String] = []
        while !rest.isEmpty {
            let batch = NoticeBatch.take(from: rest)
            let text = try text(of: batch.payload)
            XCTAssertLessThanOrEqual(TelegramLimits.length(text), TelegramLimits.messageLength)
            XCTAssertEqual(text.components(separatedBy: NoticeBatch.separator), Array(repeating: notice, count: batch.rows.count))
            messages.append(text)
            rest = rest.dropFirst(batch.rows.count)
        }
        XCTAssertEqual(messages.count, 3, "13 + 13 + 4: as full as Telegram allows")
    }

    func testANoticeAsLongAsAMessageGoesAlone() {
        let rows = [row(String(repeating: "a", count: 4096)), row("b")]
        XCTAssertEqual(NoticeBatch.take(from: rows[...]).rows.count, 1)
    }
}
