-- Broadcasts (SPEC admin 8): who sent it and in which language the report goes back,
-- and one row per recipient, written with the recipient's outbox row in one transaction
-- (or with none: the user had blocked the bot), so an expansion cut short by a crash
-- repeats and skips nobody: the primary key refuses a second row for the same person.
ALTER TABLE broadcasts ADD COLUMN sender_language text NOT NULL DEFAULT 'ru',
                       ADD COLUMN expanded_at timestamptz;
-- A text, or a photo with a caption (which may be empty).
ALTER TABLE broadcasts ADD CONSTRAINT broadcasts_text_length
    CHECK (char_length(text) <= 4096 AND (char_length(text) >= 1 OR photo_file_id IS NOT NULL));
CREATE INDEX broadcasts_sending ON broadcasts (id) WHERE status = 'sending';

CREATE TABLE broadcast_recipients (
    broadcast_id bigint NOT NULL REFERENCES broadcasts (id),
    user_id      bigint NOT NULL,
    -- NULL: skipped, the user had blocked the bot when the broadcast reached them.
    outbox_id    bigint,
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (broadcast_id, user_id)
);
CREATE INDEX broadcast_recipients_outbox ON broadcast_recipients (outbox_id) WHERE outbox_id IS NOT NULL;
