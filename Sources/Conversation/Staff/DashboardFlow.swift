import Booking
import Foundation
import Texts

/// The dashboard (SPEC admin 1–2): the business's figures on one screen, with simple
/// recommendations drawn from them (`DashboardAdvice`), refreshed on demand. Moderators
/// and super admins (its group in `Routes`); it reads and never changes anything.
public struct DashboardFlow: Flow {
    public enum Action: FlowAction {
        /// Shows the figures as they are now (the staff menu's button and Refresh alike).
        case show

        public static let flow: FlowID = "db"
        public static let shapes: [String: [ButtonField]] = ["s": []]
        public var encoded: ButtonCode { ButtonCode("s") }
        public init?(code: String, numbers: [Int]) {
            guard code == "s", numbers.isEmpty else { return nil }
            self = .show
        }
    }

    public struct Query: FlowQuery {
        var window: DashboardWindow

        public func read(from store: any StoreReads) throws -> DashboardFigures {
            try store.dashboard(window)
        }
    }

    public init() {}

    public func plan(_ event: Event<Action>, state: NoState?, in context: Context) -> Plan<Query, NoChange> {
        Plan(query: Query(window: DashboardWindow(now: context.now, clock: context.clock)))
    }

    public func respond(_ event: Event<Action>, state: NoState?, read: DashboardFigures, outcome: Void?,
                        in context: Context) -> Reply<NoState> {
        var entry: Entry?
        if case .pressed(_, let pressed) = event { entry = pressed }
        let report = DashboardReport(figures: read, window: DashboardWindow(now: context.now, clock: context.clock),
                                     schedule: context.rules.schedule)
        let say = context.say
        return context.show(DashboardText.screen(report, asOf: say.local(context.now)),
                            buttons: [[say.staffButton(DashboardButton.refresh, Action.show)],
                                      [say.staffButton(DashboardButton.back, StaffMenuFlow.Action.home)]],
                            entry: entry, next: .open(NoState()))
    }
}
