/// Short answers to button presses (answerCallbackQuery, at most 200 characters). Every
/// callback query is answered; these are the ones that say something.
public enum Alert: Sendable, Hashable {
    /// A button older than CALLBACK_TTL_HOURS.
    case staleButton
    case invalidButton
    /// The flood guard dropped a press.
    case pleaseWait
    case somethingWentWrong
    /// A 🔴 day was pressed.
    case dayFull
    /// A ⚫ day (past, closed, beyond the horizon) was pressed.
    case dayUnavailable
    /// ◀ before the current month.
    case monthBeforeRange
    /// ▶ past the booking horizon.
    case monthBeyondHorizon
    case slotTaken
    case limitReached(limit: Int)
    case booked
    case cancelled
    case moved
    case flowCancelled
    case ratingSaved(stars: Int)
    case alreadyReviewed
    /// A rating pressed before the visit took place.
    case reviewTooEarly
    case bookingNotFound
    /// A staff button pressed by someone whose role does not allow it.
    case noAccess
}
