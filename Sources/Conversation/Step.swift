import Booking
import Foundation
import Texts

/// One update's decision, with everything it may look at. The flows extend it
/// (`BookingFlow.swift`, `ManageFlow.swift`); this file holds the commands and the
/// pieces they share.
struct Step {
    let settings: DialogueSettings
    let facts: Facts
    let now: Date
    let state: ConversationState
    let say: Speaker
    let person: Person

    var rules: BookingRules { facts.rules }
    var today: LocalDate { settings.clock.localDate(of: now) }
    var finder: SlotFinder { SlotFinder(rules: rules) }
    var address: String { facts.serviceLocation ?? settings.serviceLocation }
    var contact: BusinessContact { BusinessContact(address: address) }
    var client: ClientInfo { ClientInfo(id: person.id, name: person.firstName, username: person.username) }

    var about: AboutInfo {
        AboutInfo(services: facts.services.map(\.info), contact: contact, schedule: rules.schedule, rules: ClientRules(rules))
    }

    // MARK: Commands

    func start() -> Turn {
        var replies = closingOpenFlow()
        if facts.isNewUser {
            replies += [
                say.message(.welcomeNew(name: person.firstName, rules: ClientRules(rules)), buttons: [
                    [say.button(.howItWorks, .howItWorks)],
                    [say.button(.bookNow, .bookNow)],
                ]),
                say.menu(.mainMenu),
            ]
        } else {
            replies.append(say.menu(.welcomeBack(name: person.firstName, bookingCount: facts.bookingsMade)))
        }
        return idle(replies)
    }

    func cancelCommand() -> Turn {
        guard state.screen != .idle else { return idle([say.menu(.nothingToCancel)]) }
        return idle(closingOpenFlow() + [say.menu(.flowCancelled)])
    }

    /// Takes the buttons off the open flow's message, so it cannot be carried on by
    /// mistake after the person left it.
    func closingOpenFlow() -> [Outgoing] {
        guard state.screen != .idle, let message = state.flowMessageID else { return [] }
        return [.clearButtons(messageID: message)]
    }

    // MARK: Buttons

    func pressed(_ action: CallbackAction, entry: Entry) -> Turn {
        switch action {
        case .howItWorks:
            return keep([say.menu(.howItWorks(rules: ClientRules(rules))), answer(entry.queryID)])
        case .menu:
            return idle([say.menu(.mainMenu), answer(entry.queryID)])
        case .noop:
            return keep([answer(entry.queryID)])
        case .cancelFlow:
            return show(.flowCancelled, buttons: [], entry: entry, alert: .flowCancelled, next: .idle)
        case .bookNow:
            // Below the welcome, which stays as it was.
            return serviceList(entry: Entry(queryID: entry.queryID, messageID: nil))
        case .services:
            return serviceList(entry: entry)
        case .pickService(let service):
            return calendar(service: service, month: MonthIndex.of(today), entry: entry)
        case .month(let service, let month):
            return calendar(service: service, month: month, entry: entry)
        case .day(let service, let day):
            return daySlots(service: service, date: LocalDate(dayNumber: day), entry: entry)
        case .slot(let service, let start):
            return confirmation(service: service, start: MinuteStamp.date(start), entry: entry)
        case .confirm(let service, let start):
            return bookingOutcome(service: service, start: MinuteStamp.date(start), entry: entry)
        case .myBookings:
            return myBookings(entry: entry)
        case .askCancel:
            return cancelQuestion(entry: entry)
        case .confirmCancel:
            return cancelOutcome(entry: entry)
        case .move:
            return moveCalendar(month: MonthIndex.of(today), entry: entry)
        case .moveMonth(_, let month):
            return moveCalendar(month: month, entry: entry)
        case .moveDay(_, let day):
            return moveSlots(date: LocalDate(dayNumber: day), entry: entry)
        case .moveSlot(_, let start):
            return moveConfirmation(start: MinuteStamp.date(start), entry: entry)
        case .confirmMove(_, let start):
            return moveOutcome(start: MinuteStamp.date(start), entry: entry)
        case .rate(let booking, let stars):
            return rated(booking: booking, stars: stars, entry: entry)
        case .skipReview:
            return show(.reviewThanks, buttons: [], entry: entry, next: .idle)
        }
    }

    // MARK: Shared pieces

    /// The same screen state as before (nothing was opened or closed).
    func keep(_ replies: [Outgoing]) -> Turn { Turn(state: state, replies: replies) }

