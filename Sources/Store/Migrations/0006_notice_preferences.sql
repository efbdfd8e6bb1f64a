-- Which booking notices each staff member takes (SPEC admin 14). No row for a kind means
-- the default: on for owners (ADMIN_IDS), `admins.notify` for staff added in the bot.
CREATE TABLE notice_preferences (
    user_id    bigint NOT NULL,
    kind       text NOT NULL CHECK (kind IN ('new_booking', 'cancellation', 'move')),
    enabled    boolean NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, kind)
);
