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

    private static let script = RedisScript(name: "flood-guard", source: """
        if redis.call('SET', KEYS[1], '1', 'PX', ARGV[1], 'NX') then return 0 end
        if redis.call('SET', KEYS[2], '1', 'PX', ARGV[1], 'NX') then return 1 end
        return 2
        """)

    func check(_ incoming: Incoming) throws -> Verdict {
        let (kind, window): (String, TimeInterval)
        if case .button = incoming { (kind, window) = ("button", buttonWindow) } else { (kind, window) = ("message", messageWindow) }
        let milliseconds = Int(window * 1000)
        guard milliseconds > 0 else { return .pass }
        let user = incoming.person.id
        let verdict = try redis.evaluate(Self.script, keys: ["{\(prefix)}:rl:\(kind):\(user)", "{\(prefix)}:rl:warned:\(kind):\(user)"],
                                         arguments: [milliseconds]).int
        switch verdict {
        case 0: return .pass
        case 1: return .dropWithWarning
        default: return .drop
        }
    }
}
