import Booking
import Foundation
import XCTest
@testable import Texts

/// The texts say what the passed-in values say: no number of their own, the variants
/// chosen by the values (few left, no reminders, count from 5 on, …).
final class RenderingTests: XCTestCase {
    private func rules(limit: Int = 3, cancel: Int = 24, move: Int = 24, reminders: [Int] = [1440, 120],
                       notice: Int = 60) -> ClientRules {
        ClientRules(bookingLimit: limit, cancellationHours: cancel, rescheduleHours: move,
                    reminderOffsetsMinutes: reminders, minNoticeMinutes: notice)
    }

    private func welcome(_ rules: ClientRules, _ language: Language) -> String {
        Texts.text(.welcomeNew(name: "Anna", rules: rules), in: language)
    }

    private func about(_ rules: ClientRules, _ language: Language, contact: BusinessContact = Samples.contact,
                       schedule: WorkSchedule = Samples.schedule, services: [ServiceInfo] = Samples.services) -> String {
        Texts.text(.about(AboutInfo(services: services, contact: contact, schedule: schedule, rules: rules)), in: language)
    }

    /// All whole numbers in a text.
    private func numbers(in text: String) -> Set<Int> {
        var found: Set<Int> = []
        var digits = ""
        for character in text + " " {
            if character.isASCII && character.isNumber {
                digits.append(character)
            } else if !digits.isEmpty {
                found.insert(Int(digits)!)
                digits = ""
            }
        }
        return found
    }

    // MARK: Rules come from the values

    func testBookingLimitComesFromTheValue() {
        for render in [welcome, { self.about($0, $1) }] as [(ClientRules, Language) -> String] {
            XCTAssertTrue(render(rules(limit: 3), .ru).contains("до 3 активных записей"))
            XCTAssertTrue(render(rules(limit: 5), .ru).contains("до 5 активных записей"))
            XCTAssertTrue(render(rules(limit: 1), .ru).contains("до 1 активной записи"))
            XCTAssertTrue(render(rules(limit: 21), .ru).contains("до 21 активной записи"))
            XCTAssertTrue(render(rules(limit: 3), .en).contains("up to 3 active bookings"))
            XCTAssertTrue(render(rules(limit: 5), .en).contains("up to 5 active bookings"))
            XCTAssertTrue(render(rules(limit: 1), .en).contains("up to 1 active booking at"))
            XCTAssertNotEqual(render(rules(limit: 3), .ru), render(rules(limit: 5), .ru))
        }
    }

    func testCancelRuleComesFromTheValues() {
        for render in [welcome, { self.about($0, $1) }] as [(ClientRules, Language) -> String] {
            XCTAssertTrue(render(rules(cancel: 24, move: 24), .ru)
                .contains("Отменить или перенести запись можно не позднее чем за 24 часа до начала."))
            XCTAssertTrue(render(rules(cancel: 12, move: 12), .ru)
                .contains("Отменить или перенести запись можно не позднее чем за 12 часов до начала."))
            XCTAssertTrue(render(rules(cancel: 1, move: 1), .ru).contains("не позднее чем за 1 час до начала"))
            XCTAssertTrue(render(rules(cancel: 0, move: 0), .ru).contains("в любой момент до её начала"))
            XCTAssertTrue(render(rules(cancel: 24, move: 12), .ru).contains(
                "Отменить запись можно не позднее чем за 24 часа, а перенести — не позднее чем за 12 часов до начала."))
            XCTAssertTrue(render(rules(cancel: 24, move: 24), .en)
                .contains("You can cancel or move a booking up to 24 hours before it starts."))
            XCTAssertTrue(render(rules(cancel: 12, move: 12), .en).contains("up to 12 hours before it starts"))
            XCTAssertTrue(render(rules(cancel: 1, move: 1), .en).contains("up to 1 hour before it starts"))
            XCTAssertTrue(render(rules(cancel: 24, move: 12), .en).contains(
                "You can cancel a booking up to 24 hours before it starts and move it up to 12 hours before it starts."))
            XCTAssertTrue(render(rules(cancel: 0, move: 6), .en).contains(
                "You can cancel a booking any time before it starts and move it up to 6 hours before it starts."))
        }
    }

