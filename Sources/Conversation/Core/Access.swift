/// Who the person behind an update is to the business, read inside the update's
/// transaction: owners (`ADMIN_IDS`) are super admins, staff added in the bot have their
/// stored role, everyone else is a client.
public enum Role: Int, Sendable, Comparable, Codable, CaseIterable {
    case client = 0
    case moderator = 1
    case superAdmin = 2

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The `admins.role` value, for staff.
    public var storedName: String? {
        switch self {
        case .client: return nil
        case .moderator: return "moderator"
        case .superAdmin: return "super_admin"
        }
    }

    public init?(storedName: String) {
        switch storedName {
        case "moderator": self = .moderator
        case "super_admin": self = .superAdmin
        default: return nil
        }
    }
}

/// Who may use a flow: checked by the router on every step and again, inside the
/// transaction, by the change runner before any change.
public enum Access: Sendable, Equatable, CustomStringConvertible {
    case anyone
    /// Moderators and super admins (SPEC: schedule, clients, bookings, blocks, services).
    case moderator
    /// Super admins only (SPEC: broadcast, export, settings, admins, audit log).
    case superAdmin

    public var lowestRole: Role {
        switch self {
        case .anyone: return .client
        case .moderator: return .moderator
        case .superAdmin: return .superAdmin
        }
    }

    public func allows(_ role: Role) -> Bool { role >= lowestRole }

    /// Staff-only flows audit every change and every refusal.
    public var isStaff: Bool { self != .anyone }

    public var description: String {
        switch self {
        case .anyone: return "anyone"
        case .moderator: return "moderator"
        case .superAdmin: return "super_admin"
        }
    }
}

/// A flow's name: the prefix of its buttons' callback data and the `conversations.state`
/// of an open flow. Short (callback data has 64 bytes), lowercase letters only.
public struct FlowID: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String

    public init?(rawValue: String) {
        guard (1...3).contains(rawValue.count), rawValue.allSatisfy({ ("a"..."z").contains($0) }) else { return nil }
        self.rawValue = rawValue
    }

    public init(stringLiteral value: String) {
        guard let id = FlowID(rawValue: value) else { preconditionFailure("not a flow id: \(value)") }
        self = id
    }

    public var description: String { rawValue }
}
