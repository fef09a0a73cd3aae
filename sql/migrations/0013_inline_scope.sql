-- cds.scoped_tenant_ids() as PostgreSQL can inline it into the policies that call it. Its `SET search_path`
-- (0001) kept it from being inlined: every statement on tenant tables called it through the SQL-function executor,
-- saving and restoring the setting, once per table it touched (0.05-0.1 ms each, a tenth of a page of members).
-- The names are pinned here instead by qualifying each one with pg_catalog, which protects the function from a
-- caller's search_path just as the setting did. Same rule as before: comma-separated decimal integers, anything
-- else (unset, empty, malformed) the empty array, which matches no row.
CREATE OR REPLACE FUNCTION cds.scoped_tenant_ids() RETURNS integer[]
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT CASE
        WHEN pg_catalog.current_setting('cds.tenant_ids', true) OPERATOR(pg_catalog.~) '^[0-9]{1,9}(,[0-9]{1,9})*$'
        THEN pg_catalog.string_to_array(pg_catalog.current_setting('cds.tenant_ids', true), ',')::pg_catalog.int4[]
        ELSE '{}'::pg_catalog.int4[]
    END
$$;
