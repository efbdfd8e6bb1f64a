import Booking
import Foundation

/// The client-facing texts: every message, button label, alert and command description,
/// in Russian and English, rendered from whole per-language templates with the values
/// put in by name. Pure: no I/O, no clock, no process locale.
///
/// Texts are plain (send them without `parse_mode`): service names, addresses and
/// reasons typed by admins then need no escaping and cannot break the markup.
public enum Texts {
    /// `Texts.Message` etc. name these types where another module's `Message` (Telegram's)
    /// is also in scope: the module and this enum share the name `Texts`, so the module
    /// cannot qualify them itself.
    public typealias Message = TextsMessage
    public typealias Button = TextsButton
    public typealias Alert = TextsAlert

    /// The message's text, within Telegram's 4096 characters.
    public static func text(_ message: Message, in language: Language) -> String {
        Fitting.clamp(Renderer(language: language).message(message), to: TelegramLimits.messageLength)
    }

    /// The button's label, within 64 characters.
    public static func label(_ button: Button, in language: Language) -> String {
        Fitting.clamp(Renderer(language: language).label(button), to: TelegramLimits.buttonLabelLength)
    }

    /// The callback answer's text, within Telegram's 200 characters.
    public static func alert(_ alert: Alert, in language: Language) -> String {
        Fitting.clamp(Renderer(language: language).alert(alert), to: TelegramLimits.alertLength)
    }

    /// Bot commands for setMyCommands per language: (command, description) for start,
    /// book, my, help, cancel.
    public static func commands(in language: Language) -> [(command: String, description: String)] {
        Renderer(language: language).commands
    }

    /// Which main-menu button a text message is (the reply keyboard sends its label as
    /// text), in any language: a user whose language changed may still have the old
    /// keyboard on screen.
    public static func mainMenuButton(matching text: String) -> Button? {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        for button in [Button.book, .myBookings, .about, .staffMenu] {
            for language in Language.allCases where label(button, in: language) == text {
                return button
            }
        }
        return nil
    }
}

/// `Message` under a name no other module uses; `Texts.Message` is built on it.
public typealias TextsMessage = Message
/// `Button` under a name no other module uses; `Texts.Button` is built on it.
public typealias TextsButton = Button
/// `Alert` under a name no other module uses; `Texts.Alert` is built on it.
public typealias TextsAlert = Alert

/// Renders for one language. Messages are chosen whole from the catalog; values are
/// formatted here (dates, durations, lists) and put in by name.
struct Renderer {
    let language: Language
    let dates: DateFormat

    init(language: Language) {
        self.language = language
        self.dates = DateFormat(language: language)
    }

    func t(_ key: CatalogKey, _ values: [String: TemplateValue] = [:]) -> String {
        TemplateRenderer(language: language, values: values).render(Catalog.template(key, in: language))
    }

    // MARK: Values

    /// "1 ч 30 мин" / "1 h 30 min", "45 мин", "2 ч".
    func duration(_ minutes: Int) -> String {
        let minutes = max(0, minutes)
        let (hours, rest) = (minutes / 60, minutes % 60)
        if hours == 0 { return t(.durationMinutes, ["minutes": .number(rest)]) }
        if rest == 0 { return t(.durationHours, ["hours": .number(hours)]) }
        return t(.durationHoursMinutes, ["hours": .number(hours), "minutes": .number(rest)])
    }

    /// A reminder lead time or notice: "за 24 часа" / "24 hours before", "за 30 минут",
    /// "за 2 дня" (whole days from two on; 24 h stays "24 часа", as settings write it),
    /// "за 1 ч 30 мин".
    func leadBefore(_ minutes: Int) -> String {
        let minutes = max(0, minutes)
        if minutes >= 2 * 1440 && minutes % 1440 == 0 { return t(.leadBeforeDays, ["days": .number(minutes / 1440)]) }
        if minutes < 60 { return t(.leadBeforeMinutes, ["minutes": .number(minutes)]) }
        if minutes % 60 == 0 { return t(.leadBeforeHours, ["hours": .number(minutes / 60)]) }
        return t(.leadBeforeMixed, ["duration": .text(duration(minutes))])
    }

