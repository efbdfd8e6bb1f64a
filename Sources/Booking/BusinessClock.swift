import Foundation

/// Converts between instants and the business's wall clock, with the zone's real offset
/// on each date (DST included).
///
/// A wall-clock time that does not exist (02:30 on a spring-forward day) has no instant;
/// one that exists twice (02:30 on a fall-back day) maps to its first occurrence.
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
        LocalDate(dayNumber: Int((localSeconds(of: instant) / 86_400).rounded(.down)))
    }

    /// Minutes since local midnight of an instant (0..<1440).
    public func minuteOfDay(of instant: Date) -> Int {
        let seconds = localSeconds(of: instant)
        let intoDay = seconds - (seconds / 86_400).rounded(.down) * 86_400
        return Int(intoDay / 60)
    }

    /// The instant of a wall-clock time; nil when that time is skipped by a DST change.
    /// `minute` may be 1440 (midnight ending the day).
    public func instant(of date: LocalDate, minute: Int) -> Date? {
        let wall = Double(date.dayNumber) * 86_400 + Double(minute) * 60
        // The offset in force just before or just after a nearby change: a valid instant
        // is one whose own offset puts it back on the same wall-clock time.
        let candidates = Set([wall - 43_200, wall + 43_200].map { probe in
            wall - Double(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: probe)))
        })
        let valid = candidates.filter { localSeconds(of: Date(timeIntervalSince1970: $0)) == wall }
        return valid.min().map { Date(timeIntervalSince1970: $0) }
    }

    /// The first instant of a day (midnight, or the first existing time after a skip).
    public func startOfDay(_ date: LocalDate) -> Date {
        if let midnight = instant(of: date, minute: 0) { return midnight }
        // Midnight itself was skipped (some zones change at 00:00): the day starts when
        // the clock resumes.
        var minute = 1
        while instant(of: date, minute: minute) == nil { minute += 1 }
        return instant(of: date, minute: minute)!
    }

    private func localSeconds(of instant: Date) -> Double {
        instant.timeIntervalSince1970.rounded(.down) + Double(timeZone.secondsFromGMT(for: instant))
    }
}
