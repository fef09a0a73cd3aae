-- cds.scoped_tenant_ids() with its guard inside the cast: the CASE now chooses the text (the setting, or '' when it
-- is malformed) and the one cast applies to what it chose. For a statement routed to one shard, Citus evaluates the
-- policy's function calls on the coordinator one by one, the cast of the setting included whatever the CASE around
-- it said, and a malformed scope failed as a malformed integer instead of reaching no row. Same rule, same inlining
-- (0013): comma-separated decimal integers, anything else the empty array.

SELECT set_config('cds.actor', 'migration:0027_scope_guard_inside_cast', true);

CREATE OR REPLACE FUNCTION cds.scoped_tenant_ids() RETURNS integer[]
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT pg_catalog.string_to_array(
        CASE
            WHEN pg_catalog.current_setting('cds.tenant_ids', true) OPERATOR(pg_catalog.~) '^[0-9]{1,9}(,[0-9]{1,9})*$'
            THEN pg_catalog.current_setting('cds.tenant_ids', true)
            ELSE ''
        END, ',')::pg_catalog.int4[]
$$;
