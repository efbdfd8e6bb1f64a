import Booking
import Foundation
import Texts

/// The field editor (SPEC admin 10), a power tool for super admins: one whitelisted field
/// of one record at a time — a service's fields, a block's reason (blocks not yet over), a
/// staff member's display name. Each typed value is checked by the very code of the field's
/// own screen (the service form's `FormField`s and its save, `BlockReasonInput`,
/// `AdminDisplayNameInput`), at commit, on the record as it is then; each save, and each
/// refusal, is audited as `field.edit` with the old and new value.
public struct FieldEditorFlow: Flow {
    public enum Action: FlowAction {
        case home
        case services(page: Int)
        case blocks(page: Int)
        case staff
        case service(Int64)
        /// A field of a service, by its place in the service form.
        case serviceField(Int64, field: Int)
        case block(Int64)
        case member(Int64)

        public static let flow: FlowID = "fe"
        public static let shapes: [String: [ButtonField]] = [
            "h": [], "ks": [.page], "kb": [.page], "ka": [], "s": [.id], "sf": [.id, .small], "b": [.id], "m": [.id],
        ]

        public var encoded: ButtonCode {
            switch self {
            case .home: return ButtonCode("h")
            case .services(let page): return ButtonCode("ks", [page])
            case .blocks(let page): return ButtonCode("kb", [page])
            case .staff: return ButtonCode("ka")
            case .service(let id): return ButtonCode("s", [Int(id)])
            case .serviceField(let id, let field): return ButtonCode("sf", [Int(id), field])
            case .block(let id): return ButtonCode("b", [Int(id)])
            case .member(let id): return ButtonCode("m", [Int(id)])
            }
        }

        public init?(code: String, numbers n: [Int]) {
            switch (code, n.count) {
            case ("h", 0): self = .home
            case ("ks", 1): self = .services(page: n[0])
            case ("kb", 1): self = .blocks(page: n[0])
            case ("ka", 0): self = .staff
            case ("s", 1): self = .service(Int64(n[0]))
            case ("sf", 2): self = .serviceField(Int64(n[0]), field: n[1])
            case ("b", 1): self = .block(Int64(n[0]))
            case ("m", 1): self = .member(Int64(n[0]))
            default: return nil
            }
        }
    }

    /// The field waiting for its new value.
    public enum Target: Codable, Sendable, Equatable {
        /// A service's field, by the service form's key.
        case service(Int64, key: String)
        case blockReason(Int64)
        case displayName(Int64)

        var auditTarget: String {
            switch self {
            case .service(let id, _): return "service:\(id)"
            case .blockReason(let id): return "block:\(id)"
            case .displayName(let id): return "admin:\(id)"
            }
        }

        var field: String {
            switch self {
            case .service(_, let key): return key
            case .blockReason: return "reason"
            case .displayName: return "display_name"
            }
        }
    }

    public struct State: Codable, Sendable, Equatable {
        public var target: Target?

        public init(target: Target? = nil) {
            self.target = target
        }
    }

    public struct Query: FlowQuery {
        var services = false
        var blocksPage: Int?
        var block: Int64?
        var staff = false

        public func read(from store: any StoreReads) throws -> Result {
            Result(services: services ? try store.allServices() : [],
                   blocks: try blocksPage.map { try store.currentBlocks(offset: $0 * FieldEditorFlow.pageSize, limit: FieldEditorFlow.pageSize) },
                   block: try block.flatMap { try store.block($0) }, staff: staff ? try store.staffMembers() : [])
        }

        public struct Result: Sendable {
            var services: [StaffService]
            var blocks: BlockPage?
            var block: BlockInfo?
            var staff: [StaffMemberInfo]
        }
    }

    /// The typed value for the target, checked at commit by the field's own code.
    public struct Edit: FlowChange {
        var target: Target
        var typed: String

