import Booking
@testable import Conversation
import Foundation
import Texts
import XCTest

/// The dialogue is pure: these tests give it facts and read the screens it decides on,
/// in the words the person would see.
final class DialogueTests: XCTestCase {
    private let zone = TimeZone(identifier: "Europe/Moscow")!
    /// Thursday 3 December 2026, 10:00 in Moscow (07:00 UTC).
    private let now = Date(timeIntervalSince1970: 1_796_281_200)
    private let anna = Person(id: 42, firstName: "Anna", username: "anna", languageCode: "en")
    private let haircut = BookableService(id: 7, name: "Haircut", durationMinutes: 60, price: "1500 ₽")
    private var clock: BusinessClock { BusinessClock(timeZone: zone) }
    private var rules: BookingRules {
        BookingRules(clock: clock, schedule: .everyDay(DayHours(openHour: 9, closeHour: 18)!), slotStepMinutes: 60,
                     horizonMonths: 3, minNoticeMinutes: 60, maxActiveBookingsPerClient: 3, cancellationCutoffHours: 24,
                     rescheduleCutoffHours: 24, reminderOffsetsMinutes: [1440, 120], feedbackHoursAfter: 2)
    }
    private var dialogue: Dialogue {
        Dialogue(settings: DialogueSettings(languageSetting: "auto", serviceLocation: "Main St 1", callbackTTL: 48 * 3600, clock: clock))
    }

    // MARK: Helpers

    /// A Moscow wall-clock instant (UTC+3 all year).
    private func msk(_ month: Int, _ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let utc = calendar.date(from: DateComponents(year: 2026 + (month < 12 ? 1 : 0), month: month, day: day, hour: hour, minute: minute))!
        return utc.addingTimeInterval(-3 * 3600)
    }

    private func date(_ instant: Date) -> LocalDate { clock.localDate(of: instant) }

    private func facts(_ change: (inout Facts) -> Void = { _ in }) -> Facts {
        var facts = Facts(rules: rules, services: [haircut], service: haircut)
        change(&facts)
        return facts
    }

    private func press(_ action: CallbackAction, issued: Date? = nil, message: Int64 = 900) -> Incoming {
        .button(queryID: "q1", data: CallbackData.encode(action, issuedAt: issued ?? now), messageID: message, from: anna)
    }

    private func turn(_ incoming: Incoming, state: ConversationState = ConversationState(), facts: Facts? = nil) -> Turn {
        dialogue.respond(to: incoming, state: state, facts: facts ?? self.facts(), now: now)
    }

    private func text(_ message: Texts.Message) -> String { Texts.text(message, in: .en) }
    private func label(_ button: Texts.Button) -> String { Texts.label(button, in: .en) }

    /// The edited screen of a press: its text and buttons; fails when the turn has none.
    private func screen(_ turn: Turn, file: StaticString = #filePath, line: UInt = #line) -> (text: String, buttons: [[InlineButton]]) {
        for reply in turn.replies {
            if case .edit(_, let text, let buttons) = reply { return (text, buttons ?? []) }
            if case .message(let text, _, let buttons?) = reply { return (text, buttons) }
        }
        XCTFail("no screen in \(turn.replies)", file: file, line: line)
        return ("", [])
    }

    private func answers(_ turn: Turn) -> [String?] {
        turn.replies.compactMap { if case .answer(_, let text, _) = $0 { return text } else { return nil } }
    }

    private func action(_ button: InlineButton) -> CallbackAction? {
        try? CallbackData.decode(button.data, now: now, ttl: 3600).get().action
    }

    private func button(_ text: String, in buttons: [[InlineButton]]) -> InlineButton? {
        buttons.joined().first { $0.text == text }
    }

    // MARK: Plans

