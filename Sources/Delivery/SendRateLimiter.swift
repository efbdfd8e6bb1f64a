import Foundation
import Keys
import Redis

/// The deployment-wide budget of Telegram sends, shared by every process through Redis
/// (DESIGN, Outbound to Telegram): a token bucket of `perSecond` sends with a burst of
/// one second's worth. Interactive replies may use all of it; background traffic
/// (reminders, broadcasts, swept replies) only what stays above a reserve, and at most
/// one message a second per chat, so people waiting for an answer always go first.
public struct SendRateLimiter {
    /// Who a send is for.
    public enum Lane: Sendable {
        /// A reply someone is waiting for.
        case interactive
        /// Anything nobody is waiting for right now.
        case background
    }

    private let redis: RedisConnection
    private let keys: RedisKeys
    private let perSecond: Double
    /// Tokens background sends leave in the bucket for interactive ones.
    private let reserve: Double

    public init(redis: RedisConnection, prefix: String, perSecond: Double) {
        self.redis = redis
        self.keys = RedisKeys(prefix: prefix)
        self.perSecond = max(1, perSecond)
        self.reserve = (self.perSecond * 0.25).rounded(.up)
    }

    private static let script = RedisScript(name: "send-rate", source: """
        local function level(key, rate, burst, now)
          local state = redis.call('HMGET', key, 't', 'ts')
          local tokens = tonumber(state[1]) or burst
          local since = tonumber(state[2]) or now
          return math.min(burst, tokens + math.max(0, now - since) * rate / 1000)
        end
        local now = tonumber(ARGV[1])
        if not now then
          local t = redis.call('TIME')
          now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        end
        local rate, reserve = tonumber(ARGV[2]), tonumber(ARGV[3])
        local global = level(KEYS[1], rate, rate, now)
        if global < 1 + reserve then return math.ceil((1 + reserve - global) * 1000 / rate) end
        if KEYS[2] ~= '' then
          local chat = level(KEYS[2], 1, 1, now)
          if chat < 1 then return math.ceil((1 - chat) * 1000) end
          redis.call('HSET', KEYS[2], 't', tostring(chat - 1), 'ts', tostring(now))
          redis.call('PEXPIRE', KEYS[2], 10000)
        end
        redis.call('HSET', KEYS[1], 't', tostring(global - 1), 'ts', tostring(now))
        redis.call('PEXPIRE', KEYS[1], 60000)
        return 0
        """)

    /// Takes one send from the budget: 0 when granted, else how long to wait before asking
    /// again (nothing was taken). Time is Redis's own, so processes whose clocks disagree
    /// still share one bucket; `now` replaces it in tests.
    public func acquire(_ lane: Lane, chat: Int64, now: Date? = nil) throws -> TimeInterval {
        let background = lane == .background
        let keys = [keys.sendBudget, background ? keys.chatSendBudget(chat) : ""]
        let reply = try redis.evaluate(Self.script, keys: keys, arguments: [
            now.map { String(Int64($0.timeIntervalSince1970 * 1000)) } ?? "", String(perSecond), String(background ? reserve : 0),
        ])
        return Double(reply.int ?? 0) / 1000
    }
}