        public enum Outcome: Sendable, Equatable {
            case saved(old: String, new: String)
            /// The field's own check refused the value: asked again, nothing written.
            case invalid(FieldProblem)
            /// No such record (any more), or not editable.
            case refused(String)
        }

        public func apply(to store: any StoreChanges, by actor: ChangeActor) throws -> Outcome {
            switch target {
            case .service(let id, let key):
                guard let service = try store.serviceForEdit(id) else { return .refused(ServiceRefusal.notFound.rawValue) }
                guard !service.archived else { return .refused(ServiceRefusal.archived.rawValue) }
                var draft = ServiceFormFlow.Draft(service)
                // The name's uniqueness is the store's save to settle, as for the form's Confirm.
                guard let field = ServiceFormFlow.form(taken: [], draft: draft).fields.first(where: { $0.key == key }) else {
                    return .refused("unknown_field")
                }
                if let problem = field.read(typed, &draft) { return .invalid(problem) }
                guard let fields = draft.validated else { return .refused(ServiceRefusal.invalid.rawValue) }
                switch try store.updateService(id, fields) {
                case .done(let after, let before):
                    return .saved(old: before.map { FieldEditorFlow.value(of: key, in: $0) } ?? "", new: FieldEditorFlow.value(of: key, in: after.fields))
                case .refused(.nameTaken):
                    return .invalid(.taken)
                case .refused(let why):
                    return .refused(why.rawValue)
                }
            case .blockReason(let id):
                let reason = BlockReasonInput.clean(typed)
                if let problem = BlockReasonInput.problem(reason) { return .invalid(problem) }
                guard let old = try store.setBlockReason(id, reason) else { return .refused("not_found") }
                return .saved(old: old, new: reason)
            case .displayName(let id):
                let name = AdminDisplayNameInput.clean(typed)
                if let problem = AdminDisplayNameInput.problem(name) { return .invalid(problem) }
                guard let old = try store.setDisplayName(id, name) else { return .refused("not_found") }
                return .saved(old: old, new: name)
            }
        }

        public func audit(of outcome: Outcome?) -> AuditAction? {
            // A refused value is kept short: typed text may be 5,000 characters.
            let attempted = String(typed.prefix(100))
            switch outcome {
            case .saved(let old, let new)?:
                return .fieldEdited(target: target.auditTarget, field: target.field, old: old, new: new, outcome: .done)
            case .invalid?:
                return .fieldEdited(target: target.auditTarget, field: target.field, old: "", new: attempted, outcome: .refused("invalid"))
            case .refused(let why)?:
                return .fieldEdited(target: target.auditTarget, field: target.field, old: "", new: attempted, outcome: .refused(why))
            case nil:
                return .fieldEdited(target: target.auditTarget, field: target.field, old: "", new: attempted, outcome: .refused("no_access"))
            }
        }
    }

    static let pageSize = 10

    public init() {}

    public func awaitsText(_ state: State) -> Bool { state.target != nil }

    public func plan(_ event: Event<Action>, state: State?, in context: Context) -> Plan<Query, Edit> {
        switch event {
        case .opened:
            return Plan(query: Query())
        case .typed(let text):
            guard let target = state?.target else { return Plan(query: Query()) }
            return Plan(query: Self.screenRead(after: target), change: Edit(target: target, typed: text))
        case .pressed(let action, _):
            switch action {
            case .home: return Plan(query: Query())
            case .services, .service, .serviceField: return Plan(query: Query(services: true))
            case .blocks(let page): return Plan(query: Query(blocksPage: page))
            case .block(let id): return Plan(query: Query(block: id))
            case .staff, .member: return Plan(query: Query(staff: true))
            }
        }
    }

    /// What the screen after a save shows of the target.
    static func screenRead(after target: Target) -> Query {
        switch target {
        case .service: return Query(services: true)
        case .blockReason(let id): return Query(block: id)
        case .displayName: return Query(staff: true)
        }
    }

