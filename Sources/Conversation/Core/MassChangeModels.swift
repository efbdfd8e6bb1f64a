import Booking
import Foundation
import Texts

/// One booking of a mass change (SPEC admin 9) as staff see it: whose, which service, its
/// time now and after the change, and what stops it (a shift's conflict), if anything.
public struct MassLine: Sendable, Equatable {
    public var id: Int64
    public var client: ClientInfo
    public var service: String
    public var from: Date
    public var to: Date
    public var conflict: ShiftConflict?

    public init(id: Int64, client: ClientInfo, service: String, from: Date, to: Date, conflict: ShiftConflict? = nil) {
        self.id = id
        self.client = client
        self.service = service
        self.from = from
        self.to = to
        self.conflict = conflict
    }
}

/// What a shift of a window by some minutes would do, in time order.
public struct ShiftPreview: Sendable, Equatable {
    public var lines: [MassLine]

    public init(lines: [MassLine]) {
        self.lines = lines
    }

    public var ids: [Int64] { lines.map(\.id) }
    public var conflicts: [MassLine] { lines.filter { $0.conflict != nil } }
    /// Confirm is offered only for this: something to move and nothing in the way.
    public var canConfirm: Bool { !lines.isEmpty && conflicts.isEmpty }
}

/// What the store decided on a shift at commit.
public enum ShiftResult: Sendable, Equatable {
    /// All moved (the lines' `to` is where they are now).
    case done([MassLine])
    /// Not the bookings previewed: nothing moved; the fresh preview.
    case changed(ShiftPreview)
    /// A conflict at commit: nothing moved; the fresh preview with it.
    case conflicts(ShiftPreview)
    /// Nothing to move in the window any more.
    case nothing

    public var auditOutcome: AuditOutcome {
        switch self {
        case .done: return .done
        case .changed: return .refused("changed")
        case .conflicts: return .refused("conflicts")
        case .nothing: return .refused("nothing_to_move")
        }
    }
}

/// Why a service's bookings were not moved to another service (the store's, at commit).
public enum ServiceMoveProblem: String, Sendable, Equatable {
    case notFound = "not_found"
    case sameService = "same_service"
    case targetUnavailable = "target_unavailable"
    case durationDiffers = "duration_differs"
    case changed
    case nothingToMove = "nothing_to_move"
}

/// What the store decided on moving a service's bookings.
public enum ServiceMoveResult: Sendable, Equatable {
    /// The bookings moved (their `service` is the new one), in time order.
    case done([MassLine])
    case refused(ServiceMoveProblem)

    public var auditOutcome: AuditOutcome {
        switch self {
        case .done: return .done
        case .refused(let problem): return .refused(problem.rawValue)
        }
    }
}
