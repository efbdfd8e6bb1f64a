import Foundation

/// How a day looks in the month view for one service.
public enum DayStatus: String, Sendable, CaseIterable {
    /// 🟢 every start still ahead is free.
    case allFree
    /// 🟡 some starts are free.
    case someFree
    /// 🔴 none is free.
    case full
    /// ⚫ past, closed, or beyond the horizon: not pressable.
    case unavailable

    public var isBookable: Bool { self == .allFree || self == .someFree }
}

/// Which start times a service can be booked at.
public struct SlotFinder: Sendable {
    public let rules: BookingRules

    public init(rules: BookingRules) {
        self.rules = rules
    }

    /// Every start the day's hours allow for a service of this length, ignoring `now`
    /// and what is taken: opening time plus whole steps, the whole service ending by
    /// closing, skipped wall-clock times left out.
    public func candidateStarts(on date: LocalDate, durationMinutes: Int) -> [Date] {
        guard let hours = rules.schedule.hours(on: date.weekday) else { return [] }
        let closing = boundary(date, minute: hours.close)
        var starts: [Date] = []
        for minute in stride(from: hours.open, to: hours.close, by: rules.slotStepMinutes) {
            guard let start = rules.clock.instant(of: date, minute: minute) else { continue }
            guard start.addingTimeInterval(Double(durationMinutes) * 60) <= closing else { continue }
            // A wall-clock time repeated by a fall-back change is offered once.
            if let last = starts.last, start <= last { continue }
            starts.append(start)
        }
        return starts
    }

    /// The starts a client can pick now: candidates that are inside the horizon, after
    /// the minimum notice, and overlap no booking or block.
    public func freeStarts(on date: LocalDate, durationMinutes: Int, occupancy: Occupancy, now: Date) -> [Date] {
        guard date <= rules.horizonEnd(now: now) else { return [] }
        let earliest = rules.earliestStart(now: now)
        return candidateStarts(on: date, durationMinutes: durationMinutes).filter { start in
            isAhead(start, earliest: earliest, now: now)
                && occupancy.conflict(with: TimeRange(start: start, minutes: durationMinutes)) == nil
        }
    }

    public func dayStatus(on date: LocalDate, durationMinutes: Int, occupancy: Occupancy, now: Date) -> DayStatus {
        guard date <= rules.horizonEnd(now: now) else { return .unavailable }
        let earliest = rules.earliestStart(now: now)
        let ahead = candidateStarts(on: date, durationMinutes: durationMinutes).filter { isAhead($0, earliest: earliest, now: now) }
        guard !ahead.isEmpty else { return .unavailable }
        let free = ahead.filter { occupancy.conflict(with: TimeRange(start: $0, minutes: durationMinutes)) == nil }
        if free.count == ahead.count { return .allFree }
        return free.isEmpty ? .full : .someFree
    }

    /// The status of every day of one month.
    public func monthStatuses(of month: LocalDate, durationMinutes: Int, occupancy: Occupancy, now: Date) -> [(date: LocalDate, status: DayStatus)] {
        let first = month.firstOfMonth(addingMonths: 0)
        let last = month.lastOfMonth(addingMonths: 0)
        return (first.dayNumber...last.dayNumber).map { number in
            let date = LocalDate(dayNumber: number)
            return (date, dayStatus(on: date, durationMinutes: durationMinutes, occupancy: occupancy, now: now))
        }
    }

    /// A start still open to clients: after now (a visit starting this instant is in the
    /// past, as the confirm check says) and not inside the notice.
    private func isAhead(_ start: Date, earliest: Date, now: Date) -> Bool {
        start > now && start >= earliest
    }

    /// The instant of a wall-clock boundary; when that time is skipped, the moment the
    /// clock resumes.
    func boundary(_ date: LocalDate, minute: Int) -> Date {
        for later in minute...(minute + BusinessClock.longestSkipMinutes) {
            if let instant = rules.clock.instant(of: date, minute: later) { return instant }
        }
        // Only a date held at the calendar's end gets here: its wall clock runs out.
        return Date(timeIntervalSince1970: (Double(date.dayNumber) * 1440 + Double(minute)) * 60)
    }
}
