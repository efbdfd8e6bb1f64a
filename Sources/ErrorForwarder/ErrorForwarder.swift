import ErrorCapture
import Foundation
import HTTP
import Keys
import Logging
import Redis
import WireSupport

/// `bookingbot errors`: moves the events every process pushed onto `{prefix}:errors` to
/// Sentry (or any Sentry-compatible server), one envelope each.
///
/// Reliable like Sidekiq's fetch: an event is moved (`LMOVE`) to `{prefix}:errors:sending`
/// before it is posted and leaves Redis only once Sentry took it or it was given up for
/// good; a forwarder that dies leaves it there, and the next one puts it back in line.
/// Network errors and 5xx are retried with capped exponential backoff, the same event
/// first; 4xx (413 and 429 too) are never retried: dropped, counted by reason and told to
/// Sentry in the next envelope's client report. `X-Sentry-Rate-Limits` (on any answer)
/// and a 429's `Retry-After` stop all posting of a category until their time is up; the
/// events wait in Redis meanwhile, bounded by the capture side's cap.
public final class ErrorForwarder: @unchecked Sendable {
    public struct Settings: Sendable {
        public var redis: RedisEndpoint
        public var prefix: String
        public var dsn: SentryDSN
        public var requestTimeout: TimeInterval = 10
        public var maxBackoff: TimeInterval = 60
        /// Rest when the list is empty.
        public var idleWait: TimeInterval = 0.2

        public init(redis: RedisEndpoint, prefix: String, dsn: SentryDSN) {
            self.redis = redis
            self.prefix = prefix
            self.dsn = dsn
        }
    }

    /// What became of one event.
    enum Outcome: Equatable {
        case sent
        case dropped(DropReason, category: String)
        /// Not now (network, 5xx): the same event again after a pause.
        case retry
    }

    private let settings: Settings
    private let logger: Logger
    private let keys: RedisKeys
    private let threads = LoopThreads()
    private var limits = RateLimits()
    private var discarded: [Discard: Int] = [:]

    public init(settings: Settings, logger: Logger) {
        self.settings = settings
        self.logger = logger
        self.keys = RedisKeys(prefix: settings.prefix)
    }

    public func start() {
        threads.spawn("errors") { [self] in loop() }
    }

    /// Keeps sending for up to `flush` seconds (what is still in Redis then stays there
    /// for the next start), then returns; false when it had to leave events behind.
    @discardableResult
    public func stop(flush: TimeInterval = 2) -> Bool {
        threads.stop(grace: flush, slack: 0.5)
    }

    /// When a stop asked the forwarder to be done by.
    private var stopping: Date? { threads.stopDeadline }

    private func rest(_ seconds: TimeInterval) { threads.rest(seconds) }

    // MARK: - The loop

    private func loop() {
        var backoff = Backoff(initial: min(1, settings.maxBackoff), maximum: settings.maxBackoff)
        while true {
            if let deadline = stopping, Date() >= deadline { return }
            do {
                let redis = try RedisConnection(endpoint: settings.redis)
                let http = HTTPClient(options: HTTPOptions(connectTimeout: 3, totalTimeout: settings.requestTimeout,
                                                          userAgent: "bookingbot/\(BuildInfo.version)"))
                try recover(redis)
                try drain(redis: redis, http: http, backoff: &backoff)
                return
            } catch {
                logger.warning("error forwarder: Redis unavailable; retrying", metadata: ["error": "\(error)"])
                if stopping != nil { return }
                rest(backoff.nextDelay())
            }
        }
    }

    /// Events a dead forwarder was sending go back to the front of the line.
    private func recover(_ redis: RedisConnection) throws {
        var moved = 0
        while try redis.command("LMOVE", keys.errorsSending, keys.errors, "LEFT", "RIGHT").data != nil { moved += 1 }
        if moved > 0 { logger.info("error forwarder: events taken back from an interrupted run", metadata: ["count": "\(moved)"]) }
    }

    private func drain(redis: RedisConnection, http: HTTPClient, backoff: inout Backoff) throws {
        while true {
            let stop = stopping
            if let stop, Date() >= stop { return }
            if let until = limits.blockedUntil(now: Date()) {
                // Nothing of the category is posted before the time is up (a stop does not wait).
                if stop != nil { return }
                rest(min(until.timeIntervalSinceNow, 1))
                continue
            }
            guard let raw = try redis.command("LMOVE", keys.errors, keys.errorsSending, "RIGHT", "LEFT").data else {
                if stop != nil { return }
                if !discarded.isEmpty { sendReportAlone(http) }
                rest(settings.idleWait)
                continue
            }
            guard let item = Item(raw) else {
                try settle(raw, eventID: "unknown", .dropped(.invalid, category: "error"), redis: redis)
                continue
            }
            var outcome = send(item, http: http)
            while outcome == .retry {
                if let stop = stopping, Date().addingTimeInterval(backoff.currentCeiling) >= stop { return }  // stays in `sending`
                rest(backoff.nextDelay())
                if let until = limits.blockedUntil(now: Date()), until > Date() { rest(until.timeIntervalSinceNow) }
                outcome = send(item, http: http)
            }
            backoff.reset()
            try settle(raw, eventID: item.eventID, outcome, redis: redis)
        }
    }

