import Booking
@testable import Conversation
import Foundation
import XCTest

/// The text form of a button (`2.<issued>.<flow>.<code>[.<n>…]`, and version 1 still
/// read): every action of every flow fits and comes back as itself; what the bot did not
/// make is never taken for a press, and never for an old one.
final class CallbackEnvelopeTests: ConversationTestCase {
    /// The buttons of every flow the router knows, and its own.
    private let actionTypes: [any FlowAction.Type] = [
        StartFlow.Action.self, BookingFlow.Action.self, MyBookingsFlow.Action.self, CancelFlow.Action.self,
        MoveFlow.Action.self, ReviewFlow.Action.self, StaffMenuFlow.Action.self, AuditExportFlow.Action.self, AuditLogFlow.Action.self,
        // The staff side, one flow a line.
        NotificationsFlow.Action.self,
        DashboardFlow.Action.self,
        SettingsFlow.Action.self,
        ScheduleFlow.Action.self,
        StaffBookingFlow.Action.self,
        ClientsFlow.Action.self,
        ServicesFlow.Action.self,
        ServiceFormFlow.Action.self,
        MassChangeFlow.Action.self,
        AdminsFlow.Action.self,
        BookingsExportFlow.Action.self,
        BlockingFlow.Action.self,
        FieldEditorFlow.Action.self,
        BroadcastFlow.Action.self,
        CoreAction.self,
    ]

    /// Every action of `type`, each number given by `value`; fails for a shape whose
    /// numbers its own decoder refuses, or whose action encodes otherwise.
    private func everyAction<A: FlowAction>(_ type: A.Type, today: Int, value: (ButtonField) -> Int,
                                            file: StaticString = #filePath, line: UInt = #line) -> [A] {
        A.shapes.keys.sorted().compactMap { code in
            let numbers = A.shapes[code]!.map(value)
            let action = A.decode(code: code, numbers: numbers, today: today)
            XCTAssertNotNil(action, "\(A.flow).\(code) \(numbers)", file: file, line: line)
            XCTAssertEqual(action?.encoded, ButtonCode(code, numbers), "\(A.flow).\(code)", file: file, line: line)
            return action
        }
    }

    private enum Verdict: Equatable { case accepted, invalid, stale }

    /// What the router made of a press: taken to its flow, refused as not ours, or out of date.
    private func verdict(_ data: String, file: StaticString = #filePath, line: UInt = #line) -> Verdict {
        let store = store()
        let result = turn(press(data: data), state: ConversationState(flow: "b", messageID: 900), store: store, file: file, line: line)
        XCTAssertEqual(answers(result).count, 1, data, file: file, line: line)
        if result.replies == [.answer(queryID: "q1", text: alert(.invalidButton), alert: false)], store.untouched { return .invalid }
        if answers(result) == [alert(.staleButton)] {
            XCTAssertTrue(store.untouched, data, file: file, line: line)
            return .stale
        }
        return .accepted
    }

    // MARK: Every action

    func testEveryActionOfEveryFlowRoundTripsWithinSixtyFourBytes() throws {
        func check<A: FlowAction>(_ type: A.Type) -> Int {
            let actions = everyAction(type, today: today.dayNumber) { $0.sample(today: self.today.dayNumber) }
            for action in actions {
                let text = CallbackEnvelope.encode(action, issuedAt: now)
                XCTAssertLessThanOrEqual(text.utf8.count, CallbackEnvelope.maxBytes, text)
                XCTAssertTrue(text.hasPrefix("2.\(issued()).\(A.flow.rawValue).\(action.encoded.code)"), text)
                XCTAssertEqual(CallbackEnvelope.decode(text, as: type, now: now), action, text)
                let parsed = try? CallbackEnvelope.parse(text, now: now).get()
                XCTAssertEqual(parsed?.flow, A.flow, text)
                XCTAssertEqual(parsed?.issuedAt.timeIntervalSince1970 ?? 0, now.timeIntervalSince1970, accuracy: 60)
                XCTAssertEqual(verdict(text), .accepted, text)
            }
            return actions.count
        }
        let count = actionTypes.map { check($0) }.reduce(0, +)
        XCTAssertEqual(count, everyButton().count, "every code of every registered flow, and the router's own")
        XCTAssertGreaterThanOrEqual(count, 22, "s: 2, b: 7, l: 1, c: 2, v: 5, r: 2, a: 1, x: 2 at least")
    }

