import Config
import Foundation
import Logging
import Redis

/// Whether Redis keeps what the queue acknowledged: Telegram forgets an update once we
/// answered it, so Redis must neither lose it at a restart (append-only file on) nor
/// drop keys to make room (`maxmemory-policy noeviction`).
///
/// Every other policy counts as losing data, `volatile-*` too: those evict keys with a
/// time to live, and chat leases, the polling leader lock and the dedup marks have one;
/// an evicted lease lets a second worker run a chat that is still being handled.
struct RedisDurability {
    /// What is wrong, each naming the setting and its fix.
    var problems: [String] = []
    /// What could not be read (INFO or CONFIG renamed or refused, as some hosted Redis do).
    var unchecked: [String] = []
    var aofEnabled: Bool?
    var maxmemoryPolicy: String?

    static func check(_ redis: RedisConnection) -> RedisDurability {
        var result = RedisDurability()
        do {
            let info = try redis.command("INFO", "persistence").string ?? ""
            let line = info.split(whereSeparator: \.isNewline).first { $0.hasPrefix("aof_enabled:") }
            if let line { result.aofEnabled = line.dropFirst("aof_enabled:".count).trimmingCharacters(in: .whitespaces) == "1" }
            else { result.unchecked.append("INFO persistence has no aof_enabled") }
        } catch {
            result.unchecked.append("cannot read INFO persistence (\(error))")
        }
        do {
            let reply = try redis.command("CONFIG", "GET", "maxmemory-policy").array ?? []
            if reply.count >= 2, let policy = reply[1].string { result.maxmemoryPolicy = policy }
            else { result.unchecked.append("CONFIG GET maxmemory-policy gave no value") }
        } catch {
            result.unchecked.append("cannot read maxmemory-policy (\(error))")
        }
        if result.aofEnabled == false {
            result.problems.append("Redis has no append-only file (appendonly no): a restart loses queued updates; set appendonly yes")
        }
        if let policy = result.maxmemoryPolicy, policy != "noeviction" {
            result.problems.append("Redis maxmemory-policy is \(policy): when memory runs out it evicts queued updates or leases; set noeviction")
        }
        return result
    }

    /// The check at a process's start: loud warnings, never a refusal to run (Redis may
    /// be down now and fine later; `bookingbot status` is what fails).
    static func warnAtStart(_ config: AppConfig, logger: Logger) {
        let result: RedisDurability
        do {
            let redis = try RedisConnection(endpoint: RedisEndpoint(config.redis),
                                            options: RedisOptions(connectTimeout: 1, readTimeout: 2, reconnectWindow: 0))
            defer { redis.close() }
            result = check(redis)
        } catch {
            logger.warning("cannot check Redis's durability settings now", metadata: ["error": "\(error)"])
            return
        }
        for note in result.unchecked {
            logger.warning("cannot check Redis's durability settings: \(note)")
        }
        for problem in result.problems {
            if config.redis.allowVolatile {
                logger.notice("\(problem) (accepted: REDIS_ALLOW_VOLATILE)")
            } else {
                logger.warning("UPDATES CAN BE LOST: \(problem), or REDIS_ALLOW_VOLATILE=1 to accept it")
            }
        }
    }
}
