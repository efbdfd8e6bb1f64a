import Booking
import Foundation

/// One row of the audit log: what a staff member did (or tried), typed so that the audit
/// screen can render every kind in each language and nothing is spelt twice.
public enum AuditAction: Sendable, Equatable {
    /// A step of a flow refused for lack of access (any step: opening, a press, a change).
    case attempt(flow: FlowID, step: String)
    case bookingCreated(booking: Int64, client: Int64, service: Int64)
    /// `client` is nil when the store refused before naming one (no such booking).
    case bookingCancelled(booking: Int64, client: Int64?, reason: String?, outcome: AuditOutcome = .done)
    /// `from` is nil when the store refused before the booking's time was known.
    case bookingMoved(booking: Int64, client: Int64?, from: Date?, to: Date, outcome: AuditOutcome = .done)
    /// Staff marked a visit completed, or the client a no-show.
    case bookingClosed(booking: Int64, client: Int64?, as: VisitOutcome, outcome: AuditOutcome)
    /// An export started as a background job (its file goes to the actor's chat).
    case exportStarted(Job.Kind)
    /// A staff member turned one kind of their own booking notices on or off.
    case noticeChanged(kind: NoticeKind, enabled: Bool)
    /// A setting changed (`key` as stored, values as `SettingChange.auditText` writes
    /// them); `refusal`: the store would not take it and nothing was saved.
    case settingChanged(key: String, old: String, new: String, refusal: String?)
    /// Service changes (SPEC admin 5); `refused` is the store's no (the change did not
    /// happen: the row says why in `outcome`). A create refused has no service id.
    case serviceCreated(service: Int64?, name: String, refused: ServiceRefusal?)
    case serviceUpdated(service: Int64, changes: [ServiceFieldChange], refused: ServiceRefusal?)
    case serviceActivated(service: Int64, refused: ServiceRefusal?)
    case serviceDeactivated(service: Int64, refused: ServiceRefusal?)
    case serviceArchived(service: Int64, refused: ServiceRefusal?)
    case serviceRestored(service: Int64, refused: ServiceRefusal?)
    case serviceDeleted(service: Int64, name: String?, refused: ServiceRefusal?)
    case serviceReordered(service: Int64, direction: ServiceMove, refused: ServiceRefusal?)
    /// Mass changes (SPEC admin 9): the bookings of a window of a day shifted by `minutes`
    /// (`count` of them: moved, or previewed when refused), and a service's future bookings
    /// moved to another service.
    case bookingsShifted(window: ShiftWindow, minutes: Int, count: Int, outcome: AuditOutcome)
    case serviceBookingsMoved(from: Int64, to: Int64, count: Int, outcome: AuditOutcome)
    /// Staff changes (SPEC admin 11); `refused`: the store's no, nothing changed.
    case adminAdded(person: Int64, role: Role, refused: StaffRefusal?)
    case adminRoleChanged(person: Int64, role: Role, refused: StaffRefusal?)
    case adminRemoved(person: Int64, refused: StaffRefusal?)
    /// A bookings export started (SPEC admin 13): the local days, both included.
    case bookingsExported(from: LocalDate, to: LocalDate)
    /// A block of the calendar (SPEC admin 7) and how many bookings it cancelled; `block`
    /// is nil when nothing was written (`outcome` says why).
    case blockCreated(block: Int64?, range: TimeRange, reason: String, cancelled: Int, outcome: AuditOutcome)
    /// A block removed; its range and reason as they were, nil when there was none.
    case blockRemoved(block: Int64, range: TimeRange?, reason: String?, outcome: AuditOutcome)
    /// One whitelisted field edited in the field editor (SPEC admin 10): `target` as
    /// `service:5`, `block:3`, `admin:7`; `old` is empty when the edit did not happen.
    case fieldEdited(target: String, field: String, old: String, new: String, outcome: AuditOutcome)
    /// A broadcast confirmed (`broadcast` nil and `refused` set when the store refused it).
    case broadcastCreated(broadcast: Int64?, recipients: Int, length: Int, refused: String?)

