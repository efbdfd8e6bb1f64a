-- Retention: processed_updates and delivered outbox rows are pruned by age (the
-- reminders process, in small batches); these indexes find the old rows without a scan.
CREATE INDEX processed_updates_processed_at ON processed_updates (processed_at);
CREATE INDEX outbox_done_at ON outbox ((coalesce(sent_at, failed_at))) WHERE sent_at IS NOT NULL OR failed_at IS NOT NULL;
