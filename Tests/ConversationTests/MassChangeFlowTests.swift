import Booking
@testable import Conversation
import Foundation
import Texts
import XCTest

/// Mass changes against the store's seam: the shift's arithmetic (midnight, DST, the
/// typed minutes and ranges), the preview's Confirm only without a conflict, the commit
/// asked with exactly the ids previewed, and each client told once.
final class MassChangeFlowTests: ConversationTestCase {
    private var day: LocalDate { date(msk(12, 10, 0)) }
    private let bob = ClientInfo(id: 43, name: "Bob", username: nil)

    private func staffBooking(_ id: Int64, _ start: Date, client: ClientInfo? = nil, service: BookableService? = nil,
                              state: BookingState = .confirmed) -> StaffBooking {
        StaffBooking(booking: ClientBooking(id: id, service: service ?? haircut, start: start, durationMinutes: 60),
                     client: client ?? annaInfo, state: state)
    }

    private func massStore(_ bookings: [StaffBooking]) -> StoreFixture {
        store {
            $0.roleAtCommit = .moderator
            $0.shiftRules = self.rules
            $0.shiftNow = self.now
            $0.allBookings = bookings
        }
    }

    private func state(_ draft: MassChangeFlow.State) throws -> ConversationState {
        ConversationState(flow: MassChangeFlow.id, messageID: 900, draft: String(decoding: try JSONEncoder().encode(draft), as: UTF8.self))
    }

    private func mass(_ button: InlineButton) -> MassChangeFlow.Action? {
        CallbackEnvelope.decode(button.data, as: MassChangeFlow.Action.self, now: now)
    }

    private func isConfirm(_ button: InlineButton) -> Bool {
        if case .confirmShift? = mass(button) { return true }
        return false
    }

    private func decoded(_ turn: Turn) -> MassChangeFlow.State? {
        turn.state.draft.flatMap { try? JSONDecoder().decode(MassChangeFlow.State.self, from: Data($0.utf8)) }
    }

    private func asking(_ window: ShiftWindow) -> MassChangeFlow.State {
        var state = MassChangeFlow.State()
        (state.asking, state.day, state.from, state.to) = (.minutes, window.day.dayNumber, window.from, window.to)
        return state
    }

    // MARK: The arithmetic

    private func plan(_ starts: [Date], minutes: Int, rules: BookingRules? = nil, others: Occupancy = .empty,
                      at moment: Date? = nil) -> [ShiftedRange] {
        DayShift.plan(starts.enumerated().map { (Int64($0.offset + 1), TimeRange(start: $0.element, minutes: 60)) }, minutes: minutes,
                      rules: rules ?? self.rules, now: moment ?? now, others: others)
    }

    func testAShiftMovesEveryBookingByTheWallClockAndAChainMovesTogether() {
        let moved = plan([msk(12, 10, 10), msk(12, 10, 11)], minutes: 60)
        XCTAssertEqual(moved.map(\.to.start), [msk(12, 10, 11), msk(12, 10, 12)])
        XCTAssertEqual(moved.map(\.conflict), [nil, nil], "10:00 → 11:00 does not collide with 11:00, which moves too")
        XCTAssertEqual(plan([msk(12, 10, 10)], minutes: -45).map(\.to.start), [msk(12, 10, 9, 15)])
    }

    func testEachConflictIsNamed() {
        let taken = Occupancy(bookings: [TimeRange(start: msk(12, 10, 12), minutes: 60)], blocks: [TimeRange(start: msk(12, 10, 15), minutes: 60)])
        XCTAssertEqual(plan([msk(12, 10, 11, 30)], minutes: 30, others: taken).map(\.conflict), [.overlapsBooking])
        XCTAssertEqual(plan([msk(12, 10, 14)], minutes: 60, others: taken).map(\.conflict), [.overlapsBlock])
        XCTAssertEqual(plan([msk(12, 10, 17)], minutes: 30).map(\.conflict), [.outsideHours], "ends after 18:00")
        XCTAssertEqual(plan([msk(12, 10, 9)], minutes: -30).map(\.conflict), [.outsideHours], "before opening")
        // Today at 11:30, moved 60 minutes earlier: 10:30 is within the hour's notice of 10:00.
        XCTAssertEqual(plan([msk(12, 3, 11, 30)], minutes: -60).map(\.conflict), [.tooSoon])
        XCTAssertEqual(plan([msk(12, 3, 11, 30)], minutes: -120).map(\.conflict), [.tooSoon], "into the past")
        // Two bookings moved into each other (the second earlier than the first would be).
        XCTAssertEqual(plan([msk(12, 10, 10), msk(12, 10, 10, 30)], minutes: 60).map(\.conflict), [nil, .overlapsBooking])
    }

