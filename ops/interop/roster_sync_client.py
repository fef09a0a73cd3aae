"""An independent client of the roster sync protocol: Python's grpcio (gRPC's C core) and stubs that grpcio-tools
generates from the committed proto/ files, over mutual TLS with the development client pair.

It pushes a FULL roster of district 116 in two chunks, replays it, pushes a DELTA with a tombstone, pulls the
district from 0 and from a watermark, and checks every answer. Exit status 0 when all held.

Usage: roster_sync_client.py ADDRESS TLS_DIR GENERATED_DIR
"""
import sys

import grpc

address, tls_dir, generated = sys.argv[1:4]
sys.path.insert(0, generated)
from cds.roster.v1 import roster_sync_pb2 as pb  # noqa: E402
from cds.roster.v1 import roster_sync_pb2_grpc as rpc  # noqa: E402
from grpc.health.v1 import health_pb2, health_pb2_grpc  # noqa: E402


def read(name):
    with open(f"{tls_dir}/{name}", "rb") as f:
        return f.read()


def check(condition, what):
    if not condition:
        raise SystemExit(f"FAILED: {what}")
    print(f"ok: {what}")


credentials = grpc.ssl_channel_credentials(
    root_certificates=read("ca.pem"), private_key=read("client-key.pem"), certificate_chain=read("client.pem")
)
channel = grpc.secure_channel(address, credentials)
stub = rpc.RosterSyncStub(channel)

health = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(service="cds.roster.v1.RosterSync"), timeout=30)
check(health.status == health_pb2.HealthCheckResponse.SERVING, "grpc.health.v1 says the roster sync is serving")

header = pb.PushHeader(
    district_code="116", mode=pb.MODE_FULL, batch_id="python-full-1", source_system="py-hrm", on_invalid=pb.REJECT_BATCH
)
first = pb.RecordChunk(
    hamlets=[pb.HamletRecord(external_id=f"ph{h}", commune_code="3646", name=f"Bản Python {h}", kind="ban") for h in (1, 2)],
    teams=[
        pb.TeamRecord(external_id=f"pt{h}", level="hamlet", commune_code="3646", hamlet_external_id=f"ph{h}",
                      name=f"Tổ công nghệ số bản Python {h}", established_on="2024-01-15")
        for h in (1, 2)
    ],
)
second = pb.RecordChunk(
    members=[
        pb.MemberRecord(external_id=f"pm{h}-{m}", team_external_id=f"pt{h}", full_name=f"Lò Văn {name}",
                        role="leader" if m == 1 else "member", phone=f"0912{h}{m:05d}", has_smartphone=True, birth_year=1990)
        for h in (1, 2) for m, name in ((1, "An"), (2, "Bình"), (3, "Cường"))
    ]
)


def stream(*messages):
    yield pb.PushRosterRequest(header=messages[0])
    for chunk in messages[1:]:
        yield pb.PushRosterRequest(chunk=chunk)


pushed = stub.PushRoster(stream(header, first, second), timeout=60)
check(pushed.applied, "the FULL push is applied")
check((pushed.hamlets.inserted, pushed.teams.inserted, pushed.members.inserted) == (2, 2, 6), "2 hamlets, 2 teams, 6 members inserted")
replayed = stub.PushRoster(stream(header, first, second), timeout=60)
check(replayed == pushed, "the same batch again returns the stored answer")
stored = stub.GetPush(pb.GetPushRequest(batch_id="python-full-1"), timeout=30)
check(stored == pushed, "GetPush returns it too")

delta = pb.PushHeader(district_code="116", mode=pb.MODE_DELTA, batch_id="python-delta-1", source_system="py-hrm")
tombstones = pb.RecordChunk(tombstones=[pb.Tombstone(kind=pb.RECORD_KIND_MEMBER, external_id="pm2-3")])
changed = stub.PushRoster(stream(delta, tombstones), timeout=60)
check(changed.applied and changed.members.deactivated == 1, "the DELTA tombstone deactivates one member")

changes = [c for page in stub.PullRoster(pb.PullRosterRequest(district_code="116", page_size=1000), timeout=60) for c in page.changes]
mine = [c for c in changes if c.source_system == "py-hrm"]
check(len(mine) == 10, "a pull from 0 has the 10 records of this source")
check([c.watermark for c in changes] == sorted(c.watermark for c in changes), "in change order")
since = pushed.watermark
later = [c for page in stub.PullRoster(pb.PullRosterRequest(district_code="116", since_watermark=since), timeout=60) for c in page.changes]
check(len(later) == 1 and later[0].WhichOneof("record") == "tombstone" and later[0].tombstone.external_id == "pm2-3",
      "a pull from the push's watermark has the tombstone alone")

try:
    stub.PushRoster(stream(pb.PushHeader(district_code="999", mode=pb.MODE_FULL, batch_id="x", source_system="py-hrm")), timeout=30)
    check(False, "an unknown district is refused")
except grpc.RpcError as error:
    check(error.code() == grpc.StatusCode.NOT_FOUND, "an unknown district is NOT_FOUND")
print("roster sync interoperability: all checks passed")
