"""Fault tests of cds-server, run by ops/fault/run (and .ci/run): a real PostgreSQL cluster of its own, set up by
ops/postgres/setup-database.sh, a real cds-server on loopback, real clients. Each scenario is bounded in count and
time and prints what it measured; any broken promise fails the run.

  hostile   random bytes and truncated frames on the gRPC port (before and after TLS), oversized and malformed HTTP
            bodies, invalid UTF-8, 10,000 random Open311 requests: no crash, no 5xx, no write
  sigterm   SIGTERM while partner apps submit steadily: every 2xx is in the database, the process exits within 30 s
  pgdown    PostgreSQL stopped for 10 s under load: 503 / UNAVAILABLE meanwhile, recovery by itself, nothing
            acknowledged lost
  webhooks  the partner's receiver down for a while: every status change delivered after it returns
  roster    a roster push killed 50 times at random points (client killed, server SIGKILLed, connection reset):
            no partially applied batch, and re-sending completes each one; then a push whose client falls silent
            (its network frozen): given up after the silence timeout, nothing applied, the district free again

Usage: faults.py BIN_DIR WORK_DIR GENERATED_DIR [SCENARIO ...]
"""
import http.client
import http.server
import json
import os
import random
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid

import grpc

import roster_push

BIN, WORK, GENERATED = sys.argv[1:4]
SCENARIOS = sys.argv[4:] or ["hostile", "sigterm", "pgdown", "webhooks", "roster"]
REPOSITORY = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
random.seed(20261129)


def fail(message):
    print(f"FAILED: {message}", flush=True)
    raise SystemExit(1)


