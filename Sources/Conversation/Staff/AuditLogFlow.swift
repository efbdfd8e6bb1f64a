import Booking
import Foundation
import Texts

/// `/audit` (SPEC admin 12): the audit log for super admins, ten entries a page, newest
/// first, each in the reader's language: who, what, on what, when, allowed or refused.
public struct AuditLogFlow: Flow {
    public enum Action: FlowAction {
        /// A page, from 0 (the newest).
        case page(Int)

        public static let flow: FlowID = "g"
        public static let shapes: [String: [ButtonField]] = ["p": [.page]]
        public var encoded: ButtonCode {
            switch self {
            case .page(let page): return ButtonCode("p", [page])
            }
        }
        public init?(code: String, numbers: [Int]) {
            guard code == "p", numbers.count == 1 else { return nil }
            self = .page(numbers[0])
        }
    }

    public struct Query: FlowQuery {
        var page: Int

        public func read(from store: any StoreReads) throws -> AuditPage {
            try store.auditPage(offset: page * AuditLogFlow.pageSize, limit: AuditLogFlow.pageSize)
        }
    }

    static let pageSize = 10

    public init() {}

    public func plan(_ event: Event<Action>, state: NoState?, in context: Context) -> Plan<Query, NoChange> {
        guard case .pressed(.page(let page), _) = event else { return Plan(query: Query(page: 0)) }
        return Plan(query: Query(page: page))
    }

    public func respond(_ event: Event<Action>, state: NoState?, read: AuditPage, outcome: Void?,
                        in context: Context) -> Reply<NoState> {
        let say = context.say
        var page = 0
        var entry: Entry?
        if case .pressed(.page(let pressed), let at) = event {
            (page, entry) = (pressed, at)
        }
        let pages = max(1, (read.total + Self.pageSize - 1) / Self.pageSize)
        // A page past the end (the log was pruned, or the button forged): say so, change nothing.
        if page >= pages, read.records.isEmpty, read.total > 0 { return context.alertOnly(.invalidButton) }
        var paging: [InlineButton] = []
        if page > 0 { paging.append(say.staffButton(.previousPage, Action.page(page - 1))) }
        if page + 1 < pages { paging.append(say.staffButton(.nextPage, Action.page(page + 1))) }
        let lines = read.records.map { line($0, context) }
        return context.show(.auditPage(lines: lines, page: page + 1, pages: pages, total: read.total),
                            buttons: (paging.isEmpty ? [] : [paging]) + [[say.staffButton(.back, StaffMenuFlow.Action.home)]],
                            entry: entry, next: .open(NoState()))
    }

    /// A stored row in the screen's words: the typed actions by name, anything else as it
    /// was stored.
    private func line(_ record: AuditRecord, _ context: Context) -> StaffAuditLine {
        let details = (try? JSONSerialization.jsonObject(with: Data(record.details.utf8))) as? [String: Any] ?? [:]
        var action: StaffAuditAction
        switch AuditAction.Kind(rawValue: record.action) {
        case .attempt?: action = .step(details["step"] as? String ?? "")
        case .bookingCreated?: action = .bookingCreated
        case .bookingCancelled?: action = .bookingCancelled(reason: details["reason"] as? String ?? "")
        case .bookingMoved?: action = .bookingMoved
        case .bookingCompleted?: action = .bookingCompleted
        case .bookingNoShow?: action = .bookingNoShow
        case .exportStarted?: action = .exportStarted
        case .noticeChanged?:
            action = NoticeKind(rawValue: details["kind"] as? String ?? "")
                .map { .noticeChanged($0, enabled: details["enabled"] as? String == "on") } ?? .other(record.action)
        case .settingChanged?:
            action = .settingChanged(key: details["key"] as? String ?? "", old: details["old"] as? String ?? "",
                                     new: details["new"] as? String ?? "")
        case .serviceCreated?: action = .serviceCreated(name: details["name"] as? String ?? "")
        case .serviceUpdated?:
            let fields = ServiceFieldChange.Field.allCases.map(\.rawValue).filter { details[$0] != nil }
            action = .serviceUpdated(fields: fields)
        case .serviceActivated?: action = .serviceActivated
        case .serviceDeactivated?: action = .serviceDeactivated
        case .serviceArchived?: action = .serviceArchived
        case .serviceRestored?: action = .serviceRestored
        case .serviceDeleted?: action = .serviceDeleted(name: details["name"] as? String ?? "")
        case .serviceReordered?: action = .serviceReordered(up: details["direction"] as? String == ServiceMove.up.rawValue)
        case .bookingsShifted?:
            action = .bookingsShifted(minutes: details["minutes"] as? Int ?? 0, count: details["count"] as? Int ?? 0)
        case .serviceBookingsMoved?: action = .serviceBookingsMoved(count: details["count"] as? Int ?? 0)
        case .adminAdded?, .adminRoleChanged?, .adminRemoved?: action = Self.adminsWords(record)
        case .bookingsExported?:
            let day = { (key: String) in LocalDate(details[key] as? String ?? "") }
            if let from = day("from"), let to = day("to") {
                action = .bookingsExported(BookingsExportAuditWords(from: from, to: to))
            } else {
                action = .other(record.action)
            }
        case .blockCreated?:
            action = .blockCreated(reason: details["reason"] as? String ?? "", cancelled: details["cancelled"] as? Int ?? 0)
        case .blockRemoved?: action = .blockRemoved(reason: details["reason"] as? String ?? "")
        case .fieldEdited?:
            action = .fieldEdited(field: details["field"] as? String ?? "", old: details["old"] as? String ?? "",
                                  new: details["new"] as? String ?? "")
        case .broadcastCreated?: action = .broadcastCreated(recipients: details["recipients"] as? Int ?? 0)
        case nil: action = .other(record.action)
        }
        // A change the store refused at commit (a booking, a service, a setting): say so and
        // why, never that it happened.
        if record.allowed, case .refused(let why)? = (details["outcome"] as? String).flatMap(AuditOutcome.init(stored:)) {
            action = .refusedByStore(action, why: why)
        }
        return StaffAuditLine(time: context.say.local(record.time), actorID: record.actorID, actorName: record.actorName,
                              actorUsername: record.actorUsername, action: action, target: record.target, allowed: record.allowed)
    }
}

// MARK: Admins

extension AuditLogFlow {
    /// A staff change's words: the person from the target (`admin:<id>`), the role from the details.
    static func adminsWords(_ record: AuditRecord) -> StaffAuditAction {
        let details = (try? JSONSerialization.jsonObject(with: Data(record.details.utf8))) as? [String: Any] ?? [:]
        let person = record.target.map { String($0.dropFirst("admin:".count)) } ?? ""
        let superAdmin = details["role"] as? String == Role.superAdmin.storedName
        switch AuditAction.Kind(rawValue: record.action) {
        case .adminAdded?: return .admins(.added(person: person, superAdmin: superAdmin))
        case .adminRoleChanged?: return .admins(.roleChanged(person: person, superAdmin: superAdmin))
        default: return .admins(.removed(person: person))
        }
    }
}
