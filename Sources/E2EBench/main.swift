// The end-to-end benchmark behind `scripts/bench e2e`: the Sandbox (in this process) as
// Telegram, a real `bookingbot ingress --polling` and N `bookingbot worker` processes,
// the Redis and PostgreSQL of `scripts/services`. Simulated users each send a fixed
// sequence of commands, one at a time (the next a short pause after the whole reply to
// the last has arrived); every update's time from `sendText` to its reply's last message
// is kept.
//
//   E2EBench --bin <release bookingbot> --workers N [--concurrency 2] [--users 200]
//            [--updates 5000] [--think-ms 100] [--max-seconds 45] [--logs <folder>]
//
// DATABASE_URL (a role that may CREATE DATABASE) and REDIS_URL come from the environment.
// A user pauses about --think-ms between a reply and its next command, as people do: with
// no pause a worker keeps a chat whose next update is already queued, and the figures
// would show that rather than the queue's turn-taking. Before the load, one user alone
// sends 40 commands: the reply latency with nothing else going on.
//
// Prints one tab-separated line on stdout:
//   workers  updates/s  p50  p99  worker RSS (VmHWM/VmRSS MiB, per process)  alone p50  notes
// and progress on stderr. Everything is on loopback and bounded: a fresh database
// (dropped at the end), a fresh Redis prefix, a time cap on the load, a watchdog on the
// whole run; the child processes are stopped at the end and killed on any failure.
//
// Blocking only: this runs on the main thread and never inside a Swift task.
import Dispatch
import Foundation
import Postgres
import Sandbox
import Store
import Telegram

// MARK: - Options

struct Options {
    var binary = ""
    var workers = 1
    var concurrency = 2
    var users = 200
    var updates = 5000
    var maxSeconds = 45.0
    var thinkMilliseconds = 100
    var logs = FileManager.default.temporaryDirectory.path

    static func parse(_ arguments: [String]) -> Options {
        var options = Options()
        var rest = arguments[...]
        func value(_ name: String) -> String {
            guard let value = rest.popFirst() else { Bench.fail("\(name) needs a value") }
            return value
        }
        func number(_ name: String) -> Int {
            guard let number = Int(value(name)), number > 0 else { Bench.fail("\(name) needs a positive whole number") }
            return number
        }
        while let argument = rest.popFirst() {
            switch argument {
            case "--bin": options.binary = value(argument)
            case "--workers": options.workers = number(argument)
            case "--concurrency": options.concurrency = number(argument)
            case "--users": options.users = number(argument)
            case "--updates": options.updates = number(argument)
            case "--max-seconds": options.maxSeconds = Double(number(argument))
            case "--think-ms":
                guard let value = Int(value(argument)), (0...10_000).contains(value) else { Bench.fail("--think-ms needs 0–10000") }
                options.thinkMilliseconds = value
            case "--logs": options.logs = value(argument)
            default: Bench.fail("unknown argument \(argument)")
            }
        }
        guard !options.binary.isEmpty else { Bench.fail("--bin <path of the bookingbot binary> is required") }
        guard options.workers <= 16, options.concurrency <= 16, options.users <= 10_000, options.updates <= 1_000_000 else {
            Bench.fail("too large: at most 16 workers, concurrency 16, 10,000 users, 1,000,000 updates")
        }
        options.updates = max(options.updates, options.users)
        return options
    }
}

// MARK: - Child processes

/// A `bookingbot` process with its output in a log file; stopped or killed by this one.
final class Child: @unchecked Sendable {
    let name: String
    let pid: pid_t
    let log: String
    private let lock = NSLock()
    private var exited = false

    init(name: String, binary: String, arguments: [String], environment: [String: String], log: String) throws {
        self.name = name
        self.log = log
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([binary] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        // This process ignores SIGINT and SIGTERM (a dispatch source handles them), and
        // ignored signals stay ignored across exec: the children get the defaults back.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        var pid: pid_t = 0
        let code = posix_spawn(&pid, binary, &actions, &attributes, argv, envp)
        guard code == 0 else { throw BenchError("cannot start \(binary): \(String(cString: strerror(code)))") }
        self.pid = pid
    }

    /// True while the process runs (reaps it once it has ended).
    var running: Bool {
        lock.withLock {
            if exited { return false }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid { exited = true }
            return !exited
        }
    }

    /// VmHWM and VmRSS in KiB, from /proc/<pid>/status.
    func memory() -> (peak: Int, resident: Int)? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        var fields: [String: Int] = [:]
        for line in status.split(separator: "\n") {
            let parts = line.split(whereSeparator: { $0 == ":" || $0 == " " || $0 == "\t" })
            if parts.count >= 2, parts[0] == "VmHWM" || parts[0] == "VmRSS" { fields[String(parts[0])] = Int(parts[1]) }
        }
        guard let peak = fields["VmHWM"], let resident = fields["VmRSS"] else { return nil }
        return (peak, resident)
    }

