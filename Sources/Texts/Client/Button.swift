import Booking

/// Every button label, on the reply keyboard and on inline keyboards. What a button
/// does is `Conversation.CallbackAction`'s business; this is only what it says.
public enum Button: Sendable, Hashable {
    // MARK: Main menu (reply keyboard); `myBookings` also appears inline.

    case book
    case myBookings
    case about
    /// The staff's fourth entry: their menu (`/admin`); only staff see it.
    case staffMenu

    // MARK: Onboarding

    case howItWorks
    case bookNow

    // MARK: Every flow screen

    case back
    /// Leaves the flow (like /cancel).
    case cancel
    case confirm
    case mainMenu

    // MARK: One booking

    case cancelBooking
    case move
    /// In My bookings, one per booking: "❌ Cancel 25 Nov 14:00".
    case cancelBookingAt(LocalDateTime)
    case moveBookingAt(LocalDateTime)
    case yesCancel
    case noKeep

    // MARK: Month view

    case previousMonth
    case nextMonth
    /// The month's name and year (a header; `month` is any day of it).
    case monthTitle(LocalDate)
    /// A weekday column header.
    case weekday(Weekday)
    /// A blank cell before the 1st or after the last day.
    case emptyDay
    /// The day number with its colour: 🟢 / 🟡 / 🔴 / ⚫.
    case day(Int, DayStatus)

    // MARK: Services and slots

    /// "name · duration · price" (no price part when it is empty); the name is
    /// shortened so the label stays within 64 characters.
    case service(name: String, durationMinutes: Int, price: String)
    /// A start time of the day.
    case slot(minuteOfDay: Int)
    /// Back to the month view from a day without (or with taken) slots.
    case otherDay

    // MARK: Reviews

    case stars(Int)
    case skipComment
}
