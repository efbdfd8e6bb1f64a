import DevSupport
import Foundation
import XCTest
@testable import Booking

/// SlotFinder and the commit-time refusal against an independent brute-force reference,
/// over thousands of random cases from a seeded generator.
///
/// Reproduce a failure with the seed printed in its message:
///   BOOKING_PROPERTY_SEED=0x...      the whole run (BOOKING_PROPERTY_CASES=n for its length)
///   BOOKING_PROPERTY_CASE_SEED=0x... one case alone
final class SlotPropertyTests: XCTestCase {
    static let defaultSeed: UInt64 = 0xB00C_1A7E_2026_1125
    static let defaultCases = 3_000

    func testSlotFinderAndRefusalsMatchABruteForceReference() throws {
        let environment = ProcessInfo.processInfo.environment
        let seed = environment["BOOKING_PROPERTY_SEED"].flatMap(Self.parseSeed) ?? Self.defaultSeed
        let caseCount = environment["BOOKING_PROPERTY_CASES"].flatMap { Int($0) } ?? Self.defaultCases

        var caseSeeds: [UInt64]
        if let single = environment["BOOKING_PROPERTY_CASE_SEED"].flatMap(Self.parseSeed) {
            caseSeeds = [single]
        } else {
            var master = SplitMix64(seed: seed)
            caseSeeds = (0..<caseCount).map { _ in master.next() }
        }

        var stats = Coverage()
        var failures = 0
        for (index, caseSeed) in caseSeeds.enumerated() {
            var random = SplitMix64(seed: caseSeed)
            let input = PropertyCase.random(using: &random)
            let problems = Self.check(input, random: &random, stats: &stats)
            if !problems.isEmpty {
                failures += 1
                XCTFail("""
                    property case #\(index) failed (run seed \(Self.hex(seed)), case seed \(Self.hex(caseSeed)); \
                    rerun alone with BOOKING_PROPERTY_CASE_SEED=\(Self.hex(caseSeed)))
                    \(input)
                    \(problems.prefix(8).joined(separator: "\n"))\(problems.count > 8 ? "\n… \(problems.count - 8) more" : "")
                    """)
                if failures >= 3 { break }
            }
        }
        if failures == 0 && caseSeeds.count == caseCount && caseCount >= 1_000 {
            // The generator must reach every interesting corner, or the comparison proves little.
            stats.assertCovered(cases: caseCount)
        }
        print("SlotPropertyTests: \(caseSeeds.count) cases, seed \(Self.hex(seed)), \(stats.summary)")
    }

    // MARK: The comparison

    private static func check(_ c: PropertyCase, random: inout SplitMix64, stats: inout Coverage) -> [String] {
        var problems: [String] = []
        let rules = c.rules
        let finder = SlotFinder(rules: rules)
        let reference = Reference(c)

        // 1. The offered starts.
        let free = finder.freeStarts(on: c.date, durationMinutes: c.duration, occupancy: c.occupancy, now: c.now)
        if free != reference.free {
            problems.append("freeStarts: got \(c.show(free))\n  reference \(c.show(reference.free))\n  (grid candidates \(c.show(reference.candidates)), horizon end \(reference.horizonEnd))")
        }

        // 2. The colour of the day.
        let status = finder.dayStatus(on: c.date, durationMinutes: c.duration, occupancy: c.occupancy, now: c.now)
        if status != reference.status {
            problems.append("dayStatus: got \(status), reference \(reference.status)")
        }

        // 3. The commit-time check agrees with the screens: every grid candidate and a sample
        //    of other instants of the day, for a client and for staff.
        var probes: [Probe] = reference.candidates.map { Probe(instant: $0, exactGridStart: true) }
        let others = reference.walk.filter { !reference.candidateSet.contains($0.instant) }
        // Every aligned repeat (second pass of a fall-back hour) plus a random sample of the rest.
        probes += others.filter { !$0.first && reference.isOnGrid($0.minute) }.map { Probe(instant: $0.instant, exactGridStart: false) }
        for _ in 0..<min(12, others.count) {
            probes.append(Probe(instant: others[random.int(0...(others.count - 1))].instant, exactGridStart: false))
        }
        for candidate in reference.candidates.prefix(3) {
            probes.append(Probe(instant: candidate.addingTimeInterval(30), exactGridStart: false))
            probes.append(Probe(instant: candidate.addingTimeInterval(0.5), exactGridStart: false))
        }

        let freeSet = Set(reference.free)
        for probe in probes {
            let request = SlotRequest(start: probe.instant, durationMinutes: c.duration, serviceActive: true)
            for actor in [BookingActor.client, .admin] {
                let got = rules.refusal(for: .book(request, activeBookings: 0), by: actor, now: c.now, occupancy: c.occupancy)
                let expected = reference.expectedRefusal(probe, actor: actor)
                if actor == .client {
                    stats.record(expected)
                    if (got == nil) != freeSet.contains(probe.instant) {
                        problems.append("refusal for \(c.show(probe.instant)) by client is \(got.map { "\($0)" } ?? "nil") but the start is \(freeSet.contains(probe.instant) ? "" : "not ")offered")
                    }
                }
                if got != expected {
                    problems.append("refusal for \(c.show(probe.instant)) by \(actor): got \(got.map { "\($0)" } ?? "nil"), reference \(expected.map { "\($0)" } ?? "nil")")
                }
            }
        }
        stats.record(c, reference: reference)
        return problems
    }

