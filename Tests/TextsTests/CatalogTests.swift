import Booking
import Foundation
import XCTest
@testable import Texts

/// Every message, button and alert renders in both languages, cleanly, and differently;
/// both catalogs ask for the same values; every template branch renders.
final class CatalogTests: XCTestCase {
    // MARK: Coverage of the public cases

    func testSamplesCoverEveryMessageCase() throws {
        let declared = try Samples.declaredCases(in: "Message.swift")
        XCTAssertGreaterThan(declared.count, 40, "the source scan found the cases")
        XCTAssertEqual(Set(Samples.messages.map(Samples.caseName)), declared)
    }

    func testSamplesCoverEveryButtonCase() throws {
        let declared = try Samples.declaredCases(in: "Button.swift")
        XCTAssertGreaterThan(declared.count, 20)
        XCTAssertEqual(Set(Samples.buttons.map(Samples.caseName)), declared)
    }

    func testSamplesCoverEveryAlertCase() throws {
        let declared = try Samples.declaredCases(in: "Alert.swift")
        XCTAssertGreaterThan(declared.count, 10)
        XCTAssertEqual(Set(Samples.alerts.map(Samples.caseName)), declared)
    }

    // MARK: Rendering

    func testEveryMessageRendersCleanlyAndDiffersByLanguage() {
        for message in Samples.messages {
            let ru = Texts.text(message, in: .ru)
            let en = Texts.text(message, in: .en)
            assertClean(ru, "\(message) ru")
            assertClean(en, "\(message) en")
            XCTAssertNotEqual(ru, en, "\(message) is not translated")
            XCTAssertTrue(hasCyrillic(ru), "\(message) ru has no Russian: \(ru)")
            XCTAssertFalse(hasCyrillic(en), "\(message) en has Russian in it: \(en)")
        }
    }

    func testEveryButtonRendersCleanly() {
        for button in Samples.buttons {
            let ru = Texts.label(button, in: .ru)
            let en = Texts.label(button, in: .en)
            XCTAssertFalse(ru.isEmpty, "\(button)")
            XCTAssertFalse(en.isEmpty, "\(button)")
            XCTAssertLessThanOrEqual(TelegramLimits.length(ru), 64, "\(button)")
            XCTAssertLessThanOrEqual(TelegramLimits.length(en), 64, "\(button)")
            XCTAssertFalse(hasCyrillic(en), "\(button) en: \(en)")
            if button == .emptyDay {
                // The blank cell of the month grid: a space, since Telegram refuses "".
                XCTAssertEqual(ru, " ")
                continue
            }
            assertClean(ru, "\(button) ru")
            assertClean(en, "\(button) en")
            if Samples.isLanguageNeutral(button) {
                XCTAssertEqual(ru, en, "\(button) is a symbol or number and reads the same")
            } else {
                XCTAssertNotEqual(ru, en, "\(button) is not translated")
                XCTAssertTrue(hasCyrillic(ru), "\(button) ru: \(ru)")
            }
        }
    }

    func testEveryAlertRendersCleanlyAndDiffersByLanguage() {
        for alert in Samples.alerts {
            let ru = Texts.alert(alert, in: .ru)
            let en = Texts.alert(alert, in: .en)
            assertClean(ru, "\(alert) ru")
            assertClean(en, "\(alert) en")
            XCTAssertNotEqual(ru, en, "\(alert)")
            XCTAssertTrue(hasCyrillic(ru), "\(alert) ru: \(ru)")
            XCTAssertFalse(hasCyrillic(en), "\(alert) en: \(en)")
            XCTAssertLessThanOrEqual(TelegramLimits.length(ru), 200)
            XCTAssertLessThanOrEqual(TelegramLimits.length(en), 200)
        }
    }

