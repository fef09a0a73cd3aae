#!/usr/bin/env bash
# Interoperability: the feedback module with independent clients from PyPI — georeport reading Open311 GeoReport v2
# in JSON and XML, and standardwebhooks (the specification's library) verifying every webhook the server sends —
# against a live cds-server; the partner app registered with `cds-admin partners add` (its key on stdout, its
# webhook secret on stderr). ops/interop/feedback_client.py says what it checks.
#
# Usage: ops/interop/feedback.sh   (expects the debug build: swift build). Loopback only; the server is stopped.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=$(swift build --show-bin-path)

# georeport brings requests, which the client also uses for the POST and the staff calls.
python3 -m pip install -q "georeport==0.3.1" "standardwebhooks==1.1.0" >/dev/null

work=$(mktemp -d /tmp/cds-feedback-XXXXXX)
chmod 711 "$work"
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
http=$(free_port)
hook=$(free_port)
# The partner's webhook receiver is on loopback: allowed for this development run only.
export CDS_DATA_DIR="$work/data" CDS_HTTP_ADDR="127.0.0.1:$http" CDS_GRPC_ADDR=127.0.0.1:0 CDS_METRICS_ADDR=127.0.0.1:0 CDS_WEBHOOK_ALLOW_LOOPBACK=true

"$bin/cds-server" > "$work/server.log" 2>&1 &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do
    python3 -c "import urllib.request, sys; urllib.request.urlopen(sys.argv[1], timeout=2)" "http://127.0.0.1:$http/readyz" 2>/dev/null && break
    kill -0 $server 2>/dev/null || { cat "$work/server.log"; exit 1; }
    sleep 0.5
done
token=$("$bin/cds-admin" bootstrap --name interop 2>/dev/null)
export CDS_SERVER="http://127.0.0.1:$http" CDS_TOKEN="$token"
key=$("$bin/cds-admin" partners add --name interop-app --districts all --webhook-url "http://127.0.0.1:$hook/hook" 2>"$work/add.err")
secret=$(grep -o 'whsec_[A-Za-z0-9+/=]*' "$work/add.err")
python3 ops/interop/feedback_client.py "http://127.0.0.1:$http" "$key" "$secret" "$hook" "$token" || { tail -20 "$work/server.log"; exit 1; }
