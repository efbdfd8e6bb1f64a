import Booking
@testable import Conversation
import Foundation
import Texts
import XCTest

/// Anyone can send any callback data (review F1): a number that reaches calendar
/// arithmetic out of range used to trap and kill the worker. Every such press must end
/// as a bad press: answered "this button no longer works", nothing read, nothing changed.
final class ForgedButtonTests: ConversationTestCase {
    /// 36^12 − 1, the largest 12-digit number, Int64.max, and two more of 11 and 13 digits.
    private let extremes = ["zzzzzzzzzzzz", "1y2p0ij32e8e7", "zzzzzzzzzzz", "1000000000000"]
    /// The calendar codes and the flows that own them.
    private let calendarCodes: [(flow: String, code: String)] = [
        ("b", "c"), ("v", "mc"), ("b", "d"), ("v", "md"), ("b", "t"), ("b", "k"), ("v", "mt"), ("v", "mk"),
    ]

    /// The buttons of both versions for a code and its numbers.
    private func forms(flow: String, code: String, _ numbers: [Int]) -> [String] {
        let tail = ([code] + numbers.map { String($0, radix: 36) }).joined(separator: ".")
        return ["1.\(issued()).\(tail)", "2.\(issued()).\(flow).\(tail)"]
    }

    private func accepts(_ flow: FlowID, _ code: String, _ numbers: [Int]) -> Bool {
        Routes.standard.flows[flow]?.accepts(ButtonCode(code, numbers), today.dayNumber) ?? false
    }

    func testEveryCalendarNumberAtTheExtremesIsABadPress() {
        for (flow, code) in calendarCodes {
            for value in extremes {
                assertBadPress("1.\(issued()).\(code).1.\(value)")
                assertBadPress("2.\(issued()).\(flow).\(code).1.\(value)")
            }
        }
    }

    func testNumbersJustPastThePlausibleRangeAreRefusedByTheDecoder() {
        var checked = 0
        for flow in Routes.standard.registered {
            for (code, fields) in flow.shapes {
                for (position, field) in fields.enumerated() where [.month, .day, .start].contains(field) {
                    let range = field.range(today: today.dayNumber)
                    for (value, plausible) in [(range.lowerBound - 1, false), (range.upperBound + 1, false),
                                               (range.lowerBound, true), (range.upperBound, true)] {
                        var numbers = fields.map { $0.sample(today: today.dayNumber) }
                        numbers[position] = value
                        XCTAssertEqual(accepts(flow.id, code, numbers), plausible, "\(flow.id).\(code) \(numbers)")
                        for data in forms(flow: flow.id.rawValue, code: code, numbers) {
                            if plausible {
                                // The flow's to answer (an alert, a refusal): once, whatever it is.
                                let result = turn(press(data: data))
                                XCTAssertEqual(answers(result).count, 1, data)
                            } else {
                                assertBadPress(data)
                            }
                        }
                        checked += 1
                    }
                }
            }
        }
        XCTAssertEqual(checked, 23 * 4, "every calendar number of booking, moving, the schedule, the staff's move, the mass shift, the bookings export and blocking")
        // About three years either way, whatever the field.
        XCTAssertEqual(ButtonField.day.range(today: today.dayNumber), (today.dayNumber - 1098)...(today.dayNumber + 1098))
        XCTAssertEqual(MonthIndex.firstDay(ButtonField.month.range(today: today.dayNumber).upperBound), LocalDate(year: 2029, month: 12, day: 1))
        XCTAssertEqual(MonthIndex.firstDay(ButtonField.month.range(today: today.dayNumber).lowerBound), LocalDate(year: 2023, month: 12, day: 1))
    }

