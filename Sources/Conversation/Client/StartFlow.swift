import Booking
import Foundation
import Texts

/// First contact and the menu (SPEC client 1–3): `/start` (welcome, or welcome back),
/// `/help`, About, "How it works" and the main menu.
public struct StartFlow: Flow {
    public enum Action: FlowAction {
        case menu
        case howItWorks

        public static let flow: FlowID = "s"
        public static let shapes: [String: [ButtonField]] = ["m": [], "hw": []]
        public var encoded: ButtonCode { ButtonCode(self == .menu ? "m" : "hw") }
        public init?(code: String, numbers: [Int]) {
            switch code {
            case "m": self = .menu
            case "hw": self = .howItWorks
            default: return nil
            }
        }
    }

    public struct Query: FlowQuery {
        var bookingsMadeBy: Int64?
        var services = false

        public func read(from store: any StoreReads) throws -> Result {
            Result(bookingsMade: try bookingsMadeBy.map(store.bookingsMade) ?? 0,
                   services: services ? try store.bookableServices() : [])
        }

        public struct Result: Sendable {
            var bookingsMade: Int
            var services: [BookableService]
        }
    }

    public init() {}

    public func plan(_ event: Event<Action>, state: NoState?, in context: Context) -> Plan<Query, NoChange> {
        switch event {
        // Staff are also shown how to set the business up while nothing is bookable.
        case .opened(.command("start", _)): return Plan(query: Query(bookingsMadeBy: context.person.id, services: context.role != .client))
        case .opened(.menuButton(.about)): return Plan(query: Query(services: true))
        default: return Plan(query: Query())
        }
    }

    public func respond(_ event: Event<Action>, state: NoState?, read: Query.Result, outcome: Void?,
                        in context: Context) -> Reply<NoState> {
        let say = context.say
        let rules = ClientRules(context.rules)
        switch event {
        case .opened(.command("start", _)):
            let welcome = context.situation.isNewUser
                ? [say.message(.welcomeNew(name: context.person.firstName, rules: rules), buttons: [
                       [say.button(.howItWorks, Action.howItWorks)],
                       [say.button(.bookNow, BookingFlow.Action.bookNow)],
                   ]), say.menu(.mainMenu)]
                : [say.menu(.welcomeBack(name: context.person.firstName, bookingCount: read.bookingsMade))]
            return context.idle(welcome + firstRun(read, context))
        case .opened(.menuButton(.about)):
            let about = AboutInfo(services: read.services.map(\.info), contact: context.contact, schedule: context.rules.schedule,
                                  rules: rules)
            return context.keep([say.menu(.about(about))])
        case .opened:
            return context.idle([say.menu(.help)])
        case .pressed(.howItWorks, _):
            return context.keep([say.menu(.howItWorks(rules: rules))])
        case .pressed(.menu, _):
            return context.idle([say.menu(.mainMenu)])
        case .typed:
            return context.keep([say.menu(.unknownInput)])
        }
    }

    /// SPEC admin 15: staff on a deployment with nothing to book are shown the first steps
    /// (read only for staff, so a client's /start reads no services).
    private func firstRun(_ read: Query.Result, _ context: Context) -> [Outgoing] {
        guard context.role != .client, read.services.isEmpty else { return [] }
        let say = context.say
        return [say.staffMessage(StaffText.firstRun(canSetHours: context.role == .superAdmin),
                                 buttons: [[say.button(.staffMenu, StaffMenuFlow.Action.home)]])]
    }
}
