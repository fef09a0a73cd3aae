#!/usr/bin/env bash
# Benchmark: the first page of one district's members, `GET /v1/members?limit=100` on cds-server, measured three ways
# in the same run, for two callers reaching that one district: a district admin (members.read_personal: the page
# shows personal data, and its one audit entry is written) and an auditor (members.read only: no personal data, no
# audit write). The database holds MEMBERS members (default 1,000,000) over the 2,990 teams of Sơn La's 12 districts.
#   A. server overhead: the API against pgbench running exactly the statements the API sent for that page, in the
#      same order, as the same role (cds_app, under RLS): captured from PostgreSQL's statement log for one request,
#      so the two arms cannot drift apart. This is how PostgREST measures itself. Target: >= 0.7 for both callers.
#   B. the cost of tenancy and audit: that pgbench transaction against the bare SELECT (no target).
#   C. end to end: the API against the bare SELECT of the same columns, run by pgbench as a BYPASSRLS role with
#      `m.tenant_id = <district>` in place of the caller's reach; with the server's CPU per page (/proc).
# All loads run in this one invocation, so the ratios are what to compare between runs: these machines are noisy and
# absolute rates are not stable. The EXPLAIN (ANALYZE, BUFFERS) of the API's own SQL as cds_app under RLS is printed
# at the end, with a verdict on it.
#
# Usage: ops/bench/members-list.sh [RUNS]   (default ROUNDS, else 3; builds cds-server and cds-admin in release mode first)
#   MEMBERS=N           members in the database in all (default 1000000; the demo seed brings 15,301)
#   DISTRICT=code       the district listed (default 116, Thành phố Sơn La, the largest)
#   DURATION=s          seconds per measurement (default 10), after a 2 s warm-up of each side
#   CDS_BENCH_BIN=dir   use the cds-server and cds-admin in dir instead of building (e.g. .build/debug)
# Needs psql, pgbench, curl and python3; installs wrk from Debian if it is missing. Everything is on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-${ROUNDS:-3}}
members=${MEMBERS:-1000000}
district=${DISTRICT:-116}
# Not $SECONDS: bash keeps that one counting the seconds since the shell started.
duration=${DURATION:-10}

