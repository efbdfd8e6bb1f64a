import Conversation
import Foundation
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

    /// KEYS: the arrival (ms) of the user's last passed update of this kind, and the one a
    /// warning was given for. ARGV: this arrival, window ms, keys' lifetime ms.
    /// The same arrival again is a retry of the same update (its transaction rolled back),
    /// never "too fast" against itself; an earlier one (another chat of the user, late) passes.
    private static let script = RedisScript(name: "flood-guard-arrival", source: """
        local last = redis.call('GET', KEYS[1])
        local at, window = tonumber(ARGV[1]), tonumber(ARGV[2])
        if not last or at == tonumber(last) or at < tonumber(last) then
          if not last then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3]) end
          return 0
        end
        if at - tonumber(last) >= window then
          redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
          return 0
        end
        if redis.call('GET', KEYS[2]) == last then return 2 end
        redis.call('SET', KEYS[2], last, 'PX', ARGV[3])
        return 1
        """)

    /// Judges an update by `receivedAt`, when ingress had it (Redis's clock), so updates
    /// a person sent seconds apart stay seconds apart however late a worker gets to them.
    func check(_ incoming: Incoming, receivedAt: Date) throws -> Verdict {
        let (kind, window): (String, TimeInterval)
        if case .button = incoming { (kind, window) = ("button", buttonWindow) } else { (kind, window) = ("message", messageWindow) }
        let milliseconds = Int(window * 1000)
        guard milliseconds > 0 else { return .pass }
        let user = incoming.person.id
        let arrival = Int64((receivedAt.timeIntervalSince1970 * 1000).rounded())
        let verdict = try redis.evaluate(Self.script, keys: ["{\(prefix)}:rl:\(kind):\(user)", "{\(prefix)}:rl:warned:\(kind):\(user)"],
                                         arguments: [String(arrival), milliseconds, milliseconds + 3_600_000]).int
        switch verdict {
        case 0: return .pass
        case 1: return .dropWithWarning
        default: return .drop
        }
    }
}
