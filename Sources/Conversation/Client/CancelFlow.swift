import Booking
import Foundation
import Texts

/// Cancelling a booking (SPEC client 6): a question first; allowed only while the cut-off
/// has not passed, checked when the question opens and again by the store at the press.
public struct CancelFlow: Flow {
    public enum Action: FlowAction {
        case ask(booking: Int64)
        case confirm(booking: Int64)

        public static let flow: FlowID = "c"
        public static let shapes: [String: [ButtonField]] = ["ca": [.id], "cc": [.id]]
        public var encoded: ButtonCode {
            switch self {
            case .ask(let booking): return ButtonCode("ca", [Int(booking)])
            case .confirm(let booking): return ButtonCode("cc", [Int(booking)])
            }
        }
        public init?(code: String, numbers: [Int]) {
            switch (code, numbers.count) {
            case ("ca", 1): self = .ask(booking: Int64(numbers[0]))
            case ("cc", 1): self = .confirm(booking: Int64(numbers[0]))
            default: return nil
            }
        }
    }

    public struct Query: FlowQuery {
        var booking: Int64?
        var person: Int64

        public func read(from store: any StoreReads) throws -> ClientBooking? {
            try booking.flatMap { try store.confirmedBooking($0, of: person) }
        }
    }

    /// The client cancelling their own booking.
    public struct Cancel: FlowChange {
        var booking: Int64
        public func audit(of outcome: Outcome?) -> AuditAction? { nil }
        public func apply(to store: any StoreChanges, by actor: ChangeActor) throws -> ChangeResult<ClientBooking> {
            try store.cancel(booking: booking, by: actor, reason: nil)
        }
    }

    public init() {}

    public func plan(_ event: Event<Action>, state: NoState?, in context: Context) -> Plan<Query, Cancel> {
        switch event {
        case .pressed(.ask(let booking), _): return Plan(query: Query(booking: booking, person: context.person.id))
        case .pressed(.confirm(let booking), _): return Plan(query: Query(person: context.person.id), change: Cancel(booking: booking))
        default: return Plan(query: Query(person: context.person.id))
        }
    }

    public func respond(_ event: Event<Action>, state: NoState?, read booking: ClientBooking?, outcome: ChangeResult<ClientBooking>?,
                        in context: Context) -> Reply<NoState> {
        let say = context.say
        let screens = CalendarScreens(context: context, occupancy: .empty)
        guard case .pressed(let action, let entry) = event else { return context.keep([say.menu(.unknownInput)]) }
        switch action {
        case .ask:
            guard let booking else { return screens.bookingNotFound(entry: entry) }
            if context.rules.refusal(for: .cancel(currentStart: booking.start), by: .client, now: context.now, occupancy: .empty) != nil {
                return refused(entry: entry, context: context)
            }
            return context.show(.cancelQuestion(booking: say.summary(booking)),
                                buttons: [[say.button(.yesCancel, Action.confirm(booking: booking.id))],
                                          [say.button(.noKeep, MyBookingsFlow.Action.list)]],
                                entry: entry, next: .open(NoState()))
        case .confirm:
            switch outcome {
            case .done(let cancelled)?:
                let summary = say.summary(cancelled)
                return context.show(.cancelled(booking: summary), buttons: [], entry: entry, alert: .cancelled, next: .close,
                                    effects: [.notifyStaff(.cancellation, .adminCancelled(client: context.client, booking: summary, reason: ""))])
            case .refused?:
                return refused(entry: entry, context: context)
            case .notFound?, nil:
                return screens.bookingNotFound(entry: entry)
            }
        }
    }

    private func refused(entry: Entry, context: Context) -> Reply<NoState> {
        context.show(.cancelRefused(cutoffHours: context.rules.cancellationCutoffHours, contact: context.contact),
                     buttons: [[context.say.button(.myBookings, MyBookingsFlow.Action.list)]], entry: entry, next: .close)
    }
}
