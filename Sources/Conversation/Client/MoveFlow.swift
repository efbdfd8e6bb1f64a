import Booking
import Foundation
import Texts

/// Moving a booking (SPEC client 7): the calendar and times for the booking's own
/// length; allowed only while the cut-off has not passed, checked at every screen and
/// again by the store, which frees the old time and takes the new one atomically.
public struct MoveFlow: Flow {
    public enum Action: FlowAction {
        case start(booking: Int64)
        case month(booking: Int64, month: Int)
        case day(booking: Int64, day: Int)
        case slot(booking: Int64, start: Int)
        case confirm(booking: Int64, start: Int)

        public static let flow: FlowID = "v"
        public static let shapes: [String: [ButtonField]] = [
            "mv": [.id], "mc": [.id, .month], "md": [.id, .day], "mt": [.id, .start], "mk": [.id, .start],
        ]

        public var encoded: ButtonCode {
            switch self {
            case .start(let booking): return ButtonCode("mv", [Int(booking)])
            case .month(let booking, let month): return ButtonCode("mc", [Int(booking), month])
            case .day(let booking, let day): return ButtonCode("md", [Int(booking), day])
            case .slot(let booking, let start): return ButtonCode("mt", [Int(booking), start])
            case .confirm(let booking, let start): return ButtonCode("mk", [Int(booking), start])
            }
        }

        public init?(code: String, numbers n: [Int]) {
            switch (code, n.count) {
            case ("mv", 1): self = .start(booking: Int64(n[0]))
            case ("mc", 2): self = .month(booking: Int64(n[0]), month: n[1])
            case ("md", 2): self = .day(booking: Int64(n[0]), day: n[1])
            case ("mt", 2): self = .slot(booking: Int64(n[0]), start: n[1])
            case ("mk", 2): self = .confirm(booking: Int64(n[0]), start: n[1])
            default: return nil
            }
        }

        var booking: Int64 {
            switch self {
            case .start(let booking), .month(let booking, _), .day(let booking, _), .slot(let booking, _), .confirm(let booking, _):
                return booking
            }
        }
    }

    public struct Query: FlowQuery {
        var booking: Int64?
        var person: Int64
        var days: DaysQuery?

        public func read(from store: any StoreReads) throws -> Result {
            Result(booking: try booking.flatMap { try store.confirmedBooking($0, of: person) },
                   occupancy: try days?.read(from: store) ?? .empty)
        }

        public struct Result: Sendable {
            var booking: ClientBooking?
            var occupancy: Occupancy
        }
    }

    /// The client moving their own booking.
    public struct Move: FlowChange {
        var booking: Int64
        var start: Date
        public func audit(of outcome: Outcome?) -> AuditAction? { nil }
        public func apply(to store: any StoreChanges, by actor: ChangeActor) throws -> ChangeResult<BookingMove> {
            try store.move(booking: booking, to: start, by: actor)
        }
    }

    public init() {}

    public func plan(_ event: Event<Action>, state: NoState?, in context: Context) -> Plan<Query, Move> {
        guard case .pressed(let action, _) = event else { return Plan(query: Query(person: context.person.id)) }
        let days: DaysQuery?
        var change: Move?
        switch action {
        case .start: days = .month(MonthIndex.of(context.today))
        case .month(_, let month): days = .month(month)
        case .day(_, let day): days = .day(LocalDate(dayNumber: day))
        case .slot(_, let start): days = .day(ofStart: start, clock: context.clock)
        case .confirm(let booking, let start):
            days = .day(ofStart: start, clock: context.clock)
            change = Move(booking: booking, start: MinuteStamp.date(start))
        }
        return Plan(query: Query(booking: action.booking, person: context.person.id, days: days?.excluding(action.booking)), change: change)
    }