    /// Each case's stored name (`audit_log.action`): the audit screen reads rows back by it.
    public enum Kind: String, Sendable, CaseIterable {
        case attempt = "flow.step"
        case bookingCreated = "booking.create"
        case bookingCancelled = "booking.cancel"
        case bookingMoved = "booking.move"
        case bookingCompleted = "booking.complete"
        case bookingNoShow = "booking.no_show"
        case exportStarted = "export.start"
        case noticeChanged = "notices.set"
        case settingChanged = "settings.change"
        case serviceCreated = "service.create"
        case serviceUpdated = "service.update"
        case serviceActivated = "service.activate"
        case serviceDeactivated = "service.deactivate"
        case serviceArchived = "service.archive"
        case serviceRestored = "service.restore"
        case serviceDeleted = "service.delete"
        case serviceReordered = "service.reorder"
        case bookingsShifted = "booking.shift"
        case serviceBookingsMoved = "booking.service_move"
        case adminAdded = "admin.add"
        case adminRoleChanged = "admin.role"
        case adminRemoved = "admin.remove"
        case bookingsExported = "export.bookings"
        case blockCreated = "block.create"
        case blockRemoved = "block.remove"
        case fieldEdited = "field.edit"
        case broadcastCreated = "broadcast.create"
    }

    public var kind: Kind {
        switch self {
        case .attempt: return .attempt
        case .bookingCreated: return .bookingCreated
        case .bookingCancelled: return .bookingCancelled
        case .bookingMoved: return .bookingMoved
        case .bookingClosed(_, _, .completed, _): return .bookingCompleted
        case .bookingClosed(_, _, .noShow, _): return .bookingNoShow
        case .exportStarted: return .exportStarted
        case .noticeChanged: return .noticeChanged
        case .settingChanged: return .settingChanged
        case .serviceCreated: return .serviceCreated
        case .serviceUpdated: return .serviceUpdated
        case .serviceActivated: return .serviceActivated
        case .serviceDeactivated: return .serviceDeactivated
        case .serviceArchived: return .serviceArchived
        case .serviceRestored: return .serviceRestored
        case .serviceDeleted: return .serviceDeleted
        case .serviceReordered: return .serviceReordered
        case .bookingsShifted: return .bookingsShifted
        case .serviceBookingsMoved: return .serviceBookingsMoved
        case .adminAdded: return .adminAdded
        case .adminRoleChanged: return .adminRoleChanged
        case .adminRemoved: return .adminRemoved
        case .bookingsExported: return .bookingsExported
        case .blockCreated: return .blockCreated
        case .blockRemoved: return .blockRemoved
        case .fieldEdited: return .fieldEdited
        case .broadcastCreated: return .broadcastCreated
        }
    }

    /// `audit_log.action`.
    public var name: String { kind.rawValue }

    /// `audit_log.target`: what was acted on.
    public var target: String? {
        switch self {
        case .attempt(let flow, _): return "flow:\(flow)"
        case .bookingCreated(let booking, _, _), .bookingCancelled(let booking, _, _, _), .bookingMoved(let booking, _, _, _, _),
             .bookingClosed(let booking, _, _, _):
            return "booking:\(booking)"
        case .exportStarted(let kind): return "export:\(kind.rawValue)"
        case .noticeChanged(let kind, _): return "notices:\(kind.rawValue)"
        case .settingChanged(let key, _, _, _): return "setting:\(key)"
        case .serviceCreated(let service, _, _): return service.map { "service:\($0)" }
        case .serviceUpdated(let service, _, _), .serviceActivated(let service, _), .serviceDeactivated(let service, _),
             .serviceArchived(let service, _), .serviceRestored(let service, _), .serviceDeleted(let service, _, _),
             .serviceReordered(let service, _, _):
            return "service:\(service)"
        case .bookingsShifted(let window, _, _, _): return "day:\(window.day)"
        case .serviceBookingsMoved(let from, _, _, _): return "service:\(from)"
        case .adminAdded(let person, _, _), .adminRoleChanged(let person, _, _), .adminRemoved(let person, _):
            return "admin:\(person)"
        case .bookingsExported: return "export:\(Job.Kind.bookingsExport.rawValue)"
        case .blockCreated(let block, _, _, _, _): return block.map { "block:\($0)" }
        case .blockRemoved(let block, _, _, _): return "block:\(block)"
        case .fieldEdited(let target, _, _, _, _): return target
        case .broadcastCreated(let broadcast, _, _, _): return broadcast.map { "broadcast:\($0)" }
        }
    }

