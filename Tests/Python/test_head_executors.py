"""Head executors (#15 item 4): `uses_before` / `uses_after` on a sharded executor, as Jina's
head pod runs them — `uses_before` gets each request before the fan-out, `uses_after` gets
every shard's reply (Jina's `docs_matrix`) instead of the gateway's reduce, and its output is
the executor's. Swift (the marker executor) and Python (a `docs_matrix` merger) heads, started
by `jina flow` or already running (`uses_after_address`), driven by Jina 3.34's client.

The marker appends `|s<shard>r<replica>` (as a head: `|uses_before-0`, `|uses_after-0`), and
its catch-all records the docs_matrix it got, so the order of effects shows in the texts.
"""
import os
import shutil
import subprocess

from conftest import run_jina
from test_flow_e2e import RunningFlow, flows, free_port, marker_bin, write_flow  # noqa: F401 (fixtures)
from test_python_executors import FIXTURES, PYTHON_ENV

os.environ.setdefault("JINA_OPTOUT_TELEMETRY", "1")

from docarray import DocList  # noqa: E402
from docarray.documents import TextDoc  # noqa: E402
from docarray.documents.legacy import LegacyDocument  # noqa: E402
from jina import Client  # noqa: E402


def sharded_marker(flows, tmp_path, marker_bin, keys: str, env=None):
    """A Flow of the marker executor with `keys` (indented under its entry); (flow, port) once ready."""
    port = free_port()
    body = "".join(f"    {line}\n" for line in keys.strip().splitlines())
    flow = flows(write_flow(tmp_path, f"jtype: Flow\ngateway: {{port: {port}}}\nexecutors:\n  - name: marker\n    uses: {marker_bin}\n{body}"), env=env)
    flow.wait_ready()
    return flow, port


def post(port, text="x", endpoint="/x"):
    client = Client(host=f"grpc://127.0.0.1:{port}")
    return client.post(endpoint, DocList[LegacyDocument]([LegacyDocument(id="a", text=text)]), return_type=DocList[LegacyDocument])


def test_uses_before_runs_first_and_uses_after_gets_every_shard_reply(flows, tmp_path, marker_bin):
    flow, port = sharded_marker(flows, tmp_path, marker_bin, f"""
shards: 2
polling: ALL
uses_before: {marker_bin}
uses_after: {marker_bin}
""")
    docs = post(port)
    assert len(docs) == 1
    # uses_before marked first; each shard got its output; uses_after got both replies in shard
    # order (not reduced by the gateway) and its output is the reply. Its `documents` are the
    # matrix reduced by id (a later shard's text wins, as in Jina's reduce).
    assert docs[0].tags["docs_matrix"] == [["x|uses_before-0|s0r0"], ["x|uses_before-0|s1r0"]]
    assert docs[0].text == "x|uses_before-0|s1r0|uses_after-0"
    assert flow.stop() == 0


def test_polling_any_sends_the_one_shard_reply_to_uses_after(flows, tmp_path, marker_bin):
    flow, port = sharded_marker(flows, tmp_path, marker_bin, f"""
shards: 2
uses_after: {marker_bin}
""")
    texts = {post(port)[0].text for _ in range(4)}
    # Round-robin over the shards, each reply through uses_after alone (a one-request matrix).
    assert texts == {"x|s0r0|uses_after-0", "x|s1r0|uses_after-0"}
    assert "docs_matrix" not in post(port)[0].tags
    assert flow.stop() == 0


def test_python_uses_after_gets_docs_matrix(flows, tmp_path, marker_bin):
    shutil.copy(FIXTURES / "executors.py", tmp_path / "executors.py")
    flow, port = sharded_marker(flows, tmp_path, marker_bin, """
shards: 3
polling: ALL
uses_after: Merger
py_modules: [executors.py]
""", env=PYTHON_ENV)
    client = Client(host=f"grpc://127.0.0.1:{port}")
    docs = client.post("/x", DocList[TextDoc]([TextDoc(id="a", text="x")]), return_type=DocList[TextDoc])
    assert [doc.text for doc in docs] == ["3 shards: x|s0r0 + x|s1r0 + x|s2r0"]
    assert flow.stop() == 0


def test_uses_after_address_reaches_a_running_executor(flows, tmp_path, marker_bin):
    head_port = free_port()
    head = subprocess.Popen([marker_bin, "--name", "merger/uses_after-0", "--port", str(head_port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        for line in head.stdout:
            if "serving" in line:
                break
        flow, port = sharded_marker(flows, tmp_path, marker_bin, f"""
shards: 2
polling: ALL
uses_after_address: 127.0.0.1:{head_port}
""")
        docs = post(port)
        assert docs[0].tags["docs_matrix"] == [["x|s0r0"], ["x|s1r0"]]
        assert docs[0].text == "x|s1r0|uses_after-0"
        assert flow.stop() == 0
    finally:
        head.terminate()
        head.wait(timeout=30)


def test_validate_warns_when_the_executor_has_one_shard(jina_bin, tmp_path, marker_bin):
    flow = write_flow(tmp_path, f"""jtype: Flow
executors:
  - name: marker
    uses: {marker_bin}
    uses_before: {marker_bin}
""")
    result = run_jina(jina_bin, "flow", "--uses", str(flow), "--validate")
    assert result.returncode == 0
    assert "flow.yml:5:18" in result.stderr and "only applies to a sharded executor" in result.stderr
    assert "accepted but not used" not in result.stderr


def test_no_reduce_merge_point_sends_every_branch(flows, tmp_path, marker_bin):
    port = free_port()
    flow = flows(write_flow(tmp_path, f"""jtype: Flow
gateway: {{port: {port}}}
executors:
  - name: left
    uses: TextAppend
    uses_with: {{text: "L"}}
    needs: gateway
  - name: right
    uses: TextAppend
    uses_with: {{text: "R"}}
    needs: gateway
  - name: join
    uses: {marker_bin}
    needs: [left, right]
    no_reduce: true
"""))
    flow.wait_ready()
    docs = post(port)
    # Both branches reached the executor unreduced (its docs_matrix), in `needs` order.
    assert docs[0].tags["docs_matrix"] == [["xL"], ["xR"]]
    assert flow.stop() == 0
