import Booking
@testable import Conversation
import Foundation
import Texts
import XCTest

/// The booking flow (SPEC client 4), as the person sees it: what each step reads, what it
/// asks the store to change, and the screens it decides on, in the words shown.
final class BookingFlowTests: ConversationTestCase {
    private let entry = Entry(messageID: 900)

    // MARK: Plans

    func testPlansReadOnlyWhatTheStepShows() {
        func reads(_ incoming: Incoming) -> [StoreFixture.Read] {
            let store = store()
            _ = turn(incoming, store: store)
            XCTAssertEqual(store.changesAsked, [], "\(incoming)")
            return store.readsAsked
        }
        let tomorrow = today.adding(days: 1)
        XCTAssertEqual(reads(command("start")), [.bookingsMade(by: 42)])
        XCTAssertEqual(reads(command("help")), [])
        XCTAssertEqual(reads(.text(label(.book), from: anna)), [.bookableServices, .upcomingBookings(of: 42)])
        XCTAssertEqual(reads(command("book")), [.bookableServices, .upcomingBookings(of: 42)])
        XCTAssertEqual(reads(.text(label(.about), from: anna)), [.bookableServices])
        XCTAssertEqual(reads(press(BookingFlow.Action.day(service: 7, day: tomorrow.dayNumber))),
                       [.service(7), .occupancy(days: tomorrow...tomorrow, excluding: nil)])

        // The flow's own plan for the day: the service and that day, nothing else, no change.
        let day = BookingFlow().plan(.pressed(.day(service: 7, day: tomorrow.dayNumber), entry), state: nil, in: context())
        XCTAssertEqual(day.query.service, 7)
        XCTAssertEqual(day.query.days?.days, tomorrow...tomorrow)
        XCTAssertFalse(day.query.services)
        XCTAssertNil(day.query.bookingsOf)
        XCTAssertNil(day.change)
        let book = BookingFlow().plan(.opened(.menuButton(.book)), state: nil, in: context())
        XCTAssertTrue(book.query.services)
        XCTAssertEqual(book.query.bookingsOf, 42)
        XCTAssertNil(book.change)
    }

    func testOnlyTheFinalPressesAskTheStoreForAChange() {
        let start = msk(12, 5, 14)
        let confirm = BookingFlow().plan(.pressed(.confirm(service: 7, start: MinuteStamp.of(start)), entry), state: nil, in: context())
        XCTAssertEqual(confirm.change?.service, 7)
        XCTAssertEqual(confirm.change?.start, start)
        XCTAssertEqual(confirm.change?.client, 42)
        XCTAssertEqual(confirm.query.days?.days, date(start)...date(start), "the day's fresh times, for a refusal")
        XCTAssertNil(BookingFlow().plan(.pressed(.slot(service: 7, start: MinuteStamp.of(start)), entry), state: nil, in: context()).change)
        XCTAssertEqual(CancelFlow().plan(.pressed(.confirm(booking: 5), entry), state: nil, in: context()).change?.booking, 5)
        XCTAssertNil(CancelFlow().plan(.pressed(.ask(booking: 5), entry), state: nil, in: context()).change)
        let move = MoveFlow().plan(.pressed(.confirm(booking: 5, start: MinuteStamp.of(start)), entry), state: nil, in: context())
        XCTAssertEqual(move.change?.booking, 5)
        XCTAssertEqual(move.change?.start, start)
        XCTAssertEqual(move.query.days?.excluding, 5, "a booking never conflicts with itself")

        // Through the router: every button of every flow, and only the final ones reach
        // the store's changes, with the person as the actor.
        let client = ChangeActor(id: 42, role: .client)
        let sampleStart = MinuteStamp.date(ButtonField.start.sample(today: today.dayNumber))
        let finals: [String: StoreFixture.Change] = [
            "b.k": .book(service: 5, start: sampleStart, client: 42, by: client),
            "c.cc": .cancel(booking: 5, by: client, reason: nil),
            "v.mk": .move(booking: 5, to: sampleStart, by: client),
            "r.r": .rate(booking: 5, by: 42, stars: 4),
        ]
        for button in everyButton() {
            let store = store { $0.bookings = [self.booking(self.msk(12, 10, 12))] }
            _ = turn(press(data: button.data), store: store)
            XCTAssertEqual(store.changesAsked, finals["\(button.flow).\(button.code)"].map { [$0] } ?? [], "\(button.data)")
        }
    }