    struct Probe {
        var instant: Date
        /// A first occurrence of an on-grid wall-clock minute, at its exact instant.
        var exactGridStart: Bool
    }

    // MARK: Helpers

    static func parseSeed(_ text: String) -> UInt64? {
        text.lowercased().hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
    }

    static func hex(_ value: UInt64) -> String { "0x" + String(value, radix: 16, uppercase: true) }
}

// MARK: - Random generation

// The generator: DevSupport.SplitMix64 (shared with the bench).

struct PropertyCase: CustomStringConvertible {
    static let zones = ["Europe/Moscow", "Europe/Berlin", "America/New_York", "UTC"]
    static let switchDates: [String: [LocalDate]] = [
        "Europe/Berlin": [day(2026, 3, 29), day(2026, 10, 25)],
        "America/New_York": [day(2026, 3, 8), day(2026, 11, 1)],
    ]
    static let allSwitchDates = [day(2026, 3, 29), day(2026, 10, 25), day(2026, 3, 8), day(2026, 11, 1)]

    var zone: TimeZone
    var schedule: WorkSchedule
    var step: Int
    var duration: Int
    var notice: Int
    var horizonMonths: Int
    var date: LocalDate
    var now: Date
    var bookings: [TimeRange]
    var blocks: [TimeRange]

    var occupancy: Occupancy { Occupancy(bookings: bookings, blocks: blocks) }

    var rules: BookingRules {
        makeRules(zone: zone, schedule: schedule, step: step, horizonMonths: horizonMonths, notice: notice)
    }

