import Booking
import Foundation
import Texts

/// Reads a typed setting: every answer is checked for length and shape before any
/// arithmetic (it may be 5,000 characters, emoji, "-1" or twenty digits), and is a typed
/// change or what was wrong with it. The ranges are those `SettingsStore` takes,
/// tightened where a wider one makes no sense.
enum SettingInput {
    /// A whole-number setting's bounds.
    struct Bounds: Equatable {
        let min: Int
        let max: Int
        /// The value must be a multiple of this (1: any).
        var step = 1
    }

    static func bounds(_ setting: SettingName) -> Bounds? {
        switch setting {
        case .slotStep: return Bounds(min: 5, max: 720, step: 5)
        case .horizon: return Bounds(min: 0, max: 24)
        case .notice: return Bounds(min: 0, max: 43_200)
        case .limit: return Bounds(min: 1, max: 100)
        case .cancelCutoff, .moveCutoff, .feedback: return Bounds(min: 0, max: 720)
        case .workHours, .reminders, .address, .contact: return nil
        }
    }

    /// The most a reminder may lead by: 30 days.
    static let maxLeadMinutes = 43_200

    /// The answer to a setting's question (not work hours: `hours`).
    static func read(_ text: String, for setting: SettingName) -> Result<SettingChange, SettingsProblem> {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        switch setting {
        case .reminders:
            return reminders(text).map(SettingChange.reminders).mapError { _ in .reminders(max: SettingsLimits.maxReminders) }
        case .address, .contact:
            // NUL cannot be stored (PostgreSQL text and jsonb refuse it).
            guard (1...SettingsLimits.maxTextLength).contains(text.count), !text.unicodeScalars.contains("\u{0}") else {
                return .failure(.length(max: SettingsLimits.maxTextLength))
            }
            return .success(.text(setting, text))
        case .workHours:
            return .failure(.hours)
        default:
            guard let bounds = bounds(setting) else { return .failure(.hours) }
            guard let number = wholeNumber(text), (bounds.min...bounds.max).contains(number), number % bounds.step == 0 else {
                return .failure(.number(min: bounds.min, max: bounds.max, step: bounds.step))
            }
            return .success(.number(setting, number))
        }
    }

    /// Digits only, few enough that they cannot overflow.
    static func wholeNumber(_ text: String) -> Int? {
        guard (1...9).contains(text.count), text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text)
    }

    // MARK: Hours

    private static let dayOffWords: Set<String> = ["off", "day off", "closed", "выходной", "нет"]

    /// "10:00-16:00", "10-16", "9:30–18:00" (any dash, spaces allowed), opening before
    /// closing within 00:00–24:00; "day off" / "выходной" is a day off (`.success(nil)`).
    static func hours(_ text: String) -> Result<DayHours?, SettingsProblem> {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.count <= 40 else { return .failure(.hours) }
        if dayOffWords.contains(text.lowercased()) { return .success(nil) }
        guard let (open, close) = TypedClock.span(text), let hours = DayHours(open: open, close: close) else { return .failure(.hours) }
        return .success(hours)
    }

    // MARK: Reminders

    struct Unreadable: Error {}

    private static let noneWords: Set<String> = ["none", "no", "нет", "-"]

    /// "24h, 2h", "30m", "1d", "24ч, 2ч", "2 h": each lead a number and its unit, leads
    /// apart by commas, semicolons or spaces; at most five, each from a minute to 30 days,
    /// each once, longest first. "none" / "нет": no reminders.
    static func reminders(_ text: String) -> Result<[Int], Unreadable> {
        guard text.count <= 100 else { return .failure(Unreadable()) }
        if noneWords.contains(text.lowercased()) { return .success([]) }
        var leads: [Int] = []
        var rest = Substring(text.lowercased())
        while true {
            rest = rest.drop { $0 == "," || $0 == ";" || $0.isWhitespace }
            guard !rest.isEmpty else { break }
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard (1...5).contains(digits.count), let number = Int(digits) else { return .failure(Unreadable()) }
            rest = rest.dropFirst(digits.count).drop { $0.isWhitespace }
            let unit = rest.prefix { $0.isLetter }
            rest = rest.dropFirst(unit.count)
            guard let scale = unitMinutes[String(unit)] else { return .failure(Unreadable()) }
            let minutes = number * scale  // at most 99,999 × 1,440: far inside Int
            guard (1...maxLeadMinutes).contains(minutes) else { return .failure(Unreadable()) }
            leads.append(minutes)
        }
        let distinct = Array(Set(leads)).sorted(by: >)
        guard !distinct.isEmpty, distinct.count <= SettingsLimits.maxReminders else { return .failure(Unreadable()) }
        return .success(distinct)
    }

    private static let unitMinutes: [String: Int] = [
        "m": 1, "min": 1, "mins": 1, "minute": 1, "minutes": 1, "м": 1, "мин": 1, "минут": 1, "минуты": 1,
        "h": 60, "hr": 60, "hrs": 60, "hour": 60, "hours": 60, "ч": 60, "час": 60, "часа": 60, "часов": 60,
        "d": 1440, "day": 1440, "days": 1440, "д": 1440, "дн": 1440, "день": 1440, "дня": 1440, "дней": 1440,
    ]
}
