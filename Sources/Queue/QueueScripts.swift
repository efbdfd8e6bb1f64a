import Redis

/// The queue's multi-key steps, each one atomic Lua script (run by SHA; reloaded by the
/// connection after a Redis restart).
///
/// Every time is Redis's own (`TIME`, in milliseconds): scores, leases, reaping and the
/// arrival stamp of an entry agree whatever the callers' clocks say, so a worker whose
/// clock runs ahead cannot reap a live lease and an ingress ahead cannot hide new chats.
/// A non-empty `now` argument replaces it: the tests' seam, never used in production.
///
/// An inbox entry is `bb1 <update id or -> <received ms>\n<raw update>`: the id keeps a
/// chat's updates in `update_id` order, the stamp is when ingress had it (the flood
/// guard's measure). Entries without the header (queued before it existed) are raw updates.
enum QueueScripts {
    private static let library = """
        local function clock(given)
          if given ~= nil and given ~= '' then return tonumber(given) end
          local t = redis.call('TIME')
          return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        end
        local function entryID(entry)
          local id = string.match(entry, '^bb1 (%-?%d+) ')
          if id then return tonumber(id) end
          return nil
        end
        local function payloadOf(entry)
          if string.sub(entry, 1, 4) ~= 'bb1 ' then return entry end
          local newline = string.find(entry, '\\n', 1, true)
          if newline then return string.sub(entry, newline + 1) end
          return entry
        end
        local function wake(key)
          redis.call('LPUSH', key, '1')
          redis.call('LTRIM', key, 0, 63)
        end
        -- Puts the chat back in `ready` at `at`, behind a chat that became ready in the same
        -- millisecond (equal scores would be ordered by chat id, and a busy chat could jump
        -- the one it is making way for), and wakes an idle worker.
        local function backInLine(ready, wakeKey, chat, at)
          while redis.call('ZCOUNT', ready, at, at) > 0 do at = at + 1 end
          redis.call('ZADD', ready, at, chat)
          wake(wakeKey)
        end

        """

    private static func script(_ name: String, _ body: String) -> RedisScript {
        RedisScript(name: name, source: library + body)
    }

    /// KEYS: seen, inbox, ready, lease, wake, stats, handouts, attempts. ARGV: chat, payload,
    /// now, seen TTL (s), update type (counted as `received:<type>` unless empty), update id
    /// (or empty).
    /// Returns 1 when enqueued, 0 for a duplicate update id.
    ///
    /// Telegram may deliver a chat's updates out of order (concurrent webhook requests, a
    /// re-send after a 503): an entry goes behind the last one with a smaller id, looking
    /// back at most 100 entries, and never in front of a head a worker holds or one with
    /// hand-outs or failed attempts on record (those counts are the head's).
    static let enqueue = script("enqueue", """
        if KEYS[1] ~= '' and not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[4]) then
          return 0
        end
        local now = clock(ARGV[3])
        local id = tonumber(ARGV[6])
        local entry = 'bb1 ' .. (id and string.format('%.0f', id) or '-') .. ' ' .. string.format('%.0f', now) .. '\\n' .. ARGV[2]
        local behind = 0
        if id then
          local held = 0
          if redis.call('ZSCORE', KEYS[4], ARGV[1]) or redis.call('HEXISTS', KEYS[7], ARGV[1]) == 1
             or redis.call('HEXISTS', KEYS[8], ARGV[1]) == 1 then held = 1 end
          local limit = math.min(redis.call('LLEN', KEYS[2]) - held, 100)
          while behind < limit do
            local other = entryID(redis.call('LINDEX', KEYS[2], -(behind + 1)))
            if other == nil or other <= id then break end
            behind = behind + 1
          end
        end
        if behind == 0 then
          redis.call('RPUSH', KEYS[2], entry)
        else
          redis.call('LINSERT', KEYS[2], 'BEFORE', redis.call('LINDEX', KEYS[2], -behind), entry)
        end
        if not redis.call('ZSCORE', KEYS[4], ARGV[1]) then
          redis.call('ZADD', KEYS[3], 'NX', now, ARGV[1])
        end
        wake(KEYS[5])
        redis.call('HINCRBY', KEYS[6], 'depth', 1)
        if ARGV[5] ~= '' then redis.call('HINCRBY', KEYS[6], 'received:' .. ARGV[5], 1) end
        return 1
        """)

