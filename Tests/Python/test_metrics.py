"""Monitoring end to end: a Flow with `monitoring: true` run by the built `jina flow`; every
process's `/metrics` (gateway, each executor replica) and the Flow's aggregated endpoint are
scraped and parsed with the real Prometheus parser (prometheus_client), requests are sent with
the real Python Jina client and with grpcio; JSON log lines are parsed; the Grafana dashboard is
checked against the names the processes export.

Ports come from the OS; every wait is on an event (a banner line, a reply) with a deadline.
"""
import json
import os
import pathlib
import re
import signal
import subprocess
import threading
import time
import urllib.request

import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families

from conftest import REPO
from test_flow_e2e import children_of

os.environ.setdefault("JINA_OPTOUT_TELEMETRY", "1")

import grpc  # noqa: E402
from docarray import DocList  # noqa: E402
from docarray.documents import TextDoc  # noqa: E402
from jina import Client  # noqa: E402
from jina.proto import jina_pb2  # noqa: E402

READY_TIMEOUT = 60

FLOW = """
jtype: Flow
with:
  monitoring: true
executors:
  - name: exec1
    uses: TextAppend
    uses_with: {text: "-e1"}
  - name: exec2
    uses: TextAppend
    uses_with: {text: "-e2"}
    replicas: 2
"""


class Flow:
    """`jina flow --uses FILE ARGS…` in the background, its output collected line by line."""

    def __init__(self, jina_bin, path, *args):
        self.proc = subprocess.Popen([jina_bin, "flow", "--uses", str(path), *args], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, cwd=REPO)
        self.lines = {"stdout": [], "stderr": []}
        self.changed = threading.Condition()
        self.readers = [threading.Thread(target=self._read, args=(name,), daemon=True) for name in self.lines]
        for reader in self.readers:
            reader.start()

    def _read(self, name):
        for line in getattr(self.proc, name):
            with self.changed:
                self.lines[name].append(line.rstrip("\n"))
                self.changed.notify_all()
        with self.changed:
            self.lines[name].append(None)
            self.changed.notify_all()

    def wait_for(self, pattern, stream="stdout", timeout=READY_TIMEOUT):
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                for line in self.lines[stream]:
                    if line is not None and regex.search(line):
                        return line
                remaining = deadline - time.monotonic()
                if None in self.lines[stream] or remaining <= 0:
                    raise AssertionError(f"no line matching {pattern!r} on {stream}:\n"
                                         + "\n".join(l for l in self.lines["stdout"] + self.lines["stderr"] if l))
                self.changed.wait(remaining)

    def banner(self):
        """(grpc port, {what: metrics url}) from the ready banner."""
        grpc_line = self.wait_for(r"^ready grpc://")
        self.wait_for(r"^metrics flow ")
        with self.changed:
            metrics = dict(line.split()[1:3] for line in self.lines["stdout"] if line and line.startswith("metrics "))
        return int(grpc_line.rsplit(":", 1)[1]), metrics

    def stderr(self):
        with self.changed:
            return [line for line in self.lines["stderr"] if line is not None]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        code = self.proc.wait(timeout=30)
        for reader in self.readers:
            reader.join(timeout=30)
        return code


@pytest.fixture
def start_flow(jina_bin, tmp_path):
    started = []

    def start(text, *args):
        path = tmp_path / "flow.yml"
        path.write_text(text)
        flow = Flow(jina_bin, path, *args)
        started.append(flow)
        return flow

    yield start
    for flow in started:
        if flow.proc.poll() is None:
            flow.proc.kill()
            flow.proc.wait()


def scrape(url):
    """{family name: family} of the exposition at `url`, parsed by prometheus_client."""
    url = url.replace("0.0.0.0", "127.0.0.1")
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        text = response.read().decode()
    return {family.name: family for family in text_string_to_metric_families(text)}


def value(families, family, sample, **labels):
    """The value of the one sample named `sample` of `family` with (at least) `labels`."""
    found = [s.value for s in families[family].samples
             if s.name == sample and all(s.labels.get(k) == v for k, v in labels.items())]
    assert len(found) == 1, f"{sample}{labels}: {found}"
    return found[0]