    public func respond(_ event: Event<Action>, state: State?, read: Query.Result, outcome: Edit.Outcome?,
                        in context: Context) -> Reply<State> {
        let screens = Screens(context: context, read: read)
        switch event {
        case .opened:
            return screens.home(entry: nil)
        case .typed:
            guard let target = state?.target, let outcome else { return context.keep([context.say.menu(.unknownInput)]) }
            return screens.typed(target, outcome: outcome)
        case .pressed(let action, let entry):
            return screens.pressed(action, entry: entry)
        }
    }

    /// A service field's value as the audit row and the screens write it.
    static func value(of key: String, in fields: ServiceFields) -> String {
        switch key {
        case "name": return fields.name
        case "description": return fields.description
        case "duration": return String(fields.durationMinutes)
        case "price": return fields.priceText
        case "amount": return fields.priceCents.map(ServicePrice.text(cents:)) ?? ""
        default: return ""
        }
    }

    private struct Screens {
        let context: Context
        let read: Query.Result

        var say: Speaker { context.say }
        var homeButton: InlineButton { say.staffButton(FieldEditorButton.backToKinds, Action.home) }

        func home(entry: Entry?) -> Reply<State> {
            context.show(FieldEditorText.home, buttons: [[say.staffButton(FieldEditorButton.services, Action.services(page: 0))],
                                                         [say.staffButton(FieldEditorButton.blocks, Action.blocks(page: 0))],
                                                         [say.staffButton(FieldEditorButton.staff, Action.staff)],
                                                         [say.staffButton(StaffButton.back, StaffMenuFlow.Action.home)]],
                         entry: entry, next: .open(State()))
        }

        func pressed(_ action: Action, entry: Entry) -> Reply<State> {
            switch action {
            case .home:
                return home(entry: entry)
            case .services(let page):
                let services = read.services.filter { !$0.archived }
                let shown = services.dropFirst(page * FieldEditorFlow.pageSize).prefix(FieldEditorFlow.pageSize)
                if page > 0, shown.isEmpty { return context.alertOnly(.invalidButton) }
                let rows = shown.map { [say.staffButton(FieldEditorButton.record($0.fields.name), Action.service($0.id))] }
                return context.show(FieldEditorText.services(count: services.count),
                                    buttons: rows + paging(page, more: services.count > (page + 1) * FieldEditorFlow.pageSize) { Action.services(page: $0) }
                                        + [[homeButton]],
                                    entry: entry, next: .open(State()))
            case .blocks(let page):
                let blocks = read.blocks ?? BlockPage(blocks: [], total: 0)
                if page > 0, blocks.blocks.isEmpty { return context.alertOnly(.invalidButton) }
                let rows = blocks.blocks.map { block in
                    [say.staffButton(BlockingButton.block(BlockSpan(from: say.local(block.range.start), to: say.local(block.range.end)),
                                                          reason: block.reason), Action.block(block.id))]
                }
                return context.show(FieldEditorText.blocks(count: blocks.total),
                                    buttons: rows + paging(page, more: blocks.total > (page + 1) * FieldEditorFlow.pageSize) { Action.blocks(page: $0) }
                                        + [[homeButton]],
                                    entry: entry, next: .open(State()))
            case .staff:
                let rows = read.staff.map { [say.staffButton(FieldEditorButton.member($0.person, displayName: $0.displayName), Action.member($0.person.id))] }
                return context.show(FieldEditorText.staff(count: read.staff.count), buttons: rows + [[homeButton]], entry: entry,
                                    next: .open(State()))
            case .service(let id):
                guard let service = read.services.first(where: { $0.id == id && !$0.archived }) else { return notFound(entry: entry) }
                let form = ServiceFormFlow.form(taken: [], draft: ServiceFormFlow.Draft(service))
                let rows = form.fields.enumerated().map { [say.staffButton($0.element.label, Action.serviceField(id, field: $0.offset))] }
                return context.show(FieldEditorText.serviceFields(name: service.fields.name),
                                    buttons: rows + [[say.staffButton(FieldEditorButton.backToServices, Action.services(page: 0))], [homeButton]],
                                    entry: entry, next: .open(State()))
            case .serviceField(let id, let index):
                guard let service = read.services.first(where: { $0.id == id && !$0.archived }) else { return notFound(entry: entry) }
                let fields = ServiceFormFlow.form(taken: [], draft: ServiceFormFlow.Draft(service)).fields
                guard fields.indices.contains(index) else { return context.alertOnly(.invalidButton) }
                let field = fields[index]
                return ask(.service(id, key: field.key), current: FieldEditorFlow.value(of: field.key, in: service.fields), prompt: field.prompt,
                           entry: entry)
            case .block(let id):
                guard let block = read.block, block.range.end > context.now else { return notFound(entry: entry) }
                return ask(.blockReason(id), current: block.reason, prompt: FieldEditorText.askReason, entry: entry)
            case .member(let id):
                guard let member = read.staff.first(where: { $0.person.id == id }) else { return notFound(entry: entry) }
                return ask(.displayName(id), current: member.displayName ?? "", prompt: FieldEditorText.askDisplayName, entry: entry)
            }
        }

