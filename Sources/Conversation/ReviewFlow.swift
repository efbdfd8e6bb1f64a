import Booking
import Foundation
import Texts

/// The review limits the dialogue keeps (the `reviews` table's CHECK says the same).
public enum ReviewLimits {
    /// In Unicode scalars: the CHECK counts with `char_length`, which counts code points.
    public static let maxCommentLength = 2000

    /// The comment as it can be stored: whole characters while they fit in
    /// `maxCommentLength` scalars. Counting characters would not do: "👍🏽" is one
    /// character but two scalars, and a comment over the CHECK fails its update on every
    /// attempt.
    /// NUL is dropped: PostgreSQL text cannot hold it, and a comment that can never be
    /// stored would fail its update on every attempt.
    public static func storable(_ raw: String) -> String {
        let text = raw.contains("\u{0}") ? raw.replacingOccurrences(of: "\u{0}", with: "") : raw
        var used = 0
        var end = text.startIndex
        while end < text.endIndex {
            let next = text.index(after: end)
            let size = text.unicodeScalars[end..<next].count
            if used + size > maxCommentLength { break }
            used += size
            end = next
        }
        // A single character longer than the whole limit (a letter under thousands of
        // combining marks) is cut inside.
        if end == text.startIndex, !text.isEmpty {
            return String(String.UnicodeScalarView(text.unicodeScalars.prefix(maxCommentLength)))
        }
        return String(text[..<end])
    }
}

/// Reviews (SPEC client 9): stars from the request's buttons, then an optional comment
/// as the next text. The store decides whether a rating counts (this client's visit,
/// over, not yet rated), at the press.
extension Step {
    func rated(booking: Int64, stars: Int, entry: Entry) -> Turn {
        switch facts.outcome {
        case .rated(.saved)?:
            let turn = show(.askReviewComment(stars: stars), buttons: [[say.button(.skipComment, .skipReview(booking: booking))]],
                            entry: entry, alert: .ratingSaved(stars: stars), next: .reviewComment)
            var state = turn.state
            state.reviewBooking = booking
            return Turn(state: state, replies: turn.replies)
        case .rated(.alreadyReviewed)?:
            return alertOnly(entry, .alreadyReviewed)
        case .rated(.notYet)?:
            return alertOnly(entry, .reviewTooEarly)
        default:
            return alertOnly(entry, .bookingNotFound)
        }
    }

    /// The comment arrived (or there was none left to take): thanks, and the menu.
    func reviewCommented() -> Turn {
        idle(closingOpenFlow() + [say.menu(.reviewThanks)])
    }
}

/// The messages the reminders process sends, decided as purely as the dialogue's.
public struct Notices: Sendable {
    public let settings: DialogueSettings

    public init(settings: DialogueSettings) {
        self.settings = settings
    }

    /// A reminder before a visit, with a Cancel button only while cancelling is allowed.
    public func reminder(for booking: ClientBooking, languageCode: String?, rules: BookingRules, address: String, now: Date) -> Outgoing {
        let say = speaker(languageCode, now: now)
        let minutesLeft = Int(saturatingFloor: (booking.start.timeIntervalSince(now) / 60).rounded(.towardZero))
        let canCancel = rules.refusal(for: .cancel(currentStart: booking.start), by: .client, now: now, occupancy: .empty) == nil
        let message = Texts.Message.reminder(booking: say.summary(booking), minutesLeft: minutesLeft,
                                             today: settings.clock.localDate(of: now), address: address, canCancel: canCancel)
        return canCancel ? say.message(message, buttons: [[say.button(.cancelBooking, .askCancel(booking: booking.id))]])
                         : say.menu(message)
    }

    /// The request for 1–5 stars after a visit.
    public func reviewRequest(for booking: ClientBooking, languageCode: String?, now: Date) -> Outgoing {
        let say = speaker(languageCode, now: now)
        return say.message(.reviewRequest(service: booking.service.name, date: settings.clock.localDate(of: booking.start)),
                           buttons: [(1...5).map { say.button(.stars($0), .rate(booking: booking.id, stars: $0)) }])
    }

    private func speaker(_ code: String?, now: Date) -> Speaker {
        Speaker(language: Language.resolve(setting: settings.languageSetting, userLanguageCode: code), now: now, clock: settings.clock)
    }
}
