import ArgumentParser
import Foundation

/// How the simulated users behave between one reply and their next action.
enum Pace: String, ExpressibleByArgument, CaseIterable {
    /// The old bot's own load: a person reads the whole reply, then acts 0.7–1.5 s later.
    case seed
    /// `--think-ms` on average (uniform over 0.5–1.5 times it): a load for throughput.
    case fast
}

/// What the simulated users do.
/// How the ingress gets its updates: the deployment's default, or a webhook (one leg of
/// the round trip before an update reaches the bot, no wait for the next poll).
enum UpdatesBy: String, ExpressibleByArgument, CaseIterable {
    case polling
    case webhook
}

enum FlowKind: String, ExpressibleByArgument, CaseIterable {
    /// /start, /help, /book, /cancel in turn, typed.
    case commands
    /// The booking by button presses (service, day, time, confirm), then My bookings and
    /// its cancellation, over and over.
    case booking
}

/// The command line, as `scripts/bench e2e` passes it:
///
///   E2EBench --bin <release bookingbot> --workers N [--concurrency 2] [--users 200]
///            [--updates 5000] [--flow commands|booking] [--pace fast|seed] [--think-ms 100]
///            [--latency-ms 0 [--jitter-ms 0]] [--telegram-limits] [--max-seconds 45]
///            [--probe 40] [--alone-only] [--redis-pid P] [--postgres-pid P] [--logs <folder>]
///   E2EBench --bin <…> --header     the markdown table's header for the rows it prints
struct Options: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "E2EBench",
        abstract: "The end-to-end benchmark of scripts/bench e2e: the Sandbox as Telegram, real ingress and worker processes.",
        discussion: "DATABASE_URL (a role that may CREATE DATABASE) and REDIS_URL come from the environment.")

    @Option(name: .customLong("bin"), help: "The bookingbot binary (a release build).")
    var binary: String

    @Option(help: "Worker processes (1–16).")
    var workers = 1

    @Option(help: "Loops per worker process (1–16).")
    var concurrency = 2

    @Option(help: "Simulated users (1–10,000).")
    var users = 200

    @Option(help: "Updates in all (at least one per user; at most 1,000,000); the load ends at this count or --max-seconds.")
    var updates = 5000

    @Option(help: "commands (typed /start, /help, /book, /cancel) or booking (the booking and its cancellation by button presses).")
    var flow = FlowKind.commands

    @Option(help: "fast (--think-ms between a reply and the next action) or seed (0.7–1.5 s, as people).")
    var pace = Pace.fast

    @Option(name: .customLong("think-ms"), help: "With --pace fast: the pause between a reply and the next action, on average (0–10000 ms).")
    var thinkMilliseconds = 100

    @Option(name: .customLong("latency-ms"), help: "The Sandbox's round trip for each Bot API call (0–10000 ms).")
    var latencyMilliseconds = 0

    @Option(name: .customLong("jitter-ms"), help: "± this much on each round trip, uniformly (0–10000 ms, at most --latency-ms).")
    var jitterMilliseconds = 0

    @Option(name: .customLong("updates-by"), help: "polling (getUpdates) or webhook (the Sandbox POSTs each update, with the round trip's legs).")
    var updatesBy = UpdatesBy.polling

    @Flag(name: .customLong("telegram-limits"),
          help: "Telegram's flood limits (429 with retry_after) and 15 s press deadline in the Sandbox; the bot keeps its default TELEGRAM_SEND_RATE.")
    var telegramLimits = false

    @Option(name: .customLong("max-seconds"), help: "The cap on the load, in seconds (1–3600).")
    var maxSeconds = 45

    @Option(help: "Commands one user alone sends before the load (0–10000): the reply latency with nothing else going on.")
    var probe = 40

    @Flag(name: .customLong("alone-only"), help: "Only the one user alone (--probe commands), no load.")
    var aloneOnly = false

    @Option(name: .customLong("redis-pid"), help: "redis-server's process id, for its CPU time (0: not measured).")
    var redisPID = 0

    @Option(name: .customLong("postgres-pid"), help: "The postmaster's process id, for the cluster's CPU time (0: not measured).")
    var postgresPID = 0

    @Flag(help: "Print the table's header (as the rows of this build print their cells) and exit.")
    var header = false

    @Option(help: "The folder for the processes' logs; the processes start in it.")
    var logs = FileManager.default.temporaryDirectory.path

    mutating func validate() throws {
        for (name, value) in [("--workers", workers), ("--concurrency", concurrency), ("--users", users), ("--updates", updates),
                              ("--max-seconds", maxSeconds)] where value <= 0 {
            throw ValidationError("\(name) needs a positive whole number")
        }
        guard (0...10_000).contains(thinkMilliseconds) else { throw ValidationError("--think-ms needs 0–10000") }
        guard (0...10_000).contains(latencyMilliseconds) else { throw ValidationError("--latency-ms needs 0–10000") }
        guard (0...latencyMilliseconds).contains(jitterMilliseconds) else { throw ValidationError("--jitter-ms needs 0–\(latencyMilliseconds) (at most --latency-ms)") }
        guard (0...10_000).contains(probe) else { throw ValidationError("--probe needs 0–10000") }
        guard !aloneOnly || probe > 0 else { throw ValidationError("--alone-only needs --probe of at least 1") }
        guard redisPID >= 0, postgresPID >= 0, redisPID <= Int(Int32.max), postgresPID <= Int(Int32.max) else {
            throw ValidationError("--redis-pid and --postgres-pid need a process id (or 0)")
        }
        guard !binary.isEmpty else { throw ValidationError("--bin <path of the bookingbot binary> is required") }
        guard workers <= 16, concurrency <= 16, users <= 10_000, updates <= 1_000_000, maxSeconds <= 3600 else {
            throw ValidationError("too large: at most 16 workers, concurrency 16, 10,000 users, 1,000,000 updates, 3600 s")
        }
        updates = max(updates, users)
    }

    /// The seconds a user waits between the whole reply and its next action.
    var thinkRange: ClosedRange<Double> {
        switch pace {
        case .seed: return 0.7...1.5
        case .fast:
            let think = Double(thinkMilliseconds) / 1000
            return (think * 0.5)...(think * 1.5)
        }
    }
}
