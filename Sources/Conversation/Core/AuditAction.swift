import Booking
import Foundation

/// One row of the audit log: what a staff member did (or tried), typed so that the audit
/// screen can render every kind in each language and nothing is spelt twice.
public enum AuditAction: Sendable, Equatable {
    /// A step of a flow refused for lack of access (any step: opening, a press, a change).
    case attempt(flow: FlowID, step: String)
    case bookingCreated(booking: Int64, client: Int64, service: Int64)
    case bookingCancelled(booking: Int64, client: Int64, reason: String?)
    case bookingMoved(booking: Int64, client: Int64, from: Date, to: Date)
    /// An export started as a background job (its file goes to the actor's chat).
    case exportStarted(Job.Kind)
    /// A staff member turned one kind of their own booking notices on or off.
    case noticeChanged(kind: NoticeKind, enabled: Bool)
    /// A setting changed (`key` as stored, values as `SettingChange.auditText` writes
    /// them); `refusal`: the store would not take it and nothing was saved.
    case settingChanged(key: String, old: String, new: String, refusal: String?)

    /// Each case's stored name (`audit_log.action`): the audit screen reads rows back by it.
    public enum Kind: String, Sendable, CaseIterable {
        case attempt = "flow.step"
        case bookingCreated = "booking.create"
        case bookingCancelled = "booking.cancel"
        case bookingMoved = "booking.move"
        case exportStarted = "export.start"
        case noticeChanged = "notices.set"
        case settingChanged = "settings.change"
    }

    public var kind: Kind {
        switch self {
        case .attempt: return .attempt
        case .bookingCreated: return .bookingCreated
        case .bookingCancelled: return .bookingCancelled
        case .bookingMoved: return .bookingMoved
        case .exportStarted: return .exportStarted
        case .noticeChanged: return .noticeChanged
        case .settingChanged: return .settingChanged
        }
    }

    /// `audit_log.action`.
    public var name: String { kind.rawValue }

    /// `audit_log.target`: what was acted on.
    public var target: String? {
        switch self {
        case .attempt(let flow, _): return "flow:\(flow)"
        case .bookingCreated(let booking, _, _), .bookingCancelled(let booking, _, _), .bookingMoved(let booking, _, _, _):
            return "booking:\(booking)"
        case .exportStarted(let kind): return "export:\(kind.rawValue)"
        case .noticeChanged(let kind, _): return "notices:\(kind.rawValue)"
        case .settingChanged(let key, _, _, _): return "setting:\(key)"
        }
    }

    /// `audit_log.details`.
    public var details: [String: AuditValue] {
        switch self {
        case .attempt(_, let step): return ["step": .text(step)]
        case .bookingCreated(_, let client, let service): return ["client": .int(client), "service": .int(service)]
        case .bookingCancelled(_, let client, let reason): return ["client": .int(client), "reason": .text(reason ?? "")]
        case .bookingMoved(_, let client, let from, let to):
            return ["client": .int(client), "from": .time(from), "to": .time(to)]
        case .exportStarted(let kind): return ["kind": .text(kind.rawValue)]
        case .noticeChanged(let kind, let enabled): return ["kind": .text(kind.rawValue), "enabled": .text(enabled ? "on" : "off")]
        case .settingChanged(let key, let old, let new, let refusal):
            var details: [String: AuditValue] = ["key": .text(key), "old": .text(old), "new": .text(new)]
            if let refusal { details["outcome"] = .text("refused:\(refusal)") }
            return details
        }
    }
}

/// A value in an audit row's details.
public enum AuditValue: Sendable, Equatable {
    case int(Int64)
    case text(String)
    case time(Date)
}