    /// Pops the oldest claimable chat and takes its lease in one step, counting the head's
    /// hand-outs. A head handed out more than `max handouts` times without its handler
    /// ever coming back (ack, fail or release) kills the processes that take it: it is
    /// parked in the dead list instead, and the next one is up.
    /// KEYS: ready, lease, owner, handouts, dead, stats, attempts. ARGV: now, lease ms,
    /// worker, inbox prefix, max handouts, dead cap.
    /// Returns {chat, head entry or '', head's hand-outs, parked entries…} or nil.
    static let claim = script("claim", """
        local now = clock(ARGV[1])
        for _ = 1, 16 do
          local picked = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, 1)
          if #picked == 0 then return false end
          local chat = picked[1]
          redis.call('ZREM', KEYS[1], chat)
          local inbox = ARGV[4] .. chat
          local head = redis.call('LINDEX', inbox, 0)
          local count = 0
          local reply = {chat, '', 0}
          while head do
            count = redis.call('HINCRBY', KEYS[4], chat, 1)
            if count <= tonumber(ARGV[5]) then break end
            redis.call('LPOP', inbox)
            redis.call('HDEL', KEYS[4], chat)
            redis.call('HDEL', KEYS[7], chat)
            redis.call('HINCRBY', KEYS[6], 'depth', -1)
            redis.call('LPUSH', KEYS[5], cjson.encode({chat = chat, update = payloadOf(head),
              error = 'worker died while handling it', attempts = count - 1, failed_at_ms = now}))
            redis.call('LTRIM', KEYS[5], 0, tonumber(ARGV[6]) - 1)
            redis.call('HINCRBY', KEYS[6], 'dead', 1)
            table.insert(reply, head)
            head = redis.call('LINDEX', inbox, 0)
          end
          if head or #reply > 3 then
            redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), chat)
            redis.call('HSET', KEYS[3], chat, ARGV[3])
            if head then
              reply[2] = head
              reply[3] = count
            end
            return reply
          end
        end
        return false
        """)

    /// Drops the head only if it is the update just done and the lease is still ours,
    /// then either extends the lease and hands back the next update (its first hand-out),
    /// or gives the chat back in the same step, leaving what `release` (delay 0) would.
    /// KEYS: inbox, lease, owner, attempts, stats, handouts, ready, wake. ARGV: chat, worker,
    /// entry, now, lease ms, then release: '' keeps the chat even when its inbox is empty
    /// (the caller releases), 'empty' releases it then, 'always' releases it whatever waits
    /// (the caller stops after this update).
    /// Returns {-1} lease lost (nothing changed), {0} inbox empty and the chat still ours,
    /// {1, next entry}, {2} released.
    static let ack = script("ack", """
        if redis.call('HGET', KEYS[3], ARGV[1]) ~= ARGV[2] then return {-1} end
        local now = clock(ARGV[4])
        if redis.call('LINDEX', KEYS[1], 0) == ARGV[3] then
          redis.call('LPOP', KEYS[1])
          redis.call('HINCRBY', KEYS[5], 'depth', -1)
        end
        redis.call('HDEL', KEYS[4], ARGV[1])
        -- The head in hand came back: its hand-out is not a crash (nor, released, the next one's).
        redis.call('HDEL', KEYS[6], ARGV[1])
        local nextUpdate = redis.call('LINDEX', KEYS[1], 0)
        if ARGV[6] == 'always' or (ARGV[6] == 'empty' and not nextUpdate) then
          redis.call('HDEL', KEYS[3], ARGV[1])
          redis.call('ZREM', KEYS[2], ARGV[1])
          if nextUpdate then backInLine(KEYS[7], KEYS[8], ARGV[1], now) end
          return {2}
        end
        redis.call('ZADD', KEYS[2], 'XX', now + tonumber(ARGV[5]), ARGV[1])
        if not nextUpdate then return {0} end
        redis.call('HSET', KEYS[6], ARGV[1], 1)
        return {1, nextUpdate}
        """)

