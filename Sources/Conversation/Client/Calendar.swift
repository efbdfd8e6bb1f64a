import Booking
import Foundation
import Texts

/// What the month, day and time buttons of a calendar do: book a service, or move a
/// booking. The screens and refusals are the same for both.
struct CalendarButtons {
    let month: (Texts.Button, Int) -> InlineButton
    let day: (Texts.Button, LocalDate) -> InlineButton
    let slot: (Texts.Button, Date) -> InlineButton

    static func booking(_ service: Int64, _ say: Speaker) -> CalendarButtons {
        CalendarButtons(month: { say.button($0, BookingFlow.Action.month(service: service, month: $1)) },
                        day: { say.button($0, BookingFlow.Action.day(service: service, day: $1.dayNumber)) },
                        slot: { say.button($0, BookingFlow.Action.slot(service: service, start: MinuteStamp.of($1))) })
    }

    static func moving(_ booking: Int64, _ say: Speaker) -> CalendarButtons {
        CalendarButtons(month: { say.button($0, MoveFlow.Action.month(booking: booking, month: $1)) },
                        day: { say.button($0, MoveFlow.Action.day(booking: booking, day: $1.dayNumber)) },
                        slot: { say.button($0, MoveFlow.Action.slot(booking: booking, start: MinuteStamp.of($1))) })
    }
}

/// The calendar screens and the refusals of booking and moving, over what is taken on
/// the days a step read.
struct CalendarScreens {
    let context: Context
    let occupancy: Occupancy
    /// Active bookings of the person (the limit's "n of limit").
    var activeBookings = 0

    var say: Speaker { context.say }
    var rules: BookingRules { context.rules }
    var now: Date { context.now }
    var today: LocalDate { context.today }
    var cancelButton: InlineButton { say.button(.cancel, CoreAction.close) }
    var myBookingsButton: InlineButton { say.button(.myBookings, MyBookingsFlow.Action.list) }

    /// The month view: title with ◀ ▶, weekday names, the days with their colours. A month
    /// outside the bookable range is still a button, answered with an alert, so the grid
    /// never shifts under the finger.
    func monthGrid(month first: LocalDate, durationMinutes: Int, buttons: CalendarButtons) -> [[InlineButton]] {
        let index = MonthIndex.of(first)
        let noop = { (label: Texts.Button) in say.button(label, CoreAction.noop) }
        var grid: [[InlineButton]] = [[buttons.month(.previousMonth, index - 1), noop(.monthTitle(first)), buttons.month(.nextMonth, index + 1)]]
        grid.append(Weekday.allCases.map { noop(.weekday($0)) })
        var week: [InlineButton] = Array(repeating: noop(.emptyDay), count: first.weekday.rawValue - 1)
        for (date, status) in context.finder.monthStatuses(of: first, durationMinutes: durationMinutes, occupancy: occupancy, now: now) {
            week.append(buttons.day(.day(date.day, status), date))
            if week.count == 7 {
                grid.append(week)
                week = []
            }
        }
        if !week.isEmpty {
            grid.append(week + Array(repeating: noop(.emptyDay), count: 7 - week.count))
        }
        return grid
    }

    /// Why a month cannot be shown, if it cannot: before this month or past the horizon.
    func monthRefusal(_ index: Int) -> Texts.Alert? {
        if index < MonthIndex.of(today) { return .monthBeforeRange }
        if index > MonthIndex.of(rules.horizonEnd(now: now)) { return .monthBeyondHorizon }
        return nil
    }

    /// Why a day cannot be opened, if it cannot.
    func dayRefusal(_ date: LocalDate, durationMinutes: Int) -> Texts.Alert? {
        switch context.finder.dayStatus(on: date, durationMinutes: durationMinutes, occupancy: occupancy, now: now) {
        case .allFree, .someFree: return nil
        case .full: return .dayFull
        case .unavailable: return .dayUnavailable
        }
    }

    func freeStarts(on date: LocalDate, durationMinutes: Int) -> [Date] {
        context.finder.freeStarts(on: date, durationMinutes: durationMinutes, occupancy: occupancy, now: now)
    }

    func slotButtons(_ starts: [Date], _ buttons: CalendarButtons) -> [[InlineButton]] {
        context.rows(starts.map { buttons.slot(.slot(minuteOfDay: context.clock.minuteOfDay(of: $0)), $0) }, perRow: 4)
    }

