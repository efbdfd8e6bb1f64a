import Booking
import Foundation
import XCTest
@testable import Texts

/// Dates and times in the business's zone, whatever the process's zone: Moscow (no DST,
/// UTC+3) and Berlin (CET/CEST), around midnight UTC and across DST changes.
final class DateTextsTests: XCTestCase {
    private let moscow = BusinessClock(zoneIdentifier: "Europe/Moscow")!
    private let berlin = BusinessClock(zoneIdentifier: "Europe/Berlin")!

    private func utc(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)!
    }

    func testMoscowDateAndTimeNearMidnightUTC() {
        // 21:30 UTC on the 24th is 00:30 on Wednesday the 25th in Moscow.
        let instant = utc("2026-11-24T21:30:00Z")
        let ru = DateTexts(language: .ru, clock: moscow)
        let en = DateTexts(language: .en, clock: moscow)
        XCTAssertEqual(ru.dateWithWeekday(of: instant), "среда, 25 ноября")
        XCTAssertEqual(en.dateWithWeekday(of: instant), "Wednesday, 25 November")
        XCTAssertEqual(ru.time(of: instant), "00:30")
        XCTAssertEqual(ru.localDateTime(of: instant), LocalDateTime(date: LocalDate("2026-11-25")!, minuteOfDay: 30))
        // Seen from 23:00 Moscow on the 24th (20:00 UTC, the same UTC day) it is tomorrow.
        XCTAssertEqual(ru.relativeDay(of: instant, now: utc("2026-11-24T20:00:00Z")), "завтра")
        XCTAssertEqual(en.relativeDay(of: instant, now: utc("2026-11-24T20:00:00Z")), "tomorrow")
        // Seen from 00:10 Moscow on the 25th (still the 24th in UTC) it is today.
        XCTAssertEqual(ru.relativeDay(of: instant, now: utc("2026-11-24T21:10:00Z")), "сегодня")
    }

    func testNewYearInMoscowIsStillTheOldYearInUTC() {
        let instant = utc("2026-12-31T21:00:00Z")
        let ru = DateTexts(language: .ru, clock: moscow)
        let en = DateTexts(language: .en, clock: moscow)
        XCTAssertEqual(ru.dateWithWeekday(of: instant), "пятница, 1 января")
        XCTAssertEqual(en.dateWithWeekday(of: instant), "Friday, 1 January")
        XCTAssertEqual(ru.time(of: instant), "00:00")
        XCTAssertEqual(ru.monthTitle(moscow.localDate(of: instant)), "Январь 2027")
        XCTAssertEqual(en.monthTitle(moscow.localDate(of: instant)), "January 2027")
    }

    func testBerlinSpringForward() {
        // 29 March 2026: 02:00 CET jumps to 03:00 CEST at 01:00 UTC.
        let ru = DateTexts(language: .ru, clock: berlin)
        let en = DateTexts(language: .en, clock: berlin)
        XCTAssertEqual(ru.time(of: utc("2026-03-29T00:59:00Z")), "01:59")
        XCTAssertEqual(ru.time(of: utc("2026-03-29T01:00:00Z")), "03:00")
        XCTAssertEqual(ru.dateWithWeekday(of: utc("2026-03-29T01:00:00Z")), "воскресенье, 29 марта")
        XCTAssertEqual(en.dateWithWeekday(of: utc("2026-03-29T01:00:00Z")), "Sunday, 29 March")
        // Late evening after the change: UTC+2, so 22:30 UTC is already Monday.
        XCTAssertEqual(en.dateWithWeekday(of: utc("2026-03-29T22:30:00Z")), "Monday, 30 March")
        XCTAssertEqual(en.time(of: utc("2026-03-29T22:30:00Z")), "00:30")
    }

    func testBerlinFallBack() {
        // 25 October 2026: 03:00 CEST falls back to 02:00 CET at 01:00 UTC; 02:30 happens twice.
        let ru = DateTexts(language: .ru, clock: berlin)
        XCTAssertEqual(ru.time(of: utc("2026-10-25T00:30:00Z")), "02:30")
        XCTAssertEqual(ru.time(of: utc("2026-10-25T01:30:00Z")), "02:30")
        XCTAssertEqual(ru.dateWithWeekday(of: utc("2026-10-25T01:30:00Z")), "воскресенье, 25 октября")
        // 22:30 UTC the evening before is 00:30 CEST on the 25th; that evening (CET) 22:30
        // UTC is 23:30, still the 25th.
        XCTAssertEqual(ru.dateWithWeekday(of: utc("2026-10-24T22:30:00Z")), "воскресенье, 25 октября")
        XCTAssertEqual(ru.time(of: utc("2026-10-24T22:30:00Z")), "00:30")
        XCTAssertEqual(ru.dateWithWeekday(of: utc("2026-10-25T22:30:00Z")), "воскресенье, 25 октября")
        XCTAssertEqual(ru.time(of: utc("2026-10-25T22:30:00Z")), "23:30")
    }

    func testBerlinSummerMidnight() {
        let instant = utc("2026-07-01T22:30:00Z")
        XCTAssertEqual(DateTexts(language: .ru, clock: berlin).dateWithWeekday(of: instant), "четверг, 2 июля")
        XCTAssertEqual(DateTexts(language: .en, clock: berlin).dateWithWeekday(of: instant), "Thursday, 2 July")
        XCTAssertEqual(DateTexts(language: .en, clock: berlin).time(of: instant), "00:30")
    }

    func testTheZoneNotTheProcessDecidesTheDay() {
        // One instant, two business zones, two calendar days: nothing reads TimeZone.current.
        let instant = utc("2026-06-15T12:00:00Z")
        let tokyo = DateTexts(language: .en, clock: BusinessClock(zoneIdentifier: "Asia/Tokyo")!)
        let honolulu = DateTexts(language: .en, clock: BusinessClock(zoneIdentifier: "Pacific/Honolulu")!)
        XCTAssertEqual(tokyo.dateWithWeekday(of: instant), "Monday, 15 June")
        XCTAssertEqual(tokyo.time(of: instant), "21:00")
        XCTAssertEqual(honolulu.dateWithWeekday(of: instant), "Monday, 15 June")
        XCTAssertEqual(honolulu.time(of: instant), "02:00")
        XCTAssertEqual(tokyo.dateWithWeekday(of: utc("2026-06-15T16:00:00Z")), "Tuesday, 16 June")
        XCTAssertEqual(honolulu.dateWithWeekday(of: utc("2026-06-15T09:00:00Z")), "Sunday, 14 June")
    }

    func testNamesAndShortForms() {
        let ru = DateTexts(language: .ru, clock: moscow)
        let en = DateTexts(language: .en, clock: moscow)
        XCTAssertEqual(ru.weekdayShortNames, ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"])
        XCTAssertEqual(en.weekdayShortNames, ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"])
        XCTAssertEqual(ru.weekdayName(.wednesday), "среда")
        XCTAssertEqual(en.weekdayName(.sunday), "Sunday")
        let date = LocalDate("2026-11-25")!
        XCTAssertEqual(ru.dateWithWeekday(date), "среда, 25 ноября")
        XCTAssertEqual(en.dateWithWeekday(date), "Wednesday, 25 November")
        XCTAssertEqual(ru.dayMonth(date), "25 ноября")
        XCTAssertEqual(en.dayMonth(date), "25 November")
        XCTAssertEqual(ru.shortDate(LocalDate("2026-03-05")!), "05.03")
        XCTAssertEqual(en.shortDate(LocalDate("2026-03-05")!), "5 Mar")
        XCTAssertEqual(ru.monthTitle(date), "Ноябрь 2026")
        XCTAssertEqual(en.monthTitle(date), "November 2026")
        XCTAssertEqual(ru.time(minuteOfDay: 9 * 60 + 5), "09:05")
        XCTAssertEqual(ru.time(minuteOfDay: 0), "00:00")
        XCTAssertEqual(en.time(minuteOfDay: 23 * 60 + 59), "23:59")
        // Every month in its two Russian forms.
        let months = (1...12).map { LocalDate(year: 2026, month: $0, day: 1)! }
        XCTAssertEqual(months.map { ru.dayMonth($0) }, [
            "1 января", "1 февраля", "1 марта", "1 апреля", "1 мая", "1 июня",
            "1 июля", "1 августа", "1 сентября", "1 октября", "1 ноября", "1 декабря",
        ])
        XCTAssertEqual(months.map { ru.monthTitle($0) }, [
            "Январь 2026", "Февраль 2026", "Март 2026", "Апрель 2026", "Май 2026", "Июнь 2026",
            "Июль 2026", "Август 2026", "Сентябрь 2026", "Октябрь 2026", "Ноябрь 2026", "Декабрь 2026",
        ])
    }

    func testRelativeDays() {
        let today = LocalDate("2026-11-25")!
        let ru = DateTexts(language: .ru, clock: moscow)
        let en = DateTexts(language: .en, clock: moscow)
        let offsets = [0, 1, 2, 3, 5, 21, -1, -2, -5]
        XCTAssertEqual(offsets.map { ru.relativeDay(today.adding(days: $0), today: today) },
                       ["сегодня", "завтра", "через 2 дня", "через 3 дня", "через 5 дней", "через 21 день", "вчера",
                        "2 дня назад", "5 дней назад"])
        XCTAssertEqual(offsets.map { en.relativeDay(today.adding(days: $0), today: today) },
                       ["today", "tomorrow", "in 2 days", "in 3 days", "in 5 days", "in 21 days", "yesterday",
                        "2 days ago", "5 days ago"])
        // Across a month and a year end, counted in calendar days.
        XCTAssertEqual(ru.relativeDay(LocalDate("2027-01-02")!, today: LocalDate("2026-12-31")!), "через 2 дня")
    }

    func testMessagesShowTheLocalDateTheClockGives() {
        // A visit at 00:30 Moscow on the 25th, booked as an instant: the message shows the
        // local day and time, not UTC's 24th 21:30.
        let start = LocalDateTime(utc("2026-11-24T21:30:00Z"), clock: moscow)
        let text = Texts.text(.confirmBooking(service: "Haircut", start: start, durationMinutes: 60, price: ""), in: .ru)
        XCTAssertTrue(text.contains("среда, 25 ноября"), text)
        XCTAssertTrue(text.contains("00:30"), text)
        XCTAssertFalse(text.contains("21:30"), text)
    }
}
