"""The VectorIndex built-in through `jina flow`, with the real Jina client (issue #13): index
10,000 documents, search with the documented docarray v2 schema as `return_type`, the same
top-10 from 2 shards as from 1, and nothing lost to a SIGKILL right after an acknowledged
/index."""
import json
import os
import signal
from typing import Any, Dict, Optional

import numpy as np

from conftest import REPO, run_jina
from test_flow_e2e import cmdline, flows, free_port  # noqa: F401

from docarray import BaseDoc, DocList  # noqa: E402
from docarray.typing import NdArray  # noqa: E402
from jina import Client  # noqa: E402


# The schema of docs/vector-index.md.
class Product(BaseDoc):
    text: Optional[str] = None
    tags: Dict[str, Any] = {}
    embedding: Optional[NdArray] = None


class Match(BaseDoc):
    text: Optional[str] = None
    tags: Dict[str, Any] = {}
    scores: Dict[str, float] = {}


class Query(BaseDoc):
    embedding: Optional[NdArray] = None
    matches: Optional[DocList[Match]] = None


DIM = 16


def products(count, seed=0):
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(20, DIM))
    vectors = centres[np.arange(count) % 20] + 0.1 * rng.normal(size=(count, DIM))  # float64, numpy's default
    return DocList[Product]([Product(id=f"p{i}", text=f"product {i}", tags={"colour": ["red", "blue"][i % 2]},
                                     embedding=vectors[i]) for i in range(count)])


def index_flow(tmp_path, port, shards=1, name="flow.yml", kind="exact"):
    path = tmp_path / name
    path.write_text(f"""
jtype: Flow
gateway:
  port: {port}
executors:
  - name: catalogue
    uses: VectorIndex
    uses_with: {{dim: {DIM}, metric: cosine, index: {kind}}}
    shards: {shards}
    workspace: {tmp_path / ('ws-' + name)}
""")
    return path


def search(client, vectors, top_k=10, **parameters):
    queries = DocList[Query]([Query(embedding=vector) for vector in vectors])
    return client.post("/search", queries, parameters={"top_k": top_k, **parameters}, return_type=DocList[Query])


