"""Streaming endpoints (#15 item 2) end to end: the built `jina flow` with the marker executor's
`/stream` (an SDK `Endpoint.streaming`) and a Python executor's generator endpoint, driven by
Jina 3.34's own `Client.stream_doc` over gRPC and HTTP, and by a raw WebSocket client.

`/stream` yields `count` documents `interval_ms` apart, each stamped with the time it was
produced (tags.produced_at), so a test can tell that a document reached the client before the
last one was even produced. Every wait is on an event with a deadline; ports come from the OS.
"""
import json
import os
import subprocess
import sys

import pytest
import requests as http
from websockets.sync.client import connect

from test_flow_e2e import flows, free_port, marker_bin, write_flow  # noqa: F401 (fixtures)
from test_python_executors import PYTHON_ENV, project

os.environ.setdefault("JINA_OPTOUT_TELEMETRY", "1")

# Jina's streaming client is asyncio only; it runs in a child interpreter (grpc's asyncio
# machinery left in the pytest process makes Python Jina's own Flow abort in later tests).
STREAM_CLIENT = """
import asyncio, json, sys, time
from docarray.documents.legacy import LegacyDocument
from jina import Client

async def main():
    host, endpoint, document = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    client = Client(host=host, asyncio=True)
    received = []
    try:
        async for doc in client.stream_doc(on=endpoint, inputs=LegacyDocument(**document), return_type=LegacyDocument):
            received.append({"text": doc.text, "tags": dict(doc.tags or {}), "received_at": time.time()})
    except Exception as error:
        received.append({"error": type(error).__name__, "message": str(error)})
    print(json.dumps(received))

asyncio.run(main())
"""


