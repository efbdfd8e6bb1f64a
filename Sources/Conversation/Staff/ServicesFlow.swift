import Foundation
import Texts

/// The services (SPEC admin 5), for moderators and super admins: the list (in use in the
/// clients' order, archived after), a service's card, and its changes — activate or
/// deactivate, move up or down, archive (a service that was ever booked: never deleted),
/// delete (one never booked, after a question), restore. Creating and editing is
/// `ServiceFormFlow`. Every change is decided by the store at commit time and audited by
/// the change runner, refusals included.
public struct ServicesFlow: Flow {
    public enum Action: FlowAction {
        case list
        /// A page of the list, from 0 (a keyboard holds at most 100 buttons).
        case page(Int)
        case card(Int64)
        case activate(Int64)
        case deactivate(Int64)
        case up(Int64)
        case down(Int64)
        case archive(Int64)
        /// The delete question.
        case askDelete(Int64)
        case delete(Int64)
        case restore(Int64)

        public static let flow: FlowID = "sv"
        public static let shapes: [String: [ButtonField]] = [
            "l": [], "p": [.page], "c": [.id], "on": [.id], "of": [.id], "u": [.id], "d": [.id], "ar": [.id], "x": [.id], "xk": [.id], "rs": [.id],
        ]
        public var encoded: ButtonCode {
            switch self {
            case .list: return ButtonCode("l")
            case .page(let page): return ButtonCode("p", [page])
            case .card(let id): return ButtonCode("c", [Int(id)])
            case .activate(let id): return ButtonCode("on", [Int(id)])
            case .deactivate(let id): return ButtonCode("of", [Int(id)])
            case .up(let id): return ButtonCode("u", [Int(id)])
            case .down(let id): return ButtonCode("d", [Int(id)])
            case .archive(let id): return ButtonCode("ar", [Int(id)])
            case .askDelete(let id): return ButtonCode("x", [Int(id)])
            case .delete(let id): return ButtonCode("xk", [Int(id)])
            case .restore(let id): return ButtonCode("rs", [Int(id)])
            }
        }
        public init?(code: String, numbers: [Int]) {
            if code == "l" {
                guard numbers.isEmpty else { return nil }
                self = .list
                return
            }
            guard numbers.count == 1 else { return nil }
            if code == "p" {
                self = .page(numbers[0])
                return
            }
            let id = Int64(numbers[0])
            switch code {
            case "c": self = .card(id)
            case "on": self = .activate(id)
            case "of": self = .deactivate(id)
            case "u": self = .up(id)
            case "d": self = .down(id)
            case "ar": self = .archive(id)
            case "x": self = .askDelete(id)
            case "xk": self = .delete(id)
            case "rs": self = .restore(id)
            default: return nil
            }
        }

        /// The service a press is about.
        var service: Int64? {
            switch self {
            case .list, .page: return nil
            case .card(let id), .activate(let id), .deactivate(let id), .up(let id), .down(let id), .archive(let id),
                 .askDelete(let id), .delete(let id), .restore(let id):
                return id
            }
        }
    }

    public struct Query: FlowQuery {
        /// The service whose card may be shown (its bookings are counted).
        var service: Int64?

        public struct Result: Sendable {
            var services: [StaffService]
            var counts: ServiceBookingCounts?
        }

        public func read(from store: any StoreReads) throws -> Result {
            Result(services: try store.allServices(), counts: try service.map { try store.serviceBookings($0) })
        }
    }

    /// One change of a service from its card.
    public struct Change: FlowChange {
        enum Kind: Sendable, Equatable {
            case activate, deactivate, archive, restore, delete
            case move(ServiceMove)
        }

        var kind: Kind
        var service: Int64

        public func audit(of outcome: ServiceResult?) -> AuditAction? {
            let refused = outcome?.refusal
            switch kind {
            case .activate: return .serviceActivated(service: service, refused: refused)
            case .deactivate: return .serviceDeactivated(service: service, refused: refused)
            case .archive: return .serviceArchived(service: service, refused: refused)
            case .restore: return .serviceRestored(service: service, refused: refused)
            case .delete:
                var name: String?
                if case .done(let deleted, _)? = outcome { name = deleted.fields.name }
                return .serviceDeleted(service: service, name: name, refused: refused)
            case .move(let direction): return .serviceReordered(service: service, direction: direction, refused: refused)
            }
        }

        public func apply(to store: any StoreChanges, by actor: ChangeActor) throws -> ServiceResult {
            switch kind {
            case .activate: return try store.setServiceActive(service, true)
            case .deactivate: return try store.setServiceActive(service, false)
            case .archive: return try store.archiveService(service)
            case .restore: return try store.restoreService(service)
            case .delete: return try store.deleteService(service)
            case .move(let direction): return try store.moveService(service, direction)
            }
        }
    }

    public init() {}

    public func plan(_ event: Event<Action>, state: NoState?, in context: Context) -> Plan<Query, Change> {
        guard case .pressed(let action, _) = event else { return Plan(query: Query()) }
        let query = Query(service: action.service)
        let kind: Change.Kind
        switch action {
        case .list, .page, .card, .askDelete: return Plan(query: query)
        case .activate: kind = .activate
        case .deactivate: kind = .deactivate
        case .up: kind = .move(.up)
        case .down: kind = .move(.down)
        case .archive: kind = .archive
        case .delete: kind = .delete
        case .restore: kind = .restore
        }
        return Plan(query: query, change: action.service.map { Change(kind: kind, service: $0) })
    }