def test_index_search_and_shards_agree(flows, tmp_path, jina_bin):
    catalogue = products(10_000)
    one_port, two_port = free_port(), free_port()
    one = flows(index_flow(tmp_path, one_port, shards=1, name="one.yml"))
    two = flows(index_flow(tmp_path, two_port, shards=2, name="two.yml"))
    one.wait_ready()
    two.wait_ready()
    single, sharded = Client(host=f"grpc://127.0.0.1:{one_port}"), Client(host=f"grpc://127.0.0.1:{two_port}")
    for client in (single, sharded):
        errors = []
        client.post("/index", catalogue, request_size=500, on_error=errors.append)
        assert errors == []
    # /count: one number per shard in __results__ (keyed by replica, as Jina names them).
    counts = single.post("/count", DocList[Product](), return_responses=True)[0].parameters["__results__"]
    assert counts == {"catalogue/rep-0": 10_000.0}
    counts = sharded.post("/count", DocList[Product](), return_responses=True)[0].parameters["__results__"]
    assert set(counts) == {"catalogue/shard-0/rep-0", "catalogue/shard-1/rep-0"}
    assert sum(counts.values()) == 10_000 and min(counts.values()) > 0
    # `jina client post --results` prints them with the shards added up.
    printed = run_jina(jina_bin, "client", "post", "--host", f"grpc://127.0.0.1:{two_port}", "--endpoint", "/count",
                       "--input", "/dev/null", "--results")
    assert printed.returncode == 0, printed.stderr
    assert json.loads(printed.stdout) == {"results": counts, "totals": {"catalogue": 10_000}}
    plain = run_jina(jina_bin, "client", "post", "--host", f"grpc://127.0.0.1:{two_port}", "--endpoint", "/count",
                     "--input", "/dev/null")
    assert plain.returncode == 0 and plain.stdout == "" and "print them with --results" in plain.stderr

    probes = [catalogue[i].embedding for i in (3, 4_321, 9_999)]
    answers = search(single, probes)
    for probe, answer in zip((3, 4_321, 9_999), answers):
        assert len(answer.matches) == 10
        assert answer.matches[0].id == f"p{probe}"
        assert abs(answer.matches[0].scores["cosine"] - 1.0) < 1e-5
        assert answer.matches[0].text == f"product {probe}"
        scores = [match.scores["cosine"] for match in answer.matches]
        assert scores == sorted(scores, reverse=True)
        # Every match is in the probe's cluster (20 clusters, 0.1 noise).
        assert all(int(match.id[1:]) % 20 == probe % 20 for match in answer.matches)
    # 2 shards give the same top-10 as one index.
    for lone, split in zip(answers, search(sharded, probes)):
        assert [m.id for m in split.matches] == [m.id for m in lone.matches]

    # A tag filter in the `when` language; a smaller top_k.
    blue = search(single, probes[:1], top_k=5, filter={"tags__colour": {"$eq": "blue"}})[0]
    assert len(blue.matches) == 5 and all(match.tags["colour"] == "blue" for match in blue.matches)

    # A document with the wrong dimension is an error naming it, and nothing of its request is stored.
    errors = []
    bad = DocList[Product]([Product(id="fine", embedding=np.ones(DIM)), Product(id="short", embedding=np.ones(3))])
    single.post("/index", bad, on_error=errors.append)
    assert len(errors) == 1
    assert "document short: the embedding has 3 values, the index stores 16" in errors[0].header.status.description
    assert single.post("/count", DocList[Product](), return_responses=True)[0].parameters["__results__"] == {"catalogue/rep-0": 10_000.0}

    # /delete by id, then /update replaces an existing document in place.
    single.post("/delete", DocList[Product]([Product(id="p3")]))
    assert search(single, probes[:1])[0].matches[0].id != "p3"
    moved = DocList[Product]([Product(id="p4321", text="moved", embedding=catalogue[3].embedding)])
    single.post("/update", moved)
    top = search(single, probes[:1])[0].matches[0]
    assert (top.id, top.text) == ("p4321", "moved")
    assert one.stop() == 0 and two.stop() == 0


def test_an_acknowledged_index_survives_sigkill(flows, tmp_path):
    port = free_port()
    flow = flows(index_flow(tmp_path, port))
    flow.wait_ready()
    client = Client(host=f"grpc://127.0.0.1:{port}")
    catalogue = products(300)
    client.post("/index", catalogue[:200], request_size=100)
    # A snapshot, then changes after it: the restart maps the snapshot and replays the log.
    snapshot = client.post("/snapshot", DocList[Product](), return_responses=True)[0].parameters["__results__"]
    assert snapshot == {"catalogue/rep-0": {"documents": 200.0, "persistent": True}}
    client.post("/index", catalogue[200:], request_size=100)
    client.post("/delete", DocList[Product]([Product(id="p7")]))
    client.post("/update", DocList[Product]([Product(id="p8", text="changed", embedding=catalogue[8].embedding)]))
    victim = next(pid for pid in flow.children() if "VectorIndex" in cmdline(pid))
    os.kill(victim, signal.SIGKILL)
    flow.wait_for(r"executor catalogue was killed by SIGKILL; restarting it in")
    flow.wait_for(r"executor catalogue is back \(restart 1")
    flow.wait_for(r"299 documents loaded from .* \(200 mapped from the snapshot, 3 log records\)")
    counts = client.post("/count", DocList[Product](), return_responses=True)[0].parameters["__results__"]
    assert counts == {"catalogue/rep-0": 299.0}
    assert search(client, [catalogue[42].embedding])[0].matches[0].id == "p42"
    assert search(client, [catalogue[250].embedding])[0].matches[0].id == "p250"
    assert search(client, [catalogue[7].embedding])[0].matches[0].id != "p7"
    changed = search(client, [catalogue[8].embedding])[0].matches[0]
    assert (changed.id, changed.text) == ("p8", "changed")
    assert flow.stop() == 0


