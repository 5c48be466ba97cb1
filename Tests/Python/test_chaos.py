"""Chaos (#17 item 1): one of two replicas frozen with SIGSTOP under load, with the real Jina
client counting in-band errors. With `timeout_send`, the requests the frozen replica holds time
out and are retried on the other replica, the frozen one leaves the rotation, and no request
fails; after SIGCONT it is back in rotation.
"""
import os
import signal
import time

from test_flow_e2e import cmdline, descendants, flows, free_port, marker_bin, write_flow  # noqa: F401 (fixtures)

os.environ.setdefault("JINA_OPTOUT_TELEMETRY", "1")

from docarray import DocList  # noqa: E402
from docarray.documents.legacy import LegacyDocument  # noqa: E402
from jina import Client  # noqa: E402


def replica_pid(flow, replica: int) -> int:
    found = [pid for pid in descendants(flow.proc.pid)
             if "--replica-id" in cmdline(pid) and cmdline(pid)[cmdline(pid).index("--replica-id") + 1] == str(replica)]
    assert len(found) == 1, found
    return found[0]


def test_a_frozen_replica_loses_no_request_and_comes_back(flows, tmp_path, marker_bin):
    port = free_port()
    flow = flows(write_flow(tmp_path, f"""jtype: Flow
with:
  port: {port}
executors:
  - name: marker
    uses: {marker_bin}
    replicas: 2
    timeout_send: 1000
"""))
    flow.wait_ready()
    client = Client(host=f"grpc://127.0.0.1:{port}")
    frozen = replica_pid(flow, 1)
    errors = []
    os.kill(frozen, signal.SIGSTOP)
    try:
        started = time.monotonic()
        docs = client.post("/", DocList[LegacyDocument]([LegacyDocument(text=str(i)) for i in range(400)]),
                           request_size=1, continue_on_error=True, on_error=errors.append,
                           return_type=DocList[LegacyDocument])
        elapsed = time.monotonic() - started
    finally:
        os.kill(frozen, signal.SIGCONT)
    assert not errors, errors[0].header.status.description
    assert sorted(int(doc.text.split("|")[0]) for doc in docs) == list(range(400))
    assert all(doc.tags.get("shard0") == "replica0" for doc in docs)
    # Only the requests in flight when the replica froze waited for timeout_send.
    assert elapsed < 30
    # Back in rotation once its pause (at most 8 s) is over and a request finds it answering:
    # requests keep flowing (each batch is the next probe), none of them fails.
    deadline = time.monotonic() + 30
    while True:
        batch = client.post("/", DocList[LegacyDocument]([LegacyDocument(text="b") for _ in range(8)]),
                            request_size=1, continue_on_error=True, on_error=errors.append,
                            return_type=DocList[LegacyDocument])
        assert not errors and len(batch) == 8
        if any(doc.tags.get("shard0") == "replica1" for doc in batch):
            break
        assert time.monotonic() < deadline, "the thawed replica never came back into rotation"
    assert flow.stop() == 0