    func testForgedTimesFarOutsideAnyCalendarNeverReachTheStore() {
        let forged = [
            CallbackEnvelope.encode(BookingFlow.Action.confirm(service: 7, start: 4_000_000_000_000), issuedAt: now),
            CallbackEnvelope.encode(BookingFlow.Action.confirm(service: 7, start: 1), issuedAt: now),
            CallbackEnvelope.encode(BookingFlow.Action.month(service: 7, month: 999_999_999), issuedAt: now),
            CallbackEnvelope.encode(MoveFlow.Action.day(booking: 1, day: 99_999_999), issuedAt: now),
        ]
        for data in forged {
            XCTAssertNil(Pressed(data, now: now), data)
            // Only the answer: nothing read, nothing changed.
            assertBadPress(data)
        }
    }

    // MARK: The screens

    func testTheServiceListShowsTheCountAndOneButtonPerService() {
        let result = turn(command("book"))
        let (shown, buttons) = screen(result)
        XCTAssertEqual(shown, text(.chooseService(activeBookings: 0, limit: 3)))
        XCTAssertEqual(buttons.map { $0.map(\.text) }, [[label(.service(name: "Haircut", durationMinutes: 60, price: "1500 ₽"))],
                                                        [label(.cancel)]])
        XCTAssertEqual(action(buttons[0][0]), .booking(.pickService(service: 7)))
        XCTAssertEqual(action(buttons[1][0]), .core(.close))
        XCTAssertEqual(result.state, ConversationState(flow: "b"), "a new message: the flow is open, its message not yet known")

        // "Book now" under the welcome: the list goes below it, which stays as it was.
        let below = turn(press(BookingFlow.Action.bookNow))
        XCTAssertEqual(below.replies.first, .message(text: shown, menu: nil, buttons: buttons))
        XCTAssertEqual(answers(below), [nil])
        // "Back" from the calendar: the list replaces the calendar.
        let back = turn(press(BookingFlow.Action.services))
        XCTAssertEqual(back.replies.first, .edit(messageID: 900, text: shown, buttons: buttons))
        XCTAssertEqual(back.state, ConversationState(flow: "b", messageID: 900))
    }

    func testNoServicesOrTheLimitAreSaidAtOnce() throws {
        let none = turn(command("book"), store: store { $0.services = [] })
        XCTAssertEqual(none.replies, [menuMessage(.noServices)])
        XCTAssertEqual(none.state, .idle)

        let three = (1...3).map { booking(msk(12, 10 + $0, 10), id: Int64($0)) }
        let full = turn(command("book"), store: store { $0.bookings = three })
        XCTAssertEqual(screen(full).text, text(.limitReached(activeBookings: 3, limit: 3)))
        XCTAssertEqual(screen(full).buttons.joined().compactMap(action), [.myBookings, .core(.close)])
    }

    func testTheCalendarColoursDaysForTheServiceAndOffersOnlyTheBookableMonths() throws {
        let tomorrow = date(now).adding(days: 1)
        // Tomorrow: one hour taken (🟡); the day after: the whole day blocked (🔴).
        let occupancy = Occupancy(bookings: [TimeRange(start: msk(12, 4, 12), minutes: 60)],
                                  blocks: [TimeRange(start: msk(12, 5, 0), minutes: 24 * 60)])
        let result = turn(press(BookingFlow.Action.pickService(service: 7)), store: store { $0.occupancy = occupancy })
        let (shown, buttons) = screen(result)
        XCTAssertEqual(shown, text(.calendar(service: "Haircut", durationMinutes: 60, month: date(now))))
        let days = buttons.joined().filter { if case .booking(.day)? = action($0) { return true } else { return false } }
        XCTAssertEqual(days.count, 31)
        XCTAssertEqual(days[2].text, label(.day(3, .allFree)), "today: every start still ahead is free")
        XCTAssertEqual(days[3].text, label(.day(4, .someFree)))
        XCTAssertEqual(days[4].text, label(.day(5, .full)))
        XCTAssertEqual(days[5].text, label(.day(6, .allFree)))
        XCTAssertEqual(days[0].text, label(.day(1, .unavailable)))
        XCTAssertEqual(action(days[3]), .booking(.day(service: 7, day: tomorrow.dayNumber)))
        XCTAssertEqual(buttons.last?.map(\.text), [label(.back), label(.cancel)])
        XCTAssertEqual(buttons.last?.compactMap(action), [.booking(.services), .core(.close)])
        XCTAssertEqual(buttons[1].compactMap(action), Array(repeating: .core(.noop), count: 7), "the weekday names do nothing")
        // ◀ before this month and ▶ past the horizon (March 2027) answer with an alert only.
        let previous = try XCTUnwrap(button(label(.previousMonth), in: buttons))
        let before = turn(press(previous))
        XCTAssertEqual(answers(before), [alert(.monthBeforeRange)])
        XCTAssertEqual(before.replies.count, 1)
        let march = MonthIndex.of(LocalDate(year: 2027, month: 3, day: 1)!)
        XCTAssertEqual(turn(press(BookingFlow.Action.month(service: 7, month: march))).replies.count, 2, "the horizon's last month opens")
        XCTAssertEqual(answers(turn(press(BookingFlow.Action.month(service: 7, month: march + 1)))), [alert(.monthBeyondHorizon)])
    }

