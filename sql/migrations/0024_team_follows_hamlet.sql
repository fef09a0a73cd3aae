-- A hamlet moved to another commune takes its team along: the statement that moves the hamlet moves the team in the
-- same statement (a data-modifying WITH), instead of the foreign key's ON UPDATE CASCADE. Citus refuses a cascade on
-- a foreign key that holds the distribution column (docs/scale-out.md); the key is checked at the end of the
-- statement, when hamlet and team agree again, on either engine.

SELECT set_config('cds.actor', 'migration:0024_team_follows_hamlet', true);

ALTER TABLE cds.teams DROP CONSTRAINT teams_tenant_id_commune_code_hamlet_code_fkey;
ALTER TABLE cds.teams ADD CONSTRAINT teams_tenant_id_commune_code_hamlet_code_fkey
    FOREIGN KEY (tenant_id, commune_code, hamlet_code) REFERENCES cds.hamlets (tenant_id, commune_code, code);
