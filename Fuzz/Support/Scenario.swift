import Booking
@testable import Conversation
import Foundation
import Texts

/// The world a fuzzed update meets: the deployment's settings, the moment, the person's
/// role, and what the store holds and will decide. Values stay within what the store and
/// the settings validation can hold (durations 15–480, a positive slot step, ids > 0),
/// since the store is not what is fuzzed here; `extreme` lets dates run to the calendar's
/// ends.
struct Scenario {
    /// Thursday 3 December 2026, 10:00 in Moscow: the `now` of an all-zero header, and
    /// the moment the seeds' buttons were made.
    static let baseNow = Date(timeIntervalSince1970: 1_796_281_200)
    static let zones = ["Europe/Moscow", "Europe/Berlin", "America/New_York", "UTC", "Pacific/Apia",
                        "Australia/Lord_Howe", "Asia/Kathmandu", "America/Santiago"]
    static let names = ["Haircut", "Стрижка и укладка", "", "{name}", "{count, plural, one {x} other {y}}", "<b>&amp;</b>",
                        String(repeating: "Ж", count: 100), String(repeating: "👍🏽", count: 50), "a\u{0}b", "\u{202E}evil"]

    var settings: ConversationSettings
    var now: Date
    var rules: BookingRules
    /// The role of whoever sends the update (read at the start of its transaction).
    var role: Role
    var isNewUser: Bool
    var storedAddress: String?
    var store: StoreWorld
    /// Dates were drawn beyond any real calendar.
    var extreme: Bool

    var router: Router { Router(settings: settings) }
    var clock: BusinessClock { settings.clock }
    var today: Int { clock.localDate(of: now).dayNumber }

    func situation(for person: Person) -> Situation {
        Situation(now: now, person: person, role: role, rules: rules, storedAddress: storedAddress, isNewUser: isNewUser)
    }

    /// Fixed settings, a client, and the plainest store.
    static let plain: Scenario = {
        var input = FuzzInput(UnsafeRawBufferPointer(start: nil, count: 0))
        return Scenario(&input)
    }()

    /// The first byte is the role (seeds set it): 0 a client, 1 a moderator, 2 a super admin.
    init(_ input: inout FuzzInput) {
        let role = Role.allCases[Int(input.byte()) % Role.allCases.count]
        let extreme = input.chance(4)
        let zone = TimeZone(identifier: input.pick(Self.zones))!
        let clock = BusinessClock(timeZone: zone)
        let settings = ConversationSettings(languageSetting: input.pick(["auto", "ru", "en"]), serviceLocation: input.pick(["Main St 1", "", Self.names[6]]),
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
        func service(id: Int64) -> BookableService {
            BookableService(id: input.chance(70) ? id : Int64(input.int(1...Int(Int64.max))),
                            name: input.pick(Self.names), durationMinutes: input.pick([60, 15, 30, 90, 480, 45]),
                            price: input.pick(["1500 ₽", "", "from 40 €", Self.names[6]]), description: input.pick(["", Self.names[7]]),
                            bookable: !input.chance(15))
        }
        func booking(id: Int64? = nil) -> ClientBooking {
            ClientBooking(id: id ?? Int64(input.int(1...5)), service: service(id: Int64(input.int(1...3))), start: start(),
                          durationMinutes: input.pick([60, 15, 480]))
        }
        func range() -> TimeRange { TimeRange(start: start(), minutes: input.int(1...2000)) }
        func result<Value>(_ done: () -> Value) -> ChangeResult<Value> {
            switch input.int(0...3) {
            case 0: return .done(done())
            case 1: return .refused(input.pick(BookingRefusal.allCases))
            default: return .notFound
            }
        }

        var store = StoreWorld()
        store.services = (0..<input.int(0...4)).map { index in service(id: Int64(index + 1)) }
        store.bookings = (0..<input.int(0...25)).map { index in booking(id: Int64(index + 1)) }.sorted { $0.start < $1.start }
        store.started = input.chance(30) ? booking() : nil
        store.bookingsMade = input.int(0...10_000)
        store.pastVisits = input.int(0...10_000)
        store.occupancy = Occupancy(bookings: (0..<input.int(0...6)).map { _ in range() }, blocks: (0..<input.int(0...3)).map { _ in range() })
        store.roleAtCommit = input.chance(10) ? input.pick(Role.allCases) : role
        store.booked = result { booking() }
        store.cancelled = result { booking() }
        store.moved = result { BookingMove(from: booking(), to: booking()) }
        store.rating = input.pick([.saved, .alreadyReviewed, .notYet, .notFound])
        store.commentKept = !input.chance(20)

        self.settings = settings
        self.now = now
        self.rules = rules
        self.role = role
        self.isNewUser = input.bool()
        self.storedAddress = input.chance(20) ? input.pick(Self.names) : nil
        self.store = store
        self.extreme = extreme
    }
}

/// What the store holds for one fuzzed update, and what it decides on each change.
struct StoreWorld {
    var bookingsMade = 0
    var services: [BookableService] = []
    /// The person's upcoming confirmed bookings, soonest first.
    var bookings: [ClientBooking] = []
    /// A confirmed booking of the person not among the upcoming ones (it started).
    var started: ClientBooking?
    var pastVisits = 0
    var occupancy: Occupancy = .empty
    /// The role the change runner reads at commit.
    var roleAtCommit: Role = .client
    var booked: ChangeResult<ClientBooking> = .notFound
    var cancelled: ChangeResult<ClientBooking> = .notFound
    var moved: ChangeResult<BookingMove> = .notFound
    var rating: RatingOutcome = .notFound
    var commentKept = false
}
