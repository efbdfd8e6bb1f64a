import Store
import XCTest

/// The service catalogue's reads against the real PostgreSQL.
final class ServiceStoreTests: BookingStoreTestCase {
    func testServicesByIDAreReadTogetherInactiveOnesIncludedUnknownOnesLeftOut() throws {
        let services = ServiceStore(connection: db)
        try services.setActive(coloring.id, false)
        let found = try services.services(ids: [haircut.id, coloring.id, 987_654])
        XCTAssertEqual(Set(found.keys), [haircut.id, coloring.id])
        XCTAssertEqual(found[haircut.id]?.name, "Haircut")
        XCTAssertEqual(found[coloring.id]?.durationMinutes, 120)
        XCTAssertEqual(found[coloring.id]?.active, false, "a booking keeps showing a service that is no longer offered")
        XCTAssertEqual(try services.services(ids: []).count, 0)
    }

    // MARK: The staff's changes

    private func fields(_ name: String, minutes: Int = 60, cents: Int64? = nil) -> StoredServiceFields {
        StoredServiceFields(name: name, description: "", durationMinutes: minutes, priceText: "", priceCents: cents)
    }

    func testANameTakenIsAnAnswerAndTheTransactionGoesOn() throws {
        try db.transaction { tx in
            let services = ServiceStore(connection: tx)
            XCTAssertNil(try services.create(fields("HAIRCUT")), "the unique index, case-insensitive")
            XCTAssertEqual(try services.update(coloring.id, fields("haircut")), .nameTaken)
            let manicure = try XCTUnwrap(try services.create(fields("Manicure", minutes: 45, cents: 150_050)))
            XCTAssertEqual([manicure.priceCents, Int64(manicure.displayOrder)], [150_050, 1], "amounts exact; last in the order")
            XCTAssertEqual(manicure.priceAmount, 1500.5)
        }
        XCTAssertEqual(try ServiceStore(connection: db).all().map(\.name), ["Haircut", "Coloring", "Manicure"])
    }

    func testOnlyAServiceNeverBookedIsDeletedAndOnlyABookedOneArchived() throws {
        guard case .done = try book(1, haircut, at: at("2026-12-03", 11)) else { return XCTFail("not booked") }
        let services = ServiceStore(connection: db)
        try db.transaction { tx in
            let services = ServiceStore(connection: tx)
            guard case .hasBookings = try services.deleteIfNeverBooked(haircut.id) else { return XCTFail("deleted a booked service") }
            guard case .neverBooked = try services.archive(coloring.id) else { return XCTFail("archived a service never booked") }
            guard case .done(_, let archived) = try services.archive(haircut.id) else { return XCTFail("not archived") }
            XCTAssertEqual([archived.archived, archived.active], [true, false])
            guard case .archived = try services.setActive(haircut.id, active: true) else { return XCTFail("an archived one switched on") }
            guard case .done = try services.deleteIfNeverBooked(coloring.id) else { return XCTFail("not deleted") }
            XCTAssertEqual(try services.deleteIfNeverBooked(coloring.id), .notFound)
        }
        XCTAssertNil(try services.service(coloring.id))
        XCTAssertEqual(try services.bookingCounts(haircut.id, now: now).ever, 1)
        // An archived name is free again; restoring it then clashes, and says so.
        XCTAssertNotNil(try db.transaction { tx in try ServiceStore(connection: tx).create(fields("haircut")) })
        XCTAssertEqual(try db.transaction { tx in try ServiceStore(connection: tx).restore(haircut.id) }, .nameTaken)
    }

    func testAMoveRenumbersEqualOrdersAndSwapsWithTheNeighbour() throws {
        let services = ServiceStore(connection: db)
        let third = try services.create(name: "Manicure", durationMinutes: 30)
        XCTAssertEqual(try services.all().map(\.displayOrder), [0, 0, 0])
        try db.transaction { tx in
            guard case .done = try ServiceStore(connection: tx).move(third.id, by: -1) else { return XCTFail("not moved") }
            guard case .atEdge = try ServiceStore(connection: tx).move(haircut.id, by: -1) else { return XCTFail("moved past the top") }
        }
        XCTAssertEqual(try services.all().map(\.name), ["Haircut", "Manicure", "Coloring"])
        XCTAssertEqual(try services.all().map(\.displayOrder), [1, 2, 3])
        XCTAssertEqual(try services.bookable().map(\.name), ["Haircut", "Manicure", "Coloring"], "the clients' order is the same")
    }
}
