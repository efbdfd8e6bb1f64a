import DevSupport
import Foundation

/// The bot's processes as production runs them, under a supervisor that starts again
/// whatever ends (systemd's `Restart=always`, `RestartSec=1`): the faults kill and stop
/// them, the supervisor brings them back, and nothing else helps the bot recover.
final class Deployment: @unchecked Sendable {
    enum Kind: String, CaseIterable, Sendable {
        case ingress, worker, reminders, errors
    }

    /// One process of the deployment, under a stable name ("worker 2").
    struct Member: Hashable, Sendable {
        let kind: Kind
        let number: Int
        var name: String { "\(kind.rawValue) \(number)" }
    }

    let members: [Member]
    /// Telegram hands updates to one of them at a time: ingress 1 and 3 poll (one leads,
    /// the other stands by and takes over when the leader dies), ingress 2 takes the
    /// webhook once `switchToWebhook` has run.
    let pollingIngresses = [Member(kind: .ingress, number: 1), Member(kind: .ingress, number: 3)]
    let webhookIngress = Member(kind: .ingress, number: 2)
    private let bot: SandboxedBot
    private let environment: [String: String]
    private let logs: String
    /// Worker 1 reads its own clock file, which the clock-step fault moves.
    let steppedClockFile: String
    private let ingressPorts: [Member: Int]
    /// The webhook ingress's /healthz and /metrics.
    private let adminPort: Int
    private let lock = NSLock()
    private var running: [Member: ChildProcess] = [:]
    /// Members the supervisor keeps running (the other ingress waits for its turn).
    private var active: Set<Member> = []
    private var frozen: Set<Member> = []
    private var starts: [Member: Int] = [:]
    /// How each ended life of a member ended (exit code, or 128 + the signal), as the
    /// supervisor found it: the faults' kills, or a crash of the process's own.
    private var ends: [(member: Member, status: Int32)] = []
    private var supervising = false
    private var supervisor: Thread?

    init(bot: SandboxedBot, environment: [String: String], logs: String, workers: Int) {
        self.bot = bot
        self.environment = environment
        self.logs = logs
        steppedClockFile = "\(logs)/worker-1.clock"
        members = pollingIngresses + [webhookIngress] + (1...workers).map { Member(kind: .worker, number: $0) }
            + [Member(kind: .reminders, number: 1), Member(kind: .reminders, number: 2), Member(kind: .errors, number: 1)]
        ingressPorts = Dictionary(uniqueKeysWithValues: members.filter { $0.kind == .ingress }.map { ($0, unusedLoopbackPort()) })
        adminPort = unusedLoopbackPort()
    }