    /// `audit_log.details`.
    public var details: [String: AuditValue] {
        switch self {
        case .attempt(_, let step): return ["step": .text(step)]
        case .bookingCreated(_, let client, let service): return ["client": .int(client), "service": .int(service)]
        case .bookingCancelled(_, let client, let reason, let outcome):
            return Self.known(["reason": .text(reason ?? ""), "outcome": .text(outcome.stored)], client: client)
        case .bookingMoved(_, let client, let from, let to, let outcome):
            var details: [String: AuditValue] = ["to": .time(to), "outcome": .text(outcome.stored)]
            if let from { details["from"] = .time(from) }
            return Self.known(details, client: client)
        case .bookingClosed(_, let client, _, let outcome):
            return Self.known(["outcome": .text(outcome.stored)], client: client)
        case .exportStarted(let kind): return ["kind": .text(kind.rawValue)]
        case .serviceCreated(_, let name, let refused): return Self.outcome(refused, ["name": .text(name)])
        case .serviceUpdated(_, let changes, let refused):
            var details: [String: AuditValue] = [:]
            for change in changes { details[change.field.rawValue] = .text("\(change.from) → \(change.to)") }
            return Self.outcome(refused, details)
        case .serviceActivated(_, let refused), .serviceDeactivated(_, let refused), .serviceArchived(_, let refused),
             .serviceRestored(_, let refused):
            return Self.outcome(refused, [:])
        case .serviceDeleted(_, let name, let refused): return Self.outcome(refused, name.map { ["name": .text($0)] } ?? [:])
        case .serviceReordered(_, let direction, let refused): return Self.outcome(refused, ["direction": .text(direction.rawValue)])
        case .noticeChanged(let kind, let enabled): return ["kind": .text(kind.rawValue), "enabled": .text(enabled ? "on" : "off")]
        case .settingChanged(let key, let old, let new, let refusal):
            var details: [String: AuditValue] = ["key": .text(key), "old": .text(old), "new": .text(new)]
            if let refusal { details["outcome"] = .text(AuditOutcome.refused(refusal).stored) }
            return details
        case .bookingsShifted(let window, let minutes, let count, let outcome):
            func clock(_ minute: Int) -> String {
                let (hours, rest) = minute.quotientAndRemainder(dividingBy: 60)
                return (hours < 10 ? "0" : "") + "\(hours):" + (rest < 10 ? "0" : "") + "\(rest)"
            }
            return ["day": .text(window.day.description), "range": .text(window.isWholeDay ? "whole_day" : "\(clock(window.from))-\(clock(window.to))"),
                    "minutes": .int(Int64(minutes)), "count": .int(Int64(count)), "outcome": .text(outcome.stored)]
        case .serviceBookingsMoved(_, let to, let count, let outcome):
            return ["to": .int(to), "count": .int(Int64(count)), "outcome": .text(outcome.stored)]
        case .adminAdded(_, let role, let refused), .adminRoleChanged(_, let role, let refused):
            return ["role": .text(role.storedName ?? ""), "outcome": .text(Self.staffOutcome(refused).stored)]
        case .adminRemoved(_, let refused):
            return ["outcome": .text(Self.staffOutcome(refused).stored)]
        case .bookingsExported(let from, let to): return ["from": .text(from.description), "to": .text(to.description)]
        case .blockCreated(_, let range, let reason, let cancelled, let outcome):
            return ["from": .time(range.start), "to": .time(range.end), "reason": .text(reason), "cancelled": .int(Int64(cancelled)),
                    "outcome": .text(outcome.stored)]
        case .blockRemoved(_, let range, let reason, let outcome):
            var details: [String: AuditValue] = ["outcome": .text(outcome.stored)]
            if let range { (details["from"], details["to"]) = (.time(range.start), .time(range.end)) }
            if let reason { details["reason"] = .text(reason) }
            return details
        case .fieldEdited(_, let field, let old, let new, let outcome):
            return ["field": .text(field), "old": .text(old), "new": .text(new), "outcome": .text(outcome.stored)]
        case .broadcastCreated(_, let recipients, let length, let refused):
            return ["recipients": .int(Int64(recipients)), "length": .int(Int64(length)),
                    "outcome": .text((refused.map(AuditOutcome.refused) ?? .done).stored)]
        }
    }

