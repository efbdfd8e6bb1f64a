-- The worker's sender (OutboxDispatcher) takes and gives back a chat's send lock in one
-- round trip each (OutboxStore, "A sender's hold on chats"). The lock is the one
-- OutboxStore.lockChat takes per transaction: hashtextextended('bookingbot.outbox', chat).

-- Takes the chat's send lock for the session, without waiting; held, reads what the chat
-- has unsent. The first row says whether the lock was taken (its id is NULL); when it
-- was, the chat's unsent messages follow, oldest first, press answers aside. Rows in
-- `known` come back with an empty payload (the caller has them).
-- VOLATILE: the read gets a snapshot of its own, taken after the lock is granted, so it
-- sees the marks the last holder committed before giving the lock back.
CREATE OR REPLACE FUNCTION outbox_hold(chat bigint, known bigint[], lim integer)
RETURNS TABLE (held boolean, id bigint, method text, payload text, priority integer, attempts integer)
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    IF NOT pg_try_advisory_lock(hashtextextended('bookingbot.outbox', chat)) THEN
        RETURN QUERY SELECT false, NULL::bigint, NULL::text, NULL::text, NULL::integer, NULL::integer;
        RETURN;
    END IF;
    RETURN QUERY SELECT true, NULL::bigint, NULL::text, NULL::text, NULL::integer, NULL::integer;
    RETURN QUERY
        SELECT true, o.id, o.method, CASE WHEN o.id = ANY (known) THEN '' ELSE o.payload::text END,
               o.priority::integer, o.attempts
        FROM outbox AS o
        WHERE o.chat_id = chat AND o.sent_at IS NULL AND o.failed_at IS NULL AND o.method <> 'answerCallbackQuery'
        ORDER BY o.id
        LIMIT greatest(lim, 1);
END
$$;

-- Marks `sent` delivered, gives back the locks of `release`, and answers which of those
-- chats still have unsent messages (press answers aside): rows committed while the lock
-- was held, whose committer found the chat taken and left them to the holder.
-- A procedure, not a function: the marks are committed before the locks go back. Inside
-- one transaction the next holder could take the lock before the marks commit, read the
-- rows as unsent, and send them again. The recheck runs after the unlock, in a statement
-- of its own, so it sees every row committed while the lock was held.
-- CALL it outside a transaction block (a COMMIT inside is refused there).
CREATE OR REPLACE PROCEDURE outbox_settle(sent bigint[], moment timestamptz, release bigint[], OUT waiting bigint[])
LANGUAGE plpgsql
AS $$
BEGIN
    UPDATE outbox AS o SET sent_at = moment, attempts = o.attempts + 1
    WHERE o.id = ANY (sent) AND o.sent_at IS NULL;
    COMMIT;
    PERFORM pg_advisory_unlock(hashtextextended('bookingbot.outbox', c)) FROM unnest(release) AS c;
    waiting := ARRAY(
        SELECT DISTINCT o.chat_id FROM outbox AS o
        WHERE o.chat_id = ANY (release) AND o.sent_at IS NULL AND o.failed_at IS NULL AND o.method <> 'answerCallbackQuery');
END
$$;
