import Foundation

/// SIGTERM and SIGINT, as every long-running subcommand takes them: the first asks for a
/// graceful stop (stop claiming, finish or release what is held, exit 0 within
/// `SHUTDOWN_GRACE_SECONDS`); a second one exits at once, with 128 + the signal's number.
///
/// Listen before starting work: until the handlers are in place a signal has its default
/// effect (the process ends at once, which loses nothing: leases expire, updates stay
/// queued), and once `install` returns every signal is counted. No signal is ever dropped.
enum ShutdownSignal {
    /// The signal sources stay alive for the whole process, to catch the second signal.
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []

    /// Installs the handlers and returns once they are in place; `first` runs once, on the
    /// first signal. Be the process's only listener: a second one (say, a service group's)
    /// would register at another moment, and a signal could reach one and not the other.
    static func install(first: @escaping @Sendable () -> Void = {}) {
        let signals = SignalCount()
        for number in [SIGTERM, SIGINT] {
            #if canImport(Darwin)
            // kqueue sees a signal only if its default action is off. On Linux, Dispatch puts
            // its own handler in place when the source is registered; ignoring the signal
            // before that would drop one that arrives in between.
            signal(number, SIG_IGN)
            #endif
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                // Signals that arrive before the handler runs are merged into one call;
                // `data` says how many there were.
                if signals.add(max(1, Int(source.data))) > 1 { exit(128 + number) }
                first()
            }
            let registered = DispatchSemaphore(value: 0)
            source.setRegistrationHandler { registered.signal() }
            source.resume()
            // Registration takes microseconds; the bound only guards against a Dispatch that
            // never reports it.
            _ = registered.wait(timeout: .now() + 1)
            sources.append(source)
        }
    }

    /// `install` for async code: the wait for the registration is done on a thread of its
    /// own, not on the cooperative pool.
    static func install(first: @escaping @Sendable () -> Void = {}) async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Thread {
                install(first: first)
                done.resume()
            }.start()
        }
    }

    /// Installs the handlers (see `install`); `wait()` on the result blocks until the first
    /// signal.
    static func listen() -> FirstSignal {
        let received = DispatchSemaphore(value: 0)
        install { received.signal() }
        return FirstSignal(received: received)
    }

    /// The first shutdown signal, to wait for once the work has started.
    struct FirstSignal {
        fileprivate let received: DispatchSemaphore

        /// Blocks the calling thread until the first signal.
        func wait() { received.wait() }
    }

    private final class SignalCount: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func add(_ received: Int) -> Int { lock.withLock { count += received; return count } }
    }
}
