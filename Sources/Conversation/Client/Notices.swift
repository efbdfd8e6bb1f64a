import Booking
import Foundation
import Texts

/// The messages the reminders process sends, decided as purely as the dialogue's.
public struct Notices: Sendable {
    public let settings: ConversationSettings

    public init(settings: ConversationSettings) {
        self.settings = settings
    }

    /// A reminder before a visit, with a Cancel button only while cancelling is allowed.
    public func reminder(for booking: ClientBooking, languageCode: String?, rules: BookingRules, address: String, now: Date) -> Outgoing {
        let say = speaker(languageCode, now: now)
        let minutesLeft = Int(saturatingFloor: (booking.start.timeIntervalSince(now) / 60).rounded(.towardZero))
        let canCancel = rules.refusal(for: .cancel(currentStart: booking.start), by: .client, now: now, occupancy: .empty) == nil
        let message = Texts.Message.reminder(booking: say.summary(booking), minutesLeft: minutesLeft,
                                             today: settings.clock.localDate(of: now), address: address, canCancel: canCancel)
        return canCancel ? say.message(message, buttons: [[say.button(.cancelBooking, CancelFlow.Action.ask(booking: booking.id))]])
                         : say.menu(message)
    }

    /// The request for 1–5 stars after a visit.
    public func reviewRequest(for booking: ClientBooking, languageCode: String?, now: Date) -> Outgoing {
        let say = speaker(languageCode, now: now)
        return say.message(.reviewRequest(service: booking.service.name, date: settings.clock.localDate(of: booking.start)),
                           buttons: [(1...5).map { say.button(.stars($0), ReviewFlow.Action.rate(booking: booking.id, stars: $0)) }])
    }

    private func speaker(_ code: String?, now: Date) -> Speaker {
        Speaker(language: settings.language(forCode: code), now: now, clock: settings.clock)
    }
}
