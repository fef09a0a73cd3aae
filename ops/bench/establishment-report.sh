#!/usr/bin/env bash
# Benchmark: the province's establishment table over MEMBERS members (default 1,000,000, spread over the 2,990 teams
# of Sơn La's 12 districts), `GET /v1/reports/establishment` as the province admin (RLS on, all 12 districts in
# scope, one transaction per request with the token lookup) against a baseline of the same SELECT run by pgbench as
# a BYPASSRLS role with the 12 districts named outright in place of the caller's scope. Both arms run with 2 clients (the machine has 2 cores and each report is a
# scan of every member), alternating which goes first, ROUNDS times; the API's totals are checked against the
# baseline's first.
#
# Usage: ops/bench/establishment-report.sh   (builds cds-server and cds-admin in release mode first)
#   MEMBERS=N  members in all (default 1000000);  DURATION=10 seconds per arm;  ROUNDS=2
#   CDS_BENCH_BIN=dir  use the binaries in dir instead of building
# Needs psql, pgbench and python3; installs wrk from Debian if it is missing. Everything is on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/../.."
members=${MEMBERS:-1000000}
duration=${DURATION:-10}
rounds=${ROUNDS:-2}

source ops/bench/lib.sh
bench_need_wrk
bench_server establishment-report
bench_members "$members"
bench_baseline_role units teams members hamlets
token=$("$bin/cds-admin" bootstrap --force --name bench-reports 2>/dev/null)
districts=$(psql "$owner_url" -XAtq -c "SELECT string_agg(tenant_id::text, ',' ORDER BY tenant_id) FROM cds.tenants")

# The report's own SQL, read from EstablishmentReport.swift so that the two never drift apart, with the caller's scope
# replaced by the districts named outright.
python3 - Sources/CDSReports/EstablishmentReport.swift "$districts" >"$work/baseline.sql" <<'PY'
import re, sys
source, districts = open(sys.argv[1], encoding="utf-8").read(), sys.argv[2]
sql = re.search(r'transaction\.rows\(\s*"""\n(.*?)"""', source, re.S).group(1)
scope = "d.code = ANY ((SELECT cds.scoped_tenant_ids())::integer[])"
assert scope in sql, "EstablishmentReport.swift no longer scopes its districts as this benchmark expects"
print(sql.replace(scope, f"d.code = ANY ('{{{districts}}}'::int[])").rstrip() + ";")
PY

# The two arms must agree before their rates are compared: the same members counted, district by district.
curl -sS --fail-with-body -H "Authorization: Bearer $token" "$api/v1/reports/establishment" >"$work/report.json"
psql "postgresql://cds_bench:$bench_password@127.0.0.1:$db_port/cds" -XAtq -F $'\t' -f "$work/baseline.sql" >"$work/baseline.tsv"
python3 - "$work/report.json" "$work/baseline.tsv" <<'PY'
import csv, json, sys
report = json.load(open(sys.argv[1]))
api = [[d["district_code"], d["commune_teams"], d["hamlet_teams"], d["commune_team_members"], d["hamlet_team_members"],
        d["hamlets_without_team"]] for d in report["districts"]]
baseline = [[int(r[1])] + [int(v) for v in r[3:]] for r in csv.reader(open(sys.argv[2], encoding="utf-8"), delimiter="\t")]
assert api == baseline, f"the API's table differs from the baseline's:\n{api}\n{baseline}"
members = sum(d[3] + d[4] for d in api)
print(f"establishment table: {len(api)} districts, {members} members in active teams; the API and the baseline agree")
PY

run_wrk() { bench_wrk 2 "$1" "$token" /v1/reports/establishment "$work/wrk.out"; }
run_pgbench() { bench_pgbench 2 "$1" "$work/baseline.sql" "$work/pgbench.out"; }
run_wrk 2 >/dev/null
run_pgbench 2 >/dev/null
echo "round  API reports/s  psql reports/s  ratio"
for round in $(seq 1 "$rounds"); do
    if ((round % 2)); then
        served=$(run_wrk "$duration"); base=$(run_pgbench "$duration")
    else
        base=$(run_pgbench "$duration"); served=$(run_wrk "$duration")
    fi
    printf "%5d  %13s  %14s  %5s\n" "$round" "$served" "$base" "$(bench_ratio "$served" "$base")"
    bench_result "establishment report, province admin (RLS) vs BYPASSRLS SELECT" "$served" "$base" "reports/s : tx/s"
done
