import Dispatch
import Foundation
import HTTP

/// Pushes pending updates to the webhook the way Telegram does: a POST per update,
/// confirmed only by a 2xx, retried with backoff otherwise, one at a time per chat and
/// at most `max_connections` at once.
///
/// It runs on threads of its own (one dispatcher, one per delivery in flight) because
/// the HTTP client blocks, and blocking calls must stay off Swift's cooperative pool.
/// A POST waits out the Sandbox's latency as a call does: the update's way to the bot,
/// then the answer's way back before the chat's next update may go. Its connections are
/// kept and reused, as Telegram keeps its webhook connections open.
final class WebhookDispatcher: @unchecked Sendable {
    private let world: SandboxWorld
    private let done = DispatchSemaphore(value: 0)
    private let deliveries = DispatchGroup()
    private let clientsLock = NSLock()
    private var idleClients: [HTTPClient] = []

    init(world: SandboxWorld) {
        self.world = world
    }

    func start() {
        let thread = Thread { [self] in
            loop()
            done.signal()
        }
        thread.name = "sandbox-webhook"
        thread.start()
    }

    /// Waits for the loop to end after the world was stopped, and for the POSTs still
    /// in flight (each bounded by the webhook timeout), so nothing is sent after `stop()`.
    func join() {
        done.wait()
        deliveries.wait()
    }

    private func loop() {
        while let deliveries = world.nextDeliveries() {
            for delivery in deliveries {
                self.deliveries.enter()
                let thread = Thread { [self] in
                    let legs = world.options.latency.drawLegs()
                    world.travelBlocking(legs.toTelegram)
                    let failure = post(delivery, timeout: world.options.webhookTimeout)
                    world.travelBlocking(legs.back)
                    world.finish(delivery, failure: failure)
                    self.deliveries.leave()
                }
                thread.name = "sandbox-webhook-delivery"
                thread.start()
            }
        }
    }

    /// Makes one POST on an idle connection (or a new one); nil on a 2xx, else what
    /// `getWebhookInfo` will report. A client whose POST failed is dropped with its connection.
    private func post(_ delivery: WebhookDelivery, timeout: Double) -> String? {
        let client = clientsLock.withLock { idleClients.popLast() }
            ?? HTTPClient(options: HTTPOptions(connectTimeout: min(timeout, 5), totalTimeout: timeout, maxResponseBytes: 1 << 20,
                                               userAgent: "BookingBot Sandbox webhook"))
        let failure = Self.post(delivery, with: client)
        if failure == nil { clientsLock.withLock { idleClients.append(client) } }
        return failure
    }

    private static func post(_ delivery: WebhookDelivery, with client: HTTPClient) -> String? {
        var headers: [(name: String, value: String)] = []
        if let secret = delivery.secretToken { headers.append((name: "X-Telegram-Bot-Api-Secret-Token", value: secret)) }
        do {
            let response = try client.postJSON(delivery.url, body: delivery.body, headers: headers)
            return response.isSuccess ? nil : "Wrong response from the webhook: \(response.status)"
        } catch HTTPError.cannotConnect {
            return "Connection refused"
        } catch HTTPError.timedOut {
            return "Read timeout expired"
        } catch HTTPError.cannotResolveHost {
            return "Failed to resolve host"
        } catch {
            return "Connection failed"
        }
    }
}
