import Conversation
import Foundation
@testable import Delivery
import XCTest

/// The outbox's stored payloads keep their shape: rows written by an earlier release are
/// replayed as they are, and new rows must read the same to Telegram.
final class OutgoingRequestsTests: XCTestCase {
    /// Texts that stress the JSON escaping: quotes, backslashes, slashes, control
    /// characters, line separators, Cyrillic and emoji.
    private let texts = ["Запись на 12:00 ✂️", #"a "quoted" \ back\slash / slash </b>"#, "line\nbreak\ttab\r\u{1}\u{1F}",
                         "\u{2028}\u{2029}\u{7F}", "👩🏽‍💻 é ñ 中文", ""]

    private var replies: [Outgoing] {
        let buttons = [[InlineButton(text: "Пн 12", data: "v1|t|1|2026-12-14|720")], [InlineButton(text: "« Back", data: "v1|b")]]
        var all: [Outgoing] = []
        for text in texts {
            all += [
                .message(text: text, menu: nil, buttons: nil),
                .message(text: text, menu: [["📅 Book", "My bookings"], [text]], buttons: nil),
                .message(text: text, menu: [["menu"]], buttons: buttons),
                .message(text: text, menu: nil, buttons: buttons),
                .message(text: text, menu: nil, buttons: []),
                .edit(messageID: 42, text: text, buttons: nil),
                .edit(messageID: 42, text: text, buttons: buttons),
                .answer(queryID: "Q-\(text.count)", text: text, alert: false),
                .answer(queryID: "Q", text: text, alert: true),
            ]
        }
        return all + [.answer(queryID: "4380912", text: nil, alert: false), .answer(queryID: "4380912", text: nil, alert: true),
                      .clearButtons(messageID: 7), .clearButtons(messageID: Int64.max)]
    }

    func testTheTypedEncodingMatchesTheHandWrittenOneForEveryKindOfReply() throws {
        for chat in [Int64(1201), -1_001_234_567_890, Int64.max] {
            for reply in replies {
                let new = try OutgoingRequests.request(for: reply, chatID: chat)
                let old = OutgoingRequests.legacyRequest(for: reply, chatID: chat)
                XCTAssertEqual(new.method, old.method, "\(reply)")
                XCTAssertEqual(new.payload, old.payload, "\(reply)")
                XCTAssertEqual(try JSONSerialization.jsonObject(with: Data(new.payload.utf8)) as? NSDictionary,
                               try JSONSerialization.jsonObject(with: Data(old.payload.utf8)) as? NSDictionary, "\(reply)")
            }
        }
    }
}
