"""OpenTelemetry tracing (#18 item 2, 4) end to end: the built `jina flow` with two Swift
executors and one Python Jina executor exports its spans over OTLP/gRPC to a receiver this
test runs on loopback (grpcio + opentelemetry-proto, both in the reference venv).

Spans are read after the Flow stops: every process flushes what it still holds on the way
out, so no test waits for an export interval.
"""
import json
import os

import requests as http
from docarray import DocList
from docarray.documents import TextDoc
from jina import Client
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2, trace_service_pb2_grpc

from otlp_receiver import Receiver, attributes, serving
from test_flow_e2e import flows, free_port, marker_bin  # noqa: F401 (fixtures)
from test_python_executors import PYTHON_ENV, project

os.environ.setdefault("JINA_OPTOUT_TELEMETRY", "1")


class SpanReceiver(Receiver, trace_service_pb2_grpc.TraceServiceServicer):
    """Keeps every span it is sent, flattened."""

    def __init__(self):
        super().__init__(trace_service_pb2_grpc.add_TraceServiceServicer_to_server)

    def Export(self, request, context):  # noqa: N802 (the generated name)
        with self.lock:
            for resource_spans in request.resource_spans:
                resource = attributes(resource_spans.resource.attributes)
                for scope in resource_spans.scope_spans:
                    for span in scope.spans:
                        self.items.append({
                            "name": span.name, "kind": span.kind, "trace": span.trace_id.hex(),
                            "id": span.span_id.hex(), "parent": span.parent_span_id.hex(),
                            "attrs": attributes(span.attributes),
                            "service": resource.get("service.name"), "status": span.status.code,
                        })
            self.recorded()
        return trace_service_pb2.ExportTraceServiceResponse()


receiver = serving(SpanReceiver)


SERVER, CLIENT = 2, 3  # opentelemetry.proto.trace.v1.Span.SpanKind


def flow_yaml(grpc_port, http_port, tracing):
    return f"""
jtype: Flow
with:
{tracing}
gateway:
  protocol: [grpc, http]
  port: [{grpc_port}, {http_port}]
executors:
  - name: first
    uses: TextAppend
    uses_with: {{text: "1"}}
  - name: py
    uses: Tagger
    py_modules: [executors.py]
    uses_with: {{suffix: "+py"}}
  - name: last
    uses: TextAppend
    uses_with: {{text: "!"}}
"""


def marker_flow(tmp_path, receiver, marker_bin, protocol, port):
    """A traced Flow of the marker executor alone, its gateway serving `protocol` on `port`."""
    path = tmp_path / "flow.yml"
    path.write_text(f"""
jtype: Flow
with:
  tracing: true
  traces_exporter_host: 127.0.0.1
  traces_exporter_port: {receiver.port}
gateway:
  protocol: {protocol}
  port: {port}
executors:
  - name: marker
    uses: {marker_bin}
""")
    return path