    func testAroundMidnightAShiftNeverLandsOnAnotherDay() {
        let allDay = BookingRules(clock: clock, schedule: .everyDay(DayHours(open: 0, close: 1440)!), slotStepMinutes: 60, horizonMonths: 3,
                                  minNoticeMinutes: 60, maxActiveBookingsPerClient: 3, cancellationCutoffHours: 24,
                                  rescheduleCutoffHours: 24, reminderOffsetsMinutes: [], feedbackHoursAfter: 2)
        XCTAssertEqual(plan([msk(12, 10, 22, 30)], minutes: 90, rules: allDay).map(\.conflict), [.otherDay])
        XCTAssertEqual(plan([msk(12, 10, 22, 30)], minutes: 90, rules: allDay).map(\.to.start), [msk(12, 11, 0)], "where it would be")
        XCTAssertEqual(plan([msk(12, 10, 0, 30)], minutes: -60, rules: allDay).map(\.conflict), [.otherDay])
        XCTAssertEqual(plan([msk(12, 10, 22, 30)], minutes: 30, rules: allDay).map(\.conflict), [nil], "23:00–24:00 fits")
        XCTAssertEqual(plan([msk(12, 10, 22, 30)], minutes: 35, rules: allDay).map(\.conflict), [.outsideHours], "ends after midnight")
    }

    func testAroundDaylightSavingTheWallClockDecides() {
        let berlin = BusinessClock(zoneIdentifier: "Europe/Berlin")!
        let allDay = BookingRules(clock: berlin, schedule: .everyDay(DayHours(open: 0, close: 1440)!), slotStepMinutes: 60, horizonMonths: 3,
                                  minNoticeMinutes: 0, maxActiveBookingsPerClient: 3, cancellationCutoffHours: 24,
                                  rescheduleCutoffHours: 24, reminderOffsetsMinutes: [], feedbackHoursAfter: 2)
        let early = Date(timeIntervalSince1970: 1_770_000_000)
        // 29 March 2026: 02:00 → 03:00 in Berlin. 01:30 (00:30 UTC) + 60 is 02:30, which does not exist.
        let spring = Date(timeIntervalSince1970: 1_774_744_200)
        XCTAssertEqual(berlin.minuteOfDay(of: spring), 90)
        XCTAssertEqual(plan([spring], minutes: 60, rules: allDay, at: early).map(\.conflict), [.skippedTime])
        // + 90 is 03:00 on the wall, only 30 real minutes later (the visit keeps its 60 real minutes).
        let after = plan([spring], minutes: 90, rules: allDay, at: early)
        XCTAssertEqual(after.map(\.conflict), [nil])
        XCTAssertEqual(berlin.minuteOfDay(of: after[0].to.start), 180)
        XCTAssertEqual(after[0].to.start.timeIntervalSince(spring), 1800)
        XCTAssertEqual(after[0].to.end.timeIntervalSince(after[0].to.start), 3600)
        // 25 October 2026: 03:00 → 02:00. 01:00 (23:00 UTC the day before) + 90 is 02:30, its first occurrence.
        let autumn = Date(timeIntervalSince1970: 1_792_882_800)
        XCTAssertEqual(berlin.minuteOfDay(of: autumn), 60)
        let fall = plan([autumn], minutes: 90, rules: allDay, at: early)
        XCTAssertEqual(fall.map(\.conflict), [nil])
        XCTAssertEqual(berlin.minuteOfDay(of: fall[0].to.start), 150)
        XCTAssertEqual(fall[0].to.start.timeIntervalSince(autumn), 90 * 60)
    }

