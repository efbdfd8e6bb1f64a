import Texts

/// Every way into the conversation, in one table: which command and which main-menu
/// button opens which flow, which flows own buttons, and who may use them. A group's
/// access is attached once and checked by the router on every step of every flow in it.
public struct Routes: Sendable {
    public struct Route: Sendable {
        enum Kind: Sendable {
            case command(String)
            case menuButton(Texts.Button)
            /// A flow reached only through its buttons (or typed text while open).
            case buttons
        }
        let kind: Kind
        let register: @Sendable (Access) -> RegisteredFlow

        /// `/name` opens the flow.
        public static func command<F: Flow>(_ name: String, _ flow: F) -> Route {
            Route(kind: .command(name)) { RegisteredFlow(flow, access: $0) }
        }

        /// The main-menu button opens the flow.
        public static func menuButton<F: Flow>(_ button: Texts.Button, _ flow: F) -> Route {
            Route(kind: .menuButton(button)) { RegisteredFlow(flow, access: $0) }
        }

        /// The flow's buttons (and its text, while it is open) reach it.
        public static func flow<F: Flow>(_ flow: F) -> Route {
            Route(kind: .buttons) { RegisteredFlow(flow, access: $0) }
        }
    }

    var flows: [FlowID: RegisteredFlow] = [:]
    var commands: [String: FlowID] = [:]
    var menuButtons: [Texts.Button: FlowID] = [:]

    /// The groups, each with its access. A flow, a command or a button in two places is a
    /// programming error and stops the process at start.
    public init(anyone: [Route], moderator: [Route] = [], superAdmin: [Route] = []) {
        for (access, entries) in [(Access.anyone, anyone), (.moderator, moderator), (.superAdmin, superAdmin)] {
            for entry in entries {
                let flow = entry.register(access)
                precondition(flow.id != Router.coreFlow, "flow id \(flow.id) is the router's own")
                if let known = flows[flow.id] {
                    precondition(known.access == access, "flow \(flow.id) is in two access groups")
                } else {
                    flows[flow.id] = flow
                }
                switch entry.kind {
                case .command(let name):
                    precondition(commands.updateValue(flow.id, forKey: name) == nil, "command /\(name) routed twice")
                case .menuButton(let button):
                    precondition(menuButtons.updateValue(flow.id, forKey: button) == nil, "menu button \(button) routed twice")
                case .buttons:
                    break
                }
            }
        }
    }

    /// Every flow's id, access and button shapes, the router's own buttons included (the
    /// tests press them all).
    public var registered: [(id: FlowID, access: Access, shapes: [String: [ButtonField]])] {
        [(Router.coreFlow, .anyone, CoreAction.shapes)]
            + flows.values.sorted { $0.id.rawValue < $1.id.rawValue }.map { ($0.id, $0.access, $0.shapes) }
    }
}

extension Routes {
    /// The bot's routes.
    public static let standard = Routes(
        anyone: [
            .command("start", StartFlow()), .command("help", StartFlow()), .menuButton(.about, StartFlow()),
            .command("book", BookingFlow()), .menuButton(.book, BookingFlow()),
            .command("my", MyBookingsFlow()), .menuButton(.myBookings, MyBookingsFlow()),
            .flow(CancelFlow()), .flow(MoveFlow()), .flow(ReviewFlow()),
        ],
        moderator: [
            .command("admin", StaffMenuFlow()), .menuButton(.staffMenu, StaffMenuFlow()),
            .flow(ScheduleFlow()), .flow(StaffBookingFlow()), .flow(ClientsFlow()),
            .flow(NotificationsFlow()), .flow(DashboardFlow()),
            .flow(ServicesFlow()), .flow(ServiceFormFlow()),
            .flow(MassChangeFlow()),
            .flow(BlockingFlow()),
        ],
        superAdmin: [
            .command("audit", AuditLogFlow()),
            .flow(AuditExportFlow()),
            .flow(SettingsFlow()),
            .flow(AdminsFlow()),
            .flow(BookingsExportFlow()),
            .flow(FieldEditorFlow()),
            .flow(BroadcastFlow()),
        ])
}