    func testPlansReadOnlyWhatTheStepShows() {
        XCTAssertTrue(dialogue.plan(for: .command("start", argument: "", from: anna), now: now).needs.profile)
        XCTAssertEqual(dialogue.plan(for: .command("help", argument: "", from: anna), now: now), Plan())
        let book = dialogue.plan(for: .text(label(.book), from: anna), now: now)
        XCTAssertTrue(book.needs.services && book.needs.clientBookings)
        XCTAssertNil(book.intent)
        let day = dialogue.plan(for: press(.day(service: 7, day: date(now).dayNumber + 1)), now: now)
        XCTAssertEqual(day.needs.days, date(now).adding(days: 1)...date(now).adding(days: 1))
        XCTAssertEqual(day.needs.service, 7)
    }

    func testOnlyTheFinalPressesAskTheStoreForAChange() {
        let start = msk(12, 5, 14)
        let confirm = dialogue.plan(for: press(.confirm(service: 7, start: MinuteStamp.of(start))), now: now)
        XCTAssertEqual(confirm.intent, .book(service: 7, start: start))
        XCTAssertEqual(confirm.needs.days, date(start)...date(start), "the day's fresh times, for a refusal")
        XCTAssertNil(dialogue.plan(for: press(.slot(service: 7, start: MinuteStamp.of(start))), now: now).intent)
        XCTAssertEqual(dialogue.plan(for: press(.confirmCancel(booking: 5)), now: now).intent, .cancel(booking: 5))
        let move = dialogue.plan(for: press(.confirmMove(booking: 5, start: MinuteStamp.of(start))), now: now)
        XCTAssertEqual(move.intent, .move(booking: 5, start: start))
        XCTAssertEqual(move.needs.occupancyExcluding, 5, "a booking never conflicts with itself")
    }

    func testForgedTimesFarOutsideAnyCalendarNeverReachTheStore() {
        for action: CallbackAction in [.confirm(service: 7, start: 4_000_000_000_000), .confirm(service: 7, start: 1),
                                       .month(service: 7, month: 999_999_999), .moveDay(booking: 1, day: 99_999_999)] {
            let incoming = press(action)
            XCTAssertNil(dialogue.plan(for: incoming, now: now).intent, "\(action)")
            XCTAssertEqual(dialogue.plan(for: incoming, now: now).needs.days, nil, "\(action)")
            let result = turn(incoming)
            XCTAssertEqual(answers(result), [Texts.alert(.invalidButton, in: .en)], "\(action)")
            XCTAssertEqual(result.replies.count, 1, "only the answer: nothing changes")
        }
    }

    // MARK: Booking flow

    func testTheServiceListShowsTheCountAndOneButtonPerService() {
        let result = turn(.command("book", argument: "", from: anna))
        let (shown, buttons) = screen(result)
        XCTAssertEqual(shown, text(.chooseService(activeBookings: 0, limit: 3)))
        XCTAssertEqual(buttons.map { $0.map(\.text) }, [[label(.service(name: "Haircut", durationMinutes: 60, price: "1500 ₽"))],
                                                        [label(.cancel)]])
        XCTAssertEqual(action(buttons[0][0]), .pickService(service: 7))
        XCTAssertEqual(result.state.screen, .booking)
    }