def test_hnsw_serves_through_the_flow_and_comes_back_after_a_restart(flows, tmp_path):
    port = free_port()
    flow = flows(index_flow(tmp_path, port, kind="hnsw"))
    flow.wait_ready()
    client = Client(host=f"grpc://127.0.0.1:{port}")
    catalogue = products(2_000, seed=5)
    client.post("/index", catalogue, request_size=500)
    probes = [catalogue[i].embedding for i in (0, 777, 1_999)]
    for probe, answer in zip((0, 777, 1_999), search(client, probes)):
        assert answer.matches[0].id == f"p{probe}"
        assert abs(answer.matches[0].scores["cosine"] - 1.0) < 1e-5
    client.post("/snapshot", DocList[Product]())
    client.post("/index", products(2_010, seed=5)[2_000:])
    victim = next(pid for pid in flow.children() if "VectorIndex" in cmdline(pid))
    os.kill(victim, signal.SIGKILL)
    flow.wait_for(r"executor catalogue is back \(restart 1")
    # The graph saved with the snapshot is loaded (not built again), the log replayed on it.
    flow.wait_for(r"2010 documents loaded from .* \(2000 mapped from the snapshot, 1 log records\)")
    assert "built the HNSW graph again" not in flow.text("stderr")
    assert search(client, probes[1:2])[0].matches[0].id == "p777"
    assert flow.stop() == 0


def test_a_vector_index_named_by_an_executor_yaml_gets_the_index_polling(flows, tmp_path, jina_bin):
    # `uses: index.yml` (jtype: VectorIndex) with 2 shards and no `polling`: documents go to one
    # shard each, /count and /search to both — as when the Flow names VectorIndex directly.
    (tmp_path / "index.yml").write_text(f"jtype: VectorIndex\nwith:\n  dim: {DIM}\n  metric: cosine\n")
    port = free_port()
    path = tmp_path / "flow.yml"
    path.write_text(f"jtype: Flow\ngateway:\n  port: {port}\nexecutors:\n  - name: catalogue\n    uses: index.yml\n"
                    f"    shards: 2\n    workspace: {tmp_path / 'ws'}\n")
    flow = flows(path)
    flow.wait_ready()
    client = Client(host=f"grpc://127.0.0.1:{port}")
    client.post("/index", products(200), request_size=10)
    counts = client.post("/count", DocList[Product](), return_responses=True)[0].parameters["__results__"]
    assert set(counts) == {"catalogue/shard-0/rep-0", "catalogue/shard-1/rep-0"}
    assert sum(counts.values()) == 200 and min(counts.values()) > 0
    assert flow.stop() == 0
    # Replicas would hold different copies of the index: refused before anything starts.
    path.write_text(f"jtype: Flow\nexecutors:\n  - name: catalogue\n    uses: index.yml\n    replicas: 2\n")
    run = run_jina(jina_bin, "flow", "--uses", str(path))
    assert run.returncode == 2 and "the VectorIndex of index.yml cannot have replicas (2)" in run.stderr


def test_the_exported_gateway_knows_the_polling_of_an_index_from_an_executor_yaml(jina_bin, tmp_path):
    # In the cluster the gateway has the Flow file but not index.yml: the polling is written in.
    import yaml
    (tmp_path / "index.yml").write_text(f"jtype: VectorIndex\nwith:\n  dim: {DIM}\n")
    path = tmp_path / "flow.yml"
    path.write_text("jtype: Flow\nexecutors:\n  - name: catalogue\n    uses: index.yml\n    shards: 2\n")
    run = run_jina(jina_bin, "export", "kubernetes", str(path), str(tmp_path / "k8s"))
    assert run.returncode == 0, run.stderr
    manifests = yaml.safe_load_all((tmp_path / "k8s" / "gateway.yml").read_text())
    config_map = next(doc for doc in manifests if doc and doc.get("kind") == "ConfigMap")
    flow = yaml.safe_load(next(iter(config_map["data"].values())))
    assert flow["executors"][0]["polling"] == {"/index": "ANY", "*": "ALL"}