    static func random(using random: inout SplitMix64) -> PropertyCase {
        let zoneName = random.pick(zones)
        let zone = TimeZone(identifier: zoneName)!

        var hours: [Weekday: DayHours] = [:]
        for weekday in Weekday.allCases {
            switch random.int(0...11) {
            case 0, 1:
                continue   // day off
            case 2:
                hours[weekday] = DayHours(open: 0, close: 1440)!
            case 3, 4, 5:
                // Business-like: opening 6:00–12:00, closing 13:00–22:00, whole or half hours.
                hours[weekday] = DayHours(open: random.int(12...24) * 30, close: random.int(26...44) * 30)!
            default:
                // Anywhere on the half-hour grid, night hours included.
                let open = random.int(0...47)
                hours[weekday] = DayHours(open: open * 30, close: random.int((open + 1)...48) * 30)!
            }
        }

        var step = random.pick([15, 20, 30, 45, 60, 90])
        var duration = random.int(1...32) * 15
        let notice = random.pick([0, 15, 30, 60, 60, 120, 1440])
        let horizonMonths = random.pick([0, 1, 2, 3, 3, 3, 4])

        let date: LocalDate
        switch random.int(0...9) {
        case 0...3:
            // A switch date, usually the zone's own, sometimes a neighbour day.
            let own = switchDates[zoneName] ?? allSwitchDates
            let base = random.chance(80) ? random.pick(own) : random.pick(allSwitchDates)
            date = random.chance(80) ? base : base.adding(days: random.pick([-1, 1]))
        default:
            date = LocalDate(dayNumber: day(2026, 1, 1).dayNumber + random.int(0...729))
        }
        // On the zone's own switch day, usually open through the night so that the skipped or
        // repeated hour falls inside the hours.
        if (switchDates[zoneName] ?? []).contains(date), random.chance(60) {
            switch random.int(0...3) {
            case 0:
                hours[date.weekday] = DayHours(open: 0, close: 1440)!
            case 1:
                // Closing at a wall time that is skipped or repeated (or just after), 01:00–03:30,
                // with services short enough to end right at that closing.
                let close = random.int(2...7) * 30
                hours[date.weekday] = DayHours(open: random.int(0...(close / 30 - 1)) * 30, close: close)!
                duration = random.int(1...8) * 15
                step = random.pick([15, 30])
            default:
                let open = random.int(0...5) * 30
                hours[date.weekday] = DayHours(open: open, close: min(1440, open + random.int(2...16) * 30))!
            }
        }
        let dayStart = Double(date.dayNumber) * 86_400   // UTC midnight of the date

        var nowSeconds: Double
        switch random.int(0...9) {
        case 0...3: nowSeconds = dayStart + Double(random.int(-30 * 60...20 * 60)) * 60        // around the day
        case 4...8: nowSeconds = dayStart - Double(random.int(1440...100 * 1440)) * 60         // days or months before
        default: nowSeconds = dayStart + Double(random.int(1440...3 * 1440)) * 60              // after the day
        }
        // With zero notice a start exactly at `now` is a separate question (see
        // PolicyTests.testWithZeroNoticeAStartOfferedAtNowIsAccepted); keep `now` off the minute there.
        if notice == 0 || random.chance(20) {
            nowSeconds += Double(random.int(1...59))
        } else if random.chance(5) {
            nowSeconds += 0.5
        }

        func busyRange(maxMinutes: Int) -> TimeRange {
            var start = dayStart + Double(random.int(-8 * 60...32 * 60)) * 60
            if random.chance(70) { start = (start / 300).rounded(.down) * 300 }   // on a 5-minute mark
            if random.chance(5) { start += 30 }
            let minutes = random.chance(50) ? random.int(1...(maxMinutes / 15)) * 15 : random.int(1...maxMinutes)
            return TimeRange(start: Date(timeIntervalSince1970: start), minutes: minutes)
        }
        let bookings = (0..<random.int(0...6)).map { _ in busyRange(maxMinutes: 300) }
        var blocks = (0..<random.int(0...3)).map { _ in busyRange(maxMinutes: 600) }
        if random.chance(3) {
            blocks.append(TimeRange(start: Date(timeIntervalSince1970: dayStart - 86_400), minutes: 3 * 1440))
        }

        return PropertyCase(zone: zone, schedule: WorkSchedule(hours: hours), step: step, duration: duration,
                            notice: notice, horizonMonths: horizonMonths, date: date,
                            now: Date(timeIntervalSince1970: nowSeconds), bookings: bookings, blocks: blocks)
    }

    /// An instant as UTC and as the zone's wall clock (offset from the zone data).
    func show(_ instant: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = zone
        formatter.formatOptions = [.withInternetDateTime]
        let fraction = instant.timeIntervalSince1970 - instant.timeIntervalSince1970.rounded(.down)
        return formatter.string(from: instant) + (fraction != 0 ? "+\(fraction)s" : "")
    }

    func show(_ instants: [Date]) -> String { "[" + instants.map(show).joined(separator: ", ") + "]" }

    var description: String {
        let hoursText = Weekday.allCases.map { weekday in
            schedule.hours[weekday].map { "\(weekday): \($0.open)–\($0.close)" } ?? "\(weekday): off"
        }.joined(separator: ", ")
        return """
            zone \(zone.identifier), date \(date) (\(date.weekday)), now \(show(now)), notice \(notice) min, \
            horizon \(horizonMonths) months, step \(step), duration \(duration)
              hours: \(hoursText)
              bookings: \(bookings.map { "\(show($0.start))+\(TimeInterval($0.end.timeIntervalSince($0.start)) / 60)m" })
              blocks: \(blocks.map { "\(show($0.start))+\(TimeInterval($0.end.timeIntervalSince($0.start)) / 60)m" })
            """
    }
}

// MARK: - The reference