def post(port, count):
    client = Client(host=f"grpc://127.0.0.1:{port}")
    for _ in range(count):
        docs = client.post("/", DocList[TextDoc]([TextDoc(text="a"), TextDoc(text="b")]), return_type=DocList[TextDoc])
        assert [d.text for d in docs] == ["a-e1-e2", "b-e1-e2"]


def counters(metrics):
    """The request counters of every process, read from its own endpoint."""
    out = {}
    for what, url in metrics.items():
        if what == "flow":
            continue
        families = scrape(url)
        out[what] = value(families, "jina_successful_requests", "jina_successful_requests_total")
        if what.startswith("exec"):
            out[what + " docs"] = sum(s.value for s in families["jina_document_processed"].samples
                                      if s.name == "jina_document_processed_total")
    return out


def test_every_process_and_the_aggregate_serve_jina_metrics(start_flow):
    flow = start_flow(FLOW)
    port, metrics = flow.banner()
    assert set(metrics) == {"flow", "gateway", "exec1/rep-0", "exec2/rep-0", "exec2/rep-1"}

    post(port, 2)  # warm up: whatever the client sends first is counted before the baseline
    before = counters(metrics)
    post(port, 6)
    after = counters(metrics)
    # Counters move by exactly the number of requests sent (and documents: 2 per request).
    assert after["gateway"] - before["gateway"] == 6
    assert after["exec1/rep-0"] - before["exec1/rep-0"] == 6
    assert after["exec1/rep-0 docs"] - before["exec1/rep-0 docs"] == 12
    assert (after["exec2/rep-0"] + after["exec2/rep-1"]) - (before["exec2/rep-0"] + before["exec2/rep-1"]) == 6

    gateway = scrape(metrics["gateway"])
    assert gateway["jina_receiving_request_seconds"].type == "histogram"
    assert gateway["jina_successful_requests"].type == "counter"
    assert gateway["jina_failed_requests"].type == "counter"
    assert gateway["jina_number_of_pending_requests"].type == "gauge"
    assert value(gateway, "jina_number_of_pending_requests", "jina_number_of_pending_requests",
                 runtime_name="gateway/rep-0") == 0
    assert value(gateway, "jina_receiving_request_seconds", "jina_receiving_request_seconds_count",
                 runtime_name="gateway/rep-0") == after["gateway"]
    for executor in ("exec1", "exec2"):
        assert value(gateway, "jina_sending_request_seconds", "jina_sending_request_seconds_count",
                     executor=executor, runtime_name="gateway/rep-0") == after["gateway"]
        assert value(gateway, "jina_executor_pending_requests", "jina_executor_pending_requests",
                     executor=executor) == 0
    for name in ("jina_received_request_bytes", "jina_sent_response_bytes", "jina_sent_request_bytes",
                 "jina_received_response_bytes"):
        assert gateway[name].type == "histogram"
    for name in ("process_resident_memory_bytes", "process_open_fds", "process_start_time_seconds"):
        assert gateway[name].type == "gauge" and gateway[name].samples[0].value > 0
    assert gateway["process_cpu_seconds"].type == "counter"

    exec1 = scrape(metrics["exec1/rep-0"])
    labels = {"executor": "TextAppend", "executor_endpoint": "/", "runtime_name": "exec1/rep-0"}
    assert exec1["jina_process_request_seconds"].type == "histogram"
    assert value(exec1, "jina_process_request_seconds", "jina_process_request_seconds_count", **labels) \
        == after["exec1/rep-0"]
    assert value(exec1, "jina_document_processed", "jina_document_processed_total", **labels) == after["exec1/rep-0 docs"]
    assert value(exec1, "jina_failed_requests", "jina_failed_requests_total", runtime_name="exec1/rep-0") == 0

    # The aggregate has every child's series, labelled with where it came from.
    flow_families = scrape(metrics["flow"])
    pods = {s.labels.get("pod") for s in flow_families["jina_successful_requests"].samples}
    assert pods == {"gateway", "exec1/rep-0", "exec2/rep-0", "exec2/rep-1"}
    assert value(flow_families, "jina_successful_requests", "jina_successful_requests_total",
                 pod="exec2/rep-1", deployment="exec2", shard="0", replica="1") == after["exec2/rep-1"]
    assert {s.labels["pod"] for s in flow_families["process_resident_memory_bytes"].samples} == pods
    assert all(s.value == 1 for s in flow_families["jina_scrape_up"].samples)
    assert len(flow_families["jina_scrape_up"].samples) == 3
    restarts = flow_families["jina_executor_restarts"]
    assert restarts.type == "counter"
    assert {(s.labels["executor"], s.labels["replica"]) for s in restarts.samples if s.name.endswith("_total")} \
        == {("exec1", "0"), ("exec2", "0"), ("exec2", "1")}
    assert flow.stop() == 0
    # A clean run and stop with metrics on logs no warning or error (e.g. about the metrics
    # servers being stopped).
    assert [line for line in flow.stderr() if re.search(r"Z (warning|error|critical) ", line)] == []


