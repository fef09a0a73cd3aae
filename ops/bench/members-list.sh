#!/usr/bin/env bash
# Benchmark: the first page of one district's members, `GET /v1/members?limit=100` on cds-server (RLS on, one
# transaction per request with the token lookup), against a baseline of the plain SELECT of the same columns run
# by pgbench as a BYPASSRLS role with an explicit `m.tenant_id = <district>` in place of the caller's reach.
# Two callers of the API, both reaching that one district, are measured against the same baseline: a district
# admin (members.read_personal: each page also writes its 100 `read_personal` audit rows, as the product requires)
# and an auditor (members.read only: no personal data, no audit write). The database holds MEMBERS members
# (default 1,000,000) spread over the 2,990 teams of Sơn La's 12 districts. All loads run in this one invocation,
# so the ratio is what to compare between runs: these machines are noisy and absolute rates are not stable.
# Target: the API at ≥ 0.5 of the psql rate, with a plan that reads members through an index leading with
# tenant_id, in order, stopping after a page. The EXPLAIN (ANALYZE, BUFFERS) of the API's own SQL as cds_app
# under RLS is printed at the end, with a verdict on it.
#
# Usage: ops/bench/members-list.sh [RUNS]   (default 3; builds cds-server and cds-admin in release mode first)
#   MEMBERS=N           members in the database in all (default 1000000; the demo seed brings 15,301)
#   DISTRICT=code       the district listed (default 116, Thành phố Sơn La, the largest)
#   DURATION=s          seconds per measurement (default 10), after a 2 s warm-up of each side
#   CDS_BENCH_BIN=dir   use the cds-server and cds-admin in dir instead of building (e.g. .build/debug)
# Needs psql, pgbench, curl and python3; installs wrk from Debian if it is missing. Everything is on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-3}
members=${MEMBERS:-1000000}
district=${DISTRICT:-116}
# Not $SECONDS: bash keeps that one counting the seconds since the shell started.
duration=${DURATION:-10}

if [ -n "${CDS_BENCH_BIN:-}" ]; then
    bin=$CDS_BENCH_BIN
else
    swift build -c release --product cds-server >/dev/null
    swift build -c release --product cds-admin >/dev/null
    bin=$(swift build -c release --show-bin-path)
fi
command -v wrk >/dev/null || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null; }

