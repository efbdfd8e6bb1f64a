-- The name a staff member goes by inside the bot (SPEC admin 10–11: shown on the admins
-- list and editable in the field editor). Telegram's own names stay in `users`; this one
-- is the business's, so it is never overwritten by a profile change. NULL: none given.
ALTER TABLE admins ADD COLUMN display_name text CHECK (char_length(display_name) BETWEEN 1 AND 64);