def test_a_restart_is_counted(start_flow):
    flow = start_flow(FLOW)
    _, metrics = flow.banner()
    children = children_of(flow.proc.pid)
    victim = next(pid for pid in children
                  if "exec1" in open(f"/proc/{pid}/cmdline", "rb").read().decode(errors="replace"))
    os.kill(int(victim), signal.SIGKILL)
    flow.wait_for(r"executor exec1 is back", stream="stderr")
    families = scrape(metrics["flow"])
    assert value(families, "jina_executor_restarts", "jina_executor_restarts_total", executor="exec1") == 1
    assert value(families, "jina_executor_restarts", "jina_executor_restarts_total", executor="exec2", replica="0") == 0
    assert flow.stop() == 0


def test_json_logs_carry_the_executor_and_the_request_id_crosses_every_hop(start_flow):
    flow = start_flow(FLOW, "--log-format", "json", "--log-level", "debug")
    port, _ = flow.banner()
    request = jina_pb2.DataRequestProto()
    request.header.request_id = "trace-me-0123"
    request.header.exec_endpoint = "/"
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        # Plain protobuf (de)serialisation: Jina's own stub expects its DataRequest wrapper.
        call = channel.unary_unary("/jina.JinaSingleDataRequestRPC/process_single_data",
                                   request_serializer=jina_pb2.DataRequestProto.SerializeToString,
                                   response_deserializer=jina_pb2.DataRequestProto.FromString)
        reply = call(request, timeout=30)
    assert reply.header.request_id == "trace-me-0123"
    assert [route.executor for route in reply.routes][:2] == ["gateway", "exec1"]
    flow.wait_for(r'"logger":"exec2.*"request_id":"trace-me-0123"', stream="stderr")
    assert flow.stop() == 0

    objects = []
    for line in flow.stderr():
        objects.append(json.loads(line))  # every line is one JSON object
    for item in objects:
        assert {"time", "level", "logger", "message"} <= item.keys()
    children = [item for item in objects if item["logger"].startswith("exec")]
    assert {(item["executor"], item["replica"]) for item in children} >= {("exec1", "0"), ("exec2", "0"), ("exec2", "1")}
    traced = [item for item in objects if item.get("request_id") == "trace-me-0123"]
    # The gateway logged the request, and the executors it went through logged the same id.
    assert any(item["logger"] == "flow" for item in traced)
    assert {item["executor"] for item in traced if "executor" in item} == {"exec1", "exec2"}
    assert all(item["outcome"] == "ok" for item in traced)


