import Foundation

/// The `p`-quantile (0–1) of sorted values, nearest rank; NaN for none.
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

/// VmHWM/VmRSS in MiB, `?` when it could not be read.
func memoryText(_ memory: (peak: Int, resident: Int)?) -> String {
    memory.map { "\(mebibytes($0.peak))/\(mebibytes($0.resident))" } ?? "?"
}

/// What one run measured, and its report.
struct Report {
    var options: Options
    var outcome: Driver.Outcome
    /// One user alone, each reply's latency.
    var alone: [Double]
    var workerMemory: [(peak: Int, resident: Int)?]
    var ingressMemory: (peak: Int, resident: Int)?
    /// Warning and error lines the processes logged.
    var logLines: Int

    /// Progress lines for stderr: totals, then each command's p50 and p99.
    var details: [String] {
        let sorted = outcome.latencies.sorted()
        let mean = milliseconds(sorted.reduce(0, +) / Double(max(sorted.count, 1)))
        var lines = ["\(sorted.count) updates in \(String(format: "%.1f", outcome.seconds)) s; mean \(mean); max \(milliseconds(sorted.last ?? .nan)); "
                     + "ingress VmHWM/VmRSS \(memoryText(ingressMemory)) MiB"]
        for command in sequence {
            let times = (outcome.byCommand[command] ?? []).sorted()
            lines.append("  \(command): \(times.count) updates, p50 \(milliseconds(percentile(times, 0.5))), p99 \(milliseconds(percentile(times, 0.99)))")
        }
        return lines
    }

    /// The one tab-separated line on stdout that `scripts/bench` reads:
    /// workers, updates/s, p50, p99, worker RSS (VmHWM/VmRSS MiB, per process), alone p50, notes.
    var line: String {
        let sorted = outcome.latencies.sorted()
        let rate = Double(sorted.count) / max(outcome.seconds, 1e-9)
        var notes: [String] = []
        if outcome.capped { notes.append("stopped at the \(options.maxSeconds) s cap after \(sorted.count) updates") }
        if outcome.overshoots > 0 { notes.append("\(outcome.overshoots) replies longer than calibrated") }
        if logLines > 0 { notes.append("\(logLines) warning/error log lines in \(options.logs)") }
        return [String(options.workers), String(format: "%.1f", rate), milliseconds(percentile(sorted, 0.5)),
                milliseconds(percentile(sorted, 0.99)), workerMemory.map(memoryText).joined(separator: ", "),
                milliseconds(percentile(alone, 0.5)), notes.joined(separator: "; ")].joined(separator: "\t")
    }
}