    func testAFullOrClosedDayAnswersWithAnAlertAndChangesNothing() {
        let blocked = Occupancy(blocks: [TimeRange(start: msk(12, 5, 0), minutes: 24 * 60)])
        let state = ConversationState(flow: "b", messageID: 900)
        let full = turn(press(BookingFlow.Action.day(service: 7, day: date(msk(12, 5, 12)).dayNumber)), state: state,
                        store: store { $0.occupancy = blocked })
        XCTAssertEqual(answers(full), [alert(.dayFull)])
        XCTAssertEqual(full.state, state)
        let past = turn(press(BookingFlow.Action.day(service: 7, day: date(now).dayNumber - 1)), state: state)
        XCTAssertEqual(answers(past), [alert(.dayUnavailable)])
        XCTAssertEqual(past.replies.count, 1)
        XCTAssertEqual(past.state, state)
    }

    func testTheDayShowsItsFreeTimesAndTheConfirmationTheDetails() throws {
        let taken = store { $0.occupancy = Occupancy(bookings: [TimeRange(start: self.msk(12, 4, 10), minutes: 60)]) }
        let day = turn(press(BookingFlow.Action.day(service: 7, day: date(msk(12, 4, 12)).dayNumber)), store: taken)
        let (shown, buttons) = screen(day)
        XCTAssertEqual(shown, text(.daySlots(service: "Haircut", durationMinutes: 60, date: date(msk(12, 4, 12)), freeCount: 8)))
        let times = buttons.dropLast().joined().map(\.text)
        XCTAssertEqual(times, ["09:00", "11:00", "12:00", "13:00", "14:00", "15:00", "16:00", "17:00"])
        XCTAssertEqual(buttons.last?.map(\.text), [label(.back), label(.cancel)])
        XCTAssertEqual(buttons.last?.first.flatMap(action), .booking(.month(service: 7, month: MonthIndex.of(today))))
        let eleven = try XCTUnwrap(button("11:00", in: buttons))
        XCTAssertEqual(action(eleven), .booking(.slot(service: 7, start: MinuteStamp.of(msk(12, 4, 11)))))

        let confirm = turn(press(eleven), store: taken)
        let (details, confirmButtons) = screen(confirm)
        XCTAssertEqual(details, text(.confirmBooking(service: "Haircut", start: LocalDateTime(msk(12, 4, 11), clock: clock),
                                                      durationMinutes: 60, price: "1500 ₽")))
        XCTAssertEqual(confirmButtons.map { $0.map(\.text) }, [[label(.confirm)], [label(.back), label(.cancel)]])
        XCTAssertEqual(action(confirmButtons[0][0]), .booking(.confirm(service: 7, start: MinuteStamp.of(msk(12, 4, 11)))))
        XCTAssertEqual(action(confirmButtons[1][0]), .booking(.day(service: 7, day: date(msk(12, 4, 11)).dayNumber)))
        XCTAssertEqual(taken.changesAsked, [], "the confirmation screen changes nothing yet")
    }

    func testBookedNamesTheRealRemindersAndTellsTheAdmins() {
        let start = msk(12, 4, 9)  // 23 hours ahead: the 24-hour reminder is already past
        let booking = ClientBooking(id: 11, service: haircut, start: start, durationMinutes: 60)
        let store = store { $0.booked = .done(booking) }
        let result = turn(press(BookingFlow.Action.confirm(service: 7, start: MinuteStamp.of(start))), store: store)
        let summary = BookingSummary(service: "Haircut", start: LocalDateTime(start, clock: clock), durationMinutes: 60, price: "1500 ₽")
        XCTAssertEqual(screen(result).text, text(.booked(booking: summary, address: "Main St 1", reminderOffsetsMinutes: [120])))
        XCTAssertEqual(screen(result).buttons.joined().compactMap(action), [.myBookings])
        XCTAssertEqual(answers(result), [alert(.booked)])
        XCTAssertEqual(result.effects, [.notifyStaff(.newBooking, .adminNewBooking(client: annaInfo, booking: summary))])
        XCTAssertEqual(result.state, .idle)
        XCTAssertEqual(store.changesAsked, [.book(service: 7, start: start, client: 42, by: ChangeActor(id: 42, role: .client))])
    }

