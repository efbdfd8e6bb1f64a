import Booking
import Foundation
import XCTest
@testable import Texts

/// Telegram's limits hold for the longest values admins may type (service names of 100
/// characters, descriptions of 500, prices of 50) and for many services or bookings.
final class LimitsTests: XCTestCase {
    private static func longName(_ index: Int) -> String {
        let head = "Услуга \(index < 10 ? "0" : "")\(index) "
        return head + String(repeating: "ж", count: 100 - head.count)
    }

    private let longPrice = String(repeating: "9", count: 40) + " рублей"
    private let longDescription = String(repeating: "Описание услуги. ", count: 30).prefix(500).description

    private func services(_ count: Int) -> [ServiceInfo] {
        (1...count).map { ServiceInfo(name: Self.longName($0), durationMinutes: 475, price: longPrice, description: longDescription) }
    }

    private func assertFits(_ text: String, _ context: String, limit: Int = TelegramLimits.messageLength,
                            file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertLessThanOrEqual(TelegramLimits.length(text), limit, context, file: file, line: line)
        XCTAssertFalse(text.isEmpty, context, file: file, line: line)
    }

    func testLongNamesFitTheirTemplatesInEveryMessage() {
        let name = Self.longName(1)
        XCTAssertEqual(name.count, 100)
        let booking = BookingSummary(service: name, start: Samples.at("2026-11-26", 14), durationMinutes: 475, price: longPrice)
        let reason = String(repeating: "причина ", count: 60)
        let messages: [Message] = [
            .calendar(service: name, durationMinutes: 475, month: Samples.today),
            .daySlots(service: name, durationMinutes: 475, date: Samples.today, freeCount: 1),
            .confirmBooking(service: name, start: booking.start, durationMinutes: 475, price: longPrice),
            .booked(booking: booking, address: String(repeating: "адрес ", count: 50), reminderOffsetsMinutes: [10080, 2880, 1440, 120, 30]),
            .serviceUnavailable(service: name),
            .cancelQuestion(booking: booking),
            .cancelledByBusiness(booking: booking, reason: reason),
            .cancelledByBlock(booking: booking, reason: reason),
            .movedByBusiness(service: name, from: booking.start, to: booking.start, reason: reason),
            .adminNewBooking(client: ClientInfo(id: .max, name: String(repeating: "Я", count: 128), username: String(repeating: "u", count: 32)),
                             booking: booking),
            .reminder(booking: booking, minutesLeft: 120, today: Samples.day("2026-11-26"), address: reason, canCancel: true),
        ]
        for message in messages {
            for language in Language.allCases {
                let text = Texts.text(message, in: language)
                assertFits(text, "\(Samples.caseName(message)) \(language)")
                XCTAssertTrue(text.contains(name), "the whole name is shown: \(Samples.caseName(message))")
            }
        }
    }

    func testAboutWithTwentyLongServicesFitsAndNamesThemAll() {
        let info = AboutInfo(services: services(20), contact: Samples.contact, schedule: Samples.schedule, rules: Samples.rules)
        for language in Language.allCases {
            let text = Texts.text(.about(info), in: language)
            assertFits(text, "about \(language)")
            for index in 1...20 { XCTAssertTrue(text.contains(Self.longName(index)), "service \(index) in \(language)") }
            XCTAssertTrue(text.contains(Samples.contact.address), "the address survives")
            XCTAssertTrue(text.contains("09:00–18:00"), "the hours survive")
        }
    }

    func testAboutWithFewLongServicesKeepsTheirDescriptions() {
        let info = AboutInfo(services: services(3), contact: Samples.contact, schedule: Samples.schedule, rules: Samples.rules)
        let text = Texts.text(.about(info), in: .ru)
        assertFits(text, "about")
        XCTAssertTrue(text.contains(longDescription), "three services fit whole")
    }

