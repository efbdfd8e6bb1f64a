import Booking
@testable import Texts
import XCTest

/// The dashboard's screen in both languages: plurals, amounts and averages written the way
/// each language writes them, every recommendation rendered, nothing of the template left.
final class DashboardTextTests: XCTestCase {
    private let asOf = LocalDateTime(date: LocalDate(year: 2026, month: 12, day: 3)!, minuteOfDay: 10 * 60 + 5)

    private func report(_ change: (inout DashboardFigures) -> Void = { _ in }) -> DashboardReport {
        var figures = DashboardFigures()
        change(&figures)
        let clock = BusinessClock(zoneIdentifier: "Europe/Moscow")!
        let now = clock.instant(of: asOf.date, minute: asOf.minuteOfDay)!
        var schedule = WorkSchedule.everyDay(DayHours(openHour: 9, closeHour: 18)!)
        schedule.hours[.sunday] = nil
        return DashboardReport(figures: figures, window: DashboardWindow(now: now, clock: clock), schedule: schedule)
    }

    private func text(_ report: DashboardReport, _ language: Language) -> String {
        DashboardText.screen(report, asOf: asOf).text(in: language)
    }

    func testRussianPluralsAndNumbers() {
        for (reviews, words) in [(1, "1 отзыв)"), (2, "2 отзыва)"), (5, "5 отзывов)"), (21, "21 отзыв)"), (112, "112 отзывов)")] {
            let screen = text(report { $0.reviewCount = reviews; $0.ratingSum = reviews * 4 }, .ru)
            XCTAssertTrue(screen.contains("Средняя оценка: 4,0 из 5 (\(words)"), screen)
        }
        let busy = report {
            $0.cancelledLast7Days = 22
            $0.revenue = [ServiceRevenue(serviceID: 1, name: "Стрижка", visits: 3, priceCents: 150_050),
                          ServiceRevenue(serviceID: 2, name: "Беседа", visits: 1, priceCents: nil)]
        }
        let ru = text(busy, .ru)
        XCTAssertTrue(ru.contains("💰 Выручка за 30 дней (оценка): 4\u{00A0}501,50"), ru)
        XCTAssertTrue(ru.contains("• Стрижка: 3 визита × 1\u{00A0}500,50 = 4\u{00A0}501,50"), ru)
        XCTAssertTrue(ru.contains("• не учтено: 1 визит к услугам без числовой цены"), ru)
        XCTAssertTrue(ru.contains("• 22 отмены за последние 7 дней"), ru)
        XCTAssertTrue(ru.contains("за последние 4 недели"), ru)
        XCTAssertTrue(ru.contains("Вс: выходной"), ru)
        let en = text(busy, .en)
        XCTAssertTrue(en.contains("💰 Revenue in 30 days (estimate): 4,501.50"), en)
        XCTAssertTrue(en.contains("• Стрижка: 3 visits × 1,500.50 = 4,501.50"), en)
        XCTAssertTrue(en.contains("• not counted: 1 visit to services"), en)
        XCTAssertTrue(en.contains("• 22 cancellations in the last 7 days"), en)
        XCTAssertTrue(en.contains("Su: closed") || en.contains("Sun: closed"), en)
    }

    func testEveryRecommendationAndTheEmptyScreenRenderCleanly() {
        let full = report {
            $0.cancelledLast7Days = 5
            $0.idleServices = [IdleService(serviceID: 9, name: "Massage {x}")]
            // Every Monday of the window fully booked.
            let monday = LocalDate(year: 2026, month: 11, day: 9)!
            for week in 0..<4 { $0.bookedMinutes[monday.adding(days: 7 * week)] = 540 }
        }
        XCTAssertEqual(full.advice, [.lowLoadToday(percent: 0), .manyCancellations(count: 5), .idleService(name: "Massage {x}"),
                                     .alwaysFull(.monday)])
        for language in [Language.ru, .en] {
            for screen in [text(full, language), text(report(), language)] {
                XCTAssertLessThanOrEqual(screen.count, 4096)
                XCTAssertFalse(screen.replacingOccurrences(of: "{x}", with: "").contains("{"), screen)
                XCTAssertFalse(screen.contains("#"), screen)
                XCTAssertFalse(screen.contains("\n\n\n"), screen)
            }
        }
        XCTAssertTrue(text(full, .en).contains("• Monday has been 90% booked or more for each of the last 4 weeks"))
        XCTAssertTrue(text(full, .ru).contains("• День «понедельник» занят на 90% и больше все последние 4 недели"))
        XCTAssertTrue(text(full, .en).contains("• Nobody has booked “Massage {x}” in 30 days"), "a name is never a template")
        XCTAssertTrue(text(report(), .en).contains("No reviews yet"))
        XCTAssertTrue(text(report(), .ru).contains("Отзывов пока нет"))
        XCTAssertTrue(text(report(), .en).contains("Mo: 0%"))
        for button in [DashboardButton.open, .refresh, .back] {
            XCTAssertNotEqual(button.label(in: .ru), button.label(in: .en))
        }
    }
}
