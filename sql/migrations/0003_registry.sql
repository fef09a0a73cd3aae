-- The registry of a district (docs/architecture.md): teams, members, training sessions and attendance,
-- guidance activities. Every table is a tenant table; the tenant key leads every key.

CREATE TABLE cds.teams (
    tenant_id integer NOT NULL REFERENCES cds.tenants (tenant_id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    level text NOT NULL CHECK (level IN ('commune', 'hamlet')),
    commune_code integer NOT NULL,
    hamlet_code text,
    name text NOT NULL CHECK (btrim(name) <> '' AND name = normalize(name, NFC)),
    established_on date,
    decision_ref text,
    status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'dissolved')),
    dissolved_on date,
    source_system text NOT NULL DEFAULT 'local',
    external_id text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((level = 'hamlet') = (hamlet_code IS NOT NULL)),
    CHECK ((status = 'dissolved') = (dissolved_on IS NOT NULL)),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, source_system, external_id),
    FOREIGN KEY (tenant_id, commune_code) REFERENCES cds.units (district_code, code),
    -- A hamlet moved to another commune takes its team along.
    FOREIGN KEY (tenant_id, commune_code, hamlet_code)
        REFERENCES cds.hamlets (tenant_id, commune_code, code) ON UPDATE CASCADE
);
-- One active team per unit: a commune-level team per commune, a hamlet-level team per hamlet.
CREATE UNIQUE INDEX teams_one_active_commune_team ON cds.teams (tenant_id, commune_code)
    WHERE level = 'commune' AND status = 'active';
CREATE UNIQUE INDEX teams_one_active_hamlet_team ON cds.teams (tenant_id, hamlet_code)
    WHERE level = 'hamlet' AND status = 'active';
GRANT SELECT, INSERT, UPDATE, DELETE ON cds.teams TO cds_app;
CALL cds.make_tenant_table('cds.teams');

-- Phone, birth year and ethnicity are personal data: reads of them are audited by the application.
CREATE TABLE cds.members (
    tenant_id integer NOT NULL REFERENCES cds.tenants (tenant_id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    team_id uuid NOT NULL,
    full_name text NOT NULL CHECK (btrim(full_name) <> '' AND full_name = normalize(full_name, NFC)),
    gender text CHECK (gender IN ('male', 'female')),
    birth_year smallint CHECK (birth_year BETWEEN 1900 AND 2100),
    ethnicity text CHECK (ethnicity = normalize(ethnicity, NFC)),
    -- Vietnamese 10-digit mobile numbering, national form.
    phone text CHECK (phone ~ '^0[35789][0-9]{8}$'),
    role text NOT NULL DEFAULT 'member' CHECK (role IN ('leader', 'deputy', 'member')),
    affiliation text NOT NULL DEFAULT 'other' CHECK (affiliation IN (
        'hamlet_head', 'commune_official', 'police', 'youth_union', 'women_union', 'veterans_association',
        'farmers_association', 'teacher', 'health_worker', 'telecom_staff', 'party_cell', 'resident', 'other')),
    has_smartphone boolean NOT NULL DEFAULT true,
    trained boolean NOT NULL DEFAULT false,
    joined_on date,
    left_on date,
    source_system text NOT NULL DEFAULT 'local',
    external_id text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK (left_on IS NULL OR joined_on IS NULL OR left_on >= joined_on),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, source_system, external_id),
    FOREIGN KEY (tenant_id, team_id) REFERENCES cds.teams (tenant_id, id)
);
CREATE INDEX members_team_idx ON cds.members (tenant_id, team_id);
-- One current leader per team.
CREATE UNIQUE INDEX members_one_leader_per_team ON cds.members (tenant_id, team_id)
    WHERE role = 'leader' AND left_on IS NULL;
GRANT SELECT, INSERT, UPDATE, DELETE ON cds.members TO cds_app;
CALL cds.make_tenant_table('cds.members');

CREATE TABLE cds.training_sessions (
    tenant_id integer NOT NULL REFERENCES cds.tenants (tenant_id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    held_on date NOT NULL,
    topic text NOT NULL CHECK (btrim(topic) <> '' AND topic = normalize(topic, NFC)),
    mode text NOT NULL CHECK (mode IN ('in_person', 'online')),
    bridge_point text CHECK (bridge_point = normalize(bridge_point, NFC)),
    organiser text CHECK (organiser = normalize(organiser, NFC)),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX training_sessions_date_idx ON cds.training_sessions (tenant_id, held_on);
GRANT SELECT, INSERT, UPDATE, DELETE ON cds.training_sessions TO cds_app;
CALL cds.make_tenant_table('cds.training_sessions');

CREATE TABLE cds.training_attendance (
    tenant_id integer NOT NULL,
    session_id uuid NOT NULL,
    member_id uuid NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, session_id, member_id),
    FOREIGN KEY (tenant_id, session_id) REFERENCES cds.training_sessions (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, member_id) REFERENCES cds.members (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX training_attendance_member_idx ON cds.training_attendance (tenant_id, member_id);
GRANT SELECT, INSERT, UPDATE, DELETE ON cds.training_attendance TO cds_app;
CALL cds.make_tenant_table('cds.training_attendance');

CREATE TABLE cds.guidance_activities (
    tenant_id integer NOT NULL,
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    team_id uuid NOT NULL,
    held_on date NOT NULL,
    topic text NOT NULL CHECK (topic IN (
        'online_public_services', 'cashless_payment', 'e_commerce', 'digital_skills', 'cyber_safety', 'other')),
    residents_reached integer NOT NULL CHECK (residents_reached >= 0),
    note text CHECK (note = normalize(note, NFC)),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, team_id) REFERENCES cds.teams (tenant_id, id)
);
CREATE INDEX guidance_activities_team_idx ON cds.guidance_activities (tenant_id, team_id, held_on);
GRANT SELECT, INSERT, UPDATE, DELETE ON cds.guidance_activities TO cds_app;
CALL cds.make_tenant_table('cds.guidance_activities');
