import Foundation

// The network between the bot and Telegram: each Bot API call waits out its legs (with
// the calls in flight counted, so tests see how many a bot keeps going at once).
extension SandboxWorld {
    /// Waits out one leg of a call's round trip without holding a thread. Calls in flight
    /// wait side by side; a stopping Sandbox cuts the wait short, so `stop()` is not held
    /// up by a long latency.
    func travel(_ nanoseconds: UInt64) async {
        var left = nanoseconds
        while left > 0, !locked({ $0.stopped }) {
            let step = min(left, 100_000_000)
            do {
                try await Task.sleep(nanoseconds: step)
            } catch {
                return
            }
            left -= step
        }
    }

    /// `travel` for the webhook's own threads, which block: sleeps in short steps, cut
    /// short by a stopping Sandbox.
    func travelBlocking(_ nanoseconds: UInt64) {
        var left = nanoseconds
        while left > 0, !locked({ $0.stopped }) {
            let step = min(left, 100_000_000)
            Thread.sleep(forTimeInterval: Double(step) / 1e9)
            left -= step
        }
    }

    func beginBotCall() {
        locked { $0.botCalls.begin() }
    }

    func endBotCall() {
        locked { $0.botCalls.end() }
    }

    var botCallsInFlight: CallsInFlight { locked { $0.botCalls } }
}

/// Bot API calls received and not yet answered: now, and the most at once.
struct CallsInFlight {
    private(set) var now = 0
    /// Since the start or the last `resetPeak()`.
    private(set) var peak = 0

    mutating func begin() {
        now += 1
        peak = max(peak, now)
    }

    mutating func end() {
        now -= 1
    }

    mutating func resetPeak() {
        peak = now
    }
}
