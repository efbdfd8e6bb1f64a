// `scripts/chaos`: the whole bot for minutes the way production fails. The Sandbox (in
// this process) as Telegram far away and under its flood limits; real ingress, workers,
// two reminders processes and the error forwarder (to a real Bugsink), kept running by a supervisor
// (Deployment.swift); simulated clients booking and cancelling (Clients.swift); and
// meanwhile, at random, every fault of FaultInjector.swift. Then the faults stop, the
// system drains, and the invariants are checked (Invariants.swift) and printed, and
// written to docs/reliability.md with --report. Exit 1 when one is broken.
//
// DATABASE_URL (a role that may CREATE DATABASE), REDIS_URL and BOOKINGBOT_STATE (the
// servers scripts/services restarts) come from the environment (scripts/chaos sets them).
// Blocking only: this runs on the main thread and threads of its own, never in a task.
import DevSupport
import Dispatch
import Foundation
import Keys
import Postgres
import Queue
import Redis
import Sandbox
import Store
import Telegram

enum Chaos {
    static func say(_ line: String) {
        FileHandle.standardError.write(Data("chaos: \(line)\n".utf8))
    }

    /// Whatever the run started, stopped on every way out (DevSupport).
    static let guards = ExitGuards()

    /// Runs `body` on a thread of its own after `delay` seconds, and again every 2 s while it
    /// throws (an injected 5xx or a restarting server meets the driver's own acts too), at
    /// most 10 times, as an operator would.
    static func retrying(_ what: String, after delay: Double, _ body: @escaping @Sendable () throws -> Void) {
        DispatchQueue.global().asyncAfter(deadline: .now() + delay) {
            for attempt in 1...10 {
                do {
                    return try body()
                } catch {
                    say("\(what) failed (attempt \(attempt)): \(error)")
                    Thread.sleep(forTimeInterval: 2)
                }
            }
        }
    }
}

struct ChaosError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The business the clients book: a 30-minute service every 30 minutes, around the clock
/// in UTC (planted visits need a time an hour or two away, whenever the run is), review
/// requests right after a visit (PlantedVisits.rules says the same).
let businessEnvironment = ["TIMEZONE": "UTC", "WORK_HOURS_START": "0", "WORK_HOURS_END": "24", "SLOT_STEP_MINUTES": "30",
                           "FEEDBACK_HOURS_AFTER": "0"]
let ownerID: Int64 = 8_000_000
let bookingLimit = 3

func redisEndpoint(_ url: String) throws -> RedisEndpoint {
    guard let parts = URLComponents(string: url), let host = parts.host, let port = parts.port else {
        throw ChaosError("REDIS_URL is not a redis://[:password@]host:port URL")
    }
    return RedisEndpoint(host: host, port: port, password: parts.password)
}

