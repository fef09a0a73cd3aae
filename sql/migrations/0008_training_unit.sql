-- A training session is organised by the district or by one of its communes: commune officers run their
-- own sessions, and the district's are open to all its teams. NULL: the district's session.

ALTER TABLE cds.training_sessions ADD COLUMN commune_code integer,
    ADD FOREIGN KEY (tenant_id, commune_code) REFERENCES cds.units (district_code, code);
CREATE INDEX training_sessions_commune_idx ON cds.training_sessions (tenant_id, commune_code);
