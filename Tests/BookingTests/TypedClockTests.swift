import Booking
import XCTest

/// The one reading of typed times of day that work hours, blocks and mass shifts share.
final class TypedClockTests: XCTestCase {
    func testTimesOfDayAsStaffTypeThem() {
        XCTAssertEqual(["9", "09", "9:30", "9.30", "00:00", "24:00", "24"].map(TypedClock.minute), [540, 540, 570, 570, 0, 1440, 1440])
        for bad in ["", ":", "9:", "9:3", "9:60", "24:01", "25", "123", "-1", "9:30:00", "٩", "９", "99999999999999999999", "a"] {
            XCTAssertNil(TypedClock.minute(bad), bad)
        }
    }

    func testARangeWithAnyDashInTheOrderTyped() {
        for typed in ["10:00-14:30", "10-14:30", " 10:00 – 14:30 ", "10.00—14.30", "10~14:30"] {
            let span = TypedClock.span(typed)
            XCTAssertEqual(span?.from, 600, typed)
            XCTAssertEqual(span?.to, typed.contains("14:30") || typed.contains("14.30") ? 870 : nil, typed)
        }
        XCTAssertEqual(TypedClock.span("18-9").map { [$0.from, $0.to] }, [1080, 540], "the caller judges the order")
        for bad in ["10", "10-", "-10", "-5:00-10:00", "10-12-14", "10 14", String(repeating: "9", count: 5000) + "-10"] {
            XCTAssertNil(TypedClock.span(bad), bad)
        }
    }
}
