import Foundation
@testable import Booking

// Shared fixtures for the Booking tests. Expected instants are built from UTC civil
// components with Foundation's own Gregorian calendar and literal UTC offsets, never with
// the code under test.

enum Zones {
    static let moscow = TimeZone(identifier: "Europe/Moscow")!
    static let berlin = TimeZone(identifier: "Europe/Berlin")!
    static let newYork = TimeZone(identifier: "America/New_York")!
    static let utc = TimeZone(identifier: "UTC")!
}

/// A Gregorian calendar fixed to UTC (Foundation's, independent of `LocalDate`).
func utcCalendar() -> Calendar {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = Zones.utc
    return calendar
}

/// The instant of a UTC civil time.
func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0) -> Date {
    let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    guard let date = utcCalendar().date(from: components) else { fatalError("bad UTC components \(components)") }
    return date
}

/// The instant of a wall-clock time in a zone whose offset at that moment is `offsetHours`
/// (a literal written in the test: Moscow +3, Berlin CET +1 / CEST +2, New York EST -5 / EDT -4).
func wall(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int = 0, offset offsetHours: Int) -> Date {
    utc(year, month, day, hour, minute).addingTimeInterval(-Double(offsetHours) * 3600)
}

/// Moscow wall time (UTC+3 all year).
func msk(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
    wall(year, month, day, hour, minute, offset: 3)
}

func day(_ year: Int, _ month: Int, _ day: Int) -> LocalDate {
    guard let date = LocalDate(year: year, month: month, day: day) else { fatalError("no such day \(year)-\(month)-\(day)") }
    return date
}

func hours(_ open: Int, _ close: Int) -> DayHours {
    guard let hours = DayHours(openHour: open, closeHour: close) else { fatalError("bad hours \(open)-\(close)") }
    return hours
}

/// The configured defaults of SPEC.md (Moscow, 9–18 every day, step 60, horizon 3 months,
/// notice 60 min, 3 active bookings, 24 h cut-offs, reminders 24 h and 2 h, review after 2 h),
/// each overridable.
func makeRules(zone: TimeZone = Zones.moscow,
               schedule: WorkSchedule = .everyDay(hours(9, 18)),
               step: Int = 60, horizonMonths: Int = 3, notice: Int = 60, maxActive: Int = 3,
               cancelHours: Int = 24, rescheduleHours: Int = 24,
               reminders: [Int] = [1440, 120], feedbackHours: Int = 2) -> BookingRules {
    BookingRules(clock: BusinessClock(timeZone: zone), schedule: schedule, slotStepMinutes: step,
                 horizonMonths: horizonMonths, minNoticeMinutes: notice, maxActiveBookingsPerClient: maxActive,
                 cancellationCutoffHours: cancelHours, rescheduleCutoffHours: rescheduleHours,
                 reminderOffsetsMinutes: reminders, feedbackHoursAfter: feedbackHours)
}

/// `count` instants `stepMinutes` apart from `first`.
func instants(from first: Date, count: Int, stepMinutes: Int) -> [Date] {
    (0..<count).map { first.addingTimeInterval(Double($0 * stepMinutes) * 60) }
}