    /// An addition counts towards the hourly limit only when its row says `done`.
    private static func staffOutcome(_ refused: StaffRefusal?) -> AuditOutcome {
        refused.map { .refused($0.rawValue) } ?? .done
    }
}

extension AuditAction {
    private static func known(_ details: [String: AuditValue], client: Int64?) -> [String: AuditValue] {
        guard let client else { return details }
        return details.merging(["client": .int(client)]) { $1 }
    }

    /// A change the store refused says so: the row must not read as if it happened.
    private static func outcome(_ refused: ServiceRefusal?, _ details: [String: AuditValue]) -> [String: AuditValue] {
        guard let refused else { return details }
        return details.merging(["outcome": .text(AuditOutcome.refused(refused.rawValue).stored)]) { _, new in new }
    }
}

/// Whether a change the runner allowed happened: the store may still refuse it (no such
/// booking, a rule at commit), and the audit row must not say it happened.
public enum AuditOutcome: Sendable, Equatable {
    case done
    /// The store's reason (`BookingRefusal`'s raw value, or `not_found`).
    case refused(String)

    /// `details.outcome`: "done" or "refused:<why>".
    public var stored: String {
        switch self {
        case .done: return "done"
        case .refused(let why): return "refused:\(why)"
        }
    }

    /// Read back from `details.outcome`; nil when absent or unknown.
    public init?(stored: String) {
        if stored == "done" {
            self = .done
        } else if stored.hasPrefix("refused:") {
            self = .refused(String(stored.dropFirst("refused:".count)))
        } else {
            return nil
        }
    }
}

/// One field of a service changed by an edit, for the audit row.
public struct ServiceFieldChange: Sendable, Equatable {
    public enum Field: String, Sendable, CaseIterable {
        case name, description, duration, priceText = "price_text", priceAmount = "price_amount"
    }

    public var field: Field
    public var from: String
    public var to: String

    public init(field: Field, from: String, to: String) {
        self.field = field
        self.from = from
        self.to = to
    }

    /// The fields that differ, in the form's order.
    public static func between(_ old: ServiceFields, _ new: ServiceFields) -> [ServiceFieldChange] {
        let amount = { (cents: Int64?) in cents.map(ServicePrice.text(cents:)) ?? "" }
        let pairs: [(Field, String, String)] = [
            (.name, old.name, new.name), (.description, old.description, new.description),
            (.duration, String(old.durationMinutes), String(new.durationMinutes)), (.priceText, old.priceText, new.priceText),
            (.priceAmount, amount(old.priceCents), amount(new.priceCents)),
        ]
        return pairs.filter { $0.1 != $0.2 }.map { ServiceFieldChange(field: $0.0, from: $0.1, to: $0.2) }
    }
}

/// A value in an audit row's details.
public enum AuditValue: Sendable, Equatable {
    case int(Int64)
    case text(String)
    case time(Date)
}
