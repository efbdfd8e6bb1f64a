import Foundation

/// SIGTERM and SIGINT, as every long-running subcommand takes them: the first asks for a
/// graceful stop (stop claiming, finish or release what is held, exit 0 within
/// `SHUTDOWN_GRACE_SECONDS`); a second one exits at once, with 128 + the signal's number.
enum ShutdownSignal {
    /// The signal sources stay alive for the whole process, to catch the second signal.
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []

    /// Installs the handlers; `first` runs once, on the first signal. Other listeners of the
    /// same signals (the HTTP server's service group) still get them.
    static func install(first: @escaping @Sendable () -> Void = {}) {
        let signals = SignalCount()
        for number in [SIGTERM, SIGINT] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                // Signals that arrive before the handler runs are merged into one call;
                // `data` says how many there were.
                if signals.add(max(1, Int(source.data))) > 1 { exit(128 + number) }
                first()
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Blocks the calling thread until the first signal.
    static func wait() {
        let received = DispatchSemaphore(value: 0)
        install { received.signal() }
        received.wait()
    }

    private final class SignalCount: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func add(_ received: Int) -> Int { lock.withLock { count += received; return count } }
    }
}
