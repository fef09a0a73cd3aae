-- Distributes the cds schema over a Citus cluster (docs/scale-out.md), as ops/citus/cluster does after
-- `cds-admin db migrate` and the unit import: run once, as the owner, on the coordinator, before any district's data.
--   * every tenant table by tenant_id, all in one co-location group, so that a district's rows of every table sit on
--     one worker and a district's transaction, joins and foreign keys stay there;
--   * the tables the tenant tables' foreign keys point at (tenants, units) and the small catalogues read with them,
--     as reference tables copied to every node;
--   * the control plane as tables of the coordinator: in Citus's metadata when a foreign key ties them to cds.units,
--     plain tables otherwise.
-- Tests/CDSDatabaseTests/CitusPrerequisitesTests.swift checks this file against the schema: every table placed
-- exactly once, in foreign-key order, and the keys and foreign-key actions Citus accepts.
-- cds_meta.schema_migrations stays a plain table of the coordinator.

BEGIN;
-- The tenant tables' triggers (audit, change stamps) then fire on the workers, on each shard.
SET LOCAL citus.enable_unsafe_triggers = on;

-- Citus refuses a policy that holds a subquery on a distributed table: it is evaluated on the workers, against each
-- shard. The policies call cds.scoped_tenant_ids() directly instead, with the same rule (malformed or unset: no
-- tenant). PostgreSQL then evaluates the call once per row rather than once per statement: about 1.2 us a row on
-- this machine against 0.1 us, which a full scan of a district feels and an index scan on tenant_id does not (the
-- scope is then an index condition, evaluated once). So the single-node schema keeps the sub-select.
DO $$
DECLARE
    tenant_table regclass;
BEGIN
    FOR tenant_table IN SELECT polrelid FROM pg_policy WHERE polname = 'tenant_isolation' LOOP
        EXECUTE format('ALTER POLICY tenant_isolation ON %s '
                       'USING (tenant_id = ANY (cds.scoped_tenant_ids())) '
                       'WITH CHECK (tenant_id = ANY (cds.scoped_tenant_ids()))', tenant_table);
    END LOOP;
END
$$;

-- Citus distributes no table that a local table points at, nor a table that points at a local one (it would first
-- make it a local table of its metadata, which it cannot do with an identity column): the tenant tables' foreign
-- keys are set aside, and made again once every tenant table is distributed.
CREATE TEMPORARY TABLE tenant_foreign_keys ON COMMIT DROP AS
    SELECT conrelid::regclass AS tenant_table, conname AS name, pg_get_constraintdef(oid) AS definition
    FROM pg_constraint
    WHERE contype = 'f' AND conrelid IN (SELECT polrelid FROM pg_policy WHERE polname = 'tenant_isolation');
DO $$
DECLARE
    foreign_key record;
BEGIN
    FOR foreign_key IN SELECT * FROM tenant_foreign_keys LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', foreign_key.tenant_table, foreign_key.name);
    END LOOP;
END
$$;

-- A reference table's triggers would fire on every node's copy, each in a transaction Citus prepares for its
-- two-phase commit, where NOTIFY is refused and a write to another table is a distributed query from a shard. The
-- unit tree's triggers (tell the servers, recheck the tokens) are dropped: its one writer, the reference import
-- (cds-admin units import), does both itself in its transaction.
DROP TRIGGER units_recheck_tokens ON cds.units;
DROP TRIGGER control_plane_changed ON cds.units;
DROP TRIGGER control_plane_truncated ON cds.units;

-- The keys of the tenant tables' foreign keys: reference tables, copied to every node, so that a district's rows
-- point at them on the node where they sit.
SELECT create_reference_table('cds.tenants');
SELECT create_reference_table('cds.units');
SELECT create_reference_table('cds.feedback_categories');
SELECT create_reference_table('cds.public_holidays');

-- The control plane: tables of the coordinator, where every request reads them and their triggers keep tokens,
-- grants and their audit in step. Added to Citus's metadata only because they point at cds.units.
SELECT citus_add_local_table_to_metadata('cds.permissions');
SELECT citus_add_local_table_to_metadata('cds.roles');
SELECT citus_add_local_table_to_metadata('cds.role_permissions');
SELECT citus_add_local_table_to_metadata('cds.principals');
SELECT citus_add_local_table_to_metadata('cds.credentials');
SELECT citus_add_local_table_to_metadata('cds.staff_passwords');
SELECT citus_add_local_table_to_metadata('cds.staff_totp');
SELECT citus_add_local_table_to_metadata('cds.grants');
SELECT citus_add_local_table_to_metadata('cds.control_audit_log');
-- The sync clients, the partner apps and their idempotency keys stay plain tables of the coordinator, outside
-- Citus's metadata: no foreign key ties them to a table in it, and Citus would plan their statements as it plans a
-- distributed table's (it refuses a volatile function in an upsert's DO UPDATE, as the key reservation has).

-- Tenant tables: distributed by tenant_id, co-located with cds.hamlets.
SELECT create_distributed_table('cds.hamlets', 'tenant_id');
SELECT create_distributed_table('cds.teams', 'tenant_id', colocate_with => 'cds.hamlets');
SELECT create_distributed_table('cds.members', 'tenant_id', colocate_with => 'cds.hamlets');
SELECT create_distributed_table('cds.training_sessions', 'tenant_id', colocate_with => 'cds.hamlets');
SELECT create_distributed_table('cds.training_attendance', 'tenant_id', colocate_with => 'cds.hamlets');
SELECT create_distributed_table('cds.guidance_activities', 'tenant_id', colocate_with => 'cds.hamlets');
SELECT create_distributed_table('cds.audit_log', 'tenant_id', colocate_with => 'cds.hamlets');
SELECT create_distributed_table('cds.roster_watermarks', 'tenant_id', colocate_with => 'cds.hamlets');
SELECT create_distributed_table('cds.sync_pushes', 'tenant_id', colocate_with => 'cds.hamlets');
SELECT create_distributed_table('cds.feedback_reports', 'tenant_id', colocate_with => 'cds.hamlets');
SELECT create_distributed_table('cds.feedback_contacts', 'tenant_id', colocate_with => 'cds.hamlets');
SELECT create_distributed_table('cds.feedback_updates', 'tenant_id', colocate_with => 'cds.hamlets');
SELECT create_distributed_table('cds.webhook_deliveries', 'tenant_id', colocate_with => 'cds.hamlets');

DO $$
DECLARE
    foreign_key record;
BEGIN
    FOR foreign_key IN SELECT * FROM tenant_foreign_keys LOOP
        EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', foreign_key.tenant_table, foreign_key.name, foreign_key.definition);
    END LOOP;
END
$$;

-- Citus draws a distributed table's identity values itself, as the role inserting: cds_app needs the sequences.
DO $$
DECLARE
    identity_sequence regclass;
BEGIN
    FOR identity_sequence IN
        SELECT d.objid::regclass FROM pg_depend d JOIN pg_dist_partition p ON p.logicalrelid = d.refobjid
        WHERE d.classid = 'pg_class'::regclass AND d.deptype = 'i' AND p.partmethod = 'h'
          AND (SELECT relkind FROM pg_class WHERE oid = d.objid) = 'S'
    LOOP
        EXECUTE format('GRANT USAGE ON SEQUENCE %s TO cds_app', identity_sequence);
    END LOOP;
END
$$;

-- Distributing cds.hamlets made Citus create the view over it again, without its grant.
GRANT SELECT ON cds.unit_tree TO cds_app;

COMMIT;
