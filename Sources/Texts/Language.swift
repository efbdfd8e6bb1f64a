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
        switch setting.trimmingCharacters(in: .whitespaces).lowercased() {
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
        let primary = code.trimmingCharacters(in: .whitespaces).lowercased()
            .split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map(String.init) ?? ""
        switch primary {
        case "en": return .en
        case "ru", "uk", "be", "kk": return .ru
        default: return .ru
        }
    }
}
