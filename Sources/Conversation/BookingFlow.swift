import Booking
import Foundation
import Texts

/// What the day, time and month buttons of a calendar do: book a service, or move a
/// booking. The screens and refusals are the same for both.
struct CalendarActions {
    /// The flow these buttons belong to.
    let screen: ConversationState.Screen
    let month: (Int) -> CallbackAction
    let day: (LocalDate) -> CallbackAction
    let slot: (Date) -> CallbackAction

    static func booking(_ service: Int64) -> CalendarActions {
        CalendarActions(screen: .booking,
                        month: { .month(service: service, month: $0) },
                        day: { .day(service: service, day: $0.dayNumber) },
                        slot: { .slot(service: service, start: MinuteStamp.of($0)) })
    }

    static func moving(_ booking: Int64) -> CalendarActions {
        CalendarActions(screen: .moving,
                        month: { .moveMonth(booking: booking, month: $0) },
                        day: { .moveDay(booking: booking, day: $0.dayNumber) },
                        slot: { .moveSlot(booking: booking, start: MinuteStamp.of($0)) })
    }
}

/// The booking flow (SPEC client 4): service → month → day's times → confirm → booked,
/// every screen edited in place with Back and Cancel, every refusal its own message
/// with the flow kept alive.
extension Step {
    var cancelButton: InlineButton { say.button(.cancel, .cancelFlow) }

    func serviceList(entry: Entry?) -> Turn {
        let active = facts.upcoming.count
        let limit = rules.maxActiveBookingsPerClient
        if facts.services.isEmpty {
            guard entry != nil else { return idle([say.menu(.noServices)]) }
            return show(.noServices, buttons: [], entry: entry, next: .idle)
        }
        // Said at once rather than after three screens; the confirm step checks it again.
        if active >= limit {
            return show(.limitReached(activeBookings: active, limit: limit),
                        buttons: [[say.button(.myBookings, .myBookings)], [cancelButton]], entry: entry, next: .booking)
        }
        let buttons = facts.services.map { service in
            [say.button(.service(name: service.name, durationMinutes: service.durationMinutes, price: service.price),
                        .pickService(service: service.id))]
        }
        // The first screen has nothing to go back to: Cancel is its way out.
        return show(.chooseService(activeBookings: active, limit: limit), buttons: buttons + [[cancelButton]],
                    entry: entry, next: .booking)
    }

    func calendar(service id: Int64, month index: Int, entry: Entry) -> Turn {
        guard let service = bookableService(id, entry: entry) else { return unavailableService(id, entry: entry) }
        if let alert = monthRefusal(index) { return alertOnly(entry, alert) }
        guard let first = MonthIndex.firstDay(index) else { return alertOnly(entry, .invalidButton) }
        let grid = monthGrid(month: first, durationMinutes: service.durationMinutes, occupancy: facts.occupancy,
                             monthAction: CalendarActions.booking(id).month, dayAction: CalendarActions.booking(id).day)
        return show(.calendar(service: service.name, durationMinutes: service.durationMinutes, month: first),
                    buttons: grid + [[say.button(.back, .services), cancelButton]], entry: entry, next: .booking)
    }

    func daySlots(service id: Int64, date: LocalDate, entry: Entry) -> Turn {
        guard let service = bookableService(id, entry: entry) else { return unavailableService(id, entry: entry) }
        if let alert = dayRefusal(date, durationMinutes: service.durationMinutes) { return alertOnly(entry, alert) }
        let starts = freeStarts(on: date, durationMinutes: service.durationMinutes)
        let actions = CalendarActions.booking(id)
        return show(.daySlots(service: service.name, durationMinutes: service.durationMinutes, date: date, freeCount: starts.count),
                    buttons: slotButtons(starts, actions) + [[say.button(.back, actions.month(MonthIndex.of(date))), cancelButton]],
                    entry: entry, next: .booking)
    }

    /// Step 4, after the same checks the confirm will make, so a forged or stale time
    /// is refused here already.
    func confirmation(service id: Int64, start: Date, entry: Entry) -> Turn {
        guard let service = bookableService(id, entry: entry) else { return unavailableService(id, entry: entry) }
        let request = SlotRequest(start: start, durationMinutes: service.durationMinutes, serviceActive: service.bookable)
        if let refusal = rules.refusal(for: .book(request, activeBookings: facts.upcoming.count), by: .client, now: now,
                                       occupancy: facts.occupancy) {
            return refused(refusal, start: start, durationMinutes: service.durationMinutes, service: service,
                           actions: .booking(id), entry: entry)
        }
        let date = settings.clock.localDate(of: start)
        return show(.confirmBooking(service: service.name, start: say.local(start), durationMinutes: service.durationMinutes,
                                    price: service.price),
                    buttons: [[say.button(.confirm, .confirm(service: id, start: MinuteStamp.of(start)))],
                              [say.button(.back, .day(service: id, day: date.dayNumber)), cancelButton]],
                    entry: entry, next: .booking)
    }