    func testTypedMinutesAreCheckedBeforeAnyArithmetic() {
        let good: [(String, Int)] = [("+30", 30), ("-60", -60), ("+1:30", 90), ("−15", -15), (" 45 ", 45), ("+12:00", 720), ("-720", -720)]
        for (text, minutes) in good { XCTAssertEqual(DayShift.minutes(text), .minutes(minutes), text) }
        for zero in ["0", "-0", "+0", "+0:00"] { XCTAssertEqual(DayShift.minutes(zero), .zero, zero) }
        XCTAssertEqual(DayShift.minutes("+7"), .offStep)
        XCTAssertEqual(DayShift.minutes("+12:05"), .tooLarge)
        XCTAssertEqual(DayShift.minutes("9999"), .tooLarge)
        let garbage = ["", "+", "an hour", "🙂", "+99999999999999999999", "-9223372036854775808", String(repeating: "5", count: 5000),
                       "+1:3", "+1:60", "1.5", "+-30", "٣٠", "３０", "+1:30:00", "\u{0}30"]
        for text in garbage { XCTAssertEqual(DayShift.minutes(text), .unreadable, String(text.prefix(20))) }
    }

    func testTypedRangesOfTheDay() {
        XCTAssertEqual(ShiftWindow.parse("10:00-14:00", day: day), ShiftWindow(day: day, from: 600, to: 840))
        XCTAssertEqual(ShiftWindow.parse("10-14", day: day), ShiftWindow(day: day, from: 600, to: 840))
        XCTAssertEqual(ShiftWindow.parse(" 9:30 – 12 ", day: day), ShiftWindow(day: day, from: 570, to: 720))
        XCTAssertEqual(ShiftWindow.parse("0:00-24:00", day: day)?.isWholeDay, true)
        for bad in ["14:00-10:00", "10:00-10:00", "25-26", "10:60-11", "10", "", "🙂-🙂", String(repeating: "1", count: 5000), "-1-3", "10:00-14:00-16:00"] {
            XCTAssertNil(ShiftWindow.parse(bad, day: day), String(bad.prefix(20)))
        }
    }

    // MARK: The flow

    func testAPreviewWithAConflictOffersNoConfirmAndConfirmIsNeverAsked() throws {
        // 10:00–12:00 moves; the 12:00 booking stays, so 11:00 + 30 runs into it.
        let window = ShiftWindow(day: day, from: 600, to: 720)!
        let store = massStore([staffBooking(5, msk(12, 10, 10)), staffBooking(6, msk(12, 10, 11), client: bob),
                               staffBooking(7, msk(12, 10, 12))])
        let result = turn(.text("+30", from: anna), state: try state(asking(window)), store: store, role: .moderator)
        XCTAssertEqual(store.readsAsked, [.shiftPreview(window, minutes: 30)])
        let shown = screen(result)
        XCTAssertTrue(shown.text.contains("⛔ 11:00 → 11:30"), shown.text)
        XCTAssertTrue(shown.text.contains("overlaps another booking"), shown.text)
        XCTAssertTrue(shown.text.contains("1 conflict — nothing moves"), shown.text)
        XCTAssertNil(shown.buttons.joined().first(where: isConfirm), "no Confirm with a conflict")
        XCTAssertNil(decoded(result)?.previewed)

        // A forged Confirm (any number) moves nothing: nothing was previewed as confirmable.
        let forged = massStore(store.allBookings)
        var conflicted = asking(window)
        (conflicted.asking, conflicted.minutes, conflicted.serial) = (nil, 30, 1)
        _ = turn(press(MassChangeFlow.Action.confirmShift(serial: 1)), state: try state(conflicted), store: forged, role: .moderator)
        XCTAssertEqual(forged.changesAsked, [])
    }

