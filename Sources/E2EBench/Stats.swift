import Foundation
import LoadSupport
import Sandbox

/// The `p`-quantile (0–1) of sorted values, nearest rank; NaN for none.
func milliseconds(_ seconds: Double) -> String {
    guard seconds.isFinite else { return "–" }
    let ms = seconds * 1000
    return ms < 10 ? String(format: "%.2fms", ms) : ms < 100 ? String(format: "%.1fms", ms) : String(format: "%.0fms", ms)
}

func mebibytes(_ kib: Int) -> String { String(format: "%.1f", Double(kib) / 1024) }

/// VmHWM/VmRSS in MiB, `?` when it could not be read.
func memoryText(_ memory: (peak: Int, resident: Int)?) -> String {
    memory.map { "\(mebibytes($0.peak))/\(mebibytes($0.resident))" } ?? "?"
}

/// The CPU groups of a run, in the table's order.
enum CPUColumn: String, CaseIterable {
    case ingress, workers, redis = "Redis", postgres = "PostgreSQL", driver
}

/// What one run measured, and its report.
struct Report {
    var options: Options
    var outcome: LoadOutcome?
    /// One user alone, each reply's latency.
    var alone: [Double]
    var presses: SandboxServer.PressReport?
    var floodRefusals: Int
    /// Owner notices: messages received from the load's start, and which bookings they told.
    var noticeMessages: Int
    var coverage: NoticeCoverage.Result?
    /// Milliseconds of CPU per update over the load, by `CPUColumn`.
    var cpu: [String: Double?]
    var workerMemory: [(peak: Int, resident: Int)?]
    var ingressMemory: (peak: Int, resident: Int)?
    /// Warning and error lines the processes logged.
    var logLines: Int

    static let columns = ["workers", "flow", "round trip", "flood limits", "users", "pace", "reply p50", "p99", "never answered",
                          "presses answered >1 s / late / never", "429s given", "updates/s", "bookings", "owner notices (messages; bookings told ≤2 min)",
                          "CPU ms/update: ingress", "workers", "Redis", "PostgreSQL", "driver+Sandbox", "worker RSS", "ingress RSS"]

    static var header: String {
        "| " + columns.joined(separator: " | ") + " |\n|" + String(repeating: "---|", count: columns.count)
    }

    var roundTrip: String {
        (options.latencyMilliseconds == 0 ? "0 ms" : "\(options.latencyMilliseconds) ms" + (options.jitterMilliseconds > 0 ? " ±\(options.jitterMilliseconds)" : ""))
            + (options.updatesBy == .webhook ? ", webhook" : "")
    }

    var limits: String { options.telegramLimits ? "on (send rate default 30/s)" : "off (no send cap)" }

    var sortedLatencies: [Double] { (outcome?.latencies ?? []).sorted() }

    var rate: Double {
        guard let outcome else { return 0 }
        return Double(outcome.latencies.count) / max(outcome.seconds, 1e-9)
    }

    var pressCell: String {
        guard let presses else { return "–" }
        let slow = presses.answerDelays.filter { $0 > 1 }.count
        return "\(slow) / \(presses.late) / \(presses.unanswered) of \(presses.pressed)"
    }

    var noticeCell: String {
        guard let coverage, coverage.bookings > 0 else { return noticeMessages > 0 ? "\(noticeMessages); –" : "–" }
        return "\(noticeMessages); \(coverage.coveredInTime) of \(coverage.bookings)"
    }

    func cpuCell(_ column: CPUColumn) -> String {
        guard let value = cpu[column.rawValue] ?? nil else { return "?" }
        return String(format: "%.2f", value)
    }

    var row: String {
        let sorted = sortedLatencies
        var bookings = "–"
        if options.flow == .booking, let outcome { bookings = String(outcome.events.filter { $0.kind == .booked }.count) }
        var cells: [String] = [String(options.workers), options.flow.rawValue, roundTrip, limits, String(options.users), options.pace.rawValue]
        cells.append(milliseconds(percentile(sorted, 0.5)))
        cells.append(milliseconds(percentile(sorted, 0.99)))
        cells.append(String(outcome?.neverAnswered ?? 0))
        cells.append(pressCell)
        cells.append(String(floodRefusals))
        cells.append(String(format: "%.1f", rate))
        cells.append(bookings)
        cells.append(noticeCell)
        cells += CPUColumn.allCases.map(cpuCell)
        cells.append(workerMemory.map(memoryText).joined(separator: ", "))
        cells.append(memoryText(ingressMemory))
        return "| " + cells.joined(separator: " | ") + " |"
    }