    public func respond(_ event: Event<Action>, state: NoState?, read: Query.Result, outcome: ServiceResult?,
                        in context: Context) -> Reply<NoState> {
        guard case .pressed(let action, let entry) = event else { return list(read, notice: nil, entry: nil, context) }
        guard let id = action.service else {
            if case .page(let page) = action { return list(read, notice: nil, page: page, entry: entry, context) }
            return list(read, notice: nil, entry: entry, context)
        }
        if case .askDelete = action {
            guard let service = read.services.first(where: { $0.id == id }) else { return list(read, notice: .notFound, entry: entry, context) }
            guard (read.counts?.ever ?? 0) == 0 else { return card(service, read, notice: .hasBookings, entry: entry, context) }
            let say = context.say
            return context.show(ServicesText.deleteQuestion(name: service.fields.name),
                                buttons: [[say.staffButton(ServicesButton.confirmDelete, Action.delete(id))],
                                          [say.staffButton(StaffButton.back, Action.card(id))]],
                                entry: entry, next: .open(NoState()))
        }
        var notice: ServicesNotice?
        switch outcome {
        case .done(let service, _)?:
            switch action {
            case .delete: return list(read, notice: .deleted(name: service.fields.name), entry: entry, context)
            case .activate: notice = .activated
            case .deactivate: notice = .deactivated
            case .archive: notice = .archived
            case .restore: notice = .restored
            default: notice = .moved
            }
        case .refused(let why)?:
            notice = Self.notice(why)
        case nil:
            break
        }
        guard let service = read.services.first(where: { $0.id == id }) else { return list(read, notice: .notFound, entry: entry, context) }
        return card(service, read, notice: notice, entry: entry, context)
    }

    private static func notice(_ refusal: ServiceRefusal) -> ServicesNotice {
        switch refusal {
        case .notFound: return .notFound
        case .nameTaken: return .nameTaken
        case .archived: return .isArchived
        case .notArchived: return .notArchived
        case .hasBookings: return .hasBookings
        case .neverBooked: return .neverBooked
        case .atEdge: return .atEdge
        case .invalid: return .invalid
        }
    }

    static let pageSize = 20

    private func list(_ read: Query.Result, notice: ServicesNotice?, page: Int = 0, entry: Entry?, _ context: Context) -> Reply<NoState> {
        let say = context.say
        let pages = max(1, (read.services.count + Self.pageSize - 1) / Self.pageSize)
        // A page past the end (services deleted meanwhile, or a forged button): the last one.
        let page = min(page, pages - 1)
        let shown = read.services.dropFirst(page * Self.pageSize).prefix(Self.pageSize)
        let services = shown.map { service in
            [say.staffButton(ServicesButton.service(name: service.fields.name, state: Self.state(of: service),
                                                    durationMinutes: service.fields.durationMinutes), Action.card(service.id))]
        }
        var paging: [InlineButton] = []
        if page > 0 { paging.append(say.staffButton(StaffButton.previousPage, Action.page(page - 1))) }
        if page + 1 < pages { paging.append(say.staffButton(StaffButton.nextPage, Action.page(page + 1))) }
        let archived = read.services.filter(\.archived).count
        return context.show(ServicesText.list(inUse: read.services.count - archived, archived: archived, page: page + 1, pages: pages,
                                              notice: notice),
                            buttons: [[say.staffButton(ServicesButton.new, ServiceFormFlow.Action.new)]] + services
                                + (paging.isEmpty ? [] : [paging]) + [[say.staffButton(StaffButton.back, StaffMenuFlow.Action.home)]],
                            entry: entry, next: .open(NoState()))
    }

    private func card(_ service: StaffService, _ read: Query.Result, notice: ServicesNotice?, entry: Entry?,
                      _ context: Context) -> Reply<NoState> {
        let say = context.say
        let inUse = read.services.filter { !$0.archived }
        let position = inUse.firstIndex { $0.id == service.id }
        let counts = read.counts ?? ServiceBookingCounts(upcoming: 0, ever: 0)
        let info = ServiceCardInfo(name: service.fields.name, description: service.fields.description,
                                   durationMinutes: service.fields.durationMinutes, priceText: service.fields.priceText,
                                   amount: service.fields.priceCents.map(ServicePrice.text(cents:)), state: Self.state(of: service),
                                   upcomingBookings: counts.upcoming, position: position.map { $0 + 1 },
                                   inUse: inUse.count)
        let id = service.id
        var buttons: [[InlineButton]] = []
        if service.archived {
            buttons.append([say.staffButton(ServicesButton.restore, Action.restore(id))])
        } else {
            buttons.append([say.staffButton(ServicesButton.edit, ServiceFormFlow.Action.edit(id)),
                            service.active ? say.staffButton(ServicesButton.deactivate, Action.deactivate(id))
                                : say.staffButton(ServicesButton.activate, Action.activate(id))])
            var order: [InlineButton] = []
            if let position, position > 0 { order.append(say.staffButton(ServicesButton.up, Action.up(id))) }
            if let position, position + 1 < inUse.count { order.append(say.staffButton(ServicesButton.down, Action.down(id))) }
            if !order.isEmpty { buttons.append(order) }
            buttons.append([counts.ever > 0 ? say.staffButton(ServicesButton.archive, Action.archive(id))
                                : say.staffButton(ServicesButton.delete, Action.askDelete(id))])
        }
        buttons.append([say.staffButton(ServicesButton.toList, Action.list)])
        return context.show(ServicesText.card(info, notice: notice), buttons: buttons, entry: entry, next: .open(NoState()))
    }

    static func state(of service: StaffService) -> ServiceStateName {
        service.archived ? .archived : service.active ? .active : .inactive
    }
}