    func testEveryRegisteredFlowsButtonsArePressedHere() {
        let registered = Routes.standard.registered
        XCTAssertEqual(Set(registered.map(\.id)).union([CoreAction.flow]), Set(actionTypes.map { $0.flow }),
                       "a flow added to Routes belongs in actionTypes")
        for type in actionTypes where type.flow != CoreAction.flow {
            XCTAssertEqual(registered.first { $0.id == type.flow }?.shapes, type.shapes, "\(type.flow)")
        }
        let access = Dictionary(uniqueKeysWithValues: registered.map { ($0.id, $0.access) })
        for client: FlowID in ["s", "b", "l", "c", "v", "r"] { XCTAssertEqual(access[client], .anyone, "\(client)") }
        XCTAssertEqual(access["a"], .moderator, "the staff menu")
        XCTAssertEqual(access["e"], .superAdmin, "the audit log export")
        XCTAssertEqual(access["st"], .superAdmin, "the settings")
    }

    func testTheLargestNumbersStillFit() {
        // The last day of the calendar, its largest ids and times, made in its last minute.
        let lastDay = ButtonCalendar.days.upperBound
        let lastMinute = Date(timeIntervalSince1970: Double(lastDay + 1) * 86_400 - 60)
        func check<A: FlowAction>(_ type: A.Type) {
            for action in everyAction(type, today: lastDay, value: { $0.range(today: lastDay).upperBound }) {
                let text = CallbackEnvelope.encode(action, issuedAt: lastMinute)
                XCTAssertLessThanOrEqual(text.utf8.count, CallbackEnvelope.maxBytes, text)
                XCTAssertEqual(CallbackEnvelope.decode(text, as: type, now: lastMinute), action, text)
            }
        }
        for type in actionTypes { check(type) }
    }

    // MARK: Version 1

    func testVersionOneButtonsStillDecodeToTheSameFlowAndAction() {
        // Every code version 1 had, and only those (the staff menu came with version 2).
        XCTAssertEqual(Set(CallbackEnvelope.legacyFlows.keys),
                       ["m", "hw", "bn", "sl", "s", "c", "d", "t", "k", "x", "my", "ca", "cc", "mv", "mc", "md", "mt", "mk", "r", "rs", "n"])
        var checked = 0
        func check<A: FlowAction>(_ type: A.Type) {
            for action in everyAction(type, today: today.dayNumber, value: { $0.sample(today: self.today.dayNumber) }) {
                let code = action.encoded
                // Codes are a flow's own: another flow may use a version-1 code for something else.
                guard CallbackEnvelope.legacyFlows[code.code] == A.flow else { continue }
                let old = (["1", issued(), code.code] + code.numbers.map { String($0, radix: 36) }).joined(separator: ".")
                XCTAssertEqual(CallbackEnvelope.parse(old, now: now).success?.flow, A.flow, old)
                XCTAssertEqual(CallbackEnvelope.decode(old, as: type, now: now), action, old)
                XCTAssertEqual(verdict(old), .accepted, old)
                checked += 1
            }
        }
        for type in actionTypes { check(type) }
        XCTAssertEqual(checked, 21)
        XCTAssertEqual(CallbackEnvelope.decode("1.\(issued()).ca.5", as: CancelFlow.Action.self, now: now), .ask(booking: 5))
        XCTAssertNil(CallbackEnvelope.decode("1.\(issued()).ca.5", as: MoveFlow.Action.self, now: now), "another flow's button")
        XCTAssertEqual(CallbackEnvelope.decode("1.\(issued()).x", as: CoreAction.self, now: now), .close)
    }

    // MARK: Age

