import Booking
import Foundation
import Texts

/// My bookings, cancel and move (SPEC client 5–7). The cut-offs are checked when a
/// screen opens, to say so at once, and again by the store at the final press.
extension Step {
    /// The most bookings given their own Cancel / Move buttons (Telegram allows 100
    /// buttons a message; the limit setting allows up to 100 bookings).
    private static let bookingsWithButtons = 20

    func myBookings(entry: Entry?) -> Turn {
        let bookings = facts.upcoming
        if bookings.isEmpty {
            guard entry != nil else { return idle([say.menu(.myBookingsEmpty(pastVisits: facts.pastVisits))]) }
            return show(.myBookingsEmpty(pastVisits: facts.pastVisits), buttons: [[say.button(.book, .services)]],
                        entry: entry, next: .idle)
        }
        let buttons = bookings.prefix(Self.bookingsWithButtons).map { booking in
            let start = say.local(booking.start)
            return [say.button(.cancelBookingAt(start), .askCancel(booking: booking.id)),
                    say.button(.moveBookingAt(start), .move(booking: booking.id))]
        }
        return show(.myBookings(bookings: bookings.map(say.summary), today: today, pastVisits: facts.pastVisits),
                    buttons: buttons, entry: entry, next: .myBookings)
    }

    // MARK: Cancel

    func cancelQuestion(entry: Entry) -> Turn {
        guard let booking = facts.booking else { return bookingNotFound(entry: entry) }
        if rules.refusal(for: .cancel(currentStart: booking.start), by: .client, now: now, occupancy: .empty) != nil {
            return cancelRefused(entry: entry)
        }
        return show(.cancelQuestion(booking: say.summary(booking)),
                    buttons: [[say.button(.yesCancel, .confirmCancel(booking: booking.id))],
                              [say.button(.noKeep, .myBookings)]],
                    entry: entry, next: .cancelling)
    }

    func cancelOutcome(entry: Entry) -> Turn {
        switch facts.outcome {
        case .cancelled(let booking)?:
            let summary = say.summary(booking)
            return show(.cancelled(booking: summary), buttons: [], entry: entry, alert: .cancelled, next: .idle,
                        notice: .adminCancelled(client: client, booking: summary, reason: ""))
        case .refused?:
            return cancelRefused(entry: entry)
        default:
            return bookingNotFound(entry: entry)
        }
    }

    private func cancelRefused(entry: Entry) -> Turn {
        show(.cancelRefused(cutoffHours: rules.cancellationCutoffHours, contact: contact),
             buttons: [[say.button(.myBookings, .myBookings)]], entry: entry, next: .idle)
    }

    // MARK: Move

    func moveCalendar(month index: Int, entry: Entry) -> Turn {
        guard let booking = facts.booking else { return bookingNotFound(entry: entry) }
        if tooLateToMove(booking) { return moveRefused(entry: entry) }
        if let alert = monthRefusal(index) { return alertOnly(entry, alert) }
        guard let first = MonthIndex.firstDay(index) else { return alertOnly(entry, .invalidButton) }
        let actions = CalendarActions.moving(booking.id)
        let grid = monthGrid(month: first, durationMinutes: booking.durationMinutes, occupancy: facts.occupancy,
                             monthAction: actions.month, dayAction: actions.day)
        return show(.moveCalendar(booking: say.summary(booking), month: first),
                    buttons: grid + [[say.button(.back, .myBookings), cancelButton]], entry: entry, next: .moving)
    }

    func moveSlots(date: LocalDate, entry: Entry) -> Turn {
        guard let booking = facts.booking else { return bookingNotFound(entry: entry) }
        if tooLateToMove(booking) { return moveRefused(entry: entry) }
        if let alert = dayRefusal(date, durationMinutes: booking.durationMinutes) { return alertOnly(entry, alert) }
        let starts = freeStarts(on: date, durationMinutes: booking.durationMinutes)
        let actions = CalendarActions.moving(booking.id)
        return show(.moveSlots(booking: say.summary(booking), date: date, freeCount: starts.count),
                    buttons: slotButtons(starts, actions) + [[say.button(.back, actions.month(MonthIndex.of(date))), cancelButton]],
                    entry: entry, next: .moving)
    }

    func moveConfirmation(start: Date, entry: Entry) -> Turn {
        guard let booking = facts.booking else { return bookingNotFound(entry: entry) }
        let request = SlotRequest(start: start, durationMinutes: booking.durationMinutes, serviceActive: booking.service.bookable)
        if let refusal = rules.refusal(for: .move(request, currentStart: booking.start), by: .client, now: now,
                                       occupancy: facts.occupancy) {
            return moveRefusal(refusal, booking: booking, start: start, entry: entry)
        }
        let date = settings.clock.localDate(of: start)
        return show(.confirmMove(booking: say.summary(booking), newStart: say.local(start)),
                    buttons: [[say.button(.confirm, .confirmMove(booking: booking.id, start: MinuteStamp.of(start)))],
                              [say.button(.back, .moveDay(booking: booking.id, day: date.dayNumber)), cancelButton]],
                    entry: entry, next: .moving)
    }

    func moveOutcome(start: Date, entry: Entry) -> Turn {
        switch facts.outcome {
        case .moved(let from, let to)?:
            let (before, after) = (say.local(from.start), say.local(to.start))
            return show(.moved(service: to.service.name, from: before, to: after, reminderOffsetsMinutes: reminderOffsets(start: to.start)),
                        buttons: [[say.button(.myBookings, .myBookings)]], entry: entry, alert: .moved, next: .idle,
                        notice: .adminMoved(client: client, service: to.service.name, from: before, to: after))
        case .refused(let refusal)?:
            guard let booking = facts.booking else { return bookingNotFound(entry: entry) }
            return moveRefusal(refusal, booking: booking, start: start, entry: entry)
        default:
            return bookingNotFound(entry: entry)
        }
    }

    private func moveRefusal(_ refusal: BookingRefusal, booking: ClientBooking, start: Date, entry: Entry) -> Turn {
        // The visit itself has begun (or the cut-off passed): moving is over, whatever the
        // new time.
        if tooLateToMove(booking) { return moveRefused(entry: entry) }
        if refusal == .notActive {
            return show(.serviceUnavailable(service: booking.service.name), buttons: [[say.button(.myBookings, .myBookings)]],
                        entry: entry, next: .idle)
        }
        return refused(refusal, start: start, durationMinutes: booking.durationMinutes, service: booking.service,
                       actions: .moving(booking.id), entry: entry)
    }

    /// The rules' own answer for moving this booking at all (its start has passed, or the
    /// cut-off has).
    private func tooLateToMove(_ booking: ClientBooking) -> Bool {
        let itself = SlotRequest(start: booking.start, durationMinutes: booking.durationMinutes, serviceActive: true)
        let refusal = rules.refusal(for: .move(itself, currentStart: booking.start), by: .client, now: now, occupancy: .empty)
        return refusal == .inPast || refusal == .rescheduleCutoff
    }

    private func bookingNotFound(entry: Entry) -> Turn {
        show(.bookingNotFound, buttons: [[say.button(.myBookings, .myBookings)]], entry: entry, alert: .bookingNotFound, next: .idle)
    }
}