    func testTheCalendarColoursDaysForTheServiceAndOffersOnlyTheBookableMonths() throws {
        let tomorrow = date(now).adding(days: 1)
        // Tomorrow: one hour taken (🟡); the day after: the whole day blocked (🔴).
        let occupancy = Occupancy(bookings: [TimeRange(start: msk(12, 4, 12), minutes: 60)],
                                  blocks: [TimeRange(start: msk(12, 5, 0), minutes: 24 * 60)])
        let result = turn(press(.pickService(service: 7)), facts: facts { $0.occupancy = occupancy })
        let (shown, buttons) = screen(result)
        XCTAssertEqual(shown, text(.calendar(service: "Haircut", durationMinutes: 60, month: date(now))))
        let days = buttons.joined().filter { if case .day? = action($0) { return true } else { return false } }
        XCTAssertEqual(days.count, 31)
        XCTAssertEqual(days[2].text, label(.day(3, .allFree)), "today: every start still ahead is free")
        XCTAssertEqual(days[3].text, label(.day(4, .someFree)))
        XCTAssertEqual(days[4].text, label(.day(5, .full)))
        XCTAssertEqual(days[5].text, label(.day(6, .allFree)))
        XCTAssertEqual(days[0].text, label(.day(1, .unavailable)))
        XCTAssertEqual(action(days[3]), .day(service: 7, day: tomorrow.dayNumber))
        XCTAssertEqual(buttons.last?.map(\.text), [label(.back), label(.cancel)])
        // ◀ before this month and ▶ past the horizon (March 2027) answer with an alert only.
        let previous = try XCTUnwrap(button(label(.previousMonth), in: buttons))
        let before = turn(press(try XCTUnwrap(action(previous))))
        XCTAssertEqual(answers(before), [Texts.alert(.monthBeforeRange, in: .en)])
        XCTAssertEqual(before.replies.count, 1)
        let march = MonthIndex.of(LocalDate(year: 2027, month: 3, day: 1)!)
        XCTAssertEqual(turn(press(.month(service: 7, month: march))).replies.count, 2, "the horizon's last month opens")
        XCTAssertEqual(answers(turn(press(.month(service: 7, month: march + 1)))), [Texts.alert(.monthBeyondHorizon, in: .en)])
    }

    func testAFullOrClosedDayAnswersWithAnAlertAndChangesNothing() {
        let blocked = Occupancy(blocks: [TimeRange(start: msk(12, 5, 0), minutes: 24 * 60)])
        let state = ConversationState(screen: .booking, flowMessageID: 900)
        let full = turn(press(.day(service: 7, day: date(msk(12, 5, 12)).dayNumber)), state: state, facts: facts { $0.occupancy = blocked })
        XCTAssertEqual(answers(full), [Texts.alert(.dayFull, in: .en)])
        XCTAssertEqual(full.state, state)
        let past = turn(press(.day(service: 7, day: date(now).dayNumber - 1)), state: state)
        XCTAssertEqual(answers(past), [Texts.alert(.dayUnavailable, in: .en)])
        XCTAssertEqual(past.replies.count, 1)
    }

    func testTheDayShowsItsFreeTimesAndTheConfirmationTheDetails() throws {
        let taken = Occupancy(bookings: [TimeRange(start: msk(12, 4, 10), minutes: 60)])
        let day = turn(press(.day(service: 7, day: date(msk(12, 4, 12)).dayNumber)), facts: facts { $0.occupancy = taken })
        let (shown, buttons) = screen(day)
        XCTAssertEqual(shown, text(.daySlots(service: "Haircut", durationMinutes: 60, date: date(msk(12, 4, 12)), freeCount: 8)))
        let times = buttons.dropLast().joined().map(\.text)
        XCTAssertEqual(times, ["09:00", "11:00", "12:00", "13:00", "14:00", "15:00", "16:00", "17:00"])
        XCTAssertEqual(buttons.last?.map(\.text), [label(.back), label(.cancel)])
        let eleven = try XCTUnwrap(button("11:00", in: buttons))
        XCTAssertEqual(action(eleven), .slot(service: 7, start: MinuteStamp.of(msk(12, 4, 11))))

        let confirm = turn(press(try XCTUnwrap(action(eleven))), facts: facts { $0.occupancy = taken })
        let (details, confirmButtons) = screen(confirm)
        XCTAssertEqual(details, text(.confirmBooking(service: "Haircut", start: LocalDateTime(msk(12, 4, 11), clock: clock),
                                                      durationMinutes: 60, price: "1500 ₽")))
        XCTAssertEqual(confirmButtons.map { $0.map(\.text) }, [[label(.confirm)], [label(.back), label(.cancel)]])
        XCTAssertEqual(action(confirmButtons[0][0]), .confirm(service: 7, start: MinuteStamp.of(msk(12, 4, 11))))
    }

