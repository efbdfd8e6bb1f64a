import Foundation
import Texts

/// The staff (SPEC admin 11), for super admins: the owners and the staff added in the
/// bot; add someone by their Telegram id or a message of theirs forwarded here; change a
/// member's role or remove them, each after a confirmation. Every rule (nobody changes
/// themselves, owners stay, a super admin always remains, the hourly limit of additions)
/// is the store's, decided in the change's transaction; the screens only leave out the
/// buttons that could not work. The person changed is told in their language.
public struct AdminsFlow: Flow {
    public enum Action: FlowAction {
        /// The list (the staff menu's button).
        case list
        /// One member's card.
        case member(Int64)
        /// Asks for the new member's id or a forwarded message.
        case add
        /// Adds the person with that role.
        case addAs(Int64, superAdmin: Bool)
        /// Confirmation of a role change, and the change.
        case askRole(Int64, superAdmin: Bool)
        case setRole(Int64, superAdmin: Bool)
        /// Confirmation of a removal, and the removal.
        case askRemove(Int64)
        case remove(Int64)

        public static let flow: FlowID = "ad"
        public static let shapes: [String: [ButtonField]] = [
            "l": [], "m": [.id], "a": [], "k": [.id, .flag], "r": [.id, .flag], "s": [.id, .flag], "d": [.id], "x": [.id],
        ]
        public var encoded: ButtonCode {
            switch self {
            case .list: return ButtonCode("l")
            case .member(let id): return ButtonCode("m", [Int(id)])
            case .add: return ButtonCode("a")
            case .addAs(let id, let superAdmin): return ButtonCode("k", [Int(id), superAdmin ? 1 : 0])
            case .askRole(let id, let superAdmin): return ButtonCode("r", [Int(id), superAdmin ? 1 : 0])
            case .setRole(let id, let superAdmin): return ButtonCode("s", [Int(id), superAdmin ? 1 : 0])
            case .askRemove(let id): return ButtonCode("d", [Int(id)])
            case .remove(let id): return ButtonCode("x", [Int(id)])
            }
        }
        public init?(code: String, numbers: [Int]) {
            switch (code, numbers.count) {
            case ("l", 0): self = .list
            case ("m", 1): self = .member(Int64(numbers[0]))
            case ("a", 0): self = .add
            case ("k", 2): self = .addAs(Int64(numbers[0]), superAdmin: numbers[1] == 1)
            case ("r", 2): self = .askRole(Int64(numbers[0]), superAdmin: numbers[1] == 1)
            case ("s", 2): self = .setRole(Int64(numbers[0]), superAdmin: numbers[1] == 1)
            case ("d", 1): self = .askRemove(Int64(numbers[0]))
            case ("x", 1): self = .remove(Int64(numbers[0]))
            default: return nil
            }
        }
    }

    /// Whether the next text (or forward) names the person to add.
    public struct State: Codable, Sendable, Equatable {
        public var adding: Bool

        public init(adding: Bool = false) {
            self.adding = adding
        }
    }

    public struct Query: FlowQuery {
        var list = false
        var member: Int64?
        /// The person to add, as the bot knows them.
        var person: Int64?

        public func read(from store: any StoreReads) throws -> Result {
            var result = Result()
            if list { result.members = try store.staffMembers() }
            if let member { result.member = try store.staffMember(member) }
            if let person { result.person = try store.findClient(.id(person)) }
            return result
        }

        public struct Result: Sendable {
            var members: [StaffMember] = []
            var member: StaffMember?
            var person: ClientInfo?
        }
    }

    /// A change of the staff, run and audited by the change runner.
    public enum Change: FlowChange {
        case add(Int64, Role)
        case setRole(Int64, Role)
        case remove(Int64)

        public func audit(of outcome: StaffChangeResult?) -> AuditAction? {
            // Refused for lack of access: the runner records the attempt.
            guard let outcome else { return nil }
            switch self {
            case .add(let person, let role): return .adminAdded(person: person, role: role, refused: outcome.refusal)
            case .setRole(let person, let role): return .adminRoleChanged(person: person, role: role, refused: outcome.refusal)
            case .remove(let person): return .adminRemoved(person: person, refused: outcome.refusal)
            }
        }

        public func apply(to store: any StoreChanges, by actor: ChangeActor) throws -> StaffChangeResult {
            switch self {
            case .add(let person, let role): return try store.addStaff(person, role: role, by: actor)
            case .setRole(let person, let role): return try store.setStaffRole(person, role: role, by: actor)
            case .remove(let person): return try store.removeStaff(person, by: actor)
            }
        }
    }

    /// Telegram's user ids have at most 52 significant bits.
    static let largestTelegramID: Int64 = (1 << 52) - 1
    /// Members shown as buttons on the list (the text names them all, clamped to a message).
    static let buttonsShown = 40

    public init() {}

    public static var takesForwards: Bool { true }

    public func awaitsText(_ state: State) -> Bool { state.adding }