    func testConfirmShiftsExactlyThePreviewedBookingsAndTellsEachClientOnce() throws {
        let window = ShiftWindow(day: day)!
        let bookings = [staffBooking(5, msk(12, 10, 10)), staffBooking(6, msk(12, 10, 11), client: bob), staffBooking(7, msk(12, 10, 13))]
        let previewing = massStore(bookings)
        let preview = turn(.text("+1:00", from: anna), state: try state(asking(window)), store: previewing, role: .moderator)
        let confirm = try XCTUnwrap(screen(preview).buttons.joined().first(where: isConfirm))
        let kept = try XCTUnwrap(decoded(preview))
        XCTAssertEqual(kept.previewed, [5, 6, 7])
        XCTAssertEqual(kept.minutes, 60)

        let store = massStore(bookings)
        let done = turn(press(confirm), state: try state(kept), store: store, role: .moderator)
        XCTAssertEqual(store.changesAsked, [.shiftDay(window, minutes: 60, expected: [5, 6, 7], by: ChangeActor(id: anna.id, role: .moderator))])
        XCTAssertEqual(store.audited, [.bookingsShifted(window: window, minutes: 60, count: 3, outcome: .done)])
        let told = done.effects.compactMap { effect -> Int64? in if case .notifyClient(let id, _) = effect { return id } else { return nil } }
        XCTAssertEqual(told, [anna.id, bob.id], "Anna's two bookings in one message")
        guard case .notifyClient(_, .shiftedByBusiness(let moves))? = done.effects.first else { return XCTFail("\(done.effects)") }
        XCTAssertEqual(moves.map(\.to.minuteOfDay), [660, 840])
        XCTAssertTrue(screen(done).text.contains("3 bookings moved 60 min later"), screen(done).text)

        // The same Confirm again (an older serial than the state's now) asks nothing of the store.
        var stale = kept
        stale.serial = kept.serial + 1
        let again = massStore(bookings)
        _ = turn(press(confirm), state: try state(stale), store: again, role: .moderator)
        XCTAssertEqual(again.changesAsked, [])
    }

    func testAChangedSetAtCommitIsRefusedWithTheFreshPreview() throws {
        let window = ShiftWindow(day: day)!
        var kept = asking(window)
        (kept.asking, kept.minutes, kept.previewed, kept.serial) = (nil, 60, [5], 4)
        let store = massStore([staffBooking(5, msk(12, 10, 10)), staffBooking(8, msk(12, 10, 15))])
        let result = turn(press(MassChangeFlow.Action.confirmShift(serial: 4)), state: try state(kept), store: store, role: .moderator)
        XCTAssertEqual(store.audited, [.bookingsShifted(window: window, minutes: 60, count: 1, outcome: .refused("changed"))])
        XCTAssertTrue(screen(result).text.contains("changed since the last screen"), screen(result).text)
        XCTAssertEqual(decoded(result)?.previewed, [5, 8])
        XCTAssertEqual(result.effects, [])
        XCTAssertEqual(store.allBookings.map(\.start), [msk(12, 10, 10), msk(12, 10, 15)], "nothing moved")
    }

    func testBadTypedMinutesAreAskedAgainWithoutReadingAnything() throws {
        let window = ShiftWindow(day: day, from: 600, to: 840)!
        for bad in ["", "+7", "-0", "+99999999999999999999", "🙂🙂", String(repeating: "x", count: 5000), "+13:00"] {
            let store = massStore([])
            let result = turn(.text(bad, from: anna), state: try state(asking(window)), store: store, role: .moderator)
            XCTAssertEqual(store.readsAsked, [], String(bad.prefix(10)))
            XCTAssertTrue(screen(result).text.hasPrefix("⚠️"), screen(result).text)
            XCTAssertEqual(decoded(result)?.asking, .minutes)
        }
    }

    func testAPastDayOrAMonthOutOfReachIsAnAlert() {
        let past = turn(press(MassChangeFlow.Action.day(today.dayNumber - 1)), store: massStore([]), role: .moderator)
        XCTAssertEqual(answers(past), [alert(.dayUnavailable)])
        let before = turn(press(MassChangeFlow.Action.month(MonthIndex.of(today) - 1)), store: massStore([]), role: .moderator)
        XCTAssertEqual(answers(before), [alert(.monthBeforeRange)])
    }

