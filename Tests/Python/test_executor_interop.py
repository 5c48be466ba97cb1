"""Our executors with the real Python Jina 3.34: its generated grpcio stubs send the reference
client's exact request to `jina executor`, a Python Jina Flow uses our executors as external
executors, and an executor error reaches the Python client as Jina's `BadServer`."""
import contextlib
import os
import pathlib
import select
import signal
import subprocess
import tempfile

import grpc
import pytest

from conftest import REPO

os.environ.setdefault("JINA_OPTOUT_TELEMETRY", "1")

from docarray import DocList  # noqa: E402
from docarray.documents import TextDoc  # noqa: E402
from jina.proto.docarray_v2.pb import jina_pb2, jina_pb2_grpc  # noqa: E402

REFERENCE_REQUEST = REPO / "Tests" / "Fixtures" / "jina" / "request.pb"
READY_TIMEOUT = 30


class Executor:
    """One executor process, started like a Flow starts it; stopped with SIGTERM."""

    def __init__(self, argv):
        self.stderr = tempfile.TemporaryFile(mode="w+")
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=self.stderr, text=True)
        readable, _, _ = select.select([self.proc.stdout], [], [], READY_TIMEOUT)
        line = self.proc.stdout.readline().strip() if readable else ""
        if not line.startswith("ready "):
            self.proc.kill()
            self.proc.wait()
            raise AssertionError(f"no ready line (got {line!r}); stderr:\n{self.stderr_text()}")
        self.address = line[len("ready "):]

    def stderr_text(self):
        self.stderr.seek(0)
        return self.stderr.read()

    @property
    def port(self):
        return int(self.address.rsplit(":", 1)[1])

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout=30)
        assert code == 0, f"exit {code}; stderr:\n{self.stderr_text()}"


@contextlib.contextmanager
def executor(argv):
    running = Executor(argv)
    try:
        yield running
    finally:
        if running.proc.poll() is None:
            running.stop()


def text_append(jina_bin, *where):
    return [jina_bin, "executor", "--uses", "TextAppend", "--uses-with", '{"text":"!"}', *where]


@pytest.fixture(scope="module")
def upper_bin(jina_bin):
    path = pathlib.Path(jina_bin).parent / "upper-executor"
    assert os.access(path, os.X_OK), f"example executor not built at {path}; run swift build first"
    return str(path)


def reference_request():
    """The reference bytes, wrapped as Jina's stubs want them (sent as they are, unparsed)."""
    from jina.types.request.data import DataRequest

    return DataRequest(REFERENCE_REQUEST.read_bytes())


def check_reply(request, sent):
    reply = request.proto_with_data
    sent = jina_pb2.DataRequestProto.FromString(REFERENCE_REQUEST.read_bytes())
    assert reply.header.request_id == sent.header.request_id == "0123456789abcdef0123456789abcdef"
    assert reply.header.status.code == jina_pb2.StatusProto.SUCCESS
    assert [route.executor for route in reply.routes] == ["executor"]
    assert reply.routes[0].end_time.ToNanoseconds() >= reply.routes[0].start_time.ToNanoseconds() > 0
    docs = DocList[TextDoc].from_protobuf(reply.data.docs)
    assert [(d.id, d.text) for d in docs] == [("bench-doc-0", "hello!")]
    assert reply.parameters == sent.parameters


@pytest.mark.parametrize("transport", ["tcp", "unix"])
def test_reference_request(jina_bin, transport, tmp_path):
    if transport == "tcp":
        argv, target = text_append(jina_bin, "--port", "0", "--host", "127.0.0.1"), None
    else:
        socket_path = tempfile.mktemp(prefix="jina-interop-", suffix=".sock", dir="/tmp")
        argv, target = text_append(jina_bin, "--socket", socket_path), f"unix:{socket_path}"
    with executor(argv) as running:
        if transport == "tcp":
            assert running.address == f"grpc://127.0.0.1:{running.port}"
            target = f"127.0.0.1:{running.port}"
        else:
            assert running.address == f"unix://{socket_path}"
        sent = reference_request()
        with grpc.insecure_channel(target) as channel:
            unary = jina_pb2_grpc.JinaSingleDataRequestRPCStub(channel).process_single_data(sent, timeout=10)
            check_reply(unary, sent)
            streamed = list(jina_pb2_grpc.JinaRPCStub(channel).Call(iter([sent, sent]), timeout=10))
            assert len(streamed) == 2
            for reply in streamed:
                check_reply(reply, sent)
        running.stop()
    if transport == "unix":
        assert not os.path.exists(socket_path)


