import Foundation

/// What the run did: every update the simulated people made (what "Telegram handed over"
/// is checked against) and every fault that happened.
final class Ledger: @unchecked Sendable {
    private let lock = NSLock()
    private var updates: [(id: Int64, chat: Int64)] = []
    private var faults: [FaultKind] = []
    private var webhook: Date?
    private var plantedCancelled: Int?

    func madeUpdate(_ id: Int64, chat: Int64) {
        lock.withLock { updates.append((id, chat)) }
    }

    func injected(_ kind: FaultKind) {
        lock.withLock { faults.append(kind) }
    }

    /// Telegram's updates go to the webhook ingress from now on.
    func switchedToWebhook() {
        lock.withLock { webhook = Date() }
    }

    /// The business cancelled this many planted visits midway.
    func cancelledPlanted(_ count: Int) {
        lock.withLock { plantedCancelled = count }
    }

    var webhookSince: Date? { lock.withLock { webhook } }
    var plantedVisitsCancelled: Int? { lock.withLock { plantedCancelled } }
    var allUpdates: [(id: Int64, chat: Int64)] { lock.withLock { updates } }
    var allFaults: [FaultKind] { lock.withLock { faults } }
}
