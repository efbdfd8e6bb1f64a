import Foundation
import Texts

/// What the staff set on a service (SPEC admin 5), already checked: the form's draft
/// becomes these only through `ServiceDraft.validated`.
public struct ServiceFields: Codable, Sendable, Equatable {
    public var name: String
    public var description: String
    public var durationMinutes: Int
    public var priceText: String
    /// The numeric price in hundredths (kopecks, cents), for revenue estimates; nil: none.
    public var priceCents: Int64?

    public init(name: String, description: String = "", durationMinutes: Int, priceText: String = "", priceCents: Int64? = nil) {
        self.name = name
        self.description = description
        self.durationMinutes = durationMinutes
        self.priceText = priceText
        self.priceCents = priceCents
    }
}

/// A service as the staff screens see it, whatever its state.
public struct StaffService: Sendable, Equatable {
    public var id: Int64
    public var fields: ServiceFields
    public var active: Bool
    public var archived: Bool
    public var displayOrder: Int

    public init(id: Int64, fields: ServiceFields, active: Bool, archived: Bool, displayOrder: Int) {
        self.id = id
        self.fields = fields
        self.active = active
        self.archived = archived
        self.displayOrder = displayOrder
    }

    /// Offered to clients now.
    public var bookable: Bool { active && !archived }
}

/// How many bookings name a service.
public struct ServiceBookingCounts: Sendable, Equatable {
    /// Confirmed bookings that have not started.
    public var upcoming: Int
    /// Every booking ever made of it, whatever became of it: a service with any is never deleted.
    public var ever: Int

    public init(upcoming: Int, ever: Int) {
        self.upcoming = upcoming
        self.ever = ever
    }
}

/// Why the store did not make a service change (decided at commit time).
public enum ServiceRefusal: String, Sendable, Equatable, Codable {
    case notFound
    /// Another service in use has this name (case-insensitively).
    case nameTaken
    /// Archived services are not edited, switched on or off, or reordered: restore first.
    case archived
    case notArchived
    /// It was booked at least once: archive it instead of deleting.
    case hasBookings
    /// Never booked: delete it instead of archiving.
    case neverBooked
    /// First or last already.
    case atEdge
    /// The draft does not pass the form's checks (a stored state tampered with or stale).
    case invalid
}

/// The store's decision on a service change.
public enum ServiceResult: Sendable, Equatable {
    /// The service as it is now (a deleted one: as it was), and its fields before the change.
    case done(StaffService, before: ServiceFields?)
    case refused(ServiceRefusal)

    public var refusal: ServiceRefusal? {
        if case .refused(let why) = self { return why }
        return nil
    }
}

/// The way a service moves in the list.
public enum ServiceMove: String, Sendable, Equatable {
    case up, down
}

/// The checks and conveniences of a service's fields, pure, shared by the form (each
/// answer) and its Confirm (everything again). Lengths are checked both as a person counts
/// them and as PostgreSQL's CHECKs do (code points), so no accepted text can fail a CHECK.
public enum ServiceInput {
    public static let nameLength = 3...100
    public static let descriptionMax = 500
    public static let priceTextMax = 50
    public static let minutes = 15...480
    public static let minuteStep = 5
    /// numeric(12, 2): ten digits before the point.
    public static let maxCents: Int64 = 999_999_999_999

    /// The answer without control characters (PostgreSQL text cannot hold NUL, and a name
    /// or price on one line reads as one): line breaks kept only where asked, as spaces
    /// elsewhere, the rest dropped.
    public static func clean(_ text: String, keepingLines: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.properties.generalCategory != .control {
                scalars.append(scalar)
            } else if scalar == "\n" && keepingLines {
                scalars.append(scalar)
            } else if scalar.properties.isWhitespace {
                scalars.append(" ")
            }
        }
        return String(scalars).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// An answer that clears an optional field.
    public static func isNone(_ text: String) -> Bool { ["-", "—", "–"].contains(text) }

