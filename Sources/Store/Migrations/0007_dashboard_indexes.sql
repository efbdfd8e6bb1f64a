-- The dashboard's figures (DashboardStore), each one query over an index that serves it
-- where the core schema's do not (docs/dashboard.md has their plans at 100,000 bookings).

-- Upcoming confirmed bookings: a range over the confirmed rows alone.
CREATE INDEX bookings_confirmed_start ON bookings (lower(during)) WHERE status = 'confirmed';
-- Cancellations of the last 7 / 30 days, by when they were cancelled.
CREATE INDEX bookings_cancelled_at ON bookings (cancelled_at) WHERE status = 'cancelled';
-- No-shows, ever and of the last 30 days.
CREATE INDEX bookings_no_show_start ON bookings (lower(during)) WHERE status = 'no_show';
-- "A service nobody books": is there a booking of this service made since…? (Also the
-- foreign key's lookup, which had no index.)
CREATE INDEX bookings_service_created ON bookings (service_id, created_at);
-- The clients and the rating count whole tables (users, reviews): no index makes that
-- cheaper than the sequential scan the planner chooses, so none is added for them.
