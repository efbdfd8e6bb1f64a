import Booking
import Foundation
import Texts

/// Booking (SPEC client 4): service → month → day's times → confirm → booked, every
/// screen edited in place with Back and Cancel, every refusal its own message with the
/// flow kept alive. The store checks everything again at the confirm.
public struct BookingFlow: Flow {
    public enum Action: FlowAction {
        /// "Book now" under the welcome: the list goes below it, which stays as it was.
        case bookNow
        /// The list of services (step 1; also "Back" from the calendar).
        case services
        case pickService(service: Int64)
        /// The month view for a service; `month` is a `MonthIndex`.
        case month(service: Int64, month: Int)
        case day(service: Int64, day: Int)
        /// A start, as a `MinuteStamp`.
        case slot(service: Int64, start: Int)
        case confirm(service: Int64, start: Int)

        public static let flow: FlowID = "b"
        public static let shapes: [String: [ButtonField]] = [
            "bn": [], "sl": [], "s": [.id], "c": [.id, .month], "d": [.id, .day], "t": [.id, .start], "k": [.id, .start],
        ]

        public var encoded: ButtonCode {
            switch self {
            case .bookNow: return ButtonCode("bn")
            case .services: return ButtonCode("sl")
            case .pickService(let service): return ButtonCode("s", [Int(service)])
            case .month(let service, let month): return ButtonCode("c", [Int(service), month])
            case .day(let service, let day): return ButtonCode("d", [Int(service), day])
            case .slot(let service, let start): return ButtonCode("t", [Int(service), start])
            case .confirm(let service, let start): return ButtonCode("k", [Int(service), start])
            }
        }

        public init?(code: String, numbers n: [Int]) {
            switch (code, n.count) {
            case ("bn", 0): self = .bookNow
            case ("sl", 0): self = .services
            case ("s", 1): self = .pickService(service: Int64(n[0]))
            case ("c", 2): self = .month(service: Int64(n[0]), month: n[1])
            case ("d", 2): self = .day(service: Int64(n[0]), day: n[1])
            case ("t", 2): self = .slot(service: Int64(n[0]), start: n[1])
            case ("k", 2): self = .confirm(service: Int64(n[0]), start: n[1])
            default: return nil
            }
        }
    }

    public struct Query: FlowQuery {
        var services = false
        var service: Int64?
        /// The person's upcoming bookings (the n/limit counter).
        var bookingsOf: Int64?
        var days: DaysQuery?

        public func read(from store: any StoreReads) throws -> Result {
            Result(services: services ? try store.bookableServices() : [],
                   service: try service.flatMap(store.service),
                   upcoming: try bookingsOf.map(store.upcomingBookings) ?? [],
                   occupancy: try days?.read(from: store) ?? .empty)
        }

        public struct Result: Sendable {
            var services: [BookableService]
            var service: BookableService?
            var upcoming: [ClientBooking]
            var occupancy: Occupancy
        }
    }

    /// The booking, as the store decides at commit time.
    public struct Book: FlowChange {
        var service: Int64
        var start: Date
        var client: Int64
        public func audit(of outcome: Outcome?) -> AuditAction? { nil }
        public func apply(to store: any StoreChanges, by actor: ChangeActor) throws -> ChangeResult<ClientBooking> {
            try store.book(service: service, start: start, client: client, by: actor)
        }
    }

    public init() {}

    public func plan(_ event: Event<Action>, state: NoState?, in context: Context) -> Plan<Query, Book> {
        let person = context.person.id
        guard case .pressed(let action, _) = event else { return Plan(query: Query(services: true, bookingsOf: person)) }
        let clock = context.clock
        switch action {
        case .bookNow, .services:
            return Plan(query: Query(services: true, bookingsOf: person))
        case .pickService(let service):
            return Plan(query: Query(service: service, days: .month(MonthIndex.of(context.today))))
        case .month(let service, let month):
            return Plan(query: Query(service: service, days: .month(month)))
        case .day(let service, let day):
            return Plan(query: Query(service: service, days: .day(LocalDate(dayNumber: day))))
        case .slot(let service, let start):
            return Plan(query: Query(service: service, bookingsOf: person, days: .day(ofStart: start, clock: clock)))
        case .confirm(let service, let start):
            return Plan(query: Query(service: service, bookingsOf: person, days: .day(ofStart: start, clock: clock)),
                        change: Book(service: service, start: MinuteStamp.date(start), client: person))
        }
    }

    public func respond(_ event: Event<Action>, state: NoState?, read: Query.Result, outcome: ChangeResult<ClientBooking>?,
                        in context: Context) -> Reply<NoState> {
        let screens = Screens(context: context, read: read)
        guard case .pressed(let action, let entry) = event else { return screens.serviceList(entry: nil) }
        switch action {
        case .bookNow: return screens.serviceList(entry: Entry(messageID: nil))
        case .services: return screens.serviceList(entry: entry)
        case .pickService(let service): return screens.calendar(service: service, month: MonthIndex.of(context.today), entry: entry)
        case .month(let service, let month): return screens.calendar(service: service, month: month, entry: entry)
        case .day(let service, let day): return screens.daySlots(service: service, date: LocalDate(dayNumber: day), entry: entry)
        case .slot(let service, let start): return screens.confirmation(service: service, start: MinuteStamp.date(start), entry: entry)
        case .confirm(let service, let start):
            return screens.outcome(outcome, service: service, start: MinuteStamp.date(start), entry: entry)
        }
    }

