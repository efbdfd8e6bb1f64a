import ArgumentParser
import Foundation

/// `scripts/chaos`'s command line.
struct ChaosOptions: ParsableArguments {
    @Option(help: "Minutes of load (and faults).") var minutes = 10.0
    @Option(help: "Simulated clients booking, moving and cancelling.") var clients = 1000
    @Option(help: "Worker processes.") var workers = 3
    @Option(help: "Updates a second the clients make together, on average (Telegram lets a bot send about 30 messages a second).")
    var rate = 10.0
    @Flag(name: .customLong("no-faults"), help: "Load only: the soak (memory and latency over time).") var noFaults = false
    @Option(help: "Seconds between faults, on average.") var faultEvery = 6.0
    @Option(name: .customLong("latency-ms"), help: "Round trip of each Bot API call, as Telegram far away.") var latencyMilliseconds = 40
    @Option(help: "Seed of the clients' choices and of the faults.") var seed: UInt64 = 0xC4A05
    @Option(help: "The bookingbot executable the processes run.") var binary: String
    @Option(help: "The checkout (its scripts/services restarts Redis and PostgreSQL).") var root: String
    @Option(help: "Where the processes' logs go.") var logs: String
    @Option(help: "A Markdown file to append the run's section to (docs/reliability.md); none: print only.") var report: String?

    func validate() throws {
        // An error event's fate is kept for an hour, and the run reads them all at its end.
        guard minutes > 0, minutes <= 50 else { throw ValidationError("--minutes must be more than 0 and at most 50") }
        guard (1...100_000).contains(clients) else { throw ValidationError("--clients must be 1–100000") }
        guard (1...32).contains(workers) else { throw ValidationError("--workers must be 1–32") }
        guard rate >= 0.1, rate <= 1000 else { throw ValidationError("--rate must be 0.1–1000 updates a second") }
        guard faultEvery >= 0.5, faultEvery <= 600 else { throw ValidationError("--fault-every must be 0.5–600 s") }
        guard (0...10_000).contains(latencyMilliseconds) else { throw ValidationError("--latency-ms must be 0–10000") }
    }
}
