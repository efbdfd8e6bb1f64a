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

/// The conversation's state per chat and user, stored as JSON between updates.
///
/// Buttons carry everything a step needs (service, day, start, booking), so the state
/// only says which flow is open and on which message, for `/cancel` and `/start`.
public struct ConversationState: Sendable, Equatable, Codable {
    public enum Screen: String, Sendable, Codable {
        case idle
        /// Choosing a service, a day, a time, or confirming a new booking.
        case booking
        case myBookings
        /// Asked "cancel this booking?".
        case cancelling
        /// Choosing a new time for a booking.
        case moving
        /// Rated a visit; the next text is its comment.
        case reviewComment
    }

    public var screen: Screen
    /// The message the open flow is shown on, when known (it is learnt from the first
    /// press on it): `/cancel` takes its buttons away.
    public var flowMessageID: Int64?
    /// The booking whose review waits for a comment (`reviewComment`).
    public var reviewBooking: Int64?

    public init(screen: Screen = .idle, flowMessageID: Int64? = nil, reviewBooking: Int64? = nil) {
        self.screen = screen
        self.flowMessageID = flowMessageID
        self.reviewBooking = reviewBooking
    }
}

/// The result of one update: the next state, the replies to send, and the notice the
/// business's admins get when a booking was made, cancelled or moved.
public struct Turn: Sendable, Equatable {
    public var state: ConversationState
    public var replies: [Outgoing]
    /// Rendered by the caller in each admin's language.
    public var adminNotice: Texts.Message?

    public init(state: ConversationState, replies: [Outgoing], adminNotice: Texts.Message? = nil) {
        self.state = state
        self.replies = replies
        self.adminNotice = adminNotice
    }
}

/// The conversation, pure, in two steps per update:
/// 1. `plan(for:now:)` says which facts to read and which booking change to attempt;
/// 2. the caller reads them (after attempting the change, in the same transaction) and
///    `respond(to:state:facts:now:)` decides the next state and the replies.
///
/// Every button is parsed strictly and answered exactly once; the store, not the
/// dialogue, is the authority on whether a booking change may happen.
public struct Dialogue: Sendable {
    public let settings: DialogueSettings

    public init(settings: DialogueSettings) {
        self.settings = settings
    }

    // MARK: - Step 1: what to read and what to attempt

    public func plan(for incoming: Incoming, state: ConversationState = ConversationState(), now: Date) -> Plan {
        var needs = FactNeeds()
        switch Request(incoming, now: now, settings: settings) {
        case .text where state.screen == .reviewComment:
            guard let booking = state.reviewBooking, case .text(let text, _) = incoming else { break }
            return Plan(intent: .comment(booking: booking, text: ReviewLimits.storable(text)))
        case .command("start"):
            needs.profile = true
        case .command("book"), .menuButton(.book):
            needs.services = true
            needs.clientBookings = true
        case .command("my"), .menuButton(.myBookings):
            needs.clientBookings = true
        case .menuButton(.about):
            needs.services = true
        case .press(_, _, let action):
            return plan(for: action, now: now)
        default:
            break
        }
        return Plan(needs: needs)
    }

    private func plan(for action: CallbackAction, now: Date) -> Plan {
        let clock = settings.clock
        var needs = FactNeeds()
        var intent: BookingIntent?
        func month(_ index: Int) -> ClosedRange<LocalDate>? {
            MonthIndex.firstDay(index).map { $0...$0.lastOfMonth(addingMonths: 0) }
        }
        func day(ofStart minutes: Int) -> ClosedRange<LocalDate> {
            let date = clock.localDate(of: MinuteStamp.date(minutes))
            return date...date
        }
        switch action {
        case .bookNow, .services:
            needs.services = true
            needs.clientBookings = true
        case .pickService(let service):
            needs.service = service
            needs.days = month(MonthIndex.of(clock.localDate(of: now)))
        case .month(let service, let index):
            needs.service = service
            needs.days = month(index)
        case .day(let service, let day):
            needs.service = service
            needs.days = LocalDate(dayNumber: day)...LocalDate(dayNumber: day)
        case .slot(let service, let start):
            needs.service = service
            needs.clientBookings = true
            needs.days = day(ofStart: start)
        case .confirm(let service, let start):
            needs.service = service
            needs.clientBookings = true
            needs.days = day(ofStart: start)
            intent = .book(service: service, start: MinuteStamp.date(start))
        case .myBookings:
            needs.clientBookings = true
        case .askCancel(let booking):
            needs.booking = booking
        case .confirmCancel(let booking):
            intent = .cancel(booking: booking)
        case .move(let booking):
            needs.booking = booking
            needs.days = month(MonthIndex.of(clock.localDate(of: now)))
            needs.occupancyExcluding = booking
        case .moveMonth(let booking, let index):
            needs.booking = booking
            needs.days = month(index)
            needs.occupancyExcluding = booking
        case .moveDay(let booking, let day):
            needs.booking = booking
            needs.days = LocalDate(dayNumber: day)...LocalDate(dayNumber: day)
            needs.occupancyExcluding = booking
        case .moveSlot(let booking, let start):
            needs.booking = booking
            needs.days = day(ofStart: start)
            needs.occupancyExcluding = booking
        case .confirmMove(let booking, let start):
            needs.booking = booking
            needs.days = day(ofStart: start)
            needs.occupancyExcluding = booking
            intent = .move(booking: booking, start: MinuteStamp.date(start))
        case .rate(let booking, let stars):
            intent = .rate(booking: booking, stars: stars)
        case .menu, .howItWorks, .cancelFlow, .noop, .skipReview:
            break
        }
        return Plan(needs: needs, intent: intent)
    }

    // MARK: - Step 2: what to say