    public func plan(_ event: Event<Action>, state: State?, in context: Context) -> Plan<Query, Change> {
        switch event {
        case .opened, .pressed(.list, _): return Plan(query: Query(list: true))
        case .pressed(.add, _): return Plan(query: Query())
        case .pressed(.member(let id), _), .pressed(.askRole(let id, _), _), .pressed(.askRemove(let id), _):
            return Plan(query: Query(member: id))
        case .pressed(.addAs(let id, let superAdmin), _):
            return Plan(query: Query(member: id, person: id), change: .add(id, Self.role(superAdmin)))
        case .pressed(.setRole(let id, let superAdmin), _):
            return Plan(query: Query(member: id), change: .setRole(id, Self.role(superAdmin)))
        case .pressed(.remove(let id), _):
            return Plan(query: Query(member: id), change: .remove(id))
        case .typed(let text):
            guard case .id(let id) = Self.personID(text, forwarded: context.forwarded) else { return Plan(query: Query()) }
            return Plan(query: Query(member: id, person: id))
        }
    }

    public func respond(_ event: Event<Action>, state: State?, read: Query.Result, outcome: StaffChangeResult?,
                        in context: Context) -> Reply<State> {
        let say = context.say
        let toList = say.staffButton(AdminsButton.backToList, Action.list)
        let limit = context.settings.maxAdminAdditionsPerHour
        switch event {
        case .opened, .pressed(.list, _):
            var entry: Entry?
            if case .pressed(_, let at) = event { entry = at }
            let entries = read.members.map(Self.entry)
            let buttons = entries.prefix(Self.buttonsShown).map { [say.staffButton(AdminsButton.member($0), Action.member($0.id))] }
            return context.show(AdminsText.list(entries), buttons: buttons + [[say.staffButton(AdminsButton.add, Action.add)],
                                                                             [say.staffButton(StaffButton.back, StaffMenuFlow.Action.home)]],
                                entry: entry, next: .open(State()))
        case .pressed(.member(let id), let entry):
            guard let member = read.member else { return refused(.notStaff, name: String(id), entry: entry, context) }
            return card(member, entry: entry, context)
        case .pressed(.add, let entry):
            return context.show(AdminsText.ask(limit: limit, problem: nil), buttons: [[toList]], entry: entry,
                                next: .open(State(adding: true)))
        case .typed(let text):
            // The question's buttons go: the answer comes as a new message below.
            let clearing: [Outgoing] = context.openMessageID.map { [.clearButtons(messageID: $0)] } ?? []
            var reply: Reply<State>
            switch Self.personID(text, forwarded: context.forwarded) {
            case .problem(let problem):
                reply = context.show(AdminsText.ask(limit: limit, problem: problem), buttons: [[toList]], entry: nil,
                                     next: .open(State(adding: true)))
            case .id(let id):
                if let member = read.member {
                    reply = refused(member.isOwner ? .owner : .alreadyStaff, name: Self.entry(member).name, entry: nil, context,
                                    extra: [[say.staffButton(AdminsButton.member(Self.entry(member)), Action.member(id))]])
                } else if let person = read.person {
                    let name = person.name.isEmpty ? String(id) : person.name
                    reply = context.show(AdminsText.confirmAdd(id: id, name: name, username: person.username),
                                         buttons: [[say.staffButton(AdminsButton.addAs(superAdmin: false), Action.addAs(id, superAdmin: false))],
                                                   [say.staffButton(AdminsButton.addAs(superAdmin: true), Action.addAs(id, superAdmin: true))],
                                                   [toList]],
                                         entry: nil, next: .open(State()))
                } else {
                    // Nobody to tell, and `admins` names only people the bot knows: they start the bot first.
                    reply = context.show(AdminsText.refused(.notRegistered, name: String(id), limit: limit), buttons: [[toList]], entry: nil,
                                         next: .open(State(adding: true)))
                }
            }
            reply.replies = clearing + reply.replies
            return reply
        case .pressed(.addAs(let id, _), let entry):
            switch outcome {
            case .done(let member)?:
                let shown = Self.entry(member)
                return context.show(AdminsText.added(shown), buttons: [[say.staffButton(AdminsButton.member(shown), Action.member(id))], [toList]],
                                    entry: entry, next: .open(State()),
                                    effects: [.notifyClient(id, .staffAccessChanged(.added(superAdmin: member.role == .superAdmin)))])
            case .refused(let why)?:
                return refused(why, name: read.member.map { Self.entry($0).name } ?? read.person.map(\.name) ?? String(id), entry: entry,
                               context)
            case nil:
                return refused(.notStaff, name: String(id), entry: entry, context)
            }
        case .pressed(.askRole(let id, let superAdmin), let entry):
            guard let member = read.member else { return refused(.notStaff, name: String(id), entry: entry, context) }
            let shown = Self.entry(member)
            return context.show(AdminsText.confirmRole(shown, toSuperAdmin: superAdmin),
                                buttons: [[say.staffButton(StaffButton.confirm, Action.setRole(id, superAdmin: superAdmin))],
                                          [say.staffButton(StaffButton.back, Action.member(id))]],
                                entry: entry, next: .open(State()))
        case .pressed(.setRole(let id, _), let entry):
            switch outcome {
            case .done(let member)?:
                let shown = Self.entry(member)
                return context.show(AdminsText.roleChanged(shown), buttons: [[say.staffButton(AdminsButton.member(shown), Action.member(id))], [toList]],
                                    entry: entry, next: .open(State()),
                                    effects: [.notifyClient(id, .staffAccessChanged(.roleChanged(superAdmin: member.role == .superAdmin)))])
            case .refused(let why)?:
                return refused(why, name: read.member.map { Self.entry($0).name } ?? String(id), entry: entry, context)
            case nil:
                return refused(.notStaff, name: String(id), entry: entry, context)
            }
        case .pressed(.askRemove(let id), let entry):
            guard let member = read.member else { return refused(.notStaff, name: String(id), entry: entry, context) }
            return context.show(AdminsText.confirmRemove(Self.entry(member)),
                                buttons: [[say.staffButton(AdminsButton.confirmRemove, Action.remove(id))],
                                          [say.staffButton(StaffButton.back, Action.member(id))]],
                                entry: entry, next: .open(State()))
        case .pressed(.remove(let id), let entry):
            switch outcome {
            case .done(let member)?:
                return context.show(AdminsText.removed(Self.entry(member)), buttons: [[toList]], entry: entry, next: .open(State()),
                                    effects: [.notifyClient(id, .staffAccessChanged(.removed))])
            case .refused(let why)?:
                return refused(why, name: read.member.map { Self.entry($0).name } ?? String(id), entry: entry, context)
            case nil:
                return refused(.notStaff, name: String(id), entry: entry, context)
            }
        }
    }

