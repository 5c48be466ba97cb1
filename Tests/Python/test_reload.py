"""`reload: true` (#15 item 5): `jina flow` watches an executor's files with inotify and restarts
exactly that executor's replicas when one changes — here its executor YAML. Another executor
without `reload` is not restarted."""
import os

import pytest

from test_flow_e2e import flows, free_port, write_flow  # noqa: F401 (fixtures)

os.environ.setdefault("JINA_OPTOUT_TELEMETRY", "1")

from docarray import DocList  # noqa: E402
from docarray.documents import TextDoc  # noqa: E402
from jina import Client  # noqa: E402


def test_a_changed_executor_yaml_restarts_that_executor(flows, tmp_path):
    config = tmp_path / "append.yml"
    config.write_text("jtype: TextAppend\nwith:\n  text: '!'\n")
    port = free_port()
    flow = flows(write_flow(tmp_path, f"""jtype: Flow
with:
  port: {port}
executors:
  - name: appender
    uses: append.yml
    reload: true
    replicas: 2
  - name: steady
    uses: TextAppend
    uses_with: {{text: "."}}
"""))
    flow.wait_ready()
    flow.wait_for(r"executor appender: reloading when .*append\.yml change")
    client = Client(host=f"grpc://127.0.0.1:{port}")
    assert [doc.text for doc in client.post("/", DocList[TextDoc]([TextDoc(text="a")]), return_type=DocList[TextDoc])] == ["a!."]

    # An editor's save: write a new file and rename it over the old one.
    replacement = tmp_path / ".append.yml.tmp"
    replacement.write_text("jtype: TextAppend\nwith:\n  text: '?'\n")
    os.replace(replacement, config)
    flow.wait_for(r"append\.yml changed: restarting its replicas \(reload: true\)")
    flow.wait_for(r"executor appender.* is back \(restart 1", count=2)  # both replicas, once each
    docs = client.post("/", DocList[TextDoc]([TextDoc(text="b") for _ in range(4)]), request_size=1, return_type=DocList[TextDoc])
    assert [doc.text for doc in docs] == ["b?."] * 4
    assert "executor steady" not in "\n".join(line for line in flow.text("stderr").splitlines() if "is back" in line)
    assert flow.stop() == 0


@pytest.mark.parametrize("where", ["with", "gateway"])
def test_a_changed_flow_yaml_restarts_the_flow_when_it_validates(flows, tmp_path, where):
    # `reload: true` under `with:`, or under `gateway:` (Jina's gateway reload: in `jina flow`
    # the gateway's YAML is the Flow's).
    port = free_port()

    def flow_text(suffix):
        return f"""jtype: Flow
{where}:
  port: {port}
  reload: true
executors:
  - name: appender
    uses: TextAppend
    uses_with: {{text: "{suffix}"}}
"""

    path = write_flow(tmp_path, flow_text("!"))
    flow = flows(path)
    flow.wait_ready()
    client = Client(host=f"grpc://127.0.0.1:{port}")
    assert client.post("/", DocList[TextDoc]([TextDoc(text="a")]), return_type=DocList[TextDoc])[0].text == "a!"
    # A broken file is reported and the running Flow keeps serving.
    path.write_text(flow_text("!").replace("uses: TextAppend", "uses: TextApend"))
    flow.wait_for(r"flow\.yml changed but is not valid")
    assert client.post("/", DocList[TextDoc]([TextDoc(text="b")]), return_type=DocList[TextDoc])[0].text == "b!"
    # A valid change restarts the Flow with it.
    path.write_text(flow_text("?"))
    flow.wait_for(r"flow\.yml changed: restarting the Flow \(reload: true\)")
    flow.wait_for(r"^ready grpc://", stream="stdout", count=2)
    assert Client(host=f"grpc://127.0.0.1:{port}").post(
        "/", DocList[TextDoc]([TextDoc(text="c")]), return_type=DocList[TextDoc])[0].text == "c?"
    assert flow.stop() == 0
