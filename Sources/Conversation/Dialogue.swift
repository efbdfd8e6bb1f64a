import Booking
import Foundation
import Texts

/// How the dialogue is set up for this deployment.
public struct DialogueSettings: Sendable {
    /// `BOT_LANGUAGE`: `ru`, `en` or `auto`.
    public var languageSetting: String
    /// The configured address (a stored setting wins; see `Facts.serviceLocation`).
    public var serviceLocation: String
    /// Buttons older than this answer "out of date" (`CALLBACK_TTL_HOURS`).
    public var callbackTTL: TimeInterval
    public var clock: BusinessClock

    public init(languageSetting: String, serviceLocation: String, callbackTTL: TimeInterval, clock: BusinessClock) {
        self.languageSetting = languageSetting
        self.serviceLocation = serviceLocation
        self.callbackTTL = callbackTTL
        self.clock = clock
    }
}

/// What the store knows that the dialogue needs, read in the update's transaction.
public struct Facts: Sendable {
    public var isNewUser: Bool
    /// Confirmed and completed bookings the person ever made.
    public var bookingsMade: Int
    /// The rules in force (settings over defaults).
    public var rules: BookingRules
    /// The address stored in settings, if an admin set one.
    public var serviceLocation: String?
    /// Active services, in the admin's order.
    public var services: [ServiceInfo]

    public init(isNewUser: Bool, bookingsMade: Int, rules: BookingRules, serviceLocation: String?, services: [ServiceInfo]) {
        self.isNewUser = isNewUser
        self.bookingsMade = bookingsMade
        self.rules = rules
        self.serviceLocation = serviceLocation
        self.services = services
    }
}

/// The conversation's state per chat and user, stored as JSON between updates.
public struct ConversationState: Sendable, Equatable, Codable {
    public enum Screen: String, Sendable, Codable {
        case idle
    }

    public var screen: Screen

    public init(screen: Screen = .idle) {
        self.screen = screen
    }
}

/// The result of one update: the next state and the replies to send.
public struct Turn: Sendable, Equatable {
    public var state: ConversationState
    public var replies: [Outgoing]
}

/// The conversation, pure: (state, incoming, facts, now) → (state, replies).
///
/// This first part covers first contact and onboarding, the main menu, /help, /cancel,
/// About from the live settings, unknown input, and button hygiene (every press answered
/// once; forged, unparseable and out-of-date buttons change nothing). The booking,
/// My bookings, cancel and move flows come next (issue "Worker and every client flow").
public struct Dialogue: Sendable {
    public let settings: DialogueSettings

    public init(settings: DialogueSettings) {
        self.settings = settings
    }

    public func respond(to incoming: Incoming, state: ConversationState, facts: Facts, now: Date) -> Turn {
        let say = Speaker(language: language(of: incoming.person), now: now)
        let replies: [Outgoing]
        switch incoming {
        case .command("start", _, let person):
            if facts.isNewUser {
                replies = [
                    say.message(.welcomeNew(name: person.firstName, rules: ClientRules(facts.rules)), buttons: [
                        [say.button(.howItWorks, .howItWorks)],
                        [say.button(.bookNow, .bookNow)],
                    ]),
                    say.menu(.mainMenu),
                ]
            } else {
                replies = [say.menu(.welcomeBack(name: person.firstName, bookingCount: facts.bookingsMade))]
            }
        case .command("help", _, _):
            replies = [say.menu(.help)]
        case .command("cancel", _, _):
            replies = [say.menu(state.screen == .idle ? .nothingToCancel : .flowCancelled)]
        case .command("book", _, _), .command("my", _, _):
            replies = [say.menu(.bookingNotOpenYet)]
        case .command:
            replies = [say.menu(.unknownInput)]
        case .text(let text, _):
            switch Texts.mainMenuButton(matching: text) {
            case .about?: replies = [say.menu(.about(about(facts)))]
            case .book?, .myBookings?: replies = [say.menu(.bookingNotOpenYet)]
            default: replies = [say.menu(.unknownInput)]
            }
        case .unsupported:
            replies = [say.menu(.unknownInput)]
        case .button(let queryID, let data, _, _):
            replies = pressed(queryID: queryID, data: data, facts: facts, say: say, now: now)
        }
        return Turn(state: ConversationState(screen: .idle), replies: replies)
    }

    /// What to say when an update of this person was given up on.
    public func apology(for incoming: Incoming) -> [Outgoing] {
        let say = Speaker(language: language(of: incoming.person), now: Date())
        var replies = [say.menu(.somethingWentWrong)]
        if case .button(let queryID, _, _, _) = incoming {
            replies.insert(.answer(queryID: queryID, text: Texts.alert(.somethingWentWrong, in: say.language), alert: false), at: 0)
        }
        return replies
    }

    /// What an update dropped by the flood guard gets: a press is always answered; a
    /// "please wait" goes out only for the first excess of a window.
    public func tooFast(_ incoming: Incoming, warn: Bool) -> [Outgoing] {
        let language = language(of: incoming.person)
        if case .button(let queryID, _, _, _) = incoming {
            return [.answer(queryID: queryID, text: warn ? Texts.alert(.pleaseWait, in: language) : nil, alert: false)]
        }
        return warn ? [.message(text: Texts.text(.pleaseWait, in: language), menu: nil, buttons: nil)] : []
    }

    // MARK: - Buttons

    private func pressed(queryID: String, data: String, facts: Facts, say: Speaker, now: Date) -> [Outgoing] {
        func answer(_ alert: Alert? = nil) -> Outgoing {
            .answer(queryID: queryID, text: alert.map { Texts.alert($0, in: say.language) }, alert: false)
        }
        switch CallbackData.decode(data, now: now, ttl: settings.callbackTTL) {
        case .failure(.stale):
            return [answer(.staleButton), say.menu(.staleButton)]
        case .failure:
            return [answer(.invalidButton)]
        case .success(let decoded):
            switch decoded.action {
            case .howItWorks:
                return [answer(), say.menu(.howItWorks(rules: ClientRules(facts.rules)))]
            case .menu:
                return [answer(), say.menu(.mainMenu)]
            case .noop:
                return [answer()]
            default:
                return [answer(), say.menu(.bookingNotOpenYet)]
            }
        }
    }

    // MARK: - Pieces

    private func language(of person: Person) -> Language {
        Language.resolve(setting: settings.languageSetting, userLanguageCode: person.languageCode)
    }

    private func about(_ facts: Facts) -> AboutInfo {
        AboutInfo(services: facts.services,
                  contact: BusinessContact(address: facts.serviceLocation ?? settings.serviceLocation),
                  schedule: facts.rules.schedule, rules: ClientRules(facts.rules))
    }
}

/// Renders replies in one language, with the main menu keyboard or inline buttons.
struct Speaker {
    let language: Language
    let now: Date

    var mainMenu: [[String]] {
        [[Texts.label(.book, in: language), Texts.label(.myBookings, in: language)], [Texts.label(.about, in: language)]]
    }

    /// A message with the main-menu keyboard.
    func menu(_ message: Message) -> Outgoing {
        .message(text: Texts.text(message, in: language), menu: mainMenu, buttons: nil)
    }

    func message(_ message: Message, buttons: [[InlineButton]]) -> Outgoing {
        .message(text: Texts.text(message, in: language), menu: nil, buttons: buttons)
    }

    func button(_ label: Button, _ action: CallbackAction) -> InlineButton {
        InlineButton(text: Texts.label(label, in: language), data: CallbackData.encode(action, issuedAt: now))
    }
}
