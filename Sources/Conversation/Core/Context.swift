import Booking
import Foundation
import Texts

/// How the conversation is set up for this deployment.
public struct ConversationSettings: Sendable {
    /// `BOT_LANGUAGE`: `ru`, `en` or `auto`.
    public var languageSetting: String
    /// The configured address (a stored setting wins).
    public var serviceLocation: String
    /// Buttons older than this answer "out of date" (`CALLBACK_TTL_HOURS`).
    public var callbackTTL: TimeInterval
    public var clock: BusinessClock
    /// `MAX_ADMIN_ADDITIONS_PER_HOUR`: staff one admin may add within any hour.
    public var maxAdminAdditionsPerHour: Int

    public init(languageSetting: String, serviceLocation: String, callbackTTL: TimeInterval, clock: BusinessClock,
                maxAdminAdditionsPerHour: Int = 3) {
        self.languageSetting = languageSetting
        self.serviceLocation = serviceLocation
        self.callbackTTL = callbackTTL
        self.clock = clock
        self.maxAdminAdditionsPerHour = maxAdminAdditionsPerHour
    }

    /// The language for someone known by their Telegram language code.
    public func language(forCode code: String?) -> Language {
        Language.resolve(setting: languageSetting, userLanguageCode: code)
    }
}

/// What the worker knows about the update before any flow runs, read at the start of its
/// transaction.
public struct Situation: Sendable {
    public var now: Date
    public var person: Person
    /// The chat the update came from (a private chat's id is the person's).
    public var chat: Int64
    public var role: Role
    /// The rules in force (settings over defaults).
    public var rules: BookingRules
    /// The address stored in settings, if an admin set one.
    public var storedAddress: String?
    /// The contact stored in settings (phone, @username, link), if an admin set one.
    public var storedContact: String?
    /// First contact: the person was registered by this update.
    public var isNewUser: Bool

    public init(now: Date, person: Person, chat: Int64? = nil, role: Role, rules: BookingRules, storedAddress: String? = nil,
                storedContact: String? = nil, isNewUser: Bool = false) {
        self.now = now
        self.person = person
        self.chat = chat ?? person.id
        self.role = role
        self.rules = rules
        self.storedAddress = storedAddress
        self.storedContact = storedContact
        self.isNewUser = isNewUser
    }
}

/// Everything one step of a flow may look at, and the helpers its screens are made with.
public struct Context: Sendable {
    public let situation: Situation
    public let settings: ConversationSettings
    /// The message the open flow is shown on, when known.
    public let openMessageID: Int64?
    public let say: Speaker
    /// Where the text came from when the person forwarded it (a flow that takes forwards
    /// reads the person from it).
    public let forwarded: ForwardOrigin?
    /// The photo (file id) sent with this step's text, for a flow that accepts photos.
    public internal(set) var photo: String?

    public init(situation: Situation, settings: ConversationSettings, openMessageID: Int64? = nil, forwarded: ForwardOrigin? = nil) {
        self.situation = situation
        self.settings = settings
        self.openMessageID = openMessageID
        self.forwarded = forwarded
        self.say = Speaker(language: settings.language(forCode: situation.person.languageCode), now: situation.now,
                           clock: settings.clock, staff: situation.role != .client)
    }

    public var now: Date { situation.now }
    public var person: Person { situation.person }
    public var chat: Int64 { situation.chat }
    public var role: Role { situation.role }
    public var rules: BookingRules { situation.rules }
    public var clock: BusinessClock { settings.clock }
    public var today: LocalDate { clock.localDate(of: now) }
    public var finder: SlotFinder { SlotFinder(rules: rules) }
    public var address: String { situation.storedAddress ?? settings.serviceLocation }
    public var contact: BusinessContact { BusinessContact(address: address, contact: situation.storedContact ?? "") }
    public var client: ClientInfo { ClientInfo(id: person.id, name: person.firstName, username: person.username) }

    // MARK: Screens

    /// A screen: edited into the pressed message, or a new message for a command, a menu
    /// button or a press that starts afresh (`messageID` nil).
    public func show<State>(_ message: Texts.Message, buttons: [[InlineButton]], entry: Entry?, alert: Texts.Alert? = nil,
                            next: Next<State>, effects: [Effect] = []) -> Reply<State> {
        show(text: Texts.text(message, in: say.language), buttons: buttons, entry: entry, alert: alert, next: next, effects: effects)
    }

    /// A staff screen, as `show` does it.
    public func show<State>(_ message: StaffText, buttons: [[InlineButton]], entry: Entry?, alert: Texts.Alert? = nil,
                            next: Next<State>, effects: [Effect] = []) -> Reply<State> {
        show(message as any StaffScreenText, buttons: buttons, entry: entry, alert: alert, next: next, effects: effects)
    }