    /// Time until a start: "через 2 часа" / "in 2 hours". From an hour on it is rounded to
    /// 5 minutes: a reminder sent a few seconds late should still say "2 hours".
    func leadIn(_ minutes: Int) -> String {
        var minutes = max(0, minutes)
        // Integer rounding to the nearest 5: through Double, a huge lead overflowed.
        if minutes >= 60 { minutes = minutes / 5 * 5 + (minutes % 5 >= 3 ? 5 : 0) }
        if minutes < 60 { return t(.leadInMinutes, ["minutes": .number(minutes)]) }
        if minutes % 60 == 0 { return t(.leadInHours, ["hours": .number(minutes / 60)]) }
        return t(.leadInMixed, ["duration": .text(duration(minutes))])
    }

    /// "a и b", "a, b и c" / "a and b", "a, b, and c" (CLDR list patterns).
    func list(_ items: [String]) -> String {
        switch items.count {
        case 0: return ""
        case 1: return items[0]
        case 2: return t(.listPair, ["first": .text(items[0]), "second": .text(items[1])])
        default:
            var result = t(.listEnd, ["first": .text(items[items.count - 2]), "second": .text(items[items.count - 1])])
            for item in items.dropFirst().dropLast(2).reversed() {
                result = t(.listMiddle, ["first": .text(item), "second": .text(result)])
            }
            return t(.listStart, ["first": .text(items[0]), "second": .text(result)])
        }
    }

    /// Reminder lead times, longest first, each once.
    func leads(_ offsets: [Int]) -> String {
        list(Set(offsets).sorted(by: >).map(leadBefore))
    }

    func date(_ moment: LocalDateTime) -> TemplateValue { .text(dates.dateWithWeekday(moment.date)) }
    func time(_ moment: LocalDateTime) -> TemplateValue { .text(dates.time(moment)) }

    private static func isBlank(_ text: String) -> Bool {
        text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }

    /// `hasX` and `x` for an optional text.
    private func optional(_ name: String, _ text: String) -> [String: TemplateValue] {
        let flag = "has" + name.prefix(1).uppercased() + name.dropFirst()
        return [flag: .flag(!Self.isBlank(text)), name: .text(text)]
    }

    private func buttonText(_ key: CatalogKey) -> TemplateValue { .text(t(key)) }

    // MARK: Rule sentences (welcome, How it works, About)

    private func ruleValues(_ rules: ClientRules) -> [String: TemplateValue] {
        let reminders = Set(rules.reminderOffsetsMinutes.filter { $0 > 0 })
        let reminderRule = reminders.isEmpty
            ? t(.ruleNoReminders)
            : t(.ruleReminders, ["several": .flag(reminders.count > 1), "leads": .text(leads(Array(reminders)))])
        return [
            "legend": .text(t(.legend)),
            "limitRule": .text(t(.ruleLimit, ["limit": .number(rules.bookingLimit)])),
            "cancelRule": .text(t(.ruleCutoffs, ["same": .flag(rules.cancellationHours == rules.rescheduleHours),
                                                 "cancelHours": .number(rules.cancellationHours),
                                                 "moveHours": .number(rules.rescheduleHours)])),
            "noticeRule": .text(t(.ruleNotice, ["hasNotice": .flag(rules.minNoticeMinutes > 0),
                                                "lead": .text(leadBefore(rules.minNoticeMinutes))])),
            "reminderRule": .text(reminderRule),
        ]
    }

    private func bookedReminders(_ offsets: [Int]) -> TemplateValue {
        let reminders = Set(offsets.filter { $0 > 0 })
        if reminders.isEmpty { return .text(t(.bookedNoReminders)) }
        // "One or several", not a numeric plural: the words carry no count (Russian "one"
        // would also pick the singular for 21).
        return .text(t(.bookedReminders, ["several": .flag(reminders.count > 1), "leads": .text(leads(Array(reminders)))]))
    }

