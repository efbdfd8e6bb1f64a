/// A budget refilled at a steady rate up to a cap: a call passes when one token is there.
struct TokenBucket {
    let capacity: Double
    let perSecond: Double
    private var tokens: Double
    private var updated: Double?

    /// Both values are clamped to sane ranges (they come from public options): at least one
    /// token, and a rate that is positive and finite, so every wait is finite.
    init(capacity: Double, perSecond: Double) {
        self.capacity = capacity.isFinite ? min(max(capacity, 1), 1e6) : 1
        self.perSecond = perSecond.isFinite && perSecond > 0 ? min(max(perSecond, 1e-3), 1e6) : 1e-3
        tokens = self.capacity
    }

    /// Seconds until a token is there (0: now).
    func wait(at now: Double) -> Double {
        let level = self.level(at: now)
        return level >= 1 ? 0 : (1 - level) / perSecond
    }

    mutating func take(at now: Double) {
        tokens = level(at: now) - 1
        updated = now
    }

    private func level(at now: Double) -> Double {
        guard let updated else { return tokens }
        return min(capacity, tokens + max(0, now - updated) * perSecond)
    }
}