def stream_doc(host: str, endpoint: str, document: dict) -> list[dict]:
    run = subprocess.run([sys.executable, "-c", STREAM_CLIENT, host, endpoint, json.dumps(document)],
                         capture_output=True, text=True, timeout=120, env={**os.environ, "JINA_OPTOUT_TELEMETRY": "1"})
    assert run.returncode == 0, run.stderr[-2000:]
    return json.loads(run.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def gateway(tmp_path_factory, marker_bin, jina_bin):
    """One Flow for the module: an upper-casing Python-free chain (TextAppend, then the marker)
    on gRPC, HTTP and WebSocket."""
    from test_flow_e2e import RunningFlow
    ports = {"grpc": free_port(), "http": free_port(), "websocket": free_port()}
    tmp = tmp_path_factory.mktemp("streaming")
    path = write_flow(tmp, f"""jtype: Flow
gateway:
  protocol: [grpc, http, websocket]
  port: [{ports['grpc']}, {ports['http']}, {ports['websocket']}]
executors:
  - name: bang
    uses: TextAppend
    uses_with: {{text: "!"}}
  - name: marker
    uses: {marker_bin}
""")
    flow = RunningFlow(jina_bin, path)
    flow.wait_ready()
    yield ports
    assert flow.stop() == 0


@pytest.mark.parametrize("protocol", ["grpc", "http"])
def test_jina_client_receives_each_document_as_it_is_produced(gateway, protocol):
    docs = stream_doc(f"{protocol}://127.0.0.1:{gateway[protocol]}", "/stream",
                      {"text": "hi", "tags": {"count": 3, "interval_ms": 400}})
    assert [doc.get("text") for doc in docs] == [f"hi!#{i}|s0r0" for i in range(3)], docs
    # The earlier executor ran once on the input ("hi!"), the streaming one yielded three.
    produced = [doc["tags"]["produced_at"] for doc in docs]
    assert docs[0]["received_at"] < produced[-1], "the first document only arrived after the last was produced"


def test_http_event_stream_framing_and_query_string(gateway):
    # The document as the query string (every value a string), as a browser's EventSource sends it.
    with http.get(f"http://127.0.0.1:{gateway['http']}/stream", params={"text": "q"}, stream=True, timeout=30) as reply:
        assert reply.status_code == 200
        assert reply.headers["content-type"].startswith("text/event-stream")
        body = reply.raw.read().decode()
    events = body.split("\r\n\r\n")
    assert events[-1] == "" and events[-2] == "event: end"
    updates = events[:-2]
    assert len(updates) == 3
    for index, event in enumerate(updates):
        name, data = event.split("\r\n")
        assert name == "event: update"
        assert json.loads(data.removeprefix("data: "))["text"] == f"q!#{index}|s0r0"


def test_http_error_mid_stream_is_an_error_event(gateway):
    with http.get(f"http://127.0.0.1:{gateway['http']}/stream", json={"text": "fail", "tags": {"interval_ms": 10}},
                  stream=True, timeout=30) as reply:
        body = reply.raw.read().decode()
    events = [event for event in body.split("\r\n\r\n") if event]
    assert events[0].startswith("event: update")
    assert events[1].startswith("event: error")
    error = json.loads(events[1].split("\r\n")[1].removeprefix("data: "))
    assert "failed mid-stream" in error["detail"] and error["header"]["status"]["exception"]["executor"] == "MarkerExecutor"
    assert events[-1] == "event: end"


def test_grpc_error_mid_stream_raises_in_jina_client(gateway):
    docs = stream_doc(f"grpc://127.0.0.1:{gateway['grpc']}", "/stream", {"text": "fail", "tags": {"interval_ms": 10}})
    assert docs[0]["text"] == "fail!#0|s0r0"
    assert docs[-1].get("error") == "BadServer" and "failed mid-stream" in docs[-1]["message"]


@pytest.mark.parametrize("mode", ["json", "bytes"])
def test_websocket_streams_with_a_raw_client(gateway, mode):
    url = f"ws://127.0.0.1:{gateway['websocket']}/stream_doc"
    if mode == "json":
        with connect(url, subprotocols=["json"], open_timeout=10) as socket:
            # Two streams on one connection, told apart by request id.
            for rid, text in (("a", "x"), ("b", "y")):
                socket.send(json.dumps({"execEndpoint": "/stream", "request_id": rid,
                                        "data": {"text": text, "tags": {"count": 2, "interval_ms": 50}}}))
            events = {}
            ended = set()
            while ended != {"a", "b"}:
                event = json.loads(socket.recv(timeout=30))
                events.setdefault(event["request_id"], []).append(event)
                if event["event"] == "end":
                    ended.add(event["request_id"])
        for rid, text in (("a", "x"), ("b", "y")):
            assert [e["event"] for e in events[rid]] == ["update", "update", "end"]
            assert [e["data"]["text"] for e in events[rid][:2]] == [f"{text}!#0|s0r0", f"{text}!#1|s0r0"]
        return
    from jina.proto import jina_pb2
    from docarray.documents.legacy import LegacyDocument
    request = jina_pb2.SingleDocumentRequestProto()
    request.header.exec_endpoint = "/stream"
    request.header.request_id = "r1"
    request.document.CopyFrom(LegacyDocument(text="z", tags={"count": 2, "interval_ms": 10}).to_protobuf())
    replies = []
    with connect(url, subprotocols=["bytes"], open_timeout=10) as socket:
        socket.send(request.SerializeToString())
        while True:
            reply = jina_pb2.SingleDocumentRequestProto()
            reply.ParseFromString(socket.recv(timeout=30))
            replies.append(reply)
            if not reply.HasField("document"):
                break
    assert [r.header.request_id for r in replies] == ["r1"] * 3
    assert [LegacyDocument.from_protobuf(r.document).text for r in replies[:2]] == ["z!#0|s0r0", "z!#1|s0r0"]
    assert replies[-1].header.status.code == 0


def test_discovery_reports_the_streaming_endpoint(gateway):
    schema = http.get(f"http://127.0.0.1:{gateway['http']}/openapi.json", timeout=10).json()
    assert "get" in schema["paths"]["/stream"]
    # A plain POST to the streaming endpoint gets every produced document (Jina refuses it).
    reply = http.post(f"http://127.0.0.1:{gateway['http']}/stream",
                      json={"data": [{"text": "p", "tags": {"count": 2, "interval_ms": 1}}]}, timeout=30).json()
    assert [doc["text"] for doc in reply["data"]] == ["p!#0|s0r0", "p!#1|s0r0"]


def test_python_generator_endpoint_streams_through_our_gateway(flows, tmp_path):
    grpc, web = free_port(), free_port()
    flow = flows(project(tmp_path, f"""
jtype: Flow
gateway:
  protocol: [grpc, http]
  port: [{grpc}, {web}]
executors:
  - name: words
    uses: Tagger
    py_modules: [executors.py]
    uses_with: {{suffix: "+py"}}
"""), env=PYTHON_ENV)
    flow.wait_ready()
    for host in (f"grpc://127.0.0.1:{grpc}", f"http://127.0.0.1:{web}"):
        docs = stream_doc(host, "/words", {"text": "one two three"})
        words = [doc["text"].split("@") for doc in docs]
        assert [word for word, _ in words] == ["one+py", "two+py", "three+py"], docs
        assert docs[0]["received_at"] < float(words[-1][1])
    assert flow.stop() == 0
