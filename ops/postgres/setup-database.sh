#!/usr/bin/env bash
# Prepares an existing PostgreSQL server (15+) for cds, with least privilege (docs/tenancy.md, rule 1):
#   cds_owner   LOGIN; owns the database and, once `cds-admin db migrate` has run, every object in it; no
#               SUPERUSER, CREATEDB, CREATEROLE or BYPASSRLS (row-level security is forced on the owner too)
#   cds_app     LOGIN; what cds-server connects as: owns nothing, no BYPASSRLS, NOINHERIT; the migrations grant it
#               what it may do, table by table
#   cds_backup  LOGIN BYPASSRLS, member of pg_read_all_data: reads everything for ops/backup/cds-backup, writes nothing
#   DATABASE    owned by cds_owner, UTF8, PUBLIC may not connect; cds_app may connect (and make temporary staging
#               tables, for the roster sync), cds_backup may connect
#
# Usage (on the database server):  sudo -u postgres ops/postgres/setup-database.sh [DATABASE]   (default: cds)
#   or, from elsewhere, with a superuser's URL:  CDS_SUPERUSER_URL=postgres://... ops/postgres/setup-database.sh cds
#   CDS_DATABASE_HOST  host:port the printed URLs name (default 127.0.0.1:5432)
#
# Idempotent: a role that exists keeps its password (and is brought back to the attributes above); a new role gets
# a random password, printed once on standard output as the setting that uses it:
#   CDS_DATABASE_OWNER_URL=...  CDS_DATABASE_URL=...  CDS_BACKUP_URL=...
# Then: CDS_DATABASE_OWNER_URL=... cds-admin db migrate, and start cds-server with both URLs.
set -euo pipefail

database=${1:-cds}
host=${CDS_DATABASE_HOST:-127.0.0.1:5432}
[[ "$database" =~ ^[a-z][a-z0-9_]{0,62}$ ]] || { echo "setup-database: '$database' is not a plain database name" >&2; exit 2; }

psql_super() {
    psql ${CDS_SUPERUSER_URL:+--dbname="$CDS_SUPERUSER_URL"} --no-psqlrc --quiet --tuples-only --no-align --set=ON_ERROR_STOP=1 "$@"
}

[ "$(psql_super -c "SELECT rolsuper FROM pg_roles WHERE rolname = current_user")" = t ] || {
    echo "setup-database: run this as a superuser (sudo -u postgres, or CDS_SUPERUSER_URL)" >&2
    exit 2
}

# role NAME ATTRIBUTES: creates the role with a new password (printed), or brings an existing one to ATTRIBUTES.
role() {
    local name=$1 attributes=$2 setting=$3
    if [ "$(psql_super -c "SELECT count(*) FROM pg_roles WHERE rolname = '$name'")" = 0 ]; then
        local password
        password=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
        psql_super -c "CREATE ROLE $name $attributes PASSWORD '$password'"
        echo "$setting=postgres://$name:$password@$host/$database"
        echo "setup-database: created $name" >&2
    else
        psql_super -c "ALTER ROLE $name $attributes"
        echo "setup-database: $name exists; its password is unchanged" >&2
    fi
}

role cds_owner "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION" CDS_DATABASE_OWNER_URL
role cds_app "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION NOINHERIT" CDS_DATABASE_URL
role cds_backup "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE BYPASSRLS NOREPLICATION" CDS_BACKUP_URL
psql_super -c "GRANT pg_read_all_data TO cds_backup"

if [ "$(psql_super -c "SELECT count(*) FROM pg_database WHERE datname = '$database'")" = 0 ]; then
    psql_super -c "CREATE DATABASE $database OWNER cds_owner TEMPLATE template0 ENCODING 'UTF8'"
    echo "setup-database: created database $database" >&2
fi
psql_super -c "ALTER DATABASE $database OWNER TO cds_owner"
psql_super -c "REVOKE ALL ON DATABASE $database FROM PUBLIC"
psql_super -c "GRANT CONNECT, TEMPORARY ON DATABASE $database TO cds_app"
psql_super -c "GRANT CONNECT ON DATABASE $database TO cds_backup"
echo "setup-database: ready; next: CDS_DATABASE_OWNER_URL=... cds-admin db migrate" >&2