    /// One item of the list, read once: its id and its data category.
    struct Item {
        let data: Data
        let eventID: String
        let isTrace: Bool
        var category: String { isTrace ? "transaction" : "error" }

        /// Nil for anything that is not an event of ours.
        init?(_ data: Data) {
            guard let event = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let eventID = event["event_id"] as? String else { return nil }
            self.data = data
            self.eventID = eventID
            self.isTrace = event["type"] as? String == "transaction"
        }
    }

    /// Posts one event; the answer decides its fate and the rate limits.
    func send(_ item: Item, http: HTTPClient) -> Outcome {
        let (eventID, category) = (item.eventID, item.category)
        // Traces are not held back while their category is limited: they are dropped, as
        // Sentry's SDKs do (errors wait; see `drain`).
        if limits.blockedUntil(category: category, now: Date()) != nil { return .dropped(.rateLimited, category: category) }
        let report = discarded
        let body = Envelope.make(event: item.data, eventID: eventID, itemType: item.isTrace ? "transaction" : "event",
                                 discarded: report, now: Date())
        do {
            let response = try post(body, http: http)
            switch response.status {
            case 200..<300:
                // The report went with it.
                for (reason, count) in report { discarded[reason, default: 0] -= count }
                discarded = discarded.filter { $0.value > 0 }
                return .sent
            case 429:
                logger.warning("error forwarder: Sentry asks to slow down", metadata: ["event_id": "\(eventID)"])
                return .dropped(.rateLimited, category: category)
            case 400..<500:
                logger.error("error forwarder: Sentry refused an event", metadata: ["status": "\(response.status)", "event_id": "\(eventID)"])
                return .dropped(.sendError, category: category)
            default:
                logger.warning("error forwarder: Sentry failed; will retry", metadata: ["status": "\(response.status)"])
                return .retry
            }
        } catch {
            logger.warning("error forwarder: Sentry unreachable; will retry", metadata: ["error": "\(error)"])
            return .retry
        }
    }

    /// A client report without an event, when events stopped flowing (all refused).
    private func sendReportAlone(_ http: HTTPClient) {
        _ = try? post(Envelope.make(event: nil, eventID: nil, discarded: discarded, now: Date()), http: http)
        // Sent or refused, it is not sent again: a report about reports would never end.
        discarded = [:]
    }

    /// Posts an envelope, gzipped, with the DSN's key; what Sentry says of rate limits
    /// is kept whatever the status.
    private func post(_ envelope: Data, http: HTTPClient) throws -> HTTPResponse {
        let response = try http.send(HTTPRequest(
            method: "POST", url: settings.dsn.envelopeURL,
            headers: [("X-Sentry-Auth", settings.dsn.authHeader(client: "bookingbot/\(BuildInfo.version)")), ("Content-Encoding", "gzip")],
            body: .data(try Gzip.compress(envelope), contentType: "application/x-sentry-envelope"),
            timeout: settings.requestTimeout))
        limits.update(status: response.status, rateLimitsHeader: response.header("X-Sentry-Rate-Limits"),
                      retryAfter: response.header("Retry-After"), now: Date())
        return response
    }

    /// The item leaves Redis, counted, in one MULTI: nobody sees it gone but not yet counted.
    private func settle(_ raw: Data, eventID: String, _ outcome: Outcome, redis: RedisConnection) throws {
        var commands: [[any RedisArgument]] = [["LREM", keys.errorsSending, "1", raw]]
        switch outcome {
        case .sent:
            commands.append(["HINCRBY", keys.statsSentry, "sent", "1"])
            commands.append(["SET", keys.errorFate(eventID), "sent", "EX", "3600"])
        case .dropped(let reason, let category):
            discarded[Discard(reason: reason, category: category), default: 0] += 1
            commands.append(["HINCRBY", keys.statsSentry, "dropped:\(reason.rawValue)", "1"])
            commands.append(["SET", keys.errorFate(eventID), "dropped:\(reason.rawValue)", "EX", "3600"])
        case .retry:
            return
        }
        _ = try redis.transaction(commands)
    }
}