    func testRemindersComeFromTheValues() {
        for render in [welcome, { self.about($0, $1) }] as [(ClientRules, Language) -> String] {
            XCTAssertTrue(render(rules(reminders: [1440, 120]), .ru)
                .contains("Перед визитом я пришлю напоминания за 24 часа и за 2 часа до начала."))
            XCTAssertTrue(render(rules(reminders: [120, 1440, 120]), .ru)
                .contains("напоминания за 24 часа и за 2 часа до начала"), "longest first, each once")
            XCTAssertTrue(render(rules(reminders: [30]), .ru).contains("Перед визитом я пришлю напоминание за 30 минут до начала."))
            XCTAssertTrue(render(rules(reminders: []), .ru).contains("Напоминаний перед визитом я не присылаю"))
            XCTAssertTrue(render(rules(reminders: [2880, 1440, 60]), .ru).contains("за 2 дня, за 24 часа и за 1 час до начала"))
            XCTAssertTrue(render(rules(reminders: [1440, 120]), .en)
                .contains("I’ll send you reminders 24 hours before and 2 hours before your visit."))
            XCTAssertTrue(render(rules(reminders: [30]), .en).contains("I’ll send you a reminder 30 minutes before your visit."))
            XCTAssertTrue(render(rules(reminders: []), .en).contains("I don’t send reminders before visits"))
            XCTAssertTrue(render(rules(reminders: [2880, 1440, 60]), .en)
                .contains("2 days before, 24 hours before, and 1 hour before your visit"))
            XCTAssertFalse(render(rules(reminders: []), .ru).contains("напоминания за"))
        }
    }

    func testNoticeComesFromTheValue() {
        XCTAssertTrue(welcome(rules(notice: 60), .ru).contains("Записаться можно не позднее чем за 1 час до начала."))
        XCTAssertTrue(welcome(rules(notice: 90), .ru).contains("не позднее чем за 1 ч 30 мин до начала"))
        XCTAssertTrue(welcome(rules(notice: 0), .ru).contains("Записаться можно на любое свободное время."))
        XCTAssertTrue(welcome(rules(notice: 30), .en).contains("Bookings close 30 minutes before the start."))
        XCTAssertTrue(Texts.text(.tooSoon(noticeMinutes: 120), in: .ru).contains("не позднее чем за 2 часа до начала"))
        XCTAssertTrue(Texts.text(.tooSoon(noticeMinutes: 45), in: .en).contains("bookings close 45 minutes before the start"))
    }

    /// Every number in the welcome and About texts is one of the values passed in.
    func testNoNumberOfTheirOwn() {
        let odd = rules(limit: 7, cancel: 13, move: 13, reminders: [17 * 60], notice: 45)
        for language in Language.allCases {
            XCTAssertEqual(numbers(in: welcome(odd, language)), [7, 13, 17, 45], language.rawValue)
            XCTAssertEqual(numbers(in: Texts.text(.howItWorks(rules: odd), in: language)), [7, 13, 17, 45])
            let schedule = WorkSchedule.everyDay(DayHours(open: 10 * 60 + 15, close: 19 * 60 + 45)!)
            let services = [ServiceInfo(name: "Trim", durationMinutes: 75, price: "990 RUB", description: "Quick")]
            let text = about(odd, language, contact: BusinessContact(address: "Main street"), schedule: schedule,
                             services: services)
            // 1 h 15 min, 990, 10:15–19:45, and the rules.
            XCTAssertEqual(numbers(in: text), [1, 15, 990, 10, 19, 45, 7, 13, 17], "\(language): \(text)")
        }
    }

    // MARK: About

    func testAboutShowsServicesAddressHoursAndChangesWithThem() {
        let text = about(rules(), .ru)
        for part in ["Haircut", "1 ч 30 мин", "1500 RUB", "Wash, cut and styling.", "Massage", "📍 Адрес: Tverskaya 1, Moscow",
                     "📞 Связаться с нами: +7 900 000-00-00", "Пн–Пт: 09:00–18:00", "Сб: 10:00–15:30", "Вс: выходной"] {
            XCTAssertTrue(text.contains(part), "missing \(part) in \(text)")
        }
        let bare = about(rules(), .en, contact: BusinessContact(address: ""), services: [])
        XCTAssertFalse(bare.contains("📍"))
        XCTAssertFalse(bare.contains("📞"))
        XCTAssertTrue(bare.contains("There are no services to book right now."))
        XCTAssertNotEqual(about(rules(), .en), about(rules(), .en, schedule: .everyDay(DayHours(openHour: 8, closeHour: 20)!)))
    }

