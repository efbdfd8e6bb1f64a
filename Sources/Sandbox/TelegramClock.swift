import Dispatch

/// Telegram's own sense of time: monotonic, unlike `SandboxOptions.now`, which tests move.
enum TelegramClock {
    /// Seconds since an arbitrary start.
    static var now: Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
}