    public func respond(to incoming: Incoming, state: ConversationState, facts: Facts, now: Date) -> Turn {
        let step = Step(settings: settings, facts: facts, now: now, state: state,
                        say: Speaker(language: language(of: incoming.person), now: now, clock: settings.clock),
                        person: incoming.person)
        switch Request(incoming, now: now, settings: settings) {
        case .command("start"):
            return step.start()
        case .command("help"):
            return step.idle([step.say.menu(.help)])
        case .command("cancel"):
            return step.cancelCommand()
        case .command("book"), .menuButton(.book):
            return step.serviceList(entry: nil)
        case .command("my"), .menuButton(.myBookings):
            return step.myBookings(entry: nil)
        case .menuButton(.about):
            return step.keep([step.say.menu(.about(step.about))])
        case .text where state.screen == .reviewComment:
            return step.reviewCommented()
        case .command, .menuButton, .text, .unsupported:
            return step.keep([step.say.menu(.unknownInput)])
        case .badPress(let queryID, .stale):
            return step.keep([step.say.menu(.staleButton), step.answer(queryID, .staleButton)])
        case .badPress(let queryID, _):
            return step.keep([step.answer(queryID, .invalidButton)])
        case .press(let queryID, let messageID, let action):
            return step.pressed(action, entry: Entry(queryID: queryID, messageID: messageID))
        }
    }

    /// What to say when an update of this person was given up on.
    public func apology(for incoming: Incoming) -> [Outgoing] {
        let say = Speaker(language: language(of: incoming.person), now: Date(), clock: settings.clock)
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

    /// The language a person is spoken to in.
    public func language(of person: Person) -> Language {
        Language.resolve(setting: settings.languageSetting, userLanguageCode: person.languageCode)
    }

    /// The language for someone known only by their stored Telegram language code (an
    /// admin getting a notice).
    public func language(forCode code: String?) -> Language {
        Language.resolve(setting: settings.languageSetting, userLanguageCode: code)
    }
}

/// An incoming update, classified once for both steps.
enum Request {
    case command(String)
    case menuButton(Texts.Button)
    case text
    case unsupported
    /// A well-formed, fresh button with plausible values.
    case press(queryID: String, messageID: Int64?, action: CallbackAction)
    case badPress(queryID: String, CallbackRejection)

    init(_ incoming: Incoming, now: Date, settings: DialogueSettings) {
        switch incoming {
        case .command(let name, _, _):
            self = .command(name)
        case .text(let text, _):
            self = Texts.mainMenuButton(matching: text).map(Request.menuButton) ?? .text
        case .unsupported:
            self = .unsupported
        case .button(let queryID, let data, let messageID, _):
            switch CallbackData.decode(data, now: now, ttl: settings.callbackTTL) {
            case .failure(let rejection):
                self = .badPress(queryID: queryID, rejection)
            case .success(let decoded):
                let plausible = Plausibility(clock: settings.clock, now: now).allows(decoded.action)
                self = plausible ? .press(queryID: queryID, messageID: messageID, action: decoded.action)
                                 : .badPress(queryID: queryID, .malformed)
            }
        }
    }
}

/// Well-formed button data can still name a day or time no screen could have offered
/// (a year 9999, a date before the bot existed): such data is forged and refused before
/// it reaches the store. `CallbackData` has already held every number within
/// `ButtonCalendar`, so nothing here can overflow.
struct Plausibility {
    let clock: BusinessClock
    let now: Date
    /// Generous: far beyond any booking horizon, yet far inside every range the store,
    /// the clock and the calendar arithmetic handle.
    private static let reach = 3 * 366

    func allows(_ action: CallbackAction) -> Bool {
        let today = clock.localDate(of: now).dayNumber
        let days = (today - Self.reach)...(today + Self.reach)
        func month(_ index: Int) -> Bool { MonthIndex.firstDay(index).map { days.contains($0.dayNumber) } ?? false }
        func start(_ minutes: Int) -> Bool { days.contains(minutes / 1440) }
        switch action {
        case .month(_, let index), .moveMonth(_, let index): return month(index)
        case .day(_, let day), .moveDay(_, let day): return days.contains(day)
        case .slot(_, let minutes), .confirm(_, let minutes), .moveSlot(_, let minutes), .confirmMove(_, let minutes):
            return start(minutes)
        default: return true
        }
    }
}

/// The press a screen came from: edited in place and answered; nil for a command or a
/// menu button, which get a new message.
struct Entry {
    let queryID: String
    let messageID: Int64?
}

/// Renders replies in one language, with the main menu keyboard or inline buttons.
struct Speaker {
    let language: Language
    let now: Date
    let clock: BusinessClock

    var mainMenu: [[String]] {
        [[Texts.label(.book, in: language), Texts.label(.myBookings, in: language)], [Texts.label(.about, in: language)]]
    }

    /// A message with the main-menu keyboard.
    func menu(_ message: Texts.Message) -> Outgoing {
        .message(text: Texts.text(message, in: language), menu: mainMenu, buttons: nil)
    }

    func message(_ message: Texts.Message, buttons: [[InlineButton]]) -> Outgoing {
        .message(text: Texts.text(message, in: language), menu: nil, buttons: buttons)
    }

    func button(_ label: Texts.Button, _ action: CallbackAction) -> InlineButton {
        InlineButton(text: Texts.label(label, in: language), data: CallbackData.encode(action, issuedAt: now))
    }

    func alert(_ alert: Texts.Alert) -> String { Texts.alert(alert, in: language) }

    func local(_ instant: Date) -> LocalDateTime { LocalDateTime(instant, clock: clock) }

    func summary(_ booking: ClientBooking) -> BookingSummary {
        BookingSummary(service: booking.service.name, start: local(booking.start),
                       durationMinutes: booking.durationMinutes, price: booking.service.price)
    }
}
