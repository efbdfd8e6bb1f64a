import ArgumentParser
import Foundation
import Postgres
import Queue
import Redis
import SortedJSON
import Stats
import Store

/// `bookingbot status`: the deployment's health in one screen (or JSON), and an exit code
/// a health check can use.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Print queue depth, oldest update, live workers, reminder lag, dead updates, outbox backlog, background jobs waiting, the Sentry queue and Redis's durability settings; exit 1 when unhealthy.")

    @Flag(help: "Print JSON.") var json = false

    /// Past these, the deployment is unhealthy.
    static let maxOldestSeconds = 60.0
    static let reminderSlack: TimeInterval = 300

    func run() throws {
        let context = try ProcessContext.start(process: "status", captureErrors: false)
        let config = context.config
        var report: [String: Any] = [:]
        var problems: [String] = []
        var warnings: [String] = []
        do {
            let redis = try RedisConnection(endpoint: RedisEndpoint(config.redis), options: RedisOptions(connectTimeout: 2, readTimeout: 2, reconnectWindow: 0))
            // The same figures /metrics shows.
            let snapshot = try DeploymentStats(redis: redis, prefix: config.redis.prefix).snapshot(now: Date(), heartbeatTTL: 30)
            let figures = snapshot.figures
            report["queue_depth"] = figures.depth
            report["oldest_age_seconds"] = figures.oldestWaitingSeconds ?? 0
            report["chats_in_progress"] = figures.chatsInProgress
            report["workers_alive"] = figures.liveWorkers
            report["dead"] = figures.deadUpdates
            report["sentry_queue"] = snapshot.sentryQueue
            report["reminders_alive"] = snapshot.remindersAlive
            let durability = RedisDurability.check(redis)
            report["redis_aof_enabled"] = durability.aofEnabled.map { $0 as Any } ?? "unknown"
            report["redis_maxmemory_policy"] = durability.maxmemoryPolicy ?? "unknown"
            warnings += durability.unchecked.map { "could not check Redis durability: \($0)" }
            if config.redis.allowVolatile {
                warnings += durability.problems.map { "\($0) (accepted: REDIS_ALLOW_VOLATILE)" }
            } else {
                problems += durability.problems
            }
            if figures.liveWorkers == 0 { problems.append("no live workers") }
            if (figures.oldestWaitingSeconds ?? 0) > Self.maxOldestSeconds { problems.append("updates waiting over \(Int(Self.maxOldestSeconds)) s") }
        } catch {
            problems.append("Redis: \(error)")
        }
        do {
            let db = try PostgresConnection(url: config.databaseURL, options: PostgresOptions(applicationName: "bookingbot-status"))
            report["outbox_backlog"] = try OutboxStore(connection: db).backlog()
            report["jobs_pending"] = try JobStore(connection: db).pending()
            let reminders = ReminderStore(connection: db)
            report["reminders_due"] = try reminders.lateCount(now: Date(), by: 0)
            let late = try reminders.lateCount(now: Date(), by: Self.reminderSlack)
            report["reminders_late"] = late
            if late > 0 { problems.append("\(late) reminders late by over \(Int(Self.reminderSlack / 60)) min") }
        } catch {
            problems.append("PostgreSQL: \(error)")
        }
        report["healthy"] = problems.isEmpty
        report["problems"] = problems
        report["warnings"] = warnings
        if json {
            let data = try SortedJSON.data(report)
            print(String(decoding: data, as: UTF8.self))
        } else {
            for key in report.keys.sorted() where key != "problems" && key != "warnings" { print("\(key): \(report[key]!)") }
            for warning in warnings { print("warning: \(warning)") }
            for problem in problems { print("problem: \(problem)") }
        }
        if !problems.isEmpty { throw ExitCode(1) }
    }
}

/// `bookingbot dead list|retry|drop`: the updates parked after their last attempt.
struct DeadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dead",
        abstract: "Inspect, replay or drop updates parked after their last attempt.",
        subcommands: [List.self, Retry.self, Drop.self])

    /// The parked entries, newest first, numbered from 1 as `list` shows them.
    static func entries(_ context: ProcessContext) throws -> (ChatQueue, [Data]) {
        let redis = try RedisConnection(endpoint: RedisEndpoint(context.config.redis))
        let queue = ChatQueue(redis: redis, prefix: context.config.redis.prefix)
        return (queue, try queue.dead(limit: ChatQueue.deadCap))
    }

    static func fields(_ entry: Data) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: entry) as? [String: Any]) ?? [:]
    }

    /// Which entries `retry` and `drop` act on: numbers from `list`, or all.
    struct Selection: ParsableArguments {
        @Argument(help: "Entry numbers from `dead list`.") var numbers: [Int] = []
        @Flag(help: "Every parked update.") var all = false

        /// The parked entries it names, read now.
        func chosen(_ context: ProcessContext) throws -> (ChatQueue, [Data]) {
            let (queue, entries) = try DeadCommand.entries(context)
            if all { return (queue, entries) }
            guard !numbers.isEmpty else { throw ValidationError("name entries by their number in `dead list`, or --all") }
            return (queue, try numbers.map { number in
                guard entries.indices.contains(number - 1) else { throw ValidationError("no entry \(number) (there are \(entries.count))") }
                return entries[number - 1]
            })
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List parked updates, newest first.")
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let context = try ProcessContext.start(process: "dead", captureErrors: false)
            let (_, entries) = try DeadCommand.entries(context)
            let rows: [[String: Any]] = entries.enumerated().map { index, entry in
                let fields = DeadCommand.fields(entry)
                let update = (fields["update"] as? String).flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
                return ["number": index + 1, "chat": fields["chat"] ?? "", "update_id": update?["update_id"] ?? "",
                        "attempts": fields["attempts"] ?? 0, "error": fields["error"] ?? "",
                        "failed_at": (fields["failed_at_ms"] as? Double).map { Date(timeIntervalSince1970: $0 / 1000).formatted(.iso8601) } ?? ""]
            }
            if json {
                print(try SortedJSON.string(rows))
                return
            }
            if rows.isEmpty { print("no parked updates") }
            for row in rows {
                print("\(row["number"]!). chat \(row["chat"]!), update \(row["update_id"]!), \(row["attempts"]!) attempts, \(row["failed_at"]!): \(row["error"]!)")
            }
        }
    }

    struct Retry: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Put parked updates back at the end of their chat's queue.")
        @OptionGroup var selection: Selection

        func run() throws {
            let (queue, chosen) = try selection.chosen(ProcessContext.start(process: "dead", captureErrors: false))
            var retried = 0
            for entry in chosen {
                let fields = DeadCommand.fields(entry)
                guard let chat = (fields["chat"] as? String).flatMap(Int64.init) ?? (fields["chat"] as? Int64),
                      let update = fields["update"] as? String else { continue }
                // Taken off first: a second `retry` of the same list cannot enqueue it twice.
                guard try queue.removeDead(entry) else { continue }
                // No dedup id: the update was seen before; processed_updates still guards its effects.
                try queue.enqueue(chat: chat, updateID: nil, payload: Data(update.utf8))
                retried += 1
            }
            print("\(retried) update(s) back in their chats' queues")
        }
    }

    struct Drop: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete parked updates for good.")
        @OptionGroup var selection: Selection

        func run() throws {
            let (queue, chosen) = try selection.chosen(ProcessContext.start(process: "dead", captureErrors: false))
            var dropped = 0
            for entry in chosen where try queue.removeDead(entry) { dropped += 1 }
            print("\(dropped) update(s) dropped")
        }
    }
}
