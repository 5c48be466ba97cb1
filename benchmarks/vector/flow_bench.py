"""VectorIndex through a whole Flow (issue #13): our `jina flow` with one exact VectorIndex
(dim 128, metric dot) in a temporary workspace; the Jina client indexes N random L2-normalised
vectors, then sends single queries (k = 10): latency median/p99 as the client sees it, and the
executor's start-up time with N stored vectors. Not a test.
    python flow_bench.py JINA_BINARY [N=1000000] [QUERIES=200]"""
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

import numpy as np

os.environ.setdefault("JINA_OPTOUT_TELEMETRY", "1")
from docarray import BaseDoc, DocList  # noqa: E402
from docarray.typing import NdArray  # noqa: E402
from jina import Client  # noqa: E402

binary = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
queries = int(sys.argv[3]) if len(sys.argv) > 3 else 200
d = 128


class Doc(BaseDoc):
    embedding: NdArray


def start(flow_path):
    proc = subprocess.Popen([binary, "flow", "--uses", flow_path], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    started = time.perf_counter()
    for line in proc.stdout:
        if line.startswith("ready grpc://"):
            return proc, time.perf_counter() - started
    raise SystemExit("the Flow did not start: " + proc.stderr.read())


def search_latency(client, probes):
    """Median and p99 in ms of one single-query /search per probe, at the client."""
    latencies = []
    for probe in probes:
        begin = time.perf_counter()
        client.post("/search", DocList[Doc]([Doc(embedding=probe)]), parameters={"top_k": 10})
        latencies.append((time.perf_counter() - begin) * 1000)
    latencies.sort()
    return latencies[len(latencies) // 2], latencies[int(len(latencies) * 0.99)]


with tempfile.TemporaryDirectory() as folder:
    flow_path = os.path.join(folder, "flow.yml")
    port = 54399
    with open(flow_path, "w") as handle:
        handle.write(f"jtype: Flow\ngateway:\n  port: {port}\nexecutors:\n  - name: index\n    uses: VectorIndex\n"
                     f"    uses_with: {{dim: {d}, metric: dot}}\n    workspace: {folder}/ws\n    timeout_ready: -1\n")
    proc, _ = start(flow_path)
    client = Client(host=f"grpc://127.0.0.1:{port}")
    rng = np.random.default_rng(42)
    started = time.perf_counter()
    for first in range(0, n, 10_000):
        block = rng.uniform(-1, 1, size=(min(10_000, n - first), d)).astype(np.float32)
        block /= np.linalg.norm(block, axis=1, keepdims=True)
        client.post("/index", DocList[Doc]([Doc(id=str(first + i), embedding=v) for i, v in enumerate(block)]),
                    request_size=1000)
    print(f"FIGURE flow_vector_index_build n={n} d={d} seconds={time.perf_counter() - started:.1f}")
    probes = rng.uniform(-1, 1, size=(queries, d)).astype(np.float32)
    probes /= np.linalg.norm(probes, axis=1, keepdims=True)
    client.post("/search", DocList[Doc]([Doc(embedding=probes[0])]), parameters={"top_k": 10})
    median, p99 = search_latency(client, probes)
    print(f"FIGURE flow_vector_exact_single n={n} d={d} k=10 median_ms={median:.2f} p99_ms={p99:.2f}")
    # Empty posts: what the client and the Flow cost without a search.
    empty = []
    for _ in range(100):
        begin = time.perf_counter()
        client.post("/count", DocList[Doc]())
        empty.append((time.perf_counter() - begin) * 1000)
    empty.sort()
    print(f"FIGURE flow_round_trip_without_search median_ms={empty[len(empty) // 2]:.2f}")
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=60)
    # Start-up with N stored vectors: the snapshot and log are replayed before `ready`.
    proc, ready = start(flow_path)
    print(f"FIGURE flow_vector_index_startup n={n} seconds_to_ready={ready:.2f}")
    begin = time.perf_counter()
    client.post("/search", DocList[Doc]([Doc(embedding=probes[0])]), parameters={"top_k": 10})
    print(f"FIGURE flow_vector_first_search_after_start ms={(time.perf_counter() - begin) * 1000:.1f}")
    median, p99 = search_latency(client, probes)
    print(f"FIGURE flow_vector_exact_single_after_start n={n} median_ms={median:.2f} p99_ms={p99:.2f}")
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=60)