    func testWorkHours() {
        let renderer = Renderer(language: .ru)
        XCTAssertEqual(renderer.workHours(.everyDay(DayHours(openHour: 9, closeHour: 18)!)), "Ежедневно: 09:00–18:00")
        XCTAssertEqual(Renderer(language: .en).workHours(.everyDay(DayHours(openHour: 0, closeHour: 24)!)),
                       "Every day: 00:00–24:00")
        XCTAssertEqual(renderer.workHours(WorkSchedule(hours: [:])), "Пн–Вс: выходной")
        let nine = DayHours(openHour: 9, closeHour: 18)!, ten = DayHours(openHour: 10, closeHour: 16)!
        let split = WorkSchedule(hours: [.monday: nine, .tuesday: nine, .wednesday: ten, .friday: nine, .saturday: nine])
        XCTAssertEqual(renderer.workHours(split), "Пн–Вт: 09:00–18:00\nСр: 10:00–16:00\nЧт: выходной\nПт–Сб: 09:00–18:00\nВс: выходной")
        XCTAssertEqual(Renderer(language: .en).workHours(split),
                       "Mo–Tu: 09:00–18:00\nWe: 10:00–16:00\nTh: closed\nFr–Sa: 09:00–18:00\nSu: closed")
    }

    // MARK: Amounts of time and lists

    func testDurations() {
        let ru = Renderer(language: .ru), en = Renderer(language: .en)
        XCTAssertEqual([15, 45, 60, 90, 120, 150, 480].map(ru.duration),
                       ["15 мин", "45 мин", "1 ч", "1 ч 30 мин", "2 ч", "2 ч 30 мин", "8 ч"])
        XCTAssertEqual([15, 60, 90].map(en.duration), ["15 min", "1 h", "1 h 30 min"])
    }

    func testLeadTimes() {
        let ru = Renderer(language: .ru), en = Renderer(language: .en)
        XCTAssertEqual([1440, 120, 30, 60, 90, 2880, 10080, 1].map(ru.leadBefore),
                       ["за 24 часа", "за 2 часа", "за 30 минут", "за 1 час", "за 1 ч 30 мин", "за 2 дня", "за 7 дней",
                        "за 1 минуту"])
        XCTAssertEqual([1440, 120, 30, 60, 90, 2880, 1].map(en.leadBefore),
                       ["24 hours before", "2 hours before", "30 minutes before", "1 hour before", "1 h 30 min before",
                        "2 days before", "1 minute before"])
        // Time left before a start, rounded to 5 minutes from an hour on.
        XCTAssertEqual([120, 119, 122, 30, 1, 95, 60].map(ru.leadIn),
                       ["через 2 часа", "через 2 часа", "через 2 часа", "через 30 минут", "через 1 минуту",
                        "через 1 ч 35 мин", "через 1 час"])
        XCTAssertEqual([120, 30, 95].map(en.leadIn), ["in 2 hours", "in 30 minutes", "in 1 h 35 min"])
    }

    func testListPatterns() {
        let ru = Renderer(language: .ru), en = Renderer(language: .en)
        XCTAssertEqual(ru.list([]), "")
        XCTAssertEqual(ru.list(["a"]), "a")
        XCTAssertEqual(ru.list(["a", "b"]), "a и b")
        XCTAssertEqual(ru.list(["a", "b", "c"]), "a, b и c")
        XCTAssertEqual(ru.list(["a", "b", "c", "d"]), "a, b, c и d")
        XCTAssertEqual(en.list(["a", "b"]), "a and b")
        XCTAssertEqual(en.list(["a", "b", "c"]), "a, b, and c")
        XCTAssertEqual(en.list(["a", "b", "c", "d"]), "a, b, c, and d")
    }

    // MARK: Variants chosen by the values

    func testWelcomeBackShowsTheCountFromFiveOn() {
        XCTAssertFalse(Texts.text(.welcomeBack(name: "Anna", bookingCount: 4), in: .ru).contains("4"))
        XCTAssertFalse(Texts.text(.welcomeBack(name: "Anna", bookingCount: 0), in: .en).contains("0"))
        XCTAssertTrue(Texts.text(.welcomeBack(name: "Anna", bookingCount: 5), in: .ru).contains("уже 5 раз "))
        XCTAssertTrue(Texts.text(.welcomeBack(name: "Anna", bookingCount: 22), in: .ru).contains("уже 22 раза "))
        XCTAssertTrue(Texts.text(.welcomeBack(name: "Anna", bookingCount: 21), in: .ru).contains("уже 21 раз "))
        XCTAssertTrue(Texts.text(.welcomeBack(name: "Anna", bookingCount: 5), in: .en).contains("5 times"))
        XCTAssertTrue(Texts.text(.welcomeBack(name: "Anna", bookingCount: 5), in: .en).contains("Welcome back, Anna!"))
        XCTAssertTrue(Texts.text(.welcomeBack(name: " ", bookingCount: 1), in: .en).hasPrefix("👋 Welcome back!"))
        XCTAssertTrue(Texts.text(.welcomeNew(name: "", rules: rules()), in: .ru).hasPrefix("👋 Здравствуйте!\n"))
    }

