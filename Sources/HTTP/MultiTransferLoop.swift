import CCurl
import CCurlShim
import Foundation

/// The thread of a `ConcurrentHTTPClient`: it owns the libcurl multi handle and every easy
/// handle, admits queued requests up to the client's bound, drives the transfers and calls
/// each completion when its transfer ends. Nothing else touches its state.
final class MultiTransferLoop: @unchecked Sendable {
    private struct Transfer {
        let request: EasyRequest
        let completion: @Sendable (Result<HTTPResponse, HTTPError>) -> Void
    }

    private let multi: UnsafeMutableRawPointer
    private let inbox: TransferInbox
    private let options: HTTPOptions
    private let maxInFlight: Int
    private var running: [UnsafeMutableRawPointer: Transfer] = [:]
    /// Easy handles kept for the next requests (a handle keeps allocations worth reusing);
    /// the connections themselves live in the multi handle's cache, not in these.
    private var idleHandles: [EasyHandle] = []
    private let idleLimit: Int

    /// Longest sleep in `curl_multi_poll`; new work and libcurl's own timers wake it sooner,
    /// so this only bounds how long a lost wakeup could go unnoticed.
    private static let pollMilliseconds: Int32 = 1000

    init(multi: UnsafeMutableRawPointer, inbox: TransferInbox, options: HTTPOptions, maxInFlight: Int) {
        self.multi = multi
        self.inbox = inbox
        self.options = options
        self.maxInFlight = maxInFlight
        idleLimit = min(maxInFlight, 8)
    }

    func run() {
        inbox.enterLoop()
        while let admitted = inbox.admit(upTo: maxInFlight - running.count) {
            admitted.forEach(begin)
            var stillRunning: Int32 = 0
            curl_multi_perform(multi, &stillRunning)
            // Ended transfers made room: admit queued ones before sleeping.
            if completeEnded() > 0 { continue }
            curl_multi_poll(multi, nil, 0, Self.pollMilliseconds, nil)
        }
        failEverything()
        inbox.markEnded()
    }

    private func begin(_ pending: PendingTransfer) {
        guard let handle = idleHandles.popLast() ?? EasyHandle() else {
            inbox.finishedOne()
            pending.completion(.failure(.transport(code: Int(CURLE_OUT_OF_MEMORY.rawValue), message: "curl_easy_init failed")))
            return
        }
        let request = EasyRequest(pending.request, options: options, handle: handle)
        if pending.request.url.lowercased().hasPrefix("https:") {
            // Waits for a connection being set up rather than opening another, so that
            // requests to one HTTP/2 host share a connection as streams.
            bb_curl_setopt_long(handle.pointer, CURLOPT_PIPEWAIT, 1)
        }
        let code = curl_multi_add_handle(multi, handle.pointer)
        guard code == CURLM_OK else {
            recycle(handle)
            inbox.finishedOne()
            pending.completion(.failure(.transport(code: Int(code.rawValue), message: String(cString: curl_multi_strerror(code)))))
            return
        }
        running[handle.pointer] = Transfer(request: request, completion: pending.completion)
    }

    /// Calls the completion of every transfer libcurl reports ended; returns how many.
    private func completeEnded() -> Int {
        var ended = 0
        var left: Int32 = 0
        while let message = curl_multi_info_read(multi, &left) {
            guard message.pointee.msg == CURLMSG_DONE, let pointer = message.pointee.easy_handle else { continue }
            // The message is libcurl's and dies with the removal: read it first.
            let code = message.pointee.data.result
            curl_multi_remove_handle(multi, pointer)
            guard let transfer = running.removeValue(forKey: pointer) else { continue }
            let outcome = transfer.request.outcome(code)
            recycle(transfer.request.handle)
            inbox.finishedOne()
            transfer.completion(outcome)
            ended += 1
        }
        return ended
    }

    private func recycle(_ handle: EasyHandle) {
        // A handle dropped here is cleaned up once its request is gone too.
        if idleHandles.count < idleLimit { idleHandles.append(handle) }
    }

    /// After shutdown: every running and queued transfer fails once, then every handle goes.
    private func failEverything() {
        let failed = running.values
        running = [:]
        for transfer in failed {
            curl_multi_remove_handle(multi, transfer.request.handle.pointer)
            inbox.finishedOne()
            transfer.completion(.failure(.shutDown))
        }
        for pending in inbox.takeQueued() {
            pending.completion(.failure(.shutDown))
        }
        idleHandles = []
        curl_multi_cleanup(multi)
    }
}
