"""`jtype: Deployment` and `jina deployment` (#15 item 3), with the real Jina 3.34 client: one
executor with replicas behind a gateway on gRPC and HTTP; `include_gateway: false`, where the
executor serves gRPC itself; `jina ping` for both; the Kubernetes export; `jina flow` pointing
at `jina deployment`."""
import os
import subprocess

import requests as http

from conftest import run_jina
from test_flow_e2e import flows, free_port, write_flow  # noqa: F401 (fixtures)

os.environ.setdefault("JINA_OPTOUT_TELEMETRY", "1")

from docarray import DocList  # noqa: E402
from docarray.documents import TextDoc  # noqa: E402
from jina import Client  # noqa: E402


def test_a_deployment_with_its_gateway_serves_grpc_and_http(flows, tmp_path, jina_bin):
    grpc, web = free_port(), free_port()
    path = write_flow(tmp_path, f"""jtype: Deployment
with:
  uses: TextAppend
  uses_with: {{text: "!"}}
  replicas: 2
  port: [{grpc}, {web}]
  protocol: [grpc, http]
""", "dep.yml")
    deployment = flows(path, subcommand="deployment")
    urls = deployment.wait_ready()
    assert set(urls) == {"grpc", "http"}
    assert len(deployment.children()) >= 2  # the executor's two replicas (and no second gateway)
    docs = Client(host=f"grpc://127.0.0.1:{grpc}").post("/", DocList[TextDoc]([TextDoc(text="a")]), return_type=DocList[TextDoc])
    assert [doc.text for doc in docs] == ["a!"]
    reply = http.post(f"http://127.0.0.1:{web}/post", json={"data": [{"text": "b"}]}, timeout=30)
    assert reply.status_code == 200 and reply.json()["data"][0]["text"] == "b!"
    ping = run_jina(jina_bin, "ping", "flow", f"127.0.0.1:{grpc}")
    assert ping.returncode == 0, ping.stderr
    assert deployment.stop() == 0


def test_without_gateway_the_executor_serves_grpc_itself(flows, tmp_path, jina_bin):
    port = free_port()
    path = write_flow(tmp_path, f"""jtype: Deployment
with:
  name: appender
  uses: TextAppend
  uses_with: {{text: "?"}}
  port: {port}
  include_gateway: false
""", "dep.yml")
    deployment = flows(path, subcommand="deployment")
    deployment.wait_for(rf"^ready grpc://0\.0\.0\.0:{port}$", stream="stdout")
    docs = Client(host=f"grpc://127.0.0.1:{port}").post("/", DocList[TextDoc]([TextDoc(text="a")]), return_type=DocList[TextDoc])
    assert [doc.text for doc in docs] == ["a?"]
    ping = run_jina(jina_bin, "ping", "executor", f"127.0.0.1:{port}")
    assert ping.returncode == 0, ping.stderr
    assert deployment.stop() == 0


def test_deployment_problems_point_into_the_file(jina_bin, tmp_path):
    path = write_flow(tmp_path, "jtype: Deployment\nwith:\n  uses: TextAppend\n  replicas: 2\n  include_gateway: false\n", "dep.yml")
    run = run_jina(jina_bin, "deployment", "--uses", str(path))
    assert run.returncode == 2
    assert "executor `executor` has 2 replicas and 1 shards; without a gateway one process serves it" in run.stderr
    path = write_flow(tmp_path, "jtype: Deployment\nwith:\n  uses: TextAppend\n  replicaz: 2\nextra: 1\n", "bad.yml")
    run = run_jina(jina_bin, "deployment", "--uses", str(path), "--validate")
    assert run.returncode == 2
    assert "bad.yml:4:3: error: unknown executor key `replicaz`" in run.stderr, run.stderr
    assert "bad.yml:5:1: error: unknown top-level key of a Deployment `extra`" in run.stderr
    # `jina flow` points at `jina deployment`.
    run = run_jina(jina_bin, "flow", "--uses", str(tmp_path / "dep.yml"), "--validate")
    assert run.returncode == 2 and "jina deployment --uses FILE" in run.stderr


def test_a_deployment_exports_to_kubernetes_as_its_flow(jina_bin, tmp_path):
    path = write_flow(tmp_path, "jtype: Deployment\nwith:\n  name: enc\n  uses: TextAppend\n  shards: 2\n  port: 8080\n", "dep.yml")
    out = tmp_path / "k8s"
    run = run_jina(jina_bin, "export", "kubernetes", str(path), str(out))
    assert run.returncode == 0, run.stderr
    assert sorted(os.listdir(out)) == ["enc.yml", "gateway.yml"]
    gateway = (out / "gateway.yml").read_text()
    assert "jtype: Flow" in gateway and "name: enc" in gateway and "shards: 2" in gateway
    # The gateway's ConfigMap holds the Deployment as a Flow, which validates as one.
    import yaml
    config_maps = [doc for doc in yaml.safe_load_all(gateway) if doc and doc.get("kind") == "ConfigMap"]
    flow_text = next(iter(config_maps[0]["data"].values()))
    check = subprocess.run([jina_bin, "flow", "--uses", "-", "--validate"], input=flow_text, capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