work=$(mktemp -d /tmp/cds-bench-XXXXXX)
chmod 711 "$work"
export CDS_DATA_DIR="$work/data"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
# No per-token rate limit: the load is one token's, far beyond what a person sends.
export CDS_HTTP_ADDR="127.0.0.1:$port" CDS_GRPC_ADDR=127.0.0.1:0 CDS_RATE_LIMIT=0
api="http://127.0.0.1:$port"
server=
cleanup() {
    if [ -n "$server" ]; then kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    # The server stops the cluster it started; this catches a server that died without doing so.
    "$bin/cds-admin" db stop >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
json_field() { python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
post() { curl -sS --fail-with-body -X POST -H "Authorization: Bearer $1" -H 'Content-Type: application/json' -d "$3" "$api$2"; }

"$bin/cds-server" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do
    curl -sf "$api/readyz" >/dev/null 2>&1 && break
    kill -0 "$server" 2>/dev/null || { cat "$work/server.log"; exit 1; }
    sleep 0.5
done
curl -sf "$api/readyz" >/dev/null || { echo "cds-server did not become ready" >&2; cat "$work/server.log" >&2; exit 1; }

"$bin/cds-admin" demo seed sonla-2023 >/dev/null
owner_url=$("$bin/cds-admin" db url --role owner)
app_url=$("$bin/cds-admin" db url --role app)
db_port=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.urlsplit(sys.argv[1]).port)' "$owner_url")

# --- The bulk of the members --------------------------------------------------------------------------------
# As the owner, because that is the role operators load data with; RLS is forced on it too, so the session
# scopes itself to every district, and the audit triggers want an actor (they then write one audit row per
# member, as for any load). Each team gets the same number of members, so the districts keep their relative
# sizes; one INSERT per district keeps each statement's transition table (for the audit) to a few 100,000 rows.
# Every value satisfies 0003_registry.sql: role 'member' (one leader per team is already seeded), mobile
# numbers in national form or none, names normalised to NFC whatever this file's own encoding.
scope_sql="SELECT set_config('cds.tenant_ids', (SELECT string_agg(tenant_id::text, ',') FROM cds.tenants), false),
    set_config('cds.actor', 'operator:bench-members-list', false)"
existing=$(psql "$owner_url" -XAtq -c "$scope_sql" -c "SELECT count(*) FROM cds.members" | tail -1)
to_add=$((members > existing ? members - existing : 0))
start=$(now)
for tenant in $(psql "$owner_url" -XAtc "SELECT tenant_id FROM cds.tenants ORDER BY tenant_id"); do
    psql "$owner_url" -XAtq -v ON_ERROR_STOP=1 -c "$scope_sql" -c "
        INSERT INTO cds.members (tenant_id, team_id, full_name, gender, birth_year, ethnicity, phone, role,
                                 affiliation, has_smartphone, trained, joined_on, source_system)
        SELECT t.tenant_id, t.id,
               normalize((ARRAY['Lò', 'Cầm', 'Quàng', 'Lường', 'Nguyễn', 'Hoàng', 'Vì', 'Tòng'])[1 + g % 8]
                   || CASE WHEN g % 2 = 0 THEN ' Văn ' ELSE ' Thị ' END
                   || (ARRAY['Hùng', 'Lan', 'Minh', 'Thủy', 'Sơn', 'Hương', 'Dũng', 'Mai', 'Tuấn', 'Ánh', 'Phương'])[1 + g % 11], NFC),
               CASE WHEN g % 2 = 0 THEN 'male' ELSE 'female' END,
               (1960 + g % 45)::smallint,
               normalize((ARRAY['Thái', 'Kinh', 'H''Mông', 'Mường', 'Dao', 'Khơ Mú'])[1 + g % 6], NFC),
               CASE WHEN g % 10 = 0 THEN NULL ELSE '09' || lpad(((t.k * 100003 + g * 7919) % 100000000)::text, 8, '0') END,
               'member',
               (ARRAY['hamlet_head', 'commune_official', 'police', 'youth_union', 'women_union', 'veterans_association',
                      'farmers_association', 'teacher', 'health_worker', 'telecom_staff', 'party_cell', 'resident', 'other'])[1 + g % 13],
               g % 5 <> 0, g % 3 = 0, DATE '2023-01-01' + g % 700, 'bench'
        FROM (SELECT tenant_id, id, count(*) OVER () AS teams, row_number() OVER (ORDER BY tenant_id, id) AS k
              FROM cds.teams) AS t
        CROSS JOIN LATERAL generate_series(1, ($to_add / t.teams + CASE WHEN t.k <= $to_add % t.teams THEN 1 ELSE 0 END)::int) AS g
        WHERE t.tenant_id = $tenant" >/dev/null
done
insert_seconds=$(since "$start")
# What autovacuum would do after such a load (statistics, hint bits, visibility map), done now so that both
# sides measure the steady state and not the first reader's clean-up.
start=$(now)
psql "$owner_url" -XAtq -v ON_ERROR_STOP=1 -c "VACUUM (ANALYZE) cds.members" -c "VACUUM (ANALYZE) cds.teams" \
    -c "VACUUM (ANALYZE) cds.audit_log"
vacuum_seconds=$(since "$start")
counts=$(psql "$owner_url" -XAtq -c "$scope_sql" \
    -c "SELECT count(*), count(*) FILTER (WHERE tenant_id = $district) FROM cds.members" | tail -1)
total=${counts%|*}
in_district=${counts#*|}

# --- Two tokens that reach this one district -------------------------------------------------------------------
# Both made through the API as the province admin, as an operator would: a user, a grant on the district, a token.
# district_admin holds members.read_personal there; the built-in auditor holds members.read but not that.
province=$("$bin/cds-admin" bootstrap --name bench-province 2>/dev/null)
caller_token() { # name role -> token
    local user_id
    user_id=$(post "$province" /v1/users "{\"name\": \"$1\"}" | json_field id)
    post "$province" /v1/grants "{\"user_id\": \"$user_id\", \"role\": \"$2\", \"unit_code\": \"$district\"}" >/dev/null
    post "$province" /v1/tokens "{\"user_id\": \"$user_id\", \"label\": \"bench\", \"expires_in_days\": 1}" | json_field token
}
admin_token=$(caller_token "bench-district-$district" district_admin)
auditor_token=$(caller_token "bench-auditor-$district" auditor)
# One page each, checked: the admin's carries personal data, the auditor's does not (else the comparison is moot).
for who in admin auditor; do
    tok_var=${who}_token
    curl -sS --fail-with-body -H "Authorization: Bearer ${!tok_var}" "$api/v1/members?limit=100" >"$work/page-$who.json"
done
python3 - "$work/page-admin.json" "$work/page-auditor.json" <<'PY'
import json, sys
admin, auditor = (json.load(open(f)) for f in sys.argv[1:3])
a, b = admin["items"], auditor["items"]
assert a and [m["id"] for m in a] == [m["id"] for m in b], "the two callers do not get the same page"
assert all(m.get("personal") is not None for m in a), "the district admin's page lacks personal data"
assert all(m.get("personal") is None for m in b), "the auditor's page shows personal data"
PY

# --- The baseline role ----------------------------------------------------------------------------------------
# The embedded cluster listens on TCP only (no socket for `runuser -u postgres psql`) and pg_hba wants
# scram-sha-256 everywhere, so the superuser comes in with the password it keeps in CDS_DATA_DIR.
superuser_password=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["superuser"])' "$CDS_DATA_DIR/postgres-credentials.json")
bench_password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
psql "postgresql://postgres:$superuser_password@127.0.0.1:$db_port/cds" -XAtq -v ON_ERROR_STOP=1 <<SQL
CREATE ROLE cds_bench LOGIN BYPASSRLS PASSWORD '$bench_password';
GRANT CONNECT ON DATABASE cds TO cds_bench;
GRANT USAGE ON SCHEMA cds TO cds_bench;
GRANT SELECT ON cds.members, cds.teams TO cds_bench;
SQL

# --- The two statements ---------------------------------------------------------------------------------------
# The columns of MembersController.columns, the version (EntityVersion.expression) last.
columns="m.id, m.tenant_id, m.team_id, t.commune_code, t.hamlet_code, m.full_name, m.gender, m.role, m.affiliation,
           m.has_smartphone, m.trained, m.joined_on::text, m.left_on::text, m.phone, m.birth_year::int, m.ethnicity,
           (extract(epoch from m.updated_at) * 1000000)::bigint"
# The filters of a first page without any (the zero cursor). They stay in: the API sends them as NULL parameters,
# which PostgreSQL folds away in the custom plan it makes for each call (ScopeSettingsStatement asks for custom
# plans), as it folds these literals.
filters="m.id > '00000000-0000-0000-0000-000000000000'::uuid
      AND (NULL::uuid IS NULL OR m.team_id = NULL::uuid)
      AND (NULL::text IS NULL OR t.commune_code::text = NULL::text OR t.hamlet_code = NULL::text)
      AND (NULL::text IS NULL OR m.role = NULL::text)
      AND (NULL::boolean IS NULL OR m.has_smartphone = NULL::boolean)
      AND (NULL::boolean IS NULL OR m.trained = NULL::boolean)
      AND (NULL::text IS NULL OR m.search_name LIKE '%' || NULL::text || '%')"
# MemberPageStatement as it reaches PostgreSQL for either caller here (the SQL is the same for both; only the
# audit after it differs): one ordered scan of the primary key (tenant_id, id) per district the caller touches,
# each stopped after a page, the pages merged. The values are those the API binds for a grant on one district:
# touched districts = districts = {district}, communes = {}, limit 100 + 1, the arrays typed int[] as the columns.
api_query() {
    cat <<SQL
SELECT page.* FROM unnest('{$district}'::int[]) AS scope (tenant_id)
CROSS JOIN LATERAL (
    SELECT $columns
    FROM cds.members m
    CROSS JOIN LATERAL (
        SELECT t.commune_code, t.hamlet_code FROM cds.teams t WHERE t.id = m.team_id LIMIT 1
    ) AS t
    WHERE m.tenant_id = scope.tenant_id
      AND (m.tenant_id = ANY ('{$district}'::int[]) OR t.commune_code = ANY ('{}'::int[]))
      AND $filters
    ORDER BY m.id
    LIMIT 101
) AS page
ORDER BY page.id
LIMIT 101;
SQL
}
# The baseline: the plain SELECT of the same columns, one district named outright, nothing to merge.
baseline_query() {
    cat <<SQL
SELECT $columns
FROM cds.members m JOIN cds.teams t ON t.tenant_id = m.tenant_id AND t.id = m.team_id
WHERE m.tenant_id = $district
  AND $filters
ORDER BY m.id
LIMIT 101;
SQL
}
baseline_query >"$work/baseline.sql"

# --- Load -----------------------------------------------------------------------------------------------------
# Same concurrency on every side: 8 clients on 2 threads. wrk counts any answer, so a non-2xx one or a socket
# error (timeouts included: a slow page must not pass for a fast failure) fails the run.
run_wrk() { # seconds token
    wrk -t2 -c8 -d"$1"s --timeout 30s -H "Authorization: Bearer $2" "$api/v1/members?limit=100" >"$work/wrk.out"
    if grep -Eq 'Non-2xx|Socket errors' "$work/wrk.out"; then cat "$work/wrk.out" >&2; exit 1; fi
    awk '/^Requests\/sec:/ { printf "%.1f", $2 }' "$work/wrk.out"
}
run_pgbench() {
    PGPASSWORD=$bench_password pgbench -h 127.0.0.1 -p "$db_port" -U cds_bench -n -c8 -j2 -T "$1" -f "$work/baseline.sql" cds \
        >"$work/pgbench.out" 2>&1 || { cat "$work/pgbench.out" >&2; exit 1; }
    awk '/^tps = / { printf "%.1f", $3 }' "$work/pgbench.out"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
run_wrk 2 "$admin_token" >/dev/null
run_wrk 2 "$auditor_token" >/dev/null
run_pgbench 2 >/dev/null

echo "members: $total in all, $in_district in district $district; adding $to_add took $insert_seconds s, VACUUM (ANALYZE) $vacuum_seconds s"
echo "run  caller          API req/s  psql tx/s  ratio"
for run in $(seq 1 "$runs"); do
    # The baseline between the two callers, so that each is measured next to it and drift hits both alike.
    admin_rate=$(run_wrk "$duration" "$admin_token")
    psql_rate=$(run_pgbench "$duration")
    auditor_rate=$(run_wrk "$duration" "$auditor_token")
    printf "%3d  %-14s  %9s  %9s  %5s\n" "$run" district_admin "$admin_rate" "$psql_rate" "$(ratio "$admin_rate" "$psql_rate")"
    printf "%3d  %-14s  %9s  %9s  %5s\n" "$run" auditor "$auditor_rate" "$psql_rate" "$(ratio "$auditor_rate" "$psql_rate")"
done
echo "target: ratio >= 0.50. Both callers run the same SELECT, after the same token lookup, in one transaction each."
echo "The district admin holds members.read_personal, so each of its pages also INSERTs 100 read_personal rows in"
echo "the audit log (and commits them: a WAL flush per request); the auditor sees no personal data, writes nothing"
echo "and commits a read-only transaction. The gap between the two rows is the cost of that audit."

# --- The plan -------------------------------------------------------------------------------------------------
# As cds_app with the district's scope, as the server runs it (one transaction, scope set locally): once as text
# to read, once as JSON for the verdict.
echo
echo "EXPLAIN (ANALYZE, BUFFERS) of the API's SQL as cds_app under RLS, cds.tenant_ids = '$district':"
psql "$app_url" -XAtq -v ON_ERROR_STOP=1 <<SQL
BEGIN;
SELECT set_config('cds.tenant_ids', '$district', true) \g /dev/null
\o $work/plan.txt
EXPLAIN (ANALYZE, BUFFERS) $(api_query)
\o $work/plan.json
EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) $(api_query)
\o
ROLLBACK;
SQL
cat "$work/plan.txt"
# What must hold, whatever shape the planner picks: no Seq Scan on members; members read through an index with
# tenant_id in its Index Cond (every index of a tenant table leads with tenant_id, 0001_tenancy.sql checks it);
# and no Sort fed more rows than the pages it merges (101 per touched district, here one), which is what a scan
# out of order, or the old `tenant_id = ANY (...)`, costs: every member of the district read and sorted.
python3 - "$work/plan.json" 101 "$in_district" <<'PY'
import json, sys
explained, page, in_district = json.load(open(sys.argv[1]))[0], int(sys.argv[2]), int(sys.argv[3])
plan = explained["Plan"]
def walk(node):
    yield node
    for child in node.get("Plans", []):
        yield from walk(child)
rows = lambda node: node["Actual Rows"] * node["Actual Loops"]
problems, scans, warnings = [], [], []
for node in walk(plan):
    kind = node["Node Type"]
    if node.get("Relation Name") == "members":
        if kind == "Seq Scan":
            problems.append(f"Seq Scan on members ({rows(node)} rows out)")
        elif kind in ("Index Scan", "Index Only Scan"):
            if "tenant_id =" not in node.get("Index Cond", ""):
                problems.append(f"{kind} using {node['Index Name']} without tenant_id in its Index Cond")
            scans.append(f"{kind} using {node['Index Name']}, {rows(node)} rows out")
        else:
            scans.append(f"{kind}, {rows(node)} rows out")
    # Not a failure of the criterion above, but a cost to know of: a join that rescans a materialized set for
    # every member (teams under RLS are estimated at a fraction of a district's) discards rows by the 10,000.
    removed = node.get("Rows Removed by Join Filter", 0) * node["Actual Loops"]
    if removed > 10 * page:
        warnings.append(f"{kind} discards {removed} rows in its Join Filter ({node['Join Filter']})")
    if kind == "Sort":
        fed = sum(rows(child) for child in node.get("Plans", []))
        if fed > page:
            problems.append(f"Sort ({', '.join(node['Sort Key'])}) fed {fed} rows for a page of {page - 1}"
                            f" ({fed / max(in_district, 1):.0%} of the district)")
print("verdict:", "OK, members read through a tenant index, in order, stopped after a page" if not problems else "NOT OK")
for line in scans:
    print("         members:", line)
for line in problems:
    print("         problem:", line)
for line in warnings:
    print("         warning:", line)
print(f"         execution time {explained['Execution Time']:.3f} ms (a second run, after the text one above)")
PY
echo
echo "For comparison, the baseline's plan (cds_bench, BYPASSRLS, m.tenant_id = $district):"
PGPASSWORD=$bench_password psql -h 127.0.0.1 -p "$db_port" -U cds_bench -XAtq cds \
    -c "EXPLAIN (ANALYZE, BUFFERS) $(baseline_query)"
