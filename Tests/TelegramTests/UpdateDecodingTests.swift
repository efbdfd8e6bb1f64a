import Foundation
import Telegram
import XCTest

/// Updates shaped like the ones Telegram sends, including kinds and fields this code
/// does not model.
final class UpdateDecodingTests: XCTestCase {
    func testMessageWithCommandEntity() throws {
        let json = """
        {"update_id":734291001,
         "message":{"message_id":17,
           "from":{"id":5501234567,"is_bot":false,"first_name":"Анна","last_name":"К","username":"anna_k","language_code":"ru","is_premium":true},
           "chat":{"id":5501234567,"first_name":"Анна","last_name":"К","username":"anna_k","type":"private"},
           "date":1732530000,"text":"/start@bookingbot_sandbox_bot ref_42",
           "entities":[{"offset":0,"length":29,"type":"bot_command"}],
           "link_preview_options":{"is_disabled":true}}}
        """
        let update = try Update.decode(Data(json.utf8))
        XCTAssertEqual(update.updateID, 734291001)
        XCTAssertEqual(update.kind, .message)
        XCTAssertEqual(update.chatID, 5501234567)
        XCTAssertEqual(update.fromID, 5501234567)
        XCTAssertEqual(update.from?.languageCode, "ru")
        XCTAssertEqual(update.message?.chat.isPrivate, true)
        XCTAssertEqual(update.message?.text, "/start@bookingbot_sandbox_bot ref_42")
        XCTAssertEqual(update.message?.command, "start")
        XCTAssertEqual(update.message?.entities?.first, MessageEntity(type: "bot_command", offset: 0, length: 29))
        XCTAssertEqual(update.raw, Data(json.utf8), "the bytes as received are kept")
    }

    func testPlainTextHasNoCommand() throws {
        let json = #"{"update_id":1,"message":{"message_id":2,"chat":{"id":3,"type":"private"},"date":0,"text":"Book"}}"#
        let update = try Update.decode(Data(json.utf8))
        XCTAssertNil(update.message?.command)
        XCTAssertNil(update.fromID, "a message without a sender has no fromID")
        XCTAssertEqual(update.chatID, 3)
    }

    func testCallbackQueryWithItsMessageAndKeyboard() throws {
        let json = """
        {"update_id":734291002,"callback_query":{"id":"4382164722394613361",
          "from":{"id":77,"is_bot":false,"first_name":"Bob","language_code":"en"},
          "message":{"message_id":40,"from":{"id":123456,"is_bot":true,"first_name":"BookingBot","username":"bookingbot_sandbox_bot"},
            "chat":{"id":77,"first_name":"Bob","type":"private"},"date":1732530100,"edit_date":1732530200,"text":"Choose a service",
            "reply_markup":{"inline_keyboard":[[{"text":"Haircut","callback_data":"svc:1"}],[{"text":"Site","url":"https://example.org"}]]}},
          "chat_instance":"-2951138412239917513","data":"svc:1"}}
        """
        let update = try Update.decode(Data(json.utf8))
        XCTAssertEqual(update.kind, .callbackQuery)
        XCTAssertEqual(update.chatID, 77)
        XCTAssertEqual(update.fromID, 77)
        let query = try XCTUnwrap(update.callbackQuery)
        XCTAssertEqual(query.id, "4382164722394613361")
        XCTAssertEqual(query.data, "svc:1")
        XCTAssertEqual(query.message?.editDate, 1732530200)
        XCTAssertEqual(query.message?.replyMarkup?.buttons.map(\.callbackData), ["svc:1", nil])
        XCTAssertEqual(query.message?.replyMarkup?.buttons.last?.url, "https://example.org")
    }

    func testInaccessibleMessageInACallbackQuery() throws {
        let json = """
        {"update_id":9,"callback_query":{"id":"1","from":{"id":77,"is_bot":false,"first_name":"Bob"},
          "message":{"message_id":40,"chat":{"id":77,"type":"private"},"date":0},"chat_instance":"1","data":"x"}}
        """
        let update = try Update.decode(Data(json.utf8))
        XCTAssertEqual(update.chatID, 77)
        XCTAssertEqual(update.callbackQuery?.message?.date, 0)
    }

    func testMyChatMemberBlock() throws {
        let json = """
        {"update_id":734291003,"my_chat_member":{"chat":{"id":77,"first_name":"Bob","type":"private"},
          "from":{"id":77,"is_bot":false,"first_name":"Bob"},"date":1732530300,
          "old_chat_member":{"user":{"id":123456,"is_bot":true,"first_name":"BookingBot","username":"bookingbot_sandbox_bot"},"status":"member"},
          "new_chat_member":{"user":{"id":123456,"is_bot":true,"first_name":"BookingBot","username":"bookingbot_sandbox_bot"},"status":"kicked","until_date":0}}}
        """
        let update = try Update.decode(Data(json.utf8))
        XCTAssertEqual(update.kind, .myChatMember)
        XCTAssertEqual(update.chatID, 77)
        XCTAssertEqual(update.fromID, 77)
        XCTAssertEqual(update.myChatMember?.oldChatMember.status, "member")
        XCTAssertEqual(update.myChatMember?.newChatMember.status, "kicked")
        XCTAssertEqual(update.myChatMember?.newChatMember.user.isBot, true)
    }

