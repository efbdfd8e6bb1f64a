import Booking
import Foundation
import XCTest
@testable import Texts

/// One sample of every message, button and alert, with ordinary values, plus the source
/// scan that proves the samples cover every case (a new case without a sample fails).
enum Samples {
    static func day(_ text: String) -> LocalDate { LocalDate(text)! }
    static func at(_ date: String, _ hour: Int, _ minute: Int = 0) -> LocalDateTime {
        LocalDateTime(date: day(date), minuteOfDay: hour * 60 + minute)
    }

    static let today = day("2026-11-25")
    static let rules = ClientRules(bookingLimit: 3, cancellationHours: 24, rescheduleHours: 24,
                                   reminderOffsetsMinutes: [1440, 120], minNoticeMinutes: 60)
    static let contact = BusinessContact(address: "Tverskaya 1, Moscow", contact: "+7 900 000-00-00")
    static let haircut = BookingSummary(service: "Haircut", start: at("2026-11-26", 14), durationMinutes: 90, price: "1500 RUB")
    static let massage = BookingSummary(service: "Massage", start: at("2026-11-28", 10, 30), durationMinutes: 60, price: "")
    static let client = ClientInfo(id: 123_456_789, name: "Anna Smirnova", username: "anna_s")
    static let schedule = WorkSchedule(hours: [
        .monday: DayHours(openHour: 9, closeHour: 18)!, .tuesday: DayHours(openHour: 9, closeHour: 18)!,
        .wednesday: DayHours(openHour: 9, closeHour: 18)!, .thursday: DayHours(openHour: 9, closeHour: 18)!,
        .friday: DayHours(openHour: 9, closeHour: 18)!, .saturday: DayHours(open: 600, close: 930)!,
    ])
    static let services = [
        ServiceInfo(name: "Haircut", durationMinutes: 90, price: "1500 RUB", description: "Wash, cut and styling."),
        ServiceInfo(name: "Massage", durationMinutes: 60, price: "", description: ""),
    ]
    static let about = AboutInfo(services: services, contact: contact, schedule: schedule, rules: rules)

    /// Every `Message` case at least once (some twice, for their other template).
    static let messages: [Message] = [
        .welcomeNew(name: "Anna", rules: rules),
        .welcomeNew(name: "", rules: rules),
        .howItWorks(rules: rules),
        .welcomeBack(name: "Anna", bookingCount: 2),
        .welcomeBack(name: "Anna", bookingCount: 7),
        .mainMenu,
        .help,
        .about(about),
        .chooseService(activeBookings: 1, limit: 3),
        .noServices,
        .calendar(service: "Haircut", durationMinutes: 90, month: day("2026-11-01")),
        .legend,
        .daySlots(service: "Haircut", durationMinutes: 90, date: day("2026-11-26"), freeCount: 5),
        .daySlots(service: "Haircut", durationMinutes: 90, date: day("2026-11-26"), freeCount: 2),
        .noSlots(service: "Haircut", date: day("2026-11-26")),
        .confirmBooking(service: "Haircut", start: at("2026-11-26", 14), durationMinutes: 90, price: "1500 RUB"),
        .booked(booking: haircut, address: contact.address, reminderOffsetsMinutes: [1440, 120]),
        .booked(booking: massage, address: "", reminderOffsetsMinutes: []),
        .slotTaken(date: day("2026-11-26"), freeCount: 3),
        .slotTaken(date: day("2026-11-26"), freeCount: 0),
        .limitReached(activeBookings: 3, limit: 3),
        .serviceUnavailable(service: "Haircut"),
        .inPast,
        .tooSoon(noticeMinutes: 60),
        .outsideHours,
        .notAligned,
        .beyondHorizon(lastDay: day("2027-02-28")),
        .overlapsBlock,
        .bookingNotFound,
        .myBookings(bookings: [haircut, massage], today: today, pastVisits: 4),
        .myBookingsEmpty(pastVisits: 0),
        .myBookingsEmpty(pastVisits: 2),
        .cancelQuestion(booking: haircut),
        .cancelled(booking: haircut),
        .cancelRefused(cutoffHours: 24, contact: contact),
        .cancelRefused(cutoffHours: 24, contact: BusinessContact(address: "")),
        .moveCalendar(booking: haircut, month: day("2026-12-01")),
        .moveSlots(booking: haircut, date: day("2026-12-02"), freeCount: 4),
        .moveSlots(booking: haircut, date: day("2026-12-02"), freeCount: 0),
        .confirmMove(booking: haircut, newStart: at("2026-12-02", 11)),
        .moved(service: "Haircut", from: at("2026-11-26", 14), to: at("2026-12-02", 11), reminderOffsetsMinutes: [1440, 120]),
        .moveRefused(cutoffHours: 12, contact: contact),
        .flowCancelled,
        .nothingToCancel, .noAccess, .superAdminsOnly, .flowReset,
        .unknownInput,
        .staleButton,
        .invalidButton,
        .pleaseWait,
        .somethingWentWrong,
        .reminder(booking: haircut, minutesLeft: 1440, today: today, address: contact.address, canCancel: true),
        .reminder(booking: haircut, minutesLeft: 120, today: day("2026-11-26"), address: "", canCancel: false),
        .reviewRequest(service: "Haircut", date: day("2026-11-26")),
        .askReviewComment(stars: 5),
        .reviewThanks,
        .cancelledByBusiness(booking: haircut, reason: "The specialist is ill"),
        .cancelledByBlock(booking: haircut, reason: "Closed for a holiday"),
        .movedByBusiness(service: "Haircut", from: at("2026-11-26", 14), to: at("2026-11-26", 16), reason: ""),
        .adminNewBooking(client: client, booking: haircut),
        .adminCancelled(client: client, booking: haircut, reason: "Cancelled by the client"),
        .adminMoved(client: ClientInfo(id: 42, name: ""), service: "Haircut", from: at("2026-11-26", 14), to: at("2026-11-27", 9)),
        .shiftedByBusiness(moves: [MovedTime(service: "Haircut", from: at("2026-11-26", 14), to: at("2026-11-26", 15)),
                                   MovedTime(service: "Trim", from: at("2026-11-26", 16), to: at("2026-11-26", 17))]),
        .serviceChangedByBusiness(from: "Haircut", to: "Trim", starts: [at("2026-11-26", 14)]),
        .staffAccessChanged(.added(superAdmin: false)),
        .staffAccessChanged(.roleChanged(superAdmin: true)),
        .staffAccessChanged(.removed),
    ]