source ops/bench/lib.sh
bench_need_wrk
bench_server members-list
json_field() { python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
post() { curl -sS --fail-with-body -X POST -H "Authorization: Bearer $1" -H 'Content-Type: application/json' -d "$3" "$api$2"; }

bench_members "$members"
counts=$(psql "$owner_url" -XAtq -c "$bench_scope_sql" \
    -c "SELECT count(*), count(*) FILTER (WHERE tenant_id = $district) FROM cds.members" | tail -1)
total=${counts%|*}
in_district=${counts#*|}

# --- Two tokens that reach this one district -------------------------------------------------------------------
# Both made through the API as the province admin, as an operator would: a user, a grant on the district, a token.
# district_admin holds members.read_personal there; the built-in auditor holds members.read but not that.
province=$("$bin/cds-admin" bootstrap --force --name bench-province 2>/dev/null)
caller_token() { # name role -> token
    local user_id
    user_id=$(post "$province" /v1/users "{\"name\": \"$1\", \"home_unit_code\": \"$district\"}" | json_field id)
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
bench_baseline_role members teams

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

# --- The transaction the API sends --------------------------------------------------------------------------
# One page per caller with every statement logged (log_min_duration_statement = 0, for the moment of the request):
# the statements of its transaction, in order, with their values, become its pgbench script (statements-of-page.py).
# The token is looked up once before (a warm-up page), so the page captured is the steady state: the token found in
# the server's cache, no look-up. Run as cds_app, the role the server uses, under the same RLS.
log="$CDS_DATA_DIR/postgres.log"
set_statement_log() {
    psql "$superuser_url" -XAtq -v ON_ERROR_STOP=1 -c "ALTER SYSTEM SET log_min_duration_statement = $1" \
        -c "SELECT pg_reload_conf()" >/dev/null
    sleep 0.5
}
for who in admin auditor; do
    tok_var=${who}_token
    curl -sS --fail-with-body -H "Authorization: Bearer ${!tok_var}" "$api/v1/members?limit=100" >/dev/null
    set_statement_log 0
    offset=$(stat -c %s "$log")
    curl -sS --fail-with-body -H "Authorization: Bearer ${!tok_var}" "$api/v1/members?limit=100" >/dev/null
    set_statement_log -1
    python3 ops/bench/statements-of-page.py "$log" "$offset" >"$work/transaction-$who.sql"
done
echo "The district admin's transaction, as the API sent it and pgbench runs it:"
sed 's/^/    /' "$work/transaction-admin.sql" | cut -c1-160
grep -q "INSERT INTO cds.audit_log" "$work/transaction-admin.sql" || { echo "the admin's page wrote no audit entry" >&2; exit 1; }
! grep -q "INSERT INTO cds.audit_log" "$work/transaction-auditor.sql" || { echo "the auditor's page wrote an audit entry" >&2; exit 1; }

# --- Load -----------------------------------------------------------------------------------------------------
# Same concurrency on every side: 8 clients on 2 threads. wrk counts any answer, so a non-2xx one or a socket
# error (timeouts included: a slow page must not pass for a fast failure) fails the run.
run_wrk() { bench_wrk 8 "$1" "$2" "/v1/members?limit=100" "$work/wrk.out"; }
run_pgbench() { bench_pgbench 8 "$1" "$work/baseline.sql" "$work/pgbench.out"; }
run_transaction() { bench_pgbench 8 "$1" "$work/transaction-$2.sql" "$work/pgbench.out" "$app_url"; }
ratio() { bench_ratio "$1" "$2"; }
# The server's CPU time (user + system, in clock ticks) from /proc: per page, what the server itself spends.
ticks() { awk '{ print $14 + $15 }' "/proc/$server_pid/stat"; }
cpu_per_page() { # ticks_before ticks_after rate
    awk -v a="$1" -v b="$2" -v hz="$(getconf CLK_TCK)" -v rate="$3" -v s="$duration" 'BEGIN { printf "%.2f", (b - a) / hz * 1000 / (rate * s) }'
}
run_wrk 2 "$admin_token" >/dev/null
run_wrk 2 "$auditor_token" >/dev/null
run_pgbench 2 >/dev/null
run_transaction 2 admin >/dev/null
run_transaction 2 auditor >/dev/null

echo "members: $total in all, $in_district in district $district; $bench_members_summary"
echo "run  caller          API req/s  its tx/s  SELECT tx/s  A: API/tx  B: tx/SELECT  C: API/SELECT  server CPU ms/page"
for run in $(seq 1 "$runs"); do
    # The baseline between the two callers, so that each is measured next to it and drift hits both alike.
    for who in admin auditor; do
        tok_var=${who}_token
        before=$(ticks)
        api_rate=$(run_wrk "$duration" "${!tok_var}")
        cpu=$(cpu_per_page "$before" "$(ticks)" "$api_rate")
        tx_rate=$(run_transaction "$duration" "$who")
        [ "$who" = admin ] && psql_rate=$(run_pgbench "$duration")
        caller=$([ "$who" = admin ] && echo district_admin || echo auditor)
        printf "%3d  %-14s  %9s  %8s  %11s  %9s  %12s  %13s  %18s\n" "$run" "$caller" "$api_rate" "$tx_rate" "$psql_rate" \
            "$(ratio "$api_rate" "$tx_rate")" "$(ratio "$tx_rate" "$psql_rate")" "$(ratio "$api_rate" "$psql_rate")" "$cpu"
        bench_result "members list, $caller: A, API vs pgbench of its transaction" "$api_rate" "$tx_rate" "req/s : tx/s"
        bench_result "members list, $caller: B, its transaction vs bare SELECT" "$tx_rate" "$psql_rate" "tx/s : tx/s"
        bench_result "members list, $caller: C, API vs bare SELECT" "$api_rate" "$psql_rate" "req/s : tx/s"
    done
done
echo "target: A >= 0.70 for both callers (aim 0.80). B is what tenancy and the audit cost PostgreSQL, C the two together."
echo "The district admin's page writes one read_personal entry listing its members, and commits it (a WAL flush per"
echo "request); the auditor sees no personal data, writes nothing and commits a read-only transaction."

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
