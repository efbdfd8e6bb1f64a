import Booking
@testable import Conversation
import Foundation
import Texts

/// The world a fuzzed update meets: the deployment's settings, the moment, and the
/// facts the store could have read. Values stay within what the store and the settings
/// validation can hold (durations 15–480, a positive slot step, ids > 0), since the
/// store is not what is fuzzed here; `extreme` lets dates run to the calendar's ends.
struct Scenario {
    /// Thursday 3 December 2026, 10:00 in Moscow: the `now` of an all-zero header, and
    /// the moment the seeds' buttons were made.
    static let baseNow = Date(timeIntervalSince1970: 1_796_281_200)
    static let zones = ["Europe/Moscow", "Europe/Berlin", "America/New_York", "UTC", "Pacific/Apia",
                        "Australia/Lord_Howe", "Asia/Kathmandu", "America/Santiago"]
    static let names = ["Haircut", "Стрижка и укладка", "", "{name}", "{count, plural, one {x} other {y}}", "<b>&amp;</b>",
                        String(repeating: "Ж", count: 100), String(repeating: "👍🏽", count: 50), "a\u{0}b", "\u{202E}evil"]

    var settings: DialogueSettings
    var now: Date
    var facts: Facts
    /// Dates were drawn beyond any real calendar (the checks that need sane dates skip).
    var extreme: Bool

    var dialogue: Dialogue { Dialogue(settings: settings) }
    var clock: BusinessClock { settings.clock }

    /// Fixed settings and the plainest facts.
    static let plain: Scenario = {
        var input = FuzzInput(UnsafeRawBufferPointer(start: nil, count: 0))
        return Scenario(&input)
    }()

    init(_ input: inout FuzzInput) {
        let extreme = input.chance(4)
        let zone = TimeZone(identifier: input.pick(Self.zones))!
        let clock = BusinessClock(timeZone: zone)
        let settings = DialogueSettings(languageSetting: input.pick(["auto", "ru", "en"]), serviceLocation: input.pick(["Main St 1", "", Self.names[6]]),
                                    callbackTTL: Double(input.pick([48, 1, 0, 24 * 365])) * 3600, clock: clock)
        // Now: seconds around the base, from 2024 (the bot's buttons count their time from
        // then) to about four years on.
        let shift = input.chance(30) ? Double(input.int(-90_000_000...130_000_000)) : 0
        let now = Date(timeIntervalSince1970: Self.baseNow.timeIntervalSince1970 + shift)

        var hours: [Weekday: DayHours] = [:]
        for weekday in Weekday.allCases {
            switch input.int(0...3) {
            case 0: hours[weekday] = DayHours(openHour: 9, closeHour: 18)
            case 1: continue
            case 2: hours[weekday] = DayHours(open: 0, close: 1440)
            default:
                let open = input.int(0...1439)
                hours[weekday] = DayHours(open: open, close: input.int((open + 1)...1440))
            }
        }
        let rules = BookingRules(clock: clock, schedule: WorkSchedule(hours: hours), slotStepMinutes: input.pick([60, 30, 15, 5, 45, 90, 1440, 1]),
                                 horizonMonths: input.pick([3, 0, 1, 12, 24]), minNoticeMinutes: input.pick([60, 0, 30, 1440, 10_080]),
                                 maxActiveBookingsPerClient: input.int(1...100), cancellationCutoffHours: input.pick([24, 0, 2, 168]),
                                 rescheduleCutoffHours: input.pick([24, 0, 2, 168]),
                                 reminderOffsetsMinutes: (0..<input.int(0...3)).map { _ in input.pick([1440, 120, 30, 0, 10_080]) },
                                 feedbackHoursAfter: input.pick([2, 0, 24]))

        // A start near now (or anywhere, when extreme), on a whole minute.
        func start() -> Date {
            let seconds = extreme ? Double(input.anyInt()) : now.timeIntervalSince1970 + Double(input.int(-60 * 1440...200 * 1440)) * 60
            return Date(timeIntervalSince1970: (seconds / 60).rounded(.down) * 60)
        }
        func service() -> BookableService {
            BookableService(id: input.chance(70) ? Int64(input.int(1...3)) : Int64(input.int(1...Int(Int64.max))),
                            name: input.pick(Self.names), durationMinutes: input.pick([60, 15, 30, 90, 480, 45]),
                            price: input.pick(["1500 ₽", "", "from 40 €", Self.names[6]]), description: input.pick(["", Self.names[7]]),
                            bookable: !input.chance(15))
        }
        func booking(id: Int64? = nil) -> ClientBooking {
            ClientBooking(id: id ?? Int64(input.int(1...5)), service: service(), start: start(), durationMinutes: input.pick([60, 15, 480]))
        }
        func range() -> TimeRange { TimeRange(start: start(), minutes: input.int(1...2000)) }

        let services = (0..<input.int(0...4)).map { _ in service() }
        let upcoming = (0..<input.int(0...25)).map { index in booking(id: Int64(index + 1)) }.sorted { $0.start < $1.start }
        var facts = Facts(isNewUser: input.bool(), bookingsMade: input.int(0...10_000), rules: rules,
                          serviceLocation: input.chance(20) ? input.pick(Self.names) : nil, services: services,
                          service: input.chance(80) ? (services.first ?? service()) : (input.bool() ? nil : service()),
                          upcoming: upcoming, pastVisits: input.int(0...10_000),
                          booking: input.chance(70) ? (upcoming.first ?? booking()) : (input.bool() ? nil : booking()),
                          occupancy: Occupancy(bookings: (0..<input.int(0...6)).map { _ in range() },
                                               blocks: (0..<input.int(0...3)).map { _ in range() }))
        switch input.int(0...9) {
        case 3: facts.outcome = .booked(booking())
        case 4: facts.outcome = .cancelled(booking())
        case 5: facts.outcome = .moved(from: booking(), to: booking())
        case 6: facts.outcome = .refused(input.pick(BookingRefusal.allCases))
        case 7: facts.outcome = .notFound
        case 8: facts.outcome = .rated(input.pick([.saved, .alreadyReviewed, .notYet, .notFound]))
        case 9: facts.outcome = .commented(input.bool())
        default: facts.outcome = nil
        }
        self.facts = facts
        self.settings = settings
        self.now = now
        self.extreme = extreme
    }
}