    func testWelcomeNewIncludesHowItWorks() {
        for language in Language.allCases {
            let welcome = welcome(rules(), language)
            XCTAssertTrue(welcome.hasSuffix(Texts.text(.howItWorks(rules: rules()), in: language)))
            for colour in ["🟢", "🟡", "🔴", "⚫"] { XCTAssertTrue(welcome.contains(colour)) }
        }
    }

    func testFewLeftHintOnlyForOneOrTwo() {
        let date = Samples.day("2026-11-26")
        func slots(_ count: Int, _ language: Language) -> String {
            Texts.text(.daySlots(service: "Haircut", durationMinutes: 60, date: date, freeCount: count), in: language)
        }
        XCTAssertTrue(slots(1, .ru).contains("осталось мало: 1 вариант."))
        XCTAssertTrue(slots(2, .ru).contains("осталось мало: 2 варианта."))
        XCTAssertFalse(slots(3, .ru).contains("⏳"))
        XCTAssertTrue(slots(1, .en).contains("Only 1 time slot left."))
        XCTAssertTrue(slots(2, .en).contains("Only 2 time slots left."))
        XCTAssertFalse(slots(8, .en).contains("⏳"))
        XCTAssertEqual(slots(0, .ru), Texts.text(.noSlots(service: "Haircut", date: date), in: .ru))
        let booking = Samples.haircut
        XCTAssertTrue(Texts.text(.moveSlots(booking: booking, date: date, freeCount: 2), in: .ru).contains("⏳"))
        XCTAssertFalse(Texts.text(.moveSlots(booking: booking, date: date, freeCount: 0), in: .ru).contains("⏳"))
    }

    func testSlotTakenOffersTheFreeOnesOrAnotherDay() {
        let date = Samples.day("2026-11-26")
        XCTAssertTrue(Texts.text(.slotTaken(date: date, freeCount: 3), in: .ru).contains("вот что ещё свободно"))
        XCTAssertTrue(Texts.text(.slotTaken(date: date, freeCount: 0), in: .ru).contains("Выберите другой день"))
        XCTAssertTrue(Texts.text(.slotTaken(date: date, freeCount: 3), in: .en).contains("here are the free times"))
    }

    func testLimitReachedPointsToMyBookings() {
        for language in Language.allCases {
            let text = Texts.text(.limitReached(activeBookings: 3, limit: 3), in: language)
            XCTAssertTrue(text.contains(Texts.label(.myBookings, in: language)), text)
        }
        XCTAssertTrue(Texts.text(.limitReached(activeBookings: 5, limit: 5), in: .en).contains("(5)"))
    }

    func testBookedNamesTheRealReminders() {
        func booked(_ offsets: [Int], _ language: Language) -> String {
            Texts.text(.booked(booking: Samples.haircut, address: "", reminderOffsetsMinutes: offsets), in: language)
        }
        XCTAssertTrue(booked([1440, 120], .ru).contains("🔔 Я пришлю напоминания за 24 часа и за 2 часа до начала."))
        XCTAssertTrue(booked([120], .ru).contains("🔔 Я пришлю напоминание за 2 часа до начала."))
        XCTAssertTrue(booked([30], .en).contains("🔔 I’ll send you a reminder 30 minutes before the start."))
        XCTAssertTrue(booked([], .ru).contains("Напоминаний по этой записи не будет"))
        XCTAssertTrue(booked([], .en).contains("There will be no reminders for this booking"))
        XCTAssertNotEqual(booked([], .ru), booked([1440], .ru))
        let moved = Texts.text(.moved(service: "Haircut", from: Samples.at("2026-11-26", 14), to: Samples.at("2026-11-27", 9),
                                      reminderOffsetsMinutes: [120]), in: .ru)
        XCTAssertTrue(moved.contains("Было: четверг, 26 ноября, 14:00"))
        XCTAssertTrue(moved.contains("Стало: пятница, 27 ноября, 09:00"))
        XCTAssertTrue(moved.contains("за 2 часа"))
    }

