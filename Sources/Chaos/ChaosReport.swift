import DevSupport
import Foundation
import LoadSupport

/// Resident memory of every process, every 10 s while the load runs: the soak's question
/// is whether it grows.
final class MemorySampler: @unchecked Sendable {
    private let deployment: Deployment
    private let lock = NSLock()
    private var samples: [[Deployment.Member: ResidentMemory]] = []
    private var running = false

    init(deployment: Deployment) { self.deployment = deployment }

    func start() {
        lock.withLock { running = true }
        Thread.detachNewThread { [self] in
            while lock.withLock({ running }) {
                let sample = deployment.residentMemory()
                lock.withLock { samples.append(sample) }
                for _ in 0..<100 where lock.withLock({ running }) { Thread.sleep(forTimeInterval: 0.1) }
            }
        }
    }

    func stop() { lock.withLock { running = false } }

    var series: [[Deployment.Member: ResidentMemory]] { lock.withLock { samples } }
}

/// The run's summary, printed and written as a dated section of docs/reliability.md.
struct ChaosReport {
    let options: ChaosOptions
    let started: Date
    let drained: Bool
    let outcomes: [Invariants.Outcome]
    let clients: Clients.Figures
    let staff: Staff.Figures
    /// The planted visits (PlantedVisits), said in a line.
    let planted: String
    /// Whether the business's midway cancel went through: without it the reminders
    /// invariant never saw a visit cancelled with reminders still to come.
    let plantedCancelled: Bool
    /// Reply waits over the run, by thirds.
    let latency: String
    let faults: [FaultKind]
    /// When the updates moved to the webhook; nil: they never did (the run fails).
    let webhookSince: Date?
    let restarts: [Deployment.Member: Int]
    /// Each process's memory after the warm-up and at the end (`SoakChecks.memoryLine`).
    let memory: String

    var passed: Bool { drained && webhookSince != nil && plantedCancelled && outcomes.allSatisfy { $0.broken == nil } }

    var summary: String {
        let waits = clients.waits.sorted()
        var lines: [String] = []
        let minutes = Date().timeIntervalSince(started) / 60
        lines.append("## \(started.formatted(.iso8601).prefix(10)): \(options.noFaults ? "soak" : "chaos"), "
                     + "\(options.clients) clients, \(String(format: "%g", options.minutes)) min of load, \(options.workers) workers "
                     + "— \(passed ? "every invariant held" : "AN INVARIANT BROKE")")
        lines.append("")
        lines.append("`scripts/chaos --minutes \(String(format: "%g", options.minutes)) --clients \(options.clients)\(options.noFaults ? " --no-faults" : "")` "
                     + "(seed \(options.seed), \(String(format: "%g", options.rate)) updates/s on average, round trip \(options.latencyMilliseconds) ms, "
                     + "Telegram's flood limits; updates by polling, then "
                     + (webhookSince.map { "by webhook from minute \(String(format: "%.1f", $0.timeIntervalSince(started) / 60)); " } ?? "NEVER by webhook (the switch failed); ")
                     + "\(String(format: "%.1f", minutes)) min in all)")
        lines.append("")
        lines.append("| invariant | | figures |")
        lines.append("|---|---|---|")
        lines.append("| the system drained (queue empty, replies sent, reminders done, broadcasts done, error events in Bugsink) | \(drained ? "✅" : "❌ not within 180 s") | |")
        for outcome in outcomes {
            lines.append("| \(outcome.name) | \(outcome.broken.map { "❌ \($0)" } ?? "✅") | \(outcome.figures) |")
        }
        lines.append("")
        let byKind = Dictionary(grouping: faults, by: { $0 })
        let injected = FaultKind.allCases.compactMap { kind in byKind[kind].map { "\(kind.rawValue) ×\($0.count)" } }
        lines.append("Faults injected (\(faults.count)): \(injected.isEmpty ? "none" : injected.joined(separator: ", ")).")
        let restarted = restarts.filter { $0.value > 1 }.sorted { $0.key.name < $1.key.name }.map { "\($0.key.name) ×\($0.value - 1)" }
        lines.append("Restarted by the supervisor: \(restarted.isEmpty ? "none" : restarted.joined(separator: ", ")).")
        lines.append("Clients: \(clients.updates) updates, \(clients.bookings) bookings, \(clients.moves) moves, \(clients.cancellations) cancellations, "
                     + "\(clients.ratings) review requests answered with stars, \(clients.doubleTaps) double taps; "
                     + "reply waits p50 \(String(format: "%.2f", percentile(waits, 0.5))) s, "
                     + "p99 \(String(format: "%.2f", percentile(waits, 0.99))) s; "
                     + "the longest a chat waited (recovery after a fault): \(String(format: "%.1f", waits.last ?? 0)) s; "
                     + "\(clients.gaveUp) acts given up on after \(Int(Clients.patience)) s.")
        lines.append(planted)
        lines.append("The owner meanwhile: \(staff.broadcasts) broadcasts sent, \(staff.blocks) slots blocked, "
                     + "\(staff.gaveUp) attempts given up on after \(Int(Staff.patience)) s without the next screen.")
        for sample in staff.gaveUpSamples { lines.append("- the owner gave up waiting for \(sample)") }
        lines.append("Reply waits over time: \(latency).")
        for sample in clients.gaveUpSamples { lines.append("- gave up: \(sample.replacingOccurrences(of: "\n", with: " "))") }
        // With faults these are different lives of a restarted process; the soak's one life each is the figure that counts.
        lines.append("Memory (resident, after the warm-up → at the end): \(memory).")
        return lines.joined(separator: "\n") + "\n"
    }

    func append(to path: String) throws {
        let existing = (try? String(contentsOfFile: path, encoding: .utf8)) ?? "# Reliability\n\nWhat `scripts/chaos` measured, newest last.\n"
        try (existing.hasSuffix("\n\n") ? existing : existing + "\n").appending(summary).write(toFile: path, atomically: true, encoding: .utf8)
    }
}
