import Booking
@testable import Conversation
import Foundation
import Texts
import XCTest

/// My bookings, cancel and move (SPEC client 5–7): the cut-offs are checked when a screen
/// opens, to say so at once, and again by the store at the final press.
final class ManageBookingsTests: ConversationTestCase {
    func testMyBookingsListsEachWithCancelAndMove() {
        let bookings = [booking(msk(12, 4, 12), id: 5), booking(msk(12, 9, 15), id: 6)]
        let result = turn(command("my"), store: store { $0.bookings = bookings; $0.pastVisitCount = 2 })
        let (shown, buttons) = screen(result)
        XCTAssertEqual(shown, text(.myBookings(bookings: bookings.map { BookingSummary(service: "Haircut", start: LocalDateTime($0.start, clock: clock), durationMinutes: 60, price: "1500 ₽") },
                                               today: date(now), pastVisits: 2)))
        XCTAssertEqual(buttons.map { $0.compactMap(action) }, [[.cancel(.ask(booking: 5)), .move(.start(booking: 5))],
                                                               [.cancel(.ask(booking: 6)), .move(.start(booking: 6))]])
        XCTAssertEqual(buttons.map { $0.map(\.text) }, [[label(.cancelBookingAt(LocalDateTime(msk(12, 4, 12), clock: clock))),
                                                         label(.moveBookingAt(LocalDateTime(msk(12, 4, 12), clock: clock)))],
                                                        [label(.cancelBookingAt(LocalDateTime(msk(12, 9, 15), clock: clock))),
                                                         label(.moveBookingAt(LocalDateTime(msk(12, 9, 15), clock: clock)))]])
        XCTAssertEqual(result.state, ConversationState(flow: "l"))
        let empty = turn(command("my"), store: store { $0.pastVisitCount = 1 })
        XCTAssertEqual(empty.replies, [menuMessage(.myBookingsEmpty(pastVisits: 1))])
        XCTAssertEqual(empty.state, .idle)
        // Pressed ("No, keep it", or after a cancel): the screen is edited, with a way to book.
        let pressed = turn(press(MyBookingsFlow.Action.list), state: ConversationState(flow: "c", messageID: 900))
        XCTAssertEqual(pressed.replies.first, .edit(messageID: 900, text: text(.myBookingsEmpty(pastVisits: 0)),
                                                    buttons: [[say.button(.book, BookingFlow.Action.services)]]))
        XCTAssertEqual(pressed.state, .idle)
    }

    func testMoreBookingsThanButtonsAreListedWithButtonsForTheFirstTwenty() {
        let many = (1...25).map { booking(msk(12, 4, 9).addingTimeInterval(Double($0) * 86_400), id: Int64($0)) }
        let (shown, buttons) = screen(turn(command("my"), store: store { $0.bookings = many }))
        XCTAssertEqual(shown, text(.myBookings(bookings: many.map(say.summary), today: today, pastVisits: 0)))
        XCTAssertEqual(buttons.count, 20)
        XCTAssertEqual(buttons.last?.first.flatMap(action), .cancel(.ask(booking: 20)))
    }

