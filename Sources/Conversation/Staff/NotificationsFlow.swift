import Booking
import Foundation
import Texts

/// Each staff member's own booking notices (SPEC admin 14): new bookings, cancellations
/// and moves, each on or off. Owners take all three until they say otherwise; staff
/// added in the bot start from their `admins.notify`. A change is the person's own only.
public struct NotificationsFlow: Flow {
    public enum Action: FlowAction {
        case show
        case set(NoticeKind, on: Bool)

        public static let flow: FlowID = "nt"
        /// A code per kind (the kind is never a number someone could push out of range).
        static func code(_ kind: NoticeKind) -> String {
            switch kind {
            case .newBooking: return "tn"
            case .cancellation: return "tc"
            case .move: return "tm"
            }
        }
        public static let shapes: [String: [ButtonField]] = ["o": [], "tn": [.flag], "tc": [.flag], "tm": [.flag]]
        public var encoded: ButtonCode {
            switch self {
            case .show: return ButtonCode("o")
            case .set(let kind, let on): return ButtonCode(Self.code(kind), [on ? 1 : 0])
            }
        }
        /// The numbers were checked against `shapes` (a flag is 0 or 1) before this is called.
        public init?(code: String, numbers: [Int]) {
            if code == "o", numbers.isEmpty {
                self = .show
            } else if let kind = NoticeKind.allCases.first(where: { Self.code($0) == code }), numbers.count == 1 {
                self = .set(kind, on: numbers[0] == 1)
            } else {
                return nil
            }
        }
    }

    public struct Query: FlowQuery {
        var person: Int64

        public func read(from store: any StoreReads) throws -> [NoticeKind: Bool] {
            try store.notices(of: person)
        }
    }

    /// One kind turned on or off, for the person who pressed.
    public struct SetNotice: FlowChange {
        var kind: NoticeKind
        var enabled: Bool

        public func audit(of outcome: Void?) -> AuditAction? { .noticeChanged(kind: kind, enabled: enabled) }
        public func apply(to store: any StoreChanges, by actor: ChangeActor) throws {
            try store.setNotice(kind, enabled: enabled, for: actor.id)
        }
    }

    public init() {}

    public func plan(_ event: Event<Action>, state: NoState?, in context: Context) -> Plan<Query, SetNotice> {
        // The read comes after the change, so the screen shows the choice just made.
        guard case .pressed(.set(let kind, let on), _) = event else { return Plan(query: Query(person: context.person.id)) }
        return Plan(query: Query(person: context.person.id), change: SetNotice(kind: kind, enabled: on))
    }

    public func respond(_ event: Event<Action>, state: NoState?, read: [NoticeKind: Bool], outcome: Void?,
                        in context: Context) -> Reply<NoState> {
        let say = context.say
        var entry: Entry?
        if case .pressed(_, let pressed) = event { entry = pressed }
        let toggles = NoticeKind.allCases.map { kind -> [InlineButton] in
            let isOn = read[kind] ?? false
            return [say.staffButton(NotificationsButton.toggle(kind, isOn: isOn), Action.set(kind, on: !isOn))]
        }
        return context.show(NotificationsText.choices(read), buttons: toggles + [[say.staffButton(.back, StaffMenuFlow.Action.home)]],
                            entry: entry, next: .open(NoState()))
    }
}