    /// A staff feature's screen (its own text type), as `show` does it.
    public func show<State>(_ message: any StaffScreenText, buttons: [[InlineButton]], entry: Entry?, alert: Texts.Alert? = nil,
                            next: Next<State>, effects: [Effect] = []) -> Reply<State> {
        show(text: message.text(in: say.language), buttons: buttons, entry: entry, alert: alert, next: next, effects: effects)
    }

    private func show<State>(text: String, buttons: [[InlineButton]], entry: Entry?, alert: Texts.Alert?,
                             next: Next<State>, effects: [Effect]) -> Reply<State> {
        let reply: Outgoing
        if let messageID = entry?.messageID {
            reply = .edit(messageID: messageID, text: text, buttons: buttons)
        } else {
            reply = .message(text: text, menu: nil, buttons: buttons)
        }
        return Reply(replies: [reply], alert: alert, next: next, shownOn: entry?.messageID, effects: effects)
    }

    /// Messages with nothing opened or closed.
    public func keep<State>(_ replies: [Outgoing], alert: Texts.Alert? = nil) -> Reply<State> {
        Reply(replies: replies, alert: alert, next: .stay)
    }

    /// Only an alert on the pressed button; the screen stays as it is.
    public func alertOnly<State>(_ alert: Texts.Alert) -> Reply<State> {
        Reply(replies: [], alert: alert, next: .stay)
    }

    /// Messages, and nothing open any more.
    public func idle<State>(_ replies: [Outgoing], effects: [Effect] = []) -> Reply<State> {
        Reply(replies: replies, next: .close, effects: effects)
    }

    /// Buttons laid out `perRow` to a row.
    public func rows(_ buttons: [InlineButton], perRow: Int) -> [[InlineButton]] {
        stride(from: 0, to: buttons.count, by: perRow).map { Array(buttons[$0..<min($0 + perRow, buttons.count)]) }
    }
}

/// Renders replies in one language, with the main menu keyboard or inline buttons.
public struct Speaker: Sendable {
    public let language: Language
    public let now: Date
    public let clock: BusinessClock
    /// Staff see their menu's entry on the main menu too.
    public let staff: Bool

    public init(language: Language, now: Date, clock: BusinessClock, staff: Bool = false) {
        self.language = language
        self.now = now
        self.clock = clock
        self.staff = staff
    }

    public var mainMenu: [[String]] {
        let last = staff ? [Texts.label(.about, in: language), Texts.label(.staffMenu, in: language)] : [Texts.label(.about, in: language)]
        return [[Texts.label(.book, in: language), Texts.label(.myBookings, in: language)], last]
    }

    /// A message with the main-menu keyboard.
    public func menu(_ message: Texts.Message) -> Outgoing {
        .message(text: Texts.text(message, in: language), menu: mainMenu, buttons: nil)
    }

    public func message(_ message: Texts.Message, buttons: [[InlineButton]]) -> Outgoing {
        .message(text: Texts.text(message, in: language), menu: nil, buttons: buttons)
    }

    /// A staff text as a new message with its buttons.
    public func staffMessage(_ message: any StaffScreenText, buttons: [[InlineButton]]) -> Outgoing {
        .message(text: message.text(in: language), menu: nil, buttons: buttons)
    }

    public func button<Action: FlowAction>(_ label: Texts.Button, _ action: Action) -> InlineButton {
        InlineButton(text: Texts.label(label, in: language), data: CallbackEnvelope.encode(action, issuedAt: now))
    }

    /// A staff screen's button (its own name: the staff labels must never be mistaken for
    /// the client's, whose cases they may share).
    public func staffButton<Action: FlowAction>(_ label: StaffButton, _ action: Action) -> InlineButton {
        staffButton(label as any StaffLabel, action)
    }

    /// A staff feature's button (its own label type).
    public func staffButton<Action: FlowAction>(_ label: any StaffLabel, _ action: Action) -> InlineButton {
        InlineButton(text: label.label(in: language), data: CallbackEnvelope.encode(action, issuedAt: now))
    }

    public func alert(_ alert: Texts.Alert) -> String { Texts.alert(alert, in: language) }

    public func local(_ instant: Date) -> LocalDateTime { LocalDateTime(instant, clock: clock) }

    public func summary(_ booking: ClientBooking) -> BookingSummary {
        BookingSummary(service: booking.service.name, start: local(booking.start),
                       durationMinutes: booking.durationMinutes, price: booking.service.price)
    }
}
