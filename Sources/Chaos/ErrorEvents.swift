import DevSupport
import Foundation
import Keys
import Redis

/// The error path end to end: every event a process put on the `errors` list (its fate
/// key says "queued" from that moment) must end in Bugsink, stored once. The forwarder
/// posts at least once (killed between Bugsink's answer and its mark, it posts again);
/// Bugsink keeps one event per id, which is what makes that exactly once.
struct ErrorEvents {
    let redis: RedisConnection
    let keys: RedisKeys
    let bugsink: BugsinkServer

    /// Events waiting for the forwarder or being sent: the drain waits for none.
    func waiting() throws -> Int {
        Int(try redis.command("LLEN", keys.errors).int ?? 0) + Int(try redis.command("LLEN", keys.errorsSending).int ?? 0)
    }

    /// Each event's fate by its id, from the keys the capture and the forwarder set.
    func fates() throws -> [String: String] {
        let marker = keys.errorFate("")
        var names: [String] = []
        var cursor = "0"
        repeat {
            let reply = try redis.command("SCAN", cursor, "MATCH", keys.errorFate("*"), "COUNT", "1000").array ?? []
            guard reply.count == 2, let next = reply[0].string else { throw ChaosError("SCAN answered \(reply)") }
            cursor = next
            names += reply[1].array?.compactMap(\.string) ?? []
        } while cursor != "0"
        var fates: [String: String] = [:]
        // A few hundred names at a time: one round trip each, a bounded reply.
        for start in stride(from: 0, to: names.count, by: 500) {
            let batch = Array(names[start..<min(names.count, start + 500)])
            let values = try redis.command(["MGET"] + batch).array ?? []
            for (name, value) in zip(batch, values) {
                if let fate = value.string { fates[String(name.dropFirst(marker.count))] = fate }
            }
        }
        return fates
    }

    /// `faultsRan`: restarts and kills make processes log errors, so none at all would
    /// mean the error path went unchecked.
    func check(faultsRan: Bool) throws -> Invariants.Outcome {
        let fates = try fates()
        let sent = fates.filter { $0.value == "sent" }.map(\.key)
        let queued = fates.filter { $0.value == "queued" }.count
        let dropped = Dictionary(grouping: fates.values.filter { $0.hasPrefix("dropped:") }, by: { $0 }).mapValues(\.count)
        let missing = try sent.filter { try bugsink.event($0) == nil }
        let stored = try bugsink.storedEventCount()
        var problems: [String] = []
        if faultsRan && fates.isEmpty { problems.append("no error event reached the queue: the error path went unchecked") }
        if queued > 0 { problems.append("\(queued) queued and never settled") }
        if !dropped.isEmpty { problems.append("dropped: \(dropped.sorted { $0.key < $1.key }.map { "\($0.value)× \($0.key)" }.joined(separator: ", "))") }
        if !missing.isEmpty { problems.append("\(missing.count) marked sent that Bugsink does not hold (first: \(missing.prefix(3)))") }
        if stored != sent.count { problems.append("Bugsink holds \(stored) events for \(sent.count) sent") }
        return Invariants.Outcome(
            name: "every error event reached Bugsink exactly once", broken: problems.isEmpty ? nil : problems.joined(separator: "; "),
            figures: "\(fates.count) events reached the queue, \(sent.count) marked sent, \(stored) stored in Bugsink, \(bugsink.repeatedPosts()) posted twice "
                + "(stored once); events a process lost before the queue (killed holding them, or Redis down) are not counted")
    }
}
