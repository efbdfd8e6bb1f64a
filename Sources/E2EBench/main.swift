// The end-to-end benchmark behind `scripts/bench e2e`: the Sandbox (in this process) as
// Telegram, a real `bookingbot ingress --polling` and N `bookingbot worker` processes,
// the Redis and PostgreSQL of `scripts/services`. Simulated users each send a fixed
// sequence of commands, one at a time (the next a short pause after the whole reply to
// the last has arrived); every update's time from `sendText` to its reply's last message
// is kept. The command line is in Options.swift, the load in Driver.swift, the figures in
// Stats.swift; the bot is set up as the end-to-end tests set it up (DevSupport).
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
import DevSupport
import Dispatch
import Foundation
import Store

/// Everything this run started, for the cleanup on any exit path.
final class Registry: @unchecked Sendable {
    private let lock = NSLock()
    private var children: [ChildProcess] = []
    private var cleanups: [@Sendable () -> Void] = []

    func add(_ child: ChildProcess) { lock.withLock { children.append(child) } }
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
    Bench.installGuards(watchdog: Double(options.maxSeconds) + 150)

    // A fresh database with the schema and one service, and the Sandbox.
    let database = try ScratchDatabase(baseURL: baseURL, prefix: "bench_e2e_")
    Bench.registry.onExit { database.drop() }
    let bot = try SandboxedBot(binary: options.binary, database: database, redisURL: redisURL,
                               redisPrefix: "e2e-\(database.name.dropFirst("bench_e2e_".count).prefix(12))",
                               token: "123456:e2e-bench-token-for-the-sandbox-only") { db in
        _ = try Migrator(connection: db).migrate(Migration.bundled())
        _ = try ServiceStore(connection: db).create(name: "Haircut", durationMinutes: 60, description: "Wash and cut", priceText: "1500 ₽")
    }
    Bench.registry.onExit { bot.stop() }

    let childEnvironment = bot.environment.merging([
        // No flood guard (the users type faster than people) and the deployment's send
        // budget at its maximum rather than Telegram's 30 a second: the figures are the bot's.
        "RATE_LIMIT_MESSAGE": "0", "RATE_LIMIT_CALLBACK": "0", "TELEGRAM_SEND_RATE": "1000", "LOG_LEVEL": "warning",
        "SHUTDOWN_GRACE_SECONDS": "5",
    ]) { $1 }.merging(environment.filter { $0.key.hasPrefix("SENTRY_") }) { $1 }  // error capture and traces, when measured
    let ingress = try bot.startIngress(port: unusedLoopbackPort(), arguments: ["--host", "127.0.0.1"], environment: childEnvironment,
                                       output: .log(path: "\(options.logs)/ingress-w\(options.workers).log"))
    Bench.registry.add(ingress)
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

    let driver = Driver(sandbox: bot.sandbox, health: checkAlive)
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
                                 maxSeconds: Double(options.maxSeconds))
    } catch {
        throw BenchError("\(error)\nworker 1: \(workers[0].tail())")
    }
    try checkAlive()
    let workerMemory = workers.map { $0.memory() }
    let ingressMemory = ingress.memory()

    // SIGTERM to all, as a deployment stops them; killed if they take longer than their grace.
    for child in workers + [ingress] { child.signal(SIGTERM) }
    let stopDeadline = Date().addingTimeInterval(8)
    for child in workers + [ingress] { child.wait(orKillAt: stopDeadline) }
    let logLines = (workers + [ingress]).reduce(0) { $0 + $1.stdout.split(separator: "\n").count }
    Bench.registry.tearDown()

    let report = Report(options: options, outcome: outcome, alone: alone, workerMemory: workerMemory, ingressMemory: ingressMemory,
                        logLines: logLines)
    report.details.forEach(Bench.say)
    print(report.line)
}

let options = Options.parseOrExit()
do {
    try runBench(options)
} catch {
    Bench.fail("\(error)")
}
