import Booking
@testable import Conversation
import Foundation
import Texts
import XCTest

/// Anyone can send any callback data (review F1): a number that reaches calendar
/// arithmetic out of range used to trap and kill the worker. Every such press must end
/// as a bad press: answered "this button no longer works", nothing read, nothing changed.
final class ForgedButtonTests: XCTestCase {
    private let clock = BusinessClock(timeZone: TimeZone(identifier: "Europe/Moscow")!)
    /// Thursday 3 December 2026, 10:00 in Moscow.
    private let now = Date(timeIntervalSince1970: 1_796_281_200)
    private let anna = Person(id: 42, firstName: "Anna", languageCode: "en")
    private var dialogue: Dialogue {
        Dialogue(settings: DialogueSettings(languageSetting: "auto", serviceLocation: "", callbackTTL: 48 * 3600, clock: clock))
    }
    private var facts: Facts {
        let rules = BookingRules(clock: clock, schedule: .everyDay(DayHours(openHour: 9, closeHour: 18)!), slotStepMinutes: 60,
                                 horizonMonths: 3, minNoticeMinutes: 60, maxActiveBookingsPerClient: 3, cancellationCutoffHours: 24,
                                 rescheduleCutoffHours: 24, reminderOffsetsMinutes: [1440, 120], feedbackHoursAfter: 2)
        let haircut = BookableService(id: 1, name: "Haircut", durationMinutes: 60, price: "")
        return Facts(rules: rules, services: [haircut], service: haircut,
                     booking: ClientBooking(id: 1, service: haircut, start: now.addingTimeInterval(3 * 86_400), durationMinutes: 60))
    }
    /// The minute `now` as buttons write it (base 36 since 2024-01-01 UTC).
    private var issued: String { String(Int(now.timeIntervalSince1970 - 1_704_067_200) / 60, radix: 36) }

    /// 36^12 − 1, the largest 12-digit number, and Int64.max.
    private let extremes = ["zzzzzzzzzzzz", "1y2p0ij32e8e7", "zzzzzzzzzzz", "1000000000000"]

    private func assertBadPress(_ data: String, file: StaticString = #filePath, line: UInt = #line) {
        let press = Incoming.button(queryID: "q7", data: data, messageID: 900, from: anna)
        let state = ConversationState(screen: .moving, flowMessageID: 900)
        XCTAssertEqual(dialogue.plan(for: press, state: state, now: now), Plan(), "'\(data)' must read nothing", file: file, line: line)
        let turn = dialogue.respond(to: press, state: state, facts: facts, now: now)
        XCTAssertEqual(turn, Turn(state: state, replies: [.answer(queryID: "q7", text: Texts.alert(.invalidButton, in: .en), alert: false)]),
                       "'\(data)' must only be answered", file: file, line: line)
    }

    func testEveryCalendarNumberAtTheExtremesIsABadPress() {
        for code in ["c", "mc", "d", "md", "t", "k", "mt", "mk"] {
            for value in extremes {
                assertBadPress("1.\(issued).\(code).1.\(value)")
            }
        }
    }

    func testNumbersJustPastTheButtonCalendarAreRefusedByTheDecoder() {
        let pastTheEnd: [(code: String, value: Int)] = [
            ("c", ButtonCalendar.months.upperBound + 1), ("mc", ButtonCalendar.months.lowerBound - 1), ("c", 0),
            ("d", ButtonCalendar.days.upperBound + 1), ("md", ButtonCalendar.days.upperBound + 1),
            ("t", ButtonCalendar.minutes.upperBound + 1), ("k", ButtonCalendar.minutes.upperBound + 1),
            ("mt", ButtonCalendar.minutes.upperBound + 1), ("mk", ButtonCalendar.minutes.upperBound + 1),
        ]
        for (code, value) in pastTheEnd {
            let data = "1.\(issued).\(code).1.\(String(value, radix: 36))"
            XCTAssertEqual(CallbackData.decode(data, now: now, ttl: 3600).failure, .malformed, data)
            assertBadPress(data)
        }
    }