    static let buttons: [Button] = [
        .book, .myBookings, .about, .staffMenu, .howItWorks, .bookNow, .back, .cancel, .confirm, .mainMenu,
        .cancelBooking, .move, .cancelBookingAt(at("2026-11-26", 14)), .moveBookingAt(at("2026-11-26", 14)),
        .yesCancel, .noKeep, .previousMonth, .nextMonth, .monthTitle(day("2026-11-01")), .weekday(.wednesday),
        .emptyDay, .day(25, .allFree), .day(26, .someFree), .day(27, .full), .day(28, .unavailable),
        .service(name: "Haircut", durationMinutes: 90, price: "1500 RUB"),
        .service(name: "Massage", durationMinutes: 60, price: ""),
        .slot(minuteOfDay: 14 * 60), .otherDay, .stars(4), .skipComment,
    ]

    static let alerts: [Alert] = [
        .noAccess, .staleButton, .invalidButton, .pleaseWait, .somethingWentWrong, .dayFull, .dayUnavailable,
        .monthBeforeRange, .monthBeyondHorizon, .slotTaken, .limitReached(limit: 3), .booked, .cancelled,
        .moved, .flowCancelled, .ratingSaved(stars: 5), .alreadyReviewed, .reviewTooEarly, .bookingNotFound,
    ]

    /// Labels that are the same in every language on purpose: symbols, numbers, a month
    /// view's blank cell, and formats of values with no words.
    static func isLanguageNeutral(_ button: Button) -> Bool {
        switch button {
        case .previousMonth, .nextMonth, .emptyDay, .day, .slot, .stars: return true
        default: return false
        }
    }

    /// The name of an enum value's case: "welcomeNew" for `.welcomeNew(name:rules:)`.
    static func caseName(_ value: Any) -> String {
        if let label = Mirror(reflecting: value).children.first?.label { return label }
        return String(describing: value)
    }

    /// The case names declared in one of the module's source files, read from the source
    /// so that adding a case without adding a sample fails the coverage test.
    static func declaredCases(in file: String) throws -> Set<String> {
        let testFile = URL(fileURLWithPath: #filePath)
        let source = testFile.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/Texts/Client/\(file)")
        let text = try String(contentsOf: source, encoding: .utf8)
        var names: Set<String> = []
        for line in text.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("case ") else { continue }
            // "case a, b(c: Int), d" — names are the identifiers starting each item.
            var depth = 0
            var item = ""
            var items: [String] = []
            for character in trimmed.dropFirst(5) {
                if character == "(" { depth += 1 } else if character == ")" { depth -= 1 }
                if character == "," && depth == 0 {
                    items.append(item)
                    item = ""
                } else if depth == 0 && character != ")" {
                    item.append(character)
                }
            }
            items.append(item)
            for item in items {
                let name = item.trimmingCharacters(in: .whitespaces).prefix { $0.isLetter || $0.isNumber }
                if !name.isEmpty { names.insert(String(name)) }
            }
        }
        return names
    }
}