    func testAButtonOlderThanTheTTLIsStale() {
        let old = CallbackEnvelope.encode(MyBookingsFlow.Action.list, issuedAt: now.addingTimeInterval(-49 * 3600))
        XCTAssertNotNil(CallbackEnvelope.parse(old, now: now).success, "its age is the router's to judge")
        XCTAssertEqual(verdict(old), .stale)
        XCTAssertEqual(verdict("1.\(issued(now.addingTimeInterval(-49 * 3600))).my"), .stale)
        let fresh = CallbackEnvelope.encode(MyBookingsFlow.Action.list, issuedAt: now.addingTimeInterval(-47 * 3600))
        XCTAssertEqual(verdict(fresh), .accepted)
        // A worker's clock a little behind another's: a button from a few minutes "ahead".
        XCTAssertEqual(verdict(CallbackEnvelope.encode(MyBookingsFlow.Action.list, issuedAt: now.addingTimeInterval(240))), .accepted)
    }

    func testStalenessNeverHidesForgery() {
        let long = now.addingTimeInterval(-100 * 3600)
        for old in [CallbackEnvelope.encode(StartFlow.Action.menu, issuedAt: long) + ".5", "1.\(issued(long)).m.5",
                    "1.\(issued(long)).ca.0", "2.\(issued(long)).zz.k", "2.\(issued(long)).r.r.5.9"] {
            XCTAssertEqual(verdict(old), .invalid, old)
            assertBadPress(old)
        }
    }

    // MARK: Not ours

    func testAnythingNotMadeByTheBotIsMalformed() {
        let valid = CallbackEnvelope.encode(CancelFlow.Action.ask(booking: 42), issuedAt: now)
        // Not even the syntax.
        let garbage = [
            "", "garbage", "1", "1.", "1..ca.16", "2", "2.", "2..c.ca.16", "2.abc.c", valid.uppercased(),
            valid.replacingOccurrences(of: ".c.", with: ".C."), valid.replacingOccurrences(of: ".c.", with: ".book."),
            valid.replacingOccurrences(of: ".ca.", with: ".CA."), valid.replacingOccurrences(of: ".ca.", with: "..ca."),
            "1.abc.zz.16",  // version 1 never had this code
            "1.abc.ca.-16", "1.abc.ca.016", "1.abc.ca.1 6", "1.abc.ca.1_6", "1.abc.ca.zzzzzzzzzzzzz", "2.abc.c.ca.-1",
            String(repeating: "1", count: 65), valid + String(repeating: ".1", count: 30), "1.abc.m.", "2.abc.s.m.", "2.abc.s.",
            "1.abc.c2.1", "2.abc.s.h1", "2.abc.s.m.1.", ".2.abc.s.m", "2.abc.s.m ", " 2.abc.s.m", "2.abc.s.m\n", "2.abc.s.m\u{0}",
            "v2.abc.s.m",
            CallbackEnvelope.encode(StartFlow.Action.menu, issuedAt: now.addingTimeInterval(3600)),  // dated in the future
        ]
        for text in garbage {
            XCTAssertEqual(CallbackEnvelope.parse(text, now: now).failure, .malformed, "'\(text)'")
            assertBadPress(text)
        }
        // Well-formed, yet no button of ours: an unknown flow or code, numbers of the wrong
        // count or out of range.
        let notOurs = [
            valid + ".1", valid.replacingOccurrences(of: ".ca.", with: ".zz."), valid.replacingOccurrences(of: ".c.", with: ".zz."),
            valid.replacingOccurrences(of: ".c.", with: ".b."),  // another flow's code
            "2.abc.x.h", "2.abc.a.m", "2.abc.s.m.5", "2.abc.zzz.m",
            "1.abc.ca.0", "1.abc.r.16.6", "1.abc.r.16.0", "1.abc.s", "1.abc.x.1", "1.abc.n.0", "1.abc.rs",
        ]
        for text in notOurs {
            XCTAssertNotNil(CallbackEnvelope.parse(text, now: now).success, "'\(text)' is well-formed")
            XCTAssertNil(Pressed(text, now: now), "'\(text)'")
            assertBadPress(text)
        }
    }

    func testAnotherVersionIsToldApart() {
        for text in ["3.abc.m", "0.abc.m", "3.abc.s.m", "10.abc.c.ca.5"] {
            XCTAssertEqual(CallbackEnvelope.parse(text, now: now).failure, .unsupportedVersion, text)
            assertBadPress(text)
        }
        XCTAssertEqual(CallbackEnvelope.parse("2.abc.m", now: now).failure, .malformed, "version 2 names its flow")
        XCTAssertNotNil(CallbackEnvelope.parse("1.abc.m", now: now).success)
    }
}
