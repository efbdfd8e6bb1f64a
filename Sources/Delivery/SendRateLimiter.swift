import Foundation
import Keys
import Redis

/// The deployment-wide budget of Telegram sends, shared by every process through Redis
/// (DESIGN, Outbound to Telegram), shaped like Telegram's own limits: for the whole bot, at
/// most `perSecond` messages in any one second (a sliding window of the grants of the last
/// second — a token bucket would let a full bucket and a second's refill, twice the budget,
/// through in one second), and per chat a token bucket of `chatPerSecond` (Telegram: about
/// one) with a burst of three seconds' worth.
/// Interactive replies may use all of the bot's and are never held back by their chat's
/// (they spend it, though); background traffic (reminders, notices, broadcasts, swept
/// replies) only what stays above a reserve of each — but one a second of the bot's
/// whatever replies take — so people waiting for an answer go first and nothing else
/// starves. A chat Telegram answered with 429 is held for its `retry_after`
/// by every process.
///
/// Press answers (`answerCallbackQuery`) are not messages: Telegram does not count them,
/// and neither does this budget.
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
    /// Sends background traffic leaves in the bot's window for interactive ones (and one
    /// token of the chat's bucket).
    private let reserve: Double
    /// Background sends get one per this many seconds however busy replies keep the bot.
    static let backgroundFloor: TimeInterval = 1
    /// A chat's sustained rate and burst.
    private let chatPerSecond: Double
    private var chatBurst: Double { max(3, chatPerSecond * 3) }

    public init(redis: RedisConnection, prefix: String, perSecond: Double, chatPerSecond: Double = 1) {
        self.redis = redis
        self.keys = RedisKeys(prefix: prefix)
        self.perSecond = max(1, perSecond)
        // A quarter, and never the whole window: at one a second the background still moves.
        self.reserve = min((self.perSecond * 0.25).rounded(.up), (self.perSecond - 1).rounded(.down))
        self.chatPerSecond = min(max(0.1, chatPerSecond), 1000)
    }

    /// KEYS: the bot's window (a sorted set of the last second's grants, scored by their
    /// time), the chat's bucket, the chat's hold, the background lane's last send.
    /// ARGV: now (ms, or "" for Redis's clock), the bot's sends per second, its reserve,
    /// the chat's rate, burst, reserve, and the background floor (ms between background
    /// sends that may dip into the reserve; "" for replies).
    /// Returns 0 when a send was granted (recorded in the window, a token taken from the chat's bucket), else the
    /// milliseconds to wait before asking again (nothing taken): positive when the bot's
    /// budget is spent (every chat waits), negative when only this chat's is.
    private static let script = RedisScript(name: "send-rate-window", source: """
        local function level(key, rate, burst, now)
          local state = redis.call('HMGET', key, 't', 'ts')
          local tokens = tonumber(state[1]) or burst
          local since = tonumber(state[2]) or now
          return math.min(burst, tokens + math.max(0, now - since) * rate / 1000)
        end
        local held = redis.call('PTTL', KEYS[3])
        if held > 0 then return -held end
        local now = tonumber(ARGV[1])
        if not now then
          local t = redis.call('TIME')
          now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        end
        local cap, reserve = math.max(1, math.floor(tonumber(ARGV[2]))), tonumber(ARGV[3])
        local chatRate, chatBurst, chatReserve = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
        local floor = tonumber(ARGV[7])
        -- Grants leave the window after a second and 50 ms (the margin keeps Telegram, which
        -- receives each send a little after its grant, from ever counting more than `cap` in
        -- one of its seconds); what is left of `cap` may be sent now.
        local span = 1050
        -- A clock that stepped back (time sync, a failover) counts from the newest grant, so
        -- the window neither forgets grants nor repeats a member.
        local newest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
        if newest[2] then now = math.max(now, tonumber(newest[2])) end
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - span)
        local global = cap - redis.call('ZCARD', KEYS[1])
        -- Milliseconds until `n` sends are free: until enough of the oldest grants leave.
        local function freeIn(n)
          if global >= n then return 0 end
          local leaving = redis.call('ZRANGE', KEYS[1], n - global - 1, n - global - 1, 'WITHSCORES')
          return math.max(1, tonumber(leaving[2]) + span - now)
        end
        if global < 1 + reserve then
          -- Background traffic keeps a floor: one send per `floor` ms even while replies
          -- take everything above the reserve, so notices and reminders never starve.
          local sinceLast = now - (tonumber(redis.call('GET', KEYS[4])) or 0)
          if not floor or global < 1 or sinceLast < floor then
            local wait = freeIn(1 + reserve)
            if floor then wait = math.min(wait, math.max(freeIn(1), floor - sinceLast)) end
            return math.max(1, wait)
          end
        end
        -- A reply is never held back by its chat's budget (a person waits for it; Telegram
        -- lets private chats burst), but it spends it, so background sends to a busy chat wait.
        local chat = level(KEYS[2], chatRate, chatBurst, now)
        if floor and chat < 1 + chatReserve then return -math.ceil((1 + chatReserve - chat) * 1000 / chatRate) end
        redis.call('HSET', KEYS[2], 't', tostring(math.max(0, chat - 1)), 'ts', tostring(now))
        redis.call('PEXPIRE', KEYS[2], math.ceil(chatBurst / chatRate * 1000) + 1000)
        -- Unique within the window: in one millisecond the count only grows.
        redis.call('ZADD', KEYS[1], now, now .. ':' .. (cap - global))
        redis.call('PEXPIRE', KEYS[1], 2 * span)
        if floor then redis.call('SET', KEYS[4], tostring(now), 'PX', 60000) end
        return 0
        """)

    /// The budget's answer to one send.
    public enum Grant: Equatable, Sendable {
        case granted
        /// Nothing was taken; ask again after `seconds`. `wholeBot`: the bot's budget is
        /// spent, so every chat of this lane waits as long; else only this chat does.
        case wait(seconds: TimeInterval, wholeBot: Bool)
    }

    /// Takes one send from the budget, or says how long to wait. Time is Redis's own, so
    /// processes whose clocks disagree still share one window; `now` replaces it in tests.
    public func request(_ lane: Lane, chat: Int64, now: Date? = nil) throws -> Grant {
        let background = lane == .background
        let reply = try redis.evaluate(Self.script, keys: [keys.sendWindow, keys.chatSendBudget(chat), keys.chatSendHold(chat),
                                                           keys.backgroundLastSend], arguments: [
            now.map { String(Int64($0.timeIntervalSince1970 * 1000)) } ?? "", String(perSecond), String(background ? reserve : 0),
            String(chatPerSecond), String(chatBurst), background ? "1" : "0", background ? String(Int(Self.backgroundFloor * 1000)) : "",
        ])
        let milliseconds = reply.int ?? 0
        return milliseconds == 0 ? .granted : .wait(seconds: Double(milliseconds.magnitude) / 1000, wholeBot: milliseconds > 0)
    }

    /// Like `request`: 0 when granted, else the seconds to wait before asking again.
    public func acquire(_ lane: Lane, chat: Int64, now: Date? = nil) throws -> TimeInterval {
        guard case .wait(let seconds, _) = try request(lane, chat: chat, now: now) else { return 0 }
        return seconds
    }

    /// Telegram answered a send to `chat` with 429: nobody sends to it for `seconds`.
    /// `seconds` is Telegram's `retry_after`, bounded here (an hour at most) so a hostile
    /// or broken answer cannot silence a chat for good.
    public func hold(chat: Int64, seconds: Int) throws {
        let milliseconds = Int64(min(max(seconds, 1), 3600)) * 1000
        try redis.command("SET", keys.chatSendHold(chat), "1", "PX", String(milliseconds))
    }
}
