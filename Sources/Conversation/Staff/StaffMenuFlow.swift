import Booking
import Foundation
import Texts

/// `/admin`: the staff's way in (SPEC admin). Its group in `Routes` admits moderators
/// and super admins; anyone else is refused and the attempt audited by the router.
public struct StaffMenuFlow: Flow {
    public enum Action: FlowAction {
        /// Back to the menu from one of its screens.
        case home
        /// The booking rules in force.
        case rules

        public static let flow: FlowID = "a"
        public static let shapes: [String: [ButtonField]] = ["h": [], "r": []]
        public var encoded: ButtonCode { ButtonCode(self == .home ? "h" : "r") }
        public init?(code: String, numbers: [Int]) {
            switch code {
            case "h": self = .home
            case "r": self = .rules
            default: return nil
            }
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
        if case .pressed(let action, let pressed) = event {
            entry = pressed
            if action == .rules {
                return context.show(.rules(StaffRulesInfo(context.rules)), buttons: [[say.staffButton(.back, Action.home)]],
                                    entry: entry, next: .open(NoState()))
            }
        }
        // Super admins' features are shown to super admins only (their flows refuse anyone else).
        let superAdmin = context.role == .superAdmin
            ? [[say.staffButton(SettingsButton.menuEntry, SettingsFlow.Action.overview)],
               [say.staffButton(.auditLog, AuditLogFlow.Action.page(0)), say.staffButton(.auditExport, AuditExportFlow.Action.ask)],
               [say.staffButton(AdminsButton.menuEntry, AdminsFlow.Action.list),
                say.staffButton(BookingsExportButton.menuEntry, BookingsExportFlow.Action.ask)],
               [say.staffButton(FieldEditorButton.menuEntry, FieldEditorFlow.Action.home),
                say.staffButton(BroadcastButton.menuEntry, BroadcastFlow.Action.list)]] : []
        // Everyone the menu admits (moderators and super admins).
        let everyone = [[say.staffButton(ScheduleButton.schedule, ScheduleFlow.Action.overview),
                         say.staffButton(ClientsButton.clients, ClientsFlow.Action.home)],
                        [say.staffButton(ServicesButton.services, ServicesFlow.Action.list),
                         say.staffButton(DashboardButton.open, DashboardFlow.Action.show)],
                        [say.staffButton(NotificationsButton.menuEntry, NotificationsFlow.Action.show), say.staffButton(.rules, Action.rules)],
                        [say.staffButton(BlockingButton.menuEntry, BlockingFlow.Action.list(0)),
                         say.staffButton(MassChangeButton.menuEntry, MassChangeFlow.Action.home)]]
        return context.show(.menu(role: role), buttons: everyone + superAdmin
                                + [[say.staffButton(.close, CoreAction.close)]],
                            entry: entry, next: .open(NoState()))
    }
}