    private struct Screens {
        let context: Context
        let read: Query.Result
        var say: Speaker { context.say }
        var calendar: CalendarScreens { CalendarScreens(context: context, occupancy: read.occupancy, activeBookings: read.upcoming.count) }

        func serviceList(entry: Entry?) -> Reply<NoState> {
            let active = read.upcoming.count
            let limit = context.rules.maxActiveBookingsPerClient
            if read.services.isEmpty {
                guard entry != nil else { return context.idle([say.menu(.noServices)]) }
                return context.show(.noServices, buttons: [], entry: entry, next: .close)
            }
            // Said at once rather than after three screens; the confirm step checks it again.
            if active >= limit {
                return context.show(.limitReached(activeBookings: active, limit: limit),
                                    buttons: [[calendar.myBookingsButton], [calendar.cancelButton]], entry: entry, next: .open(NoState()))
            }
            let buttons = read.services.map { service in
                [say.button(.service(name: service.name, durationMinutes: service.durationMinutes, price: service.price),
                            Action.pickService(service: service.id))]
            }
            // The first screen has nothing to go back to: Cancel is its way out.
            return context.show(.chooseService(activeBookings: active, limit: limit), buttons: buttons + [[calendar.cancelButton]],
                                entry: entry, next: .open(NoState()))
        }

        func calendar(service id: Int64, month index: Int, entry: Entry) -> Reply<NoState> {
            guard let service = bookable(id) else { return unavailable(id, entry: entry) }
            if let alert = calendar.monthRefusal(index) { return context.alertOnly(alert) }
            guard let first = MonthIndex.firstDay(index) else { return context.alertOnly(.invalidButton) }
            let grid = calendar.monthGrid(month: first, durationMinutes: service.durationMinutes, buttons: .booking(id, say))
            return context.show(.calendar(service: service.name, durationMinutes: service.durationMinutes, month: first),
                                buttons: grid + [[say.button(.back, Action.services), calendar.cancelButton]], entry: entry,
                                next: .open(NoState()))
        }

        func daySlots(service id: Int64, date: LocalDate, entry: Entry) -> Reply<NoState> {
            guard let service = bookable(id) else { return unavailable(id, entry: entry) }
            if let alert = calendar.dayRefusal(date, durationMinutes: service.durationMinutes) { return context.alertOnly(alert) }
            let starts = calendar.freeStarts(on: date, durationMinutes: service.durationMinutes)
            let buttons = CalendarButtons.booking(id, say)
            return context.show(.daySlots(service: service.name, durationMinutes: service.durationMinutes, date: date, freeCount: starts.count),
                                buttons: calendar.slotButtons(starts, buttons)
                                    + [[buttons.month(.back, MonthIndex.of(date)), calendar.cancelButton]],
                                entry: entry, next: .open(NoState()))
        }

        /// Step 4, after the same checks the confirm will make, so a forged or stale time is
        /// refused here already.
        func confirmation(service id: Int64, start: Date, entry: Entry) -> Reply<NoState> {
            guard let service = bookable(id) else { return unavailable(id, entry: entry) }
            let request = SlotRequest(start: start, durationMinutes: service.durationMinutes, serviceActive: service.bookable)
            if let refusal = context.rules.refusal(for: .book(request, activeBookings: read.upcoming.count), by: .client, now: context.now,
                                                   occupancy: read.occupancy) {
                return calendar.refused(refusal, start: start, durationMinutes: service.durationMinutes, service: service,
                                        buttons: .booking(id, say), entry: entry)
            }
            let date = context.clock.localDate(of: start)
            return context.show(.confirmBooking(service: service.name, start: say.local(start), durationMinutes: service.durationMinutes,
                                                price: service.price),
                                buttons: [[say.button(.confirm, Action.confirm(service: id, start: MinuteStamp.of(start)))],
                                          [say.button(.back, Action.day(service: id, day: date.dayNumber)), calendar.cancelButton]],
                                entry: entry, next: .open(NoState()))
        }

        /// Step 5: what the store decided at commit time.
        func outcome(_ outcome: ChangeResult<ClientBooking>?, service id: Int64, start: Date, entry: Entry) -> Reply<NoState> {
            switch outcome {
            case .done(let booking)?:
                let summary = say.summary(booking)
                return context.show(.booked(booking: summary, address: context.address,
                                            reminderOffsetsMinutes: calendar.reminderOffsets(start: booking.start)),
                                    buttons: [[calendar.myBookingsButton]], entry: entry, alert: .booked, next: .close,
                                    effects: [.notifyStaff(.newBooking, .adminNewBooking(client: context.client, booking: summary))])
            case .refused(let refusal)?:
                return calendar.refused(refusal, start: start, durationMinutes: read.service?.durationMinutes ?? 0, service: read.service,
                                        buttons: .booking(id, say), entry: entry)
            case .notFound?, nil:
                return context.alertOnly(.invalidButton)
            }
        }

        /// The service a button names, when it can be booked.
        private func bookable(_ id: Int64) -> BookableService? {
            guard let service = read.service, service.id == id, service.bookable else { return nil }
            return service
        }

        /// A service that went (deactivated or archived) since its button was made, or an id
        /// that never existed (forged: only an alert).
        private func unavailable(_ id: Int64, entry: Entry) -> Reply<NoState> {
            guard let service = read.service, service.id == id else { return context.alertOnly(.invalidButton) }
            return calendar.refused(.notActive, start: context.now, durationMinutes: service.durationMinutes, service: service,
                                    buttons: .booking(id, say), entry: entry)
        }
    }
}
