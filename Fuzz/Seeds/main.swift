import Booking
@testable import Conversation
import Foundation

// Writes the seed corpora of Fuzz/corpus/ (`scripts/fuzz --make-seeds`): real shapes,
// with buttons made by the real encoder at `Scenario.baseNow`, so that libFuzzer
// starts from inputs that reach deep into each target. Rerun after a format change.

let root = URL(fileURLWithPath: CommandLine.arguments[1])
let now = Scenario.baseNow
let clock = Scenario.plain.clock
let today = clock.localDate(of: now)
let month = MonthIndex.of(today)
let tomorrow = today.adding(days: 1).dayNumber
let slot = MinuteStamp.of(clock.instant(of: today.adding(days: 1), minute: 11 * 60)!)

let actions: [(String, CallbackAction)] = [
    ("menu", .menu), ("how-it-works", .howItWorks), ("book-now", .bookNow), ("services", .services),
    ("pick-service", .pickService(service: 1)), ("month", .month(service: 1, month: month)),
    ("next-month", .month(service: 1, month: month + 1)), ("day", .day(service: 1, day: tomorrow)),
    ("slot", .slot(service: 1, start: slot)), ("confirm", .confirm(service: 1, start: slot)), ("cancel-flow", .cancelFlow),
    ("my-bookings", .myBookings), ("ask-cancel", .askCancel(booking: 1)), ("confirm-cancel", .confirmCancel(booking: 1)),
    ("move", .move(booking: 1)), ("move-month", .moveMonth(booking: 1, month: month)), ("move-day", .moveDay(booking: 1, day: tomorrow)),
    ("move-slot", .moveSlot(booking: 1, start: slot)), ("confirm-move", .confirmMove(booking: 1, start: slot)),
    ("rate", .rate(booking: 1, stars: 5)), ("skip-review", .skipReview(booking: 1)), ("noop", .noop),
]

func write(_ target: String, _ name: String, _ bytes: [UInt8]) {
    let folder = root.appendingPathComponent(target)
    try! FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try! Data(bytes).write(to: folder.appendingPathComponent(name))
}

/// A dialogue case: the header's first byte is the kind, the second the screen, the
/// rest zeros (the plainest world), then the payload.
func dialogueCase(kind: UInt8, screen: UInt8 = 0, _ payload: String) -> [UInt8] {
    var header = [UInt8](repeating: 0, count: FuzzInput.headerSize)
    header[0] = kind
    header[1] = screen
    return header + Array(payload.utf8)
}

func json(_ text: String) -> [UInt8] { Array(text.utf8) }
let user = #""from":{"id":42,"is_bot":false,"first_name":"Anna","username":"anna","language_code":"en"}"#
let chat = #""chat":{"id":42,"type":"private","first_name":"Anna"}"#

for (name, action) in actions {
    let data = CallbackData.encode(action, issuedAt: now)
    write("callback-data", name, Array(data.utf8))
    write("dialogue", "press-\(name)", dialogueCase(kind: 0, data))
    write("update", "callback-\(name)", json("""
        {"update_id":1001,"callback_query":{"id":"4382",\(user),"message":{"message_id":900,"date":1796281100,\(chat),"text":"Choose"},"chat_instance":"-77","data":"\(data)"}}
        """))
}
write("callback-data", "stale", Array(CallbackData.encode(.menu, issuedAt: now.addingTimeInterval(-72 * 3600)).utf8))
write("callback-data", "other-version", Array("2.abc.m".utf8))

for command in ["start", "help", "cancel", "book", "my", "start payload", "unknown"] {
    write("dialogue", "command-\(command.replacingOccurrences(of: " ", with: "-"))", dialogueCase(kind: 2, command))
}
write("dialogue", "text-book-en", dialogueCase(kind: 1, "Book"))
write("dialogue", "text-book-ru", dialogueCase(kind: 1, "Записаться"))
write("dialogue", "text-hello", dialogueCase(kind: 1, "hello"))
write("dialogue", "text-review-comment", dialogueCase(kind: 1, screen: 5, String(repeating: "👍🏽", count: 1025)))
write("dialogue", "sticker", dialogueCase(kind: 3, ""))

let message = #"{"update_id":1000,"message":{"message_id":900,"#
write("update", "message-text", json(message + user + "," + chat + #","date":1796281100,"text":"hello"}}"#))
write("update", "message-command", json(message + user + "," + chat + #","date":1796281100,"text":"/start@booking_bot payload","entities":[{"type":"bot_command","offset":0,"length":18}]}}"#))
write("update", "message-menu", json(message + user + "," + chat + #","date":1796281100,"text":"Записаться"}}"#))
write("update", "message-photo", json(message + user + "," + chat + #","date":1796281100,"photo":[{"file_id":"a","file_unique_id":"b","width":90,"height":90,"file_size":1000}],"caption":"look"}}"#))
write("update", "edited-message", json(#"{"update_id":1002,"edited_message":{"message_id":900,"# + user + "," + chat + #","date":1796281100,"edit_date":1796281150,"text":"hello!"}}"#))
write("update", "my-chat-member", json(#"{"update_id":1003,"my_chat_member":{"# + chat + "," + user + #","date":1796281100,"old_chat_member":{"status":"member","user":{"id":7,"is_bot":true,"first_name":"Bot"}},"new_chat_member":{"status":"kicked","user":{"id":7,"is_bot":true,"first_name":"Bot"},"until_date":0}}}"#))
write("update", "unknown-kind", json(#"{"update_id":1004,"message_reaction":{"# + chat + #","user":{"id":42,"is_bot":false,"first_name":"Anna"},"message_id":900,"date":1796281100,"old_reaction":[],"new_reaction":[{"type":"emoji","emoji":"👍"}]}}"#))
write("update", "get-updates-answer", json(#"{"ok":true,"result":[{"update_id":1000,"message":{"message_id":1,"# + chat + #","date":0,"text":"a"}}]}"#))
print("seeds written under \(root.path)")