    // MARK: Work hours

    /// One line per run of consecutive weekdays with the same hours: "Пн–Пт: 09:00–18:00",
    /// "Сб–Вс: выходной"; "Ежедневно: 09:00–18:00" when every day is the same.
    func workHours(_ schedule: WorkSchedule) -> String {
        let days = Weekday.allCases
        if let hours = schedule.hours(on: .monday), days.allSatisfy({ schedule.hours(on: $0) == hours }) {
            return t(.hoursEveryDay, ["open": .text(dates.time(minuteOfDay: hours.open)),
                                      "close": .text(dates.time(minuteOfDay: hours.close))])
        }
        var runs: [(first: Weekday, last: Weekday, hours: DayHours?)] = []
        for day in days {
            if let last = runs.last, last.hours == schedule.hours(on: day) {
                runs[runs.count - 1].last = day
            } else {
                runs.append((day, day, schedule.hours(on: day)))
            }
        }
        return runs.map { run in
            let name = run.first == run.last
                ? dates.weekdayShortName(run.first)
                : t(.dayRange, ["from": .text(dates.weekdayShortName(run.first)), "to": .text(dates.weekdayShortName(run.last))])
            guard let hours = run.hours else { return t(.hoursDayOff, ["days": .text(name)]) }
            return t(.hoursLine, ["days": .text(name), "open": .text(dates.time(minuteOfDay: hours.open)),
                                  "close": .text(dates.time(minuteOfDay: hours.close))])
        }.joined(separator: "\n")
    }

    // MARK: Lists that must fit one message

    /// About with every service if it fits; otherwise descriptions are shortened, then
    /// left out, then the last services give way to "…and N more".
    private func about(_ info: AboutInfo) -> String {
        let limit = TelegramLimits.messageLength
        for descriptionLimit in [nil, 300, 120, 0] as [Int?] {
            let text = about(info, descriptionLimit: descriptionLimit, shown: info.services.count)
            if TelegramLimits.length(text) <= limit { return text }
        }
        return Fitting.largestFitting(count: info.services.count, limit: limit) { shown in
            about(info, descriptionLimit: 0, shown: shown)
        }
    }

    private func about(_ info: AboutInfo, descriptionLimit: Int?, shown: Int) -> String {
        var items = info.services.prefix(shown).map { service -> String in
            var description = service.description
            if let descriptionLimit {
                description = descriptionLimit == 0 ? "" : Fitting.clamp(description, to: descriptionLimit)
            }
            return t(.aboutService, ["name": .text(service.name), "duration": .text(duration(service.durationMinutes))]
                .merging(optional("price", service.price)) { $1 }
                .merging(optional("description", description)) { $1 })
        }
        if shown < info.services.count {
            items.append(t(.aboutMoreServices, ["count": .number(info.services.count - shown), "book": buttonText(.buttonBook)]))
        }
        var values: [String: TemplateValue] = [
            "hasServices": .flag(!info.services.isEmpty),
            "services": .text(items.joined(separator: "\n\n")),
            "hours": .text(workHours(info.schedule)),
        ]
        values.merge(optional("address", info.contact.address)) { $1 }
        values.merge(optional("contact", info.contact.contact)) { $1 }
        values.merge(ruleValues(info.rules)) { $1 }
        return t(.about, values)
    }

    private func myBookings(_ bookings: [BookingSummary], today: LocalDate, pastVisits: Int) -> String {
        Fitting.largestFitting(count: bookings.count, limit: TelegramLimits.messageLength) { shown in
            var items = bookings.prefix(shown).enumerated().map { index, booking in
                t(.myBookingsItem, ["index": .number(index + 1), "service": .text(booking.service),
                                    "date": date(booking.start), "time": time(booking.start),
                                    "relative": .text(dates.relativeDay(booking.start.date, today: today)),
                                    "duration": .text(duration(booking.durationMinutes))]
                    .merging(optional("price", booking.price)) { $1 })
            }
            if shown < bookings.count {
                items.append(t(.myBookingsMore, ["count": .number(bookings.count - shown)]))
            }
            return t(.myBookings, ["items": .text(items.joined(separator: "\n\n")),
                                   "hasPast": .flag(pastVisits > 0), "past": .number(pastVisits)])
        }
    }

