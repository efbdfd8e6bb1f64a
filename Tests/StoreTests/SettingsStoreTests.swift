import Booking
import Foundation
import Postgres
import Store
import XCTest

/// What the settings screens rely on in the store: a value it would ignore is refused
/// before it is written, the contact is read beside the address, and the bookings a change
/// of hours would strand are counted per local day in the business's zone.
final class SettingsStoreTests: BookingStoreTestCase {
    func testOnlyValuesInForceAreAccepted() {
        let accepted: [(SettingsStore.Key, String)] = [
            (.slotStepMinutes, "5"), (.slotStepMinutes, "720"), (.bookingHorizonMonths, "0"), (.minNoticeMinutes, "43200"),
            (.maxBookingsPerUser, "100"), (.reminderOffsets, "[]"), (.reminderOffsets, "[1440,120,60,30,5]"),
            (.serviceLocation, #""Main St 1""#), (.businessContact, #""""#), (.workHours, #"{"1":[600,960],"2":null}"#),
        ]
        for (key, json) in accepted { XCTAssertTrue(SettingsStore.accepts(key, json: json), "\(key) \(json)") }
        let refused: [(SettingsStore.Key, String)] = [
            (.slotStepMinutes, "4"), (.slotStepMinutes, "721"), (.slotStepMinutes, #""often""#), (.bookingHorizonMonths, "25"),
            (.maxBookingsPerUser, "0"), (.reminderOffsets, "[0]"), (.reminderOffsets, "[1,2,3,4,5,6]"), (.reminderOffsets, "[43201]"),
            (.businessContact, "5"), (.businessContact, "\"" + String(repeating: "a", count: 201) + "\""), (.serviceLocation, "not json"),
            (.workHours, "[]"),
        ]
        for (key, json) in refused { XCTAssertFalse(SettingsStore.accepts(key, json: json), "\(key) \(json)") }
    }

    func testTheContactIsReadBesideTheAddress() throws {
        let store = SettingsStore(connection: db)
        XCTAssertNil(try store.inForce(defaults: rules).contact)
        try store.set(.businessContact, json: #""+7 900 000-00-00""#, by: 99)
        try store.set(.serviceLocation, json: #""Lenina 5""#, by: 99)
        let inForce = try store.inForce(defaults: rules)
        XCTAssertEqual(inForce.contact, "+7 900 000-00-00")
        XCTAssertEqual(inForce.serviceLocation, "Lenina 5")
    }

    func testBookingsOutsideHoursAreCountedPerLocalDay() throws {
        // Tuesday 1 December 2026, 10:00 in Moscow: Monday 7 and 14, Tuesday 8.
        XCTAssertNotNil(try book(1, haircut, at: at("2026-12-07", 9)).value)
        XCTAssertNotNil(try book(2, haircut, at: at("2026-12-07", 17)).value)   // 17:00–18:00
        XCTAssertNotNil(try book(3, haircut, at: at("2026-12-14", 12)).value)
        XCTAssertNotNil(try book(1, coloring, at: at("2026-12-08", 14)).value)  // 14:00–16:00
        let store = BookingStore(connection: db, defaults: rules)
        let zone = "Europe/Moscow"
        let monday: Set<Weekday> = [.monday]
        XCTAssertEqual(try store.confirmedOutside(hours: nil, on: monday, zone: zone, after: now).map { [$0.day.dayNumber, $0.count] },
                       [[LocalDate(year: 2026, month: 12, day: 7)!.dayNumber, 2], [LocalDate(year: 2026, month: 12, day: 14)!.dayNumber, 1]])
        // 10:00–17:00: the 9:00 one starts early, the 17:00 one ends late; 12:00 fits.
        XCTAssertEqual(try store.confirmedOutside(hours: DayHours(open: 600, close: 1020), on: monday, zone: zone, after: now).map(\.count), [2])
        XCTAssertEqual(try store.confirmedOutside(hours: DayHours(open: 540, close: 1080), on: monday, zone: zone, after: now).count, 0)
        // Tuesday 14:00–16:00 against 9:00–15:00 ends late; the same hours read in UTC put it at 11:00–13:00, inside.
        let tuesday: Set<Weekday> = [.tuesday]
        XCTAssertEqual(try store.confirmedOutside(hours: DayHours(open: 540, close: 900), on: tuesday, zone: zone, after: now).map(\.count), [1])
        XCTAssertEqual(try store.confirmedOutside(hours: DayHours(open: 540, close: 900), on: tuesday, zone: "UTC", after: now).count, 0)
        XCTAssertEqual(try store.confirmedOutside(hours: nil, on: [], zone: zone, after: now).count, 0)
        XCTAssertEqual(try store.confirmedOutside(hours: nil, on: monday, zone: zone, after: at("2026-12-10", 0)).map(\.count), [1],
                       "only bookings not yet started")
    }
}