    func testAboutWithManyServicesSaysHowManyMore() {
        let info = AboutInfo(services: services(60), contact: Samples.contact, schedule: Samples.schedule, rules: Samples.rules)
        let ru = Texts.text(.about(info), in: .ru)
        let en = Texts.text(.about(info), in: .en)
        assertFits(ru, "about ru")
        assertFits(en, "about en")
        XCTAssertTrue(ru.contains("…и ещё "), ru)
        XCTAssertTrue(en.contains("…and "), en)
        XCTAssertTrue(ru.contains("📋 Правила записи:"), "the rules are never cut off")
        XCTAssertTrue(ru.contains("Перед визитом я пришлю напоминания"), "the last rule is there too")
    }

    func testMyBookingsWithManyLongBookingsFits() {
        let bookings = (1...60).map {
            BookingSummary(service: Self.longName($0), start: Samples.at("2026-11-26", 9 + $0 % 9), durationMinutes: 475, price: longPrice)
        }
        for language in Language.allCases {
            let text = Texts.text(.myBookings(bookings: bookings, today: Samples.today, pastVisits: 12), in: language)
            assertFits(text, "my bookings \(language)")
            XCTAssertTrue(text.contains(Self.longName(1)))
            XCTAssertTrue(text.contains(language == .ru ? "…и ещё " : "…and "), text)
            XCTAssertTrue(text.contains("12"), "the past visits count survives")
        }
    }

    func testButtonsStayWithin64() {
        for language in Language.allCases {
            let label = Texts.label(.service(name: Self.longName(7), durationMinutes: 475, price: "1 500 000 ₽"), in: language)
            assertFits(label, "service button", limit: TelegramLimits.buttonLabelLength)
            XCTAssertTrue(label.hasPrefix("Услуга 07 "), label)
            XCTAssertTrue(label.contains("…"), label)
            // The name gives way; the duration and price the client chooses by stay.
            XCTAssertTrue(label.hasSuffix(language == .ru ? " · 7 ч 55 мин · 1 500 000 ₽" : " · 7 h 55 min · 1 500 000 ₽"), label)
            let pricey = Texts.label(.service(name: "Cut", durationMinutes: 60, price: String(repeating: "€", count: 50)), in: language)
            assertFits(pricey, "a 50-character price", limit: TelegramLimits.buttonLabelLength)
            for button in Samples.buttons {
                assertFits(Texts.label(button, in: language), "\(button)", limit: TelegramLimits.buttonLabelLength)
            }
        }
    }

    func testAlertsStayWithin200() {
        for language in Language.allCases {
            for alert in Samples.alerts + [.limitReached(limit: .max), .ratingSaved(stars: .min)] {
                assertFits(Texts.alert(alert, in: language), "\(alert)", limit: TelegramLimits.alertLength)
            }
        }
    }

    func testAnyTextIsCutToTheLimitInUTF16() {
        // Emoji are two UTF-16 units each: 3000 of them are 6000 units, over the limit.
        let address = String(repeating: "🏠", count: 3000)
        let text = Texts.text(.cancelRefused(cutoffHours: 24, contact: BusinessContact(address: address)), in: .ru)
        XCTAssertLessThanOrEqual(TelegramLimits.length(text), TelegramLimits.messageLength)
        XCTAssertGreaterThan(TelegramLimits.length(text), TelegramLimits.messageLength - 3, "cut at the limit, not before")
        XCTAssertTrue(text.hasSuffix("…"))
        XCTAssertTrue(text.hasPrefix("Отменить запись в боте уже нельзя"))
        XCTAssertEqual(Fitting.clamp("short", to: 10), "short")
        XCTAssertEqual(Fitting.clamp("abcdefghijkl", to: 10), "abcdefghi…")
        XCTAssertEqual(Fitting.clamp("abcd efghij", to: 6), "abcd…", "no space before the ellipsis")
        XCTAssertEqual(Fitting.clamp("🟢🟢🟢", to: 4), "🟢…", "never half an emoji")
    }
}
