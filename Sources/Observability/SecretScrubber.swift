import Foundation

/// Removes secrets from text bound for logs (and, later, Sentry events).
///
/// Two nets: the exact secrets this process was configured with (registered at start),
/// and patterns that catch secrets it was not told about: bot tokens and passwords in URLs.
public final class SecretScrubber: @unchecked Sendable {
    public static let shared = SecretScrubber()
    public static let mask = "***"

    private let lock = NSLock()
    private var secrets: [String] = []

    public init() {}

    /// Registers exact strings to mask everywhere (short ones are ignored: masking "a"
    /// would garble every line).
    /// Each is also registered as JSON writes it inside a string (`"` as `\"`, `\` as `\\`),
    /// for text that was escaped before it got here.
    public func register(_ values: [String?]) {
        let fresh = values.compactMap { $0 }.filter { $0.count >= 6 }.flatMap { [$0] + Self.jsonEscaped($0) }
        lock.withLock {
            secrets = Array(Set(secrets + fresh)).sorted { $0.count > $1.count }
        }
    }

    /// The forms `JSONSerialization` gives a string inside quotes, with and without `\/`,
    /// where they differ from the string itself.
    static func jsonEscaped(_ secret: String) -> [String] {
        let forms = [JSONSerialization.WritingOptions.withoutEscapingSlashes, []].compactMap { options -> String? in
            guard let data = try? JSONSerialization.data(withJSONObject: [secret], options: options) else { return nil }
            let text = String(decoding: data, as: UTF8.self)
            guard text.hasPrefix("[\""), text.hasSuffix("\"]") else { return nil }
            return String(text.dropFirst(2).dropLast(2))
        }
        return Array(Set(forms.filter { $0 != secret }))
    }

    public func scrub(_ text: String) -> String {
        var result = text
        let known = lock.withLock { secrets }
        for secret in known where result.contains(secret) {
            result = result.replacingOccurrences(of: secret, with: Self.mask)
        }
        // Both patterns need a colon; most strings have none, and regexes are not cheap
        // (every log line and every event string passes here).
        guard result.utf8.contains(UInt8(ascii: ":")) else { return result }
        // Bot API tokens: `<bot id>:<35 characters>`; the bot id stays, it is public.
        result = result.replacing(/([0-9]{5,20}):[A-Za-z0-9_-]{30,}/) { "\($0.output.1):\(Self.mask)" }
        // Passwords in URLs: scheme://user:password@host
        if result.utf8.contains(UInt8(ascii: "@")) {
            result = result.replacing(/([a-z][a-z0-9+.-]*:\/\/[^\/\s:@]*):[^@\s\/]+@/) { "\($0.output.1):\(Self.mask)@" }
        }
        return result
    }
}
