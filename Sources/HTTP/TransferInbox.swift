import CCurl
import Foundation

/// A request waiting for a `ConcurrentHTTPClient`'s thread, with the completion to call
/// exactly once.
struct PendingTransfer: Sendable {
    let request: HTTPRequest
    let completion: @Sendable (Result<HTTPResponse, HTTPError>) -> Void
}

/// What callers hand a `ConcurrentHTTPClient`'s thread: requests in FIFO order and the
/// word to stop, each followed by a `curl_multi_wakeup` so the thread's poll returns at once.
///
/// The multi handle is the loop's; it is woken only under the lock while the inbox is
/// open, and the loop frees it only after it saw the inbox closed, so a wakeup never
/// touches a freed handle.
final class TransferInbox: @unchecked Sendable {
    private let condition = NSCondition()
    private let multi: UnsafeMutableRawPointer
    private var queued: [PendingTransfer] = []
    private var running = 0
    private var closed = false
    private var ended = false
    private var loopThread: pthread_t?

    init(multi: UnsafeMutableRawPointer) { self.multi = multi }

    /// Queues a transfer and wakes the loop; false once closed (the caller fails it).
    func submit(_ transfer: PendingTransfer) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !closed else { return false }
        queued.append(transfer)
        curl_multi_wakeup(multi)
        return true
    }

    /// Running plus queued.
    var inFlight: Int {
        condition.lock()
        defer { condition.unlock() }
        return running + queued.count
    }

    /// Closes the inbox and wakes the loop; later submits are refused.
    func close() {
        condition.lock()
        defer { condition.unlock() }
        guard !closed else { return }
        closed = true
        curl_multi_wakeup(multi)
    }

    /// Blocks until the loop has ended (every completion called) or `timeout` passed.
    /// Returns at once on the loop's own thread, which would otherwise wait for itself.
    @discardableResult
    func waitUntilEnded(timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        if let loopThread, pthread_equal(loopThread, pthread_self()) != 0 { return ended }
        while !ended {
            if !condition.wait(until: deadline) { return ended }
        }
        return true
    }

    // MARK: - The loop's side

    func enterLoop() {
        condition.lock()
        defer { condition.unlock() }
        loopThread = pthread_self()
    }

    /// Up to `limit` of the oldest queued transfers, now counted as running; nil once closed.
    func admit(upTo limit: Int) -> [PendingTransfer]? {
        condition.lock()
        defer { condition.unlock() }
        guard !closed else { return nil }
        let count = min(max(0, limit), queued.count)
        guard count > 0 else { return [] }
        let admitted = Array(queued.prefix(count))
        queued.removeFirst(count)
        running += count
        return admitted
    }

    /// One running transfer ended (before its completion is called, so it sees the count).
    func finishedOne() {
        condition.lock()
        defer { condition.unlock() }
        running -= 1
    }

    /// Everything still queued, once closed (nothing can be queued after).
    func takeQueued() -> [PendingTransfer] {
        condition.lock()
        defer { condition.unlock() }
        let all = queued
        queued = []
        return all
    }

    func markEnded() {
        condition.lock()
        defer { condition.unlock() }
        ended = true
        condition.broadcast()
    }
}