    /// A member's card: the role change and the removal only where they could work.
    private func card(_ member: StaffMember, entry: Entry?, _ context: Context) -> Reply<State> {
        let say = context.say
        let isYou = member.id == context.person.id
        var buttons: [[InlineButton]] = []
        if !member.isOwner && !isYou {
            let toSuperAdmin = member.role != .superAdmin
            buttons.append([say.staffButton(toSuperAdmin ? AdminsButton.makeSuperAdmin : AdminsButton.makeModerator,
                                            Action.askRole(member.id, superAdmin: toSuperAdmin))])
            buttons.append([say.staffButton(AdminsButton.remove, Action.askRemove(member.id))])
        }
        buttons.append([say.staffButton(AdminsButton.backToList, Action.list)])
        return context.show(AdminsText.card(Self.entry(member), isYou: isYou), buttons: buttons, entry: entry, next: .open(State()))
    }

    private func refused(_ why: StaffRefusal, name: String, entry: Entry?, _ context: Context,
                         extra: [[InlineButton]] = []) -> Reply<State> {
        context.show(AdminsText.refused(Self.refusal(why), name: name, limit: context.settings.maxAdminAdditionsPerHour),
                     buttons: extra + [[context.say.staffButton(AdminsButton.backToList, Action.list)]], entry: entry, next: .open(State()))
    }

    static func role(_ superAdmin: Bool) -> Role { superAdmin ? .superAdmin : .moderator }

    public static func entry(_ member: StaffMember) -> AdminEntry {
        AdminEntry(id: member.id, isOwner: member.isOwner, superAdmin: member.role == .superAdmin, displayName: member.displayName,
                   firstName: member.firstName, username: member.username, addedBy: member.addedBy, addedByName: member.addedByName)
    }

    static func refusal(_ why: StaffRefusal) -> AdminsRefusal {
        switch why {
        case .notRegistered: return .notRegistered
        case .alreadyStaff: return .alreadyStaff
        case .notStaff: return .notStaff
        case .owner: return .owner
        case .themselves: return .themselves
        case .lastSuperAdmin: return .lastSuperAdmin
        case .hourlyLimit: return .hourlyLimit
        case .unchanged: return .unchanged
        }
    }

    /// The person to add: from a forwarded message's origin, else the typed id — its
    /// length and digits checked before it is read as a number, so no text can overflow.
    enum PersonInput: Equatable {
        case id(Int64)
        case problem(AdminsInputProblem)
    }

    static func personID(_ text: String, forwarded: ForwardOrigin?) -> PersonInput {
        switch forwarded {
        case .user(let id, _, _, let isBot)?:
            if isBot { return .problem(.bot) }
            return (1...largestTelegramID).contains(id) ? .id(id) : .problem(.notAnID)
        case .hiddenUser(let name)?:
            return .problem(.hiddenUser(name: String(name.prefix(64))))
        case .chat?:
            return .problem(.chat)
        case nil:
            break
        }
        guard text.utf8.count <= 64 else { return .problem(.notAnID) }
        let digits = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...16).contains(digits.utf8.count), digits.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              let id = Int64(digits), (1...largestTelegramID).contains(id) else { return .problem(.notAnID) }
        return .id(id)
    }
}