    func terminate() {
        if running { Foundation.kill(pid, SIGTERM) }
    }

    /// Waits for the end until `deadline` (a `now()` time), then kills.
    func waitOrKill(until deadline: Double) {
        while running && now() < deadline { usleep(20_000) }
        kill()
    }

    func kill() {
        lock.withLock {
            guard !exited else { return }
            Foundation.kill(pid, SIGKILL)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            exited = true
        }
    }

    /// The end of its log, for failure reports.
    func tail(_ lines: Int = 15) -> String {
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }

    var logLineCount: Int {
        ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").count
    }
}

/// Everything this run started, for the cleanup on any exit path.
final class Registry: @unchecked Sendable {
    private let lock = NSLock()
    private var children: [Child] = []
    private var cleanups: [@Sendable () -> Void] = []

    func add(_ child: Child) { lock.withLock { children.append(child) } }
    func onExit(_ cleanup: @escaping @Sendable () -> Void) { lock.withLock { cleanups.append(cleanup) } }

    /// Kills every child and runs the cleanups (once).
    func tearDown() {
        let (children, cleanups) = lock.withLock {
            defer { self.children = []; self.cleanups = [] }
            return (self.children, self.cleanups)
        }
        children.forEach { $0.kill() }
        cleanups.reversed().forEach { $0() }
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

enum Bench {
    static let registry = Registry()
    nonisolated(unsafe) static var signalSources: [DispatchSourceSignal] = []

    static func say(_ line: String) {
        FileHandle.standardError.write(Data("e2e: \(line)\n".utf8))
    }

    static func fail(_ message: String) -> Never {
        say("error: \(message)")
        registry.tearDown()
        exit(1)
    }

    /// SIGINT / SIGTERM (the script's cleanup, a Ctrl-C) and the watchdog end the run
    /// with the children killed.
    static func installGuards(watchdog seconds: Double) {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                say("interrupted: stopping the processes")
                registry.tearDown()
                exit(130)
            }
            source.resume()
            signalSources.append(source)
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
            fail("the run took more than \(Int(seconds)) s: stopped")
        }
    }
}

/// Seconds on a monotonic clock.
func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

func unusedLoopbackPort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
    return Int(UInt16(bigEndian: address.sin_port))
}

// MARK: - The load

/// Each user's cycle of commands; the bot's answers differ only between the first cycle
/// (a new user) and the later ones, which `Calibration` measures before the load.
let sequence = ["/start", "/help", "/book", "/cancel"]

struct Calibration {
    /// Bot actions (messages, edits…) answering each step of the first cycle and of later ones.
    var first: [Int]
    var later: [Int]

    func actions(step: Int) -> Int {
        (step < sequence.count ? first : later)[step % sequence.count]
    }
}

final class Driver {
    let sandbox: SandboxServer
    /// Throws when a process has ended; called at most twice a second while waiting.
    let health: () throws -> Void
    private var checkedAt = 0.0

    init(sandbox: SandboxServer, health: @escaping () throws -> Void) {
        self.sandbox = sandbox
        self.health = health
    }

    /// Waits for the Sandbox to change after `version`, at most `timeout` seconds.
    func wait(after version: Int, timeout: Double) throws {
        if now() - checkedAt > 0.5 {
            try health()
            checkedAt = now()
        }
        sandbox.waitForChange(after: version, timeout: min(timeout, 0.5))
    }

    func count(_ user: Int64) -> Int { sandbox.botActionCounts(chatIDs: [user])[0] }

    /// Sends `text` and waits for the reply to end: the first bot action within
    /// `firstTimeout`, then nothing more for `quiet` seconds. The number of actions.
    func sendAndSettle(_ text: String, from user: Int64, firstTimeout: Double, quiet: Double = 0.3) throws -> Int {
        let baseline = count(user)
        _ = try sandbox.sendText(text, from: user)
        let deadline = now() + firstTimeout
        var seen = baseline
        while seen == baseline {
            let version = sandbox.version
            seen = count(user)
            if seen > baseline { break }
            let left = deadline - now()
            guard left > 0 else { throw BenchError("no reply to \(text) within \(Int(firstTimeout)) s") }
            try wait(after: version, timeout: left)
        }
        var changedAt = now()
        while true {
            let version = sandbox.version
            let current = count(user)
            if current != seen {
                seen = current
                changedAt = now()
            }
            let silent = now() - changedAt
            if silent >= quiet { return seen - baseline }
            try wait(after: version, timeout: quiet - silent)
        }
    }

