// The load: simulated users driving the bot through the Sandbox, one thread for all.
import DevSupport
import Foundation
import Sandbox
import Telegram

/// Each user's cycle of commands in `--flow commands`; the bot's answers differ only
/// between the first cycle (a new user) and the later ones, which `Calibration` measures
/// before the load.
let sequence = ["/start", "/help", "/book", "/cancel"]

struct Calibration {
    /// Bot actions (messages, edits…) answering each step of the first cycle and of later ones.
    var first: [Int]
    var later: [Int]

    func actions(step: Int) -> Int {
        (step < sequence.count ? first : later)[step % sequence.count]
    }
}

/// What one load measured, whichever the flow.
struct LoadOutcome {
    /// Each answered action's time from the user's act to the reply's arrival in the chat.
    var latencies: [Double] = []
    /// The same, by command or booking step.
    var byStep: [String: [Double]] = [:]
    /// Actions with no reply within the reply timeout (each user went on).
    var neverAnswered = 0
    /// Updates the users made (texts and presses).
    var updates = 0
    /// From the first action to the last reply.
    var seconds = 0.0
    var capped = false
    /// Commands: replies with more bot actions than calibrated.
    var overshoots = 0
    /// Booking: the time chosen was taken by the confirm; another unexpected screen.
    var taken = 0
    var unexpected = 0
    /// Booking: bookings and cancellations as the clients saw them.
    var events: [BookingEvent] = []
    /// Booking: what the unexpected screens were, a few of each, for the notes.
    var unexpectedSamples: [String] = []
}

final class Driver {
    let sandbox: SandboxServer
    /// Throws when a process has ended; called at most twice a second while waiting.
    let health: () throws -> Void
    /// The owner's chat, read while the load runs so each notice's arrival is known.
    let owner: OwnerWatch?
    private var checkedAt = 0.0

    init(sandbox: SandboxServer, owner: OwnerWatch?, health: @escaping () throws -> Void) {
        self.sandbox = sandbox
        self.owner = owner
        self.health = health
    }

    /// Waits for the Sandbox to change after `version`, at most `timeout` seconds.
    func wait(after version: Int, timeout: Double) throws {
        if now() - checkedAt > 0.5 {
            try health()
            checkedAt = now()
        }
        owner?.look(sandbox, now: now())
        sandbox.waitForChange(after: version, timeout: max(0, min(timeout, 0.5)))
    }

    func count(_ user: Int64) -> Int { sandbox.botActionCounts(chatIDs: [user])[0] }

    /// Sends `text` and waits for the reply to end: the first bot action within
    /// `firstTimeout`, then nothing more for `quiet` seconds. The number of actions.
    func sendAndSettle(_ text: String, from user: Int64, firstTimeout: Double, quiet: Double = 0.3) throws -> Int {
        let baseline = count(user)
        _ = try sandbox.sendText(text, from: user)
        let deadline = now() + firstTimeout
        var seen = baseline
        while seen == baseline {
            let version = sandbox.version
            seen = count(user)
            if seen > baseline { break }
            let left = deadline - now()
            guard left > 0 else { throw BenchError("no reply to \(text) within \(Int(firstTimeout)) s") }
            try wait(after: version, timeout: left)
        }
        var changedAt = now()
        while true {
            let version = sandbox.version
            let current = count(user)
            if current != seen {
                seen = current
                changedAt = now()
            }
            let silent = now() - changedAt
            if silent >= quiet { return seen - baseline }
            try wait(after: version, timeout: quiet - silent)
        }
    }

    /// One user runs three cycles slowly: how many actions answer each step. Also the
    /// warm-up (and the wait for the processes to be ready: the first reply may take a while).
    /// `quiet` must outlast the gap between two calls of one reply (a round trip or more).
    func calibrate(user: Int64, quiet: Double) throws -> Calibration {
        sandbox.register(User(id: user, firstName: "Calibration", languageCode: "en"))
        var cycles: [[Int]] = []
        for cycle in 0..<3 {
            cycles.append(try sequence.map {
                try sendAndSettle($0, from: user, firstTimeout: cycle == 0 && $0 == sequence[0] ? 60 : 15, quiet: quiet)
            })
        }
        guard cycles[1] == cycles[2] else {
            throw BenchError("the bot's answers differ between cycles 2 and 3 (\(cycles[1]) vs \(cycles[2])): the load could not tell when a reply ends")
        }
        return Calibration(first: cycles[0], later: cycles[1])
    }

