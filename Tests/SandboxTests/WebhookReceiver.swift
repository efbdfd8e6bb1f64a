import Foundation
import Hummingbird
import Logging
import NIOCore

/// A small webhook endpoint on loopback (Hummingbird) that records every POST the
/// Sandbox makes and answers as the test scripts it: a status and a delay per attempt.
final class WebhookReceiver: @unchecked Sendable {
    struct Delivery: Equatable {
        let updateID: Int64
        let chatID: Int64?
        let secret: String?
        let attempt: Int
        let status: Int
    }

    /// Decides the answer to the `attempt`-th POST (from 1) of an update.
    typealias Script = @Sendable (_ updateID: Int64, _ attempt: Int) -> (status: Int, delay: Double)

    private let lock = NSLock()
    private var _deliveries: [Delivery] = []
    private var attempts: [Int64: Int] = [:]
    private var inFlightPerChat: [Int64: Int] = [:]
    private var _maxInFlightPerChat = 0
    private var inFlight = 0
    private var _maxInFlight = 0
    private let script: Script
    private var task: Task<Void, Never>?
    private var listener: (any Channel)?
    private(set) var port = 0

    init(script: @escaping Script = { _, _ in (200, 0) }) {
        self.script = script
    }

    var url: String { "http://127.0.0.1:\(port)/telegram/webhook" }
    var deliveries: [Delivery] { lock.withLock { _deliveries } }
    /// Deliveries answered 2xx, in arrival order.
    var accepted: [Delivery] { deliveries.filter { (200..<300).contains($0.status) } }
    var maxInFlightPerChat: Int { lock.withLock { _maxInFlightPerChat } }
    var maxInFlight: Int { lock.withLock { _maxInFlight } }

    private struct Body: Decodable {
        struct Chat: Decodable { let id: Int64 }
        struct Message: Decodable { let chat: Chat }
        let update_id: Int64
        let message: Message?
    }

    func start() {
        let router = Router()
        router.post("/telegram/webhook") { [self] request, _ -> Response in
            let buffer = try await request.body.collect(upTo: 1 << 20)
            let body = try JSONDecoder().decode(Body.self, from: Data(buffer: buffer))
            let chat = body.message?.chat.id
            let attempt = begin(updateID: body.update_id, chat: chat)
            let (status, delay) = script(body.update_id, attempt)
            if delay > 0 { try? await Task.sleep(nanoseconds: UInt64(delay * 1e9)) }
            end(Delivery(updateID: body.update_id, chatID: chat, secret: request.headers[.init("X-Telegram-Bot-Api-Secret-Token")!],
                         attempt: attempt, status: status))
            return Response(status: .init(code: status))
        }
        let ready = DispatchSemaphore(value: 0)
        let bound = PortBox()
        var logger = Logger(label: "webhook-receiver")
        logger.logLevel = .warning
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in
                                  bound.set(channel.localAddress?.port ?? 0, channel)
                                  ready.signal()
                              }, logger: logger)
        task = Task { try? await app.run() }
        ready.wait()
        port = bound.value
        listener = bound.channel
    }

    /// Closes the listening socket (quietly ending the accept loop), then the rest.
    func stop() {
        try? listener?.close().wait()
        _ = eventually(timeout: 3) { self.lock.withLock { self.inFlight == 0 } }
        usleep(20_000)
        task?.cancel()
    }

    private func begin(updateID: Int64, chat: Int64?) -> Int {
        lock.withLock {
            attempts[updateID, default: 0] += 1
            inFlight += 1
            _maxInFlight = max(_maxInFlight, inFlight)
            if let chat {
                inFlightPerChat[chat, default: 0] += 1
                _maxInFlightPerChat = max(_maxInFlightPerChat, inFlightPerChat[chat]!)
            }
            return attempts[updateID]!
        }
    }

    private func end(_ delivery: Delivery) {
        lock.withLock {
            inFlight -= 1
            if let chat = delivery.chatID { inFlightPerChat[chat, default: 1] -= 1 }
            _deliveries.append(delivery)
        }
    }
}

private final class PortBox: @unchecked Sendable {
    private let lock = NSLock()
    private var port = 0
    private var listener: (any Channel)?
    func set(_ value: Int, _ channel: any Channel) { lock.withLock { port = value; listener = channel } }
    var value: Int { lock.withLock { port } }
    var channel: (any Channel)? { lock.withLock { listener } }
}

/// Polls a condition for up to `timeout` seconds (the test thread may block).
func eventually(timeout: TimeInterval = 5, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return true }
        usleep(10_000)
    }
    return condition()
}