    /// Gives a chat back: drops the lease (the head in hand came back, so its hand-out is
    /// not a crash), and if updates wait, makes it claimable after `delay` (0, or more to
    /// back off after a failure), behind the chats already claimable by then.
    /// KEYS: inbox, ready, lease, owner, wake, handouts. ARGV: chat, worker, delay ms, now.
    /// Returns 1, or 0 when the lease was no longer ours.
    static let release = script("release", """
        if redis.call('HGET', KEYS[4], ARGV[1]) ~= ARGV[2] then return 0 end
        redis.call('HDEL', KEYS[4], ARGV[1])
        redis.call('ZREM', KEYS[3], ARGV[1])
        local handouts = tonumber(redis.call('HGET', KEYS[6], ARGV[1]) or '0')
        if handouts <= 1 then redis.call('HDEL', KEYS[6], ARGV[1]) else redis.call('HINCRBY', KEYS[6], ARGV[1], -1) end
        if redis.call('LLEN', KEYS[1]) > 0 then
          backInLine(KEYS[2], KEYS[5], ARGV[1], clock(ARGV[4]) + tonumber(ARGV[3]))
        end
        return 1
        """)

    /// Extends the lease of a chat still ours (the handling loop's heartbeat while an
    /// update takes long). KEYS: lease, owner. ARGV: chat, worker, lease ms, now.
    /// Returns 1, or 0 when the chat is no longer ours.
    static let renew = script("renew", """
        if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then return 0 end
        redis.call('ZADD', KEYS[1], 'XX', clock(ARGV[4]) + tonumber(ARGV[3]), ARGV[1])
        return 1
        """)

    /// Counts a failure of the head update; at the limit, parks it in the dead list with
    /// its error so the chat's later updates go on.
    /// KEYS: inbox, attempts, dead, owner, stats, handouts. ARGV: chat, worker, entry, error,
    /// max attempts, now, dead cap.
    /// Returns {-1} lease lost, {0, attempts} retry, {1, attempts} parked.
    static let fail = script("fail", """
        if redis.call('HGET', KEYS[4], ARGV[1]) ~= ARGV[2] then return {-1} end
        local attempts = redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
        if attempts < tonumber(ARGV[5]) then return {0, attempts} end
        if redis.call('LINDEX', KEYS[1], 0) == ARGV[3] then
          redis.call('LPOP', KEYS[1])
          redis.call('HINCRBY', KEYS[5], 'depth', -1)
        end
        redis.call('HDEL', KEYS[2], ARGV[1])
        redis.call('HDEL', KEYS[6], ARGV[1])
        redis.call('LPUSH', KEYS[3], cjson.encode({chat = ARGV[1], update = payloadOf(ARGV[3]), error = ARGV[4],
          attempts = attempts, failed_at_ms = clock(ARGV[6])}))
        redis.call('LTRIM', KEYS[3], 0, tonumber(ARGV[7]) - 1)
        redis.call('HINCRBY', KEYS[5], 'dead', 1)
        return {1, attempts}
        """)

    /// Expired leases (their worker died or hung) go back to `ready`.
    /// KEYS: lease, owner, ready, wake. ARGV: now, inbox prefix. Returns how many.
    static let reap = script("reap", """
        local now = clock(ARGV[1])
        local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, 100)
        for _, chat in ipairs(expired) do
          redis.call('ZREM', KEYS[1], chat)
          redis.call('HDEL', KEYS[2], chat)
          if redis.call('LLEN', ARGV[2] .. chat) > 0 then
            redis.call('ZADD', KEYS[3], now, chat)
          end
        end
        if #expired > 0 then wake(KEYS[4]) end
        return #expired
        """)

    /// Records that a worker is alive, and forgets workers silent for a day (a crashed
    /// worker never retires itself). KEYS: workers. ARGV: worker, now.
    static let heartbeat = script("heartbeat", """
        local now = clock(ARGV[2])
        redis.call('ZADD', KEYS[1], now, ARGV[1])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - 86400000)
        return now
        """)

    /// Redis's clock, in milliseconds (for figures measured against queue scores).
    static let now = script("now", """
        return clock(ARGV[1])
        """)
}