/// Brute force, straight from the rules: walk the real instants of the local day a minute
/// at a time, read the wall clock from the zone's offset, and keep what the rules allow.
/// Uses neither SlotFinder nor BusinessClock nor LocalDate's calendar arithmetic (weekday and
/// month arithmetic come from Foundation's Calendar).
struct Reference {
    struct WalkedMinute {
        var instant: Date
        var minute: Int
        /// The first time this wall-clock minute shows on this day.
        var first: Bool
    }

    let input: PropertyCase
    let walk: [WalkedMinute]
    let hours: DayHours?
    /// The instant the day's closing time is reached (or the day ends).
    let closing: Date
    let candidates: [Date]
    let candidateSet: Set<Date>
    let horizonEnd: LocalDate
    let free: [Date]
    let status: DayStatus

    init(_ c: PropertyCase) {
        input = c
        let zone = c.zone
        let target = c.date.dayNumber

        func localDayAndMinute(_ seconds: Int) -> (day: Int, minute: Int) {
            let wallSeconds = seconds + zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(seconds)))
            let day = Int((Double(wallSeconds) / 86_400).rounded(.down))
            return (day, (wallSeconds - day * 86_400) / 60)
        }

        // Local midnight is within UTC-14...UTC+14 of UTC midnight; start safely before it.
        var seconds = target * 86_400 - 15 * 3600
        precondition(localDayAndMinute(seconds).day < target, "the walk must start on an earlier day")
        var walked: [WalkedMinute] = []
        var seen = Set<Int>()
        while true {
            let (day, minute) = localDayAndMinute(seconds)
            if day > target { break }
            if day == target {
                walked.append(WalkedMinute(instant: Date(timeIntervalSince1970: Double(seconds)), minute: minute,
                                           first: seen.insert(minute).inserted))
            }
            seconds += 60
        }
        walk = walked
        let dayEnd = Date(timeIntervalSince1970: Double(seconds))   // the first instant of the next day

        let calendar = utcCalendar()
        let foundationWeekday = calendar.component(.weekday, from: Date(timeIntervalSince1970: Double(target) * 86_400))
        let weekday = Weekday(rawValue: (foundationWeekday + 5) % 7 + 1)!
        hours = c.schedule.hours[weekday]

        var closingInstant = dayEnd
        var gridStarts: [Date] = []
        if let hours = c.schedule.hours[weekday] {
            closingInstant = walked.first(where: { $0.minute >= hours.close })?.instant ?? dayEnd
            let durationSeconds = Double(c.duration) * 60
            gridStarts = walked.filter { entry in
                entry.first && entry.minute >= hours.open && entry.minute < hours.close
                    && (entry.minute - hours.open) % c.step == 0
                    && entry.instant.addingTimeInterval(durationSeconds) <= closingInstant
            }.map(\.instant)
        }
        closing = closingInstant
        candidates = gridStarts
        candidateSet = Set(gridStarts)

        // Horizon: the last day of (the local month of now) + N months.
        let nowWall = c.now.timeIntervalSince1970.rounded(.down) + Double(zone.secondsFromGMT(for: c.now))
        let nowDay = Date(timeIntervalSince1970: (nowWall / 86_400).rounded(.down) * 86_400)
        let monthStart = calendar.date(from: calendar.dateComponents([.year, .month], from: nowDay))!
        let lastDay = calendar.date(byAdding: DateComponents(month: c.horizonMonths + 1, day: -1), to: monthStart)!
        horizonEnd = LocalDate(dayNumber: Int(lastDay.timeIntervalSince1970 / 86_400))

        let earliest = c.now.addingTimeInterval(Double(c.notice) * 60)
        let ahead = gridStarts.filter { $0 >= earliest }
        let inHorizon = target <= horizonEnd.dayNumber
        let freeStarts = inHorizon ? ahead.filter { Reference.conflict(c, start: $0) == nil } : []
        free = freeStarts
        if !inHorizon || ahead.isEmpty {
            status = .unavailable
        } else if freeStarts.count == ahead.count {
            status = .allFree
        } else {
            status = freeStarts.isEmpty ? .full : .someFree
        }
    }

    func isOnGrid(_ minute: Int) -> Bool {
        guard let hours else { return false }
        return minute >= hours.open && minute < hours.close && (minute - hours.open) % input.step == 0
    }

    /// Half-open overlap with the raw numbers: [a, b) and [c, d) meet when a < d and c < b.
    static func conflict(_ c: PropertyCase, start: Date) -> BookingRefusal? {
        let a = start.timeIntervalSince1970
        let b = a + Double(c.duration) * 60
        func hits(_ range: TimeRange) -> Bool { a < range.end.timeIntervalSince1970 && range.start.timeIntervalSince1970 < b }
        if c.blocks.contains(where: hits) { return .overlapsBlock }
        if c.bookings.contains(where: hits) { return .overlapsBooking }
        return nil
    }

    /// What the commit-time check must answer for a new booking at an instant of this day.
    func expectedRefusal(_ probe: SlotPropertyTests.Probe, actor: BookingActor) -> BookingRefusal? {
        let c = input
        let start = probe.instant
        if start <= c.now { return .inPast }
        if actor == .client {
            if start < c.now.addingTimeInterval(Double(c.notice) * 60) { return .tooSoon }
            if c.date > horizonEnd { return .beyondHorizon }
        }
        guard let hours else { return .outsideHours }
        let wholeSeconds = start.timeIntervalSince1970.rounded(.down)
        // The walk is contiguous, one entry a minute: index straight into it.
        let index = Int((wholeSeconds - walk[0].instant.timeIntervalSince1970) / 60)
        precondition(walk.indices.contains(index), "probe \(start) is not on \(c.date)")
        let entry = walk[index]
        if entry.minute < hours.open || start.addingTimeInterval(Double(c.duration) * 60) > closing { return .outsideHours }
        if !(probe.exactGridStart && candidateSet.contains(start)) { return .notAligned }
        return Reference.conflict(c, start: start)
    }
}

