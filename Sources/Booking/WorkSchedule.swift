/// Opening hours of one day, as minutes since local midnight: `[open, close)`.
public struct DayHours: Sendable, Hashable, Codable {
    public let open: Int
    public let close: Int

    /// Nil unless 0 ≤ open < close ≤ 1440.
    public init?(open: Int, close: Int) {
        guard open >= 0, close <= 1440, open < close else { return nil }
        self.open = open
        self.close = close
    }

    public init?(openHour: Int, closeHour: Int) {
        self.init(open: openHour * 60, close: closeHour * 60)
    }
}

/// Opening hours per weekday; a weekday without hours is a day off.
public struct WorkSchedule: Sendable, Hashable, Codable {
    public var hours: [Weekday: DayHours]

    public init(hours: [Weekday: DayHours]) {
        self.hours = hours
    }

    /// The same hours every day of the week (the WORK_HOURS_START/END default).
    public static func everyDay(_ hours: DayHours) -> WorkSchedule {
        WorkSchedule(hours: Dictionary(uniqueKeysWithValues: Weekday.allCases.map { ($0, hours) }))
    }

    public func hours(on weekday: Weekday) -> DayHours? { hours[weekday] }
}
