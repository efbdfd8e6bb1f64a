import Booking
import Foundation
import Texts

/// My bookings (SPEC client 5): upcoming bookings, each with Cancel and Move, and the
/// count of past visits.
public struct MyBookingsFlow: Flow {
    public enum Action: FlowAction {
        case list

        public static let flow: FlowID = "l"
        public static let shapes: [String: [ButtonField]] = ["my": []]
        public var encoded: ButtonCode { ButtonCode("my") }
        public init?(code: String, numbers: [Int]) {
            guard code == "my" else { return nil }
            self = .list
        }
    }

    public struct Query: FlowQuery {
        var person: Int64

        public func read(from store: any StoreReads) throws -> Result {
            Result(upcoming: try store.upcomingBookings(of: person), pastVisits: try store.pastVisits(of: person))
        }

        public struct Result: Sendable {
            var upcoming: [ClientBooking]
            var pastVisits: Int
        }
    }

    /// The most bookings given their own Cancel / Move buttons (Telegram allows 100
    /// buttons a message; the limit setting allows up to 100 bookings).
    static let bookingsWithButtons = 20

    public init() {}

    public func plan(_ event: Event<Action>, state: NoState?, in context: Context) -> Plan<Query, NoChange> {
        Plan(query: Query(person: context.person.id))
    }

    public func respond(_ event: Event<Action>, state: NoState?, read: Query.Result, outcome: Void?,
                        in context: Context) -> Reply<NoState> {
        let say = context.say
        var entry: Entry?
        if case .pressed(_, let pressed) = event { entry = pressed }
        if case .typed = event { return context.keep([say.menu(.unknownInput)]) }
        if read.upcoming.isEmpty {
            guard entry != nil else { return context.idle([say.menu(.myBookingsEmpty(pastVisits: read.pastVisits))]) }
            return context.show(.myBookingsEmpty(pastVisits: read.pastVisits), buttons: [[say.button(.book, BookingFlow.Action.services)]],
                                entry: entry, next: .close)
        }
        let buttons = read.upcoming.prefix(Self.bookingsWithButtons).map { booking in
            let start = say.local(booking.start)
            return [say.button(.cancelBookingAt(start), CancelFlow.Action.ask(booking: booking.id)),
                    say.button(.moveBookingAt(start), MoveFlow.Action.start(booking: booking.id))]
        }
        return context.show(.myBookings(bookings: read.upcoming.map(say.summary), today: context.today, pastVisits: read.pastVisits),
                            buttons: buttons, entry: entry, next: .open(NoState()))
    }
}
