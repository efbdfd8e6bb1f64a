-- The core schema (docs/design.md, PostgreSQL). All times are timestamptz; local-time
-- rules are applied in code with the configured zone.

-- Telegram users who ever talked to the bot (clients and staff alike).
CREATE TABLE users (
    id             bigint PRIMARY KEY,                 -- Telegram user id
    first_name     text NOT NULL DEFAULT '',
    last_name      text,
    username       text,
    language_code  text,
    blocked_bot_at timestamptz,                        -- set on 403: skipped by broadcasts
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX users_username ON users (lower(username));

-- Staff added inside the bot. Owners (ADMIN_IDS) are super admins by configuration and
-- need no row here.
CREATE TABLE admins (
    user_id    bigint PRIMARY KEY REFERENCES users (id),
    role       text NOT NULL DEFAULT 'moderator' CHECK (role IN ('super_admin', 'moderator')),
    notify     boolean NOT NULL DEFAULT true,
    added_by   bigint,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Who is booked: one specialist by default; more can be added later.
CREATE TABLE resources (
    id         bigint PRIMARY KEY,
    name       text NOT NULL,
    active     boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO resources (id, name) VALUES (1, 'default');

CREATE TABLE services (
    id               bigserial PRIMARY KEY,
    name             text NOT NULL CHECK (char_length(name) BETWEEN 3 AND 100),
    description      text NOT NULL DEFAULT '' CHECK (char_length(description) <= 500),
    duration_minutes integer NOT NULL CHECK (duration_minutes BETWEEN 15 AND 480),
    price_text       text NOT NULL DEFAULT '' CHECK (char_length(price_text) <= 50),
    price_amount     numeric(12, 2) CHECK (price_amount >= 0),   -- for revenue estimates
    active           boolean NOT NULL DEFAULT true,
    archived         boolean NOT NULL DEFAULT false,             -- never hard-deleted
    display_order    integer NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
-- Names are unique among services in use; an archived name can be used again.
CREATE UNIQUE INDEX services_name_unique ON services (lower(name)) WHERE NOT archived;

CREATE TABLE bookings (
    id               bigserial PRIMARY KEY,
    user_id          bigint NOT NULL REFERENCES users (id),
    service_id       bigint NOT NULL REFERENCES services (id),
    resource_id      bigint NOT NULL DEFAULT 1 REFERENCES resources (id),
    during           tstzrange NOT NULL
                     CHECK (NOT isempty(during) AND lower_inc(during) AND NOT upper_inc(during)
                            AND NOT lower_inf(during) AND NOT upper_inf(during)),
    duration_minutes integer NOT NULL CHECK (duration_minutes > 0),  -- the service's, when booked
    status           text NOT NULL DEFAULT 'confirmed'
                     CHECK (status IN ('confirmed', 'cancelled', 'completed', 'no_show')),
    cancelled_at     timestamptz,
    cancelled_by     bigint,
    cancel_reason    text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL)),
    -- The guarantee: no two confirmed bookings of one resource overlap, whatever the
    -- concurrency. Ranges are half-open, so back-to-back bookings are fine.
    CONSTRAINT bookings_no_overlap EXCLUDE USING gist (resource_id WITH =, during WITH &&)
        WHERE (status = 'confirmed')
);
CREATE INDEX bookings_user_status ON bookings (user_id, status, lower(during));
CREATE INDEX bookings_start ON bookings (lower(during));

-- Time the business closed by hand (a slot, a range, a day, a holiday).
CREATE TABLE blocks (
    id          bigserial PRIMARY KEY,
    resource_id bigint NOT NULL DEFAULT 1 REFERENCES resources (id),
    during      tstzrange NOT NULL CHECK (NOT isempty(during) AND NOT lower_inf(during) AND NOT upper_inf(during)),
    reason      text NOT NULL DEFAULT '' CHECK (char_length(reason) <= 500),
    created_by  bigint,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX blocks_during ON blocks USING gist (resource_id, during);

-- Settings edited in the bot; each overrides the configured default of its key.
CREATE TABLE settings (
    key        text PRIMARY KEY,
    value      jsonb NOT NULL,
    updated_by bigint,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Messages planned for a booking: one row per reminder offset (and, later, the review
-- request). An operator can read and move them with plain SQL.
CREATE TABLE reminders (
    id             bigserial PRIMARY KEY,
    booking_id     bigint NOT NULL REFERENCES bookings (id),
    kind           text NOT NULL DEFAULT 'reminder' CHECK (kind IN ('reminder', 'review')),
    offset_minutes integer NOT NULL,
    due_at         timestamptz NOT NULL,
    sent_at        timestamptz,
    missed_at      timestamptz,        -- too late to send (the visit had started)
    withdrawn_at   timestamptz,        -- the booking was cancelled or moved
    attempts       integer NOT NULL DEFAULT 0,
    last_error     text,
    UNIQUE (booking_id, kind, offset_minutes)
);
CREATE INDEX reminders_pending ON reminders (due_at)
    WHERE sent_at IS NULL AND missed_at IS NULL AND withdrawn_at IS NULL;

CREATE TABLE reviews (
    id         bigserial PRIMARY KEY,
    booking_id bigint NOT NULL UNIQUE REFERENCES bookings (id),
    user_id    bigint NOT NULL REFERENCES users (id),
    rating     integer NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment    text CHECK (char_length(comment) <= 2000),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Every change of a booking, with old and new times.
CREATE TABLE booking_history (
    id         bigserial PRIMARY KEY,
    booking_id bigint NOT NULL REFERENCES bookings (id),
    action     text NOT NULL CHECK (action IN ('created', 'cancelled', 'moved', 'completed', 'no_show', 'service_changed')),
    old_during tstzrange,
    new_during tstzrange,
    actor_id   bigint,
    reason     text,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX booking_history_booking ON booking_history (booking_id, id);

-- Every admin action, allowed or refused.
CREATE TABLE audit_log (
    id         bigserial PRIMARY KEY,
    actor_id   bigint NOT NULL,
    action     text NOT NULL,
    target     text,
    details    jsonb NOT NULL DEFAULT '{}',
    allowed    boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_created ON audit_log (created_at DESC);

-- The conversation state machine's state per chat and user.
CREATE TABLE conversations (
    chat_id    bigint NOT NULL,
    user_id    bigint NOT NULL,
    state      text NOT NULL,
    data       jsonb NOT NULL DEFAULT '{}',
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (chat_id, user_id)
);

-- Updates whose effects are committed: a replay finds its id here and skips them.
CREATE TABLE processed_updates (
    update_id    bigint PRIMARY KEY,
    chat_id      bigint,
    processed_at timestamptz NOT NULL DEFAULT now()
);

-- Replies decided inside a transaction, sent after commit (at least once).
CREATE TABLE outbox (
    id         bigserial PRIMARY KEY,
    chat_id    bigint NOT NULL,
    method     text NOT NULL,
    payload    jsonb NOT NULL,
    priority   smallint NOT NULL DEFAULT 0,     -- 0 interactive, 1 background
    update_id  bigint,
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at    timestamptz,
    failed_at  timestamptz,
    attempts   integer NOT NULL DEFAULT 0,
    last_error text
);
CREATE INDEX outbox_unsent ON outbox (chat_id, id) WHERE sent_at IS NULL AND failed_at IS NULL;

CREATE TABLE broadcasts (
    id            bigserial PRIMARY KEY,
    created_by    bigint NOT NULL,
    text          text NOT NULL,
    photo_file_id text,
    status        text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sending', 'done', 'cancelled')),
    total         integer NOT NULL DEFAULT 0,
    sent          integer NOT NULL DEFAULT 0,
    failed        integer NOT NULL DEFAULT 0,
    blocked       integer NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL DEFAULT now(),
    finished_at   timestamptz
);
