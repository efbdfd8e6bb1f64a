import Booking
import Foundation
import Postgres
import Store
import XCTest

/// More than one resource: each takes its own bookings.
final class ResourceStoreTests: BookingStoreTestCase {
    private var reads: IntegrityReads { IntegrityReads(connection: db) }

    func testAnAddedResourceTakesItsOwnBookingAtTheSameTime() throws {
        let chair = try ResourceStore(connection: db).add(name: "second chair")
        XCTAssertEqual(try ResourceStore(connection: db).add(name: "third chair"), chair + 1)
        _ = try XCTUnwrap(book(1, haircut, at: at("2026-12-03", 10)).value)
        let second = try db.transaction { tx in
            try store(tx).create(client: 2, service: haircut.id, start: at("2026-12-03", 10), by: .client(2), now: now, resource: chair)
        }
        XCTAssertNotNil(second.value, "another resource is free at the same time")
        XCTAssertEqual(try reads.overlappingConfirmedBookings(), 0)
    }
}
