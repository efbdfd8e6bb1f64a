import Booking
import Foundation

/// What an inline button asks for. Every button the bot sends carries one of these,
/// encoded by `CallbackData` into Telegram's 1–64 bytes of callback data.
public enum CallbackAction: Sendable, Hashable {
    case menu
    /// Onboarding: "How it works" and "Book now".
    case howItWorks
    case bookNow
    /// The list of services (step 1 of booking; also "Back" from the calendar).
    case services
    case pickService(service: Int64)
    /// The month view for a service; `month` is year × 12 + (month − 1).
    case month(service: Int64, month: Int)
    case day(service: Int64, day: Int)
    /// A start, in minutes since 1970 (UTC).
    case slot(service: Int64, start: Int)
    case confirm(service: Int64, start: Int)
    /// Leaves whatever flow is open.
    case cancelFlow
    case myBookings
    case askCancel(booking: Int64)
    case confirmCancel(booking: Int64)
    case move(booking: Int64)
    case moveMonth(booking: Int64, month: Int)
    case moveDay(booking: Int64, day: Int)
    case moveSlot(booking: Int64, start: Int)
    case confirmMove(booking: Int64, start: Int)
    case rate(booking: Int64, stars: Int)
    /// No comment after the stars.
    case skipReview(booking: Int64)
    /// A button that does nothing (a ⚫ day, a header).
    case noop
}

/// Why callback data was not accepted. Each gets its own answer, and none changes anything.
public enum CallbackRejection: String, Error, Sendable {
    /// Not data this bot makes (garbage, forged, truncated, another version).
    case malformed
    /// Made by an older version of the bot whose format is gone.
    case unsupportedVersion = "unsupported_version"
    /// The message is older than CALLBACK_TTL_HOURS.
    case stale
}

/// The compact, versioned text form of a button's action:
/// `1.<issued>.<code>[.<number>…]` — version 1, the minute the button was made (base 36,
/// since 2024-01-01 UTC), an action code and its numbers in base 36. Parsing is strict:
/// anything else is `malformed`, never a guess.
///
/// Anyone can send any callback data, and a number that traps in later arithmetic kills
/// the worker: so every number is range-checked for what it is (`Field`) before an
/// action is built.
public enum CallbackData {
    public static let version = "1"
    public static let maxBytes = 64
    private static let epoch = Date(timeIntervalSince1970: 1_704_067_200)  // 2024-01-01T00:00:00Z
    /// A button dated this far in the future is forged (clocks of workers differ a little).
    private static let allowedSkew: TimeInterval = 300

    public static func encode(_ action: CallbackAction, issuedAt: Date) -> String {
        let minutes = max(0, Int(saturatingFloor: issuedAt.timeIntervalSince(epoch) / 60))
        let (code, numbers) = parts(of: action)
        let text = ([version, base36(minutes), code] + numbers.map(base36)).joined(separator: ".")
        precondition(text.utf8.count <= maxBytes, "callback data over \(maxBytes) bytes: \(text)")
        return text
    }

    /// The action, if the data is well-formed and not older than `ttl`.
    public static func decode(_ text: String, now: Date, ttl: TimeInterval) -> Result<(action: CallbackAction, issuedAt: Date), CallbackRejection> {
        guard !text.isEmpty, text.utf8.count <= maxBytes else { return .failure(.malformed) }
        let fields = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard fields.count >= 3 else { return .failure(.malformed) }
        guard fields[0] == version else {
            return fields[0].allSatisfy(\.isNumber) && !fields[0].isEmpty ? .failure(.unsupportedVersion) : .failure(.malformed)
        }
        guard let minutes = number(fields[1]) else { return .failure(.malformed) }
        let issuedAt = epoch.addingTimeInterval(Double(minutes) * 60)
        guard issuedAt <= now.addingTimeInterval(allowedSkew) else { return .failure(.malformed) }
        var numbers: [Int] = []
        for field in fields.dropFirst(3) {
            guard let value = number(field) else { return .failure(.malformed) }
            numbers.append(value)
        }
        guard let shape = shapes[fields[2]], shape.count == numbers.count,
              zip(shape, numbers).allSatisfy({ field, value in field.range.contains(value) }) else { return .failure(.malformed) }
        let action = action(code: fields[2], numbers: numbers)
        // Staleness is judged after the shape, so forged data never reads as "out of date".
        guard now.timeIntervalSince(issuedAt) <= ttl else { return .failure(.stale) }
        return .success((action, issuedAt))
    }