    func testBookedNamesTheRealRemindersAndTellsTheAdmins() {
        let start = msk(12, 4, 9)  // 23 hours ahead: the 24-hour reminder is already past
        let booking = ClientBooking(id: 11, service: haircut, start: start, durationMinutes: 60)
        let result = turn(press(.confirm(service: 7, start: MinuteStamp.of(start))), facts: facts { $0.outcome = .booked(booking) })
        let summary = BookingSummary(service: "Haircut", start: LocalDateTime(start, clock: clock), durationMinutes: 60, price: "1500 ₽")
        XCTAssertEqual(screen(result).text, text(.booked(booking: summary, address: "Main St 1", reminderOffsetsMinutes: [120])))
        XCTAssertEqual(answers(result), [Texts.alert(.booked, in: .en)])
        XCTAssertEqual(result.adminNotice, .adminNewBooking(client: ClientInfo(id: 42, name: "Anna", username: "anna"), booking: summary))
        XCTAssertEqual(result.state.screen, .idle)
    }

    func testEachRefusalAtConfirmHasItsOwnMessageAndKeepsTheFlowAlive() throws {
        let start = msk(12, 4, 11)
        let confirm = press(.confirm(service: 7, start: MinuteStamp.of(start)))
        // Taken meanwhile: the day's fresh free times follow, without the taken one.
        let taken = facts {
            $0.outcome = .refused(.overlapsBooking)
            $0.occupancy = Occupancy(bookings: [TimeRange(start: start, minutes: 60)])
        }
        let (shown, buttons) = screen(turn(confirm, facts: taken))
        XCTAssertEqual(shown, text(.slotTaken(date: date(start), freeCount: 8)))
        XCTAssertFalse(buttons.joined().map(\.text).contains("11:00"))
        XCTAssertEqual(action(try XCTUnwrap(button("12:00", in: buttons))), .slot(service: 7, start: MinuteStamp.of(msk(12, 4, 12))))
        XCTAssertEqual(answers(turn(confirm, facts: taken)), [Texts.alert(.slotTaken, in: .en)])

        let limit = turn(confirm, facts: facts {
            $0.outcome = .refused(.limitReached)
            $0.upcoming = (1...3).map { ClientBooking(id: Int64($0), service: self.haircut, start: self.msk(12, 10 + $0, 10), durationMinutes: 60) }
        })
        XCTAssertEqual(screen(limit).text, text(.limitReached(activeBookings: 3, limit: 3)))
        XCTAssertEqual(action(try XCTUnwrap(button(label(.myBookings), in: screen(limit).buttons))), .myBookings)

        let gone = turn(confirm, facts: facts {
            $0.outcome = .refused(.notActive)
            $0.service?.bookable = false
        })
        XCTAssertEqual(screen(gone).text, text(.serviceUnavailable(service: "Haircut")))
        XCTAssertEqual(screen(gone).buttons.joined().compactMap(action), [.services, .cancelFlow])

        for (refusal, message) in [(BookingRefusal.tooSoon, Texts.Message.tooSoon(noticeMinutes: 60)), (.inPast, .inPast),
                                   (.outsideHours, .outsideHours), (.notAligned, .notAligned), (.overlapsBlock, .overlapsBlock)] {
            let result = turn(confirm, facts: facts { $0.outcome = .refused(refusal) })
            XCTAssertEqual(screen(result).text, text(message), "\(refusal)")
            XCTAssertEqual(result.state.screen, .booking, "\(refusal): the flow stays open")
            XCTAssertNil(result.adminNotice)
        }
    }

    func testAForgedSlotIsRefusedBeforeTheConfirmScreen() {
        // 07:00 is before opening; a time inside the notice; a time of the past.
        for (start, message) in [(msk(12, 4, 7), Texts.Message.outsideHours), (msk(12, 3, 10, 30), .tooSoon(noticeMinutes: 60)),
                                 (msk(12, 2, 12), .inPast)] {
            XCTAssertEqual(screen(turn(press(.slot(service: 7, start: MinuteStamp.of(start))))).text, text(message), "\(start)")
        }
    }