    public func respond(_ event: Event<Action>, state: NoState?, read: Query.Result, outcome: ChangeResult<BookingMove>?,
                        in context: Context) -> Reply<NoState> {
        let screens = CalendarScreens(context: context, occupancy: read.occupancy)
        guard case .pressed(let action, let entry) = event else { return context.keep([context.say.menu(.unknownInput)]) }
        let say = context.say
        if case .confirm = action, case .done(let move)? = outcome {
            let (before, after) = (say.local(move.from.start), say.local(move.to.start))
            return context.show(.moved(service: move.to.service.name, from: before, to: after,
                                       reminderOffsetsMinutes: screens.reminderOffsets(start: move.to.start)),
                                buttons: [[screens.myBookingsButton]], entry: entry, alert: .moved, next: .close,
                                effects: [.notifyStaff(.move, .adminMoved(client: context.client, service: move.to.service.name,
                                                                    from: before, to: after))])
        }
        guard let booking = read.booking else { return screens.bookingNotFound(entry: entry) }
        let buttons = CalendarButtons.moving(booking.id, say)
        switch action {
        case .start, .month:
            if tooLate(booking, context) { return screens.moveRefused(entry: entry) }
            var index = MonthIndex.of(context.today)
            if case .month(_, let month) = action { index = month }
            if let alert = screens.monthRefusal(index) { return context.alertOnly(alert) }
            guard let first = MonthIndex.firstDay(index) else { return context.alertOnly(.invalidButton) }
            let grid = screens.monthGrid(month: first, durationMinutes: booking.durationMinutes, buttons: buttons)
            return context.show(.moveCalendar(booking: say.summary(booking), month: first),
                                buttons: grid + [[say.button(.back, MyBookingsFlow.Action.list), screens.cancelButton]], entry: entry,
                                next: .open(NoState()))
        case .day(_, let day):
            if tooLate(booking, context) { return screens.moveRefused(entry: entry) }
            let date = LocalDate(dayNumber: day)
            if let alert = screens.dayRefusal(date, durationMinutes: booking.durationMinutes) { return context.alertOnly(alert) }
            let starts = screens.freeStarts(on: date, durationMinutes: booking.durationMinutes)
            return context.show(.moveSlots(booking: say.summary(booking), date: date, freeCount: starts.count),
                                buttons: screens.slotButtons(starts, buttons) + [[buttons.month(.back, MonthIndex.of(date)), screens.cancelButton]],
                                entry: entry, next: .open(NoState()))
        case .slot(_, let minutes):
            let start = MinuteStamp.date(minutes)
            let request = SlotRequest(start: start, durationMinutes: booking.durationMinutes, serviceActive: booking.service.bookable)
            if let refusal = context.rules.refusal(for: .move(request, currentStart: booking.start), by: .client, now: context.now,
                                                   occupancy: read.occupancy) {
                return self.refusal(refusal, booking: booking, start: start, entry: entry, screens: screens)
            }
            let date = context.clock.localDate(of: start)
            return context.show(.confirmMove(booking: say.summary(booking), newStart: say.local(start)),
                                buttons: [[say.button(.confirm, Action.confirm(booking: booking.id, start: minutes))],
                                          [say.button(.back, Action.day(booking: booking.id, day: date.dayNumber)), screens.cancelButton]],
                                entry: entry, next: .open(NoState()))
        case .confirm(_, let minutes):
            switch outcome {
            case .refused(let refusal)?:
                return self.refusal(refusal, booking: booking, start: MinuteStamp.date(minutes), entry: entry, screens: screens)
            default:
                return screens.bookingNotFound(entry: entry)
            }
        }
    }

    private func refusal(_ refusal: BookingRefusal, booking: ClientBooking, start: Date, entry: Entry,
                         screens: CalendarScreens) -> Reply<NoState> {
        let context = screens.context
        // The visit itself has begun (or the cut-off passed): moving is over, whatever the
        // new time.
        if tooLate(booking, context) { return screens.moveRefused(entry: entry) }
        if refusal == .notActive {
            return context.show(.serviceUnavailable(service: booking.service.name), buttons: [[screens.myBookingsButton]],
                                entry: entry, next: .close)
        }
        return screens.refused(refusal, start: start, durationMinutes: booking.durationMinutes, service: booking.service,
                               buttons: .moving(booking.id, context.say), entry: entry)
    }

    /// The rules' own answer for moving this booking at all (its start has passed, or the
    /// cut-off has).
    private func tooLate(_ booking: ClientBooking, _ context: Context) -> Bool {
        let itself = SlotRequest(start: booking.start, durationMinutes: booking.durationMinutes, serviceActive: true)
        let refusal = context.rules.refusal(for: .move(itself, currentStart: booking.start), by: .client, now: context.now, occupancy: .empty)
        return refusal == .inPast || refusal == .rescheduleCutoff
    }
}
