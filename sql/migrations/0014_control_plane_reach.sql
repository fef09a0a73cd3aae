-- The control plane's own tenancy: nobody obtains a (permission, unit) pair it does not hold itself.
--
-- Three facts make the rule checkable in the database:
-- * every staff account has a home unit (where it was created); it is managed only by those who hold
--   users.manage over its home and over every unit its grants reach;
-- * a token records who issued it and with which token; a token issued for another account stays valid only while
--   its issuer is active, manages the account and holds every (permission, unit) pair the account holds, and no
--   token outlives the token it was issued with (revoking one revokes every token issued with it, down the chain);
-- * every role has a level, and is granted only at that level: a province role on the province, a district
--   role on a district or a commune, a commune role on a commune.

-- The audit log names this migration as the actor of the rows it changes.
SELECT set_config('cds.actor', 'migration:0014_control_plane_reach', true);

-- Accounts created before home units existed are the province's: only a province administrator manages them.
ALTER TABLE cds.principals ADD COLUMN home_unit_code integer REFERENCES cds.units (code);
UPDATE cds.principals
SET home_unit_code = (SELECT min(code) FROM cds.units WHERE level = 'province')
WHERE kind = 'staff';
ALTER TABLE cds.principals ADD CONSTRAINT principals_staff_home_unit CHECK (kind <> 'staff' OR home_unit_code IS NOT NULL);

-- NULL: issued by an operator on the database host (bootstrap), which is outside the API's reach rules. issued_by is
-- always the principal of issued_with; it is kept beside it for the re-checks below, which look tokens up by issuer.
ALTER TABLE cds.credentials
    ADD COLUMN issued_with uuid REFERENCES cds.credentials (id),
    ADD COLUMN issued_by uuid REFERENCES cds.principals (id),
    ADD COLUMN revocation_reason text CHECK (revocation_reason ~ '^[a-z_]+$');
CREATE INDEX credentials_issued_with_idx ON cds.credentials (issued_with) WHERE revoked_at IS NULL;
-- The tokens that the invariant below re-checks after every control-plane change: few, and kept small by this.
CREATE INDEX credentials_delegated_idx ON cds.credentials (issued_by)
    WHERE kind = 'bearer_token' AND revoked_at IS NULL AND issued_by <> principal_id;

ALTER TABLE cds.roles ADD COLUMN level text CHECK (level IN ('province', 'district', 'commune'));
UPDATE cds.roles SET level = CASE name
    WHEN 'province_admin' THEN 'province'
    WHEN 'commune_officer' THEN 'commune'
    ELSE 'district'
END;
-- A custom role declares its level: there is no default.
ALTER TABLE cds.roles ALTER COLUMN level SET NOT NULL;

-- The two administrator roles give the same permissions; a grant of one at the other's level becomes the other,
-- which leaves every (permission, unit) pair as it was.
DELETE FROM cds.grants g
USING cds.units u
WHERE u.code = g.unit_code
  AND ((g.role = 'province_admin' AND u.level <> 'province') OR (g.role = 'district_admin' AND u.level = 'province'))
  AND EXISTS (
      SELECT 1 FROM cds.grants o
      WHERE o.principal_id = g.principal_id AND o.unit_code = g.unit_code
        AND o.role = CASE g.role WHEN 'province_admin' THEN 'district_admin' ELSE 'province_admin' END);
UPDATE cds.grants g
SET role = CASE g.role WHEN 'province_admin' THEN 'district_admin' ELSE 'province_admin' END
FROM cds.units u
WHERE u.code = g.unit_code
  AND ((g.role = 'province_admin' AND u.level <> 'province') OR (g.role = 'district_admin' AND u.level = 'province'));

