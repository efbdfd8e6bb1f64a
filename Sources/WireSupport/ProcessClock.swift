import Foundation

/// The time a process acts on: the system clock, unless a test moves it.
///
/// Tests of reminders and cut-offs cannot wait a day, so a process started with
/// `BOOKINGBOT_TEST_CLOCK_FILE` adds the seconds written in that file (a decimal number,
/// re-read on every call; a missing or unreadable file counts as 0) to the system clock.
/// Every process of a test reads the same file, so they share one moved clock. Nothing
/// else reads the variable; a deployment never sets it.
public struct ProcessClock: Sendable {
    private let offsetFile: String?

    public init(offsetFile: String? = nil) {
        self.offsetFile = offsetFile
    }

    /// The clock of this process: moved only when the test variable names a file.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> ProcessClock {
        ProcessClock(offsetFile: environment["BOOKINGBOT_TEST_CLOCK_FILE"].flatMap { $0.isEmpty ? nil : $0 })
    }

    public var isMoved: Bool { offsetFile != nil }

    public func now() -> Date {
        Date().addingTimeInterval(offset)
    }

    private var offset: TimeInterval {
        guard let offsetFile, let data = FileManager.default.contents(atPath: offsetFile),
              let seconds = Double(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)),
              seconds.isFinite else { return 0 }
        return seconds
    }
}