    func idle(_ replies: [Outgoing], notice: Texts.Message? = nil) -> Turn {
        Turn(state: ConversationState(), replies: replies, adminNotice: notice)
    }

    func answer(_ queryID: String, _ alert: Texts.Alert? = nil) -> Outgoing {
        .answer(queryID: queryID, text: alert.map(say.alert), alert: false)
    }

    /// A screen: edited into the pressed message (and the press answered), or a new
    /// message for a command, a menu button or a press that starts afresh (`messageID` nil).
    func show(_ message: Texts.Message, buttons: [[InlineButton]], entry: Entry?, alert: Texts.Alert? = nil,
              next screen: ConversationState.Screen, notice: Texts.Message? = nil) -> Turn {
        var replies: [Outgoing] = []
        var flowMessage: Int64?
        if let messageID = entry?.messageID {
            replies.append(.edit(messageID: messageID, text: Texts.text(message, in: say.language), buttons: buttons))
            flowMessage = messageID
        } else {
            replies.append(say.message(message, buttons: buttons))
        }
        // The answer goes last: the button's spinner stops when the new screen is there.
        if let entry { replies.append(answer(entry.queryID, alert)) }
        let state = screen == .idle ? ConversationState() : ConversationState(screen: screen, flowMessageID: flowMessage)
        return Turn(state: state, replies: replies, adminNotice: notice)
    }

    /// Only an alert on the pressed button; the screen stays as it is.
    func alertOnly(_ entry: Entry, _ alert: Texts.Alert) -> Turn {
        keep([answer(entry.queryID, alert)])
    }

    /// Buttons laid out `perRow` to a row.
    func rows(_ buttons: [InlineButton], perRow: Int) -> [[InlineButton]] {
        stride(from: 0, to: buttons.count, by: perRow).map { Array(buttons[$0..<min($0 + perRow, buttons.count)]) }
    }

    /// The month view: title with ◀ ▶, weekday names, the days with their colours.
    /// `dayAction` is what a day press does; a month outside the bookable range is still
    /// a button, answered with an alert, so the grid never shifts under the finger.
    func monthGrid(month first: LocalDate, durationMinutes: Int, occupancy: Occupancy,
                   monthAction: (Int) -> CallbackAction, dayAction: (LocalDate) -> CallbackAction) -> [[InlineButton]] {
        let index = MonthIndex.of(first)
        var grid: [[InlineButton]] = [[
            say.button(.previousMonth, monthAction(index - 1)),
            say.button(.monthTitle(first), .noop),
            say.button(.nextMonth, monthAction(index + 1)),
        ]]
        grid.append(Weekday.allCases.map { say.button(.weekday($0), .noop) })
        var week: [InlineButton] = Array(repeating: say.button(.emptyDay, .noop), count: first.weekday.rawValue - 1)
        for (date, status) in finder.monthStatuses(of: first, durationMinutes: durationMinutes, occupancy: occupancy, now: now) {
            week.append(say.button(.day(date.day, status), dayAction(date)))
            if week.count == 7 {
                grid.append(week)
                week = []
            }
        }
        if !week.isEmpty {
            grid.append(week + Array(repeating: say.button(.emptyDay, .noop), count: 7 - week.count))
        }
        return grid
    }

    /// Why a month cannot be shown, if it cannot: before this month or past the horizon.
    func monthRefusal(_ index: Int) -> Texts.Alert? {
        if index < MonthIndex.of(today) { return .monthBeforeRange }
        if index > MonthIndex.of(rules.horizonEnd(now: now)) { return .monthBeyondHorizon }
        return nil
    }

    /// Why a day cannot be opened, if it cannot.
    func dayRefusal(_ date: LocalDate, durationMinutes: Int) -> Texts.Alert? {
        switch finder.dayStatus(on: date, durationMinutes: durationMinutes, occupancy: facts.occupancy, now: now) {
        case .allFree, .someFree: return nil
        case .full: return .dayFull
        case .unavailable: return .dayUnavailable
        }
    }

    func freeStarts(on date: LocalDate, durationMinutes: Int) -> [Date] {
        finder.freeStarts(on: date, durationMinutes: durationMinutes, occupancy: facts.occupancy, now: now)
    }

    /// The reminders a booking at `start` really gets, made now.
    func reminderOffsets(start: Date) -> [Int] {
        rules.reminderDueTimes(start: start, now: now).map(\.offsetMinutes)
    }
}
