import Foundation

/// What release this process is, for the events' `release` (`bookingbot@<version>+<sha>`).
public enum BuildInfo {
    public static let version = "0.1.0"

    /// The commit deployed: `GIT_SHA`, or `SOURCE_VERSION` (set by Procfile hosts on
    /// build); "unknown" when neither is.
    public static var gitSHA: String {
        let environment = ProcessInfo.processInfo.environment
        for name in ["GIT_SHA", "SOURCE_VERSION"] {
            if let value = environment[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty { return String(value.prefix(12)) }
        }
        return "unknown"
    }
}
