-- A team's key to its hamlet is checked when the transaction commits. A hamlet moved to another commune takes its
-- team along in the same statement (0024), which is one statement on one server; a Citus coordinator runs each part of
-- a data-modifying WITH that reads the push's staging table as a command of its own on the worker, and the key,
-- checked after the hamlet's part, found the team still in the old commune. Nothing else changes a hamlet's key, and
-- a team is only ever placed under a hamlet its district holds.

SELECT set_config('cds.actor', 'migration:0030_team_hamlet_key_deferred', true);

ALTER TABLE cds.teams DROP CONSTRAINT teams_tenant_id_commune_code_hamlet_code_fkey;
ALTER TABLE cds.teams ADD CONSTRAINT teams_tenant_id_commune_code_hamlet_code_fkey
    FOREIGN KEY (tenant_id, commune_code, hamlet_code) REFERENCES cds.hamlets (tenant_id, commune_code, code)
    DEFERRABLE INITIALLY DEFERRED;
