// The end-to-end benchmark behind `scripts/bench e2e`: the Sandbox (in this process) as
// Telegram, a real `bookingbot ingress --polling` and N `bookingbot worker` processes,
// the Redis and PostgreSQL of `scripts/services`. Simulated users act one at a time, the
// next act a pause after the whole reply to the last has arrived: typed commands
// (`--flow commands`, Driver.swift) or the booking and its cancellation by button presses
// (`--flow booking`, BookingLoad.swift, reading screens as Screen.swift does). The
// Sandbox may add a round trip to every Bot API call and enforce Telegram's flood limits
// (`--latency-ms`, `--telegram-limits`). The command line is in Options.swift, the
// figures in Stats.swift, CPU time in CPUTime.swift, the owner's notices in
// OwnerNotices.swift; the bot is set up as the end-to-end tests set it up (DevSupport).
//
// DATABASE_URL (a role that may CREATE DATABASE) and REDIS_URL come from the environment.
// One owner (ADMIN_IDS) sends /start before the load and is told of every booking and
// cancellation; after the load the bench waits up to 2 minutes for the notices still due.
// Before the load, one user alone sends --probe commands: the reply latency with nothing
// else going on.
//
// Prints one tab-separated line on stdout (Report.line): updates/s, the table row, one
// user alone, notes; and progress on stderr. Everything is on loopback and bounded: a
// fresh database (dropped at the end), a fresh Redis prefix, a time cap on the load, a
// watchdog on the whole run; the child processes are stopped at the end and killed on any failure.
//
// Blocking only: this runs on the main thread and never inside a Swift task.
import DevSupport
import Dispatch
import Foundation
import Sandbox
import Store
import Telegram

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

enum Bench {
    static let registry = ExitGuards()

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
        registry.install(watchdog: seconds, watchdogExit: 1, say: say)
    }
}

/// Seconds on a monotonic clock.
func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

/// The business the bench's clients book: one 30-minute service, every day 08:00–22:00
/// every 30 minutes, in UTC (so the bench reads notice times without the bot's clock):
/// room for a thousand clients each holding a booking over the month and the next.
let businessEnvironment = ["TIMEZONE": "UTC", "WORK_HOURS_START": "8", "WORK_HOURS_END": "22", "SLOT_STEP_MINUTES": "30"]

/// The bench's owner (ADMIN_IDS), the user alone of the probe, and the first client.
let ownerID: Int64 = 8_000_000
let aloneID: Int64 = 9_000_000
let firstClientID: Int64 = 10_000_000