        func paging(_ page: Int, more: Bool, _ action: (Int) -> Action) -> [[InlineButton]] {
            var row: [InlineButton] = []
            if page > 0 { row.append(say.staffButton(StaffButton.previousPage, action(page - 1))) }
            if more { row.append(say.staffButton(StaffButton.nextPage, action(page + 1))) }
            return row.isEmpty ? [] : [row]
        }

        func ask(_ target: Target, current: String, prompt: any StaffScreenText, entry: Entry?) -> Reply<State> {
            context.show(FieldEditorAsk(current: current, prompt: prompt), buttons: [[homeButton]], entry: entry,
                         next: .open(State(target: target)))
        }

        func notFound(entry: Entry?) -> Reply<State> {
            context.show(FieldEditorText.notFound, buttons: [[homeButton]], entry: entry, next: .open(State()))
        }

        func typed(_ target: Target, outcome: Edit.Outcome) -> Reply<State> {
            switch outcome {
            case .saved(let old, let new):
                return context.show(FieldEditorText.saved(field: target.field, old: old, new: new), buttons: [[back(to: target)], [homeButton]],
                                    entry: nil, next: .open(State()))
            case .invalid(let problem):
                guard let prompt = prompt(for: target) else { return notFound(entry: nil) }
                return context.show(FieldAgain(problem: problem, prompt: prompt), buttons: [[homeButton]], entry: nil,
                                    next: .open(State(target: target)))
            case .refused(let why):
                return context.show(FieldEditorText.refused(why), buttons: [[homeButton]], entry: nil, next: .open(State()))
            }
        }

        /// The question of the target's field, as it is now.
        func prompt(for target: Target) -> (any StaffScreenText)? {
            switch target {
            case .service(let id, let key):
                guard let service = read.services.first(where: { $0.id == id }),
                      let field = ServiceFormFlow.form(taken: [], draft: ServiceFormFlow.Draft(service)).fields.first(where: { $0.key == key }) else {
                    return nil
                }
                return FieldEditorAsk(current: FieldEditorFlow.value(of: key, in: service.fields), prompt: field.prompt)
            case .blockReason:
                return read.block.map { FieldEditorAsk(current: $0.reason, prompt: FieldEditorText.askReason) }
            case .displayName(let id):
                return read.staff.first { $0.person.id == id }.map { FieldEditorAsk(current: $0.displayName ?? "", prompt: FieldEditorText.askDisplayName) }
            }
        }

        func back(to target: Target) -> InlineButton {
            switch target {
            case .service(let id, _): return say.staffButton(FieldEditorButton.backToRecord, Action.service(id))
            case .blockReason: return say.staffButton(FieldEditorButton.backToRecord, Action.blocks(page: 0))
            case .displayName: return say.staffButton(FieldEditorButton.backToRecord, Action.staff)
            }
        }
    }
}
