import Foundation

/// Times of day as staff type them, read the same way by every screen that asks for one
/// (work hours, a block's hours, a mass shift's range): pure, each piece's digits and
/// range checked before any arithmetic, so no text can overflow.
public enum TypedClock {
    /// The dashes a range may be typed with (a hyphen, en and em dashes, minus signs, a tilde).
    static let dashes: Set<Character> = ["-", "–", "—", "‒", "−", "―", "~"]

    private static func isDigit(_ character: Character) -> Bool { character.isASCII && character.isNumber }

    /// "9", "09", "9:30", "9.30", "24:00" → minutes since midnight (0…1440), or nil.
    public static func minute(_ text: String) -> Int? {
        let colon = text.split(separator: ":", omittingEmptySubsequences: false)
        let pieces = colon.count == 2 ? colon : text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(pieces.count), (1...2).contains(pieces[0].count), pieces[0].allSatisfy(isDigit),
              let hour = Int(pieces[0]) else { return nil }
        var minute = 0
        if pieces.count == 2 {
            guard pieces[1].count == 2, pieces[1].allSatisfy(isDigit), let value = Int(pieces[1]), value < 60 else { return nil }
            minute = value
        }
        let total = hour * 60 + minute
        return total <= 1440 ? total : nil
    }

    /// "10:00-14:30", "10-14", "9:30 – 12" (any dash, spaces around it) → the two times as
    /// minutes since midnight, in the order typed (the caller judges the order), or nil.
    public static func span(_ text: String) -> (from: Int, to: Int)? {
        let parts = text.trimmingCharacters(in: .whitespacesAndNewlines)
            .split(omittingEmptySubsequences: false, whereSeparator: { dashes.contains($0) })
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let from = minute(parts[0]), let to = minute(parts[1]) else { return nil }
        return (from, to)
    }
}
