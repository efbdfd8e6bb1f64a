import Booking
import Texts
import Foundation

/// A block of the calendar as staff screens show it (SPEC admin 7).
public struct BlockInfo: Sendable, Equatable {
    public var id: Int64
    public var range: TimeRange
    public var reason: String

    public init(id: Int64, range: TimeRange, reason: String) {
        self.id = id
        self.range = range
        self.reason = reason
    }
}

/// A page of the blocks not yet over, soonest first, and how many there are.
public struct BlockPage: Sendable, Equatable {
    public var blocks: [BlockInfo]
    public var total: Int

    public init(blocks: [BlockInfo], total: Int) {
        self.blocks = blocks
        self.total = total
    }
}

/// What the store decided on a block confirmed from its preview.
public enum BlockingOutcome: Sendable, Equatable {
    /// Blocked; these bookings were cancelled in the same transaction (their clients, and
    /// the staff who take cancellation notices, are to be told).
    case done(block: Int64, cancelled: [StaffBooking])
    /// The bookings under the range are not those of the preview any more: nothing was written.
    case changed
    /// The request itself would not do at commit (stale or forged): nothing was written.
    case refused(BlockRequest.Problem)
}

/// A block as confirmed, checked again at commit with the bounds of that moment.
public struct BlockRequest: Sendable, Equatable {
    public enum Problem: String, Sendable, Equatable {
        /// Nothing to block (the range ends where it starts, or before).
        case empty
        /// The range is over already, or starts before today.
        case past
        /// Beyond the last day a block may reach.
        case tooFar = "too_far"
        case badReason = "bad_reason"
        /// More bookings to cancel than one confirmation may.
        case tooMany = "too_many"
    }

    public var range: TimeRange
    public var reason: String
    /// The confirmed bookings the admin saw on the preview.
    public var expected: Set<Int64>
    public var now: Date
    /// The first instant a block may cover (today's start) and the end of the last day.
    public var earliest: Date
    public var latest: Date
    public var mostCancelled: Int

    public init(range: TimeRange, reason: String, expected: Set<Int64>, now: Date, earliest: Date, latest: Date, mostCancelled: Int) {
        self.range = range
        self.reason = reason
        self.expected = expected
        self.now = now
        self.earliest = earliest
        self.latest = latest
        self.mostCancelled = mostCancelled
    }

    /// Why it must not be written, or nil.
    public var problem: Problem? {
        if range.end <= range.start { return .empty }
        if range.end <= now || range.start < earliest { return .past }
        if range.end > latest { return .tooFar }
        if BlockReasonInput.clean(reason) != reason || BlockReasonInput.problem(reason) != nil { return .badReason }
        if expected.count > mostCancelled { return .tooMany }
        return nil
    }
}

/// A staff member added in the bot, as the field editor lists them (SPEC admin 10).
public struct StaffMemberInfo: Sendable, Equatable {
    public var person: ClientInfo
    public var displayName: String?

    public init(person: ClientInfo, displayName: String?) {
        self.person = person
        self.displayName = displayName
    }
}
