-- A transaction's scope, actor and request ids, set by one call: cds.enter_scope (docs/tenancy.md).
--
-- The settings are made with SET LOCAL rather than set_config(): on a Citus cluster the policies and triggers run on
-- the workers, and Citus forwards a SET LOCAL made in a transaction block to every worker the transaction reaches
-- (citus.propagate_set_commands = 'local'), never a set_config() call. On one node both end with the transaction
-- alike. SET takes no parameters, so each value is quoted here, as a literal, by format('%L'): whatever a client
-- sent as a request id stays a value. NULL is the empty setting (for the scope: no tenant; for the plans: 'auto').
-- Measured with pgbench (docs/benchmarks.md), the call costs 15-40 µs a transaction more than five set_config() calls.

SELECT set_config('cds.actor', 'migration:0025_enter_scope', true);

CREATE FUNCTION cds.enter_scope(
    tenant_ids text, actor text, request_id text, plan_cache_mode text, client_request_id text
) RETURNS void
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog
AS $$
BEGIN
    EXECUTE format('SET LOCAL cds.tenant_ids = %L', coalesce(tenant_ids, ''));
    EXECUTE format('SET LOCAL cds.actor = %L', coalesce(actor, ''));
    EXECUTE format('SET LOCAL cds.request_id = %L', coalesce(request_id, ''));
    EXECUTE format('SET LOCAL plan_cache_mode = %L', coalesce(plan_cache_mode, 'auto'));
    EXECUTE format('SET LOCAL cds.client_request_id = %L', coalesce(client_request_id, ''));
END
$$;
REVOKE ALL ON FUNCTION cds.enter_scope(text, text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cds.enter_scope(text, text, text, text, text) TO cds_app;
