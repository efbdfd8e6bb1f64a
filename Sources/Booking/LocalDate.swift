/// A day on the business's calendar (no time, no zone): what a client picks in the
/// month view. Arithmetic is on whole days since 1970-01-01, so it never meets DST.
///
/// The calendar runs from 0001-01-01 to 9999-12-31 (`earliest`...`latest`). Day numbers
/// and years can come from outside (button data, stored settings), and Swift traps on
/// overflow: so every way in refuses a year outside (`init(year:month:day:)` is nil) or
/// holds a day number at the nearest end, and no input makes this type's arithmetic trap.
public struct LocalDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Days since 1970-01-01, always within `earliest.dayNumber...latest.dayNumber`.
    public let dayNumber: Int

    /// The years the calendar has.
    public static let years: ClosedRange<Int> = 1...9999
    /// 0001-01-01.
    public static let earliest = LocalDate(uncheckedDayNumber: -719_162)
    /// 9999-12-31.
    public static let latest = LocalDate(uncheckedDayNumber: 2_932_896)

    /// A day number outside the calendar is held at its nearest end.
    public init(dayNumber: Int) {
        self.dayNumber = min(max(dayNumber, LocalDate.earliest.dayNumber), LocalDate.latest.dayNumber)
    }

    private init(uncheckedDayNumber: Int) {
        self.dayNumber = uncheckedDayNumber
    }

    /// Nil for a day that does not exist (February 30) or a year outside `years`.
    public init?(year: Int, month: Int, day: Int) {
        guard LocalDate.years.contains(year), (1...12).contains(month),
              day >= 1, day <= LocalDate.daysIn(year: year, month: month) else { return nil }
        self.init(dayNumber: LocalDate.days(year: year, month: month, day: day))
    }

    public var year: Int { civil.year }
    public var month: Int { civil.month }
    public var day: Int { civil.day }

    /// The ISO weekday: Monday is 1, Sunday 7.
    public var weekday: Weekday {
        // 1970-01-01 was a Thursday.
        Weekday(rawValue: ((dayNumber % 7 + 7) % 7 + 3) % 7 + 1)!
    }

    /// Held at the calendar's ends like `init(dayNumber:)`.
    public func adding(days: Int) -> LocalDate {
        let (sum, overflow) = dayNumber.addingReportingOverflow(days)
        return LocalDate(dayNumber: overflow ? (days > 0 ? Int.max : Int.min) : sum)
    }

    /// The first day of this date's month, `months` months later (or earlier); a month
    /// past either end of the calendar gives the end's month.
    public func firstOfMonth(addingMonths months: Int) -> LocalDate {
        // Any shift beyond the calendar's 120 000 months lands past an end: limiting it
        // first keeps the sum from overflowing.
        let limit = LocalDate.years.count * 12
        let index = year * 12 + (month - 1) + min(max(months, -limit), limit)
        let (y, m) = (Self.floorDivision(index, 12), Self.floorModulo(index, 12) + 1)
        if y < LocalDate.years.lowerBound { return LocalDate.earliest }
        if y > LocalDate.years.upperBound { return LocalDate.latest.firstOfMonth(addingMonths: 0) }
        return LocalDate(dayNumber: LocalDate.days(year: y, month: m, day: 1))
    }

    /// The last day of this date's month, `months` months later.
    public func lastOfMonth(addingMonths months: Int) -> LocalDate {
        let first = firstOfMonth(addingMonths: months)
        return first.adding(days: LocalDate.daysIn(year: first.year, month: first.month) - 1)
    }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool { lhs.dayNumber < rhs.dayNumber }

    /// `2026-11-25`
    public var description: String {
        let c = civil
        func padded(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(padded(c.year, 4))-\(padded(c.month, 2))-\(padded(c.day, 2))"
    }

    /// Parses exactly `YYYY-MM-DD` (digits only, no signs, no extra separators).
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    // Howard Hinnant's civil-calendar algorithms (proleptic Gregorian), used only within
    // `years`, where no step can overflow.
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private var civil: (year: Int, month: Int, day: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func floorDivision(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }
    private static func floorModulo(_ a: Int, _ b: Int) -> Int { a - floorDivision(a, b) * b }

    static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

/// ISO weekdays, Monday first.
public enum Weekday: Int, Sendable, CaseIterable, Codable, Comparable {
    case monday = 1, tuesday, wednesday, thursday, friday, saturday, sunday

    public static func < (lhs: Weekday, rhs: Weekday) -> Bool { lhs.rawValue < rhs.rawValue }
}