    /// One user runs three cycles slowly: how many actions answer each step. Also the
    /// warm-up (and the wait for the processes to be ready: the first reply may take a while).
    func calibrate(user: Int64) throws -> Calibration {
        sandbox.register(User(id: user, firstName: "Calibration", languageCode: "en"))
        var cycles: [[Int]] = []
        for cycle in 0..<3 {
            cycles.append(try sequence.map { try sendAndSettle($0, from: user, firstTimeout: cycle == 0 && $0 == sequence[0] ? 60 : 15) })
        }
        guard cycles[1] == cycles[2] else {
            throw BenchError("the bot's answers differ between cycles 2 and 3 (\(cycles[1]) vs \(cycles[2])): the load could not tell when a reply ends")
        }
        return Calibration(first: cycles[0], later: cycles[1])
    }

    struct Outcome {
        var latencies: [Double]
        /// The same, by command.
        var byCommand: [String: [Double]]
        var seconds: Double
        var capped: Bool
        var overshoots: Int
    }

    /// One user alone, `steps` more commands of the later cycles (the user must be at the
    /// start of a cycle): each reply's latency with nothing else going on.
    func probe(user: Int64, steps: Int, calibration: Calibration, replyTimeout: Double = 15) throws -> [Double] {
        var latencies: [Double] = []
        var seen = count(user)
        for step in 0..<steps {
            let target = seen + calibration.later[step % sequence.count]
            let sent = now()
            _ = try sandbox.sendText(sequence[step % sequence.count], from: user)
            while true {
                let version = sandbox.version
                seen = count(user)
                if seen >= target { break }
                guard now() - sent < replyTimeout else { throw BenchError("no reply to \(sequence[step % sequence.count]) within \(Int(replyTimeout)) s") }
                try wait(after: version, timeout: 1)
            }
            latencies.append(now() - sent)
            usleep(20_000)
        }
        return latencies
    }

    /// `users` users, from id `firstUser`, `updates` updates in all, each user's next
    /// command sent a pause of `think` seconds (on average; uniform over 0.5–1.5 times)
    /// after the whole reply to its last has arrived. One thread drives them all: it
    /// sleeps on the Sandbox's change counter, then reads every waiting user's progress
    /// in one call.
    func run(users: Int, firstUser: Int64, updates: Int, think: Double, calibration: Calibration, maxSeconds: Double,
             replyTimeout: Double = 30) throws -> Outcome {
        let ids = (0..<users).map { firstUser + Int64($0) }
        for (index, id) in ids.enumerated() {
            sandbox.register(User(id: id, firstName: "Bench \(index)", languageCode: "en"))
        }
        var random = SplitMix64(seed: 0xB00C_1D5)
        func pause() -> Double { think * (0.5 + random.unit()) }
        let quota = (0..<users).map { updates / users + ($0 < updates % users ? 1 : 0) }
        var done = Array(repeating: 0, count: users)
        var seen = Array(repeating: 0, count: users)
        var target = Array(repeating: 0, count: users)
        var sentAt = Array(repeating: 0.0, count: users)
        var latencies: [Double] = []
        latencies.reserveCapacity(updates)
        var byCommand: [String: [Double]] = [:]
        let start = now()
        // Users thinking, with the time they send next; the first sends spread over one pause.
        var thinking = (0..<users).map { (at: start + think * Double($0) / Double(users), user: $0) }
        var waiting: [Int] = []
        var overshoots = 0
        var capped = false
        var lastReply = start
        while true {
            var current = now()
            if !capped && current - start > maxSeconds {
                capped = true
                thinking.removeAll()
            }
            if thinking.contains(where: { $0.at <= current }) {
                var later: [(at: Double, user: Int)] = []
                for entry in thinking {
                    guard entry.at <= current else {
                        later.append(entry)
                        continue
                    }
                    let user = entry.user
                    let step = done[user]
                    target[user] = seen[user] + calibration.actions(step: step)
                    sentAt[user] = now()
                    _ = try sandbox.sendText(sequence[step % sequence.count], from: ids[user])
                    waiting.append(user)
                }
                thinking = later
            }
            if waiting.isEmpty && thinking.isEmpty { break }
            let version = sandbox.version
            let counts = sandbox.botActionCounts(chatIDs: waiting.map { ids[$0] })
            current = now()
            var still: [Int] = []
            still.reserveCapacity(waiting.count)
            for (index, user) in waiting.enumerated() {
                if counts[index] >= target[user] {
                    let latency = current - sentAt[user]
                    latencies.append(latency)
                    byCommand[sequence[done[user] % sequence.count], default: []].append(latency)
                    lastReply = current
                    if counts[index] > target[user] { overshoots += 1 }
                    seen[user] = counts[index]
                    done[user] += 1
                    if done[user] < quota[user] && !capped { thinking.append((current + pause(), user)) }
                } else if current - sentAt[user] > replyTimeout {
                    let step = done[user]
                    throw BenchError("user \(ids[user]) got no full reply to \(sequence[step % sequence.count]) (step \(step + 1)) within \(Int(replyTimeout)) s: \(counts[index] - seen[user]) of \(target[user] - seen[user]) actions")
                } else {
                    still.append(user)
                }
            }
            waiting = still
            let nextSend = thinking.map(\.at).min() ?? .infinity
            let left = nextSend - now()
            if left > 0 { try wait(after: version, timeout: min(1, left)) }
        }
        return Outcome(latencies: latencies, byCommand: byCommand, seconds: lastReply - start, capped: capped, overshoots: overshoots)
    }
}

