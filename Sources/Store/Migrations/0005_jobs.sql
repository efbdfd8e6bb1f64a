-- Background jobs: work a turn starts (an export) and the reminders process runs later.
-- A job is claimed with FOR UPDATE SKIP LOCKED (any number of reminders processes); the
-- claim counts the attempt and leases the row (run_after moves past the lease) in its
-- own commit, so a job that kills its runner is still counted and is given up on after
-- the last attempt instead of looping.
CREATE TABLE jobs (
    id           bigserial PRIMARY KEY,
    kind         text NOT NULL,
    payload      jsonb NOT NULL DEFAULT '{}',
    requested_by bigint NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    run_after    timestamptz NOT NULL DEFAULT now(),   -- due; while claimed, the lease's end
    started_at   timestamptz,                          -- the last attempt's start
    finished_at  timestamptz,                          -- done, or given up on
    failed_at    timestamptz,                          -- given up on (finished_at too)
    attempts     integer NOT NULL DEFAULT 0,
    last_error   text,
    CHECK (failed_at IS NULL OR finished_at IS NOT NULL)
);
-- The runner's probe: due jobs not yet finished, in order.
CREATE INDEX jobs_pending ON jobs (run_after, id) WHERE finished_at IS NULL;
-- Retention: finished jobs are pruned by age.
CREATE INDEX jobs_finished ON jobs (finished_at) WHERE finished_at IS NOT NULL;
