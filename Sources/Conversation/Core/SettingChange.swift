import Booking
import Foundation
import Texts

/// One change of a setting, typed and already checked by the screen that asked for it
/// (the store checks again before writing).
public enum SettingChange: Sendable, Equatable, Codable {
    /// A whole-number setting: slot step and notice in minutes, horizon in months, the
    /// per-client limit, the cut-offs and the feedback delay in hours.
    case number(SettingName, Int)
    /// Reminder lead times in minutes; empty: no reminders.
    case reminders([Int])
    /// The address or the contact; empty: none shown to clients.
    case text(SettingName, String)
    /// These weekdays get these hours (nil: a day off); the other days keep theirs.
    case hours([Weekday], DayHours?)

    public var setting: SettingName {
        switch self {
        case .number(let setting, _), .text(let setting, _): return setting
        case .reminders: return .reminders
        case .hours: return .workHours
        }
    }

    /// The weekdays a change of hours touches (none for any other change).
    public var days: [Weekday] {
        if case .hours(let days, _) = self { return days }
        return []
    }

    /// The values with this change made.
    public func applied(to values: SettingValues) -> SettingValues {
        var result = values
        switch self {
        case .number(let setting, let number):
            switch setting {
            case .slotStep: result.slotStepMinutes = number
            case .horizon: result.horizonMonths = number
            case .notice: result.minNoticeMinutes = number
            case .limit: result.bookingLimit = number
            case .cancelCutoff: result.cancellationHours = number
            case .moveCutoff: result.rescheduleHours = number
            case .feedback: result.feedbackHours = number
            case .workHours, .reminders, .address, .contact: break
            }
        case .reminders(let offsets):
            result.reminderOffsetsMinutes = Array(Set(offsets)).sorted(by: >)
        case .text(let setting, let text):
            if setting == .address { result.address = text }
            if setting == .contact { result.contact = text }
        case .hours(let days, let hours):
            for day in days { result.schedule.hours[day] = hours }
        }
        return result
    }

    /// This change's setting in `values`, as the audit records it: language-neutral
    /// ("30", "24h,2h", "Mon 09:00-18:00; Tue off").
    public func auditText(of values: SettingValues) -> String {
        switch self {
        case .number(let setting, _):
            switch setting {
            case .slotStep: return String(values.slotStepMinutes)
            case .horizon: return String(values.horizonMonths)
            case .notice: return String(values.minNoticeMinutes)
            case .limit: return String(values.bookingLimit)
            case .cancelCutoff: return String(values.cancellationHours)
            case .moveCutoff: return String(values.rescheduleHours)
            case .feedback: return String(values.feedbackHours)
            case .workHours, .reminders, .address, .contact: return ""
            }
        case .reminders:
            return Self.leads(values.reminderOffsetsMinutes)
        case .text(let setting, _):
            return setting == .address ? values.address : values.contact
        case .hours(let days, _):
            return Self.week(days, values.schedule.hours(on:))
        }
    }

    /// The value this change asks for, as the audit records it (when the store refused it).
    public var auditProposal: String {
        switch self {
        case .number(_, let number): return String(number)
        case .reminders(let offsets): return Self.leads(Array(Set(offsets)).sorted(by: >))
        case .text(_, let text): return text
        case .hours(let days, let hours): return Self.week(days) { _ in hours }
        }
    }

    private static func leads(_ offsets: [Int]) -> String {
        guard !offsets.isEmpty else { return "none" }
        return offsets.map { minutes in
            if minutes % 1440 == 0 { return "\(minutes / 1440)d" }
            if minutes % 60 == 0 { return "\(minutes / 60)h" }
            return "\(minutes)m"
        }.joined(separator: ",")
    }

    private static func week(_ days: [Weekday], _ hours: (Weekday) -> DayHours?) -> String {
        days.map { day in
            let name = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][day.rawValue - 1]
            guard let open = hours(day) else { return "\(name) off" }
            return "\(name) \(clock(open.open))-\(clock(open.close))"
        }.joined(separator: "; ")
    }

    private static func clock(_ minute: Int) -> String {
        let (hour, rest) = (minute / 60, minute % 60)
        return (hour < 10 ? "0" : "") + String(hour) + ":" + (rest < 10 ? "0" : "") + String(rest)
    }
}

/// What the store made of a setting's change.
public enum SettingChangeResult: Sendable, Equatable {
    /// Saved: the values in force before and after it.
    case done(before: SettingValues, after: SettingValues)
    /// Not saved: the value is outside what the store takes (why, for the audit).
    case refused(String)
}