    /// The month to go back to from a day: that day's, kept inside the bookable range.
    func bookableMonth(near date: LocalDate) -> Int {
        min(max(MonthIndex.of(date), MonthIndex.of(today)), MonthIndex.of(rules.horizonEnd(now: now)))
    }

    /// The reminders a booking at `start` really gets, made now.
    func reminderOffsets(start: Date) -> [Int] {
        rules.reminderDueTimes(start: start, now: now).map(\.offsetMinutes)
    }

    /// Each refusal with its own message, and the way on: the day's free times when the
    /// time was the problem, My bookings at the limit, the service list when the service
    /// went.
    func refused(_ refusal: BookingRefusal, start: Date, durationMinutes: Int, service: BookableService?,
                 buttons: CalendarButtons, entry: Entry?) -> Reply<NoState> {
        let date = context.clock.localDate(of: start)
        let otherDay = buttons.month(.otherDay, bookableMonth(near: date))
        let message: Texts.Message
        var alert: Texts.Alert?
        switch refusal {
        case .limitReached:
            let limit = rules.maxActiveBookingsPerClient
            return context.show(.limitReached(activeBookings: activeBookings, limit: limit), buttons: [[myBookingsButton], [cancelButton]],
                                entry: entry, alert: .limitReached(limit: limit), next: .open(NoState()))
        case .notActive:
            return context.show(.serviceUnavailable(service: service?.name ?? ""),
                                buttons: [[say.button(.back, BookingFlow.Action.services), cancelButton]], entry: entry, next: .open(NoState()))
        case .beyondHorizon:
            return context.show(.beyondHorizon(lastDay: rules.horizonEnd(now: now)), buttons: [[otherDay], [cancelButton]],
                                entry: entry, next: .open(NoState()))
        case .overlapsBooking:
            message = .slotTaken(date: date, freeCount: freeStarts(on: date, durationMinutes: durationMinutes).count)
            alert = .slotTaken
        // A client never marks visits; their screens have no other word for it.
        case .inPast, .notStarted: message = .inPast
        case .tooSoon: message = .tooSoon(noticeMinutes: rules.minNoticeMinutes)
        case .outsideHours: message = .outsideHours
        case .notAligned: message = .notAligned
        case .overlapsBlock: message = .overlapsBlock
        case .cancelCutoff:
            return context.show(.cancelRefused(cutoffHours: rules.cancellationCutoffHours, contact: context.contact),
                                buttons: [[myBookingsButton]], entry: entry, next: .close)
        case .rescheduleCutoff:
            return moveRefused(entry: entry)
        }
        let starts = freeStarts(on: date, durationMinutes: durationMinutes)
        return context.show(message, buttons: slotButtons(starts, buttons) + [[otherDay], [cancelButton]], entry: entry, alert: alert,
                            next: .open(NoState()))
    }

    func moveRefused(entry: Entry?) -> Reply<NoState> {
        context.show(.moveRefused(cutoffHours: rules.rescheduleCutoffHours, contact: context.contact),
                     buttons: [[myBookingsButton]], entry: entry, next: .close)
    }

    func bookingNotFound(entry: Entry?) -> Reply<NoState> {
        context.show(.bookingNotFound, buttons: [[myBookingsButton]], entry: entry, alert: .bookingNotFound, next: .close)
    }
}

/// What a calendar step reads: what is taken on some local days.
struct DaysQuery: Sendable {
    var days: ClosedRange<LocalDate>
    var excluding: Int64?

    static func month(_ index: Int) -> DaysQuery? {
        MonthIndex.firstDay(index).map { DaysQuery(days: $0...$0.lastOfMonth(addingMonths: 0)) }
    }

    static func day(_ date: LocalDate) -> DaysQuery { DaysQuery(days: date...date) }

    static func day(ofStart minutes: Int, clock: BusinessClock) -> DaysQuery {
        day(clock.localDate(of: MinuteStamp.date(minutes)))
    }

    func excluding(_ booking: Int64) -> DaysQuery { DaysQuery(days: days, excluding: booking) }

    func read(from store: any StoreReads) throws -> Occupancy {
        try store.occupancy(days: days, excluding: excluding)
    }
}
