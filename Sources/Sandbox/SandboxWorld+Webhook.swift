import Dispatch
import Foundation
import Telegram

// setWebhook, deleteWebhook, getWebhookInfo, and what the dispatcher (WebhookDispatcher)
// delivers: one update at a time per chat, retried with backoff.
extension SandboxWorld {
    struct WebhookConfig {
        var url: String
        var secretToken: String?
        var maxConnections: Int
    }

    /// Blocks the dispatcher's thread until there are updates to POST (each then marked
    /// in flight), or the Sandbox stops (nil).
    func nextDeliveries() -> [WebhookDelivery]? {
        blockingWait { state in
            if state.stopped { return .done(nil) }
            let deliveries = state.takeDeliveries()
            if !deliveries.isEmpty { return .done(deliveries) }
            // A change wakes the wait; a chat in backoff needs a look when it ends.
            var wait = 1.0
            if let retry = state.webhook.nextRetry {
                let now = DispatchTime.now().uptimeNanoseconds
                wait = retry.uptimeNanoseconds > now ? min(wait, Double(retry.uptimeNanoseconds - now) / 1e9) : 0.01
            }
            return .wait(until: Date().addingTimeInterval(max(wait, 0.005)))
        }
    }

    /// Settles one delivery: a 2xx confirms the update; anything else leaves it first in
    /// its chat's line and waits before the next try.
    func finish(_ delivery: WebhookDelivery, failure: String?) {
        locked { state in
            let confirmed = state.webhook.settle(delivery.group, failure: failure, at: state.now, options: state.options)
            if confirmed { state.updates.remove(delivery.updateID) }
            state.changed()
        }
    }
}

/// The webhook, if set, and its deliveries: the chats with a POST in flight or waiting
/// out a failure, and the last error `getWebhookInfo` reports.
struct WebhookState {
    private(set) var config: SandboxWorld.WebhookConfig?
    private var inFlight: Set<Int64> = []
    private var backoff: [Int64: Backoff] = [:]
    private(set) var lastError: (date: Int, message: String)?

    private struct Backoff {
        var retryAt: DispatchTime
        var delay: Double
    }

    /// Sets the webhook; another URL than before starts with a clean slate. True when the URL is the same.
    mutating func set(_ new: SandboxWorld.WebhookConfig) -> Bool {
        let same = config?.url == new.url
        if !same {
            backoff.removeAll()
            lastError = nil
        }
        config = new
        return same
    }

    /// Removes the webhook; true when there was one.
    mutating func delete() -> Bool {
        let had = config != nil
        config = nil
        backoff.removeAll()
        lastError = nil
        return had
    }

    /// Whether a chat's oldest update may go now: a free connection, nothing of the chat
    /// in flight, no backoff running. Marks it in flight when so.
    mutating func take(_ group: Int64, now: DispatchTime) -> Bool {
        guard let config, inFlight.count < config.maxConnections, !inFlight.contains(group) else { return false }
        if let wait = backoff[group], wait.retryAt > now { return false }
        inFlight.insert(group)
        return true
    }

    var full: Bool { inFlight.count >= (config?.maxConnections ?? 0) }

    /// When the dispatcher should look again even if nothing changes: the next backoff end.
    var nextRetry: DispatchTime? { backoff.values.map(\.retryAt).min() }

    /// Ends a delivery: on failure the chat waits (doubling up to the maximum); true when it succeeded.
    mutating func settle(_ group: Int64, failure: String?, at date: Int, options: SandboxOptions) -> Bool {
        inFlight.remove(group)
        if let failure {
            let delay = backoff[group].map { min($0.delay * 2, options.webhookMaxBackoff) } ?? options.webhookInitialBackoff
            backoff[group] = Backoff(retryAt: .now() + delay, delay: delay)
            lastError = (date, failure)
            return false
        }
        backoff[group] = nil
        return true
    }
}

extension SandboxWorld.State {
    mutating func setWebhook(_ parameters: Parameters) throws -> BotAPIResult {
        let url = try parameters.string("url") ?? ""
        if url.isEmpty { return try deleteWebhook(parameters) }
        guard let components = URLComponents(string: url), ["http", "https"].contains(components.scheme?.lowercased() ?? ""),
              let host = components.host, !host.isEmpty else {
            throw BotAPIFailure.badRequest("bad webhook: An HTTPS URL must be provided for webhook")
        }
        let secret = try parameters.string("secret_token")
        if let secret {
            let allowed = secret.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) && $0.isASCII || $0 == "_" || $0 == "-" }
            guard (1...256).contains(secret.count), allowed else {
                throw BotAPIFailure.badRequest("secret token contains unallowed characters")
            }
        }
        let connections = try parameters.int("max_connections").map { Int(min(max($0, 1), 100)) } ?? 40
        let allowed = try parameters.decode("allowed_updates", as: [String].self, failure: .badRequest("can't parse allowed updates"))
        if try parameters.bool("drop_pending_updates") == true { updates.removeAll() }
        if let allowed { updates.allow(allowed) }
        let same = webhook.set(SandboxWorld.WebhookConfig(url: url, secretToken: secret, maxConnections: connections))
        changed()
        return try .value(true, description: same ? "Webhook is already set" : "Webhook was set")
    }

    mutating func deleteWebhook(_ parameters: Parameters) throws -> BotAPIResult {
        if try parameters.bool("drop_pending_updates") == true { updates.removeAll() }
        let had = webhook.delete()
        changed()
        return try .value(true, description: had ? "Webhook was deleted" : "Webhook is already deleted")
    }

    var webhookInfo: WebhookInfo {
        WebhookInfo(url: webhook.config?.url ?? "", pendingUpdateCount: updates.count, lastErrorDate: webhook.lastError?.date,
                    lastErrorMessage: webhook.lastError?.message, maxConnections: webhook.config?.maxConnections,
                    allowedUpdates: updates.allowed)
    }

    /// The updates to POST now: the oldest pending update of each chat that has nothing in
    /// flight and is not waiting out a failure, up to the connection limit. Each is
    /// marked in flight.
    mutating func takeDeliveries() -> [WebhookDelivery] {
        guard let config = webhook.config, !stopped else { return [] }
        let now = DispatchTime.now()
        var seen: Set<Int64> = []
        var result: [WebhookDelivery] = []
        for update in updates.pending {
            guard !webhook.full else { break }
            guard seen.insert(update.group).inserted else { continue }
            guard webhook.take(update.group, now: now) else { continue }
            result.append(WebhookDelivery(updateID: update.id, group: update.group, url: config.url,
                                          secretToken: config.secretToken, body: update.raw))
        }
        return result
    }
}
