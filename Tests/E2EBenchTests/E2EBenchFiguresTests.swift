import Conversation
@testable import E2EBench
import Foundation
import LoadSupport
import XCTest

/// The bench's pure parts: its percentiles, /proc/<pid>/stat, the owner's notices, the
/// screens a simulated person reads, and the table's shape.
final class E2EBenchFiguresTests: XCTestCase {
    func testPercentilesAreByNearestRank() {
        let values = (1...10).map(Double.init)
        XCTAssertEqual(percentile(values, 0.5), 5)
        XCTAssertEqual(percentile(values, 0.9), 9)
        XCTAssertEqual(percentile(values, 0.99), 10)
        XCTAssertEqual(percentile(values, 0), 1)
        XCTAssertTrue(percentile([], 0.5).isNaN)
    }

    func testAStatLineIsReadAfterTheLastParenthesisOfTheName() throws {
        // A backend's name holds spaces and parentheses; utime 120, stime 30, cutime 7, cstime 3.
        let line = "1234 (postgres: bookingbot (x) idle) S 1000 1234 1234 0 -1 4194560 500 0 0 0 120 30 7 3 20 0 1 0 8765 123456 789"
        let stat = try XCTUnwrap(ProcStat.parse(line))
        XCTAssertEqual(stat, ProcStat(pid: 1234, parent: 1000, ownTicks: 150, reapedChildTicks: 10))
        XCTAssertEqual(stat.ticks, 160)
        XCTAssertNil(ProcStat.parse("1234 (short) S 1000 1"), "too few fields")
        XCTAssertNil(ProcStat.parse("1234 (neg) S 1000 1234 1234 0 -1 4194560 500 0 0 0 -120 30 7 3 20"), "negative time")
        XCTAssertNil(ProcStat.parse("no stat here"))
        XCTAssertNotNil(ProcStat.read(getpid()), "this process's own line parses")
    }

    func testCPUPerUpdateIsTheDeltaOverTheUpdates() throws {
        let hz = CPUGroups.ticksPerSecond
        let result = CPUGroups.millisecondsPerUpdate(from: ["a": 100, "b": nil, "c": 50], to: ["a": 100 + Int(hz), "b": 10, "c": 40],
                                                     updates: 500)
        XCTAssertEqual(try XCTUnwrap(result["a"] ?? nil), 2, accuracy: 1e-9, "one second of CPU over 500 updates")
        XCTAssertNil(result["b"] ?? nil, "unknown at the start")
        XCTAssertNil(result["c"] ?? nil, "a total that went down is not a measurement")
    }

    func testNoticesAreReadOnePerMessageOrCoalesced() {
        let single = "🆕 New booking\n\n👤 Client 00042\n🔹 Haircut\n📅 Tuesday, 8 December, 14:30\n⏱ 30 min"
        XCTAssertEqual(NoticeCoverage.mentions(in: single).map { "\($0.client)@\($0.time)" }, ["Client 00042@14:30"])
        let coalesced = "🆕 3 new bookings:\n• Client 00001 — Tue 8 Dec 9:30\n• Client 00002, 8.12 10:00 (30 min)\n• Client 00003: no time"
        XCTAssertEqual(NoticeCoverage.mentions(in: coalesced).map { "\($0.client)@\($0.time)" },
                       ["Client 00001@09:30", "Client 00002@10:00"])
        XCTAssertEqual(NoticeCoverage.name(of: 42), "Client 00042")
        XCTAssertEqual(BookingLoad.time(of: 1_000_000), "10:40")
    }

    func testEachBookingIsMatchedToItsOwnNoticeInOrder() {
        let a = NoticeCoverage.name(of: 1), b = NoticeCoverage.name(of: 2), c = NoticeCoverage.name(of: 3)
        let events = [
            BookingEvent(kind: .booked, client: a, time: "10:00", at: 0),
            BookingEvent(kind: .booked, client: b, time: "11:00", at: 1),
            BookingEvent(kind: .cancelled, client: a, time: "10:00", at: 5),
            // The same client books the same time again: told by the third mention.
            BookingEvent(kind: .booked, client: a, time: "10:00", at: 20),
            BookingEvent(kind: .booked, client: c, time: "12:00", at: 30),
        ]
        let messages = [
            NoticeMessage(seenAt: 1, text: "New booking \(a) 10:00"),
            NoticeMessage(seenAt: 6, text: "Cancelled \(a) 10:00"),
            NoticeMessage(seenAt: 200, text: "2 new bookings: \(b) 11:00; \(a) 10:00"),
        ]
        let result = NoticeCoverage.check(events: events, messages: messages, within: 120)
        XCTAssertEqual(result, NoticeCoverage.Result(bookings: 4, coveredInTime: 1, covered: 3))
        XCTAssertEqual(NoticeCoverage.check(events: events, messages: messages, within: 300).coveredInTime, 3)
    }