    // MARK: Messages

    // One case per message: the values each template asks for, nothing else.
    func message(_ message: Message) -> String {
        switch message {
        case .welcomeNew(let name, let rules):
            return t(.welcomeNew, optional("name", name).merging(["howItWorks": .text(t(.howItWorks, ruleValues(rules)))]) { $1 })
        case .howItWorks(let rules):
            return t(.howItWorks, ruleValues(rules))
        case .welcomeBack(let name, let bookingCount):
            // The count is a thank-you for regulars, so it appears from the fifth booking.
            if bookingCount >= 5 {
                return t(.welcomeBackWithCount, optional("name", name).merging(["count": .number(bookingCount)]) { $1 })
            }
            return t(.welcomeBack, optional("name", name))
        case .mainMenu:
            return t(.mainMenu)
        case .help:
            let lines = commands.map { t(.commandLine, ["command": .text($0.command), "description": .text($0.description)]) }
            return t(.help, ["commands": .text(lines.joined(separator: "\n")), "book": buttonText(.buttonBook),
                             "my": buttonText(.buttonMyBookings), "about": buttonText(.buttonAbout)])
        case .about(let info):
            return about(info)

        case .chooseService(let activeBookings, let limit):
            return t(.chooseService, ["active": .number(activeBookings), "limit": .number(limit)])
        case .noServices:
            return t(.noServices)
        case .calendar(let service, let durationMinutes, let month):
            return t(.calendar, ["service": .text(service), "duration": .text(duration(durationMinutes)),
                                 "month": .text(dates.monthTitle(month)), "legend": .text(t(.legendShort))])
        case .legend:
            return t(.legend)
        case .daySlots(let service, let durationMinutes, let date, let freeCount):
            if freeCount <= 0 { return self.message(.noSlots(service: service, date: date)) }
            return t(.daySlots, ["service": .text(service), "duration": .text(duration(durationMinutes)),
                                 "date": .text(dates.dateWithWeekday(date)),
                                 "few": .flag(freeCount <= 2), "count": .number(freeCount)])
        case .noSlots(let service, let date):
            return t(.noSlots, ["service": .text(service), "date": .text(dates.dateWithWeekday(date))])
        case .confirmBooking(let service, let start, let durationMinutes, let price):
            return t(.confirmBooking, ["service": .text(service), "date": date(start), "time": time(start),
                                       "duration": .text(duration(durationMinutes))]
                .merging(optional("price", price)) { $1 })
        case .booked(let booking, let address, let offsets):
            return t(.booked, ["service": .text(booking.service), "date": date(booking.start), "time": time(booking.start),
                               "duration": .text(duration(booking.durationMinutes)),
                               "reminders": bookedReminders(offsets), "my": buttonText(.buttonMyBookings)]
                .merging(optional("price", booking.price)) { $1 }
                .merging(optional("address", address)) { $1 })

        case .slotTaken(let date, let freeCount):
            return t(freeCount > 0 ? .slotTaken : .slotTakenDayFull, ["date": .text(dates.dateWithWeekday(date))])
        case .limitReached(let activeBookings, let limit):
            return t(.limitReached, ["active": .number(activeBookings), "limit": .number(limit),
                                     "my": buttonText(.buttonMyBookings)])
        case .serviceUnavailable(let service):
            return t(.serviceUnavailable, ["service": .text(service)])
        case .inPast:
            return t(.inPast)
        case .tooSoon(let noticeMinutes):
            return t(.tooSoon, ["lead": .text(leadBefore(noticeMinutes))])
        case .outsideHours:
            return t(.outsideHours)
        case .notAligned:
            return t(.notAligned)
        case .beyondHorizon(let lastDay):
            return t(.beyondHorizon, ["lastDay": .text(dates.dayMonth(lastDay))])
        case .overlapsBlock:
            return t(.overlapsBlock)
        case .bookingNotFound:
            return t(.bookingNotFound)

        case .myBookings(let bookings, let today, let pastVisits):
            if bookings.isEmpty { return self.message(.myBookingsEmpty(pastVisits: pastVisits)) }
            return myBookings(bookings, today: today, pastVisits: pastVisits)
        case .myBookingsEmpty(let pastVisits):
            return t(.myBookingsEmpty, ["hasPast": .flag(pastVisits > 0), "past": .number(pastVisits),
                                        "book": buttonText(.buttonBook)])
        case .cancelQuestion(let booking):
            return t(.cancelQuestion, ["service": .text(booking.service), "date": date(booking.start),
                                       "time": time(booking.start), "duration": .text(duration(booking.durationMinutes))])
        case .cancelled(let booking):
            return t(.cancelled, ["service": .text(booking.service), "date": date(booking.start),
                                  "time": time(booking.start), "book": buttonText(.buttonBook)])
        case .cancelRefused(let cutoffHours, let contact):
            return t(.cancelRefused, ["hours": .number(cutoffHours)]
                .merging(optional("contact", contact.contact)) { $1 }
                .merging(optional("address", contact.address)) { $1 })
        case .moveCalendar(let booking, let month):
            return t(.moveCalendar, ["service": .text(booking.service), "duration": .text(duration(booking.durationMinutes)),
                                     "date": date(booking.start), "time": time(booking.start),
                                     "month": .text(dates.monthTitle(month)), "legend": .text(t(.legendShort))])
        case .moveSlots(let booking, let date, let freeCount):
            let values: [String: TemplateValue] = [
                "service": .text(booking.service), "oldDate": self.date(booking.start), "oldTime": time(booking.start),
                "date": .text(dates.dateWithWeekday(date)), "few": .flag(freeCount <= 2), "count": .number(freeCount),
            ]
            return t(freeCount > 0 ? .moveSlots : .moveNoSlots, values)
        case .confirmMove(let booking, let newStart):
            return t(.confirmMove, ["service": .text(booking.service), "oldDate": date(booking.start),
                                    "oldTime": time(booking.start), "newDate": date(newStart), "newTime": time(newStart),
                                    "duration": .text(duration(booking.durationMinutes))])
        case .moved(let service, let from, let to, let offsets):
            return t(.moved, ["service": .text(service), "oldDate": date(from), "oldTime": time(from),
                              "newDate": date(to), "newTime": time(to), "reminders": bookedReminders(offsets)])
        case .moveRefused(let cutoffHours, let contact):
            return t(.moveRefused, ["hours": .number(cutoffHours)]
                .merging(optional("contact", contact.contact)) { $1 }
                .merging(optional("address", contact.address)) { $1 })

        case .flowCancelled: return t(.flowCancelled)
        case .nothingToCancel: return t(.nothingToCancel)
        case .unknownInput: return t(.unknownInput)
        case .staleButton: return t(.staleButton)
        case .noAccess: return t(.noAccess)
        case .superAdminsOnly: return t(.superAdminsOnly)
        case .flowReset: return t(.flowReset)
        case .invalidButton: return t(.invalidButton)
        case .pleaseWait: return t(.pleaseWait)
        case .somethingWentWrong: return t(.somethingWentWrong)

        case .reminder(let booking, let minutesLeft, let today, let address, let canCancel):
            let days = booking.start.date.dayNumber - today.dayNumber
            // "In 2 hours" only on the day itself and close to the start; further ahead a
            // day and a clock time read better than a count of hours.
            let when = days == 0 && minutesLeft <= 180 ? "soon" : days == 0 ? "today" : days == 1 ? "tomorrow" : "other"
            return t(.reminder, ["service": .text(booking.service), "when": .text(when), "lead": .text(leadIn(minutesLeft)),
                                 "date": date(booking.start), "time": time(booking.start), "canCancel": .flag(canCancel)]
                .merging(optional("address", address)) { $1 })
        case .reviewRequest(let service, let date):
            return t(.reviewRequest, ["service": .text(service), "date": .text(dates.dayMonth(date))])
        case .askReviewComment(let stars):
            return t(.askReviewComment, ["stars": .number(stars), "skip": buttonText(.buttonSkipComment)])
        case .reviewThanks:
            return t(.reviewThanks)

        case .cancelledByBusiness(let booking, let reason):
            return t(.cancelledByBusiness, ["service": .text(booking.service), "date": date(booking.start),
                                            "time": time(booking.start), "book": buttonText(.buttonBook)]
                .merging(optional("reason", reason)) { $1 })
        case .cancelledByBlock(let booking, let reason):
            return t(.cancelledByBlock, ["service": .text(booking.service), "date": date(booking.start), "time": time(booking.start),
                                         "reason": .text(reason), "book": buttonText(.buttonBook)])
        case .movedByBusiness(let service, let from, let to, let reason):
            return t(.movedByBusiness, ["service": .text(service), "oldDate": date(from), "oldTime": time(from),
                                        "newDate": date(to), "newTime": time(to), "my": buttonText(.buttonMyBookings)]
                .merging(optional("reason", reason)) { $1 })
        case .shiftedByBusiness(let moves):
            let items = moves.map { move in
                t(.shiftedByBusinessItem, ["service": .text(move.service), "oldDate": date(move.from), "oldTime": time(move.from),
                                           "newDate": date(move.to), "newTime": time(move.to)])
            }
            return t(.shiftedByBusiness, ["count": .number(moves.count), "items": .text(items.joined(separator: "\n\n")),
                                          "my": buttonText(.buttonMyBookings)])
        case .serviceChangedByBusiness(let old, let new, let starts):
            let items = starts.map { t(.serviceChangedByBusinessItem, ["date": date($0), "time": time($0)]) }
            return t(.serviceChangedByBusiness, ["count": .number(starts.count), "old": .text(old), "new": .text(new),
                                                 "items": .text(items.joined(separator: "\n")), "my": buttonText(.buttonMyBookings)])
        case .adminNewBooking(let client, let booking):
            return t(.adminNewBooking, ["client": clientLabel(client), "service": .text(booking.service),
                                        "date": date(booking.start), "time": time(booking.start),
                                        "duration": .text(duration(booking.durationMinutes))])
        case .adminCancelled(let client, let booking, let reason):
            return t(.adminCancelled, ["client": clientLabel(client), "service": .text(booking.service),
                                       "date": date(booking.start), "time": time(booking.start)]
                .merging(optional("reason", reason)) { $1 })
        case .adminMoved(let client, let service, let from, let to):
            return t(.adminMoved, ["client": clientLabel(client), "service": .text(service),
                                   "oldDate": date(from), "oldTime": time(from), "newDate": date(to), "newTime": time(to)])
        case .staffAccessChanged(let change):
            switch change {
            case .added(let superAdmin): return t(.staffAccessChanged, ["change": .text("added"), "superAdmin": .flag(superAdmin)])
            case .roleChanged(let superAdmin): return t(.staffAccessChanged, ["change": .text("role"), "superAdmin": .flag(superAdmin)])
            case .removed: return t(.staffAccessChanged, ["change": .text("removed"), "superAdmin": .flag(false)])
            }
        }
    }