// MARK: - Coverage of the generator

struct Coverage {
    var statuses: [DayStatus: Int] = [:]
    var refusals: [String: Int] = [:]
    var switchDayCases = 0
    var skippedHourCases = 0
    var repeatedHourCases = 0
    var nonEmptyFree = 0

    mutating func record(_ refusal: BookingRefusal?) {
        refusals[refusal?.rawValue ?? "allowed", default: 0] += 1
    }

    mutating func record(_ c: PropertyCase, reference: Reference) {
        statuses[reference.status, default: 0] += 1
        if !reference.free.isEmpty { nonEmptyFree += 1 }
        let isOwnSwitch = (PropertyCase.switchDates[c.zone.identifier] ?? []).contains(c.date)
        if isOwnSwitch { switchDayCases += 1 }
        if isOwnSwitch, let hours = reference.hours {
            let minutes = reference.walk.map(\.minute)
            let skipped = (hours.open..<hours.close).contains { minute in !minutes.contains(minute) }
            if skipped { skippedHourCases += 1 }
            if reference.walk.contains(where: { !$0.first && reference.isOnGrid($0.minute) }) { repeatedHourCases += 1 }
        }
    }

    func assertCovered(cases: Int, file: StaticString = #filePath, line: UInt = #line) {
        for status in DayStatus.allCases {
            XCTAssertGreaterThan(statuses[status, default: 0], cases / 50, "too few cases with status \(status): \(summary)", file: file, line: line)
        }
        let expectedRefusals = ["allowed", "in_past", "too_soon", "outside_hours", "not_aligned", "beyond_horizon",
                                "overlaps_booking", "overlaps_block"]
        for name in expectedRefusals {
            XCTAssertGreaterThan(refusals[name, default: 0], 20, "too few probes refused with \(name): \(summary)", file: file, line: line)
        }
        XCTAssertGreaterThan(switchDayCases, cases / 10, summary, file: file, line: line)
        XCTAssertGreaterThan(skippedHourCases, cases / 100, summary, file: file, line: line)
        XCTAssertGreaterThan(repeatedHourCases, cases / 100, summary, file: file, line: line)
        XCTAssertGreaterThan(nonEmptyFree, cases / 5, summary, file: file, line: line)
    }

    var summary: String {
        let statusText = DayStatus.allCases.map { "\($0): \(statuses[$0, default: 0])" }.joined(separator: ", ")
        let refusalText = refusals.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
        return "statuses [\(statusText)], client probes [\(refusalText)], switch days \(switchDayCases) "
            + "(skipped hour open \(skippedHourCases), repeated grid minute \(repeatedHourCases)), non-empty free \(nonEmptyFree)"
    }
}
