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
        case .opened(.command("start", _)): return Plan(query: Query(bookingsMadeBy: context.person.id))
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
            guard context.situation.isNewUser else {
                return context.idle([say.menu(.welcomeBack(name: context.person.firstName, bookingCount: read.bookingsMade))])
            }
            return context.idle([
                say.message(.welcomeNew(name: context.person.firstName, rules: rules), buttons: [
                    [say.button(.howItWorks, Action.howItWorks)],
                    [say.button(.bookNow, BookingFlow.Action.bookNow)],
                ]),
                say.menu(.mainMenu),
            ])
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
}