def test_dashboard_queries_only_exported_metrics(start_flow):
    dashboard = json.loads((REPO / "docs" / "monitoring" / "dashboard.json").read_text())
    exprs = [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]
    assert exprs
    used = set()
    for expr in exprs:
        for name in re.findall(r"\b((?:jina|process)_[a-z_]+)\b", expr):
            used.add(re.sub(r"_(bucket|sum|count)$", "", name))
    config = yaml.safe_load((REPO / "docs" / "monitoring" / "prometheus.yml").read_text())
    assert config["scrape_configs"][0]["static_configs"][0]["targets"]

    flow = start_flow(FLOW)
    port, metrics = flow.banner()
    post(port, 1)
    exported = set()
    for family in scrape(metrics["flow"]).values():
        exported.update(sample.name for sample in family.samples)
        exported.add(family.name)
    missing = sorted(name for name in used if name not in exported)
    assert not missing, f"the dashboard queries metrics nobody exports: {missing}"
    for name in ("jina_receiving_request_seconds", "jina_sending_request_seconds", "jina_executor_restarts_total",
                 "process_resident_memory_bytes", "jina_failed_requests_total", "jina_number_of_pending_requests"):
        assert name in used
    assert flow.stop() == 0


def test_the_executor_alone_serves_metrics(jina_bin, tmp_path):
    proc = subprocess.Popen([jina_bin, "executor", "--uses", "TextAppend", "--port", "0", "--host", "127.0.0.1",
                             "--monitoring", "--port-monitoring", "0", "--log-format", "json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().startswith("ready grpc://127.0.0.1:")
        while True:
            item = json.loads(proc.stderr.readline())
            if item["message"].startswith("metrics on "):
                break
        assert item["executor"] == "executor" and item["replica"] == "0"
        families = scrape(item["message"].split()[-1])
        assert value(families, "jina_successful_requests", "jina_successful_requests_total",
                     runtime_name="executor/rep-0") == 0
        assert "process_open_fds" in families
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0


def test_the_monitoring_example_with_shards(start_flow, tmp_path):
    text = (REPO / "docs" / "monitoring" / "flow.yml").read_text()
    text = re.sub(r"(?m)^  port: \d+\n", "", text, count=1)  # no port: a free one
    text = re.sub(r"(?m)^  port_monitoring: \d+\n", "", text, count=1)  # a free one
    flow = start_flow(text, "--port-monitoring", "0")
    port, metrics = flow.banner()
    assert set(metrics) == {"flow", "gateway", "encoder/rep-0", "encoder/rep-1",
                            "indexer/shard-0/rep-0", "indexer/shard-1/rep-0"}
    post_client = Client(host=f"grpc://127.0.0.1:{port}")
    for _ in range(4):
        post_client.post("/", DocList[TextDoc]([TextDoc(text="x")]), return_type=DocList[TextDoc])
    families = scrape(metrics["flow"])
    assert all(s.value == 1 for s in families["jina_scrape_up"].samples)
    by_pod = {s.labels["pod"]: s.value for s in families["jina_successful_requests"].samples
              if s.name == "jina_successful_requests_total"}
    assert by_pod["encoder/rep-0"] + by_pod["encoder/rep-1"] == by_pod["gateway"]
    assert by_pod["indexer/shard-0/rep-0"] + by_pod["indexer/shard-1/rep-0"] == by_pod["gateway"]
    shard1 = [s for s in families["jina_successful_requests"].samples if s.labels["pod"] == "indexer/shard-1/rep-0"]
    assert shard1[0].labels["shard"] == "1" and shard1[0].labels["runtime_name"] == "indexer/shard-1/rep-0"
    assert flow.stop() == 0


def test_http_requests_are_counted_like_grpc_ones(start_flow):
    flow = start_flow(FLOW.replace("  monitoring: true\n", "  monitoring: true\n  protocol: [grpc, http]\n"))
    port, metrics = flow.banner()
    http = flow.wait_for(r"^ready http://").split()[1].replace("0.0.0.0", "127.0.0.1")
    def gateway_count():
        return value(scrape(metrics["gateway"]), "jina_successful_requests", "jina_successful_requests_total")

    before = gateway_count()
    for _ in range(3):
        body = json.dumps({"data": [{"text": "a"}]}).encode()
        request = urllib.request.Request(f"{http}/post", data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            assert json.loads(response.read())["data"][0]["text"] == "a-e1-e2"
    post(port, 2)
    assert gateway_count() - before == 5
    assert flow.stop() == 0
