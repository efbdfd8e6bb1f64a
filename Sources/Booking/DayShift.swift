import Foundation

/// Part of one local day: its bookings starting at `from` (inclusive) up to `to`
/// (exclusive), minutes since local midnight; the whole day is `0..<1440`.
public struct ShiftWindow: Sendable, Hashable {
    public let day: LocalDate
    public let from: Int
    public let to: Int

    /// Nil unless 0 ≤ from < to ≤ 1440.
    public init?(day: LocalDate, from: Int = 0, to: Int = 1440) {
        guard from >= 0, to <= 1440, from < to else { return nil }
        self.day = day
        self.from = from
        self.to = to
    }

    public var isWholeDay: Bool { from == 0 && to == 1440 }

    /// Whether a booking starting at `start` is one of this window's (by its local start).
    public func holds(_ start: Date, clock: BusinessClock) -> Bool {
        guard clock.localDate(of: start) == day else { return false }
        let minute = clock.minuteOfDay(of: start)
        return minute >= from && minute < to
    }

    /// The instants the window's day spans (for reading what lies around it).
    public func dayRange(clock: BusinessClock) -> TimeRange {
        TimeRange(start: clock.startOfDay(day), end: clock.startOfDay(day.adding(days: 1)))
    }
}

/// What keeps a booking from being shifted; one is enough to move nothing.
public enum ShiftConflict: String, Sendable, CaseIterable, Codable {
    /// The new time runs into a booking that is not being moved (or another moved one).
    case overlapsBooking = "overlaps_booking"
    case overlapsBlock = "overlaps_block"
    /// Not inside that weekday's work hours (or the day is off).
    case outsideHours = "outside_hours"
    /// The new start falls on another local day.
    case otherDay = "other_day"
    /// The new wall-clock time does not exist (a DST spring-forward gap).
    case skippedTime = "skipped_time"
    /// The new start is in the past or within the minimum notice.
    case tooSoon = "too_soon"
}

/// One booking of a shift: where it is, where it would go, and what stops it, if anything.
public struct ShiftedRange: Sendable, Equatable {
    public let id: Int64
    public let from: TimeRange
    public let to: TimeRange
    public let conflict: ShiftConflict?

    public init(id: Int64, from: TimeRange, to: TimeRange, conflict: ShiftConflict?) {
        self.id = id
        self.from = from
        self.to = to
        self.conflict = conflict
    }
}

/// Shifting the bookings of part of a day by ±N minutes (SPEC admin 9), all or nothing:
/// the same pure check for the preview and for the commit, so what the screen promised is
/// exactly what the store does.
///
/// Arithmetic is on the wall clock: 10:00 + 30 is 10:30 local time on the same day, also
/// on a DST change day (a visit keeps its length in real minutes). A new start on another
/// day, in a skipped hour, in the past or within the minimum notice (clients must be told
/// in time), outside the weekday's hours, or over a block or a booking not being moved is a
/// conflict. The grid of offered starts (`SLOT_STEP_MINUTES`) is not required: the shift is
/// the business's own decision, and +30 on a 60-minute grid is its common case.
public enum DayShift {
    /// The largest shift, either way: half a day, far inside every arithmetic range.
    public static let maxMinutes = 12 * 60
    /// Shifts are whole multiples of this.
    public static let stepMinutes = 5

    /// Each booking (in time order) with its new time and its conflict; `others` is what is
    /// taken around the day apart from the bookings being moved.
    public static func plan(_ bookings: [(id: Int64, range: TimeRange)], minutes: Int, rules: BookingRules, now: Date,
                            others: Occupancy) -> [ShiftedRange] {
        precondition(abs(minutes) <= maxMinutes, "a shift is range-checked before it is planned")
        let clock = rules.clock
        let finder = SlotFinder(rules: rules)
        var planned: [ShiftedRange] = []
        for booking in bookings.sorted(by: { ($0.range.start, $0.id) < ($1.range.start, $1.id) }) {
            let day = clock.localDate(of: booking.range.start)
            let minute = clock.minuteOfDay(of: booking.range.start) + minutes
            let length = booking.range.end.timeIntervalSince(booking.range.start)
            let wall = (0..<1440).contains(minute) ? clock.instant(of: day, minute: minute) : nil
            // Where it would be in real time when the wall clock cannot say (another day, a gap).
            let start = wall ?? booking.range.start.addingTimeInterval(Double(minutes) * 60)
            let to = TimeRange(start: start, end: start.addingTimeInterval(length))
            var conflict: ShiftConflict?
            if !(0..<1440).contains(minute) {
                conflict = .otherDay
            } else if wall == nil {
                conflict = .skippedTime
            } else if start < rules.earliestStart(now: now) {
                conflict = .tooSoon
            } else if let hours = rules.schedule.hours(on: day.weekday) {
                if minute < hours.open || to.end > finder.boundary(day, minute: hours.close) { conflict = .outsideHours }
            } else {
                conflict = .outsideHours
            }
            if conflict == nil {
                switch others.conflict(with: to) {
                case .block?: conflict = .overlapsBlock
                case .booking?: conflict = .overlapsBooking
                case nil:
                    if planned.contains(where: { $0.to.overlaps(to) }) { conflict = .overlapsBooking }
                }
            }
            planned.append(ShiftedRange(id: booking.id, from: booking.range, to: to, conflict: conflict))
        }
        return planned
    }

    /// A typed shift: "+30", "-60", "+1:30", "90" (minutes; h:mm for hours), or nil when it
    /// is not one. Its length and shape are checked before any arithmetic.
    public static func minutes(_ typed: String) -> ShiftInput {
        let text = typed.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.unicodeScalars.count <= 8 else { return .unreadable }
        var body = Substring(text)
        var sign = 1
        if let first = body.first, first == "+" || first == "-" || first == "−" {
            sign = first == "+" ? 1 : -1
            body = body.dropFirst()
        }
        let parts = body.split(separator: ":", omittingEmptySubsequences: false)
        func digits(_ part: Substring, max: Int) -> Int? {
            guard (1...max).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            return Int(part)
        }
        let magnitude: Int
        switch parts.count {
        case 1:
            guard let value = digits(parts[0], max: 4) else { return .unreadable }
            magnitude = value
        case 2:
            guard let hours = digits(parts[0], max: 2), parts[1].count == 2, let mins = digits(parts[1], max: 2), mins < 60 else {
                return .unreadable
            }
            magnitude = hours * 60 + mins
        default:
            return .unreadable
        }
        if magnitude == 0 { return .zero }
        if magnitude > maxMinutes { return .tooLarge }
        if magnitude % stepMinutes != 0 { return .offStep }
        return .minutes(sign * magnitude)
    }
}

/// A typed shift, read.
public enum ShiftInput: Sendable, Equatable {
    case minutes(Int)
    case unreadable
    case zero
    case tooLarge
    case offStep
}

extension ShiftWindow {
    /// A typed range of the day, "10:00-14:00" (also "10-14", "9:30 – 12", a dash of any
    /// kind), or nil. Checked for length and shape before any arithmetic; "24:00" ends the day.
    public static func parse(_ typed: String, day: LocalDate) -> ShiftWindow? {
        let text = typed.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.unicodeScalars.count <= 16, let (from, to) = TypedClock.span(text) else { return nil }
        return ShiftWindow(day: day, from: from, to: to)
    }
}
