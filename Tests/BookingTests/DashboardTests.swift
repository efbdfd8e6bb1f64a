import Foundation
@testable import Booking
import XCTest

/// The dashboard's pure part: the window's local-day boundaries, the load against the work
/// hours, and each recommendation's rule at its threshold.
final class DashboardTests: XCTestCase {
    private let moscow = BusinessClock(timeZone: Zones.moscow)
    private let nineToSix = WorkSchedule.everyDay(hours(9, 18))

    func testTheWindowsBoundariesAreLocalDaysInTheBusinessZone() {
        // Thursday 3 December 2026, 01:30 in Moscow (still Wednesday in UTC).
        let now = msk(2026, 12, 3, 1, 30)
        let window = DashboardWindow(now: now, clock: moscow)
        XCTAssertEqual(window.zoneIdentifier, "Europe/Moscow")
        XCTAssertEqual(window.today, day(2026, 12, 3))
        XCTAssertEqual(window.todayStart, msk(2026, 12, 3, 0))
        XCTAssertEqual(window.tomorrowStart, msk(2026, 12, 4, 0))
        XCTAssertEqual(window.weekStart, msk(2026, 11, 30, 0), "Monday of this ISO week")
        XCTAssertEqual(window.nextWeekEnd, msk(2026, 12, 11, 0), "the seven days after today")
        XCTAssertEqual(window.last7DaysStart, now.addingTimeInterval(-7 * 86_400))
        XCTAssertEqual(window.last30DaysStart, now.addingTimeInterval(-30 * 86_400))
        XCTAssertEqual(window.loadFirstDay, day(2026, 11, 5))
        XCTAssertEqual(window.loadStart, msk(2026, 11, 5, 0))
        XCTAssertEqual(window.loadPastDays.count, 28)
        XCTAssertEqual(window.loadPastDays.last, day(2026, 12, 2))
        // A Sunday belongs to the week that began six days before; a Monday starts its own.
        XCTAssertEqual(DashboardWindow(now: msk(2026, 12, 6, 23), clock: moscow).weekStart, msk(2026, 11, 30, 0))
        XCTAssertEqual(DashboardWindow(now: msk(2026, 12, 7, 0), clock: moscow).weekStart, msk(2026, 12, 7, 0))
        // Across a DST change the local midnights keep their real offsets (Berlin, 29 March 2026).
        let berlin = DashboardWindow(now: wall(2026, 3, 29, 12, offset: 2), clock: BusinessClock(timeZone: Zones.berlin))
        XCTAssertEqual(berlin.todayStart, wall(2026, 3, 29, 0, offset: 1))
        XCTAssertEqual(berlin.tomorrowStart, wall(2026, 3, 30, 0, offset: 2))
    }

    func testLoadIsBookedAgainstOpenMinutesAndAClosedDayHasNone() {
        XCTAssertNil(Load(bookedMinutes: 60, openMinutes: 0).percent, "nothing to divide by")
        XCTAssertEqual(Load(bookedMinutes: 0, openMinutes: 540).percent, 0)
        XCTAssertEqual(Load(bookedMinutes: 269, openMinutes: 540).percent, 49, "rounded down")
        XCTAssertEqual(Load(bookedMinutes: 600, openMinutes: 540).percent, 111, "bookings outside the hours count too")
        XCTAssertEqual(Load(bookedMinutes: Int.max, openMinutes: 540).percent, Int.max / 540, "held, not trapped")
    }

    func testTheReportSumsEachWeekdaysDaysAndKnowsTodaysHours() {
        let window = DashboardWindow(now: msk(2026, 12, 3, 10), clock: moscow)
        var schedule = nineToSix
        schedule.hours[.sunday] = nil
        var figures = DashboardFigures()
        figures.bookedMinutes = [day(2026, 11, 5): 540, day(2026, 11, 12): 270, day(2026, 11, 29): 120, day(2026, 12, 3): 60]
        let report = DashboardReport(figures: figures, window: window, schedule: schedule)
        XCTAssertEqual(report.weekdayLoads[.thursday], Load(bookedMinutes: 810, openMinutes: 4 * 540))
        XCTAssertEqual(report.weekdayLoads[.sunday], Load(bookedMinutes: 120, openMinutes: 0), "a day off has no load")
        XCTAssertNil(report.weekdayLoads[.sunday]?.percent)
        XCTAssertEqual(report.todayLoad, Load(bookedMinutes: 60, openMinutes: 540), "today is not in the weekday's history")
        XCTAssertEqual(report.advice, [.lowLoadToday(percent: 11)])
    }

