/// The send rates above which Telegram answers 429 "Too Many Requests".
///
/// Calls that send or change a message (`send…`, `edit…`, `copyMessage`, `forwardMessage`)
/// spend from two budgets: the bot's and their chat's. Deleting messages, answering
/// presses, getUpdates, getMe and the `set…` methods are free.
public struct SandboxFloodLimits: Sendable, Equatable {
    /// The whole bot, across every chat; a second's worth may go at once.
    public var botMessagesPerSecond: Double
    /// One private chat, sustained.
    public var chatMessagesPerSecond: Double
    /// Messages one private chat takes at once before `chatMessagesPerSecond` bites.
    public var chatBurst: Int
    /// One group (a chat with a negative id), instead of the private chat's budget; the
    /// whole minute's worth may go at once.
    public var groupMessagesPerMinute: Int

    public init(botMessagesPerSecond: Double, chatMessagesPerSecond: Double, chatBurst: Int, groupMessagesPerMinute: Int) {
        self.botMessagesPerSecond = botMessagesPerSecond
        self.chatMessagesPerSecond = chatMessagesPerSecond
        self.chatBurst = chatBurst
        self.groupMessagesPerMinute = groupMessagesPerMinute
    }

    /// Telegram's published limits (core.telegram.org/bots/faq), with the small burst a
    /// private chat gets in practice.
    public static let telegram = SandboxFloodLimits(botMessagesPerSecond: 30, chatMessagesPerSecond: 1, chatBurst: 3,
                                                    groupMessagesPerMinute: 20)
}
