/// The round trip of one Bot API call, as a bot far from Telegram's servers sees it.
///
/// Half of a round trip (with its share of the jitter) passes before the call takes
/// effect, the other half before its answer reaches the bot: a message the bot sends
/// shows to its user half a round trip after it was sent, and the bot learns the
/// message id a whole round trip after.
public struct SandboxLatency: Sendable, Equatable {
    /// The round trip of one call.
    public var milliseconds: Int
    /// Each call's round trip is `milliseconds` ± up to this, uniformly, never below 0.
    public var jitterMilliseconds: Int

    public init(milliseconds: Int, jitterMilliseconds: Int = 0) {
        self.milliseconds = milliseconds
        self.jitterMilliseconds = jitterMilliseconds
    }

    public static let none = SandboxLatency(milliseconds: 0)

    /// The longest round trip or jitter honoured: the fields are public and may hold any
    /// Int, so they are clamped before arithmetic (and a Sandbox stops within one leg).
    static let maximumMilliseconds = 60_000

    /// One call's two legs, in nanoseconds: to Telegram, and back to the bot.
    func drawLegs() -> (toTelegram: UInt64, back: UInt64) {
        let base = Int64(min(max(milliseconds, 0), Self.maximumMilliseconds)) * 1000
        let jitter = Int64(min(max(jitterMilliseconds, 0), Self.maximumMilliseconds)) * 1000
        let microseconds = max(0, base + (jitter > 0 ? Int64.random(in: -jitter...jitter) : 0))
        let total = UInt64(microseconds) * 1000
        return (total / 2, total - total / 2)
    }
}
