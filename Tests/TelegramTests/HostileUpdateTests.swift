import Foundation
import Telegram
import XCTest

/// Numbers no real update has: the decoder refuses them with an error (which the
/// ingress answers and the queue never sees), and what it accepts is read without a trap.
final class HostileUpdateTests: XCTestCase {
    private func message(date: String = "1796281100", id: String = "42", entity: String = #"{"type":"bot_command","offset":0,"length":6}"#) -> Data {
        Data("""
            {"update_id":1,"message":{"message_id":900,"from":{"id":\(id),"is_bot":false,"first_name":"A"},
             "chat":{"id":\(id),"type":"private"},"date":\(date),"text":"/start","entities":[\(entity)]}}
            """.utf8)
    }

    func testNumbersOutsideTheirTypeAreADecodingErrorNotATrap() {
        for value in ["9223372036854775808", "-9223372036854775809", "1e30", "1.5", "-0.5", "1e309", "\"7\"", "null", "true"] {
            XCTAssertThrowsError(try Update.decode(message(date: value)), "date \(value)")
            XCTAssertThrowsError(try Update.decode(message(id: value)), "id \(value)")
        }
        XCTAssertEqual(try Update.decode(message(id: "9223372036854775807")).fromID, Int64.max)
        XCTAssertEqual(try Update.decode(message(id: "-9223372036854775808")).chatID, Int64.min)
    }

    func testACommandEntityOfAnyLengthIsReadSafely() throws {
        for (offset, length) in [(0, Int.max), (0, Int.min), (0, 7), (0, -1), (Int.max, 6), (0, 1)] {
            let update = try Update.decode(message(entity: #"{"type":"bot_command","offset":\#(offset),"length":\#(length)}"#))
            XCTAssertNil(update.message?.command, "offset \(offset), length \(length)")
        }
        XCTAssertEqual(try Update.decode(message()).message?.command, "start")
    }
}
