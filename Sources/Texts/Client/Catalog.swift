/// The name of every template in the catalogs. Each language answers every key (the
/// switches in CatalogRU / CatalogEN are exhaustive), and the tests check that both
/// languages of a key ask for the same values.
///
/// A template is a whole message, line or sentence. Some embed another whole sentence
/// or line by name (a list item, a rule sentence); none is ever assembled from words.
enum CatalogKey: String, CaseIterable, Sendable {
    // Start and menu
    case welcomeNew, howItWorks, welcomeBack, welcomeBackWithCount, mainMenu, help, commandLine
    case about, aboutService, aboutMoreServices
    case hoursEveryDay, hoursLine, hoursDayOff, dayRange
    case ruleLimit, ruleCutoffs, ruleNotice, ruleReminders, ruleNoReminders
    // Booking flow
    case chooseService, noServices, calendar, legend, legendShort, daySlots, noSlots, confirmBooking, booked
    case bookedReminders, bookedNoReminders
    // Refusals
    case slotTaken, slotTakenDayFull, limitReached, serviceUnavailable, inPast, tooSoon, outsideHours
    case notAligned, beyondHorizon, overlapsBlock, bookingNotFound
    // My bookings, cancel, move
    case myBookings, myBookingsItem, myBookingsMore, myBookingsEmpty
    case cancelQuestion, cancelled, cancelRefused
    case moveCalendar, moveSlots, moveNoSlots, confirmMove, moved, moveRefused
    // Flow control and errors
    case flowCancelled, nothingToCancel, unknownInput, staleButton, invalidButton, pleaseWait, somethingWentWrong
    case noAccess, superAdminsOnly, flowReset
    // Reminders and reviews
    case reminder, reviewRequest, askReviewComment, reviewThanks
    // Told to the client and to admins
    case cancelledByBusiness, movedByBusiness, adminNewBooking, adminCancelled, adminMoved, clientLabel
    case shiftedByBusiness, shiftedByBusinessItem, serviceChangedByBusiness, serviceChangedByBusinessItem
    // Told to a person whose staff access changed
    case staffAccessChanged
    case cancelledByBlock
    // Amounts of time
    case durationHours, durationMinutes, durationHoursMinutes
    case leadBeforeDays, leadBeforeHours, leadBeforeMinutes, leadBeforeMixed
    case leadInHours, leadInMinutes, leadInMixed
    // Lists ("a, b and c"), after CLDR list patterns
    case listPair, listStart, listMiddle, listEnd
    // Dates
    case dateWithWeekday, dayMonth, shortDate, monthTitle, time
    case relativeToday, relativeTomorrow, relativeYesterday, relativeInDays, relativeDaysAgo
    // Buttons
    case buttonBook, buttonMyBookings, buttonAbout, buttonStaffMenu, buttonHowItWorks, buttonBookNow, buttonBack, buttonCancel
    case buttonConfirm, buttonMainMenu, buttonCancelBooking, buttonMove, buttonCancelBookingAt, buttonMoveBookingAt
    case buttonYesCancel, buttonNoKeep, buttonPreviousMonth, buttonNextMonth, buttonEmptyDay, buttonDay
    case buttonService, buttonServiceNoPrice, buttonSlot, buttonOtherDay, buttonStars, buttonSkipComment
    // Alerts
    case alertStaleButton, alertInvalidButton, alertPleaseWait, alertSomethingWentWrong, alertDayFull
    case alertDayUnavailable, alertMonthBeforeRange, alertMonthBeyondHorizon, alertSlotTaken, alertLimitReached
    case alertBooked, alertCancelled, alertMoved, alertFlowCancelled, alertRatingSaved, alertAlreadyReviewed, alertReviewTooEarly
    case alertBookingNotFound, alertNoAccess
    // Command descriptions for setMyCommands
    case commandStart, commandBook, commandMy, commandHelp, commandCancel
}

/// Month and weekday names: plain words, not templates (the date templates place them).
struct CalendarNames: Sendable {
    /// January first; the form a month title uses ("Ноябрь 2026").
    let months: [String]
    /// January first; the form after a day number ("25 ноября").
    let monthsAfterDay: [String]
    /// January first; short form for buttons ("Nov").
    let monthsShort: [String]
    /// Monday first.
    let weekdays: [String]
    /// Monday first; calendar column headers.
    let weekdaysShort: [String]
}

/// The catalogs.
enum Catalog {
    static func template(_ key: CatalogKey, in language: Language) -> String {
        switch language {
        case .ru: return russian(key)
        case .en: return english(key)
        }
    }

    static func names(in language: Language) -> CalendarNames {
        switch language {
        case .ru: return russianNames
        case .en: return englishNames
        }
    }
}
