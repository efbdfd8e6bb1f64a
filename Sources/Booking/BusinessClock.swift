import Foundation

/// Converts between instants and the business's wall clock, with the zone's real offset
/// on each date (DST included).
///
/// A wall-clock time that does not exist (02:30 on a spring-forward day) has no instant;
/// one that exists twice (02:30 on a fall-back day) maps to its first occurrence.
///
/// Instants are read within `LocalDate`'s calendar: one before 0001 or after 9999 (or
/// NaN, or infinite) reads as the nearest end, so no instant from outside traps here.
public struct BusinessClock: Sendable {
    public let timeZone: TimeZone

    public init(timeZone: TimeZone) {
        self.timeZone = timeZone
    }

    /// Nil for an unknown zone identifier.
    public init?(zoneIdentifier: String) {
        guard let zone = TimeZone(identifier: zoneIdentifier) else { return nil }
        self.init(timeZone: zone)
    }

    /// The calendar day an instant falls on, in the business's zone.
    public func localDate(of instant: Date) -> LocalDate {
        LocalDate(dayNumber: Int(saturatingFloor: localSeconds(of: instant) / 86_400))
    }

    /// Minutes since local midnight of an instant (0..<1440).
    public func minuteOfDay(of instant: Date) -> Int {
        let seconds = localSeconds(of: instant)
        let intoDay = seconds - (seconds / 86_400).rounded(.down) * 86_400
        return Swift.min(Swift.max(Int(saturatingFloor: intoDay / 60), 0), 1439)
    }

    /// The instant of a wall-clock time; nil when that time is skipped by a DST change.
    /// `minute` may be 1440 (midnight ending the day).
    public func instant(of date: LocalDate, minute: Int) -> Date? {
        let wall = Double(date.dayNumber) * 86_400 + Double(minute) * 60
        // The offset in force just before or just after a nearby change: a valid instant
        // is one whose own offset puts it back on the same wall-clock time. The instant
        // lies within UTC−12…UTC+14 of the wall time, so probes 26 hours either side are
        // before and after it in every zone (probes 12 hours away missed the offset
        // before a change in UTC+13/+14 zones such as Samoa), and changes are weeks apart.
        let candidates = Set([wall - 93_600, wall, wall + 93_600].map { probe in
            wall - Double(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Self.held(probe))))
        })
        let valid = candidates.filter { localSeconds(of: Date(timeIntervalSince1970: $0)) == wall }
        return valid.min().map { Date(timeIntervalSince1970: $0) }
    }

    /// The first instant of a day (midnight, or the first existing time after a skip).
    public func startOfDay(_ date: LocalDate) -> Date {
        if let midnight = instant(of: date, minute: 0) { return midnight }
        // Midnight itself was skipped (some zones change at 00:00): the day starts when
        // the clock resumes.
        for minute in 1...BusinessClock.longestSkipMinutes {
            if let start = instant(of: date, minute: minute) { return start }
        }
        // No zone skips this much; a clock held at the calendar's end might.
        return Date(timeIntervalSince1970: Double(date.dayNumber) * 86_400)
    }

    /// More than any jump of a real zone's clock (Samoa skipped a whole day in 2011):
    /// searches for the next existing wall-clock time give up after this.
    public static let longestSkipMinutes = 2 * 1440

    /// The seconds the clock reads: the calendar's days with two to spare each side, so
    /// that every zone's offset still lands inside.
    private static let readable = Double(LocalDate.earliest.dayNumber - 2) * 86_400 ... Double(LocalDate.latest.dayNumber + 3) * 86_400

    private static func held(_ seconds: Double) -> Double {
        seconds.isNaN ? 0 : Swift.min(Swift.max(seconds, readable.lowerBound), readable.upperBound)
    }

    private func localSeconds(of instant: Date) -> Double {
        let held = Self.held(instant.timeIntervalSince1970)
        return held.rounded(.down) + Double(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: held)))
    }
}