    func testScreensAreReadFromTheBotsOwnCallbackData() {
        let now = Date()
        let today = Int(now.timeIntervalSince1970 / 86_400)
        func data(_ action: some FlowAction) -> String { CallbackEnvelope.encode(action, issuedAt: now) }
        func screen(_ buttons: [(String, String)]) -> Screen { Screen(messageID: 7, text: "", buttons: buttons, now: now) }
        let close = ("✖️ Cancel", data(CoreAction.close))
        let index = ButtonField.month.sample(today: today)
        let start = ButtonField.start.sample(today: today)
        let month = BookingFlow.Action.month(service: 1, month: index)

        let calendar = screen([("◀", data(month)), ("🟢 9", data(BookingFlow.Action.day(service: 1, day: today + 3))),
                               ("🔴 10", data(BookingFlow.Action.day(service: 1, day: today + 4))), ("·", data(CoreAction.noop)), close])
        XCTAssertEqual(calendar.buttons.map(\.button), [.month(index: index), .day(number: today + 3, open: true),
                                                         .day(number: today + 4, open: false), .other, .other])
        XCTAssertEqual(Step.of(calendar), .calendar)
        XCTAssertEqual(Step.of(screen([("Haircut", data(BookingFlow.Action.pickService(service: 1))), close])), .services)
        XCTAssertEqual(Step.of(screen([("10:00", data(BookingFlow.Action.slot(service: 1, start: start))), ("⬅️", data(month)), close])),
                       .slots)
        XCTAssertEqual(Step.of(screen([("Confirm", data(BookingFlow.Action.confirm(service: 1, start: start))), close])), .confirmation)
        let my = ("My bookings", data(MyBookingsFlow.Action.list))
        XCTAssertEqual(Step.of(screen([my])), .booked)
        XCTAssertNil(Step.of(screen([my, close])), "the limit reached: not booked")
        XCTAssertEqual(Step.of(screen([("Cancel 10:00", data(CancelFlow.Action.ask(booking: 5))), ("Move", data(MoveFlow.Action.start(booking: 5)))])),
                       .bookings)
        XCTAssertEqual(Step.of(screen([("Yes", data(CancelFlow.Action.confirm(booking: 5))), my])), .question)
        XCTAssertEqual(Step.of(screen([])), .cancelled)

        // Moving walks the same steps; a review request's stars are read for what they rate.
        XCTAssertEqual(screen([("Move", data(MoveFlow.Action.start(booking: 5)))]).buttons.map(\.button), [.move(booking: 5)])
        let moveCalendar = screen([("🟡 9", data(MoveFlow.Action.day(booking: 5, day: today + 3))), ("▶", data(MoveFlow.Action.month(booking: 5, month: index)))])
        XCTAssertEqual(moveCalendar.buttons.map(\.button), [.day(number: today + 3, open: true), .month(index: index)])
        XCTAssertEqual(Step.of(moveCalendar), .calendar)
        XCTAssertEqual(Step.of(screen([("10:00", data(MoveFlow.Action.slot(booking: 5, start: start)))])), .slots)
        XCTAssertEqual(Step.of(screen([("Yes", data(MoveFlow.Action.confirm(booking: 5, start: start)))])), .confirmation)
        XCTAssertEqual(screen([("⭐", data(ReviewFlow.Action.rate(booking: 9, stars: 4)))]).buttons.map(\.button), [.rate(booking: 9, stars: 4)])
    }

    func testEveryRowHasACellForEachColumn() throws {
        let options = try Options.parse(["--bin", "/bin/true", "--flow", "booking", "--pace", "seed", "--latency-ms", "40"])
        var outcome = LoadOutcome()
        outcome.latencies = [0.01, 0.02]
        outcome.seconds = 1
        outcome.events = [BookingEvent(kind: .booked, client: NoticeCoverage.name(of: 1), time: "10:00", at: 0)]
        let report = Report(options: options, outcome: outcome, alone: [], presses: nil, floodRefusals: 0, noticeMessages: 1,
                            coverage: NoticeCoverage.Result(bookings: 1, coveredInTime: 1, covered: 1), cpu: [:],
                            workerMemory: [(10_240, 9_216)], ingressMemory: nil, logLines: 0)
        let cells = report.row.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
        XCTAssertEqual(cells.count, Report.columns.count, report.row)
        XCTAssertTrue(report.row.contains("| 40 ms |"), report.row)
        XCTAssertEqual(report.line.split(separator: "\t", omittingEmptySubsequences: false).count, 4)
        XCTAssertThrowsError(try Options.parse(["--bin", "x", "--latency-ms", "10", "--jitter-ms", "20"]), "jitter beyond the round trip")
        XCTAssertThrowsError(try Options.parse(["--bin", "x", "--latency-ms", "-1"]))
    }
}
