#!/usr/bin/env bash
# Interoperability: schemathesis (an independent client, from PyPI) against the OpenAPI document that a live
# cds-server serves, with a bootstrapped province-admin token: every default check, including "no 5xx",
# "undeclared methods answer 405" and "schema-invalid requests are rejected".
#
# Usage: ops/interop/schemathesis.sh   (expects the debug build: swift build)
# Bounded: at most 100 examples per operation, on loopback, and the server is stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=$(swift build --show-bin-path)

# Pinned, and run with a fixed seed in deterministic mode, so that CI replays exactly what was checked.
python3 -m pip install -q "schemathesis==4.32.5" >/dev/null

work=$(mktemp -d /tmp/cds-schemathesis-XXXXXX)
chmod 711 "$work"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
# No rate limits: schemathesis sends thousands of requests with one token from one address, some with no token or a
# wrong one on purpose, and a 429 would hide what it checks.
# The roster sync listener is not under test here: any free port.
export CDS_DATA_DIR="$work/data" CDS_HTTP_ADDR="127.0.0.1:$port" CDS_GRPC_ADDR=127.0.0.1:0 CDS_METRICS_ADDR=127.0.0.1:0 CDS_RATE_LIMIT=0 \
    CDS_PUBLIC_RATE_LIMIT=0

"$bin/cds-server" > "$work/server.log" 2>&1 &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do
    python3 -c "import urllib.request, sys; urllib.request.urlopen(sys.argv[1], timeout=2)" "http://127.0.0.1:$port/readyz" 2>/dev/null && break
    kill -0 $server 2>/dev/null || { cat "$work/server.log"; exit 1; }
    sleep 0.5
done
# Real data behind the list routes: the province's 2,990 teams and 15,301 members.
"$bin/cds-admin" demo seed sonla-2023 >/dev/null
token=$("$bin/cds-admin" bootstrap --name schemathesis 2>/dev/null)

config=$PWD/ops/interop/schemathesis.toml
# From the scratch directory, so that schemathesis's cache stays out of the repository.
cd "$work"
python3 -m schemathesis.cli --config-file "$config" run "http://127.0.0.1:$port/openapi.json" \
    --header "Authorization: Bearer $token" --checks all --max-examples 100 \
    --seed 20261129 --generation-deterministic --request-timeout 10
