import Foundation

/// Why a booking action is refused. The raw values are the stable names used in logs,
/// audit entries and the text catalogs.
public enum BookingRefusal: String, Error, Sendable, CaseIterable {
    case notActive = "not_active"
    case inPast = "in_past"
    case tooSoon = "too_soon"
    case outsideHours = "outside_hours"
    case notAligned = "not_aligned"
    case beyondHorizon = "beyond_horizon"
    case overlapsBooking = "overlaps_booking"
    case overlapsBlock = "overlaps_block"
    case limitReached = "limit_reached"
    case cancelCutoff = "cancel_cutoff"
    case rescheduleCutoff = "reschedule_cutoff"
    /// A visit marked completed or a no-show before it began.
    case notStarted = "not_started"
}

/// Who acts: clients are held to every rule; staff manage bookings past the client-only
/// limits (notice, horizon, per-client limit, cut-offs) but never outside the hours, off
/// the step grid, in the past or over taken time.
public enum BookingActor: Sendable, Equatable {
    case client
    case admin
}

/// A time a service is asked for.
public struct SlotRequest: Sendable {
    public var start: Date
    public var durationMinutes: Int
    public var serviceActive: Bool

    public init(start: Date, durationMinutes: Int, serviceActive: Bool) {
        self.start = start
        self.durationMinutes = durationMinutes
        self.serviceActive = serviceActive
    }

    public var range: TimeRange { TimeRange(start: start, minutes: durationMinutes) }
}

/// What is being done to the calendar.
public enum BookingAction: Sendable {
    /// A new booking; `activeBookings` counts the client's confirmed future bookings.
    case book(SlotRequest, activeBookings: Int)
    /// An existing booking moves; `occupancy` must not contain the booking itself.
    case move(SlotRequest, currentStart: Date)
    case cancel(currentStart: Date)
    /// Staff mark how a visit went (completed, no-show): only once it has begun.
    case closeVisit(start: Date)
}

extension BookingRules {
    /// The one check that the confirm, move, cancel and admin paths all use, at the
    /// moment of commit; nil when the action is allowed. `occupancy` is what is taken
    /// around the requested time.
    public func refusal(for action: BookingAction, by actor: BookingActor, now: Date, occupancy: Occupancy) -> BookingRefusal? {
        switch action {
        case .book(let request, let activeBookings):
            if !request.serviceActive { return .notActive }
            if actor == .client && activeBookings >= maxActiveBookingsPerClient { return .limitReached }
            return slotRefusal(request, by: actor, now: now, occupancy: occupancy)
        case .move(let request, let currentStart):
            if currentStart <= now { return .inPast }
            if actor == .client && now > currentStart.addingTimeInterval(-Double(rescheduleCutoffHours) * 3600) {
                return .rescheduleCutoff
            }
            if !request.serviceActive { return .notActive }
            return slotRefusal(request, by: actor, now: now, occupancy: occupancy)
        case .cancel(let currentStart):
            if currentStart <= now { return .inPast }
            if actor == .client && now > currentStart.addingTimeInterval(-Double(cancellationCutoffHours) * 3600) {
                return .cancelCutoff
            }
            return nil
        case .closeVisit(let start):
            return start > now ? .notStarted : nil
        }
    }

    private func slotRefusal(_ request: SlotRequest, by actor: BookingActor, now: Date, occupancy: Occupancy) -> BookingRefusal? {
        let start = request.start
        if start <= now { return .inPast }
        if actor == .client {
            if start < earliestStart(now: now) { return .tooSoon }
            if clock.localDate(of: start) > horizonEnd(now: now) { return .beyondHorizon }
        }
        let date = clock.localDate(of: start)
        guard let hours = schedule.hours(on: date.weekday) else { return .outsideHours }
        let minute = clock.minuteOfDay(of: start)
        let closing = SlotFinder(rules: self).boundary(date, minute: hours.close)
        if minute < hours.open || request.range.end > closing { return .outsideHours }
        // On the grid: a whole number of steps after opening, at the exact instant that
        // wall-clock time has (not its repeat after a fall-back change, not mid-minute).
        if (minute - hours.open) % slotStepMinutes != 0 || clock.instant(of: date, minute: minute) != start {
            return .notAligned
        }
        switch occupancy.conflict(with: request.range) {
        case .block?: return .overlapsBlock
        case .booking?: return .overlapsBooking
        case nil: return nil
        }
    }
}
