import Foundation

/// What the run did, as it happened: every update the simulated people made (what
/// "Telegram handed over" is checked against) and every fault, with its time.
final class Ledger: @unchecked Sendable {
    struct Fault: Sendable {
        let at: Date
        let kind: FaultKind
        let target: String
    }

    private let lock = NSLock()
    private var updates: [(id: Int64, chat: Int64)] = []
    private var faults: [Fault] = []
    private var webhook: Date?

    func madeUpdate(_ id: Int64, chat: Int64) {
        lock.withLock { updates.append((id, chat)) }
    }

    func injected(_ kind: FaultKind, target: String) {
        lock.withLock { faults.append(Fault(at: Date(), kind: kind, target: target)) }
    }

    /// Telegram's updates go to the webhook ingress from now on.
    func switchedToWebhook() {
        lock.withLock { webhook = Date() }
    }

    var webhookSince: Date? { lock.withLock { webhook } }
    var allUpdates: [(id: Int64, chat: Int64)] { lock.withLock { updates } }
    var allFaults: [Fault] { lock.withLock { faults } }
}
