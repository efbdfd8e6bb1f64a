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
}