func runChaos(_ options: ChaosOptions) throws -> Bool {
    let environment = ProcessInfo.processInfo.environment
    guard let baseURL = environment["DATABASE_URL"], let redisURL = environment["REDIS_URL"] else {
        throw ChaosError("DATABASE_URL and REDIS_URL must be set (scripts/services env)")
    }
    try FileManager.default.createDirectory(atPath: options.logs, withIntermediateDirectories: true)
    // The children start there: no .env of the checkout reaches them.
    guard FileManager.default.changeCurrentDirectoryPath(options.logs) else { throw ChaosError("cannot enter \(options.logs)") }
    // The load, a drain of 3 minutes, the servers' restarts, start and stop (ChaosRunTests waits longer).
    Chaos.guards.install(watchdog: options.minutes * 60 + 400, watchdogExit: 2, say: Chaos.say)
    let started = Date()
    let database = try ScratchDatabase(baseURL: baseURL, prefix: "chaos_")
    Chaos.guards.onExit { database.drop() }
    defer { Chaos.guards.tearDown() }
    var haircut: Int64 = 0
    var sandboxOptions = SandboxOptions(latency: SandboxLatency(milliseconds: options.latencyMilliseconds, jitterMilliseconds: options.latencyMilliseconds / 4),
                                        floodLimits: .telegram, pressAnswerDeadline: 15)
    sandboxOptions.firstUpdateID = Int64(Date().timeIntervalSince1970 * 1000)
    let bot = try SandboxedBot(binary: options.binary, database: database, redisURL: redisURL,
                               redisPrefix: "chaos-\(database.name.dropFirst("chaos_".count).prefix(12))",
                               token: "123456:chaos-run-token-for-the-sandbox-only", sandboxOptions: sandboxOptions) { db in
        _ = try Migrator(connection: db).migrate(Migration.bundled())
        haircut = try ServiceStore(connection: db).create(name: "Haircut", durationMinutes: 30, description: "Wash and cut", priceText: "1500 ₽").id
    }
    let plantedClients = (0..<min(options.clients, max(4, options.clients / 10))).map { Clients.firstID + Int64($0) }
    let planted = try withDatabase(database.url) { db in
        try PlantedVisits.plant(on: db, service: haircut, clients: plantedClients, loadSeconds: options.minutes * 60)
    }
    Chaos.guards.onExit { bot.sandbox.stop() }
    // A real Bugsink as Sentry: the error path is checked end to end.
    let bugsink = try BugsinkServer(script: "\(options.root)/scripts/bugsink",
                                    state: "\(options.root)/.local/bugsink/chaos-\(database.name.suffix(8))")
    Chaos.guards.onExit { bugsink.stop() }
    let settings = ["LOG_LEVEL": "warning", "SHUTDOWN_GRACE_SECONDS": "5", "ADMIN_IDS": String(ownerID),
                    "MAX_BOOKINGS_PER_USER": String(bookingLimit), "REMINDER_OFFSETS": planted.reminderOffsets, "SENTRY_DSN": bugsink.dsn, "SENTRY_ENVIRONMENT": "chaos",
                   ].merging(businessEnvironment) { $1 }
    let deployment = Deployment(bot: bot, environment: bot.environment.merging(settings) { $1 }, logs: options.logs, workers: options.workers)
    Chaos.guards.onExit { deployment.stop() }
    // The owner's and the planted clients' chats open before any process runs: Telegram
    // lets a bot write only to whoever wrote first, and the planted review requests are due
    // as soon as the reminders process starts.
    let ledger = Ledger()
    bot.sandbox.register(User(id: ownerID, firstName: "Owner", languageCode: "en"))
    ledger.madeUpdate(try bot.sandbox.sendText("/start", from: ownerID).updateID, chat: ownerID)
    for client in planted.clients { ledger.madeUpdate(try bot.sandbox.sendText("/start", from: client).updateID, chat: client) }
    try deployment.start()
    try deployment.checkErrorPath()

    let clients = Clients(sandbox: bot.sandbox, ledger: ledger, count: options.clients, rate: options.rate, seed: options.seed)
    // Midway, the business cancels half the planted visits: none of their later reminders may go.
    Chaos.retrying("cancelling planted visits", after: options.minutes * 30 + 7) {
        ledger.cancelledPlanted(try withDatabase(database.url) { try planted.cancelHalf(on: $0) })
    }
    let faults = FaultInjector(deployment: deployment, sandbox: bot.sandbox, ledger: ledger, root: options.root,
                               every: options.faultEvery, seed: options.seed ^ 0xFA17)
    let memory = MemorySampler(deployment: deployment)
    memory.start()
    if !options.noFaults { faults.start() }
    // Half the run by polling, the other half by webhook (faults keep hitting whichever ingress runs).
    Chaos.retrying("setting the webhook", after: options.minutes * 30) {
        try deployment.switchToWebhook()
        ledger.switchedToWebhook()
        Chaos.say("updates by webhook from now on")
    }
    Chaos.say("\(options.clients) clients for \(options.minutes) min (\(options.rate) updates/s together), \(options.workers) workers, "
              + (options.noFaults ? "no faults" : "a fault every ~\(options.faultEvery) s"))
    let loadEnds = Date().addingTimeInterval(options.minutes * 60)
    let staff = Staff(sandbox: bot.sandbox, ledger: ledger, owner: ownerID, seed: options.seed)
    staff.start(until: loadEnds, every: max(20, options.minutes * 10))
    clients.run(until: loadEnds)
    staff.wait()
    faults.stop()
    deployment.thawAll()
    memory.stop()

    Chaos.say("faults stopped: draining")
    let db = try PostgresConnection(url: database.url)
    defer { db.close() }
    let redis = try RedisConnection(endpoint: try redisEndpoint(redisURL))
    let queue = ChatQueue(redis: redis, prefix: bot.redisPrefix)
    let errorEvents = ErrorEvents(redis: redis, keys: RedisKeys(prefix: bot.redisPrefix), bugsink: bugsink)
    let drained = drain(sandbox: bot.sandbox, queue: queue, errorEvents: errorEvents, database: db, timeout: 180)
    // Everything stopped before the checks, so nothing changes under them: the error
    // forwarder last, once what the others logged while stopping has reached Bugsink.
    deployment.stop(except: .errors)
    let eventsDeadline = Date().addingTimeInterval(30)
    while (try? errorEvents.waiting()) != 0 && Date() < eventsDeadline { Thread.sleep(forTimeInterval: 0.2) }
    deployment.stop()
    let soak = SoakChecks(memory: memory.series, waits: clients.figures.waits, waitEnds: clients.figures.waitEnds,
                          loadSeconds: options.minutes * 60)
    let outcomes = try Invariants(database: db, queue: queue, sandbox: bot.sandbox, ledger: ledger, bookingLimit: bookingLimit,
                                  staffChats: [ownerID], broadcastTexts: staff.figures.broadcastTexts, broadcastsSent: staff.figures.broadcasts,
                                  faultsRan: !options.noFaults).check()
        + [deployment.crashes()] + [try errorEvents.check(faultsRan: !options.noFaults)]
        + (options.noFaults ? soak.outcomes : [])
    let report = ChaosReport(options: options, started: started, drained: drained, outcomes: outcomes, clients: clients.figures, staff: staff.figures,
                             planted: planted.line(cancelled: ledger.plantedVisitsCancelled), plantedCancelled: ledger.plantedVisitsCancelled != nil,
                             latency: soak.latencyLine,
                             faults: ledger.allFaults, webhookSince: ledger.webhookSince, restarts: deployment.startCounts, memory: soak.memoryLine)
    print(report.summary)
    if let path = options.report { try report.append(to: path) }
    return report.passed
}