def check(condition, message):
    if not condition:
        fail(message)
    print(f"ok: {message}", flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_postgres(arguments):
    """Runs a PostgreSQL server program as the postgres account when this is root (PostgreSQL refuses root)."""
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run(prefix + arguments, check=True, capture_output=True, text=True)


class Postgres:
    """A cluster of this run's own: the socket for the superuser (trust, local only), TCP with passwords for the roles."""

    def __init__(self):
        self.bin = "/usr/lib/postgresql/15/bin"
        self.directory = os.path.join(WORK, "pg")
        self.port = free_port()
        os.makedirs(self.directory, mode=0o700)
        if os.geteuid() == 0:
            subprocess.run(["chown", "postgres:postgres", self.directory], check=True)
        as_postgres([f"{self.bin}/initdb", "-D", self.directory, "-U", "postgres", "--auth-local=trust",
                     "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8"])
        self.start()

    def start(self):
        options = f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.directory}"
        as_postgres([f"{self.bin}/pg_ctl", "-D", self.directory, "-l", f"{self.directory}/log", "-o", options, "-w", "start"])

    def stop(self):
        as_postgres([f"{self.bin}/pg_ctl", "-D", self.directory, "-m", "fast", "-w", "stop"])

    @property
    def superuser_url(self):
        return f"postgresql:///postgres?host={self.directory}&port={self.port}&user=postgres"

    def query(self, sql, database="cds"):
        """One value a row, as text, run as the superuser (past row-level security)."""
        url = f"postgresql:///{database}?host={self.directory}&port={self.port}&user=postgres"
        out = subprocess.run(["psql", url, "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True, capture_output=True, text=True)
        return out.stdout.split("\n")[:-1]

    def counts(self):
        """Rows of the tables a client could write to, for "nothing was written" checks."""
        tables = ["feedback_reports", "feedback_updates", "partner_idempotency_keys", "members", "teams", "hamlets",
                  "sync_pushes", "audit_log", "units", "principals", "credentials", "grants", "partner_apps"]
        return dict(zip(tables, self.query(" UNION ALL ".join(f"SELECT count(*) FROM cds.{t}" for t in tables))))


class Server:
    """cds-server on loopback against the cluster, restarted as a scenario needs."""

    def __init__(self, environment):
        self.environment = environment
        self.http = int(environment["CDS_HTTP_ADDR"].rsplit(":", 1)[1])
        self.grpc = int(environment["CDS_GRPC_ADDR"].rsplit(":", 1)[1])
        self.process = None
        self.log = open(os.path.join(WORK, "server.log"), "ab")

    def start(self):
        self.process = subprocess.Popen([f"{BIN}/cds-server"], env=self.environment, stdout=self.log, stderr=self.log)
        deadline = time.time() + 120
        while time.time() < deadline:
            if self.process.poll() is not None:
                fail(f"cds-server exited with {self.process.returncode} at start; see {WORK}/server.log")
            if http_status("GET", self.http, "/readyz") == 200:
                return
            time.sleep(0.2)
        fail("cds-server did not become ready within 120 s")

    def alive(self):
        return self.process.poll() is None

    def terminate(self, sig=signal.SIGTERM, timeout=40):
        """Sends `sig`; the seconds until the process exited, and its status."""
        started = time.time()
        self.process.send_signal(sig)
        try:
            status = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            fail(f"cds-server did not exit within {timeout} s of signal {sig}")
        return time.time() - started, status


def http_request(method, port, path, body=None, headers=None, timeout=15):
    """(status, body bytes); status 0 when the connection failed before an answer."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    except (OSError, http.client.HTTPException):
        return 0, b""
    finally:
        connection.close()


def http_status(method, port, path, **arguments):
    return http_request(method, port, path, **arguments)[0]


class Partner:
    """The partner app's native API: one report a call, each with a new Idempotency-Key."""

    def __init__(self, server, key):
        self.server, self.key = server, key

    def submit(self, description="Bà tôi cần cài VNeID."):
        body = json.dumps({
            "service_code": "ho-tro-cong-nghe-so", "address_id": "3646", "description": description,
            "attributes": {"support_type": "vneid"}, "contact": {"name": "Quàng Văn Minh", "phone": "0987654321"},
        }).encode()
        headers = {"X-API-Key": self.key, "Idempotency-Key": str(uuid.uuid4()), "Content-Type": "application/json"}
        status, answer = http_request("POST", self.server.http, "/v1/partner/reports", body=body, headers=headers, timeout=30)
        code = json.loads(answer)["tracking_code"] if status == 201 else None
        return status, code


class SteadyLoad:
    """Threads submitting reports until stopped; every acknowledged (2xx) tracking code and every status seen."""

    def __init__(self, partner, threads=6):
        self.partner, self.stopped = partner, threading.Event()
        self.acknowledged, self.statuses, self.lock = [], {}, threading.Lock()
        self.threads = [threading.Thread(target=self.run, daemon=True) for _ in range(threads)]

    def run(self):
        while not self.stopped.is_set():
            status, code = self.partner.submit()
            with self.lock:
                self.statuses[status] = self.statuses.get(status, 0) + 1
                if 200 <= status < 300:
                    self.acknowledged.append(code)
            if status == 0:
                time.sleep(0.05)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exception):
        self.stopped.set()
        for thread in self.threads:
            thread.join(timeout=60)


def missing_reports(pg, codes):
    """The acknowledged tracking codes that the database does not hold."""
    if not codes:
        return []
    held = set(pg.query("SELECT tracking_code FROM cds.feedback_reports"))
    return [code for code in codes if code not in held]


# ---------------------------------------------------------------------------------------------------------------
# hostile: nothing a client sends crashes the server, answers 5xx or writes.

def h2_frame(kind, flags, stream, payload, claimed_length=None):
    length = len(payload) if claimed_length is None else claimed_length
    return length.to_bytes(3, "big") + bytes([kind, flags]) + stream.to_bytes(4, "big") + payload


def hostile_grpc(server, tls_dir):
    plain = 0
    for i in range(200):
        with socket.create_connection(("127.0.0.1", server.grpc), timeout=5) as s:
            kind = i % 4
            if kind == 0:
                s.sendall(os.urandom(random.randint(1, 4096)))
            elif kind == 1:  # a TLS ClientHello cut short
                s.sendall(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + os.urandom(random.randint(0, 200)))
            elif kind == 2:  # HTTP/2 in the clear on a TLS port
                s.sendall(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + os.urandom(64))
            if kind != 3:  # the fourth kind connects and closes at once
                s.settimeout(0.5)
                try:
                    s.recv(1024)
                except OSError:
                    pass
            plain += 1
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.load_verify_locations(f"{tls_dir}/ca.pem")
    context.load_cert_chain(f"{tls_dir}/client.pem", f"{tls_dir}/client-key.pem")
    context.set_alpn_protocols(["h2"])
    preface = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + h2_frame(4, 0, 0, b"")
    payloads = [
        lambda: preface + os.urandom(random.randint(1, 2048)),                               # garbage after the preface
        lambda: preface + h2_frame(0, 0, 1, os.urandom(10), claimed_length=16 * 1024 * 1024 - 1)[:20],  # a frame cut short
        lambda: preface + h2_frame(1, 4, 1, os.urandom(random.randint(1, 300))),             # HEADERS of random HPACK
        lambda: preface + h2_frame(1, 4, 1, bytes.fromhex("8386") + b"\x44\x28/cds.roster.v1.RosterSync/PushRoster")
        + h2_frame(0, 0, 1, b"\x00\x00\x10\x00\x00" + os.urandom(40)),                        # a gRPC message cut short
        lambda: os.urandom(random.randint(1, 512)),                                          # no preface at all
    ]
    framed = 0
    for i in range(150):
        with socket.create_connection(("127.0.0.1", server.grpc), timeout=5) as raw:
            try:
                with context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
                    tls.sendall(payloads[i % len(payloads)]())
                    tls.settimeout(0.5)
                    try:
                        tls.recv(4096)
                    except OSError:
                        pass
                    framed += 1
            except (ssl.SSLError, OSError):
                pass
    check(server.alive(), f"the gRPC port took {plain} connections of raw bytes and {framed} mTLS connections of bad frames; the server runs")
    with roster_push.channel(f"127.0.0.1:{server.grpc}", tls_dir) as ch:
        from grpc.health.v1 import health_pb2, health_pb2_grpc
        answer = health_pb2_grpc.HealthStub(ch).Check(health_pb2.HealthCheckRequest(service="cds.roster.v1.RosterSync"), timeout=30)
        check(answer.status == health_pb2.HealthCheckResponse.SERVING, "and still serves the roster sync")


RANDOM_TEXT = ["", " ", "0", "-1", "99999999999999999999", "1e309", "NaN", "null", "true", "[]", "{}", "Lò Văn Ươn",
               "Đường bị sạt lở ở bản Nà Cang", "\u0000\u0001\u001f", "😀" * 50, "x" * 5000, "'; DROP TABLE x; --",
               "<script>alert(1)</script>", "../../etc/passwd", "2026-13-45T99:99:99Z", "21.3256", "103.9188", "3646", "03646",
               "3646-001", "giao-thong", "ho-tro-cong-nghe-so", "PAKN-2026-000001", "%", "%FF%FE", "\ud800".encode("utf-8", "surrogatepass").decode("latin-1")]
FIELDS = ["api_key", "jurisdiction_id", "service_code", "address_id", "lat", "long", "description", "email", "phone", "first_name",
          "last_name", "attribute[blocked]", "attribute[support_type]", "start_date", "end_date", "status", "page", "page_size",
          "service_request_id", "media_url", "device_id", "account_id", "address_string"]


def random_value():
    if random.random() < 0.3:
        return "".join(chr(random.randint(1, 0x2FFF)) for _ in range(random.randint(0, 40)))
    return random.choice(RANDOM_TEXT)


def random_open311(key):
    """A random GeoReport request that cannot file a report: with the real key, its service code is never a real one."""
    resource = random.choices(
        ["requests", "services", "requests/" + random_value(), "services/" + random_value(), "tokens/" + uuid.uuid4().hex,
         "discovery", "servicerequestupdates", random_value()],
        weights=[60, 8, 8, 6, 4, 4, 4, 6],
    )[0]
    suffix = random.choices([".json", ".xml", "", ".html"], weights=[60, 30, 5, 5])[0]
    path = "/open311/v2/" + urllib.parse.quote(resource, safe="/%") + suffix
    fields = {name: random_value() for name in random.sample(FIELDS, random.randint(0, len(FIELDS)))}
    if random.random() < 0.5:
        fields["api_key"] = key
        fields["service_code"] = "khong-co-" + uuid.uuid4().hex[:8]
    encoded = urllib.parse.urlencode(fields)
    if random.random() < 0.1:
        encoded += "&%ZZ=%" + random.choice(["", "G", "FF"])
    if resource in ("requests", "servicerequestupdates") and random.random() < 0.8:
        return "POST", path, encoded.encode("utf-8", "surrogatepass"), {"Content-Type": "application/x-www-form-urlencoded"}
    return "GET", path + "?" + encoded, None, {}


def hostile_http(server, key, token):
    staff = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    partner = {"X-API-Key": key, "Idempotency-Key": "hostile-1", "Content-Type": "application/json"}
    cases = [
        ("POST", "/v1/partner/reports", b"{" + b" " * (3 * 1024 * 1024) + b"}", partner, {413}),
        ("POST", "/v1/teams", b'{"name": "' + b"x" * (3 * 1024 * 1024) + b'"}', staff, {413}),
        ("POST", "/open311/v2/requests.json", b"description=" + b"x" * (3 * 1024 * 1024), {"Content-Type": "application/x-www-form-urlencoded"}, {413, 400}),
        ("POST", "/v1/partner/reports", b'{"service_code": "ho-tro-cong-nghe-so", "address_id": ', partner, {400}),
        ("POST", "/v1/partner/reports", b'{"service_code": "ho-tro-cong-nghe-so", "address_id": "3646", "description": "\xff\xfe\xc3("}', partner, {400}),
        ("POST", "/v1/teams", b'{"name": "T\xc3\x28\xa0\xa1", "level": "commune", "commune_code": 3646}', staff, {400, 422}),
        ("POST", "/v1/partner/reports", b'[1, 2, 3]', partner, {400}),
        ("POST", "/v1/units", b'{"code": "\xed\xa0\x80"}', staff, {400, 422}),
        ("POST", "/open311/v2/requests.json", b"api_key=" + key.encode() + b"&service_code=giao-thong&address_id=3646&description=%FF%FE%C3%28",
         {"Content-Type": "application/x-www-form-urlencoded"}, {400}),
        ("PATCH", "/v1/members/" + str(uuid.uuid4()), b"\x00" * 100, dict(staff, **{"If-Match": '"1"'}), {400, 404, 415}),
        ("POST", "/v1/partner/reports", json.dumps({"service_code": "ho-tro-cong-nghe-so", "address_id": "3646", "description": "x",
                                                     "tenant_id": 120, "status": "resolved"}).encode(), partner, {400, 422}),
    ]
    for method, path, body, headers, expected in cases:
        status = http_status(method, server.http, path, body=body, headers=headers)
        check(status in expected, f"{method} {path} with {len(body):,} bad bytes answers {status}")
    statuses = {}
    connection = None
    for _ in range(10_000):
        method, path, body, headers = random_open311(key)
        for attempt in range(2):
            try:
                connection = connection or http.client.HTTPConnection("127.0.0.1", server.http, timeout=15)
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                statuses[response.status] = statuses.get(response.status, 0) + 1
                if response.status >= 500:
                    fail(f"{method} {path[:200]} answered {response.status}")
                if response.getheader("connection", "").lower() == "close":
                    connection.close()
                    connection = None
                break
            except (OSError, http.client.HTTPException):
                connection = None
                if attempt == 1:
                    fail(f"{method} {path[:200]}: the connection failed twice")
    check(server.alive(), f"10,000 random Open311 requests, no 5xx: {dict(sorted(statuses.items()))}")


def scenario_hostile(pg, server, context):
    before = pg.counts()
    hostile_grpc(server, context["tls"])
    hostile_http(server, context["key"], context["token"])
    after = pg.counts()
    changed = {table: (before[table], after[table]) for table in before if before[table] != after[table]}
    check(not changed, f"nothing written: {len(before)} tables' rows unchanged {changed or ''}")


# ---------------------------------------------------------------------------------------------------------------
# sigterm: a graceful stop under steady submissions loses nothing acknowledged.

def scenario_sigterm(pg, server, context):
    with SteadyLoad(context["partner"], threads=6) as load:
        time.sleep(3)
        signalled = len(load.acknowledged)
        seconds, status = server.terminate(signal.SIGTERM)
        answered_after = len(load.acknowledged) - signalled
        time.sleep(1)
    server.start()
    missing = missing_reports(pg, load.acknowledged)
    print(f"  {len(load.acknowledged)} acknowledged, {answered_after} of them after SIGTERM; statuses {load.statuses}", flush=True)
    check(len(load.acknowledged) >= 20, "the partners were submitting steadily")
    check(not missing, f"every acknowledged report is in the database ({len(load.acknowledged)}; missing {missing[:5]})")
    check(all(s in (0, 201, 503) for s in load.statuses), f"answers were 201, or 503 while stopping (or no connection): {load.statuses}")
    check(status == 0, f"cds-server exited with status {status}")
    check(seconds < 30, f"and within 30 s of SIGTERM ({seconds:.1f} s)")


# ---------------------------------------------------------------------------------------------------------------
# pgdown: PostgreSQL away for 10 s under load.

class Watch:
    """A thread calling `call` in a loop until stopped, counting its outcomes by time: before, during, after."""

    def __init__(self, call):
        self.call, self.stopped, self.outcomes = call, threading.Event(), []
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        while not self.stopped.is_set():
            outcome = self.call()
            self.outcomes.append((time.time(), outcome))  # when it completed
            time.sleep(0.05)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exception):
        self.stopped.set()
        self.thread.join(timeout=60)

    def between(self, start, end):
        return {outcome for at, outcome in self.outcomes if start <= at < end}


