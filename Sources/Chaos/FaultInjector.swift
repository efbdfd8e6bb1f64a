import DevSupport
import Foundation
import Sandbox

/// Each way production fails that the run reproduces.
enum FaultKind: String, CaseIterable, Sendable {
    case killWorker = "SIGKILL worker", termWorker = "SIGTERM worker"
    /// SIGSTOP for longer than the lease, then SIGCONT: a worker that froze and wakes up
    /// believing it still owns its chats.
    case freezeWorker = "SIGSTOP worker past its lease"
    case killIngress = "SIGKILL ingress", termIngress = "SIGTERM ingress"
    case killReminders = "SIGKILL reminders", termReminders = "SIGTERM reminders"
    case killErrors = "SIGKILL errors", termErrors = "SIGTERM errors"
    case telegram5xx = "Telegram 5xx burst", telegram429 = "Telegram 429 burst"
    case restartRedis = "Redis restart (append-only file)", restartPostgres = "PostgreSQL restart"
    /// One worker's clock two hours ahead for a while, then two hours behind, then right.
    case clockStep = "clock step of one worker"

    /// Faults done once a run: each restarts a server every process depends on.
    var once: Bool { [.restartRedis, .restartPostgres, .clockStep].contains(self) }

    /// The process kind and the signal of a kill or a termination.
    var signal: (kind: Deployment.Kind, signal: Int32)? {
        switch self {
        case .killWorker: return (.worker, SIGKILL)
        case .termWorker: return (.worker, SIGTERM)
        case .killIngress: return (.ingress, SIGKILL)
        case .termIngress: return (.ingress, SIGTERM)
        case .killReminders: return (.reminders, SIGKILL)
        case .termReminders: return (.reminders, SIGTERM)
        case .killErrors: return (.errors, SIGKILL)
        case .termErrors: return (.errors, SIGTERM)
        default: return nil
        }
    }
}

/// Injects faults at random moments until stopped: every kind once first (in a random
/// order), then the repeatable ones at random.
final class FaultInjector: @unchecked Sendable {
    private let deployment: Deployment
    private let sandbox: SandboxServer
    private let ledger: Ledger
    private let root: String
    private let every: Double
    private var random: SplitMix64
    private let lock = NSLock()
    private var running = false
    private var thread: Thread?

    init(deployment: Deployment, sandbox: SandboxServer, ledger: Ledger, root: String, every: Double, seed: UInt64) {
        self.deployment = deployment
        self.sandbox = sandbox
        self.ledger = ledger
        self.root = root
        self.every = every
        random = SplitMix64(seed: seed)
    }

    func start() {
        lock.withLock { running = true }
        let thread = Thread { [self] in run() }
        thread.name = "faults"
        self.thread = thread
        thread.start()
    }

    /// Stops injecting and waits for the fault in progress to end.
    func stop() {
        lock.withLock { running = false }
        while thread?.isFinished == false { Thread.sleep(forTimeInterval: 0.1) }
    }

    private var isRunning: Bool { lock.withLock { running } }

    private func run() {
        var first = FaultKind.allCases.map { ($0, random.unit()) }.sorted { $0.1 < $1.1 }.map(\.0)
        let repeatable = FaultKind.allCases.filter { !$0.once }
        while isRunning {
            // Half to one and a half times the mean gap (the first round at half that, so every
            // kind happens early even in a short run), in small steps so a stop is quick.
            let gap = every * (0.5 + random.unit()) * (first.isEmpty ? 1 : 0.5)
            let until = Date().addingTimeInterval(gap)
            while isRunning && Date() < until { Thread.sleep(forTimeInterval: 0.1) }
            guard isRunning else { return }
            let kind = first.isEmpty ? repeatable[min(repeatable.count - 1, Int(random.unit() * Double(repeatable.count)))] : first.removeFirst()
            inject(kind)
        }
    }

    private func pick(_ kind: Deployment.Kind) -> Deployment.Member {
        let members = deployment.members(of: kind)
        return members[min(members.count - 1, Int(random.unit() * Double(members.count)))]
    }

    private func inject(_ kind: FaultKind) {
        switch kind {
        case .freezeWorker:
            deployment.freeze(pick(.worker), for: Deployment.lease * 2)
        case .telegram5xx:
            sandbox.injectServerErrors(calls: 20, status: [500, 502, 503][Int(random.unit() * 3) % 3])
        case .telegram429:
            sandbox.injectFlood(calls: 20, retryAfter: 1 + Int(random.unit() * 3))
        case .restartRedis, .restartPostgres:
            // Recorded once done: a restart that failed did not happen.
            guard restartServer(kind == .restartRedis ? "redis" : "postgres") else { return }
        case .clockStep:
            // Two hours ahead, then two hours behind (a step back of four), then right again.
            guard (try? String(7200.0).write(toFile: deployment.steppedClockFile, atomically: true, encoding: .utf8)) != nil else { return }
            ledger.injected(kind)
            let behind = Date().addingTimeInterval(10), back = Date().addingTimeInterval(20)
            while Date() < behind && isRunning { Thread.sleep(forTimeInterval: 0.1) }
            try? String(-7200.0).write(toFile: deployment.steppedClockFile, atomically: true, encoding: .utf8)
            while Date() < back && isRunning { Thread.sleep(forTimeInterval: 0.1) }
            try? FileManager.default.removeItem(atPath: deployment.steppedClockFile)
            return
        case .killWorker, .termWorker, .killIngress, .termIngress, .killReminders, .termReminders, .killErrors, .termErrors:
            guard let (target, signal) = kind.signal else { return }
            deployment.signal(pick(target), signal)
        }
        ledger.injected(kind)
    }

    /// `scripts/services restart <server>`: the same port, password and data. False when it failed.
    private func restartServer(_ server: String) -> Bool {
        do {
            // runuser and pg_ctl live in sbin, which a test's PATH may leave out.
            var environment = ProcessInfo.processInfo.environment
            environment["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
            let script = try ChildProcess("/bin/bash", ["\(root)/scripts/services", "restart", server], environment: environment)
            let result = script.wait(orKillAt: Date().addingTimeInterval(60))
            if result.status == 0 { return true }
            Chaos.say("restarting \(server) failed (\(result.status)): \(result.stderr.suffix(500))")
        } catch {
            Chaos.say("restarting \(server) failed: \(error)")
        }
        return false
    }
}