    // MARK: My bookings, cancel, move

    private func booking(_ start: Date, id: Int64 = 5) -> ClientBooking {
        ClientBooking(id: id, service: haircut, start: start, durationMinutes: 60)
    }

    func testMyBookingsListsEachWithCancelAndMove() {
        let bookings = [booking(msk(12, 4, 12), id: 5), booking(msk(12, 9, 15), id: 6)]
        let result = turn(.command("my", argument: "", from: anna), facts: facts { $0.upcoming = bookings; $0.pastVisits = 2 })
        let (shown, buttons) = screen(result)
        XCTAssertEqual(shown, text(.myBookings(bookings: bookings.map { BookingSummary(service: "Haircut", start: LocalDateTime($0.start, clock: clock), durationMinutes: 60, price: "1500 ₽") },
                                               today: date(now), pastVisits: 2)))
        XCTAssertEqual(buttons.map { $0.compactMap(action) }, [[.askCancel(booking: 5), .move(booking: 5)], [.askCancel(booking: 6), .move(booking: 6)]])
        let empty = turn(.command("my", argument: "", from: anna), facts: facts { $0.pastVisits = 1 })
        XCTAssertEqual(empty.replies, [.message(text: text(.myBookingsEmpty(pastVisits: 1)), menu: Speaker(language: .en, now: now, clock: clock).mainMenu, buttons: nil)])
    }

    func testCancelAsksFirstAndTheCutOffIsCheckedAtEveryPress() throws {
        let far = booking(msk(12, 10, 12))
        let question = turn(press(.askCancel(booking: 5)), facts: facts { $0.booking = far })
        XCTAssertEqual(screen(question).text, text(.cancelQuestion(booking: Speaker(language: .en, now: now, clock: clock).summary(far))))
        XCTAssertEqual(screen(question).buttons.joined().compactMap(action), [.confirmCancel(booking: 5), .myBookings])
        XCTAssertEqual(question.state.screen, .cancelling)

        let late = turn(press(.askCancel(booking: 5)), facts: facts { $0.booking = self.booking(msk(12, 4, 9)) })
        XCTAssertEqual(screen(late).text, text(.cancelRefused(cutoffHours: 24, contact: BusinessContact(address: "Main St 1"))))
        // The final press: the store refused (the cut-off passed since the question).
        let refused = turn(press(.confirmCancel(booking: 5)), facts: facts { $0.outcome = .refused(.cancelCutoff) })
        XCTAssertEqual(screen(refused).text, text(.cancelRefused(cutoffHours: 24, contact: BusinessContact(address: "Main St 1"))))
        XCTAssertNil(refused.adminNotice)

        let done = turn(press(.confirmCancel(booking: 5)), facts: facts { $0.outcome = .cancelled(far) })
        let summary = Speaker(language: .en, now: now, clock: clock).summary(far)
        XCTAssertEqual(screen(done).text, text(.cancelled(booking: summary)))
        XCTAssertEqual(done.adminNotice, .adminCancelled(client: ClientInfo(id: 42, name: "Anna", username: "anna"), booking: summary, reason: ""))

        let foreign = turn(press(.askCancel(booking: 999)))
        XCTAssertEqual(screen(foreign).text, text(.bookingNotFound), "another person's booking looks like none")
        XCTAssertEqual(answers(foreign), [Texts.alert(.bookingNotFound, in: .en)])
    }

