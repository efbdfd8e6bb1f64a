// The load: simulated users driving the bot through the Sandbox, one thread for all.
import DevSupport
import Foundation
import Sandbox
import Telegram

/// Each user's cycle of commands; the bot's answers differ only between the first cycle
/// (a new user) and the later ones, which `Calibration` measures before the load.
let sequence = ["/start", "/help", "/book", "/cancel"]

struct Calibration {
    /// Bot actions (messages, edits…) answering each step of the first cycle and of later ones.
    var first: [Int]
    var later: [Int]

    func actions(step: Int) -> Int {
        (step < sequence.count ? first : later)[step % sequence.count]
    }
}

final class Driver {
    let sandbox: SandboxServer
    /// Throws when a process has ended; called at most twice a second while waiting.
    let health: () throws -> Void
    private var checkedAt = 0.0

    init(sandbox: SandboxServer, health: @escaping () throws -> Void) {
        self.sandbox = sandbox
        self.health = health
    }

    /// Waits for the Sandbox to change after `version`, at most `timeout` seconds.
    func wait(after version: Int, timeout: Double) throws {
        if now() - checkedAt > 0.5 {
            try health()
            checkedAt = now()
        }
        sandbox.waitForChange(after: version, timeout: min(timeout, 0.5))
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
    func calibrate(user: Int64) throws -> Calibration {
        sandbox.register(User(id: user, firstName: "Calibration", languageCode: "en"))
        var cycles: [[Int]] = []
        for cycle in 0..<3 {
            cycles.append(try sequence.map { try sendAndSettle($0, from: user, firstTimeout: cycle == 0 && $0 == sequence[0] ? 60 : 15) })
        }
        guard cycles[1] == cycles[2] else {
            throw BenchError("the bot's answers differ between cycles 2 and 3 (\(cycles[1]) vs \(cycles[2])): the load could not tell when a reply ends")
        }
        return Calibration(first: cycles[0], later: cycles[1])
    }

    struct Outcome {
        var latencies: [Double]
        /// The same, by command.
        var byCommand: [String: [Double]]
        var seconds: Double
        var capped: Bool
        var overshoots: Int
    }

    /// One user alone, `steps` more commands of the later cycles (the user must be at the
    /// start of a cycle): each reply's latency with nothing else going on.
    func probe(user: Int64, steps: Int, calibration: Calibration, replyTimeout: Double = 15) throws -> [Double] {
        var latencies: [Double] = []
        var seen = count(user)
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
            usleep(20_000)
        }
        return latencies
    }

    /// `users` users, from id `firstUser`, `updates` updates in all, each user's next
    /// command sent a pause of `think` seconds (on average; uniform over 0.5–1.5 times)
    /// after the whole reply to its last has arrived. One thread drives them all: it
    /// sleeps on the Sandbox's change counter, then reads every waiting user's progress
    /// in one call.
    func run(users: Int, firstUser: Int64, updates: Int, think: Double, calibration: Calibration, maxSeconds: Double,
             replyTimeout: Double = 30) throws -> Outcome {
        let ids = (0..<users).map { firstUser + Int64($0) }
        for (index, id) in ids.enumerated() {
            sandbox.register(User(id: id, firstName: "Bench \(index)", languageCode: "en"))
        }
        var random = SplitMix64(seed: 0xB00C_1D5)
        func pause() -> Double { think * (0.5 + random.unit()) }
        let quota = (0..<users).map { updates / users + ($0 < updates % users ? 1 : 0) }
        var done = Array(repeating: 0, count: users)
        var seen = Array(repeating: 0, count: users)
        var target = Array(repeating: 0, count: users)
        var sentAt = Array(repeating: 0.0, count: users)
        var latencies: [Double] = []
        latencies.reserveCapacity(updates)
        var byCommand: [String: [Double]] = [:]
        let start = now()
        // Users thinking, with the time they send next; the first sends spread over one pause.
        var thinking = (0..<users).map { (at: start + think * Double($0) / Double(users), user: $0) }
        var waiting: [Int] = []
        var overshoots = 0
        var capped = false
        var lastReply = start
        while true {
            var current = now()
            if !capped && current - start > maxSeconds {
                capped = true
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
                if counts[index] >= target[user] {
                    let latency = current - sentAt[user]
                    latencies.append(latency)
                    byCommand[sequence[done[user] % sequence.count], default: []].append(latency)
                    lastReply = current
                    if counts[index] > target[user] { overshoots += 1 }
                    seen[user] = counts[index]
                    done[user] += 1
                    if done[user] < quota[user] && !capped { thinking.append((current + pause(), user)) }
                } else if current - sentAt[user] > replyTimeout {
                    let step = done[user]
                    throw BenchError("user \(ids[user]) got no full reply to \(sequence[step % sequence.count]) (step \(step + 1)) within \(Int(replyTimeout)) s: \(counts[index] - seen[user]) of \(target[user] - seen[user]) actions")
                } else {
                    still.append(user)
                }
            }
            waiting = still
            let nextSend = thinking.map(\.at).min() ?? .infinity
            let left = nextSend - now()
            if left > 0 { try wait(after: version, timeout: min(1, left)) }
        }
        return Outcome(latencies: latencies, byCommand: byCommand, seconds: lastReply - start, capped: capped, overshoots: overshoots)
    }
}
