import Conversation
import Foundation
import Sandbox
import Telegram

/// One of the bot's messages as a simulated person reads it: what each inline button
/// does, told by its callback data (decoded as the bot's own router decodes it), never by
/// its translated label.
public struct Screen: Sendable {
    /// What a button under the message does.
    public enum Button: Equatable, Sendable {
        case service
        /// A day of the month view; `open` when its mark says it has free times (🟢 or 🟡:
        /// the marks are the same in every language).
        case day(number: Int, open: Bool)
        /// ◀ or ▶ of the month view, or Back to it; `month` is the bot's month index.
        case month(index: Int)
        /// A free time, as a minute since 1970.
        case slot(start: Int)
        case confirm(start: Int)
        /// "Book" or "Back" to the service list.
        case services
        case myBookings
        case askCancel(booking: Int64)
        case confirmCancel(booking: Int64)
        /// Move, under a booking of My bookings.
        case move(booking: Int64)
        /// A star of a review request.
        case rate(booking: Int64, stars: Int)
        /// Anything else: Cancel, headers, another flow's buttons.
        case other
    }

    public let messageID: Int64
    public let text: String
    /// Each inline button's action and callback data, in reading order.
    public let buttons: [(button: Button, data: String)]

    public init(_ message: TranscriptMessage, now: Date = Date()) {
        self.init(messageID: message.messageID, text: message.text ?? message.caption ?? "",
                  buttons: message.inlineButtons.compactMap { button in button.callbackData.map { (button.text, $0) } }, now: now)
    }

    /// A message of `buttons` (label, callback data) in reading order.
    public init(messageID: Int64, text: String, buttons: [(label: String, data: String)], now: Date = Date()) {
        self.messageID = messageID
        self.text = text
        self.buttons = buttons.map { (Self.decode($0.data, label: $0.label, now: now), $0.data) }
    }

    public static func decode(_ data: String, label: String, now: Date) -> Button {
        if let action = CallbackEnvelope.decode(data, as: BookingFlow.Action.self, now: now) {
            switch action {
            case .pickService: return .service
            case .day(_, let day): return .day(number: day, open: label.hasPrefix("🟢") || label.hasPrefix("🟡"))
            case .month(_, let month): return .month(index: month)
            case .slot(_, let start): return .slot(start: start)
            case .confirm(_, let start): return .confirm(start: start)
            case .services, .bookNow: return .services
            }
        }
        // Moving goes through the same month, day, time and confirmation as booking.
        if let action = CallbackEnvelope.decode(data, as: MoveFlow.Action.self, now: now) {
            switch action {
            case .start(let booking): return .move(booking: booking)
            case .month(_, let month): return .month(index: month)
            case .day(_, let day): return .day(number: day, open: label.hasPrefix("🟢") || label.hasPrefix("🟡"))
            case .slot(_, let start): return .slot(start: start)
            case .confirm(_, let start): return .confirm(start: start)
            }
        }
        if case .rate(let booking, let stars)? = CallbackEnvelope.decode(data, as: ReviewFlow.Action.self, now: now) {
            return .rate(booking: booking, stars: stars)
        }
        if CallbackEnvelope.decode(data, as: MyBookingsFlow.Action.self, now: now) != nil { return .myBookings }
        switch CallbackEnvelope.decode(data, as: CancelFlow.Action.self, now: now) {
        case .ask(let booking)?: return .askCancel(booking: booking)
        case .confirm(let booking)?: return .confirmCancel(booking: booking)
        case nil: return .other
        }
    }

    /// The callback data of the buttons that satisfy `matches`, in reading order.
    public func data(where matches: (Button) -> Bool) -> [String] {
        buttons.filter { matches($0.button) }.map(\.data)
    }

    public func has(_ matches: (Button) -> Bool) -> Bool { buttons.contains { matches($0.button) } }
}

/// Where the booking flow stands, as the screen a person has in front of them says.
public enum Step: String, CaseIterable, Sendable {
    /// The list of services (a reply to /book).
    case services
    /// A month view with its days.
    case calendar
    /// A day's free times.
    case slots
    /// "Confirm the booking?".
    case confirmation
    /// Booked: only the My bookings button under it.
    case booked
    /// My bookings, each with its Cancel button.
    case bookings
    /// "Cancel this booking?".
    case question
    /// Cancelled: no buttons left.
    case cancelled

    /// The step `screen` shows, judged by its buttons alone; nil for any other screen.
    /// "Booked" and a refusal with only My bookings under it look alike: the caller knows
    /// which it expects.
    public static func of(_ screen: Screen) -> Step? {
        let kinds = screen.buttons.map(\.button)
        if kinds.isEmpty { return .cancelled }
        if kinds.contains(where: { if case .confirmCancel = $0 { return true } else { return false } }) { return .question }
        if kinds.contains(where: { if case .askCancel = $0 { return true } else { return false } }) { return .bookings }
        if kinds.contains(where: { if case .confirm = $0 { return true } else { return false } }) { return .confirmation }
        if kinds.contains(where: { if case .slot = $0 { return true } else { return false } }) { return .slots }
        if kinds.contains(where: { if case .day = $0 { return true } else { return false } }) { return .calendar }
        if kinds.contains(.service) { return .services }
        if kinds == [.myBookings] { return .booked }
        return nil
    }
}

extension Screen {
    /// The screen answering a person's last act, once it is there: a bot message newer than
    /// `lastMessageID` (the reply to a typed command, or a new screen after a press), or the
    /// pressed message edited past the edits it had (`pressed`). Messages that `skipping`
    /// says answer nobody's act (a broadcast, a review request) are passed over.
    public static func answer(in transcript: ChatTranscript, after lastMessageID: Int64, pressed: (messageID: Int64, edits: Int)?,
                              skipping: (TranscriptMessage) -> Bool = { _ in false }) -> Screen? {
        if let newest = transcript.botMessages.last(where: { !skipping($0) }), newest.messageID > lastMessageID { return Screen(newest) }
        if let pressed, let message = transcript.message(pressed.messageID), !message.deleted, message.editCount > pressed.edits {
            return Screen(message)
        }
        return nil
    }
}