    func testEachRuleFiresAtItsThresholdAndNotBelow() {
        let open = 540
        func advice(today booked: Int, cancelled: Int, idle: [IdleService] = [], fridays: [Int] = [0, 0, 0, 0]) -> [DashboardAdvice] {
            var figures = DashboardFigures()
            figures.cancelledLast7Days = cancelled
            figures.idleServices = idle
            let days = fridays.map { (weekday: Weekday.friday, load: Load(bookedMinutes: $0, openMinutes: open)) }
            return DashboardAdvice.rules(figures: figures, todayLoad: Load(bookedMinutes: booked, openMinutes: open), pastDays: days)
        }
        let thirty = open * DashboardAdvice.lowLoadTodayPercent / 100  // 162 minutes: 30 %
        XCTAssertEqual(advice(today: thirty - 1, cancelled: 0), [.lowLoadToday(percent: 29)])
        XCTAssertEqual(advice(today: thirty, cancelled: 0), [])
        XCTAssertEqual(advice(today: open, cancelled: DashboardAdvice.manyCancellationsPerWeek - 1), [])
        XCTAssertEqual(advice(today: open, cancelled: DashboardAdvice.manyCancellationsPerWeek), [.manyCancellations(count: 5)])
        XCTAssertEqual(advice(today: open, cancelled: 0, idle: [IdleService(serviceID: 4, name: "Massage")]), [.idleService(name: "Massage")])
        let full = open * DashboardAdvice.fullDayPercent / 100  // 486 minutes: 90 %
        XCTAssertEqual(advice(today: open, cancelled: 0, fridays: [full, open, full, 600]), [.alwaysFull(.friday)])
        XCTAssertEqual(advice(today: open, cancelled: 0, fridays: [full, open, full - 1, open]), [], "one Friday below 90 %")
        // A closed today gives no "low load"; a weekday closed in the window is never "always full".
        XCTAssertEqual(DashboardAdvice.rules(figures: DashboardFigures(), todayLoad: Load(bookedMinutes: 0, openMinutes: 0),
                                             pastDays: [(.sunday, Load(bookedMinutes: 0, openMinutes: 0))]), [])
    }

    func testTheAverageAndTheRevenueNeverDivideByZeroNorOverflow() {
        let window = DashboardWindow(now: msk(2026, 12, 3, 10), clock: moscow)
        func report(_ change: (inout DashboardFigures) -> Void) -> DashboardReport {
            var figures = DashboardFigures()
            change(&figures)
            return DashboardReport(figures: figures, window: window, schedule: nineToSix)
        }
        XCTAssertNil(report { _ in }.averageRatingTenths)
        XCTAssertEqual(report { _ in }.revenueCents, 0)
        XCTAssertEqual(report { $0.reviewCount = 3; $0.ratingSum = 13 }.averageRatingTenths, 43, "4.33")
        XCTAssertEqual(report { $0.reviewCount = 2; $0.ratingSum = 9 }.averageRatingTenths, 45, "4.5")
        XCTAssertEqual(report { $0.reviewCount = 3; $0.ratingSum = 14 }.averageRatingTenths, 47, "4.67")
        let priced = report {
            $0.revenue = [ServiceRevenue(serviceID: 1, name: "Cut", visits: 3, priceCents: 150_050),
                          ServiceRevenue(serviceID: 2, name: "Chat", visits: 4, priceCents: nil)]
        }
        XCTAssertEqual(priced.revenueCents, 450_150)
        XCTAssertEqual(priced.unpricedVisits, 4)
        let huge = report {
            $0.revenue = [ServiceRevenue(serviceID: 1, name: "Gold", visits: Int.max, priceCents: 999_999_999_999),
                          ServiceRevenue(serviceID: 2, name: "Gold 2", visits: 2, priceCents: 999_999_999_999)]
        }
        XCTAssertEqual(huge.revenueCents, Int64.max, "held, not trapped")
    }
}
