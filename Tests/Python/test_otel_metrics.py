"""OpenTelemetry metrics (#18 item 3) end to end: the built `jina flow` with `metrics: true`
sends the instruments of its Prometheus endpoints over OTLP/gRPC — from the gateway, from a
Swift executor and from a Python Jina executor (its worker's own) — to a receiver this test runs
on loopback. Metrics are read after the Flow stops: every process exports once more on the way
out, so no test waits for the 60 s export interval.
"""
import os

from docarray import DocList
from docarray.documents import TextDoc
from jina import Client
from opentelemetry.proto.collector.metrics.v1 import metrics_service_pb2, metrics_service_pb2_grpc

from otlp_receiver import Receiver, attributes, serving
from test_flow_e2e import flows, free_port  # noqa: F401 (fixtures)
from test_python_executors import PYTHON_ENV, project

os.environ.setdefault("JINA_OPTOUT_TELEMETRY", "1")


class MetricsReceiver(Receiver, metrics_service_pb2_grpc.MetricsServiceServicer):
    """Keeps (service, name, attributes, value) of every point: value = a sum's value, a
    histogram's count, a gauge's value."""

    def __init__(self):
        super().__init__(metrics_service_pb2_grpc.add_MetricsServiceServicer_to_server)

    def Export(self, request, context):  # noqa: N802 (the generated name)
        with self.lock:
            for resource_metrics in request.resource_metrics:
                service = attributes(resource_metrics.resource.attributes).get("service.name")
                for scope in resource_metrics.scope_metrics:
                    for metric in scope.metrics:
                        kind = metric.WhichOneof("data")
                        for point in getattr(metric, kind).data_points:
                            value = point.count if kind == "histogram" else (
                                point.as_int if point.WhichOneof("value") == "as_int" else point.as_double)
                            self.items.append((service, metric.name, attributes(point.attributes), value))
            self.recorded()
        return metrics_service_pb2.ExportMetricsServiceResponse()

    def last(self, service, name, **labels):
        """The last exported value of `name` from `service` whose attributes include `labels`."""
        with self.lock:
            found = [value for (s, n, attrs, value) in self.items
                     if s == service and n == name and all(attrs.get(k) == v for k, v in labels.items())]
        return found[-1] if found else None


receiver = serving(MetricsReceiver)


def flow_yaml(port, metrics):
    return f"""
jtype: Flow
with:
{metrics}
gateway:
  port: {port}
executors:
  - name: first
    uses: TextAppend
    uses_with: {{text: "1"}}
  - name: py
    uses: Tagger
    py_modules: [executors.py]
    uses_with: {{suffix: "+py"}}
"""


def test_gateway_swift_and_python_executors_export_their_instruments(flows, tmp_path, receiver):
    port = free_port()
    keys = f"  metrics: true\n  metrics_exporter_host: 127.0.0.1\n  metrics_exporter_port: {receiver.port}"
    flow = flows(project(tmp_path, flow_yaml(port, keys)), env=PYTHON_ENV)
    flow.wait_ready()
    client = Client(host=f"grpc://127.0.0.1:{port}")
    for _ in range(3):
        docs = client.post("/text", DocList[TextDoc]([TextDoc(text="a"), TextDoc(text="b")]), return_type=DocList[TextDoc])
        assert [doc.text for doc in docs] == ["a1+py", "b1+py"]
    assert flow.stop() == 0

    # The gateway: the same instruments and labels as its Prometheus endpoint (no /metrics here).
    gateway = {"runtime_name": "gateway/rep-0"}
    assert receiver.last("gateway", "jina_successful_requests", **gateway) == 3
    assert receiver.last("gateway", "jina_receiving_request_seconds", **gateway) == 3
    for executor in ("first", "py"):
        assert receiver.last("gateway", "jina_sending_request_seconds", executor=executor) == 3
        assert receiver.last("gateway", "jina_sent_request_bytes", executor=executor) == 3
    # The Swift executor.
    assert receiver.last("first", "jina_successful_requests", runtime_name="first/rep-0") == 3
    assert receiver.last("first", "jina_process_request_seconds", executor_endpoint="/text") == 3
    assert receiver.last("first", "jina_document_processed", executor_endpoint="/text") == 6
    # Python Jina's worker exports its own instruments under its runtime name.
    python = {name for (service, name, _, _) in receiver.collected() if service == "py/rep-0"}
    assert "jina_receiving_request_seconds" in python, python


def test_nothing_is_exported_when_metrics_are_off(flows, tmp_path, receiver):
    port = free_port()
    # The exporter keys alone do not switch OpenTelemetry metrics on (as in Jina).
    keys = f"  monitoring: true\n  metrics_exporter_host: 127.0.0.1\n  metrics_exporter_port: {receiver.port}"
    flow = flows(project(tmp_path, flow_yaml(port, keys)), env=PYTHON_ENV)
    flow.wait_ready()
    Client(host=f"grpc://127.0.0.1:{port}").post("/text", DocList[TextDoc]([TextDoc(text="a")]), return_type=DocList[TextDoc])
    assert flow.stop() == 0
    assert receiver.collected() == []
