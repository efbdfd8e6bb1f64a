import Redis

/// The queue's multi-key steps, each one atomic Lua script (run by SHA; reloaded by the
/// connection after a Redis restart). Times are milliseconds since 1970 from the caller's
/// clock, so tests can set them and every script agrees on one clock per call.
enum QueueScripts {
    /// KEYS: seen, inbox, ready, lease, wake, stats. ARGV: chat, payload, now, seen TTL (s),
    /// update type (counted as `received:<type>` unless empty).
    /// Returns 1 when enqueued, 0 for a duplicate update id.
    static let enqueue = RedisScript(name: "enqueue", source: """
        if KEYS[1] ~= '' and not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[4]) then
          return 0
        end
        redis.call('RPUSH', KEYS[2], ARGV[2])
        if not redis.call('ZSCORE', KEYS[4], ARGV[1]) then
          redis.call('ZADD', KEYS[3], 'NX', ARGV[3], ARGV[1])
        end
        redis.call('LPUSH', KEYS[5], '1')
        redis.call('LTRIM', KEYS[5], 0, 63)
        redis.call('HINCRBY', KEYS[6], 'depth', 1)
        if ARGV[5] ~= '' then redis.call('HINCRBY', KEYS[6], 'received:' .. ARGV[5], 1) end
        return 1
        """)

    /// Pops the oldest claimable chat and takes its lease in one step.
    /// KEYS: ready, lease, owner. ARGV: now, lease ms, worker, inbox prefix.
    /// Returns {chat, head update} or nil.
    static let claim = RedisScript(name: "claim", source: """
        for _ = 1, 16 do
          local picked = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 1)
          if #picked == 0 then return false end
          local chat = picked[1]
          redis.call('ZREM', KEYS[1], chat)
          local head = redis.call('LINDEX', ARGV[4] .. chat, 0)
          if head then
            redis.call('ZADD', KEYS[2], tonumber(ARGV[1]) + tonumber(ARGV[2]), chat)
            redis.call('HSET', KEYS[3], chat, ARGV[3])
            return {chat, head}
          end
        end
        return false
        """)

    /// Drops the head only if it is the update just done and the lease is still ours,
    /// extends the lease, and hands back the next update.
    /// KEYS: inbox, lease, owner, attempts, stats. ARGV: chat, worker, payload, now, lease ms.
    /// Returns {-1} lease lost, {0} inbox empty, {1, next update}.
    static let ack = RedisScript(name: "ack", source: """
        if redis.call('HGET', KEYS[3], ARGV[1]) ~= ARGV[2] then return {-1} end
        if redis.call('LINDEX', KEYS[1], 0) == ARGV[3] then
          redis.call('LPOP', KEYS[1])
          redis.call('HINCRBY', KEYS[5], 'depth', -1)
        end
        redis.call('HDEL', KEYS[4], ARGV[1])
        redis.call('ZADD', KEYS[2], 'XX', tonumber(ARGV[4]) + tonumber(ARGV[5]), ARGV[1])
        local nextUpdate = redis.call('LINDEX', KEYS[1], 0)
        if not nextUpdate then return {0} end
        return {1, nextUpdate}
        """)

    /// Gives a chat back: drops the lease, and if updates wait, makes it claimable at
    /// `ready at` (now, or later to back off after a failure), behind the chats already
    /// claimable by then.
    /// KEYS: inbox, ready, lease, owner, wake. ARGV: chat, worker, ready at.
    /// Returns 1, or 0 when the lease was no longer ours.
    static let release = RedisScript(name: "release", source: """
        if redis.call('HGET', KEYS[4], ARGV[1]) ~= ARGV[2] then return 0 end
        redis.call('HDEL', KEYS[4], ARGV[1])
        redis.call('ZREM', KEYS[3], ARGV[1])
        if redis.call('LLEN', KEYS[1]) > 0 then
          -- Behind a chat that became ready in the same millisecond: equal scores would be
          -- ordered by chat id, and a busy chat could jump the one it is making way for.
          local at = tonumber(ARGV[3])
          while redis.call('ZCOUNT', KEYS[2], at, at) > 0 do at = at + 1 end
          redis.call('ZADD', KEYS[2], at, ARGV[1])
          redis.call('LPUSH', KEYS[5], '1')
          redis.call('LTRIM', KEYS[5], 0, 63)
        end
        return 1
        """)

    /// Counts a failure of the head update; at the limit, parks it in the dead list with
    /// its error so the chat's later updates go on.
    /// KEYS: inbox, attempts, dead, owner, stats. ARGV: chat, worker, payload, error,
    /// max attempts, now, dead cap.
    /// Returns {-1} lease lost, {0, attempts} retry, {1, attempts} parked.
    static let fail = RedisScript(name: "fail", source: """
        if redis.call('HGET', KEYS[4], ARGV[1]) ~= ARGV[2] then return {-1} end
        local attempts = redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
        if attempts < tonumber(ARGV[5]) then return {0, attempts} end
        if redis.call('LINDEX', KEYS[1], 0) == ARGV[3] then
          redis.call('LPOP', KEYS[1])
          redis.call('HINCRBY', KEYS[5], 'depth', -1)
        end
        redis.call('HDEL', KEYS[2], ARGV[1])
        redis.call('LPUSH', KEYS[3], cjson.encode({chat = ARGV[1], update = ARGV[3], error = ARGV[4],
          attempts = attempts, failed_at_ms = tonumber(ARGV[6])}))
        redis.call('LTRIM', KEYS[3], 0, tonumber(ARGV[7]) - 1)
        redis.call('HINCRBY', KEYS[5], 'dead', 1)
        return {1, attempts}
        """)

    /// Expired leases (their worker died or hung) go back to `ready`.
    /// KEYS: lease, owner, ready, wake. ARGV: now, inbox prefix. Returns how many.
    static let reap = RedisScript(name: "reap", source: """
        local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 100)
        for _, chat in ipairs(expired) do
          redis.call('ZREM', KEYS[1], chat)
          redis.call('HDEL', KEYS[2], chat)
          if redis.call('LLEN', ARGV[2] .. chat) > 0 then
            redis.call('ZADD', KEYS[3], ARGV[1], chat)
          end
        end
        if #expired > 0 then
          redis.call('LPUSH', KEYS[4], '1')
          redis.call('LTRIM', KEYS[4], 0, 63)
        end
        return #expired
        """)
}
