import Store

extension OutboxMessage {
    /// An answer to a button press: owed at once, in no order with the chat's messages
    /// (it only stops the button's spinner), and free of Telegram's message limits.
    var isPressAnswer: Bool { method == "answerCallbackQuery" }

    /// Telegram's limits count messages sent or edited, not answers to button presses.
    var countsAgainstFloodLimits: Bool { method.hasPrefix("send") || method.hasPrefix("edit") }

    /// Its lane of the send budget: replies may use all of it, everything else leaves a reserve.
    var budgetLane: SendRateLimiter.Lane { priority == OutboxLane.interactive.rawValue ? .interactive : .background }

    /// A staff notice, which may go out merged with the chat's next ones.
    var isNotice: Bool { priority == OutboxLane.notice.rawValue && method == "sendMessage" }
}