    private static func parts(of action: CallbackAction) -> (String, [Int]) {
        switch action {
        case .menu: return ("m", [])
        case .howItWorks: return ("hw", [])
        case .bookNow: return ("bn", [])
        case .services: return ("sl", [])
        case .pickService(let service): return ("s", [Int(service)])
        case .month(let service, let month): return ("c", [Int(service), month])
        case .day(let service, let day): return ("d", [Int(service), day])
        case .slot(let service, let start): return ("t", [Int(service), start])
        case .confirm(let service, let start): return ("k", [Int(service), start])
        case .cancelFlow: return ("x", [])
        case .myBookings: return ("my", [])
        case .askCancel(let booking): return ("ca", [Int(booking)])
        case .confirmCancel(let booking): return ("cc", [Int(booking)])
        case .move(let booking): return ("mv", [Int(booking)])
        case .moveMonth(let booking, let month): return ("mc", [Int(booking), month])
        case .moveDay(let booking, let day): return ("md", [Int(booking), day])
        case .moveSlot(let booking, let start): return ("mt", [Int(booking), start])
        case .confirmMove(let booking, let start): return ("mk", [Int(booking), start])
        case .rate(let booking, let stars): return ("r", [Int(booking), stars])
        case .skipReview(let booking): return ("rs", [Int(booking)])
        case .noop: return ("n", [])
        }
    }

    /// What a number of an action stands for, and the values it may have.
    enum Field {
        /// A service or booking id.
        case id
        /// `MonthIndex`.
        case month
        /// `LocalDate.dayNumber`.
        case day
        /// `MinuteStamp`.
        case start
        case stars

        var range: ClosedRange<Int> {
            switch self {
            case .id: return 1...Int(Int64.max)
            case .month: return ButtonCalendar.months
            case .day: return ButtonCalendar.days
            case .start: return ButtonCalendar.minutes
            case .stars: return 1...5
            }
        }
    }

    /// Each action code's numbers; a code not here is not ours.
    private static let shapes: [String: [Field]] = [
        "m": [], "hw": [], "bn": [], "sl": [], "x": [], "my": [], "n": [],
        "s": [.id], "ca": [.id], "cc": [.id], "mv": [.id], "rs": [.id],
        "c": [.id, .month], "mc": [.id, .month],
        "d": [.id, .day], "md": [.id, .day],
        "t": [.id, .start], "k": [.id, .start], "mt": [.id, .start], "mk": [.id, .start],
        "r": [.id, .stars],
    ]

    /// Builds the action of numbers already checked against the code's shape.
    private static func action(code: String, numbers n: [Int]) -> CallbackAction {
        func id(_ index: Int) -> Int64 { Int64(n[index]) }
        switch code {
        case "m": return .menu
        case "hw": return .howItWorks
        case "bn": return .bookNow
        case "sl": return .services
        case "s": return .pickService(service: id(0))
        case "c": return .month(service: id(0), month: n[1])
        case "d": return .day(service: id(0), day: n[1])
        case "t": return .slot(service: id(0), start: n[1])
        case "k": return .confirm(service: id(0), start: n[1])
        case "x": return .cancelFlow
        case "my": return .myBookings
        case "ca": return .askCancel(booking: id(0))
        case "cc": return .confirmCancel(booking: id(0))
        case "mv": return .move(booking: id(0))
        case "mc": return .moveMonth(booking: id(0), month: n[1])
        case "md": return .moveDay(booking: id(0), day: n[1])
        case "mt": return .moveSlot(booking: id(0), start: n[1])
        case "mk": return .confirmMove(booking: id(0), start: n[1])
        case "r": return .rate(booking: id(0), stars: n[1])
        case "rs": return .skipReview(booking: id(0))
        default: return .noop  // "n", the only code left in `shapes`
        }
    }

    private static func base36(_ value: Int) -> String {
        String(value, radix: 36)
    }

    /// A canonical base-36 number: lowercase digits, no sign, no leading zero, ≤ 13 digits
    /// (Int64.max has 13); nil past Int's range.
    private static func number(_ text: String) -> Int? {
        guard (1...13).contains(text.count), text == "0" || !text.hasPrefix("0"),
              text.allSatisfy({ ("0"..."9").contains($0) || ("a"..."z").contains($0) }) else { return nil }
        return Int(text, radix: 36)
    }
}

/// The calendar a button can name: 1970-01-01 through 9999-12-31, so every number is
/// non-negative and within `LocalDate`'s calendar. Far wider than any screen offers
/// (`Plausibility` narrows it to around today), far inside what the arithmetic handles.
enum ButtonCalendar {
    static let days = 0...LocalDate.latest.dayNumber
    static let months = MonthIndex.of(LocalDate(dayNumber: 0))...MonthIndex.of(LocalDate.latest)
    /// Minutes since 1970 (UTC) up to the last minute of 9999-12-31 UTC.
    static let minutes = 0...((LocalDate.latest.dayNumber + 1) * 1440 - 1)
}

/// A month as buttons carry it: year × 12 + (month − 1).
enum MonthIndex {
    static func of(_ date: LocalDate) -> Int { date.year * 12 + date.month - 1 }

    /// Nil for an index outside `LocalDate`'s calendar.
    static func firstDay(_ index: Int) -> LocalDate? {
        guard index >= 0 else { return nil }
        return LocalDate(year: index / 12, month: index % 12 + 1, day: 1)
    }
}

/// A start as buttons carry it: whole minutes since 1970 (UTC).
enum MinuteStamp {
    static func of(_ date: Date) -> Int { Int(saturatingFloor: date.timeIntervalSince1970 / 60) }
    static func date(_ minutes: Int) -> Date { Date(timeIntervalSince1970: Double(minutes) * 60) }
}
