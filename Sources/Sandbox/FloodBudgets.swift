/// Telegram's flood control: every message sent or changed spends from the bot's budget
/// and its chat's; a call with no room in either is refused with 429 and changes nothing.
///
/// Only calls that take effect spend (a 400 costs nothing), so the check and the spending
/// happen around the method under the world's lock.
struct FloodBudgets {
    private let limits: SandboxFloodLimits
    private var bot: TokenBucket
    /// Only chats the bot sent to have a budget (a refused call adds none).
    private var chats: [Int64: TokenBucket] = [:]

    init(limits: SandboxFloodLimits) {
        self.limits = limits
        bot = TokenBucket(capacity: limits.botMessagesPerSecond, perSecond: limits.botMessagesPerSecond)
    }

    /// What a call spends: nothing (nil) unless it sends or changes a message.
    struct Charge {
        /// Nil when the call names no chat by number (an inline message, a channel's @name):
        /// only the bot's budget counts then.
        let chatID: Int64?
    }

    /// The charge of a method by lowercased name; nil for the free ones.
    static func charge(method: String, chatID: Int64?) -> Charge? {
        let counted = (method.hasPrefix("send") && method != "sendchataction") || method.hasPrefix("edit")
            || ["copymessage", "copymessages", "forwardmessage", "forwardmessages"].contains(method)
        return counted ? Charge(chatID: chatID) : nil
    }

    /// Throws the 429 when a budget has no room now; its retry_after is the whole seconds
    /// (at least 1) until both have.
    func admit(_ charge: Charge, at now: Double) throws {
        var wait = bot.wait(at: now)
        if let chatID = charge.chatID {
            wait = max(wait, (chats[chatID] ?? newBucket(chatID)).wait(at: now))
        }
        guard wait > 0 else { return }
        // Waits are finite (TokenBucket clamps its rate); a day bounds the conversion.
        throw BotAPIFailure.flood(retryAfter: max(1, Int(min(wait, 86_400).rounded(.up))))
    }

    mutating func spend(_ charge: Charge, at now: Double) {
        bot.take(at: now)
        if let chatID = charge.chatID {
            var bucket = chats[chatID] ?? newBucket(chatID)
            bucket.take(at: now)
            chats[chatID] = bucket
        }
    }

    private func newBucket(_ chatID: Int64) -> TokenBucket {
        if chatID < 0 {
            let perMinute = Double(limits.groupMessagesPerMinute)
            return TokenBucket(capacity: perMinute, perSecond: perMinute / 60)
        }
        return TokenBucket(capacity: Double(limits.chatBurst), perSecond: limits.chatMessagesPerSecond)
    }
}
