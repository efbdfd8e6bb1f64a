import Dispatch
import Foundation

/// What a driver program (the bench, the chaos run) started, stopped on every way out:
/// its end, an error, a Ctrl-C, its script's SIGTERM, its watchdog.
public final class ExitGuards: @unchecked Sendable {
    private let lock = NSLock()
    /// Held for a whole teardown: a signal during the program's own teardown waits for it
    /// to finish instead of exiting halfway through it.
    private let tearingDown = NSLock()
    private var children: [ChildProcess] = []
    private var cleanups: [@Sendable () -> Void] = []
    private var signalSources: [DispatchSourceSignal] = []

    public init() {}

    public func add(_ child: ChildProcess) { lock.withLock { children.append(child) } }
    public func onExit(_ cleanup: @escaping @Sendable () -> Void) { lock.withLock { cleanups.append(cleanup) } }

    /// Kills every child, then runs the cleanups, last first (each once).
    public func tearDown() {
        tearingDown.lock()
        defer { tearingDown.unlock() }
        let (children, cleanups) = lock.withLock {
            defer { self.children = []; self.cleanups = [] }
            return (self.children, self.cleanups)
        }
        children.forEach { $0.kill() }
        cleanups.reversed().forEach { $0() }
    }

    /// SIGINT and SIGTERM end the program with exit 130, and the watchdog after `seconds`
    /// with `watchdogExit`, each after `tearDown`.
    public func install(watchdog seconds: Double, watchdogExit: Int32, say: @escaping @Sendable (String) -> Void) {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [self] in
                say("interrupted: stopping the processes")
                tearDown()
                exit(130)
            }
            source.resume()
            lock.withLock { signalSources.append(source) }
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { [self] in
            say("error: the run took more than \(Int(seconds)) s: stopped")
            tearDown()
            exit(watchdogExit)
        }
    }
}