    func testCancelAsksFirstAndTheCutOffIsCheckedAtEveryPress() throws {
        let far = booking(msk(12, 10, 12))
        let question = turn(press(CancelFlow.Action.ask(booking: 5)), store: store { $0.bookings = [far] })
        XCTAssertEqual(screen(question).text, text(.cancelQuestion(booking: say.summary(far))))
        XCTAssertEqual(screen(question).buttons.joined().compactMap(action), [.cancel(.confirm(booking: 5)), .myBookings])
        XCTAssertEqual(question.state, ConversationState(flow: "c", messageID: 900))

        let late = turn(press(CancelFlow.Action.ask(booking: 5)), store: store { $0.bookings = [self.booking(self.msk(12, 4, 9))] })
        XCTAssertEqual(screen(late).text, text(.cancelRefused(cutoffHours: 24, contact: contact)))
        XCTAssertEqual(late.state, .idle)
        // The final press: the store refused (the cut-off passed since the question).
        let refused = turn(press(CancelFlow.Action.confirm(booking: 5)), store: store { $0.cancelled = .refused(.cancelCutoff) })
        XCTAssertEqual(screen(refused).text, text(.cancelRefused(cutoffHours: 24, contact: contact)))
        XCTAssertEqual(refused.effects, [])

        let store = store { $0.cancelled = .done(far) }
        let done = turn(press(CancelFlow.Action.confirm(booking: 5)), store: store)
        let summary = say.summary(far)
        XCTAssertEqual(screen(done).text, text(.cancelled(booking: summary)))
        XCTAssertEqual(answers(done), [alert(.cancelled)])
        XCTAssertEqual(done.effects, [.notifyStaff(.cancellation, .adminCancelled(client: annaInfo, booking: summary, reason: ""))])
        XCTAssertEqual(done.state, .idle)
        XCTAssertEqual(store.changesAsked, [.cancel(booking: 5, by: ChangeActor(id: 42, role: .client), reason: nil)])

        let foreign = turn(press(CancelFlow.Action.ask(booking: 999)))
        XCTAssertEqual(screen(foreign).text, text(.bookingNotFound), "another person's booking looks like none")
        XCTAssertEqual(answers(foreign), [alert(.bookingNotFound)])
        let gone = turn(press(CancelFlow.Action.confirm(booking: 5)))
        XCTAssertEqual(screen(gone).text, text(.bookingNotFound), "cancelled meanwhile (or never this person's)")
    }

    func testMoveOffersTheCalendarForTheBookingsLengthAndRefusesInsideTheCutOff() throws {
        let far = booking(msk(12, 10, 12))
        let store = store { $0.bookings = [far] }
        let calendar = turn(press(MoveFlow.Action.start(booking: 5)), store: store)
        let (shown, buttons) = screen(calendar)
        XCTAssertEqual(shown, text(.moveCalendar(booking: say.summary(far), month: date(now))))
        XCTAssertTrue(buttons.joined().compactMap(action).contains(.move(.day(booking: 5, day: date(now).dayNumber + 1))))
        XCTAssertEqual(buttons.last?.compactMap(action), [.myBookings, .core(.close)])
        XCTAssertEqual(calendar.state, ConversationState(flow: "v", messageID: 900))
        let december = today.firstOfMonth(addingMonths: 0)...today.lastOfMonth(addingMonths: 0)
        XCTAssertEqual(store.readsAsked, [.confirmedBooking(5, of: 42), .occupancy(days: december, excluding: 5)],
                       "the booking, and the month without it (it never conflicts with itself)")

        let late = turn(press(MoveFlow.Action.start(booking: 5)), store: self.store { $0.bookings = [self.booking(self.msk(12, 4, 9))] })
        XCTAssertEqual(screen(late).text, text(.moveRefused(cutoffHours: 24, contact: contact)))

        let day = turn(press(MoveFlow.Action.day(booking: 5, day: date(msk(12, 11, 12)).dayNumber)), store: store)
        XCTAssertEqual(screen(day).text, text(.moveSlots(booking: say.summary(far), date: date(msk(12, 11, 12)), freeCount: 9)))

        let newStart = msk(12, 11, 15)
        let confirm = turn(press(MoveFlow.Action.slot(booking: 5, start: MinuteStamp.of(newStart))), store: store)
        XCTAssertEqual(screen(confirm).text, text(.confirmMove(booking: say.summary(far), newStart: LocalDateTime(newStart, clock: clock))))
        XCTAssertEqual(screen(confirm).buttons.first?.compactMap(action), [.move(.confirm(booking: 5, start: MinuteStamp.of(newStart)))])
        XCTAssertEqual(store.changesAsked, [], "no change before the confirm")

        let moving = self.store { $0.moved = .done(BookingMove(from: far, to: self.booking(newStart))); $0.bookings = [far] }
        let moved = turn(press(MoveFlow.Action.confirm(booking: 5, start: MinuteStamp.of(newStart))), store: moving)
        let (from, to) = (LocalDateTime(far.start, clock: clock), LocalDateTime(newStart, clock: clock))
        XCTAssertEqual(screen(moved).text, text(.moved(service: "Haircut", from: from, to: to, reminderOffsetsMinutes: [1440, 120])))
        XCTAssertEqual(answers(moved), [alert(.moved)])
        XCTAssertEqual(moved.effects, [.notifyStaff(.move, .adminMoved(client: annaInfo, service: "Haircut", from: from, to: to))])
        XCTAssertEqual(moved.state, .idle)
        XCTAssertEqual(moving.changesAsked, [.move(booking: 5, to: newStart, by: ChangeActor(id: 42, role: .client))])

        let refused = turn(press(MoveFlow.Action.confirm(booking: 5, start: MinuteStamp.of(newStart))),
                           store: self.store { $0.moved = .refused(.rescheduleCutoff); $0.bookings = [self.booking(self.msk(12, 4, 9))] })
        XCTAssertEqual(screen(refused).text, text(.moveRefused(cutoffHours: 24, contact: contact)))

        let taken = turn(press(MoveFlow.Action.confirm(booking: 5, start: MinuteStamp.of(newStart))),
                         store: self.store { $0.moved = .refused(.overlapsBooking); $0.bookings = [far] })
        XCTAssertEqual(screen(taken).text, text(.slotTaken(date: date(newStart), freeCount: 9)))
        XCTAssertEqual(screen(taken).buttons.first?.first.flatMap(action), .move(.slot(booking: 5, start: MinuteStamp.of(msk(12, 11, 9)))))
        XCTAssertEqual(taken.state, ConversationState(flow: "v", messageID: 900))
    }

