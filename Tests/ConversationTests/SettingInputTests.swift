import Booking
@testable import Conversation
import Foundation
import Texts
import XCTest

/// Typed settings: what reads as a value and what is asked again, before any arithmetic.
final class SettingInputTests: XCTestCase {
    private func hours(_ text: String) -> DayHours?? {
        guard case .success(let hours) = SettingInput.hours(text) else { return nil }
        return .some(hours)
    }

    func testHoursWithAnyDashHoursAloneOrMinutes() {
        for (text, open, close) in [("10:00-16:00", 600, 960), ("10-16", 600, 960), ("9:30–18:00", 570, 1080), ("9.30 — 18", 570, 1080),
                                    (" 08:15 ‒ 12:45 ", 495, 765), ("0-24", 0, 1440), ("00:00-24:00", 0, 1440), ("23-24", 1380, 1440)] {
            XCTAssertEqual(hours(text), .some(DayHours(open: open, close: close)), text)
        }
        XCTAssertEqual(hours("выходной"), .some(nil))
        XCTAssertEqual(hours("Day off"), .some(nil))
        for bad in ["16-10", "10-10", "10", "10-", "-10", "-1-5", "10-16-18", "24:30-25", "10:60-12", "10:5-12", "1e1-12", "１０-１６",
                    "10 16", "", "🙂-🙂", "99999999999999999999-1", String(repeating: "1-2", count: 2000)] {
            XCTAssertNil(hours(bad), bad)
        }
    }

    func testRemindersInEitherLanguageAtMostFiveEachOnceLongestFirst() {
        let read = { (text: String) -> [Int]? in try? SettingInput.reminders(text).get() }
        XCTAssertEqual(read("24h, 2h"), [1440, 120])
        XCTAssertEqual(read("24ч, 2ч"), [1440, 120])
        XCTAssertEqual(read("30m"), [30])
        XCTAssertEqual(read("1d"), [1440])
        XCTAssertEqual(read("2 часа; 1 день 30 мин"), [1440, 120, 30])
        XCTAssertEqual(read("2h 2h 120m"), [120], "each once")
        XCTAssertEqual(read("30d"), [43_200])
        XCTAssertEqual(read("none"), [])
        XCTAssertEqual(read("Нет"), [])
        for bad in ["", "24", "0h", "31d", "43201m", "1h,2h,3h,4h,5h,6h", "h", "2x", "-1h", "1.5h", "99999999999999999999h",
                    String(repeating: "1h,", count: 2000), "🙂"] {
            XCTAssertNil(read(bad), bad)
        }
    }

    func testNumbersAreDigitsWithinTheirBoundsBeforeAnyArithmetic() {
        func read(_ text: String, _ setting: SettingName) -> SettingChange? { try? SettingInput.read(text, for: setting).get() }
        XCTAssertEqual(read("30", .slotStep), .number(.slotStep, 30))
        XCTAssertEqual(read("720", .slotStep), .number(.slotStep, 720))
        for bad in ["7", "0", "725", "-5", "+5", "5.0", "1e2", String(repeating: "9", count: 5000), "99999999999999999999", "٥"] {
            XCTAssertNil(read(bad, .slotStep), bad)
        }
        XCTAssertEqual(read("0", .horizon), .number(.horizon, 0))
        XCTAssertNil(read("25", .horizon))
        XCTAssertNil(read("0", .limit))
        XCTAssertEqual(read("43200", .notice), .number(.notice, 43_200))
        XCTAssertEqual(read(" Main St 1 ", .address), .text(.address, "Main St 1"))
        XCTAssertNil(read(String(repeating: "a", count: 201), .contact))
        XCTAssertNil(read("   ", .contact))
        XCTAssertNil(read("a\u{0}b", .contact), "PostgreSQL cannot store NUL")
    }

    func testAChangeAppliesToItsSettingOnlyAndTheAuditReadsIt() {
        let rules = FormTests.rules
        let values = SettingValues(rules: rules, address: "Main St 1", contact: "")
        let monday = SettingChange.hours([.monday], nil)
        let changed = monday.applied(to: values)
        XCTAssertNil(changed.schedule.hours(on: .monday))
        XCTAssertEqual(changed.schedule.hours(on: .tuesday), values.schedule.hours(on: .tuesday))
        XCTAssertEqual(monday.auditText(of: values), "Mon 09:00-18:00")
        XCTAssertEqual(monday.auditText(of: changed), "Mon off")
        XCTAssertEqual(SettingChange.reminders([30, 1440, 30]).applied(to: values).reminderOffsetsMinutes, [1440, 30])
        XCTAssertEqual(SettingChange.reminders([90]).auditProposal, "90m")
        XCTAssertEqual(SettingChange.number(.slotStep, 30).applied(to: values).slotStepMinutes, 30)
        XCTAssertEqual(SettingChange.text(.contact, "@a").applied(to: values).address, "Main St 1")
    }
}