    func testUnknownKindDecodesAndKeepsItsChatAndSender() throws {
        let json = """
        {"update_id":734291004,"message_reaction":{"chat":{"id":-1001234567890,"title":"Salon","type":"supergroup"},
          "message_id":5,"user":{"id":88,"is_bot":false,"first_name":"Eve"},"date":1732530400,
          "old_reaction":[],"new_reaction":[{"type":"emoji","emoji":"👍"}]}}
        """
        let update = try Update.decode(Data(json.utf8))
        XCTAssertEqual(update.kind, .unknown("message_reaction"))
        XCTAssertEqual(update.kind.description, "message_reaction")
        XCTAssertEqual(update.chatID, -1001234567890)
        XCTAssertEqual(update.fromID, 88)
        XCTAssertNil(update.message)
        XCTAssertEqual(update.raw, Data(json.utf8))
    }

    func testUnknownKindOfAnyShapeStillDecodes() throws {
        // A kind whose "chat" is not even an object, and one with no chat at all.
        let odd = try Update.decode(Data(#"{"update_id":5,"future_kind":{"chat":"not an object","from":[1,2]}}"#.utf8))
        XCTAssertEqual(odd.kind, .unknown("future_kind"))
        XCTAssertNil(odd.chatID)
        XCTAssertNil(odd.fromID)
        let poll = try Update.decode(Data(#"{"update_id":6,"poll":{"id":"p","question":"?","options":[],"is_closed":false}}"#.utf8))
        XCTAssertEqual(poll.kind, .unknown("poll"))
        XCTAssertNil(poll.chatID)
        let scalar = try Update.decode(Data(#"{"update_id":7,"strange":42}"#.utf8))
        XCTAssertEqual(scalar.kind, .unknown("strange"))
    }

    func testUnknownFieldsAnywhereAreIgnored() throws {
        let json = """
        {"update_id":8,"brand_new_top_level":{"x":[1,{"y":null}]},
         "message":{"message_id":1,"chat":{"id":3,"type":"private","is_forum":false,"emoji_status":{"a":1}},"date":1,
           "text":"hi","quote":{"text":"q","position":0},"paid_star_count":5,
           "from":{"id":3,"is_bot":false,"first_name":"A","added_to_attachment_menu":true}}}
        """
        let update = try Update.decode(Data(json.utf8))
        XCTAssertEqual(update.kind, .message)
        XCTAssertEqual(update.message?.text, "hi")
    }

    func testForwardOriginAndMedia() throws {
        let json = """
        {"update_id":10,"message":{"message_id":3,"from":{"id":1,"is_bot":false,"first_name":"Admin"},
          "chat":{"id":1,"type":"private"},"date":5,"caption":"receipt",
          "forward_origin":{"type":"user","date":4,"sender_user":{"id":42,"is_bot":false,"first_name":"New admin","username":"newbie"}},
          "photo":[{"file_id":"A","file_unique_id":"a","width":90,"height":90,"file_size":1000},{"file_id":"B","file_unique_id":"b","width":800,"height":800}],
          "document":{"file_id":"D","file_unique_id":"d","file_name":"x.pdf","mime_type":"application/pdf","file_size":12}}}
        """
        let message = try XCTUnwrap(Update.decode(Data(json.utf8)).message)
        XCTAssertEqual(message.forwardOrigin?.senderUser?.id, 42)
        XCTAssertEqual(message.forwardOrigin?.type, "user")
        XCTAssertEqual(message.photo?.map(\.fileID), ["A", "B"])
        XCTAssertEqual(message.document?.fileName, "x.pdf")
        XCTAssertEqual(message.caption, "receipt")
    }

    func testMalformedUpdatesStillFail() {
        XCTAssertThrowsError(try Update.decode(Data(#"{"message":{}}"#.utf8)), "no update_id")
        XCTAssertThrowsError(try Update.decode(Data(#"{"update_id":1,"message":{"message_id":1}}"#.utf8)), "a known kind missing its chat")
        XCTAssertThrowsError(try Update.decode(Data("not json".utf8)))
    }

    func testEncodedUpdateDecodesToTheSame() throws {
        let message = Message(messageID: 1, from: User(id: 2, firstName: "A"), chat: Chat(id: 2), date: 3, text: "/book",
                              entities: [MessageEntity(type: "bot_command", offset: 0, length: 5)])
        let update = Update(updateID: 11, message: message)
        let decoded = try Update.decode(JSONEncoder().encode(update))
        XCTAssertEqual(decoded, update)
        XCTAssertEqual(decoded.message?.command, "book")
    }
}