    func testMoveOffersTheCalendarForTheBookingsLengthAndRefusesInsideTheCutOff() throws {
        let far = booking(msk(12, 10, 12))
        let calendar = turn(press(.move(booking: 5)), facts: facts { $0.booking = far })
        let (shown, buttons) = screen(calendar)
        XCTAssertEqual(shown, text(.moveCalendar(booking: Speaker(language: .en, now: now, clock: clock).summary(far), month: date(now))))
        XCTAssertTrue(buttons.joined().compactMap(action).contains(.moveDay(booking: 5, day: date(now).dayNumber + 1)))
        XCTAssertEqual(calendar.state.screen, .moving)

        let late = turn(press(.move(booking: 5)), facts: facts { $0.booking = self.booking(msk(12, 4, 9)) })
        XCTAssertEqual(screen(late).text, text(.moveRefused(cutoffHours: 24, contact: BusinessContact(address: "Main St 1"))))

        let newStart = msk(12, 11, 15)
        let confirm = turn(press(.moveSlot(booking: 5, start: MinuteStamp.of(newStart))), facts: facts { $0.booking = far })
        XCTAssertEqual(screen(confirm).buttons.first?.compactMap(action), [.confirmMove(booking: 5, start: MinuteStamp.of(newStart))])

        let moved = turn(press(.confirmMove(booking: 5, start: MinuteStamp.of(newStart))),
                         facts: facts { $0.outcome = .moved(from: far, to: self.booking(newStart)) })
        let (from, to) = (LocalDateTime(far.start, clock: clock), LocalDateTime(newStart, clock: clock))
        XCTAssertEqual(screen(moved).text, text(.moved(service: "Haircut", from: from, to: to, reminderOffsetsMinutes: [1440, 120])))
        XCTAssertEqual(moved.adminNotice, .adminMoved(client: ClientInfo(id: 42, name: "Anna", username: "anna"), service: "Haircut", from: from, to: to))

        let refused = turn(press(.confirmMove(booking: 5, start: MinuteStamp.of(newStart))),
                           facts: facts { $0.outcome = .refused(.rescheduleCutoff); $0.booking = self.booking(msk(12, 4, 9)) })
        XCTAssertEqual(screen(refused).text, text(.moveRefused(cutoffHours: 24, contact: BusinessContact(address: "Main St 1"))))
    }

    // MARK: Escapes and hygiene

    func testCancelAndStartLeaveEveryFlowAndTakeItsButtonsAway() {
        for screenState in [ConversationState.Screen.booking, .myBookings, .cancelling, .moving] {
            let state = ConversationState(screen: screenState, flowMessageID: 900)
            let cancelled = turn(.command("cancel", argument: "", from: anna), state: state)
            XCTAssertEqual(cancelled.state, ConversationState())
            XCTAssertEqual(cancelled.replies.first, .clearButtons(messageID: 900))
            XCTAssertEqual(cancelled.replies.count, 2)
            let started = turn(.command("start", argument: "", from: anna), state: state)
            XCTAssertEqual(started.state, ConversationState())
            XCTAssertEqual(started.replies.first, .clearButtons(messageID: 900))
        }
        let idle = turn(.command("cancel", argument: "", from: anna))
        XCTAssertEqual(idle.replies.count, 1)
        XCTAssertEqual(idle.replies.first.flatMap { if case .message(let text, _, _) = $0 { return text } else { return nil } },
                       text(.nothingToCancel))
    }

