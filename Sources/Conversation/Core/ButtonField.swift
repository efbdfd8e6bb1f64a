import Booking
import Foundation

/// What a number in a button's data stands for, and the values it may take. Anyone can
/// send any callback data, and a number that traps in later arithmetic kills the worker:
/// every number is checked here, before an action is built. Days and times must lie
/// within a few years of today — far beyond any booking horizon, far inside every range
/// the store, the clock and the calendar arithmetic handle — so forged ones never reach
/// the store.
public enum ButtonField: Sendable, CaseIterable {
    /// A row id (service, booking, …).
    case id
    /// `MonthIndex`.
    case month
    /// `LocalDate.dayNumber`.
    case day
    /// `MinuteStamp`: minutes since 1970 (UTC).
    case start
    case stars
    /// A page of a list, from 0.
    case page
    /// A small count or choice (a field of a form, a step).
    case small
    /// Yes or no: 0 or 1.
    case flag

    /// How far from today a day or time on a button may be.
    static let reachDays = 3 * 366

    /// The values allowed on a button decoded on `today` (a `LocalDate.dayNumber`).
    public func range(today: Int) -> ClosedRange<Int> {
        let days = max(ButtonCalendar.days.lowerBound, today - Self.reachDays)...min(ButtonCalendar.days.upperBound, today + Self.reachDays)
        switch self {
        case .id: return 1...Int(Int64.max)
        case .day: return days
        case .month:
            return MonthIndex.of(LocalDate(dayNumber: days.lowerBound))...MonthIndex.of(LocalDate(dayNumber: days.upperBound))
        case .start: return (days.lowerBound * 1440)...((days.upperBound + 1) * 1440 - 1)
        case .stars: return 1...5
        case .page: return 0...100_000
        case .small: return 0...1_000
        case .flag: return 0...1
        }
    }

    /// A value a screen could have put on a button today (the tests press every action
    /// with it).
    public func sample(today: Int) -> Int {
        switch self {
        case .id: return 5
        case .day: return today + 1
        case .month: return MonthIndex.of(LocalDate(dayNumber: today))
        case .start: return (today + 1) * 1440 + 11 * 60
        case .stars: return 4
        case .page, .small: return 0
        case .flag: return 1
        }
    }
}

/// The calendar a button can name at all: 1970-01-01 through 9999-12-31, so every number
/// is non-negative and within `LocalDate`'s calendar.
enum ButtonCalendar {
    static let days = 0...LocalDate.latest.dayNumber
}

/// A month as buttons carry it: year × 12 + (month − 1).
public enum MonthIndex {
    public static func of(_ date: LocalDate) -> Int { date.year * 12 + date.month - 1 }

    /// Nil for an index outside `LocalDate`'s calendar.
    public static func firstDay(_ index: Int) -> LocalDate? {
        guard index >= 0 else { return nil }
        return LocalDate(year: index / 12, month: index % 12 + 1, day: 1)
    }
}

/// A start as buttons carry it: whole minutes since 1970 (UTC).
public enum MinuteStamp {
    public static func of(_ date: Date) -> Int { Int(saturatingFloor: date.timeIntervalSince1970 / 60) }
    public static func date(_ minutes: Int) -> Date { Date(timeIntervalSince1970: Double(minutes) * 60) }
}

/// A flow's buttons: what each one asks for, as an enum the flow switches over.
///
/// `shapes` lists every code the flow's buttons use with the fields of their numbers; the
/// router decodes with it (a code not there is not ours) and the tests press every entry
/// of every registered flow, so a button cannot be added without being tested.
public protocol FlowAction: Sendable, Hashable {
    /// The flow that owns these buttons.
    static var flow: FlowID { get }
    static var shapes: [String: [ButtonField]] { get }
    /// The code (a key of `shapes`) and the numbers of this action.
    var encoded: ButtonCode { get }
    /// The action of numbers already checked against `shapes[code]`.
    init?(code: String, numbers: [Int])
}

/// An action as it travels in callback data.
public struct ButtonCode: Sendable, Equatable {
    public var code: String
    public var numbers: [Int]

    public init(_ code: String, _ numbers: [Int] = []) {
        self.code = code
        self.numbers = numbers
    }
}

extension FlowAction {
    /// Strict: the code's shape, the count of numbers and each number's range.
    static func decode(code: String, numbers: [Int], today: Int) -> Self? {
        guard let shape = shapes[code], shape.count == numbers.count,
              zip(shape, numbers).allSatisfy({ field, value in field.range(today: today).contains(value) }) else { return nil }
        return Self(code: code, numbers: numbers)
    }
}
