// The English catalog. Plural branches follow CLDR for integers: one (exactly 1) and
// other. Dates are day-first ("Wednesday, 25 November") and times 24-hour, as the
// business's clients in Europe read them.

extension Catalog {
    static let englishNames = CalendarNames(
        months: ["January", "February", "March", "April", "May", "June",
                 "July", "August", "September", "October", "November", "December"],
        monthsAfterDay: ["January", "February", "March", "April", "May", "June",
                         "July", "August", "September", "October", "November", "December"],
        monthsShort: ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
        weekdays: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
        weekdaysShort: ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"])

    static func english(_ key: CatalogKey) -> String {
        switch key {
        // MARK: Start and menu
        case .welcomeNew:
            return "👋 {hasName, select, yes {Hello, {name}!} other {Hello!}}\n\n"
                + "I’ll help you book an appointment: pick a service, a day and a time, and you’re done. "
                + "You can also view, move or cancel your bookings right here.\n\n{howItWorks}"
        case .howItWorks:
            return "❓ How it works\n\n{legend}\n\n• {limitRule}\n• {cancelRule}\n• {noticeRule}\n• {reminderRule}"
        case .welcomeBack:
            return "👋 Welcome back{hasName, select, yes {, {name}} other {}}!\n\nPick what to do in the menu below."
        case .welcomeBackWithCount:
            return "👋 Welcome back{hasName, select, yes {, {name}} other {}}!\n"
                + "You have booked with us {count, plural, one {# time} other {# times}} — thank you for choosing us."
                + "\n\nPick what to do in the menu below."
        case .mainMenu:
            return "Main menu. What would you like to do? 👇"
        case .help:
            return "ℹ️ What I can do\n\n{commands}\n\nOr use the menu buttons: “{book}”, “{my}”, “{about}”."
        case .commandLine:
            return "/{command} — {description}"
        case .about:
            return "ℹ️ About us\n\n"
                + "{hasServices, select, yes {💼 Services:\n\n{services}} other {There are no services to book right now.}}"
                + "{hasAddress, select, yes {\n\n📍 Address: {address}} other {}}"
                + "{hasContact, select, yes {\n📞 Contact us: {contact}} other {}}"
                + "\n\n🕘 Opening hours:\n{hours}"
                + "\n\n📋 Booking rules:\n• {limitRule}\n• {cancelRule}\n• {noticeRule}\n• {reminderRule}"
        case .aboutService:
            return "▫️ {name}\n⏱ {duration}{hasPrice, select, yes { · 💰 {price}} other {}}"
                + "{hasDescription, select, yes {\n{description}} other {}}"
        case .aboutMoreServices:
            return "…and {count, plural, one {# more service} other {# more services}}: see them all under “{book}”."
        case .hoursEveryDay:
            return "Every day: {open}–{close}"
        case .hoursLine:
            return "{days}: {open}–{close}"
        case .hoursDayOff:
            return "{days}: closed"
        case .dayRange:
            return "{from}–{to}"
        case .ruleLimit:
            return "{limit, plural, =0 {Booking is closed at the moment.} "
                + "one {You can hold up to # active booking at a time.} "
                + "other {You can hold up to # active bookings at a time.}}"
        case .ruleCutoffs:
            return "{same, select, yes {You can cancel or move a booking {cancelHours, plural, "
                + "=0 {any time before it starts} one {up to # hour before it starts} "
                + "other {up to # hours before it starts}}.} "
                + "other {You can cancel a booking {cancelHours, plural, =0 {any time before it starts} "
                + "one {up to # hour before it starts} other {up to # hours before it starts}} "
                + "and move it {moveHours, plural, =0 {any time before it starts} "
                + "one {up to # hour before it starts} other {up to # hours before it starts}}.}}"
        case .ruleNotice:
            return "{hasNotice, select, yes {Bookings close {lead} the start.} other {You can book any free time.}}"
        case .ruleReminders:
            return "I’ll send you {several, select, yes {reminders} other {a reminder}} {leads} your visit."
        case .ruleNoReminders:
            return "I don’t send reminders before visits, so please note the date and time."

        // MARK: Booking flow
        case .chooseService:
            return "💼 Choose a service:\n\nYour bookings: {active}/{limit}"
        case .noServices:
            return "There are no services to book right now. Please check back later 🙏"
        case .calendar:
            return "🔹 {service} · {duration}\n\n🗓 {month}\nChoose a day:\n\n{legend}"
        case .legend:
            return "Days in the calendar are marked by colour:\n🟢 — all times free\n🟡 — some times free\n"
                + "🔴 — fully booked\n⚫ — not available"
        case .legendShort:
            return "🟢 free · 🟡 some free · 🔴 full · ⚫ not available"
        case .daySlots:
            return "🔹 {service} · {duration}\n📅 {date}\n\nChoose a time:"
                + "{few, select, yes {\n\n⏳ Only {count, plural, one {# time slot} other {# time slots}} left.} other {}}"
        case .noSlots:
            return "🔹 {service}\n📅 {date}\n\nThere are no free times on this day. Please choose another day."
        case .confirmBooking:
            return "Please check the details:\n\n🔹 Service: {service}\n📅 Date: {date}\n🕐 Time: {time}\n"
                + "⏱ Duration: {duration}{hasPrice, select, yes {\n💰 Price: {price}} other {}}\n\nConfirm the booking?"
        case .booked:
            return "✅ You’re booked!\n\n🔹 {service}\n📅 {date}, {time}\n⏱ {duration}"
                + "{hasPrice, select, yes { · 💰 {price}} other {}}{hasAddress, select, yes {\n📍 {address}} other {}}"
                + "\n\n{reminders}\n\nYou can view, move or cancel it under “{my}”."
        case .bookedReminders:
            return "🔔 I’ll send you {several, select, yes {reminders} other {a reminder}} {leads} the start."
        case .bookedNoReminders:
            return "🔔 There will be no reminders for this booking, so please note the date and time."

        // MARK: Refusals
        case .slotTaken:
            return "😔 Sorry, that time was just taken.\n\n📅 {date} — here are the free times:"
        case .slotTakenDayFull:
            return "😔 Sorry, that time was just taken, and there are no free times left on this day.\n\n"
                + "📅 {date}\n\nPlease choose another day."
        case .limitReached:
            return "You already have {active, plural, one {# active booking} other {# active bookings}} — "
                + "that’s the maximum ({limit}).\n\n"
                + "To book another, cancel one of them under “{my}” or wait until after your visit."
        case .serviceUnavailable:
            return "😔 “{service}” can no longer be booked. Please choose another service."
        case .inPast:
            return "That time has already passed. Please choose another."
        case .tooSoon:
            return "That time is too soon: bookings close {lead} the start. Please choose a later time."
        case .outsideHours:
            return "That time is outside our opening hours. Please choose another."
        case .notAligned:
            return "That time is not on the schedule. Please pick a time from the list."
        case .beyondHorizon:
            return "Booking is not open that far ahead yet: you can book up to and including {lastDay}."
        case .overlapsBlock:
            return "That time is closed for booking. Please choose another."
        case .bookingNotFound:
            return "This booking was not found or is no longer active."

        // MARK: My bookings, cancel, move
        case .myBookings:
            return "🗂 Your bookings:\n\n{items}{hasPast, select, yes {\n\nPast visits: {past}} other {}}"
        case .myBookingsItem:
            return "{index}. {service}\n📅 {date}, {time} — {relative}\n⏱ {duration}"
                + "{hasPrice, select, yes { · 💰 {price}} other {}}"
        case .myBookingsMore:
            return "…and {count, plural, one {# more booking} other {# more bookings}}."
        case .myBookingsEmpty:
            return "You have no upcoming bookings.{hasPast, select, yes {\nPast visits: {past}.} other {}}\n\n"
                + "To book, press “{book}”."
        case .cancelQuestion:
            return "Cancel this booking?\n\n🔹 {service}\n📅 {date}, {time}\n⏱ {duration}"
        case .cancelled:
            return "❌ Booking cancelled.\n\n🔹 {service}\n📅 {date}, {time}\n\n"
                + "You won’t get reminders for it. To book again, press “{book}”."
        case .cancelRefused:
            return "It’s too late to cancel in the bot: less than "
                + "{hours, plural, one {# hour remains} other {# hours remain}} before the start.\n\n"
                + "{hasContact, select, yes {Please contact us: {contact}} other {Please contact us directly.}}"
                + "{hasAddress, select, yes {\n📍 {address}} other {}}"
        case .moveCalendar:
            return "🔁 Moving a booking\n\n🔹 {service} · {duration}\nNow: {date}, {time}\n\n"
                + "🗓 {month}\nChoose a new day:\n\n{legend}"
        case .moveSlots:
            return "🔁 Moving a booking\n\n🔹 {service}\nNow: {oldDate}, {oldTime}\n\n📅 {date}\nChoose a new time:"
                + "{few, select, yes {\n\n⏳ Only {count, plural, one {# time slot} other {# time slots}} left.} other {}}"
        case .moveNoSlots:
            return "🔁 Moving a booking\n\n🔹 {service}\nNow: {oldDate}, {oldTime}\n\n📅 {date}\n\n"
                + "There are no free times on this day. Please choose another day."
        case .confirmMove:
            return "Move this booking?\n\n🔹 {service}\nFrom: {oldDate}, {oldTime}\nTo: {newDate}, {newTime}\n"
                + "⏱ {duration}"
        case .moved:
            return "🔁 Booking moved!\n\n🔹 {service}\nWas: {oldDate}, {oldTime}\nNow: {newDate}, {newTime}"
                + "\n\n{reminders}"
        case .moveRefused:
            return "It’s too late to move this booking in the bot: less than "
                + "{hours, plural, one {# hour remains} other {# hours remain}} before the start.\n\n"
                + "{hasContact, select, yes {Please contact us: {contact}} other {Please contact us directly.}}"
                + "{hasAddress, select, yes {\n📍 {address}} other {}}"

        // MARK: Flow control and errors
        case .flowCancelled:
            return "OK, cancelled. You’re back in the main menu."
        case .nothingToCancel:
            return "There’s nothing to cancel — you’re in the main menu."
        case .unknownInput:
            return "Sorry, I didn’t understand that 🤔\nUse the menu buttons or send /help."
        case .staleButton:
            return "⌛ This message is out of date. Open the menu to continue."
        case .invalidButton:
            return "This button no longer works. Open the menu to continue."
        case .pleaseWait:
            return "⏳ Not so fast — please wait a moment."
        case .somethingWentWrong:
            return "😔 Something went wrong. Please try again in a moment."
        case .noAccess:
            return "🔒 Sorry, you have no access to this. It is for the business’s staff."
        case .superAdminsOnly:
            return "🔒 This is for the business’s super admins only. Ask an owner if you need it."
        case .flowReset:
            return "⚠️ What you were doing could not be continued and was reset. Please start it again from the menu."

        // MARK: Reminders and reviews
        case .reminder:
            return "🔔 Booking reminder\n\n🔹 {service}\n"
                + "{when, select, soon {🕐 Starts {lead}, at {time}} today {🕐 Today at {time}} "
                + "tomorrow {🕐 Tomorrow at {time}} other {📅 {date}, {time}}}"
                + "{hasAddress, select, yes {\n📍 {address}} other {}}\n\n"
                + "{canCancel, select, yes {If your plans have changed, you can cancel with the button below.} "
                + "other {See you soon!}}"
        case .reviewRequest:
            return "⭐ How was your visit?\n\n🔹 {service}, {date}\n\nPlease rate it from 1 to 5 — it takes a second."
        case .askReviewComment:
            return "Thank you for the rating: {stars} ⭐\n\nWould you like to add a comment? Send it as one message "
                + "or press “{skip}”."
        case .reviewThanks:
            return "🙏 Thank you for your feedback! It helps us get better."

        // MARK: Told to the client and to admins
        case .cancelledByBusiness:
            return "😔 Your booking has been cancelled\n\n🔹 {service}\n📅 {date}, {time}"
                + "{hasReason, select, yes {\n\nReason: {reason}} other {}}\n\n"
                + "We apologise. To choose another time, press “{book}”."
        case .cancelledByBlock:
            return "😔 Your booking has been cancelled: we are closed at that time\n\n🔹 {service}\n📅 {date}, {time}\n\nReason: {reason}\n\n"
                + "We apologise. To choose another time, press “{book}”."
        case .movedByBusiness:
            return "🔁 Your booking has been moved\n\n🔹 {service}\nWas: {oldDate}, {oldTime}\nNow: {newDate}, {newTime}"
                + "{hasReason, select, yes {\n\nReason: {reason}} other {}}\n\n"
                + "If the new time doesn’t suit you, see “{my}”."
        case .shiftedByBusiness:
            return "🔁 We changed our schedule, and {count, plural, one {your booking has been moved} other {your bookings have been moved}}:"
                + "\n\n{items}\n\nWe apologise. If the new time doesn’t suit you, see “{my}”."
        case .shiftedByBusinessItem:
            return "🔹 {service}\nWas: {oldDate}, {oldTime}\nNow: {newDate}, {newTime}"
        case .serviceChangedByBusiness:
            return "🔁 The service of {count, plural, one {your booking} other {your bookings}} has changed: "
                + "“{old}” is now “{new}”. The time stays:\n\n{items}\n\nIf this doesn’t suit you, see “{my}”."
        case .serviceChangedByBusinessItem:
            return "📅 {date} at {time}"
        case .adminNewBooking:
            return "🆕 New booking\n\n👤 {client}\n🔹 {service}\n📅 {date}, {time}\n⏱ {duration}"
        case .adminCancelled:
            return "❌ Booking cancelled\n\n👤 {client}\n🔹 {service}\n📅 {date}, {time}"
                + "{hasReason, select, yes {\nReason: {reason}} other {}}"
        case .adminMoved:
            return "🔁 Booking moved\n\n👤 {client}\n🔹 {service}\nWas: {oldDate}, {oldTime}\n"
                + "Now: {newDate}, {newTime}"
        case .clientLabel:
            return "{hasName, select, yes {{name}} other {id {id}}}{hasUsername, select, yes { (@{username})} other {}}"
        case .staffAccessChanged:
            return "{change, select, added {🛠 You have been added to the staff as {superAdmin, select, yes {a super admin} other {a moderator}}. "
                + "Send /admin to open the staff menu.} role {🛠 Your staff role is now {superAdmin, select, yes {super admin} other {moderator}}.} "
                + "other {🛠 You are no longer on the staff. Booking as a client works as before.}}"

        // MARK: Amounts of time
        case .durationHours:
            return "{hours} h"
        case .durationMinutes:
            return "{minutes} min"
        case .durationHoursMinutes:
            return "{hours} h {minutes} min"
        case .leadBeforeDays:
            return "{days, plural, one {# day} other {# days}} before"
        case .leadBeforeHours:
            return "{hours, plural, one {# hour} other {# hours}} before"
        case .leadBeforeMinutes:
            return "{minutes, plural, one {# minute} other {# minutes}} before"
        case .leadBeforeMixed:
            return "{duration} before"
        case .leadInHours:
            return "in {hours, plural, one {# hour} other {# hours}}"
        case .leadInMinutes:
            return "in {minutes, plural, one {# minute} other {# minutes}}"
        case .leadInMixed:
            return "in {duration}"

        // MARK: Lists
        case .listPair:
            return "{first} and {second}"
        case .listStart, .listMiddle:
            return "{first}, {second}"
        case .listEnd:
            return "{first}, and {second}"

        // MARK: Dates
        case .dateWithWeekday:
            return "{weekday}, {day} {month}"
        case .dayMonth:
            return "{day} {month}"
        case .shortDate:
            return "{day} {month}"
        case .monthTitle:
            return "{month} {year}"
        case .time:
            return "{hour}:{minute}"
        case .relativeToday:
            return "today"
        case .relativeTomorrow:
            return "tomorrow"
        case .relativeYesterday:
            return "yesterday"
        case .relativeInDays:
            return "in {days, plural, one {# day} other {# days}}"
        case .relativeDaysAgo:
            return "{days, plural, one {# day} other {# days}} ago"

        // MARK: Buttons
        case .buttonBook: return "📅 Book"
        case .buttonMyBookings: return "🗂 My bookings"
        case .buttonAbout: return "ℹ️ About"
        case .buttonStaffMenu: return "🛠 Staff menu"
        case .buttonHowItWorks: return "❓ How it works"
        case .buttonBookNow: return "📅 Book now"
        case .buttonBack: return "⬅️ Back"
        case .buttonCancel: return "✖️ Cancel"
        case .buttonConfirm: return "✅ Confirm"
        case .buttonMainMenu: return "🏠 Main menu"
        case .buttonCancelBooking: return "❌ Cancel booking"
        case .buttonMove: return "🔁 Move"
        case .buttonCancelBookingAt: return "❌ Cancel {date} {time}"
        case .buttonMoveBookingAt: return "🔁 Move {date} {time}"
        case .buttonYesCancel: return "Yes, cancel it"
        case .buttonNoKeep: return "No, keep it"
        case .buttonPreviousMonth: return "◀"
        case .buttonNextMonth: return "▶"
        case .buttonEmptyDay: return " "
        case .buttonDay: return "{mark} {day}"
        case .buttonService: return "{name} · {duration} · {price}"
        case .buttonServiceNoPrice: return "{name} · {duration}"
        case .buttonSlot: return "{time}"
        case .buttonOtherDay: return "📅 Another day"
        case .buttonStars: return "{stars} ⭐"
        case .buttonSkipComment: return "Skip"

        // MARK: Alerts
        case .alertStaleButton: return "This message is out of date"
        case .alertInvalidButton: return "This button no longer works"
        case .alertPleaseWait: return "Please wait a moment…"
        case .alertSomethingWentWrong: return "Something went wrong, please try again"
        case .alertDayFull: return "This day is fully booked"
        case .alertDayUnavailable: return "This day is not available for booking"
        case .alertMonthBeforeRange: return "Past months are not available"
        case .alertMonthBeyondHorizon: return "Booking is not open that far ahead yet"
        case .alertSlotTaken: return "That time was just taken"
        case .alertLimitReached:
            return "You already have the maximum of {limit, plural, one {# booking} other {# bookings}}"
        case .alertBooked: return "✅ Booked"
        case .alertCancelled: return "Booking cancelled"
        case .alertMoved: return "Booking moved"
        case .alertFlowCancelled: return "Cancelled"
        case .alertRatingSaved: return "Thank you for the rating: {stars} ⭐"
        case .alertAlreadyReviewed: return "You have already rated this visit"
        case .alertReviewTooEarly: return "You can rate the visit once it has taken place"
        case .alertBookingNotFound: return "Booking not found"
        case .alertNoAccess: return "No access"

        // MARK: Commands
        case .commandStart: return "Main menu"
        case .commandBook: return "Book an appointment"
        case .commandMy: return "My bookings"
        case .commandHelp: return "Help"
        case .commandCancel: return "Stop the current action"
        }
    }
}
