import Foundation

/// A language the bot speaks to clients in. Each has a full catalog; Russian is the
/// fallback the SPEC asks for when a user's language is not one of them.
public enum Language: String, Sendable, CaseIterable, Codable {
    case ru, en

    /// The language for one user.
    ///
    /// `setting` is `BOT_LANGUAGE`: `"ru"` or `"en"` fix the language for everybody;
    /// `"auto"` follows the user's Telegram `language_code` (`"en"`, `"en-GB"` → English;
    /// `"ru"`, `"uk"`, `"be"`, `"kk"` → Russian, the language those users read most;
    /// anything else, or none → Russian). Case and surrounding spaces do not matter; an
    /// unknown setting (configuration validates it first) also falls back to Russian.
    public static func resolve(setting: String, userLanguageCode: String?) -> Language {
        switch trimmingSpaces(setting).lowercased() {
        case "ru": return .ru
        case "en": return .en
        case "auto": return fromTelegram(userLanguageCode)
        default: return .ru
        }
    }

    /// Telegram sends IETF tags ("en", "en-US", sometimes "pt-br"): only the primary
    /// subtag decides, so "eng" or "english" are not mistaken for English.
    private static func fromTelegram(_ code: String?) -> Language {
        guard let code else { return .ru }
        let primary = trimmingSpaces(code).lowercased()
            .split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map(String.init) ?? ""
        switch primary {
        case "en": return .en
        case "ru", "uk", "be", "kk": return .ru
        default: return .ru
        }
    }

    /// `trimmingCharacters(in: .whitespaces)` (tab and the Unicode space separators) without
    /// Foundation's bridging, which cost more than the rest of a reply's language choice on
    /// every update.
    static func trimmingSpaces(_ text: String) -> String {
        let scalars = text.unicodeScalars
        let space: (Unicode.Scalar) -> Bool = { $0 == "\t" || $0.properties.generalCategory == .spaceSeparator }
        guard let first = scalars.firstIndex(where: { !space($0) }), let last = scalars.lastIndex(where: { !space($0) }) else { return "" }
        return String(scalars[first...last])
    }
}