def test_one_trace_per_request_across_swift_and_python_executors(flows, tmp_path, receiver):
    grpc_port, http_port = free_port(), free_port()
    tracing = f"  tracing: true\n  traces_exporter_host: 127.0.0.1\n  traces_exporter_port: {receiver.port}"
    # Spans go out every 200 ms here (OpenTelemetry's variable, read by swift-otel and Python's
    # SDK alike), and the test waits for them before stopping: what it checks is the traces, not
    # the flush at stop (the other tests rely on that).
    flow = flows(project(tmp_path, flow_yaml(grpc_port, http_port, tracing)),
                 env={**PYTHON_ENV, "OTEL_BSP_SCHEDULE_DELAY": "200"})
    flow.wait_ready()
    client = Client(host=f"grpc://127.0.0.1:{grpc_port}")
    for text in ("a", "b"):
        docs = client.post("/text", DocList[TextDoc]([TextDoc(text=text), TextDoc(text=text)]), return_type=DocList[TextDoc])
        assert [doc.text for doc in docs] == [f"{text}1+py!"] * 2
    # A caller's own trace context is honoured: the gateway's span joins the caller's trace.
    caller_trace, caller_span = "5bd66ef5095369c7b0d1f8f4bd33716a", "c532cb4098ac3dd2"
    reply = http.post(f"http://127.0.0.1:{http_port}/text", json={"data": [{"text": "h"}]},
                      headers={"traceparent": f"00-{caller_trace}-{caller_span}-01"}, timeout=30)
    assert reply.status_code == 200, reply.text
    # Three requests: a gateway span, three hops, two Swift executor spans, two Python spans each.
    if not receiver.wait_until(lambda spans: len(spans) >= 3 * 8):
        print(flow.text("stderr")[-3000:])
    assert flow.stop() == 0

    spans = receiver.collected()
    gateways = [s for s in spans if s["service"] == "gateway" and s["kind"] == SERVER]
    assert len(gateways) == 3, json.dumps(spans, indent=1)
    traces = {s["trace"] for s in gateways}
    assert len(traces) == 3, "one trace per request"
    assert caller_trace in traces
    # Nothing else: behind a tracing gateway no executor starts a trace of its own — not even
    # Python Jina's worker, whose gRPC interceptor would trace its health checks, status and
    # endpoint-discovery calls (it gets the gateway-only sampler through OTEL_TRACES_SAMPLER).
    others = [s for s in spans if s["trace"] not in traces]
    assert not others, json.dumps(others, indent=1)

    for gateway in gateways:
        trace = [s for s in spans if s["trace"] == gateway["trace"]]
        assert gateway["name"] == "/text"
        assert gateway["attrs"]["jina.outcome"] == "ok"
        assert gateway["parent"] == (caller_span if gateway["trace"] == caller_trace else "")
        request_id = gateway["attrs"]["jina.request_id"]
        documents = 1 if gateway["trace"] == caller_trace else 2
        assert gateway["attrs"]["jina.documents"] == documents

        hops = {s["attrs"]["jina.executor"]: s for s in trace if s["kind"] == CLIENT}
        assert set(hops) == {"first", "py", "last"}
        for name, hop in hops.items():
            assert hop["parent"] == gateway["id"], f"hop {name} is a child of the gateway's span"
            assert hop["service"] == "gateway"
            assert hop["attrs"]["jina.endpoint"] == "/text"
            assert hop["attrs"]["jina.shard"] == 0 and hop["attrs"]["jina.replica"] == 0
            assert hop["attrs"]["jina.documents"] == documents
            assert hop["attrs"]["jina.outcome"] == "ok"
            assert hop["attrs"]["jina.request_id"] == request_id

        # Each Swift executor's span, in its own process, is a child of its hop.
        for name in ("first", "last"):
            [handled] = [s for s in trace if s["service"] == name]
            assert handled["kind"] == SERVER and handled["name"] == "/text"
            assert handled["parent"] == hops[name]["id"]
            assert handled["attrs"]["jina.executor"] == name
            assert handled["attrs"]["jina.replica_name"] == f"{name}/rep-0"
            assert handled["attrs"]["jina.documents"] == documents
            assert handled["attrs"]["jina.outcome"] == "ok"
            assert handled["attrs"]["jina.request_id"] == request_id

        # Python Jina's worker joins the same trace: its gRPC server span and its endpoint span
        # both hang under the gateway's hop to it.
        python = [s for s in trace if s["service"] not in ("gateway", "first", "last")]
        assert {s["name"] for s in python} >= {"/jina.JinaSingleDataRequestRPC/process_single_data", "/text"}
        assert all(s["parent"] == hops["py"]["id"] for s in python)


