-- A broadcast's message goes to each recipient at most once (issue #19): the sender
-- marks the row here, committed, before its call to Telegram. A row so marked is never
-- handed to a sender again; if its sender dies mid-call, nobody can know whether the
-- message arrived, and the reminders process later marks it failed ("unknown") rather
-- than risk sending it twice. A retry Telegram asked for (429, 5xx) clears the mark.
ALTER TABLE outbox ADD COLUMN sending_at timestamptz;
CREATE INDEX outbox_sending ON outbox (sending_at) WHERE sending_at IS NOT NULL AND sent_at IS NULL AND failed_at IS NULL;