    func testDayButtonsShowTheirColourAndNumber() {
        XCTAssertEqual(Texts.label(.day(25, .allFree), in: .ru), "🟢 25")
        XCTAssertEqual(Texts.label(.day(3, .someFree), in: .en), "🟡 3")
        XCTAssertEqual(Texts.label(.day(27, .full), in: .ru), "🔴 27")
        XCTAssertEqual(Texts.label(.day(31, .unavailable), in: .en), "⚫ 31")
        XCTAssertEqual(Texts.label(.slot(minuteOfDay: 9 * 60 + 5), in: .ru), "09:05")
        XCTAssertEqual(Texts.label(.weekday(.monday), in: .ru), "Пн")
        XCTAssertEqual(Texts.label(.weekday(.sunday), in: .en), "Su")
        XCTAssertEqual(Texts.label(.monthTitle(Samples.day("2026-11-14")), in: .ru), "Ноябрь 2026")
        XCTAssertEqual(Texts.label(.service(name: "Стрижка", durationMinutes: 90, price: "1500 ₽"), in: .ru),
                       "Стрижка · 1 ч 30 мин · 1500 ₽")
        XCTAssertEqual(Texts.label(.service(name: "Haircut", durationMinutes: 45, price: ""), in: .en), "Haircut · 45 min")
        XCTAssertEqual(Texts.label(.cancelBookingAt(Samples.at("2026-11-26", 14)), in: .ru), "❌ Отменить 26.11 14:00")
        XCTAssertEqual(Texts.label(.moveBookingAt(Samples.at("2026-03-02", 9, 30)), in: .en), "🔁 Move 2 Mar 09:30")
    }

    func testCommandsForSetMyCommands() {
        for language in Language.allCases {
            let commands = Texts.commands(in: language)
            XCTAssertEqual(commands.map(\.command), ["start", "book", "my", "help", "cancel"])
            for command in commands {
                XCTAssertNotNil(command.command.range(of: "^[a-z0-9_]{1,32}$", options: .regularExpression))
                XCTAssertFalse(command.description.isEmpty)
                XCTAssertLessThanOrEqual(command.description.count, 256, "Telegram's limit for a description")
                assertClean(command.description, "/\(command.command) \(language)")
            }
        }
        XCTAssertNotEqual(Texts.commands(in: .ru).map(\.description), Texts.commands(in: .en).map(\.description))
        for language in Language.allCases {
            let help = Texts.text(.help, in: language)
            for command in Texts.commands(in: language) {
                XCTAssertTrue(help.contains("/\(command.command) — \(command.description)"), "help lists /\(command.command)")
            }
        }
    }

    func testMainMenuLabelsAreRecognisedInEitherLanguage() {
        for language in Language.allCases {
            for button in [Button.book, .myBookings, .about] {
                XCTAssertEqual(Texts.mainMenuButton(matching: Texts.label(button, in: language)), button)
                XCTAssertEqual(Texts.mainMenuButton(matching: " " + Texts.label(button, in: language) + "\n"), button)
            }
        }
        XCTAssertNil(Texts.mainMenuButton(matching: "hello"))
        XCTAssertNil(Texts.mainMenuButton(matching: ""))
        // The three labels differ from each other in each language, or a press is ambiguous.
        for language in Language.allCases {
            let labels = [Button.book, .myBookings, .about, .bookNow].map { Texts.label($0, in: language) }
            XCTAssertEqual(Set(labels).count, labels.count)
        }
    }

    func testQualifiedNamesWorkBesideOtherModulesMessageTypes() {
        // Telegram also has a `Message`; `Texts.Message` must name this one.
        let message: Texts.Message = .mainMenu
        let button: Texts.Button = .book
        let alert: Texts.Alert = .booked
        XCTAssertEqual(Texts.text(message, in: .en), Texts.text(Message.mainMenu, in: .en))
        XCTAssertEqual(Texts.label(button, in: .ru), "📅 Записаться")
        XCTAssertEqual(Texts.alert(alert, in: .en), "✅ Booked")
    }

    // MARK: The catalogs themselves

    /// Every template of every area's catalog: the client's and the staff's.
    private var everyTemplate: [(key: String, template: (Language) -> String)] {
        CatalogKey.allCases.map { key in ("\(key)", { Catalog.template(key, in: $0) }) }
            + StaffCatalogs.all.map { entry in (entry.name, entry.template) }
    }

    func testBothLanguagesOfEveryKeyAskForTheSameValues() {
        XCTAssertTrue(everyTemplate.contains { $0.key.hasPrefix("staff.") }, "the staff catalog is checked too")
        for (key, template) in everyTemplate {
            let ru = TemplateRenderer.shape(of: template(.ru))
            let en = TemplateRenderer.shape(of: template(.en))
            XCTAssertEqual(ru.names, en.names, "\(key)")
            XCTAssertEqual(Set(ru.plurals.keys), Set(en.plurals.keys), "\(key)")
            XCTAssertEqual(Set(ru.selects.keys), Set(en.selects.keys), "\(key)")
            for (name, branches) in ru.selects {
                XCTAssertEqual(branches, en.selects[name], "\(key).\(name)")
                XCTAssertTrue(branches.contains("other"), "\(key).\(name) needs an `other` branch")
            }
        }
    }