def scenario_pgdown(pg, server, context):
    staff = {"Authorization": f"Bearer {context['token']}"}
    tls = context["tls"]
    pull_channel = roster_push.channel(f"127.0.0.1:{server.grpc}", tls)
    pb, rpc = roster_push.stubs(GENERATED)
    pulls = rpc.RosterSyncStub(pull_channel)

    def pull():
        try:
            for _ in pulls.PullRoster(pb.PullRosterRequest(district_code="116", page_size=50), timeout=20):
                pass
            return "OK"
        except grpc.RpcError as error:
            return error.code().name

    with SteadyLoad(context["partner"], threads=4) as load, \
            Watch(lambda: http_status("GET", server.http, "/v1/members?limit=5", headers=staff)) as reads, \
            Watch(lambda: http_status("GET", server.http, "/readyz")) as ready, Watch(pull) as grpc_calls:
        time.sleep(2)
        pg.stop()
        down = time.time()
        time.sleep(5)
        probe = subprocess.run(["psql", pg.superuser_url, "-XAtqc", "SELECT 1"], capture_output=True, text=True)
        check(probe.returncode != 0, f"PostgreSQL is down ({probe.stderr.strip()[:80]})")
        time.sleep(5)
        restarting = time.time()
        pg.start()
        up = time.time()
        recovered = None
        while time.time() < up + 30 and recovered is None:
            if http_status("GET", server.http, "/readyz") == 200 and context["partner"].submit()[0] == 201:
                recovered = time.time() - up
            time.sleep(0.2)
        time.sleep(2)
    pull_channel.close()
    # What completed while the database was away (a request that waited for a connection through the restart may
    # complete with 200 just after it): nothing but 503 / UNAVAILABLE.
    outage = (down + 0.5, restarting)
    for name, watch in (("reads", reads), ("readiness", ready), ("pulls", grpc_calls)):
        timeline = [(round(at - down, 1), outcome) for at, outcome in watch.outcomes]
        changes = [point for i, point in enumerate(timeline) if i == 0 or point[1] != timeline[i - 1][1]]
        print(f"  {name} (seconds after the stop, outcome): {changes}", flush=True)
    print(f"  submissions {load.statuses}; reads during the outage {reads.between(*outage)}; readiness {ready.between(*outage)}; "
          f"gRPC pulls {grpc_calls.between(*outage)}", flush=True)
    check(server.alive(), "cds-server ran through the outage")
    check(reads.between(*outage) == {503} and ready.between(*outage) == {503}, "the admin API and /readyz answered 503 while the database was down")
    check(grpc_calls.between(*outage) == {"UNAVAILABLE"}, "gRPC calls ended UNAVAILABLE while the database was down")
    check(set(load.statuses) <= {201, 503}, f"submissions were answered 201 or 503, never another error: {load.statuses}")
    check(all(o in (200, 503) for _, o in reads.outcomes) and all(o in ("OK", "UNAVAILABLE") for _, o in grpc_calls.outcomes),
          "nothing else, before, during or after")
    check(recovered is not None, f"it recovered by itself, {recovered:.1f} s after the database came back" if recovered is not None else "it recovered")
    missing = missing_reports(pg, load.acknowledged)
    check(not missing, f"every acknowledged report is in the database ({len(load.acknowledged)}; missing {missing[:5]})")


