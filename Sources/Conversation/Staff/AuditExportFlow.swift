import Foundation
import Texts

/// The audit log as a CSV document (SPEC admin 12–13), for super admins: the staff
/// menu's button opens a confirmation screen; Confirm is a change (run, re-checked and
/// audited by the change runner) that starts the export as a background job, whose file
/// the reminders process sends to this chat.
public struct AuditExportFlow: Flow {
    public enum Action: FlowAction {
        /// The confirmation screen (the staff menu's button).
        case ask
        /// Start the export.
        case confirm

        public static let flow: FlowID = "e"
        public static let shapes: [String: [ButtonField]] = ["a": [], "k": []]
        public var encoded: ButtonCode { ButtonCode(self == .ask ? "a" : "k") }
        public init?(code: String, numbers: [Int]) {
            switch code {
            case "a": self = .ask
            case "k": self = .confirm
            default: return nil
            }
        }
    }

    /// The change of Confirm: nothing in the store yet (the job row is the reply's effect,
    /// written in the same transaction); it exists so that the runner checks the role
    /// again and audits the start.
    public struct StartExport: FlowChange {
        public init() {}
        public func audit(of outcome: Void?) -> AuditAction? { .exportStarted(.auditExport) }
        public func apply(to store: any StoreChanges, by actor: ChangeActor) throws {}
    }

    public init() {}

    public func plan(_ event: Event<Action>, state: NoState?, in context: Context) -> Plan<NoQuery, StartExport> {
        guard case .pressed(.confirm, _) = event else { return Plan() }
        return Plan(change: StartExport())
    }

    public func respond(_ event: Event<Action>, state: NoState?, read: Void, outcome: Void?, in context: Context) -> Reply<NoState> {
        let say = context.say
        let menu = [say.staffButton(.back, StaffMenuFlow.Action.home)]
        var entry: Entry?
        if case .pressed(let action, let pressed) = event {
            if action == .confirm {
                let requester = JobRequester(person: context.person.id, chat: context.chat, language: say.language)
                return context.show(.auditExportStarted, buttons: [menu], entry: pressed, next: .close,
                                    effects: [.startJob(.auditExport(requester))])
            }
            entry = pressed
        }
        return context.show(.auditExportAsk, buttons: [[say.staffButton(.confirm, Action.confirm)], menu], entry: entry,
                            next: .open(NoState()))
    }
}
