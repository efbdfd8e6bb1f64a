import Foundation

/// A half-open span of time `[start, end)`: 10:00–11:00 and 11:00–12:00 do not overlap.
public struct TimeRange: Sendable, Hashable, CustomStringConvertible {
    public let start: Date
    public let end: Date

    public init(start: Date, end: Date) {
        precondition(start <= end, "a range ends after it starts")
        self.start = start
        self.end = end
    }

    /// A negative length is taken as none (the store never holds one; a trap here would
    /// take the whole worker down).
    public init(start: Date, minutes: Int) {
        self.init(start: start, end: start.addingTimeInterval(Double(Swift.max(0, minutes)) * 60))
    }

    /// Shares at least one instant; an empty range shares none.
    public func overlaps(_ other: TimeRange) -> Bool {
        start < other.end && other.start < end && start < end && other.start < other.end
    }

    public var durationMinutes: Int { Int(saturatingFloor: (end.timeIntervalSince(start) / 60).rounded()) }

    public var description: String { "[\(start), \(end))" }
}

/// The time that is taken on the calendar: confirmed bookings and admin blocks.
public struct Occupancy: Sendable {
    public var bookings: [TimeRange]
    public var blocks: [TimeRange]

    public init(bookings: [TimeRange] = [], blocks: [TimeRange] = []) {
        self.bookings = bookings
        self.blocks = blocks
    }

    public static let empty = Occupancy()

    /// The first thing a range runs into, blocks first (a block is the business's word).
    public func conflict(with range: TimeRange) -> Conflict? {
        if blocks.contains(where: { $0.overlaps(range) }) { return .block }
        if bookings.contains(where: { $0.overlaps(range) }) { return .booking }
        return nil
    }

    public enum Conflict: Sendable { case booking, block }
}
