-- The new `updated_at` of a changed row, which is also its version (the ETag): the statement's time, or a microsecond
-- after the row's previous version when that is not earlier. Every change thus gives the row a version it never had,
-- even two changes in one transaction (which share `now()`) or a change whose transaction began before the one it
-- waited for committed. It replaces `clock_timestamp()`, which Citus refuses in a distributed UPDATE (a volatile
-- function); this one is immutable (the interval has no day or month, so the time zone cannot change it), so Citus
-- sends it to the shard with the row, and it evaluates `now()` once on the coordinator.

SELECT set_config('cds.actor', 'migration:0028_renewed_at', true);

CREATE FUNCTION cds.renewed_at(previous timestamptz, now timestamptz) RETURNS timestamptz
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN greatest(now, (previous AT TIME ZONE 'UTC' + interval '1 microsecond') AT TIME ZONE 'UTC');

REVOKE ALL ON FUNCTION cds.renewed_at(timestamptz, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cds.renewed_at(timestamptz, timestamptz) TO cds_app;
