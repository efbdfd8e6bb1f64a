import Booking
import Foundation
import Postgres
import Store
import TestSupport
import XCTest

/// The mass shift against the real PostgreSQL: the overlap guarantee (now deferrable,
/// migration 0009) still holds for every writer and under races, and a violation at the
/// deferred check is a clean refusal inside the transaction.
final class MassChangeStoreTests: BookingStoreTestCase {
    private var day: LocalDate { LocalDate("2026-12-03")! }

    func testAChainOfBookingsShiftsTogetherWithHistoryAndNothingOverlaps() throws {
        let first = try XCTUnwrap(try book(1, haircut, at: at("2026-12-03", 10)).value)
        let second = try XCTUnwrap(try book(2, haircut, at: at("2026-12-03", 11)).value)
        let window = ShiftWindow(day: day)!
        let outcome = try db.transaction { tx in
            try store(tx).shift(window, minutes: 60, expected: [second.id, first.id], by: .admin(99), now: now)
        }
        guard case .done(let moves) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(moves.map(\.after.range.start), [at("2026-12-03", 11), at("2026-12-03", 12)])
        XCTAssertEqual(try count("SELECT count(*) FROM booking_history WHERE action = 'moved'"), 2)
        XCTAssertEqual(try overlappingConfirmedPairs(), 0)
        // Single writers are refused as before: the constraint is checked at each statement's end.
        XCTAssertEqual(try book(3, haircut, at: at("2026-12-03", 12)).refusal, .overlapsBooking)
        XCTAssertEqual(try move(first.id, to: at("2026-12-03", 12), by: .admin(99)).refusal, .overlapsBooking)
    }

    /// The shift's safety net: a statement that leaves an overlap fails at its end with the
    /// constraint's error, inside the savepoint, and the transaction goes on.
    func testAViolationAtTheStatementsEndIsRefusedInsideTheTransactionAndUndone() throws {
        let first = try XCTUnwrap(try book(1, haircut, at: at("2026-12-03", 10)).value)
        _ = try XCTUnwrap(try book(2, haircut, at: at("2026-12-03", 12)).value)
        try db.transaction { tx in
            XCTAssertThrowsError(try tx.savepoint {
                try tx.query("UPDATE bookings SET during = tstzrange($2, $3, '[)') WHERE id = $1",
                             [.int(first.id), .timestamp(at("2026-12-03", 12, 30)), .timestamp(at("2026-12-03", 13, 30))])
            }) { error in
                guard case PostgresError.exclusionViolation = error else { return XCTFail("\(error)") }
            }
            // The transaction goes on, the update undone.
            XCTAssertEqual(try tx.query("SELECT lower(during) AS s FROM bookings WHERE id = $1", [.int(first.id)])[0].get("s") as Date,
                           at("2026-12-03", 10))
        }
        XCTAssertEqual(try overlappingConfirmedPairs(), 0)
    }

    func testAShiftRacingClientsNeverLeavesAnOverlap() throws {
        _ = try XCTUnwrap(try book(1, haircut, at: at("2026-12-03", 10)).value)
        _ = try XCTUnwrap(try book(2, haircut, at: at("2026-12-03", 11)).value)
        let expected: [Int64] = try db.query("SELECT id FROM bookings ORDER BY id").map { try $0.get("id") }
        let url = database.url, rules = self.rules, service = haircut.id, now = self.now
        let target = at("2026-12-03", 12), window = ShiftWindow(day: day, from: 600, to: 720)!
        let outcomes = try raceOnThreads(6, prepare: { _ in try PostgresConnection(url: url) }) { index, connection -> String in
            try connection.transaction { tx in
                let store = BookingStore(connection: tx, defaults: rules)
                if index == 0 {
                    return "\(try store.shift(window, minutes: 60, expected: expected, by: .admin(99), now: now))"
                }
                return "\(try store.create(client: Int64(10 + index), service: service, start: target, by: .client(Int64(10 + index)), now: now))"
            }
        }.map { try $0.get() }
        XCTAssertEqual(try overlappingConfirmedPairs(), 0, "\(outcomes)")
        let shifted = outcomes[0].hasPrefix("done")
        let booked = outcomes.dropFirst().filter { $0.hasPrefix("done") }.count
        XCTAssertTrue(shifted ? booked == 0 : booked == 1, "\(outcomes)")
    }
}