-- Whether a role of `role_level` may be granted on a unit of `unit_level`.
CREATE FUNCTION cds.role_fits_unit(role_level text, unit_level text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE role_level
        WHEN 'province' THEN unit_level = 'province'
        WHEN 'district' THEN unit_level IN ('district', 'commune')
        WHEN 'commune' THEN unit_level = 'commune'
        ELSE false
    END
$$;

-- Grants made before levels existed are kept; new ones are refused at the wrong level, whoever writes them.
CREATE FUNCTION cds.check_grant_level() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
DECLARE
    role_level text;
    unit_level text;
BEGIN
    SELECT r.level INTO role_level FROM cds.roles r WHERE r.name = NEW.role;
    SELECT u.level INTO unit_level FROM cds.units u WHERE u.code = NEW.unit_code;
    IF NOT cds.role_fits_unit(role_level, unit_level) THEN
        RAISE EXCEPTION 'the role % is a % role and cannot be granted on a %', NEW.role, role_level, unit_level
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION cds.check_grant_level() FROM PUBLIC;
CREATE TRIGGER grants_level BEFORE INSERT OR UPDATE ON cds.grants
    FOR EACH ROW EXECUTE FUNCTION cds.check_grant_level();

-- Whether `principal` is active and holds `permission` on the national unit `unit` (a grant on the unit or above).
CREATE FUNCTION cds.holds(principal uuid, permission text, unit integer) RETURNS boolean
    LANGUAGE sql STABLE
    SET search_path = pg_catalog
AS $$
    WITH RECURSIVE lineage (code) AS (
        SELECT unit
        UNION ALL
        SELECT u.parent_code FROM cds.units u JOIN lineage l ON u.code = l.code WHERE u.parent_code IS NOT NULL
    )
    SELECT EXISTS (
        SELECT 1
        FROM cds.grants g
        JOIN cds.principals p ON p.id = g.principal_id AND p.status = 'active'
        JOIN cds.role_permissions rp ON rp.role = g.role AND rp.permission = holds.permission
        WHERE g.principal_id = holds.principal AND g.unit_code IN (SELECT code FROM lineage)
    )
$$;

-- Whether `issuer` may act as `account`: it manages the account (users.manage over its home and every unit its
-- grants reach) and holds every (permission, unit) pair the account's grants give.
CREATE FUNCTION cds.covers(issuer uuid, account uuid) RETURNS boolean
    LANGUAGE sql STABLE
    SET search_path = pg_catalog
AS $$
    SELECT cds.holds(issuer, 'users.manage', a.home_unit_code)
        AND NOT EXISTS (
            SELECT 1 FROM cds.grants g
            WHERE g.principal_id = account AND NOT cds.holds(issuer, 'users.manage', g.unit_code))
        AND NOT EXISTS (
            SELECT 1 FROM cds.grants g JOIN cds.role_permissions rp ON rp.role = g.role
            WHERE g.principal_id = account AND NOT cds.holds(issuer, rp.permission, g.unit_code))
    FROM cds.principals a
    WHERE a.id = account AND a.kind = 'staff'
$$;

-- Revokes every live token issued for another account that its issuer no longer covers, among those issued for or
-- by `affected` (every principal when NULL); the audit trigger on cds.credentials records each revocation.
--
-- Control-plane changes take turns on an advisory lock held until they commit, and the check runs after the lock is
-- taken, in a statement of its own: so it sees every change committed before it, and two concurrent changes (a grant
-- to an account, a token issued for it) cannot each pass alone.
CREATE FUNCTION cds.revoke_uncovered_tokens(affected uuid) RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
DECLARE
    uncovered uuid[];
BEGIN
    PERFORM pg_advisory_xact_lock(7161975950500196972);  -- cds.ctrl in ASCII: the control plane lock
    uncovered := ARRAY(
        SELECT c.id FROM cds.credentials c
        WHERE c.kind = 'bearer_token' AND c.revoked_at IS NULL AND c.issued_by <> c.principal_id
          AND (affected IS NULL OR c.principal_id = affected OR c.issued_by = affected)
          AND (c.expires_at IS NULL OR c.expires_at > now())
          AND NOT coalesce(cds.covers(c.issued_by, c.principal_id), false));
    -- Only when there is something to revoke: the audit trigger wants an actor, which a unit import has not set.
    IF cardinality(uncovered) > 0 THEN
        UPDATE cds.credentials SET revoked_at = now(), revocation_reason = 'issuer_no_longer_covers'
        WHERE id = ANY (uncovered);
    END IF;
END
$$;
REVOKE ALL ON FUNCTION cds.revoke_uncovered_tokens(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cds.revoke_uncovered_tokens(uuid) TO cds_app;

-- Whatever writes the control plane (the API, cds-admin, psql), a change that narrows an issuer's reach or widens an
-- account's revokes the tokens that would now give more than their issuer holds. Only the principals the row names
-- are affected: everyone else's (permission, unit) pairs are unchanged.
CREATE FUNCTION cds.recheck_tokens_of_row() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
BEGIN
    IF TG_TABLE_NAME = 'principals' THEN
        PERFORM cds.revoke_uncovered_tokens(NEW.id);
    ELSIF TG_OP = 'INSERT' THEN
        PERFORM cds.revoke_uncovered_tokens(NEW.principal_id);
    ELSE
        PERFORM cds.revoke_uncovered_tokens(OLD.principal_id);
        IF TG_OP = 'UPDATE' AND NEW.principal_id <> OLD.principal_id THEN
            PERFORM cds.revoke_uncovered_tokens(NEW.principal_id);
        END IF;
    END IF;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION cds.recheck_tokens_of_row() FROM PUBLIC;
CREATE TRIGGER grants_recheck_tokens AFTER INSERT OR UPDATE OR DELETE ON cds.grants
    FOR EACH ROW EXECUTE FUNCTION cds.recheck_tokens_of_row();
CREATE TRIGGER principals_recheck_tokens AFTER UPDATE OF status, home_unit_code ON cds.principals
    FOR EACH ROW EXECUTE FUNCTION cds.recheck_tokens_of_row();

-- A role's permissions or the unit tree change everyone's pairs: every delegated token is checked.
CREATE FUNCTION cds.recheck_all_tokens() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
BEGIN
    PERFORM cds.revoke_uncovered_tokens(NULL);
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION cds.recheck_all_tokens() FROM PUBLIC;
CREATE TRIGGER role_permissions_recheck_tokens AFTER INSERT OR UPDATE OR DELETE ON cds.role_permissions
    FOR EACH STATEMENT EXECUTE FUNCTION cds.recheck_all_tokens();
CREATE TRIGGER units_recheck_tokens AFTER UPDATE OF parent_code ON cds.units
    FOR EACH STATEMENT EXECUTE FUNCTION cds.recheck_all_tokens();

-- A token issued for another account is refused outright when its issuer does not cover the account, under the same
-- lock, so that no concurrent grant can slip between the API's check and the insert.
CREATE FUNCTION cds.check_token_issuer() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(7161975950500196972);
    IF NOT coalesce(cds.covers(NEW.issued_by, NEW.principal_id), false) THEN
        RAISE EXCEPTION 'a token for this account would give its issuer permissions it does not hold'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION cds.check_token_issuer() FROM PUBLIC;
CREATE TRIGGER credentials_check_issuer AFTER INSERT ON cds.credentials
    FOR EACH ROW WHEN (NEW.kind = 'bearer_token' AND NEW.issued_by <> NEW.principal_id)
    EXECUTE FUNCTION cds.check_token_issuer();

-- A token issued with another token belongs to the same person as that token, whatever account it is for: it takes
-- its issuer from it, expires no later, and is refused when that token is no longer live. Without this, the holder of
-- a token for an account could issue that account a second token of its own, which no re-check would tie back.
CREATE FUNCTION cds.derive_token_issuer() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
DECLARE
    parent cds.credentials;
BEGIN
    SELECT * INTO parent FROM cds.credentials c WHERE c.id = NEW.issued_with;
    IF parent.revoked_at IS NOT NULL OR parent.expires_at <= now() OR parent.kind <> 'bearer_token' THEN
        RAISE EXCEPTION 'the token this one would be issued with is no longer valid'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    NEW.issued_by := parent.principal_id;
    NEW.expires_at := least(NEW.expires_at, parent.expires_at);
    RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION cds.derive_token_issuer() FROM PUBLIC;
CREATE TRIGGER credentials_derive_issuer BEFORE INSERT ON cds.credentials
    FOR EACH ROW WHEN (NEW.issued_with IS NOT NULL)
    EXECUTE FUNCTION cds.derive_token_issuer();

-- Revoking a token revokes every token issued with it, and so on down the chain (each update fires this again).
CREATE FUNCTION cds.revoke_issued_with() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
BEGIN
    UPDATE cds.credentials SET revoked_at = NEW.revoked_at, revocation_reason = 'issuing_token_revoked'
    WHERE issued_with = NEW.id AND revoked_at IS NULL;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION cds.revoke_issued_with() FROM PUBLIC;
CREATE TRIGGER credentials_revoke_issued_with AFTER UPDATE OF revoked_at ON cds.credentials
    FOR EACH ROW WHEN (OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL)
    EXECUTE FUNCTION cds.revoke_issued_with();