    func testTheButtonCalendarsEndsAreWellFormedButImplausible() {
        // Well-formed, inside 1970...9999, yet no screen of today offers them.
        let latestMonth = MonthIndex.of(LocalDate.latest)
        let edges: [(flow: String, code: String, value: Int)] = [
            ("b", "c", latestMonth), ("v", "mc", MonthIndex.of(LocalDate(dayNumber: 0))),
            ("b", "d", ButtonCalendar.days.upperBound), ("v", "md", 0),
            ("b", "t", (ButtonCalendar.days.upperBound + 1) * 1440 - 1), ("v", "mk", 0),
        ]
        for (flow, code, value) in edges {
            for data in forms(flow: flow, code: code, [1, value]) {
                XCTAssertNotNil(CallbackEnvelope.parse(data, now: now).success, data)
                assertBadPress(data)
            }
        }
        XCTAssertEqual(MonthIndex.firstDay(latestMonth), LocalDate(year: 9999, month: 12, day: 1))
        XCTAssertEqual(MonthIndex.firstDay(MonthIndex.of(LocalDate(dayNumber: 0))), LocalDate(year: 1970, month: 1, day: 1))
        XCTAssertNil(MonthIndex.firstDay(-1))
    }

    func testIdsRunToInt64MaxAndNoFurther() throws {
        XCTAssertEqual(CallbackEnvelope.decode("1.\(issued()).ca.1y2p0ij32e8e7", as: CancelFlow.Action.self, now: now), .ask(booking: Int64.max))
        XCTAssertEqual(CallbackEnvelope.decode("2.\(issued()).c.ca.1y2p0ij32e8e7", as: CancelFlow.Action.self, now: now), .ask(booking: Int64.max))
        XCTAssertEqual(CallbackEnvelope.decode(CallbackEnvelope.encode(MoveFlow.Action.start(booking: .max), issuedAt: now),
                                               as: MoveFlow.Action.self, now: now),
                       .start(booking: .max))
        // Past Int64 (and Int): not a number at all.
        for data in ["1.\(issued()).ca.1y2p0ij32e8e8", "1.\(issued()).s.zzzzzzzzzzzzz", "2.\(issued()).c.ca.1y2p0ij32e8e8"] {
            XCTAssertEqual(CallbackEnvelope.parse(data, now: now).failure, .malformed, data)
            assertBadPress(data)
        }
        // Id 0 is a number, but no row's id.
        for data in forms(flow: "b", code: "c", [0, MonthIndex.of(today)]) {
            XCTAssertNil(CallbackEnvelope.decode(data, as: BookingFlow.Action.self, now: now), data)
            assertBadPress(data)
        }
        // A huge id that is well-formed is the store's question (no such booking), not a bad press.
        let store = store()
        let result = turn(press(data: "1.\(issued()).ca.zzzzzzzzzzzz"), store: store)
        XCTAssertEqual(store.readsAsked, [.confirmedBooking(4_738_381_338_321_616_895, of: 42)])
        XCTAssertEqual(answers(result), [alert(.bookingNotFound)])
    }

    func testIssuedMinuteAndStarsAtTheExtremesAreMalformed() {
        for data in ["1.zzzzzzzzzzzz.m", "1.1y2p0ij32e8e7.my", "2.zzzzzzzzzzzz.s.m", "2.1y2p0ij32e8e7.l.my"] {
            XCTAssertEqual(CallbackEnvelope.parse(data, now: now).failure, .malformed, data)
            assertBadPress(data)
        }
        for data in ["1.\(issued()).r.1.zzzzzzzzzzzz", "1.\(issued()).r.1.6", "1.\(issued()).r.1.0", "2.\(issued()).r.r.1.6"] {
            XCTAssertNil(CallbackEnvelope.decode(data, as: ReviewFlow.Action.self, now: now), data)
            assertBadPress(data)
        }
    }

    func testStampsOfAnyInstantNeverTrap() {
        for seconds in [Double.nan, .infinity, -.infinity, 1e300, -1e300, Double(Int.max) * 60] {
            _ = MinuteStamp.of(Date(timeIntervalSince1970: seconds))
        }
        XCTAssertEqual(MinuteStamp.of(Date(timeIntervalSince1970: .infinity)), Int.max)
        XCTAssertEqual(MinuteStamp.of(Date(timeIntervalSince1970: -1e300)), Int.min)
        XCTAssertEqual(MinuteStamp.of(Date(timeIntervalSince1970: 119.9)), 1)
        XCTAssertEqual(MinuteStamp.of(Date(timeIntervalSince1970: -0.5)), -1, "floored, as the grid is")
    }

