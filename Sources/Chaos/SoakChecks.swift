import DevSupport
import Foundation
import LoadSupport

/// The soak's two questions (`--no-faults`): does any process's memory grow, and do the
/// replies get slower as the hours go by? Memory is compared from the end of the first
/// tenth of the run (the warm-up: caches and connections filled) to the end; latency
/// between the first and the last third of the load.
struct SoakChecks {
    let memory: [[Deployment.Member: ResidentMemory]]
    let waits: [Double]
    /// When each wait ended, seconds into the load.
    let waitEnds: [Double]
    let loadSeconds: Double
    /// Growth allowed after the warm-up (issue #19: 5 %).
    static let memoryGrowth = 0.05
    /// The last third's median may exceed the first third's by this much (relative, and
    /// 20 ms absolute, for a median of a few tens of ms to jitter in).
    static let latencyGrowth = 0.25

    /// The waits that ended in each third of the load.
    var thirds: [[Double]] {
        var parts: [[Double]] = [[], [], []]
        for (wait, end) in zip(waits, waitEnds) {
            parts[min(2, max(0, Int(end / (loadSeconds / 3))))].append(wait)
        }
        return parts.map { $0.sorted() }
    }

    var latencyLine: String {
        thirds.enumerated().map { index, part in
            "third \(index + 1): p50 \(String(format: "%.3f", percentile(part, 0.5))) s, p99 \(String(format: "%.3f", percentile(part, 0.99))) s (\(part.count) replies)"
        }.joined(separator: "; ")
    }

    var outcomes: [Invariants.Outcome] { [memoryFlat, latencyFlat] }

    /// Where growth is measured from: the end of the first tenth.
    private var warmedUp: [Deployment.Member: ResidentMemory]? { memory.count >= 10 ? memory[memory.count / 10] : nil }

    /// Each member's resident memory after the warm-up and at the end, split into what it
    /// allocated and what it mapped from files (`ResidentMemory`).
    var memoryLine: String {
        guard let from = warmedUp, let to = memory.last else { return "(too short a run to sample memory: \(memory.count) samples)" }
        return from.keys.sorted(by: { $0.name < $1.name }).compactMap { member in
            guard let before = from[member], let after = to[member] else { return nil }
            return "\(member.name): \(megabytes(before.resident)) → \(megabytes(after.resident)) MB, of it allocated "
                + "\(megabytes(before.anonymous)) → \(megabytes(after.anonymous)) MB and mapped from the binary "
                + "\(megabytes(before.file)) → \(megabytes(after.file)) MB"
        }.joined(separator: "; ")
    }

    /// What counts as growth: all of what a process allocated (a leak grows it), and of what
    /// it mapped from the binary only the pages beyond what a process of the same kind had
    /// mapped when the warm-up ended. Two processes of a kind run the same code, and which of
    /// them first runs a path (claims are `SKIP LOCKED`) is chance: the second reminders
    /// process of the third soak mapped in 2 MB at its first reminder, up to the very figure
    /// its twin had mapped in the warm-up, and no further.
    static func counted(before: ResidentMemory, after: ResidentMemory, twinsMappedAtWarmUp: Int) -> Int {
        (after.anonymous - before.anonymous) + max(0, after.file - max(before.file, twinsMappedAtWarmUp))
    }

    private var memoryFlat: Invariants.Outcome {
        let name = "memory flat (growth ≤ 5 % after the warm-up; pages of the binary a twin had mapped by then count as warm-up)"
        guard let from = warmedUp, let to = memory.last else {
            return .init(name: name, broken: "too short a run: \(memory.count) samples", figures: "")
        }
        var grown: [String] = []
        var figures: [String] = []
        for member in from.keys.sorted(by: { $0.name < $1.name }) {
            guard let before = from[member], let after = to[member], before.resident > 0 else { continue }
            let twins = from.filter { $0.key.kind == member.kind }.map(\.value.file).max() ?? before.file
            let growth = Double(Self.counted(before: before, after: after, twinsMappedAtWarmUp: twins)) / Double(before.resident)
            let resident = Double(after.resident - before.resident) / Double(before.resident)
            // The path, in sixths of the run: a leak climbs all along, a warm-up levels off.
            let path = (0...6).compactMap { memory[min(memory.count - 1, $0 * (memory.count - 1) / 6)][member].map { String($0.resident / 1024) } }
            figures.append("\(member.name) \(String(format: "%+.1f", growth * 100)) % (resident \(String(format: "%+.1f", resident * 100)) %: "
                           + "\(path.joined(separator: "→")) MB)")
            if growth > Self.memoryGrowth { grown.append(member.name) }
        }
        return .init(name: name, broken: grown.isEmpty ? nil : "grew: \(grown.joined(separator: ", "))", figures: figures.joined(separator: ", "))
    }

    private func megabytes(_ kibibytes: Int) -> String { String(format: "%.1f", Double(kibibytes) / 1024) }

    private var latencyFlat: Invariants.Outcome {
        let parts = thirds
        guard parts.allSatisfy({ !$0.isEmpty }) else {
            return .init(name: "latency flat (last third's median vs the first's)", broken: "a third of the run had no replies", figures: latencyLine)
        }
        let first = percentile(parts[0], 0.5), last = percentile(parts[2], 0.5)
        let flat = last <= first * (1 + Self.latencyGrowth) + 0.02
        return .init(name: "latency flat (last third's median vs the first's)",
                     broken: flat ? nil : "the median went from \(String(format: "%.3f", first)) s to \(String(format: "%.3f", last)) s",
                     figures: latencyLine)
    }
}