    func testTheButtonCalendarsEndsDecodeButAreStillImplausible() {
        // Well-formed, inside 1970...9999, yet no screen of today offers them.
        let edges: [(code: String, value: Int)] = [
            ("c", ButtonCalendar.months.upperBound), ("mc", ButtonCalendar.months.lowerBound),
            ("d", ButtonCalendar.days.upperBound), ("md", 0),
            ("t", ButtonCalendar.minutes.upperBound), ("mk", 0),
        ]
        for (code, value) in edges {
            let data = "1.\(issued).\(code).1.\(String(value, radix: 36))"
            XCTAssertNotNil(try? CallbackData.decode(data, now: now, ttl: 3600).get(), data)
            assertBadPress(data)
        }
        XCTAssertEqual(MonthIndex.firstDay(ButtonCalendar.months.upperBound), LocalDate(year: 9999, month: 12, day: 1))
        XCTAssertEqual(MonthIndex.firstDay(ButtonCalendar.months.lowerBound), LocalDate(year: 1970, month: 1, day: 1))
    }

    func testIdsRunToInt64MaxAndNoFurther() throws {
        let largest = try CallbackData.decode("1.\(issued).ca.1y2p0ij32e8e7", now: now, ttl: 3600).get()
        XCTAssertEqual(largest.action, .askCancel(booking: Int64.max))
        XCTAssertEqual(CallbackData.decode(CallbackData.encode(.move(booking: .max), issuedAt: now), now: now, ttl: 3600).success?.action,
                       .move(booking: .max))
        for data in ["1.\(issued).ca.1y2p0ij32e8e8", "1.\(issued).s.zzzzzzzzzzzzz", "1.\(issued).c.0.\(String(MonthIndex.of(clock.localDate(of: now)), radix: 36))"] {
            XCTAssertEqual(CallbackData.decode(data, now: now, ttl: 3600).failure, .malformed, data)
        }
        // A huge id that is well-formed is the store's question (no such booking), not a bad press.
        let press = Incoming.button(queryID: "q", data: "1.\(issued).ca.zzzzzzzzzzzz", messageID: 900, from: anna)
        XCTAssertEqual(dialogue.plan(for: press, now: now).needs.booking, 4_738_381_338_321_616_895)
    }

    func testIssuedMinuteAndStarsAtTheExtremesAreMalformed() {
        for data in ["1.zzzzzzzzzzzz.m", "1.1y2p0ij32e8e7.my", "1.\(issued).r.1.zzzzzzzzzzzz", "1.\(issued).r.1.6"] {
            XCTAssertEqual(CallbackData.decode(data, now: now, ttl: 3600).failure, .malformed, data)
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
        let notices = Notices(settings: dialogue.settings)
        for seconds in [1e300, -1e300, Double(Int.max) * 60, now.timeIntervalSince1970 + 7_200] {
            let visit = ClientBooking(id: 1, service: facts.service!, start: Date(timeIntervalSince1970: seconds), durationMinutes: 60)
            let reminder = notices.reminder(for: visit, languageCode: "ru", rules: facts.rules, address: "", now: now)
            guard case .message(let text, _, _) = reminder else { return XCTFail("\(reminder)") }
            XCTAssertFalse(text.isEmpty)
        }
        let soon = ClientBooking(id: 1, service: facts.service!, start: now.addingTimeInterval(2 * 3600 - 20), durationMinutes: 60)
        guard case .message(let text, _, _) = notices.reminder(for: soon, languageCode: "en", rules: facts.rules, address: "", now: now) else {
            return XCTFail("a reminder is a message")
        }
        XCTAssertTrue(text.contains("in 2 hours"), "a lead a few seconds short still reads as whole: \(text)")
    }

    // MARK: Review comments (review F14)

    func testACommentIsCutToTheTablesLimitInCodePointsKeepingWholeCharacters() {
        let state = ConversationState(screen: .reviewComment, flowMessageID: 900, reviewBooking: 5)
        func stored(_ text: String) -> String? {
            guard case .comment(5, let comment)? = dialogue.plan(for: .text(text, from: anna), state: state, now: now).intent else { return nil }
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
    }
}

private extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }

    var success: Success? { try? get() }
}