/// A small deterministic generator: the same pauses on every run.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    let rank = Int((p * Double(sorted.count)).rounded(.up)) - 1
    return sorted[min(max(rank, 0), sorted.count - 1)]
}

func milliseconds(_ seconds: Double) -> String {
    let ms = seconds * 1000
    return ms < 10 ? String(format: "%.2fms", ms) : ms < 100 ? String(format: "%.1fms", ms) : String(format: "%.0fms", ms)
}

func mebibytes(_ kib: Int) -> String { String(format: "%.1f", Double(kib) / 1024) }

// MARK: - The run

func runBench() throws {
    let options = Options.parse(Array(CommandLine.arguments.dropFirst()))
    let environment = ProcessInfo.processInfo.environment
    guard let baseURL = environment["DATABASE_URL"], !baseURL.isEmpty,
          let redisURL = environment["REDIS_URL"], !redisURL.isEmpty else {
        throw BenchError("DATABASE_URL and REDIS_URL must be set (scripts/services env)")
    }
    guard FileManager.default.isExecutableFile(atPath: options.binary) else { throw BenchError("no executable at \(options.binary)") }
    try FileManager.default.createDirectory(atPath: options.logs, withIntermediateDirectories: true)
    // The children start here: no .env of the checkout reaches them.
    guard FileManager.default.changeCurrentDirectoryPath(options.logs) else { throw BenchError("cannot enter \(options.logs)") }
    Bench.installGuards(watchdog: options.maxSeconds + 150)

    // A fresh database with the schema and one service.
    let suffix = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
    let name = "bench_e2e_\(suffix)"
    guard var components = URLComponents(string: baseURL) else { throw BenchError("DATABASE_URL is not a URL") }
    components.path = "/" + name
    let databaseURL = components.string!
    let admin = try PostgresConnection(url: baseURL)
    try DatabaseAdmin(connection: admin).create(database: name)
    let dropLock = NSLock()
    Bench.registry.onExit {
        dropLock.withLock {
            if let admin = try? PostgresConnection(url: baseURL) {
                try? DatabaseAdmin(connection: admin).drop(database: name)
                admin.close()
            }
        }
    }
    admin.close()
    do {
        let db = try PostgresConnection(url: databaseURL)
        _ = try Migrator(connection: db).migrate(Migration.bundled())
        _ = try ServiceStore(connection: db).create(name: "Haircut", durationMinutes: 60, description: "Wash and cut", priceText: "1500 ₽")
        db.close()
    }

    let token = "123456:e2e-bench-token-for-the-sandbox-only"
    let sandbox = SandboxServer(options: SandboxOptions(token: token))
    try sandbox.start()
    Bench.registry.onExit { sandbox.stop() }

    let childEnvironment = [
        "DATABASE_URL": databaseURL, "REDIS_URL": redisURL, "REDIS_PREFIX": "e2e-\(suffix)",
        "BOT_TOKEN": token, "TELEGRAM_API_URL": sandbox.baseURL,
        // No flood guard (the users type faster than people) and the deployment's send
        // budget at its maximum rather than Telegram's 30 a second: the figures are the bot's.
        "RATE_LIMIT_MESSAGE": "0", "RATE_LIMIT_CALLBACK": "0", "TELEGRAM_SEND_RATE": "1000", "LOG_LEVEL": "warning",
        "SHUTDOWN_GRACE_SECONDS": "5", "PATH": "/usr/bin:/bin",
    ].merging(environment.filter { $0.key.hasPrefix("SENTRY_") }) { $1 }  // error capture and traces, when measured
    let ingress = try Child(name: "ingress", binary: options.binary,
                            arguments: ["ingress", "--polling", "--host", "127.0.0.1", "--port", "\(unusedLoopbackPort())"],
                            environment: childEnvironment, log: "\(options.logs)/ingress-w\(options.workers).log")
    Bench.registry.add(ingress)
    var workers: [Child] = []
    for index in 0..<options.workers {
        let worker = try Child(name: "worker \(index + 1)", binary: options.binary,
                               arguments: ["worker", "--concurrency", "\(options.concurrency)"],
                               environment: childEnvironment, log: "\(options.logs)/worker-w\(options.workers)-\(index + 1).log")
        Bench.registry.add(worker)
        workers.append(worker)
    }
    func checkAlive() throws {
        for child in [ingress] + workers where !child.running {
            throw BenchError("\(child.name) ended early:\n\(child.tail())")
        }
    }

    let driver = Driver(sandbox: sandbox, health: checkAlive)
    Bench.say("\(options.workers) worker(s) × concurrency \(options.concurrency): calibrating")
    let calibration: Calibration
    do {
        calibration = try driver.calibrate(user: 9_000_000)
    } catch {
        throw BenchError("\(error)\ningress: \(ingress.tail())\nworker 1: \(workers[0].tail())")
    }
    Bench.say("bot actions per step \(sequence): first cycle \(calibration.first), later \(calibration.later)")
    let alone = try driver.probe(user: 9_000_000, steps: 40, calibration: calibration).sorted()
    Bench.say("one user alone: p50 \(milliseconds(percentile(alone, 0.5))), max \(milliseconds(alone.last ?? .nan))")
    try checkAlive()

    Bench.say("load: \(options.users) users, \(options.updates) updates")
    let outcome: Driver.Outcome
    do {
        outcome = try driver.run(users: options.users, firstUser: 10_000_000, updates: options.updates,
                                 think: Double(options.thinkMilliseconds) / 1000, calibration: calibration,
                                 maxSeconds: options.maxSeconds)
    } catch {
        throw BenchError("\(error)\nworker 1: \(workers[0].tail())")
    }
    try checkAlive()
    let memory = workers.map { $0.memory() }
    let ingressMemory = ingress.memory()

    // SIGTERM to all, as a deployment stops them; killed if they take longer than their grace.
    for child in workers + [ingress] { child.terminate() }
    let stopDeadline = now() + 8
    for child in workers + [ingress] { child.waitOrKill(until: stopDeadline) }
    let logLines = (workers + [ingress]).reduce(0) { $0 + $1.logLineCount }
    Bench.registry.tearDown()

    let sorted = outcome.latencies.sorted()
    let rate = Double(sorted.count) / max(outcome.seconds, 1e-9)
    let rss = memory.map { $0.map { "\(mebibytes($0.peak))/\(mebibytes($0.resident))" } ?? "?" }.joined(separator: ", ")
    var notes: [String] = []
    if outcome.capped { notes.append("stopped at the \(Int(options.maxSeconds)) s cap after \(sorted.count) updates") }
    if outcome.overshoots > 0 { notes.append("\(outcome.overshoots) replies longer than calibrated") }
    if logLines > 0 { notes.append("\(logLines) warning/error log lines in \(options.logs)") }
    let mean = milliseconds(sorted.reduce(0, +) / Double(max(sorted.count, 1)))
    let ingressRSS = ingressMemory.map { "\(mebibytes($0.peak))/\(mebibytes($0.resident))" } ?? "?"
    Bench.say("\(sorted.count) updates in \(String(format: "%.1f", outcome.seconds)) s; mean \(mean); max \(milliseconds(sorted.last ?? .nan)); "
              + "ingress VmHWM/VmRSS \(ingressRSS) MiB")
    for command in sequence {
        let times = (outcome.byCommand[command] ?? []).sorted()
        Bench.say("  \(command): \(times.count) updates, p50 \(milliseconds(percentile(times, 0.5))), p99 \(milliseconds(percentile(times, 0.99)))")
    }
    print([String(options.workers), String(format: "%.1f", rate), milliseconds(percentile(sorted, 0.5)),
           milliseconds(percentile(sorted, 0.99)), rss, milliseconds(percentile(alone, 0.5)),
           notes.joined(separator: "; ")].joined(separator: "\t"))
}

do {
    try runBench()
} catch {
    Bench.fail("\(error)")
}