    private func clientLabel(_ client: ClientInfo) -> TemplateValue {
        .text(t(.clientLabel, ["id": .text(String(client.id))]
            .merging(optional("name", client.name)) { $1 }
            .merging(optional("username", client.username ?? "")) { $1 }))
    }

    // MARK: Buttons

    func label(_ button: Button) -> String {
        switch button {
        case .book: return t(.buttonBook)
        case .myBookings: return t(.buttonMyBookings)
        case .about: return t(.buttonAbout)
        case .staffMenu: return t(.buttonStaffMenu)
        case .howItWorks: return t(.buttonHowItWorks)
        case .bookNow: return t(.buttonBookNow)
        case .back: return t(.buttonBack)
        case .cancel: return t(.buttonCancel)
        case .confirm: return t(.buttonConfirm)
        case .mainMenu: return t(.buttonMainMenu)
        case .cancelBooking: return t(.buttonCancelBooking)
        case .move: return t(.buttonMove)
        case .cancelBookingAt(let start):
            return t(.buttonCancelBookingAt, ["date": .text(dates.shortDate(start.date)), "time": time(start)])
        case .moveBookingAt(let start):
            return t(.buttonMoveBookingAt, ["date": .text(dates.shortDate(start.date)), "time": time(start)])
        case .yesCancel: return t(.buttonYesCancel)
        case .noKeep: return t(.buttonNoKeep)
        case .previousMonth: return t(.buttonPreviousMonth)
        case .nextMonth: return t(.buttonNextMonth)
        case .monthTitle(let month): return dates.monthTitle(month)
        case .weekday(let weekday): return dates.weekdayShortName(weekday)
        case .emptyDay: return t(.buttonEmptyDay)
        case .day(let day, let status):
            return t(.buttonDay, ["mark": .text(Self.mark(status)), "day": .number(day)])
        case .service(let name, let durationMinutes, let price):
            // The name gives way, never the duration or price the client decides by.
            let key: CatalogKey = Self.isBlank(price) ? .buttonServiceNoPrice : .buttonService
            let fixed: [String: TemplateValue] = ["duration": .text(duration(durationMinutes)), "price": .text(price)]
            return Fitting.fitValue(name, limit: TelegramLimits.buttonLabelLength) { name in
                t(key, fixed.merging(["name": .text(name)]) { $1 })
            }
        case .slot(let minuteOfDay):
            return t(.buttonSlot, ["time": .text(dates.time(minuteOfDay: minuteOfDay))])
        case .otherDay: return t(.buttonOtherDay)
        case .stars(let stars): return t(.buttonStars, ["stars": .number(stars)])
        case .skipComment: return t(.buttonSkipComment)
        }
    }

