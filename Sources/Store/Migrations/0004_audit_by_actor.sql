-- A refused step repeated within the hour counts in its first row (AuditLog.recordRefusal),
-- found by actor and time; the audit screens page by actor too.
CREATE INDEX audit_log_actor ON audit_log (actor_id, created_at DESC);
