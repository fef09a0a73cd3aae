"""One roster push of district 116 over mutual TLS, for the fault tests: a FULL roster of HAMLETS hamlets, each with
its team and MEMBERS_PER_TEAM members, every member's name marked with the batch, streamed in chunks with a pause
between them so that a kill lands mid-stream.

As a program (the process the fault tests kill):  roster_push.py ADDRESS TLS_DIR GENERATED_DIR BATCH PAUSE
prints the answer's `applied` and exits 0, or the gRPC status code and exits 1.
"""
import sys
import time

import grpc

HAMLETS = 40
MEMBERS_PER_TEAM = 50
MEMBERS = HAMLETS * MEMBERS_PER_TEAM
SOURCE = "fault"


def stubs(generated):
    sys.path.insert(0, generated)
    from cds.roster.v1 import roster_sync_pb2 as pb
    from cds.roster.v1 import roster_sync_pb2_grpc as rpc
    return pb, rpc


def channel(address, tls_dir):
    def read(name):
        with open(f"{tls_dir}/{name}", "rb") as f:
            return f.read()
    credentials = grpc.ssl_channel_credentials(
        root_certificates=read("ca.pem"), private_key=read("client-key.pem"), certificate_chain=read("client.pem")
    )
    # Through a proxy on another port the server's name is still 127.0.0.1, which its certificate names.
    return grpc.secure_channel(address, credentials, options=[("grpc.ssl_target_name_override", "127.0.0.1")])


def letters(number):
    """A number in letters (a, b, ... z, ba, bb, ...): names may hold only letters."""
    word = ""
    while True:
        number, digit = divmod(number, 26)
        word = "abcdefghijklmnopqrstuvwxyz"[digit] + word
        if number == 0:
            return word


def marker(batch):
    """The last word of every member's name in this batch's roster."""
    return "Mốc" + letters(batch)


def messages(pb, batch, pause):
    """The push: a header, then one chunk of hamlets and teams, then the members in chunks of 200."""
    yield pb.PushRosterRequest(header=pb.PushHeader(
        district_code="116", mode=pb.MODE_FULL, batch_id=f"fault-{batch}", source_system=SOURCE, on_invalid=pb.REJECT_BATCH,
    ))
    yield pb.PushRosterRequest(chunk=pb.RecordChunk(
        hamlets=[pb.HamletRecord(external_id=f"fh{h}", commune_code="3646", name=f"Bản Thử {h}", kind="ban") for h in range(HAMLETS)],
        teams=[pb.TeamRecord(external_id=f"ft{h}", level="hamlet", commune_code="3646", hamlet_external_id=f"fh{h}",
                             name=f"Tổ công nghệ số bản Thử {h}", established_on="2024-03-01") for h in range(HAMLETS)],
    ))
    members = [
        pb.MemberRecord(external_id=f"fm{h}-{m}", team_external_id=f"ft{h}", full_name=f"Lò Văn Thử {letters(m).capitalize()} {marker(batch)}",
                        role="leader" if m == 0 else "member", phone=f"0913{h:03d}{m:03d}", has_smartphone=True)
        for h in range(HAMLETS) for m in range(MEMBERS_PER_TEAM)
    ]
    for start in range(0, len(members), 200):
        time.sleep(pause)
        yield pb.PushRosterRequest(chunk=pb.RecordChunk(members=members[start:start + 200]))


def push(address, tls_dir, generated, batch, pause=0.0, timeout=120):
    pb, rpc = stubs(generated)
    with channel(address, tls_dir) as ch:
        return rpc.RosterSyncStub(ch).PushRoster(messages(pb, batch, pause), timeout=timeout)


if __name__ == "__main__":
    address, tls_dir, generated, batch, pause = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5])
    try:
        answer = push(address, tls_dir, generated, batch, pause)
        print(f"applied={answer.applied}")
    except grpc.RpcError as error:
        print(f"code={error.code().name}")
        sys.exit(1)