    func testAReminderForAVisitAtAnyDistanceRenders() {
        let notices = Notices(settings: settings)
        for seconds in [1e300, -1e300, Double(Int.max) * 60, now.timeIntervalSince1970 + 7_200] {
            let visit = ClientBooking(id: 1, service: haircut, start: Date(timeIntervalSince1970: seconds), durationMinutes: 60)
            let reminder = notices.reminder(for: visit, languageCode: "ru", rules: rules, address: "", now: now)
            guard case .message(let text, _, _) = reminder else { return XCTFail("\(reminder)") }
            XCTAssertFalse(text.isEmpty)
        }
        let soon = ClientBooking(id: 1, service: haircut, start: now.addingTimeInterval(2 * 3600 - 20), durationMinutes: 60)
        guard case .message(let text, _, _) = notices.reminder(for: soon, languageCode: "en", rules: rules, address: "", now: now) else {
            return XCTFail("a reminder is a message")
        }
        XCTAssertTrue(text.contains("in 2 hours"), "a lead a few seconds short still reads as whole: \(text)")
        // A day and more ahead the visit can still be cancelled: its button opens the question.
        let later = ClientBooking(id: 3, service: haircut, start: now.addingTimeInterval(3 * 86_400), durationMinutes: 60)
        guard case .message(_, _, let buttons?) = notices.reminder(for: later, languageCode: "en", rules: rules, address: "", now: now) else {
            return XCTFail("a reminder before the cut-off has a Cancel button")
        }
        XCTAssertEqual(buttons.joined().compactMap(action), [.cancel(.ask(booking: 3))])
    }

    // MARK: Review comments (review F14)

    func testACommentIsCutToTheTablesLimitInCodePointsKeepingWholeCharacters() {
        func stored(_ text: String) -> String? {
            let plan = ReviewFlow().plan(.typed(text), state: ReviewFlow.State(booking: 5), in: context())
            guard case .comment(5, let comment)? = plan.change else { return nil }
            return comment
        }
        // 1 025 thumbs with a skin tone: 1 025 characters, 2 050 code points (char_length).
        let thumbs = String(repeating: "👍🏽", count: 1025)
        let cut = stored(thumbs)
        XCTAssertEqual(cut?.unicodeScalars.count, 2000)
        XCTAssertEqual(cut, String(repeating: "👍🏽", count: 1000), "no thumb loses its skin tone")

        // One scalar over the limit in a mix: the last whole character that fits ends it.
        let mixed = String(repeating: "a", count: 1999) + "👍🏽" + "b"
        XCTAssertEqual(stored(mixed), String(repeating: "a", count: 1999))

        XCTAssertEqual(stored("Great, thanks!"), "Great, thanks!")
        XCTAssertEqual(stored(String(repeating: "ж", count: 2000)), String(repeating: "ж", count: 2000))

        // A single character longer than the limit (a letter under 3 000 combining marks)
        // is cut inside rather than dropped.
        let zalgo = "a" + String(repeating: "\u{0301}", count: 3000)
        XCTAssertEqual(zalgo.count, 1)
        XCTAssertEqual(stored(zalgo)?.unicodeScalars.count, 2000)

        // PostgreSQL text cannot hold NUL: it is dropped, not left to fail every attempt.
        XCTAssertEqual(stored("fine\u{0}work"), "finework")

        // And so it reaches the store, through the router.
        let store = store()
        _ = turn(.text(thumbs, from: anna), state: ConversationState(flow: "r", messageID: 900, draft: #"{"booking":5}"#), store: store)
        XCTAssertEqual(store.changesAsked, [.comment(booking: 5, by: 42, text: String(repeating: "👍🏽", count: 1000))])
    }
}
