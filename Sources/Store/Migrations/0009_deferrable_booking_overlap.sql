-- A mass shift (SPEC admin 9) moves several bookings of a day in one transaction: moved
-- row by row, 10:00 → 11:00 would meet the 11:00 booking before that one has moved on.
-- The guarantee stays the same, but it may now be checked at a chosen point of the
-- transaction (SET CONSTRAINTS … DEFERRED, then IMMEDIATE). Every other writer keeps
-- INITIALLY IMMEDIATE: checked at the end of each statement, as before. PostgreSQL cannot
-- ALTER an exclusion constraint's deferrability, so it is dropped and added again, in
-- this migration's transaction.
ALTER TABLE bookings DROP CONSTRAINT bookings_no_overlap;
ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap EXCLUDE USING gist (resource_id WITH =, during WITH &&)
    WHERE (status = 'confirmed') DEFERRABLE INITIALLY IMMEDIATE;
