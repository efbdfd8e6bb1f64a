import Booking
import Foundation
import Texts

/// `/admin`: the staff's way in (SPEC admin). Its group in `Routes` admits moderators
/// and super admins; anyone else is refused and the attempt audited by the router.
public struct StaffMenuFlow: Flow {
    public enum Action: FlowAction {
        /// Back to the menu from one of its screens.
        case home

        public static let flow: FlowID = "a"
        public static let shapes: [String: [ButtonField]] = ["h": []]
        public var encoded: ButtonCode { ButtonCode("h") }
        public init?(code: String, numbers: [Int]) {
            guard code == "h" else { return nil }
            self = .home
        }
    }

    public init() {}

    public func plan(_ event: Event<Action>, state: NoState?, in context: Context) -> Plan<NoQuery, NoChange> {
        Plan()
    }

    public func respond(_ event: Event<Action>, state: NoState?, read: Void, outcome: Void?, in context: Context) -> Reply<NoState> {
        let say = context.say
        let role: StaffRoleName = context.role == .superAdmin ? .superAdmin : .moderator
        var entry: Entry?
        if case .pressed(_, let pressed) = event { entry = pressed }
        return context.show(.menu(role: role), buttons: [[say.staffButton(.close, CoreAction.close)]], entry: entry,
                            next: .open(NoState()))
    }
}
