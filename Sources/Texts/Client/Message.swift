import Booking

/// Every message text the bot sends to a client (and the booking notices it sends to
/// admins), with the values it shows. `Texts.text(_:in:)` renders one in a language.
///
/// Dates and times are `LocalDate` / `LocalDateTime` already in the business's zone, so
/// rendering needs no clock. Lists (services, bookings, reminder lead times) are passed
/// whole; the renderer shortens them to fit Telegram's 4096 characters.
/// One booking's old and new time, as a shift moved it.
public struct MovedTime: Sendable, Hashable {
    public var service: String
    public var from: LocalDateTime
    public var to: LocalDateTime

    public init(service: String, from: LocalDateTime, to: LocalDateTime) {
        self.service = service
        self.from = from
        self.to = to
    }
}

public enum Message: Sendable, Hashable {
    // MARK: Start and menu

    /// First contact: greeting plus how it works (load colours, limit, cut-offs, notice,
    /// reminders). `name` may be empty.
    case welcomeNew(name: String, rules: ClientRules)
    /// The "How it works" screen.
    case howItWorks(rules: ClientRules)
    /// A returning user; `bookingCount` (all their bookings ever) is shown only when ≥ 5.
    case welcomeBack(name: String, bookingCount: Int)
    case mainMenu
    /// The commands and menu buttons.
    case help
    case about(AboutInfo)

    // MARK: Booking flow

    /// Step 1, with "your bookings: n/limit".
    case chooseService(activeBookings: Int, limit: Int)
    case noServices
    /// Step 2: the month view for a service; `month` is any day of the shown month.
    case calendar(service: String, durationMinutes: Int, month: LocalDate)
    /// What the day colours mean.
    case legend
    /// Step 3: the day's free starts (as buttons); "few left" when 1 or 2 remain, and
    /// the no-slots text when none does.
    case daySlots(service: String, durationMinutes: Int, date: LocalDate, freeCount: Int)
    case noSlots(service: String, date: LocalDate)
    /// Step 4.
    case confirmBooking(service: String, start: LocalDateTime, durationMinutes: Int, price: String)
    /// Step 5. `reminderOffsetsMinutes` are the reminders this booking really gets (the
    /// lead times still ahead); empty says there will be none.
    case booked(booking: BookingSummary, address: String, reminderOffsetsMinutes: [Int])

    // MARK: Refusals at confirm (BookingRefusal), each keeping the flow alive

    /// `overlaps_booking`: the slot went meanwhile; the day's free starts follow as
    /// buttons (`freeCount` of them; none → "choose another day").
    case slotTaken(date: LocalDate, freeCount: Int)
    /// `limit_reached`, pointing to My bookings.
    case limitReached(activeBookings: Int, limit: Int)
    /// `not_active`.
    case serviceUnavailable(service: String)
    /// `in_past`.
    case inPast
    /// `too_soon`, naming the minimum notice.
    case tooSoon(noticeMinutes: Int)
    /// `outside_hours`.
    case outsideHours
    /// `not_aligned`.
    case notAligned
    /// `beyond_horizon`, naming the last bookable day.
    case beyondHorizon(lastDay: LocalDate)
    /// `overlaps_block`.
    case overlapsBlock
    /// A booking id that does not exist, is someone else's, or is no longer confirmed.
    case bookingNotFound

    // MARK: My bookings, cancel, move

    /// Upcoming bookings with "today / tomorrow / in N days" counted from `today`, and
    /// the past visits count; an empty list renders as `myBookingsEmpty`.
    case myBookings(bookings: [BookingSummary], today: LocalDate, pastVisits: Int)
    case myBookingsEmpty(pastVisits: Int)
    case cancelQuestion(booking: BookingSummary)
    case cancelled(booking: BookingSummary)
    /// `cancel_cutoff`: too late to cancel here; how to reach the business instead.
    case cancelRefused(cutoffHours: Int, contact: BusinessContact)
    /// The month view for a new time of an existing booking.
    case moveCalendar(booking: BookingSummary, month: LocalDate)
    /// The free starts of a day for the new time (none → "choose another day").
    case moveSlots(booking: BookingSummary, date: LocalDate, freeCount: Int)
    case confirmMove(booking: BookingSummary, newStart: LocalDateTime)
    /// Done; `reminderOffsetsMinutes` are the reminders planned for the new time.
    case moved(service: String, from: LocalDateTime, to: LocalDateTime, reminderOffsetsMinutes: [Int])
    /// `reschedule_cutoff`.
    case moveRefused(cutoffHours: Int, contact: BusinessContact)

    // MARK: Flow control and errors

    /// `/cancel` closed an open flow.
    case flowCancelled
    /// `/cancel` with no flow open.
    case nothingToCancel
    /// Text the bot does not understand.
    case unknownInput
    /// A button older than CALLBACK_TTL_HOURS.
    case staleButton
    /// Callback data the bot did not make (or an unsupported version).
    case invalidButton
    /// A step the person's role does not allow (a staff command or button).
    case noAccess
    /// Staff who may not use this: it is for super admins.
    case superAdminsOnly
    /// The open flow's saved state could not be read; it was reset.
    case flowReset
    /// The flood guard dropped a message.
    case pleaseWait
    case somethingWentWrong

    // MARK: Reminders and reviews

    /// A reminder: "tomorrow at 14:00", "in 2 hours", … chosen from `minutesLeft` (until
    /// the start, at sending) and `today` (the local date at sending). `canCancel` says
    /// whether the Cancel button is attached (the cut-off has not passed).
    case reminder(booking: BookingSummary, minutesLeft: Int, today: LocalDate, address: String, canCancel: Bool)
    /// Asks for 1–5 stars after a visit.
    case reviewRequest(service: String, date: LocalDate)
    /// After the stars: an optional comment.
    case askReviewComment(stars: Int)
    case reviewThanks

    // MARK: Changes made by the business, told to the client

    /// An admin cancelled the booking (or a block covered it); `reason` may be empty.
    case cancelledByBusiness(booking: BookingSummary, reason: String)
    /// An admin moved the booking; `reason` may be empty.
    case movedByBusiness(service: String, from: LocalDateTime, to: LocalDateTime, reason: String)
    /// A mass shift of a day moved the client's bookings (SPEC admin 9): one message for
    /// all of them, each with its old and new time.
    case shiftedByBusiness(moves: [MovedTime])
    /// The client's future bookings of `from` are now bookings of `to`; their times stay.
    case serviceChangedByBusiness(from: String, to: String, starts: [LocalDateTime])
    /// The business closed the booking's time (a block, SPEC admin 7), with its reason.
    case cancelledByBlock(booking: BookingSummary, reason: String)

    // MARK: Notifications to admins

    case adminNewBooking(client: ClientInfo, booking: BookingSummary)
    /// `reason` may be empty.
    case adminCancelled(client: ClientInfo, booking: BookingSummary, reason: String)
    case adminMoved(client: ClientInfo, service: String, from: LocalDateTime, to: LocalDateTime)

    // MARK: Staff access, told to the person it changed

    /// Added to the staff, their role changed, or removed (SPEC admin 11).
    case staffAccessChanged(StaffAccessChange)
}