/// One connection for `body`'s while.
func withDatabase<T>(_ url: String, _ body: (PostgresConnection) throws -> T) throws -> T {
    let db = try PostgresConnection(url: url)
    defer { db.close() }
    return try body(db)
}

/// Waits until Telegram has handed everything over, the queue is empty, no reminder is
/// due, every reply is sent (upstream first: a due reminder writes replies) and no error
/// event waits for Bugsink, and it stays so for 3 s; false when that takes longer than
/// `timeout`.
func drain(sandbox: SandboxServer, queue: ChatQueue, errorEvents: ErrorEvents, database: PostgresConnection, timeout: Double) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    let reads = IntegrityReads(connection: database)
    var quietSince: Date?
    while Date() < deadline {
        let quiet = sandbox.pendingUpdateCount == 0
            && (try? queue.figures(heartbeatTTL: 30)).map { $0.depth == 0 && $0.chatsInProgress == 0 } == true
            && (try? reads.remindersLeftUnsent(dueBefore: Date().addingTimeInterval(-10))) == 0
            && (try? reads.repliesUnsent()) == 0
            && (try? errorEvents.waiting()) == 0
            && (try? reads.broadcastsUnfinished()) == 0
        if !quiet {
            quietSince = nil
        } else if let since = quietSince, Date().timeIntervalSince(since) >= 3 {
            return true
        } else if quietSince == nil {
            quietSince = Date()
        }
        Thread.sleep(forTimeInterval: 0.5)
    }
    return false
}

let options = ChaosOptions.parseOrExit()
do {
    exit(try runChaos(options) ? 0 : 1)
} catch {
    Chaos.say("error: \(error)")
    exit(2)
}
