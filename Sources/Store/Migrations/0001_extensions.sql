-- BookingBot's first migration: the extensions later schema needs.
-- btree_gist lets one exclusion constraint mix equality (the resource) with range
-- overlap (the booking's time), so PostgreSQL itself forbids double bookings.
CREATE EXTENSION IF NOT EXISTS btree_gist;
