import Booking
import Foundation
import Texts

/// The schedule (SPEC admin 3), for moderators and super admins: today and the days
/// ahead, each a button with its confirmed bookings; a day's bookings in time order, each
/// a button to its card (`StaffBookingFlow`). Days are the business's local days.
public struct ScheduleFlow: Flow {
    public enum Action: FlowAction {
        /// Today and the days ahead (the staff menu's button).
        case overview
        /// One day (`LocalDate.dayNumber`), past ones included (to mark how visits went).
        case day(Int)

        public static let flow: FlowID = "sc"
        public static let shapes: [String: [ButtonField]] = ["o": [], "d": [.day]]
        public var encoded: ButtonCode {
            switch self {
            case .overview: return ButtonCode("o")
            case .day(let day): return ButtonCode("d", [day])
            }
        }
        public init?(code: String, numbers: [Int]) {
            switch (code, numbers.count) {
            case ("o", 0): self = .overview
            case ("d", 1): self = .day(numbers[0])
            default: return nil
            }
        }
    }

    public struct Query: FlowQuery {
        var from: Date
        var to: Date
        /// A day's view lists its blocks too.
        var blocks = false

        public func read(from store: any StoreReads) throws -> Result {
            Result(bookings: try store.staffBookings(from: from, to: to, limit: ScheduleFlow.bookingsRead),
                   blocks: blocks ? try store.blocks(overlapping: TimeRange(start: from, end: max(from, to))) : [])
        }

        public struct Result: Sendable {
            var bookings: [StaffBooking]
            var blocks: [BlockInfo]
        }
    }

    /// Today and the next 7 days.
    static let overviewDays = 8
    /// One resource cannot hold more bookings a day than this (15-minute services round
    /// the clock make 96); Telegram takes 100 buttons a message.
    static let bookingsShown = 90
    /// Blocks shown on a day (they rarely overlap, so a handful); with the bookings within Telegram's 100 buttons.
    static let blocksShown = 5
    /// Enough for the overview's days at any step.
    static let bookingsRead = overviewDays * 96

    public init() {}

    public func plan(_ event: Event<Action>, state: NoState?, in context: Context) -> Plan<Query, NoChange> {
        let clock = context.clock
        if case .pressed(.day(let number), _) = event {
            let day = LocalDate(dayNumber: number)
            return Plan(query: Query(from: clock.startOfDay(day), to: clock.startOfDay(day.adding(days: 1)), blocks: true))
        }
        return Plan(query: Query(from: clock.startOfDay(context.today),
                                 to: clock.startOfDay(context.today.adding(days: Self.overviewDays))))
    }

    public func respond(_ event: Event<Action>, state: NoState?, read result: Query.Result, outcome: Void?,
                        in context: Context) -> Reply<NoState> {
        let read = result.bookings
        let say = context.say
        var entry: Entry?
        var action = Action.overview
        if case .pressed(let pressed, let at) = event { (action, entry) = (pressed, at) }
        let menu = say.staffButton(StaffButton.back, StaffMenuFlow.Action.home)
        switch action {
        case .overview:
            let confirmed = read.filter { $0.state == .confirmed }
            let days = (0..<Self.overviewDays).map { context.today.adding(days: $0) }
            let buttons = days.map { day in
                let count = confirmed.filter { context.clock.localDate(of: $0.start) == day }.count
                return [say.staffButton(ScheduleButton.day(day, today: context.today, count: count), Action.day(day.dayNumber))]
            }
            return context.show(ScheduleText.overview(confirmed: confirmed.count, days: Self.overviewDays), buttons: buttons + [[menu]],
                                entry: entry, next: .open(NoState()))
        case .day(let number):
            let day = LocalDate(dayNumber: number)
            // The day's blocks first, each to its card (the time nobody can book).
            let blocks = result.blocks.prefix(Self.blocksShown).map { block in
                [say.staffButton(BlockingButton.block(BlockSpan(from: say.local(block.range.start), to: say.local(block.range.end)),
                                                      reason: block.reason), BlockingFlow.Action.card(block.id))]
            }
            let bookings = blocks + read.prefix(Self.bookingsShown).map { [Self.button(for: $0, withDate: false, say)] }
            let today = ButtonField.day.range(today: context.today.dayNumber)
            var paging: [InlineButton] = []
            if today.contains(number - 1) { paging.append(say.staffButton(ScheduleButton.previousDay(day.adding(days: -1)), Action.day(number - 1))) }
            if today.contains(number + 1) { paging.append(say.staffButton(ScheduleButton.nextDay(day.adding(days: 1)), Action.day(number + 1))) }
            return context.show(ScheduleText.day(day, today: context.today, count: read.count),
                                buttons: bookings + (paging.isEmpty ? [] : [paging]) + [[say.staffButton(ScheduleButton.schedule, Action.overview), menu]],
                                entry: entry, next: .open(NoState()))
        }
    }

    /// A booking's button in a list (a day's, a client's), to its card.
    static func button(for booking: StaffBooking, withDate: Bool, _ say: Speaker) -> InlineButton {
        say.staffButton(ScheduleButton.booking(time: say.local(booking.start), service: booking.booking.service.name, client: booking.client,
                                               status: StaffBookingStatus(booking.state), withDate: withDate),
                        StaffBookingFlow.Action.card(booking.id))
    }
}

extension StaffBookingStatus {
    init(_ state: BookingState) {
        switch state {
        case .confirmed: self = .confirmed
        case .cancelled: self = .cancelled
        case .completed: self = .completed
        case .noShow: self = .noShow
        }
    }
}