    /// Sends one event through the error path (`bookingbot errors test`: capture, Redis, the
    /// forwarder, Bugsink) and waits until it is delivered. Before the load: the run's error
    /// invariant means something only if that path works, and the forwarder's first post
    /// (code it runs for the first time) then falls inside the soak's warm-up.
    func checkErrorPath() throws {
        let result = try runProgram(bot.binary, ["errors", "test", "--timeout", "60"], environment: environment)
        guard result.status == 0 else {
            throw ChaosError("the error path did not deliver a test event: \(result.stdout) \(result.stderr)".trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    /// Starts every member, then the supervisor.
    func start() throws {
        try? FileManager.default.removeItem(atPath: steppedClockFile)
        for member in members where member != webhookIngress { try launch(member) }
        lock.withLock { supervising = true }
        let thread = Thread { [self] in superviseUntilStopped() }
        thread.name = "supervisor"
        supervisor = thread
        thread.start()
    }

    private func launch(_ member: Member) throws {
        let output = ChildProcess.Output.log(path: "\(logs)/\(member.kind.rawValue)-\(member.number).log")
        let process: ChildProcess
        switch member.kind {
        case .ingress where member == webhookIngress:
            process = try bot.startIngress(port: ingressPorts[member]!, source: .webhook(adminPort: adminPort), arguments: ["--host", "127.0.0.1"],
                                           environment: environment, output: output, name: member.name)
        case .ingress:
            process = try bot.startIngress(port: ingressPorts[member]!, arguments: ["--host", "127.0.0.1", "--leader-ttl", "3"],
                                           environment: environment, output: output, name: member.name)
        case .worker:
            var environment = environment
            if member.number == 1 { environment["BOOKINGBOT_TEST_CLOCK_FILE"] = steppedClockFile }
            // A short lease: a frozen or killed worker's chats come back within seconds.
            process = try bot.startWorker(concurrency: 2, arguments: ["--lease", "\(Self.lease)"], environment: environment,
                                          output: output, name: member.name)
        case .reminders:
            process = try ChildProcess(bot.binary, ["reminders", "--tick", "0.5"], environment: environment, output: output, name: member.name)
        case .errors:
            process = try ChildProcess(bot.binary, ["errors"], environment: environment, output: output, name: member.name)
        }
        lock.withLock {
            running[member] = process
            active.insert(member)
            starts[member, default: 0] += 1
        }
    }

    /// Telegram's updates by webhook from now on, as a deployment moves from polling: the
    /// webhook ingress starts, the webhook is set (the Sandbox POSTs what waits, retrying
    /// until the ingress answers), and the polling ingresses stop for good.
    func switchToWebhook() throws {
        try launch(webhookIngress)
        try bot.registerWebhook(port: ingressPorts[webhookIngress]!)
        let polling = lock.withLock { () -> [ChildProcess] in
            pollingIngresses.compactMap { member in
                active.remove(member)
                return running.removeValue(forKey: member)
            }
        }
        polling.forEach { $0.signal(SIGTERM) }
        polling.forEach { _ = $0.wait(orKillAt: Date().addingTimeInterval(10)) }
    }

    /// Seconds a worker holds a chat without renewing its lease.
    static let lease = 5.0

    private func superviseUntilStopped() {
        while lock.withLock({ supervising }) {
            let ended = lock.withLock { running.filter { active.contains($0.key) && !$0.value.isRunning } }
            lock.withLock { ends += ended.map { ($0.key, $0.value.wait().status) } }
            for member in ended.keys {
                Thread.sleep(forTimeInterval: 1)
                // Still ours to restart: not stopped meanwhile, not retired (the polling ingress).
                guard lock.withLock({ supervising && active.contains(member) }) else { continue }
                do {
                    try launch(member)
                } catch {
                    Chaos.say("the supervisor could not start \(member.name) again: \(error)")
                }
            }
            Thread.sleep(forTimeInterval: 0.2)
        }
    }

    func process(_ member: Member) -> ChildProcess? { lock.withLock { running[member] } }

    /// The members of that kind the supervisor keeps running now.
    func members(of kind: Kind) -> [Member] { lock.withLock { members.filter { $0.kind == kind && active.contains($0) } } }

    func signal(_ member: Member, _ signal: Int32) {
        process(member)?.signal(signal)
    }

    /// SIGSTOP now, SIGCONT after `seconds` (from another thread).
    func freeze(_ member: Member, for seconds: Double) {
        guard let process = process(member) else { return }
        lock.withLock { _ = frozen.insert(member) }
        process.signal(SIGSTOP)
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { [self] in thaw(member, process) }
    }

    private func thaw(_ member: Member, _ process: ChildProcess) {
        process.signal(SIGCONT)
        lock.withLock { _ = frozen.remove(member) }
    }

    /// Every frozen member running again (before the drain).
    func thawAll() {
        let members = lock.withLock { frozen }
        for member in members { process(member).map { thaw(member, $0) } }
    }

    /// How many times each member was started (1: never restarted).
    var startCounts: [Member: Int] { lock.withLock { starts } }

    /// Memory of each running member.
    func residentMemory() -> [Member: ResidentMemory] {
        lock.withLock { running }.compactMapValues { $0.residentMemory() }
    }

    /// Signals that end a process by its own fault (a Swift trap, an abort, a bad access),
    /// never sent by the faults.
    static let crashSignals: [Int32: String] = [SIGTRAP: "SIGTRAP", SIGILL: "SIGILL", SIGABRT: "SIGABRT", SIGBUS: "SIGBUS",
                                                SIGFPE: "SIGFPE", SIGSEGV: "SIGSEGV"]

    /// No process crashed: every life ended by a fault's signal or its own clean exit.
    func crashes() -> Invariants.Outcome {
        let ends = lock.withLock { self.ends }
        let crashed = ends.filter { $0.status > 128 && Self.crashSignals[$0.status - 128] != nil }
        let byStatus = Dictionary(grouping: ends, by: \.status).map { status, lives in
            "\(lives.count)× " + (status > 128 ? Self.crashSignals[status - 128] ?? "signal \(status - 128)" : "exit \(status)")
        }.sorted()
        return Invariants.Outcome(name: "no process crashed (trap, abort, bad access)",
                                  broken: crashed.isEmpty ? nil : crashed.prefix(5).map { "\($0.member.name): \(Self.crashSignals[$0.status - 128]!)" }.joined(separator: ", "),
                                  figures: ends.isEmpty ? "no process ended during the run" : "ends during the run: \(byStatus.joined(separator: ", "))")
    }

    /// SIGTERM to all (but those of `kind`), as a deployment stops them; killed after their grace.
    func stop(except kind: Kind? = nil) {
        lock.withLock { supervising = false }
        // The supervisor finishes the start it may be making, so nothing starts after the list is taken.
        while supervisor?.isFinished == false { Thread.sleep(forTimeInterval: 0.05) }
        thawAll()
        let processes = lock.withLock { () -> [ChildProcess] in
            let stopping = running.filter { $0.key.kind != kind }
            stopping.keys.forEach { running.removeValue(forKey: $0) }
            return Array(stopping.values)
        }
        processes.forEach { $0.signal(SIGTERM) }
        let deadline = Date().addingTimeInterval(10)
        processes.forEach { _ = $0.wait(orKillAt: deadline) }
    }
}