    func testMyBookingsListsEachWithItsDayAndThePastCount() {
        let text = Texts.text(.myBookings(bookings: [Samples.haircut, Samples.massage], today: Samples.today, pastVisits: 4),
                              in: .ru)
        XCTAssertTrue(text.contains("1. Haircut\n📅 четверг, 26 ноября, 14:00 — завтра\n⏱ 1 ч 30 мин · 💰 1500 RUB"), text)
        XCTAssertTrue(text.contains("2. Massage\n📅 суббота, 28 ноября, 10:30 — через 3 дня\n⏱ 1 ч"), text)
        XCTAssertTrue(text.contains("Прошлых визитов: 4"))
        let today = Texts.text(.myBookings(bookings: [Samples.haircut], today: Samples.day("2026-11-26"), pastVisits: 0),
                               in: .en)
        XCTAssertTrue(today.contains("— today"))
        XCTAssertFalse(today.contains("Past visits"))
        XCTAssertEqual(Texts.text(.myBookings(bookings: [], today: Samples.today, pastVisits: 2), in: .en),
                       Texts.text(.myBookingsEmpty(pastVisits: 2), in: .en))
    }

    func testCancelRefusedSaysHowToReachTheBusiness() {
        let both = Texts.text(.cancelRefused(cutoffHours: 24, contact: Samples.contact), in: .ru)
        XCTAssertTrue(both.contains("+7 900 000-00-00") && both.contains("Tverskaya 1, Moscow"))
        let addressOnly = Texts.text(.moveRefused(cutoffHours: 24, contact: BusinessContact(address: "Main st 5")), in: .en)
        XCTAssertTrue(addressOnly.contains("Please contact us directly.\n📍 Main st 5"), addressOnly)
        XCTAssertTrue(Texts.text(.moveRefused(cutoffHours: 12, contact: Samples.contact), in: .ru).contains("меньше 12 часов"))
    }

    func testReminderFitsTheLeadTime() {
        let booking = Samples.haircut  // 26 Nov 14:00
        func reminder(_ minutesLeft: Int, today: String, canCancel: Bool = true, _ language: Language) -> String {
            Texts.text(.reminder(booking: booking, minutesLeft: minutesLeft, today: Samples.day(today), address: "Main st 5",
                                 canCancel: canCancel), in: language)
        }
        XCTAssertTrue(reminder(1440, today: "2026-11-25", .ru).contains("🕐 Завтра в 14:00"))
        XCTAssertTrue(reminder(1440, today: "2026-11-25", .en).contains("🕐 Tomorrow at 14:00"))
        XCTAssertTrue(reminder(120, today: "2026-11-26", .ru).contains("🕐 Начало через 2 часа, в 14:00"))
        XCTAssertTrue(reminder(120, today: "2026-11-26", .en).contains("🕐 Starts in 2 hours, at 14:00"))
        XCTAssertTrue(reminder(300, today: "2026-11-26", .ru).contains("🕐 Сегодня в 14:00"))
        XCTAssertTrue(reminder(2880, today: "2026-11-24", .ru).contains("📅 четверг, 26 ноября, 14:00"))
        XCTAssertTrue(reminder(120, today: "2026-11-26", .ru).contains("📍 Main st 5"))
        XCTAssertTrue(reminder(1440, today: "2026-11-25", canCancel: true, .ru).contains("отмените запись кнопкой ниже"))
        XCTAssertFalse(reminder(120, today: "2026-11-26", canCancel: false, .ru).contains("отмените"))
    }

    func testAdminNotificationsNameTheClient() {
        let withUsername = Texts.text(.adminNewBooking(client: Samples.client, booking: Samples.haircut), in: .ru)
        XCTAssertTrue(withUsername.contains("👤 Anna Smirnova (@anna_s)"))
        let nameless = Texts.text(.adminCancelled(client: ClientInfo(id: 77, name: "", username: "x"), booking: Samples.haircut,
                                                  reason: ""), in: .en)
        XCTAssertTrue(nameless.contains("👤 id 77 (@x)"))
        XCTAssertFalse(nameless.contains("Reason"))
        let plain = Texts.text(.adminMoved(client: ClientInfo(id: 5, name: "Bob", username: nil), service: "Haircut",
                                           from: Samples.at("2026-11-26", 14), to: Samples.at("2026-11-27", 9)), in: .en)
        XCTAssertTrue(plain.contains("👤 Bob\n"))
        XCTAssertTrue(plain.contains("Was: Thursday, 26 November, 14:00\nNow: Friday, 27 November, 09:00"))
    }

    func testAdminTypedValuesAreShownAsTheyAre() {
        // A value is never read as template syntax or a format.
        let name = "{service} 100% #1 {count, plural, one {x} other {y}}"
        let text = Texts.text(.serviceUnavailable(service: name), in: .en)
        XCTAssertTrue(text.contains("“\(name)”"), text)
        let label = Texts.label(.service(name: "%@ {name}", durationMinutes: 30, price: "#"), in: .ru)
        XCTAssertEqual(label, "%@ {name} · 30 мин · #")
    }
}
