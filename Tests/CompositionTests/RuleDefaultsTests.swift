import Booking
import Config
import Foundation
import Composition
import XCTest

final class RuleDefaultsTests: XCTestCase {
    func testConfiguredDefaultsBecomeTheRules() throws {
        let config = try AppConfig.load(from: EnvironmentReader([
            "DATABASE_URL": "postgresql://u:p@h/d", "TIMEZONE": "Europe/Berlin", "WORK_HOURS_START": "10",
            "WORK_HOURS_END": "19", "SLOT_STEP_MINUTES": "30", "REMINDER_OFFSETS": "3h", "MAX_BOOKINGS_PER_USER": "2",
        ]))
        let rules = BookingRules(defaults: config.rules)
        XCTAssertEqual(rules.clock.timeZone.identifier, "Europe/Berlin")
        XCTAssertEqual(rules.schedule, .everyDay(DayHours(openHour: 10, closeHour: 19)!))
        XCTAssertEqual(rules.slotStepMinutes, 30)
        XCTAssertEqual(rules.reminderOffsetsMinutes, [180])
        XCTAssertEqual(rules.maxActiveBookingsPerClient, 2)
        XCTAssertEqual(rules.horizonMonths, 3)
        XCTAssertEqual([rules.cancellationCutoffHours, rules.rescheduleCutoffHours, rules.minNoticeMinutes], [24, 24, 60])
    }
}