    /// The day colours of the month view (SPEC 4.2), the same in every language.
    static func mark(_ status: DayStatus) -> String {
        switch status {
        case .allFree: return "🟢"
        case .someFree: return "🟡"
        case .full: return "🔴"
        case .unavailable: return "⚫"
        }
    }

    // MARK: Alerts and commands

    func alert(_ alert: Alert) -> String {
        switch alert {
        case .staleButton: return t(.alertStaleButton)
        case .invalidButton: return t(.alertInvalidButton)
        case .pleaseWait: return t(.alertPleaseWait)
        case .somethingWentWrong: return t(.alertSomethingWentWrong)
        case .dayFull: return t(.alertDayFull)
        case .dayUnavailable: return t(.alertDayUnavailable)
        case .monthBeforeRange: return t(.alertMonthBeforeRange)
        case .monthBeyondHorizon: return t(.alertMonthBeyondHorizon)
        case .slotTaken: return t(.alertSlotTaken)
        case .limitReached(let limit): return t(.alertLimitReached, ["limit": .number(limit)])
        case .booked: return t(.alertBooked)
        case .cancelled: return t(.alertCancelled)
        case .moved: return t(.alertMoved)
        case .flowCancelled: return t(.alertFlowCancelled)
        case .ratingSaved(let stars): return t(.alertRatingSaved, ["stars": .number(stars)])
        case .alreadyReviewed: return t(.alertAlreadyReviewed)
        case .reviewTooEarly: return t(.alertReviewTooEarly)
        case .bookingNotFound: return t(.alertBookingNotFound)
        case .noAccess: return t(.alertNoAccess)
        }
    }

    var commands: [(command: String, description: String)] {
        [("start", t(.commandStart)), ("book", t(.commandBook)), ("my", t(.commandMy)),
         ("help", t(.commandHelp)), ("cancel", t(.commandCancel))]
    }
}