    public static func nameProblem(_ name: String, taken: Set<String>) -> FieldProblem? {
        guard nameLength.contains(name.count), name.unicodeScalars.count <= nameLength.upperBound else {
            return .length(min: nameLength.lowerBound, max: nameLength.upperBound)
        }
        // Not `CharacterSet.alphanumerics`: it holds the marks, and emoji carry one (U+FE0F).
        guard name.unicodeScalars.contains(where: { $0.properties.isAlphabetic || $0.properties.generalCategory == .decimalNumber }) else {
            return .needsLetterOrDigit
        }
        if taken.contains(name.lowercased()) { return .taken }
        return nil
    }

    public static func textProblem(_ text: String, max: Int) -> FieldProblem? {
        text.unicodeScalars.count <= max ? nil : .tooLong(max: max)
    }

    public static func minutesProblem(_ minutes: Int) -> FieldProblem? {
        minutes.isMultiple(of: minuteStep) && Self.minutes.contains(minutes)
            ? nil : .minutes(min: Self.minutes.lowerBound, max: Self.minutes.upperBound, step: minuteStep)
    }

    /// "90", "1:30", "1h 30m", "1ч 30м", "45 min", "2 часа": minutes, or nil. Numbers are
    /// at most a few digits before they are converted, so no answer can overflow.
    public static func minutes(_ text: String) -> Int? {
        let text = text.lowercased().trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty, text.count <= 40 else { return nil }
        if text.allSatisfy(\.isASCIIDigit) { return text.count <= 4 ? Int(text) : nil }
        let clock = text.split(separator: ":", omittingEmptySubsequences: false)
        if clock.count == 2 {
            guard (1...2).contains(clock[0].count), clock[1].count == 2, (clock[0] + clock[1]).allSatisfy(\.isASCIIDigit),
                  let hours = Int(clock[0]), let minutes = Int(clock[1]), minutes < 60 else { return nil }
            return hours * 60 + minutes
        }
        let pattern = #"^(?:([0-9]{1,2})\s*(?:h|hr|hrs|hour|hours|ч|час|часа|часов)\.?)?\s*(?:([0-9]{1,3})\s*(?:m|min|mins|minute|minutes|м|мин|минута|минуты|минут)\.?)?$"#
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return nil }
        let number = { (group: Int) -> Int? in Range(match.range(at: group), in: text).flatMap { Int(text[$0]) } }
        let (hours, minutes) = (number(1), number(2))
        guard hours != nil || minutes != nil else { return nil }
        return (hours ?? 0) * 60 + (minutes ?? 0)
    }

    /// "1500", "1 500", "1500.5", "1500,50": hundredths, or nil (negative, more than two
    /// decimals, too large, not a number).
    public static func cents(_ text: String) -> Int64? {
        let compact = text.filter { !$0.isWhitespace && $0 != "\u{00A0}" && $0 != "\u{202F}" }
        let parts = compact.split(separator: compact.contains(",") ? "," : ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), (1...10).contains(parts[0].count), parts[0].allSatisfy(\.isASCIIDigit) else { return nil }
        var fraction = parts.count == 2 ? String(parts[1]) : ""
        guard fraction.count <= 2, fraction.allSatisfy(\.isASCIIDigit), parts.count == 1 || !fraction.isEmpty else { return nil }
        while fraction.count < 2 { fraction += "0" }
        guard let whole = Int64(parts[0]), let hundredths = Int64(fraction) else { return nil }
        let cents = whole * 100 + hundredths
        return cents <= maxCents ? cents : nil
    }

    /// The first price-like number in a price text ("от 1 500 ₽", "$25.50"): the amount
    /// the form offers. Nil when there is none, or several that disagree would be a guess.
    public static func centsFound(in priceText: String) -> Int64? {
        let pattern = #"[0-9]{1,3}(?:[ \u00A0\u202F][0-9]{3})+(?:[.,][0-9]{1,2})?|[0-9]+(?:[.,][0-9]{1,2})?"#
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let match = regex.firstMatch(in: priceText, range: NSRange(priceText.startIndex..., in: priceText)),
              let range = Range(match.range, in: priceText) else { return nil }
        return cents(String(priceText[range]))
    }
}

/// A numeric price as the staff read and type it.
public enum ServicePrice {
    /// "1500" or "1500.50".
    public static func text(cents: Int64) -> String {
        let (whole, hundredths) = cents.quotientAndRemainder(dividingBy: 100)
        return hundredths == 0 ? String(whole) : String(whole) + "." + (hundredths < 10 ? "0" : "") + String(hundredths)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
