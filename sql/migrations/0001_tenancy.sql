-- Tenancy foundation (docs/tenancy.md).
--
-- The tenant is the district; its key is `tenant_id`, the district's GSO code. The application role
-- `cds_app` sets the tenant ids a transaction may touch with set_config('cds.tenant_ids', '116,120', true)
-- and every tenant table's policy reads them through cds.scoped_tenant_ids(). Unset, empty or malformed
-- means no tenant at all: the policies fail closed.
--
-- The roles themselves are created outside the migrations (the embedded helper or ops/ scripts),
-- because creating roles needs a superuser and migrations run as `cds_owner`.

DO $$
BEGIN
    IF getdatabaseencoding() <> 'UTF8' THEN
        RAISE EXCEPTION 'the cds database must use UTF8 encoding, not %', getdatabaseencoding();
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cds_app') THEN
        RAISE EXCEPTION 'role cds_app does not exist; create it before migrating (see ops/)';
    END IF;
END
$$;

CREATE SCHEMA cds;
REVOKE ALL ON SCHEMA cds FROM PUBLIC;
GRANT USAGE ON SCHEMA cds TO cds_app;

-- The runner's bookkeeping, readable by the application so that it can tell whether the schema is current.
GRANT USAGE ON SCHEMA cds_meta TO cds_app;
GRANT SELECT ON cds_meta.schema_migrations TO cds_app;

-- The tenant ids of the current transaction. Strict format: comma-separated decimal integers.
-- Anything else, including NULL and the empty string, yields the empty array, which matches no row.
CREATE FUNCTION cds.scoped_tenant_ids() RETURNS integer[]
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog
AS $$
    SELECT CASE
        WHEN setting ~ '^[0-9]{1,9}(,[0-9]{1,9})*$' THEN string_to_array(setting, ',')::integer[]
        ELSE '{}'::integer[]
    END
    FROM (SELECT current_setting('cds.tenant_ids', true) AS setting) AS current_scope
$$;
REVOKE ALL ON FUNCTION cds.scoped_tenant_ids() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cds.scoped_tenant_ids() TO cds_app;

-- Who is acting in the current transaction, for the audit log. Writes without an actor are refused.
CREATE FUNCTION cds.current_actor() RETURNS text
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog
AS $$
DECLARE
    actor text := nullif(current_setting('cds.actor', true), '');
BEGIN
    IF actor IS NULL THEN
        RAISE EXCEPTION 'no actor is set for this transaction' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN actor;
END
$$;
REVOKE ALL ON FUNCTION cds.current_actor() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cds.current_actor() TO cds_app;

-- Turns a table into a tenant table: RLS enabled and forced, one policy for every command that
-- reads and writes only rows of the scoped tenants, and a check that an index leads with tenant_id.
-- Called by migrations only (runs as the table owner); cds_app cannot execute it.
CREATE PROCEDURE cds.make_tenant_table(target regclass)
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
BEGIN
    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', target);
    EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', target);
    EXECUTE format(
        'CREATE POLICY tenant_isolation ON %s '
        'USING (tenant_id = ANY ((SELECT cds.scoped_tenant_ids())::integer[])) '
        'WITH CHECK (tenant_id = ANY ((SELECT cds.scoped_tenant_ids())::integer[]))',
        target);
    IF NOT EXISTS (
        SELECT 1 FROM pg_index i
        JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
        WHERE i.indrelid = target AND a.attname = 'tenant_id'
    ) THEN
        RAISE EXCEPTION 'tenant table % has no index leading with tenant_id', target;
    END IF;
END
$$;
REVOKE ALL ON PROCEDURE cds.make_tenant_table(regclass) FROM PUBLIC;

-- One row per tenant. Tenants are rows, not code: a re-organisation adds rows.
CREATE TABLE cds.tenants (
    tenant_id integer PRIMARY KEY CHECK (tenant_id > 0),
    name text NOT NULL CHECK (btrim(name) <> ''),
    display_order integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT ON cds.tenants TO cds_app;
