import Booking
import Foundation
import XCTest
@testable import Texts

/// Russian plural forms by the CLDR rule, English one / other, and the language choice.
final class PluralAndLanguageTests: XCTestCase {
    private let noun = "{n, plural, one {# запись} few {# записи} many {# записей} other {# записи}}"

    private func russian(_ n: Int) -> String {
        TemplateRenderer(language: .ru, values: ["n": .number(n)]).render(noun)
    }

    /// The forms written out by hand (not recomputed by the rule under test).
    func testRussianPluralTable() {
        let one = "запись", few = "записи", many = "записей"
        let upTo30: [String] = [many, one, few, few, few]                 // 0…4
            + Array(repeating: many, count: 16)                            // 5…20
            + [one, few, few, few]                                         // 21…24
            + Array(repeating: many, count: 6)                             // 25…30
        XCTAssertEqual(upTo30.count, 31)
        for (n, form) in upTo30.enumerated() {
            XCTAssertEqual(russian(n), "\(n) \(form)")
        }
        let hundreds: [String] = [many, one, few, few, few]               // 100…104
            + Array(repeating: many, count: 6)                             // 105…110
            + Array(repeating: many, count: 4)                             // 111…114
            + Array(repeating: many, count: 6)                             // 115…120
            + [one, few, few, few, many]                                   // 121…125
        XCTAssertEqual(hundreds.count, 26)
        for (offset, form) in hundreds.enumerated() {
            XCTAssertEqual(russian(100 + offset), "\(100 + offset) \(form)")
        }
        XCTAssertEqual(russian(1011), "1011 записей")
        XCTAssertEqual(russian(1021), "1021 запись")
        XCTAssertEqual(russian(1002), "1002 записи")
        XCTAssertEqual(russian(-1), "-1 запись", "a negative number takes the form of its magnitude")
    }

    func testTheBriefsExample() {
        XCTAssertEqual([1, 2, 5, 11, 21].map(russian).joined(separator: ", "),
                       "1 запись, 2 записи, 5 записей, 11 записей, 21 запись")
    }

    func testEnglishPluralTable() {
        let template = "{n, plural, one {# booking} other {# bookings}}"
        let rendered = [0, 1, 2, 5, 11, 21, 101].map {
            TemplateRenderer(language: .en, values: ["n": .number($0)]).render(template)
        }
        XCTAssertEqual(rendered, ["0 bookings", "1 booking", "2 bookings", "5 bookings", "11 bookings", "21 bookings",
                                  "101 bookings"])
    }

    func testCatalogPluralsInContext() {
        let ru = DateTexts(language: .ru, clock: BusinessClock(zoneIdentifier: "Europe/Moscow")!)
        let today = Samples.today
        XCTAssertEqual([1, 2, 5, 11, 21, 22, 25].map { ru.relativeDay(today.adding(days: $0), today: today) },
                       ["завтра", "через 2 дня", "через 5 дней", "через 11 дней", "через 21 день", "через 22 дня",
                        "через 25 дней"])
        let renderer = Renderer(language: .ru)
        XCTAssertEqual([1, 2, 5, 11, 21, 24].map { renderer.leadBefore($0 * 60) },
                       ["за 1 час", "за 2 часа", "за 5 часов", "за 11 часов", "за 21 час", "за 24 часа"])
        XCTAssertEqual([1, 2, 5, 21, 30, 45].map { renderer.leadBefore($0) },
                       ["за 1 минуту", "за 2 минуты", "за 5 минут", "за 21 минуту", "за 30 минут", "за 45 минут"])
        XCTAssertTrue(Texts.text(.limitReached(activeBookings: 1, limit: 1), in: .ru).contains("У вас уже 1 активная запись"))
        XCTAssertTrue(Texts.text(.limitReached(activeBookings: 3, limit: 3), in: .ru).contains("У вас уже 3 активные записи"))
        XCTAssertTrue(Texts.text(.limitReached(activeBookings: 5, limit: 5), in: .ru).contains("У вас уже 5 активных записей"))
        XCTAssertTrue(Texts.text(.limitReached(activeBookings: 1, limit: 1), in: .en).contains("You already have 1 active booking "))
        XCTAssertTrue(Texts.text(.limitReached(activeBookings: 3, limit: 3), in: .en).contains("You already have 3 active bookings"))
        XCTAssertTrue(Texts.text(.cancelRefused(cutoffHours: 1, contact: Samples.contact), in: .ru).contains("меньше 1 часа"))
        XCTAssertTrue(Texts.text(.cancelRefused(cutoffHours: 21, contact: Samples.contact), in: .ru).contains("меньше 21 часа"))
        XCTAssertTrue(Texts.text(.cancelRefused(cutoffHours: 24, contact: Samples.contact), in: .ru).contains("меньше 24 часов"))
        XCTAssertTrue(Texts.text(.cancelRefused(cutoffHours: 1, contact: Samples.contact), in: .en).contains("less than 1 hour remains"))
    }

    func testLanguageResolution() {
        let table: [(setting: String, code: String?, expected: Language)] = [
            ("ru", "en", .ru),
            ("en", "ru", .en),
            ("en", nil, .en),
            ("ru", nil, .ru),
            ("auto", "en", .en),
            ("auto", "en-US", .en),
            ("auto", "en_GB", .en),
            ("auto", "EN", .en),
            ("auto", "ru", .ru),
            ("auto", "ru-RU", .ru),
            ("auto", "uk", .ru),
            ("auto", "be", .ru),
            ("auto", "kk", .ru),
            ("auto", "de", .ru),
            ("auto", "pt-br", .ru),
            ("auto", "", .ru),
            ("auto", nil, .ru),
            (" AUTO ", "en", .en),
            ("Auto", "en-GB", .en),
            ("EN", nil, .en),
            ("fr", "en", .ru),
            // Tabs and Unicode space separators around a value are trimmed (as Foundation's
            // .whitespaces did); a line break is not a space separator.
            ("\ten\u{00A0}", nil, .en),
            ("\u{2003}auto\u{3000}", "\u{202F}en-US ", .en),
            ("en\n", nil, .ru),
            (" \t ", "en", .ru),
        ]
        for row in table {
            XCTAssertEqual(Language.resolve(setting: row.setting, userLanguageCode: row.code), row.expected,
                           "\(row.setting) / \(row.code ?? "nil")")
        }
    }

    func testLanguageRawValuesAreStable() throws {
        // Stored with a user and in config: the codes must not change.
        XCTAssertEqual(Language.allCases.map(\.rawValue), ["ru", "en"])
        let encoded = try JSONEncoder().encode([Language.ru, .en])
        XCTAssertEqual(String(data: encoded, encoding: .utf8), "[\"ru\",\"en\"]")
    }
}
