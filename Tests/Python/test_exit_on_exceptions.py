"""`exit_on_exceptions` (#15 item 5) end to end: the marker executor's `/fail` throws an error of
type `Failure`; named in `exit_on_exceptions`, it makes the executor process exit (status 1)
instead of replying, as Python Jina's worker does. The request that caused it gets an error
reply from the gateway (it does not hang), and `jina flow` restarts the executor."""
import os
import re
import time

from test_flow_e2e import RunningFlow, flows, free_port, marker_bin, write_flow  # noqa: F401 (fixtures)

os.environ.setdefault("JINA_OPTOUT_TELEMETRY", "1")

from docarray import DocList  # noqa: E402
from docarray.documents.legacy import LegacyDocument  # noqa: E402
from jina import Client  # noqa: E402


def test_a_named_error_exits_the_executor_which_is_restarted(flows, tmp_path, marker_bin):
    port = free_port()
    flow = flows(write_flow(tmp_path, f"""jtype: Flow
with:
  port: {port}
executors:
  - name: marker
    uses: {marker_bin}
    exit_on_exceptions: [Failure]
    retries: 0
"""))
    flow.wait_ready()
    client = Client(host=f"grpc://127.0.0.1:{port}")
    # With retries: 0 the gateway does not wait for a connection: make it first.
    assert client.post("/", DocList[LegacyDocument]([LegacyDocument(text="w")]), return_type=DocList[LegacyDocument])
    started = time.monotonic()
    failed = None
    try:
        client.post("/fail", DocList[LegacyDocument]([LegacyDocument(text="x")]))
    except Exception as error:  # noqa: BLE001 (the test looks at it)
        failed = error
    assert failed is not None, "the request that made the executor exit got a normal reply"
    assert time.monotonic() - started < 30
    flow.wait_for(r"raised Failure, which is in exit_on_exceptions: exiting")
    assert "is unreachable for request" in failed.args[0].status.description  # the gateway's error reply
    flow.wait_for(r"executor marker.* is back \(restart 1")
    assert flow.stop() == 0


def test_an_error_not_named_is_an_ordinary_error_reply(flows, tmp_path, marker_bin):
    port = free_port()
    flow = flows(write_flow(tmp_path, f"""jtype: Flow
with:
  port: {port}
executors:
  - name: marker
    uses: {marker_bin}
    exit_on_exceptions: [SomethingElse]
"""))
    flow.wait_ready()
    client = Client(host=f"grpc://127.0.0.1:{port}")
    responses = client.post("/fail", DocList[LegacyDocument]([LegacyDocument(text="x")]), continue_on_error=True,
                            return_responses=True)
    assert responses[0].header.status.exception.name == "Failure"
    docs = client.post("/", DocList[LegacyDocument]([LegacyDocument(text="y")]), return_type=DocList[LegacyDocument])
    assert docs[0].text == "y|s0r0"
    assert not re.search("exit_on_exceptions: exiting", flow.text("stderr"))
    assert flow.stop() == 0
