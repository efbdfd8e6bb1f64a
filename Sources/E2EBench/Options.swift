import ArgumentParser
import Foundation

/// The command line, as `scripts/bench e2e` passes it:
///
///   E2EBench --bin <release bookingbot> --workers N [--concurrency 2] [--users 200]
///            [--updates 5000] [--think-ms 100] [--max-seconds 45] [--logs <folder>]
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

    @Option(help: "Updates in all (at least one per user; at most 1,000,000).")
    var updates = 5000

    @Option(name: .customLong("think-ms"), help: "A user's pause between a reply and its next command, on average (0–10000 ms).")
    var thinkMilliseconds = 100

    @Option(name: .customLong("max-seconds"), help: "The cap on the load, in seconds.")
    var maxSeconds = 45

    @Option(help: "The folder for the processes' logs; the processes start in it.")
    var logs = FileManager.default.temporaryDirectory.path

    mutating func validate() throws {
        for (name, value) in [("--workers", workers), ("--concurrency", concurrency), ("--users", users), ("--updates", updates),
                              ("--max-seconds", maxSeconds)] where value <= 0 {
            throw ValidationError("\(name) needs a positive whole number")
        }
        guard (0...10_000).contains(thinkMilliseconds) else { throw ValidationError("--think-ms needs 0–10000") }
        guard !binary.isEmpty else { throw ValidationError("--bin <path of the bookingbot binary> is required") }
        guard workers <= 16, concurrency <= 16, users <= 10_000, updates <= 1_000_000 else {
            throw ValidationError("too large: at most 16 workers, concurrency 16, 10,000 users, 1,000,000 updates")
        }
        updates = max(updates, users)
    }
}