def test_health_and_discovery_seen_from_python(jina_bin):
    from grpc_health.v1 import health_pb2, health_pb2_grpc
    from google.protobuf import empty_pb2

    with executor(text_append(jina_bin, "--port", "0", "--host", "127.0.0.1")) as running:
        with grpc.insecure_channel(f"127.0.0.1:{running.port}") as channel:
            status = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(service=""), timeout=10)
            assert status.status == health_pb2.HealthCheckResponse.SERVING
            endpoints = jina_pb2_grpc.JinaDiscoverEndpointsRPCStub(channel).endpoint_discovery(empty_pb2.Empty(), timeout=10)
            assert list(endpoints.endpoints) == ["/default", "_jina_dry_run_"]
            info = jina_pb2_grpc.JinaInfoRPCStub(channel)._status(empty_pb2.Empty(), timeout=10)
            assert info.jina["jina"] == "3.34.0"


PYTHON_FLOW = """
import json, sys
from docarray import DocList
from docarray.documents import TextDoc
from jina import Flow

port, endpoint, texts, name = int(sys.argv[1]), sys.argv[2], json.loads(sys.argv[3]), sys.argv[4]
flow = Flow().add(external=True, host="127.0.0.1", port=port, name=name)
with flow:
    docs = DocList[TextDoc]([TextDoc(id=f"doc-{i}", text=text) for i, text in enumerate(texts)])
    out = flow.post(endpoint, inputs=docs, return_type=DocList[TextDoc])
print(json.dumps([[doc.id, doc.text] for doc in out]))
"""


def post_through_python_flow(port, endpoint, texts, name="ours"):
    """Python Jina's own Flow, in a child interpreter: it forks its gateway, and forking the
    pytest process (with the gRPC threads earlier tests left) made the forked child abort."""
    import json
    import sys

    run = subprocess.run([sys.executable, "-c", PYTHON_FLOW, str(port), endpoint, json.dumps(texts), name],
                         capture_output=True, text=True, timeout=180, env={**os.environ, "JINA_OPTOUT_TELEMETRY": "1"})
    assert run.returncode == 0, run.stderr[-3000:]
    return [TextDoc(id=doc_id, text=text) for doc_id, text in json.loads(run.stdout.strip().splitlines()[-1])]


def test_python_flow_with_builtin_executor(jina_bin):
    with executor(text_append(jina_bin, "--port", "0", "--host", "127.0.0.1")) as running:
        docs = post_through_python_flow(running.port, "/", ["hello", None])
    assert [(d.id, d.text) for d in docs] == [("doc-0", "hello!"), ("doc-1", "!")]


def test_python_flow_with_custom_executor(upper_bin):
    with executor([upper_bin, "--port", "0", "--host", "127.0.0.1", "--uses-with", '{"suffix": "?"}']) as running:
        docs = post_through_python_flow(running.port, "/upper", ["hello", "world"], name="upper")
    assert [d.text for d in docs] == ["HELLO?", "WORLD?"]


ERROR_FLOW = """
import json, sys
from docarray import DocList
from docarray.documents import TextDoc
from jina import Flow
from jina.excepts import BadServer

flow = Flow().add(external=True, host="127.0.0.1", port=int(sys.argv[1]), name="upper")
with flow:
    try:
        flow.post("/fail", inputs=DocList[TextDoc]([TextDoc(text="x")]), return_type=DocList[TextDoc])
        raise SystemExit("no BadServer")
    except BadServer as error:
        status = error.args[0].status
        report = {"code": status.code, "description": status.description, "name": status.exception.name,
                  "args": list(status.exception.args), "executor": status.exception.executor, "text": str(error)}
    # The executor keeps serving after a failed request.
    docs = flow.post("/upper", inputs=DocList[TextDoc]([TextDoc(text="x")]), return_type=DocList[TextDoc])
    report["after"] = [doc.text for doc in docs]
print(json.dumps(report))
"""


def test_executor_error_reaches_the_python_client(upper_bin):
    import json
    import sys

    # Python Jina's Flow in a child interpreter, as in post_through_python_flow.
    with executor([upper_bin, "--port", "0", "--host", "127.0.0.1"]) as running:
        run = subprocess.run([sys.executable, "-c", ERROR_FLOW, str(running.port)], capture_output=True, text=True,
                             timeout=180, env={**os.environ, "JINA_OPTOUT_TELEMETRY": "1"})
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert report["code"] == jina_pb2.StatusProto.ERROR
    assert report["description"] == "Failure: the /fail endpoint always fails"
    assert report["name"] == "Failure"
    assert report["args"] == ["the /fail endpoint always fails"]
    assert report["executor"] == "UpperExecutor"
    assert "the /fail endpoint always fails" in report["text"]
    assert report["after"] == ["X"]