def test_nothing_is_sent_when_tracing_is_off(flows, tmp_path, receiver):
    grpc_port, http_port = free_port(), free_port()
    # The exporter keys alone do not switch tracing on (as in Jina).
    keys = f"  traces_exporter_host: 127.0.0.1\n  traces_exporter_port: {receiver.port}"
    flow = flows(project(tmp_path, flow_yaml(grpc_port, http_port, keys)), env=PYTHON_ENV)
    flow.wait_ready()
    client = Client(host=f"grpc://127.0.0.1:{grpc_port}")
    client.post("/text", DocList[TextDoc]([TextDoc(text="a")]), return_type=DocList[TextDoc])
    reply = http.post(f"http://127.0.0.1:{http_port}/text", json={"data": [{"text": "h"}]},
                      headers={"traceparent": "00-5bd66ef5095369c7b0d1f8f4bd33716a-c532cb4098ac3dd2-01"}, timeout=30)
    assert reply.status_code == 200
    assert flow.stop() == 0
    assert receiver.collected() == []


def test_a_sampling_ratio_of_zero_traces_no_request_anywhere(flows, tmp_path, receiver):
    grpc_port, http_port = free_port(), free_port()
    tracing = (f"  tracing: true\n  traces_exporter_host: http://127.0.0.1\n  traces_exporter_port: {receiver.port}\n"
               "  traces_sampling_ratio: 0")
    flow = flows(project(tmp_path, flow_yaml(grpc_port, http_port, tracing)), env=PYTHON_ENV)
    flow.wait_ready()
    client = Client(host=f"grpc://127.0.0.1:{grpc_port}")
    for _ in range(5):
        client.post("/text", DocList[TextDoc]([TextDoc(text="a")]), return_type=DocList[TextDoc])
    assert flow.stop() == 0
    # Not the gateway, and not the executors either: they follow the gateway's decision.
    assert receiver.collected() == []


def test_an_executor_error_is_traced_and_its_log_line_names_the_trace(flows, tmp_path, receiver, marker_bin):
    grpc_port = free_port()
    flow = flows(marker_flow(tmp_path, receiver, marker_bin, "grpc", grpc_port))
    flow.wait_ready()
    client = Client(host=f"grpc://127.0.0.1:{grpc_port}")
    responses = client.post("/fail", DocList[TextDoc]([TextDoc(text="x")]), return_responses=True, continue_on_error=True)
    assert responses[0].header.status.code == 1
    assert flow.stop() == 0

    spans = receiver.collected()
    [gateway] = [s for s in spans if s["service"] == "gateway" and s["kind"] == SERVER]
    [hop] = [s for s in spans if s["kind"] == CLIENT]
    [handled] = [s for s in spans if s["service"] == "marker"]
    assert gateway["attrs"]["jina.outcome"] == hop["attrs"]["jina.outcome"] == handled["attrs"]["jina.outcome"] == "error"
    assert gateway["status"] == hop["status"] == handled["status"] == 2  # STATUS_CODE_ERROR
    # The executor's error line carries the trace and span it belongs to.
    [failed] = [line for line in flow.text("stderr").splitlines() if "to /fail failed" in line]
    assert f"trace_id={handled['trace']}" in failed.split() and f"span_id={handled['id']}" in failed.split(), failed


def test_a_streamed_request_joins_the_callers_trace(flows, tmp_path, receiver, marker_bin):
    """Server-sent events run after the HTTP handler returned: the caller's context goes along."""
    web = free_port()
    flow = flows(marker_flow(tmp_path, receiver, marker_bin, "http", web))
    flow.wait_for(r"^ready http://", stream="stdout")
    caller_trace, caller_span = "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331"
    with http.get(f"http://127.0.0.1:{web}/stream", params={"text": "q"}, stream=True, timeout=30,
                  headers={"traceparent": f"00-{caller_trace}-{caller_span}-01"}) as reply:
        assert reply.status_code == 200
        assert reply.raw.read().decode().endswith("event: end\r\n\r\n")
    assert flow.stop() == 0
    spans = receiver.collected()
    [gateway] = [s for s in spans if s["service"] == "gateway" and s["kind"] == SERVER]
    assert gateway["trace"] == caller_trace and gateway["parent"] == caller_span
    assert gateway["name"] == "/stream" and gateway["attrs"]["jina.stream"] is True
    assert gateway["attrs"]["jina.documents"] == 3