    func testEnglishCatalogHasNoRussianAndPluralsHaveEveryForm() {
        for (key, template) in everyTemplate {
            let en = template(.en)
            let ru = template(.ru)
            XCTAssertFalse(hasCyrillic(en), "\(key): \(en)")
            // Russian needs one / few / many for integers, English one / other; a missing
            // form would fall back to `other` and read wrong for part of the numbers.
            for (name, branches) in TemplateRenderer.shape(of: ru).plurals {
                XCTAssertTrue(branches.isSuperset(of: ["one", "few", "many", "other"]), "\(key).\(name) ru: \(branches)")
            }
            for (name, branches) in TemplateRenderer.shape(of: en).plurals {
                XCTAssertTrue(branches.isSuperset(of: ["one", "other"]), "\(key).\(name) en: \(branches)")
            }
        }
    }

    /// Every branch of every template, with numbers that hit each plural form and each
    /// select branch: nothing is left unrendered.
    func testEveryBranchOfEveryTemplateRenders() {
        let numbers = [0, 1, 2, 5, 11, 21, 22, 100]
        for (key, templates) in everyTemplate {
            for language in Language.allCases {
                let template = templates(language)
                let shape = TemplateRenderer.shape(of: template)
                let variants = max(numbers.count, shape.selects.values.map(\.count).max() ?? 1)
                for variant in 0..<variants {
                    var values: [String: TemplateValue] = [:]
                    for name in shape.names { values[name] = .text("value") }
                    for name in shape.plurals.keys { values[name] = .number(numbers[variant % numbers.count]) }
                    for (name, branches) in shape.selects {
                        let sorted = branches.sorted()
                        values[name] = .text(sorted[variant % sorted.count])
                    }
                    let output = TemplateRenderer(language: language, values: values).render(template)
                    XCTAssertFalse(output.contains("{") || output.contains("}") || output.contains("#"),
                                   "\(key) \(language) variant \(variant): \(output)")
                }
            }
        }
    }

    func testMessageTemplatesDifferByLanguage() {
        // Formats with no words are the same in both languages on purpose.
        let neutral: Set<CatalogKey> = [
            .commandLine, .hoursLine, .dayRange, .aboutService, .myBookingsItem, .clientLabel, .listStart,
            .listMiddle, .dateWithWeekday, .dayMonth, .monthTitle, .time, .buttonPreviousMonth, .buttonNextMonth,
            .buttonEmptyDay, .buttonDay, .buttonService, .buttonServiceNoPrice, .buttonSlot, .buttonStars,
        ]
        for key in CatalogKey.allCases where !neutral.contains(key) {
            XCTAssertNotEqual(Catalog.template(key, in: .ru), Catalog.template(key, in: .en), "\(key)")
        }
        for entry in StaffCatalogs.all where !entry.neutral {
            XCTAssertNotEqual(entry.template(.ru), entry.template(.en), entry.name)
        }
    }
}

/// Non-empty, nothing left of the template syntax or of a printf format, no Swift
/// optionals leaking through.
func assertClean(_ text: String, _ context: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertFalse(text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(context): empty", file: file, line: line)
    for leftover in ["{", "}", "%", "#", "Optional(", "\\n"] {
        XCTAssertFalse(text.contains(leftover), "\(context): contains \"\(leftover)\": \(text)", file: file, line: line)
    }
    XCTAssertNil(text.range(of: "\\bnil\\b", options: .regularExpression), "\(context): nil in \(text)", file: file, line: line)
    XCTAssertEqual(text, text.trimmingCharacters(in: .whitespacesAndNewlines), "\(context): stray whitespace at an end",
                   file: file, line: line)
    XCTAssertFalse(text.contains("\n\n\n"), "\(context): an empty paragraph: \(text)", file: file, line: line)
}

func hasCyrillic(_ text: String) -> Bool {
    text.unicodeScalars.contains { (0x0400...0x04FF).contains($0.value) }
}