    // MARK: Moving a service's bookings

    func testOnlyActiveServicesOfTheSameLengthAreOfferedAndConfirmNeedsThePreview() throws {
        let fields = { (name: String, minutes: Int) in
            ServiceFields(name: name, description: "", durationMinutes: minutes, priceText: "", priceCents: nil)
        }
        let services = [StaffService(id: 7, fields: fields("Haircut", 60), active: true, archived: false, displayOrder: 1),
                        StaffService(id: 8, fields: fields("Trim", 60), active: true, archived: false, displayOrder: 2),
                        StaffService(id: 9, fields: fields("Long", 90), active: true, archived: false, displayOrder: 3),
                        StaffService(id: 10, fields: fields("Old", 60), active: false, archived: false, displayOrder: 4)]
        let store = massStore([staffBooking(5, msk(12, 10, 10)), staffBooking(6, msk(12, 11, 10), client: bob)])
        store.staffServices = services
        let targets = turn(press(MassChangeFlow.Action.source(7)), store: store, role: .moderator)
        let offered = screen(targets).buttons.joined().compactMap(mass).filter { if case .target = $0 { return true } else { return false } }
        XCTAssertEqual(offered, [.target(7, 8)])

        // A forged target of another length is not previewed.
        let forged = turn(press(MassChangeFlow.Action.target(7, 9)), store: store, role: .moderator)
        XCTAssertTrue(screen(forged).text.contains("nothing moved"), screen(forged).text)

        let preview = turn(press(MassChangeFlow.Action.target(7, 8)), store: store, role: .moderator)
        let kept = try XCTUnwrap(decoded(preview))
        XCTAssertEqual(kept.moving, [5, 6])
        // Confirm without that preview in the state asks nothing.
        _ = turn(press(MassChangeFlow.Action.confirmMove(7, 8)), store: store, role: .moderator)
        XCTAssertEqual(store.changesAsked, [])
        let done = turn(press(MassChangeFlow.Action.confirmMove(7, 8)), state: try state(kept), store: store, role: .moderator)
        XCTAssertEqual(store.changesAsked, [.moveServiceBookings(from: 7, to: 8, expected: [5, 6], by: ChangeActor(id: anna.id, role: .moderator))])
        XCTAssertEqual(store.audited, [.serviceBookingsMoved(from: 7, to: 8, count: 2, outcome: .done)])
        XCTAssertEqual(done.effects.count, 2)
        XCTAssertEqual(store.allBookings.map(\.booking.service.id), [8, 8])
    }
}

/// A preview of many bookings with long names still fits one message, its conflicts first
/// and its last words kept.
final class MassChangeTextTests: XCTestCase {
    func testALongPreviewFitsWithItsConflictsAndItsEnding() {
        let clock = BusinessClock(zoneIdentifier: "Europe/Moscow")!
        let day = LocalDate("2026-12-10")!
        let moment = { (minute: Int) in LocalDateTime(clock.instant(of: day, minute: minute)!, clock: clock) }
        var lines = (0..<200).map { index in
            MassLineText(from: moment(540 + index % 500), to: moment(560 + index % 500),
                         client: ClientInfo(id: Int64(index), name: String(repeating: "Имя", count: 21), username: String(repeating: "u", count: 32)),
                         service: String(repeating: "Услуга ", count: 14), conflict: nil)
        }
        lines[150].conflict = ShiftConflict.overlapsBlock.rawValue
        for language in Language.allCases {
            let text = MassChangeText.preview(ShiftScreen(part: ShiftPart(day: day, from: 0, to: 1440, minutes: 30), lines: lines)).text(in: language)
            XCTAssertLessThanOrEqual(text.count, 4096)
            XCTAssertTrue(text.contains("⛔"), "the conflict is listed first")
            XCTAssertTrue(text.hasSuffix(language == .en ? "nothing moves." : "ничего не переносится."), String(text.suffix(80)))
        }
    }
}