    // MARK: Plans and replies of each flow

    func testEachMoveStepReadsTheBookingAndItsDaysWithoutTheBookingItself() {
        let entry = Entry(messageID: 900)
        let tomorrow = today.adding(days: 1)
        let newStart = msk(12, 11, 15)
        let january = LocalDate(year: 2027, month: 1, day: 1)!...LocalDate(year: 2027, month: 1, day: 31)!
        let steps: [(MoveFlow.Action, ClosedRange<LocalDate>)] = [
            (.start(booking: 5), LocalDate(year: 2026, month: 12, day: 1)!...LocalDate(year: 2026, month: 12, day: 31)!),
            (.month(booking: 5, month: MonthIndex.of(today) + 1), january),
            (.day(booking: 5, day: tomorrow.dayNumber), tomorrow...tomorrow),
            (.slot(booking: 5, start: MinuteStamp.of(newStart)), date(newStart)...date(newStart)),
            (.confirm(booking: 5, start: MinuteStamp.of(newStart)), date(newStart)...date(newStart)),
        ]
        for (action, days) in steps {
            let plan = MoveFlow().plan(.pressed(action, entry), state: nil, in: context())
            XCTAssertEqual(plan.query.booking, 5, "\(action)")
            XCTAssertEqual(plan.query.person, 42, "\(action): only this person's booking")
            XCTAssertEqual(plan.query.days?.days, days, "\(action)")
            XCTAssertEqual(plan.query.days?.excluding, 5, "\(action)")
            if case .confirm = action {
                XCTAssertEqual(plan.change?.start, newStart)
            } else {
                XCTAssertNil(plan.change, "\(action)")
            }
        }
    }

    func testTheRepliesOfMyBookingsAndCancelGivenWhatWasRead() {
        let opened = MyBookingsFlow().respond(.opened(.command("my", argument: "")), state: nil,
                                              read: .init(upcoming: [], pastVisits: 3), outcome: nil, in: context())
        XCTAssertEqual(opened, Reply(replies: [menuMessage(.myBookingsEmpty(pastVisits: 3))], next: .close))

        // A booking that has started can no longer be cancelled: said at the question.
        let started = booking(msk(12, 3, 9))
        let ask = CancelFlow().respond(.pressed(.ask(booking: 5), Entry(messageID: 900)), state: nil, read: started, outcome: nil,
                                       in: context())
        XCTAssertEqual(ask, Reply(replies: [.edit(messageID: 900, text: text(.cancelRefused(cutoffHours: 24, contact: contact)),
                                                  buttons: [[say.button(.myBookings, MyBookingsFlow.Action.list)]])],
                                  next: .close, shownOn: 900))
        let none = CancelFlow().respond(.pressed(.ask(booking: 5), Entry(messageID: 900)), state: nil, read: nil, outcome: nil,
                                        in: context())
        XCTAssertEqual(none.alert, .bookingNotFound)
        XCTAssertEqual(none.next, .close)
    }
}