    /// Step 5: what the store decided at commit time.
    func bookingOutcome(service id: Int64, start: Date, entry: Entry) -> Turn {
        switch facts.outcome {
        case .booked(let booking)?:
            let summary = say.summary(booking)
            return show(.booked(booking: summary, address: address, reminderOffsetsMinutes: reminderOffsets(start: booking.start)),
                        buttons: [[say.button(.myBookings, .myBookings)]], entry: entry, alert: .booked, next: .idle,
                        notice: .adminNewBooking(client: client, booking: summary))
        case .refused(let refusal)?:
            return refused(refusal, start: start, durationMinutes: facts.service?.durationMinutes ?? 0, service: facts.service,
                           actions: .booking(id), entry: entry)
        default:
            return alertOnly(entry, .invalidButton)
        }
    }

    // MARK: Refusals

    /// Each refusal with its own message, and the way on: the day's free times when the
    /// time was the problem, My bookings at the limit, the service list when the service
    /// went.
    func refused(_ refusal: BookingRefusal, start: Date, durationMinutes: Int, service: BookableService?,
                 actions: CalendarActions, entry: Entry) -> Turn {
        let date = settings.clock.localDate(of: start)
        let otherDay = say.button(.otherDay, actions.month(bookableMonth(near: date)))
        let message: Texts.Message
        var alert: Texts.Alert?
        switch refusal {
        case .limitReached:
            let limit = rules.maxActiveBookingsPerClient
            return show(.limitReached(activeBookings: facts.upcoming.count, limit: limit),
                        buttons: [[say.button(.myBookings, .myBookings)], [cancelButton]], entry: entry,
                        alert: .limitReached(limit: limit), next: .booking)
        case .notActive:
            return show(.serviceUnavailable(service: service?.name ?? ""), buttons: [[say.button(.back, .services), cancelButton]],
                        entry: entry, next: .booking)
        case .beyondHorizon:
            return show(.beyondHorizon(lastDay: rules.horizonEnd(now: now)), buttons: [[otherDay], [cancelButton]],
                        entry: entry, next: actions.screen)
        case .overlapsBooking:
            let free = freeStarts(on: date, durationMinutes: durationMinutes).count
            message = .slotTaken(date: date, freeCount: free)
            alert = .slotTaken
        case .inPast: message = .inPast
        case .tooSoon: message = .tooSoon(noticeMinutes: rules.minNoticeMinutes)
        case .outsideHours: message = .outsideHours
        case .notAligned: message = .notAligned
        case .overlapsBlock: message = .overlapsBlock
        case .cancelCutoff: return show(.cancelRefused(cutoffHours: rules.cancellationCutoffHours, contact: contact),
                                        buttons: [[say.button(.myBookings, .myBookings)]], entry: entry, next: .idle)
        case .rescheduleCutoff: return moveRefused(entry: entry)
        }
        let starts = freeStarts(on: date, durationMinutes: durationMinutes)
        return show(message, buttons: slotButtons(starts, actions) + [[otherDay], [cancelButton]], entry: entry, alert: alert,
                    next: actions.screen)
    }

    func moveRefused(entry: Entry) -> Turn {
        show(.moveRefused(cutoffHours: rules.rescheduleCutoffHours, contact: contact),
             buttons: [[say.button(.myBookings, .myBookings)]], entry: entry, next: .idle)
    }

    // MARK: Pieces

    func slotButtons(_ starts: [Date], _ actions: CalendarActions) -> [[InlineButton]] {
        rows(starts.map { say.button(.slot(minuteOfDay: settings.clock.minuteOfDay(of: $0)), actions.slot($0)) }, perRow: 4)
    }

    /// The month to go back to from a day: that day's, kept inside the bookable range.
    func bookableMonth(near date: LocalDate) -> Int {
        min(max(MonthIndex.of(date), MonthIndex.of(today)), MonthIndex.of(rules.horizonEnd(now: now)))
    }

    /// The service a button names, when it can be booked.
    private func bookableService(_ id: Int64, entry: Entry) -> BookableService? {
        guard let service = facts.service, service.id == id, service.bookable else { return nil }
        return service
    }

    /// A service that went (deactivated or archived) since its button was made, or an id
    /// that never existed (forged: only an alert).
    private func unavailableService(_ id: Int64, entry: Entry) -> Turn {
        guard let service = facts.service, service.id == id else { return alertOnly(entry, .invalidButton) }
        return refused(.notActive, start: now, durationMinutes: service.durationMinutes, service: service,
                       actions: .booking(id), entry: entry)
    }
}