# ---------------------------------------------------------------------------------------------------------------
# webhooks: the partner's receiver down, then back.

class Receiver(http.server.BaseHTTPRequestHandler):
    received = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        Receiver.received.append((self.headers["webhook-id"], json.loads(body)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *arguments):
        pass


def scenario_webhooks(pg, server, context):
    staff = {"Authorization": f"Bearer {context['token']}", "Content-Type": "application/json"}
    codes = []
    for _ in range(5):
        status, code = context["partner"].submit()
        check(status == 201, f"report {code} filed")
        codes.append(code)
    for code in codes:
        status = http_status("POST", server.http, f"/v1/feedback/reports/{code}/transitions", body=b'{"status": "accepted"}', headers=staff)
        check(status == 200, f"staff accepted {code} while the partner's receiver is down")
    time.sleep(8)
    attempted = pg.query(f"SELECT count(*) FROM cds.webhook_deliveries WHERE attempts > 0 AND delivered_at IS NULL "
                         f"AND payload->'data'->>'tracking_code' IN ({','.join(repr(c) for c in codes)})")[0]
    check(int(attempted) == 5, f"the 5 status changes were attempted and failed ({attempted})")
    receiver = http.server.ThreadingHTTPServer(("127.0.0.1", context["hook"]), Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    started = time.time()

    def delivered():
        return {p["data"]["tracking_code"] for _, p in Receiver.received if p["type"] == "report.status_changed" and p["data"]["status"] == "accepted"}

    while time.time() < started + 120 and not set(codes) <= delivered():
        time.sleep(0.5)
    receiver.shutdown()
    check(set(codes) <= delivered(), f"every status change arrived after the receiver came back, within {time.time() - started:.0f} s")


# ---------------------------------------------------------------------------------------------------------------
# roster: pushes killed mid-way, and one whose client falls silent.

class ResettingProxy:
    """A TCP proxy in front of the gRPC port whose connections can be reset (RST) at once, both ways, or frozen (no
    byte passes, nothing closes)."""

    def __init__(self, target):
        self.target, self.generation, self.frozen = target, 0, False
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            client, _ = self.listener.accept()
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target()))
            except OSError:
                client.close()
                continue
            generation = self.generation
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self.pipe, args=(a, b, generation), daemon=True).start()

    def pipe(self, source, sink, generation):
        """Copies bytes until either side closes, or until a reset: then both sockets go with an RST (linger 0)."""
        source.settimeout(0.05)
        try:
            while self.generation == generation:
                if self.frozen:  # a network that drops everything: no data, no FIN, no RST
                    time.sleep(0.05)
                    continue
                try:
                    data = source.recv(65536)
                except socket.timeout:
                    continue
                if not data:
                    break
                sink.sendall(data)
        except OSError:
            pass
        for s in (source, sink):
            try:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, (1).to_bytes(4, "little") + (0).to_bytes(4, "little"))
                s.close()
            except OSError:
                pass

    def reset_all(self):
        self.generation += 1


