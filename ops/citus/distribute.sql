-- Distributes the cds schema over a Citus cluster (docs/scale-out.md): every tenant table by tenant_id, all in one
-- co-location group, so that a district's rows of every table sit on one node and a district's transaction,
-- joins and foreign keys stay on that node; the shared tables, small and read on every request, as reference
-- tables copied to every node.
--
-- Run once, as the owner, on the coordinator of a new Citus cluster, after `cds-admin db migrate` and before any
-- data is loaded (or after: Citus then moves the rows). Reference tables first, then the tenant tables, each after
-- the tables its foreign keys point at. Tests/CDSDatabaseTests/CitusPrerequisitesTests.swift checks this file
-- against the schema: every table named exactly once, in foreign-key order, and the keys Citus requires.
-- cds_meta.schema_migrations stays a local table of the coordinator.

BEGIN;

-- Shared tables: reference tables.
SELECT create_reference_table('cds.tenants');
SELECT create_reference_table('cds.units');
SELECT create_reference_table('cds.permissions');
SELECT create_reference_table('cds.roles');
SELECT create_reference_table('cds.role_permissions');
SELECT create_reference_table('cds.principals');
SELECT create_reference_table('cds.credentials');
SELECT create_reference_table('cds.staff_passwords');
SELECT create_reference_table('cds.staff_totp');
SELECT create_reference_table('cds.grants');
SELECT create_reference_table('cds.control_audit_log');
SELECT create_reference_table('cds.sync_clients');
SELECT create_reference_table('cds.feedback_categories');
SELECT create_reference_table('cds.public_holidays');
SELECT create_reference_table('cds.partner_apps');
SELECT create_reference_table('cds.partner_idempotency_keys');

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

COMMIT;
