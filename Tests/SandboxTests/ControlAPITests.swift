import Foundation
import HTTP
import Sandbox
import Telegram
import XCTest

/// The control API over HTTP, as a user simulator in another process would use it.
final class ControlAPITests: SandboxTestCase {
    private func control(_ path: String, _ body: String) throws -> (Int, JSONValue) {
        let response = try http.postJSON("\(sandbox.baseURL)/control/\(path)", body: Data(body.utf8))
        return (response.status, try JSONDecoder().decode(JSONValue.self, from: response.body))
    }

    func testActingAsAUserAndReadingTheChat() throws {
        XCTAssertEqual(try control("users", #"{"id":71,"is_bot":false,"first_name":"Olga","language_code":"ru"}"#).0, 200)
        let (status, sent) = try control("messages", #"{"user_id":71,"text":"/start"}"#)
        XCTAssertEqual(status, 200)
        XCTAssertEqual(sent["result"]?["update_id"], .int(500))
        XCTAssertEqual(sent["result"]?["message"]?["from"]?["language_code"], .string("ru"))
        XCTAssertEqual(sent["result"]?["message"]?["entities"], .array([.object(["type": .string("bot_command"), "offset": .int(0), "length": .int(6)])]))
        XCTAssertEqual(try get("/control/pending").1["result"], .object(["pending_update_count": .int(1)]))

        let menu = InlineKeyboardMarkup([[.callback("Book", "book")]])
        let offer = try bot.sendMessage(chatID: 71, text: "Welcome", replyMarkup: .inlineKeyboard(menu))
        let (pressStatus, press) = try control("callbacks", #"{"user_id":71,"message_id":\#(offer.messageID),"callback_data":"book"}"#)
        XCTAssertEqual(pressStatus, 200)
        let queryID = try XCTUnwrap(press["result"]?["callback_query"]?["id"]?.stringValue)
        XCTAssertEqual(press["result"]?["callback_query"]?["message"]?["text"], .string("Welcome"))
        try bot.answerCallbackQuery(id: queryID, text: "Let's book")

        let (chatStatus, chat) = try get("/control/chats/71")
        XCTAssertEqual(chatStatus, 200)
        let transcript = try JSONDecoder().decode(ChatTranscript.self, from: JSONEncoder().encode(try XCTUnwrap(chat["result"])))
        XCTAssertEqual(transcript.messages.map(\.text), ["/start", "Welcome"])
        XCTAssertEqual(transcript.messages.last?.inlineButtons, menu.buttons)
        XCTAssertEqual(transcript.callbackAnswers.map(\.text), ["Let's book"])
        XCTAssertEqual(try get("/control/chats").1["result"], .array([.int(71)]))

        let calls = try get("/control/calls?method=sendMessage").1["result"]
        guard case .array(let list)? = calls else { return XCTFail("\(String(describing: calls))") }
        XCTAssertEqual(list.count, 1)
        XCTAssertEqual(list.first?["parameters"]?["text"], .string("Welcome"))
        XCTAssertEqual(list.first?["method"], .string("sendMessage"))
    }

    func testAUserSendsAPhotoTheBotMaySendOnByItsID() throws {
        let (status, sent) = try control("photos", #"{"user_id":75,"caption":"Spring offer 🌷"}"#)
        XCTAssertEqual(status, 200)
        let message = sent["result"]?["message"]
        XCTAssertEqual(message?["caption"], .string("Spring offer 🌷"))
        XCTAssertNil(message?["text"])
        guard case .array(let sizes)? = message?["photo"] else { return XCTFail("no photo in \(String(describing: message))") }
        let fileID = try XCTUnwrap(sizes.first?["file_id"]?.stringValue)
        // Without a caption too; a caption over Telegram's 1024 is refused.
        XCTAssertNil(try control("photos", #"{"user_id":75}"#).1["result"]?["message"]?["caption"])
        XCTAssertEqual(try control("photos", #"{"user_id":75,"caption":"\#(String(repeating: "x", count: 1025))"}"#).0, 400)

        let forwarded = try bot.sendPhoto(chatID: 75, photo: .reference(fileID), caption: "Spring offer 🌷")
        XCTAssertEqual(forwarded.photo?.first?.fileID, fileID, "the user's photo, sent on by its id")
        let transcript = try XCTUnwrap(sandbox.transcript(chatID: 75))
        XCTAssertEqual(transcript.messages.map(\.sender), [.user, .user, .bot])
        XCTAssertEqual(transcript.messages.first?.photo?.fileID, fileID)
        XCTAssertEqual(transcript.messages.last?.caption, "Spring offer 🌷")
    }

    func testBlockUnblockFloodAndCommands() throws {
        _ = try control("messages", #"{"user_id":72,"text":"hi"}"#)
        let (_, blocked) = try control("block", #"{"user_id":72}"#)
        XCTAssertEqual(blocked["result"]?["my_chat_member"]?["new_chat_member"]?["status"], .string("kicked"))
        XCTAssertEqual(botError { try bot.sendMessage(chatID: 72, text: "x") }, .forbidden("Forbidden: bot was blocked by the user"))
        XCTAssertEqual(try control("unblock", #"{"user_id":72}"#).1["result"]?["my_chat_member"]?["new_chat_member"]?["status"], .string("member"))
        XCTAssertEqual(try control("unblock", #"{"user_id":72}"#).1["result"], .null, "nothing changed")

        XCTAssertEqual(try control("flood", #"{"calls":1,"retry_after":2}"#).0, 200)
        XCTAssertEqual(botError { _ = try bot.getMe() }, .flood(retryAfter: 2))

        XCTAssertEqual(try control("server-errors", #"{"calls":1,"status":503}"#).0, 200)
        XCTAssertEqual(botError { _ = try bot.getMe() }, .server(status: 503, description: "Service Unavailable"))
        XCTAssertEqual(try bot.getMe().id, 424242)

        XCTAssertEqual(try get("/control/commands").1["result"], .null)
        try bot.setMyCommands(commands: [BotCommand(command: "help", description: "Help")], languageCode: "en")
        XCTAssertEqual(try get("/control/commands?language_code=en").1["result"],
                       .array([.object(["command": .string("help"), "description": .string("Help")])]))
    }

    func testCountersAndTheirReset() throws {
        _ = try control("messages", #"{"user_id":74,"text":"hi"}"#)
        let offer = try bot.sendMessage(chatID: 74, text: "Pick", replyMarkup: .inlineKeyboard(InlineKeyboardMarkup([[.callback("A", "a")]])))
        for _ in 0..<2 { _ = try control("callbacks", #"{"user_id":74,"message_id":\#(offer.messageID),"callback_data":"a"}"#) }
        _ = try control("flood", #"{"calls":1,"retry_after":1}"#)
        _ = botError { _ = try bot.getMe() }

        let counters = try XCTUnwrap(try get("/control/counters").1["result"])
        XCTAssertEqual(counters["pressed"], .int(2))
        XCTAssertEqual(counters["answer_delays"], .array([]))
        XCTAssertEqual(counters["late"], .int(0))
        XCTAssertEqual(counters["unanswered"], .int(2))
        XCTAssertEqual(counters["flood_refusals"], .int(1))
        XCTAssertEqual(counters["calls_in_flight"], .int(0))
        XCTAssertEqual(counters["peak_calls_in_flight"], .int(1), "one call at a time")

        XCTAssertEqual(try control("counters/reset", "{}").0, 200)
        XCTAssertEqual(try get("/control/counters").1["result"], .object([
            "pressed": .int(0), "answer_delays": .array([]), "late": .int(0), "unanswered": .int(0), "flood_refusals": .int(0),
            "calls_in_flight": .int(0), "peak_calls_in_flight": .int(0),
        ]))
    }

    func testRefusalsAndUnknownRoutes() throws {
        XCTAssertEqual(try control("callbacks", #"{"user_id":73,"message_id":1,"callback_data":"x"}"#).0, 400, "no such chat")
        _ = try control("messages", #"{"user_id":73,"text":"hi"}"#)
        let (status, answer) = try control("callbacks", #"{"user_id":73,"message_id":1,"callback_data":"x"}"#)
        XCTAssertEqual(status, 400)
        XCTAssertEqual(answer["description"], .string("message 1 has no inline button with callback data x"))
        XCTAssertEqual(try control("messages", #"{"user_id":73,"text":""}"#).0, 400)
        XCTAssertEqual(try get("/control/chats/4040").0, 404)
        XCTAssertEqual(try get("/control/chats/abc").0, 400)
        XCTAssertEqual(try get("/control/nothing").0, 404)
    }
}