func runBench(_ options: Options) throws {
    let environment = ProcessInfo.processInfo.environment
    guard let baseURL = environment["DATABASE_URL"], !baseURL.isEmpty,
          let redisURL = environment["REDIS_URL"], !redisURL.isEmpty else {
        throw BenchError("DATABASE_URL and REDIS_URL must be set (scripts/services env)")
    }
    guard FileManager.default.isExecutableFile(atPath: options.binary) else { throw BenchError("no executable at \(options.binary)") }
    try FileManager.default.createDirectory(atPath: options.logs, withIntermediateDirectories: true)
    // The children start here: no .env of the checkout reaches them.
    guard FileManager.default.changeCurrentDirectoryPath(options.logs) else { throw BenchError("cannot enter \(options.logs)") }
    // The load, the replies still due after it (30 s), the owner's notices (120 s), start and stop.
    Bench.installGuards(watchdog: Double(options.maxSeconds) + 400)

    var sandboxOptions = SandboxOptions()
    sandboxOptions.latency = SandboxLatency(milliseconds: options.latencyMilliseconds, jitterMilliseconds: options.jitterMilliseconds)
    if options.telegramLimits {
        sandboxOptions.floodLimits = .telegram
        sandboxOptions.pressAnswerDeadline = 15
    }
    // A fresh database with the schema and one service, and the Sandbox.
    let database = try ScratchDatabase(baseURL: baseURL, prefix: "bench_e2e_")
    Bench.registry.onExit { database.drop() }
    let bot = try SandboxedBot(binary: options.binary, database: database, redisURL: redisURL,
                               redisPrefix: "e2e-\(database.name.dropFirst("bench_e2e_".count).prefix(12))",
                               token: "123456:e2e-bench-token-for-the-sandbox-only", sandboxOptions: sandboxOptions) { db in
        _ = try Migrator(connection: db).migrate(Migration.bundled())
        _ = try ServiceStore(connection: db).create(name: "Haircut", durationMinutes: 30, description: "Wash and cut", priceText: "1500 ₽")
    }
    Bench.registry.onExit { bot.stop() }

    var settings = ["LOG_LEVEL": "warning", "SHUTDOWN_GRACE_SECONDS": "5", "ADMIN_IDS": String(ownerID)].merging(businessEnvironment) { $1 }
    // Without Telegram's limits, the deployment's send budget at its maximum rather than
    // Telegram's 30 a second: the figures are the bot's. With them, the bot's default.
    if !options.telegramLimits { settings["TELEGRAM_SEND_RATE"] = "1000" }
    // The fast users type faster than people: no flood guard for them. People's pace
    // (0.7 s and more between acts) stays under the default guard.
    if options.pace == .fast { settings.merge(["RATE_LIMIT_MESSAGE": "0", "RATE_LIMIT_CALLBACK": "0"]) { $1 } }
    let childEnvironment = bot.environment.merging(settings) { $1 }
        .merging(environment.filter { $0.key.hasPrefix("SENTRY_") }) { $1 }  // error capture and traces, when measured
    let ingressPort = unusedLoopbackPort()
    let source: SandboxedBot.UpdateSource = options.updatesBy == .webhook ? .webhook(adminPort: unusedLoopbackPort()) : .polling
    let ingress = try bot.startIngress(port: ingressPort, source: source, arguments: ["--host", "127.0.0.1"], environment: childEnvironment,
                                       output: .log(path: "\(options.logs)/ingress-w\(options.workers).log"))
    Bench.registry.add(ingress)
    if options.updatesBy == .webhook { try bot.registerWebhook(port: ingressPort) }
    var workers: [ChildProcess] = []
    for index in 0..<options.workers {
        let worker = try bot.startWorker(concurrency: options.concurrency, environment: childEnvironment,
                                         output: .log(path: "\(options.logs)/worker-w\(options.workers)-\(index + 1).log"),
                                         name: "worker \(index + 1)")
        Bench.registry.add(worker)
        workers.append(worker)
    }
    func checkAlive() throws {
        for child in [ingress] + workers where !child.isRunning {
            throw BenchError("\(child.name) ended early:\n\(child.tail())")
        }
    }

    let owner = OwnerWatch(owner: ownerID)
    let driver = Driver(sandbox: bot.sandbox, owner: owner, health: checkAlive)
    // Long enough to outlast the gap between two calls of one reply: a round trip, or a
    // 429's wait under Telegram's limits.
    let quiet = options.telegramLimits ? 1.5 : max(0.3, Double(options.latencyMilliseconds + options.jitterMilliseconds) / 1000 * 4)
    Bench.say("\(options.workers) worker(s) × concurrency \(options.concurrency), round trip \(options.latencyMilliseconds) ms, updates by \(options.updatesBy.rawValue), "
              + "flood limits \(options.telegramLimits ? "on" : "off"): the owner's /start (the warm-up)")
    do {
        bot.sandbox.register(User(id: ownerID, firstName: "Owner", languageCode: "en"))
        _ = try driver.sendAndSettle("/start", from: ownerID, firstTimeout: 60, quiet: quiet)
    } catch {
        throw BenchError("\(error)\ningress: \(ingress.tail())\nworker 1: \(workers[0].tail())")
    }
    var calibration: Calibration?
    var alone: [Double] = []
    if options.flow == .commands || options.probe > 0 {
        let measured = try driver.calibrate(user: aloneID, quiet: quiet)
        Bench.say("bot actions per step \(sequence): first cycle \(measured.first), later \(measured.later)")
        calibration = measured
        if options.probe > 0 {
            alone = try driver.probe(user: aloneID, steps: options.probe, calibration: measured).sorted()
        }
    }
    try checkAlive()

    var outcome: LoadOutcome?
    var cpu: [String: Double?] = [:]
    var coverage: NoticeCoverage.Result?
    var noticeMessages = 0
    var presses: SandboxServer.PressReport?
    var floodRefusals = 0
    if !options.aloneOnly {
        let groups = CPUGroups(groups: [
            .init(name: CPUColumn.ingress.rawValue, roots: [ingress.pid]),
            .init(name: CPUColumn.workers.rawValue, roots: workers.map(\.pid)),
            .init(name: CPUColumn.redis.rawValue, roots: options.redisPID > 0 ? [Int32(options.redisPID)] : [], withChildren: true),
            .init(name: CPUColumn.postgres.rawValue, roots: options.postgresPID > 0 ? [Int32(options.postgresPID)] : [], withChildren: true),
            .init(name: CPUColumn.driver.rawValue, roots: [getpid()]),
        ])
        bot.sandbox.resetCounters()
        let loadStart = now()
        Bench.say("load: \(options.users) users, \(options.flow.rawValue) flow, \(options.pace.rawValue) pace, at most \(options.updates) updates "
                  + "or \(options.maxSeconds) s")
        let before = groups.sample()
        var measured: LoadOutcome
        do {
            switch options.flow {
            case .commands:
                measured = try driver.runCommands(users: options.users, firstUser: firstClientID, updates: options.updates, think: options.thinkRange,
                                                  calibration: calibration!, maxSeconds: Double(options.maxSeconds))
            case .booking:
                measured = try BookingLoad(driver: driver).run(users: options.users, firstUser: firstClientID, updates: options.updates,
                                                               think: options.thinkRange, maxSeconds: Double(options.maxSeconds))
            }
        } catch {
            throw BenchError("\(error)\nworker 1: \(workers[0].tail())")
        }
        let after = groups.sample()
        cpu = CPUGroups.millisecondsPerUpdate(from: before, to: after, updates: measured.updates)
        try checkAlive()
        // A press's answer may follow its screen (an alert after the edit): a few seconds
        // for the last ones before they count as never answered.
        let pressDeadline = now() + 5
        while bot.sandbox.pressReport().unanswered > 0 && now() < pressDeadline {
            let version = bot.sandbox.version
            try driver.wait(after: version, timeout: 0.5)
        }
        // The owner's notices still due: up to 2 minutes for the last booking's to arrive.
        if !measured.events.isEmpty {
            let deadline = now() + 120
            Bench.say("waiting up to 120 s for the owner's notices")
            while true {
                owner.look(bot.sandbox, now: now(), force: true)
                let result = NoticeCoverage.check(events: measured.events, messages: owner.received, within: 120)
                coverage = result
                if result.covered == result.bookings || now() >= deadline { break }
                let version = bot.sandbox.version
                try driver.wait(after: version, timeout: 1)
            }
        }
        noticeMessages = owner.count(since: loadStart)
        presses = bot.sandbox.pressReport()
        floodRefusals = bot.sandbox.floodRefusals
        outcome = measured
    }
    let workerMemory = workers.map { $0.memory() }
    let ingressMemory = ingress.memory()

    // SIGTERM to all, as a deployment stops them; killed if they take longer than their grace.
    for child in workers + [ingress] { child.signal(SIGTERM) }
    let stopDeadline = Date().addingTimeInterval(8)
    for child in workers + [ingress] { child.wait(orKillAt: stopDeadline) }
    let logLines = (workers + [ingress]).reduce(0) { $0 + $1.stdout.split(separator: "\n").count }
    Bench.registry.tearDown()

    let report = Report(options: options, outcome: outcome, alone: alone, presses: presses, floodRefusals: floodRefusals,
                        noticeMessages: noticeMessages, coverage: coverage, cpu: cpu, workerMemory: workerMemory,
                        ingressMemory: ingressMemory, logLines: logLines)
    report.details.forEach(Bench.say)
    print(report.line)
}

let options = Options.parseOrExit()
if options.header {
    print(Report.header)
    exit(0)
}
do {
    try runBench(options)
} catch {
    Bench.fail("\(error)")
}