    func testEachRefusalAtConfirmHasItsOwnMessageAndKeepsTheFlowAlive() throws {
        let start = msk(12, 4, 11)
        let confirm = BookingFlow.Action.confirm(service: 7, start: MinuteStamp.of(start))
        func respond(_ refusal: BookingRefusal, service: BookableService? = nil, upcoming: [ClientBooking] = [],
                     occupancy: Occupancy = .empty) -> Reply<NoState> {
            BookingFlow().respond(.pressed(confirm, entry), state: nil,
                                  read: .init(services: [], service: service ?? haircut, upcoming: upcoming, occupancy: occupancy),
                                  outcome: .refused(refusal), in: context())
        }
        // Taken meanwhile: the day's fresh free times follow, without the taken one.
        let taken = respond(.overlapsBooking, occupancy: Occupancy(bookings: [TimeRange(start: start, minutes: 60)]))
        let (shown, buttons) = screen(taken.replies)
        XCTAssertEqual(shown, text(.slotTaken(date: date(start), freeCount: 8)))
        XCTAssertFalse(buttons.joined().map(\.text).contains("11:00"))
        XCTAssertEqual(action(try XCTUnwrap(button("12:00", in: buttons))), .booking(.slot(service: 7, start: MinuteStamp.of(msk(12, 4, 12)))))
        XCTAssertEqual(action(try XCTUnwrap(button(label(.otherDay), in: buttons))), .booking(.month(service: 7, month: MonthIndex.of(today))))
        XCTAssertEqual(taken.alert, .slotTaken)
        XCTAssertEqual(taken.next, .open(NoState()))
        // The router answers with the flow's alert, once.
        let store = store {
            $0.booked = .refused(.overlapsBooking)
            $0.occupancy = Occupancy(bookings: [TimeRange(start: start, minutes: 60)])
        }
        XCTAssertEqual(answers(turn(press(confirm), store: store)), [alert(.slotTaken)])

        let limit = respond(.limitReached, upcoming: (1...3).map { booking(msk(12, 10 + $0, 10), id: Int64($0)) })
        XCTAssertEqual(screen(limit.replies).text, text(.limitReached(activeBookings: 3, limit: 3)))
        XCTAssertEqual(action(try XCTUnwrap(button(label(.myBookings), in: screen(limit.replies).buttons))), .myBookings)
        XCTAssertEqual(limit.alert, .limitReached(limit: 3))

        var gone = haircut
        gone.bookable = false
        let unavailable = respond(.notActive, service: gone)
        XCTAssertEqual(screen(unavailable.replies).text, text(.serviceUnavailable(service: "Haircut")))
        XCTAssertEqual(screen(unavailable.replies).buttons.joined().compactMap(action), [.booking(.services), .core(.close)])

        for (refusal, message) in [(BookingRefusal.tooSoon, Texts.Message.tooSoon(noticeMinutes: 60)), (.inPast, .inPast),
                                   (.outsideHours, .outsideHours), (.notAligned, .notAligned), (.overlapsBlock, .overlapsBlock),
                                   (.beyondHorizon, .beyondHorizon(lastDay: LocalDate(year: 2027, month: 3, day: 31)!))] {
            let reply = respond(refusal)
            XCTAssertEqual(screen(reply.replies).text, text(message), "\(refusal)")
            XCTAssertEqual(reply.next, .open(NoState()), "\(refusal): the flow stays open")
            XCTAssertEqual(reply.effects, [])
            let result = turn(press(confirm), store: self.store { $0.booked = .refused(refusal) })
            XCTAssertEqual(result.state, ConversationState(flow: "b", messageID: 900), "\(refusal): the flow stays open")
            XCTAssertEqual(result.effects, [])
        }
    }

    func testAForgedSlotIsRefusedBeforeTheConfirmScreen() {
        // 07:00 is before opening; a time inside the notice; a time of the past.
        for (start, message) in [(msk(12, 4, 7), Texts.Message.outsideHours), (msk(12, 3, 10, 30), .tooSoon(noticeMinutes: 60)),
                                 (msk(12, 2, 12), .inPast)] {
            let store = store()
            XCTAssertEqual(screen(turn(press(BookingFlow.Action.slot(service: 7, start: MinuteStamp.of(start))), store: store)).text,
                           text(message), "\(start)")
            XCTAssertEqual(store.changesAsked, [])
        }
    }

    func testAServiceThatWentIsSaidSoAndAnUnknownOneIsOnlyAnAlert() {
        var gone = haircut
        gone.bookable = false
        let went = turn(press(BookingFlow.Action.pickService(service: 7)), store: store { $0.services = [gone] })
        XCTAssertEqual(screen(went).text, text(.serviceUnavailable(service: "Haircut")))
        let unknown = turn(press(BookingFlow.Action.pickService(service: 8)))
        XCTAssertEqual(unknown.replies, [.answer(queryID: "q1", text: alert(.invalidButton), alert: false)])
    }
}