    var aloneText: String {
        guard !alone.isEmpty else { return "" }
        let sorted = alone.sorted()
        return "\(sorted.count) replies: p50 \(milliseconds(percentile(sorted, 0.5))), p90 \(milliseconds(percentile(sorted, 0.9))), "
            + "max \(milliseconds(sorted.last ?? .nan))"
    }

    var notes: [String] {
        var notes: [String] = []
        if let outcome {
            // The booking flow runs for its time by design; the commands' load for a count of updates.
            if outcome.capped && options.flow == .commands {
                notes.append("stopped at the \(options.maxSeconds) s cap after \(outcome.updates) updates")
            }
            if outcome.overshoots > 0 { notes.append("\(outcome.overshoots) replies longer than calibrated") }
            if outcome.taken > 0 || outcome.unexpected > 0 {
                notes.append("\(outcome.taken) times just taken (at the time's press or the confirm), \(outcome.unexpected) other unexpected screens (back to /book)")
            }
            if let coverage, coverage.covered < coverage.bookings {
                notes.append("\(coverage.bookings - coverage.covered) bookings never told to the owner within the 2-minute wait after the load")
            }
        }
        if logLines > 0 { notes.append("\(logLines) warning/error log lines in \(options.logs)") }
        return notes
    }

    /// Progress lines for stderr.
    var details: [String] {
        var lines: [String] = []
        if !alone.isEmpty { lines.append("one user alone: \(aloneText)") }
        guard let outcome else { return lines }
        let sorted = sortedLatencies
        let mean = milliseconds(sorted.reduce(0, +) / Double(max(sorted.count, 1)))
        lines.append("\(sorted.count) replies to \(outcome.updates) updates in \(String(format: "%.1f", outcome.seconds)) s; mean \(mean); "
                     + "max \(milliseconds(sorted.last ?? .nan)); never answered \(outcome.neverAnswered); ingress VmHWM/VmRSS \(memoryText(ingressMemory)) MiB")
        for (step, times) in outcome.byStep.sorted(by: { $0.key < $1.key }) {
            let times = times.sorted()
            lines.append("  \(step): \(times.count) replies, p50 \(milliseconds(percentile(times, 0.5))), p99 \(milliseconds(percentile(times, 0.99)))")
        }
        if let presses {
            let delays = presses.answerDelays.sorted()
            lines.append("presses: \(presses.pressed), answered in time \(delays.count) (p50 \(milliseconds(percentile(delays, 0.5))), "
                         + "p99 \(milliseconds(percentile(delays, 0.99))), max \(milliseconds(delays.last ?? .nan))), late \(presses.late), "
                         + "never \(presses.unanswered); 429s given \(floodRefusals)")
        }
        if let coverage {
            lines.append("owner: \(noticeMessages) messages; bookings \(coverage.bookings), told within 2 min \(coverage.coveredInTime), told at all \(coverage.covered)")
        }
        lines.append("CPU ms/update: " + CPUColumn.allCases.map { "\($0.rawValue) \(cpuCell($0))" }.joined(separator: ", "))
        lines += outcome.unexpectedSamples.map { "unexpected: \($0)" }
        lines += notes.map { "note: \($0)" }
        return lines
    }

    /// The one tab-separated line on stdout that `scripts/bench` reads:
    /// updates/s, the table row, one user alone, notes; `-` for an empty field (bash's
    /// `read` would merge two tabs in a row).
    var line: String {
        [String(format: "%.1f", rate), outcome == nil ? "" : row, aloneText, notes.joined(separator: "; ")]
            .map { $0.isEmpty ? "-" : $0 }.joined(separator: "\t")
    }
}
