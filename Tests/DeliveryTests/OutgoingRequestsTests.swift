import Conversation
import Foundation
@testable import Delivery
import XCTest

/// The outbox's stored payloads keep their shape: rows written by an earlier release are
/// replayed as they are, and new rows must read the same to Telegram.
final class OutgoingRequestsTests: XCTestCase {
    private let chat: Int64 = -1_001_234_567_890
    private let buttons = [[InlineButton(text: "Пн 12", data: "v1|t|1|2026-12-14|720")], [InlineButton(text: "« Back", data: "v1|b")]]

    /// Each kind of reply, and the row the hand-written encoder before the typed values
    /// stored for it (its output, byte for byte; the two were compared over every kind
    /// and a set of hostile texts before it was removed).
    func testEveryKindOfReplyIsStoredAsTheEarlierReleasesStoredIt() throws {
        let inline = #"{"inline_keyboard":[[{"callback_data":"v1|t|1|2026-12-14|720","text":"Пн 12"}],[{"callback_data":"v1|b","text":"« Back"}]]}"#
        let expected: [(Outgoing, String, String)] = [
            (.message(text: "Hi \"you\" / \\ \n ✂️", menu: nil, buttons: nil),
             "sendMessage", #"{"chat_id":-1001234567890,"text":"Hi \"you\" / \\ \n ✂️"}"#),
            (.message(text: "Menu", menu: [["📅 Book", "My bookings"], ["Help"]], buttons: nil), "sendMessage",
             #"{"chat_id":-1001234567890,"reply_markup":{"is_persistent":true,"keyboard":[[{"text":"📅 Book"},{"text":"My bookings"}],[{"text":"Help"}]],"resize_keyboard":true},"text":"Menu"}"#),
            (.message(text: "Pick", menu: [["ignored"]], buttons: buttons), "sendMessage",
             #"{"chat_id":-1001234567890,"reply_markup":\#(inline),"text":"Pick"}"#),
            (.edit(messageID: 42, text: "Edited", buttons: nil), "editMessageText", #"{"chat_id":-1001234567890,"message_id":42,"text":"Edited"}"#),
            (.edit(messageID: 42, text: "Edited", buttons: buttons), "editMessageText",
             #"{"chat_id":-1001234567890,"message_id":42,"reply_markup":\#(inline),"text":"Edited"}"#),
            (.clearButtons(messageID: 7), "editMessageReplyMarkup", #"{"chat_id":-1001234567890,"message_id":7}"#),
            (.answer(queryID: "4380912", text: nil, alert: false), "answerCallbackQuery", #"{"callback_query_id":"4380912"}"#),
            (.answer(queryID: "4380912", text: "Taken", alert: false), "answerCallbackQuery", #"{"callback_query_id":"4380912","text":"Taken"}"#),
            (.answer(queryID: "4380912", text: "Too late", alert: true), "answerCallbackQuery",
             #"{"callback_query_id":"4380912","show_alert":true,"text":"Too late"}"#),
        ]
        for (reply, method, payload) in expected {
            let request = try OutgoingRequests.request(for: reply, chatID: chat)
            XCTAssertEqual(request.method, method, "\(reply)")
            XCTAssertEqual(request.payload, payload, "\(reply)")
        }
    }

    /// Whatever a text holds reaches Telegram unchanged: quotes, backslashes, slashes,
    /// control characters, line separators, Cyrillic and emoji.
    func testTextsSurviveTheEncoding() throws {
        for text in ["Запись на 12:00 ✂️", #"a "quoted" \ back\slash / slash </b>"#, "line\nbreak\ttab\r\u{1}\u{1F}",
                     "\u{2028}\u{2029}\u{7F}", "👩🏽‍💻 é ñ 中文", ""] {
            for reply in [Outgoing.message(text: text, menu: [[text]], buttons: nil), .edit(messageID: 1, text: text, buttons: nil),
                          .answer(queryID: "q", text: text, alert: true)] {
                let payload = try OutgoingRequests.request(for: reply, chatID: chat).payload
                let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any])
                XCTAssertEqual(object["text"] as? String, text, payload)
            }
        }
    }
}