    /// One user alone, `steps` more commands of the later cycles (the user must be at the
    /// start of a cycle): each reply's latency with nothing else going on. The pauses
    /// between commands vary (20–120 ms), so a periodic stall cannot hide between them.
    func probe(user: Int64, steps: Int, calibration: Calibration, replyTimeout: Double = 15) throws -> [Double] {
        var latencies: [Double] = []
        var seen = count(user)
        var random = SplitMix64(seed: 0xA10E)
        for step in 0..<steps {
            let target = seen + calibration.later[step % sequence.count]
            let sent = now()
            _ = try sandbox.sendText(sequence[step % sequence.count], from: user)
            while true {
                let version = sandbox.version
                seen = count(user)
                if seen >= target { break }
                guard now() - sent < replyTimeout else { throw BenchError("no reply to \(sequence[step % sequence.count]) within \(Int(replyTimeout)) s") }
                try wait(after: version, timeout: 1)
            }
            latencies.append(now() - sent)
            usleep(useconds_t(20_000 + 100_000 * random.unit()))
        }
        return latencies
    }

    /// `--flow commands`: `users` users, from id `firstUser`, `updates` updates in all, each
    /// user's next command sent a pause drawn from `think` after the whole reply to its last
    /// has arrived. One thread drives them all: it sleeps on the Sandbox's change counter,
    /// then reads every waiting user's progress in one call. A user with no full reply
    /// within `replyTimeout` counts as never answered and goes on with its next command.
    func runCommands(users: Int, firstUser: Int64, updates: Int, think: ClosedRange<Double>, calibration: Calibration,
                     maxSeconds: Double, replyTimeout: Double = 30) throws -> LoadOutcome {
        let ids = (0..<users).map { firstUser + Int64($0) }
        for (index, id) in ids.enumerated() {
            sandbox.register(User(id: id, firstName: NoticeCoverage.name(of: index), languageCode: "en"))
        }
        var random = SplitMix64(seed: 0xB00C_1D5)
        func pause() -> Double { think.lowerBound + (think.upperBound - think.lowerBound) * random.unit() }
        let quota = (0..<users).map { updates / users + ($0 < updates % users ? 1 : 0) }
        var done = Array(repeating: 0, count: users)
        var seen = Array(repeating: 0, count: users)
        var target = Array(repeating: 0, count: users)
        var sentAt = Array(repeating: 0.0, count: users)
        var outcome = LoadOutcome()
        outcome.latencies.reserveCapacity(updates)
        let start = now()
        // Users thinking, with the time they send next; the first sends spread over one pause.
        var thinking = (0..<users).map { (at: start + think.upperBound * Double($0) / Double(users), user: $0) }
        var waiting: [Int] = []
        var lastReply = start
        while true {
            var current = now()
            if !outcome.capped && current - start > maxSeconds {
                outcome.capped = true
                thinking.removeAll()
            }
            if thinking.contains(where: { $0.at <= current }) {
                var later: [(at: Double, user: Int)] = []
                for entry in thinking {
                    guard entry.at <= current else {
                        later.append(entry)
                        continue
                    }
                    let user = entry.user
                    let step = done[user]
                    target[user] = seen[user] + calibration.actions(step: step)
                    sentAt[user] = now()
                    _ = try sandbox.sendText(sequence[step % sequence.count], from: ids[user])
                    outcome.updates += 1
                    waiting.append(user)
                }
                thinking = later
            }
            if waiting.isEmpty && thinking.isEmpty { break }
            let version = sandbox.version
            let counts = sandbox.botActionCounts(chatIDs: waiting.map { ids[$0] })
            current = now()
            var still: [Int] = []
            still.reserveCapacity(waiting.count)
            for (index, user) in waiting.enumerated() {
                let answered = counts[index] >= target[user]
                if answered || current - sentAt[user] > replyTimeout {
                    if answered {
                        let latency = current - sentAt[user]
                        outcome.latencies.append(latency)
                        outcome.byStep[sequence[done[user] % sequence.count], default: []].append(latency)
                        lastReply = current
                        if counts[index] > target[user] { outcome.overshoots += 1 }
                    } else {
                        outcome.neverAnswered += 1
                    }
                    seen[user] = counts[index]
                    done[user] += 1
                    if done[user] < quota[user] && !outcome.capped { thinking.append((current + pause(), user)) }
                } else {
                    still.append(user)
                }
            }
            waiting = still
            let nextSend = thinking.map(\.at).min() ?? .infinity
            let left = nextSend - now()
            if left > 0 { try wait(after: version, timeout: min(1, left)) }
        }
        outcome.seconds = lastReply - start
        return outcome
    }
}