    func testEveryPressIsAnsweredExactlyOnce() {
        let far = booking(msk(12, 10, 12))
        let actions: [CallbackAction] = [
            .menu, .howItWorks, .bookNow, .services, .pickService(service: 7), .pickService(service: 8),
            .month(service: 7, month: MonthIndex.of(date(now))), .day(service: 7, day: date(now).dayNumber + 1),
            .slot(service: 7, start: MinuteStamp.of(msk(12, 4, 11))), .confirm(service: 7, start: MinuteStamp.of(msk(12, 4, 11))),
            .cancelFlow, .myBookings, .askCancel(booking: 5), .confirmCancel(booking: 5), .move(booking: 5),
            .moveMonth(booking: 5, month: MonthIndex.of(date(now))), .moveDay(booking: 5, day: date(now).dayNumber + 2),
            .moveSlot(booking: 5, start: MinuteStamp.of(msk(12, 6, 11))), .confirmMove(booking: 5, start: MinuteStamp.of(msk(12, 6, 11))),
            .rate(booking: 5, stars: 4), .skipReview(booking: 5), .noop,
        ]
        for action in actions {
            for booking in [far, nil] as [ClientBooking?] {
                let result = turn(press(action), facts: facts { $0.booking = booking })
                XCTAssertEqual(answers(result).count, 1, "\(action) with booking \(String(describing: booking))")
            }
        }
        let stale = turn(press(.bookNow, issued: now.addingTimeInterval(-49 * 3600)))
        XCTAssertEqual(answers(stale), [Texts.alert(.staleButton, in: .en)])
        XCTAssertEqual(turn(.button(queryID: "q", data: String(repeating: "x", count: 65), messageID: 1, from: anna)).replies,
                       [.answer(queryID: "q", text: Texts.alert(.invalidButton, in: .en), alert: false)])
    }

    // MARK: Reviews

    func testStarsThenAnOptionalCommentEachAsTheStoreDecided() {
        let rate = press(.rate(booking: 5, stars: 4))
        XCTAssertEqual(dialogue.plan(for: rate, now: now).intent, .rate(booking: 5, stars: 4))
        let saved = turn(rate, facts: facts { $0.outcome = .rated(.saved) })
        XCTAssertEqual(screen(saved).text, text(.askReviewComment(stars: 4)))
        XCTAssertEqual(screen(saved).buttons.joined().compactMap(action), [.skipReview(booking: 5)])
        XCTAssertEqual(saved.state, ConversationState(screen: .reviewComment, flowMessageID: 900, reviewBooking: 5))
        for (result, alert) in [(RatingResult.alreadyReviewed, Texts.Alert.alreadyReviewed), (.notYet, .reviewTooEarly),
                                (.notFound, .bookingNotFound)] {
            let refused = turn(rate, facts: facts { $0.outcome = .rated(result) })
            XCTAssertEqual(answers(refused), [Texts.alert(alert, in: .en)])
            XCTAssertEqual(refused.replies.count, 1, "\(result): nothing else changes")
        }
        // The next text is the comment (cut to the table's limit); a menu button is not.
        let long = String(repeating: "ж", count: 2500)
        XCTAssertEqual(dialogue.plan(for: .text(long, from: anna), state: saved.state, now: now).intent,
                       .comment(booking: 5, text: String(repeating: "ж", count: 2000)))
        XCTAssertNil(dialogue.plan(for: .text(label(.about), from: anna), state: saved.state, now: now).intent)
        XCTAssertNil(dialogue.plan(for: .text("later", from: anna), now: now).intent, "no review waiting: just text")
        let thanked = turn(.text("Great", from: anna), state: saved.state, facts: facts { $0.outcome = .commented(true) })
        XCTAssertEqual(thanked.state, ConversationState())
        XCTAssertEqual(thanked.replies.last.flatMap { if case .message(let text, _, _) = $0 { return text } else { return nil } },
                       text(.reviewThanks))
        XCTAssertEqual(screen(turn(press(.skipReview(booking: 5)), state: saved.state)).text, text(.reviewThanks))
    }

    func testUnknownTextAndStickersGetTheHelpHint() {
        for incoming in [Incoming.text("hello?", from: anna), .unsupported(from: anna), .command("nope", argument: "", from: anna)] {
            let result = turn(incoming, state: ConversationState(screen: .booking, flowMessageID: 3))
            XCTAssertEqual(result.replies.count, 1)
            if case .message(let text, _, _) = result.replies[0] { XCTAssertEqual(text, self.text(.unknownInput)) } else { XCTFail() }
            XCTAssertEqual(result.state.screen, .booking, "a stray message does not close the flow")
        }
    }
}
