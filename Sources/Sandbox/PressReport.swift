extension SandboxServer {
    /// How the bot answered its users' button presses, since the start or the last
    /// `resetCounters()`. Every press counted is answered, answered late, or unanswered.
    public struct PressReport: Sendable, Equatable {
        /// Callback queries created (button presses).
        public var pressed: Int
        /// Seconds from each press to its first accepted answer (by Telegram's own clock,
        /// when the answer's first leg arrived), for the presses answered in time.
        public var answerDelays: [Double]
        /// Presses whose answer came after `SandboxOptions.pressAnswerDeadline` and was refused.
        public var late: Int
        /// Presses with no answer yet.
        public var unanswered: Int

        public init(pressed: Int, answerDelays: [Double], late: Int, unanswered: Int) {
            self.pressed = pressed
            self.answerDelays = answerDelays
            self.late = late
            self.unanswered = unanswered
        }
    }
}
