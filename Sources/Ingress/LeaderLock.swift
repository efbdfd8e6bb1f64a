import Foundation
import Redis

/// A lease in Redis that one instance holds at a time (polling ingress: Telegram allows
/// one getUpdates caller). The holder renews it well inside its time to live; when the
/// holder dies, the key expires and a waiting instance takes over.
public struct LeaderLock {
    public let key: String
    public let instance: String
    public let timeToLive: TimeInterval
    private let redis: RedisConnection

    private static let acquireOrRenew = RedisScript(name: "leader-acquire", source: """
        local holder = redis.call('GET', KEYS[1])
        if holder == ARGV[1] then
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
          return 1
        end
        if not holder then
          redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
          return 1
        end
        return 0
        """)

    private static let releaseIfHeld = RedisScript(name: "leader-release", source: """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """)

    public init(redis: RedisConnection, key: String, instance: String, timeToLive: TimeInterval) {
        self.redis = redis
        self.key = key
        self.instance = instance
        self.timeToLive = timeToLive
    }

    /// Takes the lock, or renews it when this instance holds it; false when another does.
    public func acquireOrRenew() throws -> Bool {
        try redis.evaluate(Self.acquireOrRenew, keys: [key], arguments: [instance, Int(timeToLive * 1000)]).int == 1
    }

    /// Lets go (at a clean stop), so another instance need not wait for the expiry.
    public func release() throws {
        try redis.evaluate(Self.releaseIfHeld, keys: [key], arguments: [instance])
    }
}
