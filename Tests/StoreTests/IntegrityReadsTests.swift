import Booking
import Foundation
import Postgres
import Store
import XCTest

/// The chaos run's questions (IntegrityReads): each answers "nothing wrong" on a sound
/// database and names the fault once one is made by hand, since the bot itself never
/// makes them.
final class IntegrityReadsTests: BookingStoreTestCase {
    private var reads: IntegrityReads { IntegrityReads(connection: db) }

    func testAChangeAppliedTwiceIsFound() throws {
        let booking = try XCTUnwrap(book(1, haircut, at: at("2026-12-03", 10)).value)
        _ = try cancel(booking.id, by: .client(1))
        XCTAssertEqual(try reads.doubledBookingChanges(), 0)
        try db.query("INSERT INTO booking_history (booking_id, action) VALUES ($1, 'cancelled')", [.int(booking.id)])
        XCTAssertEqual(try reads.doubledBookingChanges(), 1)
    }

    func testOverlappingConfirmedBookingsAreFoundWereTheConstraintGone() throws {
        _ = try XCTUnwrap(book(1, haircut, at: at("2026-12-03", 10)).value)
        let second = try XCTUnwrap(book(2, haircut, at: at("2026-12-03", 11)).value)
        XCTAssertEqual(try reads.overlappingConfirmedBookings(), 0)
        try db.query("ALTER TABLE bookings DROP CONSTRAINT bookings_no_overlap")
        try db.query("UPDATE bookings SET during = tstzrange($2, $3) WHERE id = $1",
                     [.int(second.id), .timestamp(at("2026-12-03", 10, 30)), .timestamp(at("2026-12-03", 11, 30))])
        XCTAssertEqual(try reads.overlappingConfirmedBookings(), 1)
    }

    func testABookingInsideABlockIsFound() throws {
        let booking = try XCTUnwrap(book(1, haircut, at: at("2026-12-03", 10)).value)
        try db.query("INSERT INTO blocks (during, reason) VALUES (tstzrange($1, $2), 'closed')",
                     [.timestamp(at("2026-12-03", 11)), .timestamp(at("2026-12-03", 12))])
        XCTAssertEqual(try reads.confirmedBookingsInBlocks(), 0, "a block next to it")
        try db.query("INSERT INTO blocks (during, reason) VALUES (tstzrange($1, $2), 'closed')",
                     [.timestamp(at("2026-12-03", 10, 15)), .timestamp(at("2026-12-03", 10, 45))])
        XCTAssertEqual(try reads.confirmedBookingsInBlocks(), 1)
        _ = try cancel(booking.id, by: .client(1))
        XCTAssertEqual(try reads.confirmedBookingsInBlocks(), 0, "a cancelled one does not count")
    }

    func testClientsOverTheLimitAreNamed() throws {
        for hour in [10, 12, 14] { _ = try XCTUnwrap(book(7, haircut, at: at("2026-12-03", hour)).value) }
        XCTAssertTrue(try reads.clientsOverLimit(3, now: now).isEmpty)
        let over = try reads.clientsOverLimit(2, now: now)
        XCTAssertEqual(over.map(\.client), [7])
        XCTAssertEqual(over.map(\.bookings), [3])
        XCTAssertTrue(try reads.clientsOverLimit(2, now: at("2026-12-04", 9)).isEmpty, "visits already over do not count")
    }

    func testAReminderSentAfterItsCancellationAndOneLeftUnsentAreFound() throws {
        let booking = try XCTUnwrap(book(1, haircut, at: at("2026-12-03", 10)).value)
        XCTAssertEqual(try reads.remindersLeftUnsent(dueBefore: at("2026-12-02", 9)), 0)
        XCTAssertEqual(try reads.remindersLeftUnsent(dueBefore: at("2026-12-02", 11)), 1, "the 24 h reminder is due at 10:00 the day before")
        XCTAssertEqual(try reads.remindersLeftUnsent(dueBefore: at("2026-12-03", 9)), 2, "and the 2 h one at 08:00")
        _ = try cancel(booking.id, by: .client(1))
        XCTAssertEqual(try reads.remindersLeftUnsent(dueBefore: at("2026-12-03", 9)), 0, "withdrawn with the booking")
        XCTAssertEqual(try reads.remindersSentAfterCancellation(), 0)
        try db.query("UPDATE reminders SET sent_at = now() + interval '1 hour' WHERE booking_id = $1 AND offset_minutes = 120",
                     [.int(booking.id)])
        XCTAssertEqual(try reads.remindersSentAfterCancellation(), 1)
    }

    func testUpdatesRepliesAndTheirOrderAreReadPerChat() throws {
        for (update, chat) in [(Int64(101), Int64(1)), (102, 1), (201, 2)] {
            XCTAssertTrue(try UpdateLedger(connection: db).claim(updateID: update, chatID: chat, now: now))
        }
        let outbox = OutboxStore(connection: db)
        let first = try outbox.add(chatID: 1, method: "sendMessage", payload: #"{"chat_id":1,"text":"a"}"#, updateID: 101, now: now)
        _ = try outbox.add(chatID: 2, method: "sendMessage", payload: #"{"chat_id":2,"text":"b"}"#, updateID: 201, now: now)
        _ = try outbox.add(chatID: 1, method: "sendMessage", payload: #"{"chat_id":1,"text":"c"}"#, updateID: 102, now: now)
        try outbox.markSent(first.id, now: now)
        XCTAssertEqual(Set(try reads.processedUpdates(chats: [1]).map(\.updateID)), [101, 102])
        XCTAssertEqual(try reads.updatesInReplyOrder(chats: [1, 2]).map(\.updateID), [101, 201, 102])
        XCTAssertEqual(try reads.replies(chats: [1]).map(\.sent), [true, false])
        XCTAssertEqual(try reads.replies(chats: [1]).map(\.payload), [#"{"text": "a", "chat_id": 1}"#, #"{"text": "c", "chat_id": 1}"#])
        XCTAssertEqual(try reads.repliesUnsent(), 2)
        XCTAssertEqual(try reads.doubledReplies(), 0)
        _ = try outbox.add(chatID: 1, method: "sendMessage", payload: #"{"chat_id":1,"text":"c"}"#, updateID: 102, now: now)
        XCTAssertEqual(try reads.doubledReplies(), 1, "update 102's reply written again")
    }
}