def batch_state(pg, batch):
    """(members carrying the batch's marker, whether the batch is recorded as applied)."""
    marked, recorded = pg.query(
        f"SELECT count(*) FROM cds.members WHERE source_system = 'fault' AND full_name LIKE '% {roster_push.marker(batch)}' "
        f"UNION ALL SELECT count(*) FROM cds.sync_pushes WHERE batch_id = 'fault-{batch}'"
    )
    return int(marked), int(recorded) == 1


def settle(pg, what, timeout=30):
    """Waits until no transaction of the server is still applying a push: a killed stream's is rolled back."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if pg.query("SELECT count(*) FROM pg_stat_activity WHERE usename = 'cds_app' AND state <> 'idle'")[0] == "0":
            return
        time.sleep(0.1)
    sessions = pg.query("SELECT state || ' for ' || (now() - state_change)::text || ': ' || left(query, 80) "
                        "FROM pg_stat_activity WHERE usename = 'cds_app' AND state <> 'idle'")
    fail(f"{what}: the server still holds a transaction {timeout} s later: {sessions}")


def scenario_roster(pg, server, context):
    tls = context["tls"]
    proxy = ResettingProxy(lambda: server.grpc)
    direct = f"127.0.0.1:{server.grpc}"
    outcomes = {"client": [0, 0], "server": [0, 0], "reset": [0, 0]}
    first = roster_push.push(direct, tls, GENERATED, 0)
    check(first.applied and first.members.inserted == roster_push.MEMBERS,
          f"a first push of {roster_push.MEMBERS:,} members applied ({first.members.inserted} inserted, {first.error_count} errors {list(first.errors)[:2]})")
    for batch in range(1, 51):
        mode = ("client", "server", "reset")[batch % 3]
        address = f"127.0.0.1:{proxy.port}" if mode == "reset" else direct
        client = subprocess.Popen([sys.executable, roster_push.__file__, address, tls, GENERATED, str(batch), "0.05"],
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        delay = random.uniform(0.05, 0.6)
        time.sleep(delay)
        if mode == "client":
            client.kill()
        elif mode == "server":
            server.process.kill()
            server.process.wait()
        else:
            proxy.reset_all()
        client.wait(timeout=120)
        if mode == "server":
            server.start()
        settle(pg, f"batch {batch} ({mode} killed after {delay:.2f} s)")
        marked, recorded = batch_state(pg, batch)
        if marked not in (0, roster_push.MEMBERS) or recorded != (marked == roster_push.MEMBERS):
            fail(f"batch {batch} ({mode} killed) is partially applied: {marked} of {roster_push.MEMBERS} members, recorded {recorded}")
        outcomes[mode][1 if recorded else 0] += 1
        again = roster_push.push(direct, tls, GENERATED, batch)
        marked, recorded = batch_state(pg, batch)
        if not (again.applied and marked == roster_push.MEMBERS and recorded):
            fail(f"batch {batch} sent again after the {mode} was killed: applied {again.applied}, {marked} members marked")
    summary = ", ".join(f"{mode}: {done[0]} rolled back / {done[1]} had committed" for mode, done in outcomes.items())
    check(True, f"50 pushes killed ({summary}): no batch partially applied, each completed when sent again")

    # A client whose network falls silent mid-push (no data, no FIN, no RST): the server gives the push up after
    # CDS_GRPC_PUSH_SILENCE_TIMEOUT (5 s here), rolls it back, and the district is free for the next push.
    silent = subprocess.Popen([sys.executable, roster_push.__file__, f"127.0.0.1:{proxy.port}", tls, GENERATED, "51", "0.2"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.8)
    proxy.frozen = True
    frozen_at = time.time()
    after = roster_push.push(direct, tls, GENERATED, 52, timeout=90)
    waited = time.time() - frozen_at
    silent.kill()
    proxy.reset_all()
    check(after.applied and waited < 30, f"a push to the same district went through {waited:.1f} s after another's client fell silent mid-push")
    marked, recorded = batch_state(pg, 51)
    check(marked == 0 and not recorded, f"nothing of the silent push was applied ({marked} members, recorded {recorded})")


# ---------------------------------------------------------------------------------------------------------------

def main():
    pg = Postgres()
    setup = subprocess.run([f"{REPOSITORY}/ops/postgres/setup-database.sh", "cds"], capture_output=True, text=True,
                           env=dict(os.environ, CDS_SUPERUSER_URL=pg.superuser_url, CDS_DATABASE_HOST=f"127.0.0.1:{pg.port}"))
    if setup.returncode != 0:
        fail(f"setup-database.sh: {setup.stderr}")
    urls = dict(line.split("=", 1) for line in setup.stdout.split())
    hook = free_port()
    # No rate limits: the hostile scenario's 10,000 random requests from one address are to reach the parsers, not 429.
    environment = dict(
        os.environ, CDS_DATABASE_URL=urls["CDS_DATABASE_URL"] + "?sslmode=disable", CDS_DATA_DIR=os.path.join(WORK, "data"),
        CDS_HTTP_ADDR=f"127.0.0.1:{free_port()}", CDS_GRPC_ADDR=f"127.0.0.1:{free_port()}", CDS_METRICS_ADDR="127.0.0.1:0", CDS_WEBHOOK_ALLOW_LOOPBACK="true", CDS_GRPC_PUSH_SILENCE_TIMEOUT="5",
        CDS_RATE_LIMIT="0", CDS_PUBLIC_RATE_LIMIT="0", CDS_LOG_LEVEL=os.environ.get("FAULT_LOG_LEVEL", "notice"),
    )
    # As in production: the owner migrates as its own step, and the serving process holds the application role alone.
    operator = dict(environment, CDS_DATABASE_OWNER_URL=urls["CDS_DATABASE_OWNER_URL"] + "?sslmode=disable")
    subprocess.run([f"{BIN}/cds-server", "migrate"], env=operator, capture_output=True, text=True, check=True)
    server = Server(environment)
    server.start()
    admin = dict(operator, CDS_SERVER=f"http://127.0.0.1:{server.http}")
    token = subprocess.run([f"{BIN}/cds-admin", "bootstrap", "--name", "faults"], env=admin, capture_output=True, text=True, check=True).stdout.strip()
    admin["CDS_TOKEN"] = token
    key = subprocess.run([f"{BIN}/cds-admin", "partners", "add", "--name", "fault-app", "--districts", "all", "--rate", "100000",
                          "--webhook-url", f"http://127.0.0.1:{hook}/hook"], env=admin, capture_output=True, text=True, check=True).stdout.strip()
    context = {"token": token, "key": key, "hook": hook, "partner": Partner(server, key), "tls": os.path.join(WORK, "data", "tls")}
    try:
        for name in SCENARIOS:
            started = time.time()
            print(f"== {name}", flush=True)
            globals()[f"scenario_{name}"](pg, server, context)
            print(f"   ({time.time() - started:.0f} s)", flush=True)
    finally:
        if server.alive():
            server.terminate()
        pg.stop()
    print(f"fault tests: {', '.join(SCENARIOS)} passed")


if __name__ == "__main__":
    main()
