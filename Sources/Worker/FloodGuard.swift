import Conversation
import Foundation
import Keys
import Redis

/// The per-user flood guard (SPEC 11), shared by every worker through Redis: at most one
/// message per message window and one button press per button window; the excess is
/// dropped, and told "please wait" at most once per window.
struct FloodGuard {
    enum Verdict: Equatable {
        case pass
        /// Drop it, and say "please wait" (the first excess of this window).
        case dropWithWarning
        case drop
    }

    let redis: RedisConnection
    let prefix: String
    let messageWindow: TimeInterval
    let buttonWindow: TimeInterval

    /// KEYS: the user's last passed update of this kind ("<arrival ms>:<update id>"), and
    /// the one a warning was given for. ARGV: this arrival, window ms, keys' lifetime ms,
    /// this update's id.
    /// The passed update itself again is a retry (its transaction rolled back), never "too
    /// fast" against itself; an earlier arrival (handled after a later one) passes too.
    private static let script = RedisScript(name: "flood-guard-arrival", source: """
        local mark = ARGV[1] .. ':' .. ARGV[4]
        local last = redis.call('GET', KEYS[1])
        local lastAt, lastID
        if last then lastAt, lastID = string.match(last, '^(%-?%d+):(.*)$') end
        local at, window = tonumber(ARGV[1]), tonumber(ARGV[2])
        if not lastAt then
          redis.call('SET', KEYS[1], mark, 'PX', ARGV[3])
          return 0
        end
        lastAt = tonumber(lastAt)
        if lastID == ARGV[4] or at < lastAt then return 0 end
        if at - lastAt >= window then
          redis.call('SET', KEYS[1], mark, 'PX', ARGV[3])
          return 0
        end
        if redis.call('GET', KEYS[2]) == last then return 2 end
        redis.call('SET', KEYS[2], last, 'PX', ARGV[3])
        return 1
        """)

    /// Judges an update by `receivedAt`, when ingress had it (Redis's clock), so updates
    /// a person sent seconds apart stay seconds apart however late a worker gets to them.
    func check(_ incoming: Incoming, updateID: Int64, receivedAt: Date) throws -> Verdict {
        let (kind, window): (String, TimeInterval)
        if case .button = incoming { (kind, window) = ("button", buttonWindow) } else { (kind, window) = ("message", messageWindow) }
        let milliseconds = Int(window * 1000)
        guard milliseconds > 0 else { return .pass }
        let user = incoming.person.id
        let arrival = Int64((receivedAt.timeIntervalSince1970 * 1000).rounded())
        let keys = RedisKeys(prefix: prefix)
        let verdict = try redis.evaluate(Self.script, keys: [keys.floodLast(kind: kind, user: user), keys.floodWarned(kind: kind, user: user)],
                                         arguments: [String(arrival), milliseconds, milliseconds + 3_600_000, String(updateID)]).int
        switch verdict {
        case 0: return .pass
        case 1: return .dropWithWarning
        default: return .drop
        }
    }
}
