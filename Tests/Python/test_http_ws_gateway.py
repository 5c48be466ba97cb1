"""The HTTP and WebSocket gateways, several protocols at once, bearer tokens, TLS and limits, with
real clients only: curl for HTTP, Python `websockets` for both WebSocket sub-protocols, grpcio
for gRPC, and the real Python Jina 3.34 client over each protocol.

Flows run with the built binary (`JINA_BINARY`); ports come from the OS; waits are on events
(ready lines, process exit, replies) with deadlines.
"""
import asyncio
import json
import os
import pathlib
import random
import signal
import ssl
import subprocess
import time
from socket import create_connection

import grpc
import pytest
import websockets

from test_flow_e2e import RunningFlow, flows, free_port, marker_bin, write_flow  # noqa: F401 (fixtures)

os.environ.setdefault("JINA_OPTOUT_TELEMETRY", "1")

from docarray import DocList  # noqa: E402
from docarray.documents import TextDoc  # noqa: E402
from grpc_health.v1 import health_pb2, health_pb2_grpc  # noqa: E402
from jina import Client  # noqa: E402
from jina.proto import jina_pb2  # noqa: E402

THREE = "gateway:\n  protocol: [grpc, http, websocket]\n"
HELLO = """
executors:
  - name: greeter
    uses: TextAppend
    uses_with:
      text: "!"
"""


def ports(flow: RunningFlow) -> dict:
    """{scheme: port} from the ready banner of a Flow serving gRPC, HTTP and WebSocket; TLS
    schemes (grpcs, https, wss) are reported under the plain names."""
    flow.wait_for(r"^ready (grpc|http|ws)s?://", stream="stdout", count=3)
    urls = [line[len("ready "):] for line in flow.lines["stdout"] if line and line.startswith("ready ")]
    plain = {"grpcs": "grpc", "https": "http", "wss": "ws"}
    return {plain.get(url.split("://")[0], url.split("://")[0]): int(url.rsplit(":", 1)[1]) for url in urls}


def wait_ready_any(flow: RunningFlow) -> dict:
    """{scheme: port} of a Flow whose gateway serves WebSocket (with or without gRPC)."""
    flow.wait_for(r"^ready wss?://", stream="stdout")
    urls = [line[len("ready "):] for line in flow.lines["stdout"] if line and line.startswith("ready ")]
    return {url.split("://")[0]: int(url.rsplit(":", 1)[1]) for url in urls}


def curl(*args: str, data: str | bytes | None = None) -> tuple[int, str]:
    """Runs curl; returns (HTTP status, body). Status 0 = no HTTP answer (e.g. TLS refused)."""
    command = ["curl", "-s", "-S", "--max-time", "20", "-o", "-", "-w", "\n%{http_code}", *args]
    if data is not None:
        command += ["--data-binary", "@-"]
    result = subprocess.run(command, input=data.encode() if isinstance(data, str) else data,
                            capture_output=True, timeout=30)
    body, _, status = result.stdout.decode(errors="replace").rpartition("\n")
    return int(status or 0), body


def post(port: int, path: str, body, *headers: str, scheme="http", extra=()) -> tuple[int, dict | str]:
    args = ["-X", "POST", f"{scheme}://localhost:{port}{path}", *extra]
    for header in headers:
        args += ["-H", header]
    status, text = curl(*args, data=body if isinstance(body, (str, bytes)) else json.dumps(body))
    try:
        return status, json.loads(text)
    except ValueError:
        return status, text


def data_request(endpoint="/", texts=("a",), request_id="req-1") -> jina_pb2.DataRequestProto:
    """A DataRequestProto as the Python client builds it."""
    request = jina_pb2.DataRequestProto()
    request.header.request_id = request_id
    request.header.exec_endpoint = endpoint
    docs = DocList[TextDoc]([TextDoc(id=f"d{i}", text=text) for i, text in enumerate(texts)])
    request.data.docs.CopyFrom(docs.to_protobuf())
    return request


def reply_texts(reply: jina_pb2.DataRequestProto) -> list:
    return [doc.data["text"].text for doc in reply.data.docs.docs]


def grpc_call(channel, request_bytes: bytes, metadata=None) -> jina_pb2.DataRequestProto:
    call = channel.unary_unary("/jina.JinaSingleDataRequestRPC/process_single_data",
                               request_serializer=lambda raw: raw,
                               response_deserializer=jina_pb2.DataRequestProto.FromString)
    return call(request_bytes, metadata=metadata, timeout=30)


# ---------------------------------------------------------------------------------------------
# several protocols at once, real Jina client


def test_jina_client_over_all_three_protocols_at_once(flows, tmp_path):
    flow = flows(write_flow(tmp_path, "jtype: Flow\n" + THREE + HELLO))
    found = ports(flow)
    assert set(found) == {"grpc", "http", "ws"}
    assert len(set(found.values())) == 3
    for protocol, port in [("grpc", found["grpc"]), ("http", found["http"]), ("websocket", found["ws"])]:
        client = Client(host="127.0.0.1", port=port, protocol=protocol)
        docs = client.post("/", DocList[TextDoc]([TextDoc(text=f"t{i}") for i in range(7)]), request_size=3,
                           return_type=DocList[TextDoc])
        assert sorted(doc.text for doc in docs) == sorted(f"t{i}!" for i in range(7)), protocol
        assert client.is_flow_ready(), protocol
    assert len(flow.children()) == 1  # one set of executors behind the three servers
    assert flow.stop() == 0


def test_jina_websocket_client_gets_every_reply_of_single_request_posts(flows, tmp_path):
    """The server closes as soon as every reply is written after the client's end of stream (as
    Jina's gateway does); Jina's client must still get each reply — an earlier gateway saw it
    drop the one reply of single-request posts that came with the close. 300 posts, none empty."""
    flow = flows(write_flow(tmp_path, "jtype: Flow\n" + THREE + HELLO))
    client = Client(host="127.0.0.1", port=ports(flow)["ws"], protocol="websocket")
    missing = []
    for i in range(300):
        docs = client.post("/", DocList[TextDoc]([TextDoc(text=f"p{i}")]), return_type=DocList[TextDoc])
        if [doc.text for doc in docs] != [f"p{i}!"]:
            missing.append((i, [doc.text for doc in docs]))
    assert not missing, f"{len(missing)} of 300 posts came back wrong: {missing[:5]}"
    assert flow.stop() == 0


def test_jina_websocket_client_raises_every_error_reply(flows, tmp_path, marker_bin):
    """An error reply keeps the connection open until the client closes: Jina's client raises an
    error only while its receiving task still runs, and swallowed about half of them when the
    server closed right after answering. 40 failing single-request posts, each must raise."""
    flow = flows(write_flow(tmp_path, f"jtype: Flow\ngateway:\n  protocol: websocket\nexecutors:\n"
                                      f"  - name: marker\n    uses: {marker_bin}\n"))
    port = wait_ready_any(flow)["ws"]
    client = Client(host="127.0.0.1", port=port, protocol="websocket")
    swallowed = 0
    for _ in range(40):
        try:
            client.post("/fail", DocList[TextDoc]([TextDoc(text="x")]))
            swallowed += 1
        except Exception as error:  # noqa: BLE001 (Jina raises BadServer or ValueError here)
            assert "asked to fail" in str(error), error
    assert swallowed == 0, f"{swallowed} of 40 error replies were not raised"
    assert flow.stop() == 0


# ---------------------------------------------------------------------------------------------
# HTTP routes and errors with curl


def test_http_routes_status_codes_and_bodies(flows, tmp_path, marker_bin):
    text = f"""jtype: Flow
gateway:
  protocol: http
  max_documents: 5
  title: Test gateway
executors:
  - name: marker
    uses: {marker_bin}
"""
    flow = flows(write_flow(tmp_path, text))
    port = wait_ready_any_http(flow)
    assert curl(f"http://localhost:{port}/") == (200, "{}")
    status, body = curl(f"http://localhost:{port}/status")
    assert status == 200 and "jina" in json.loads(body) and "envs" in json.loads(body)
    status, body = curl(f"http://localhost:{port}/dry_run")
    assert status == 200 and json.loads(body) == {"code": 0, "description": "", "exception": None}
    status, body = curl(f"http://localhost:{port}/openapi.json")
    spec = json.loads(body)
    assert status == 200 and spec["info"]["title"] == "Test gateway"
    assert "/default" in spec["paths"] and "post" in spec["paths"]["/default"]

    status, reply = post(port, "/default", {"data": [{"id": "x", "text": "a"}, {"text": "b"}],
                                            "parameters": {"k": 3}, "header": {"request_id": "r-9"}})
    assert status == 200, reply
    assert [doc["text"] for doc in reply["data"]] == ["a|s0r0", "b|s0r0"]
    assert reply["data"][0]["id"] == "x" and len(reply["data"][1]["id"]) == 32
    assert reply["header"]["request_id"] == "r-9" and reply["parameters"]["k"] == 3.0
    status, reply = post(port, "/default", {"data": {"id": "single", "text": "s"}})
    assert status == 200 and reply["header"]["request_id"] == "single" and len(reply["data"]) == 1
    status, reply = post(port, "/post", {"data": [{"text": "p"}], "execEndpoint": "/default"})
    assert status == 200 and reply["data"][0]["text"] == "p|s0r0"

    assert post(port, "/nothing-here", {"data": []})[0] == 404
    status, reply = post(port, "/default", {"parameters": {}})
    assert status == 422 and reply["detail"][0]["loc"] == ["body", "data"] and reply["detail"][0]["type"] == "missing"
    status, reply = post(port, "/default", {"data": [{"text": "ok"}, {"text": 5}]})
    assert status == 422 and reply["detail"][0]["loc"] == ["body", "data", 1, "text"]
    status, reply = post(port, "/default", '{"data": [')
    assert status == 422 and reply["detail"][0]["type"] == "json_invalid"
    status, reply = post(port, "/default", {"data": [{"text": str(i)} for i in range(6)]})
    assert status == 413 and "max_documents" in json.dumps(reply)
    status, reply = post(port, "/fail", {"data": [{"text": "boom"}], "header": {"request_id": "r-fail"}})
    assert status == 500 and "was asked to fail" in reply["detail"]
    # Error bodies carry the request's header as DataRequestProto's JSON, naming the executor.
    assert reply["header"]["request_id"] == "r-fail"
    assert reply["header"]["status"]["code"] == 1
    assert reply["header"]["status"]["exception"]["executor"] == "MarkerExecutor"  # as the executor names itself
    assert reply["header"]["status"]["description"] == reply["detail"]
    assert flow.stop() == 0


def wait_ready_any_http(flow: RunningFlow) -> int:
    flow.wait_for(r"^ready http://", stream="stdout")
    url = next(line for line in flow.lines["stdout"] if line and line.startswith("ready http://"))
    return int(url.rsplit(":", 1)[1])


def test_executor_unreachable_is_503(flows, tmp_path):
    # An external executor nobody listens on: the gateway answers 503 once its retries are spent.
    with_port = "jtype: Flow\ngateway:\n  protocol: http\nexecutors:\n  - name: gone\n    external: true\n" \
                "    host: 127.0.0.1\n    port: 9\n    retries: 0\n"
    flow = flows(write_flow(tmp_path, with_port))
    port = wait_ready_any_http(flow)
    status, reply = post(port, "/post", {"data": [{"text": "x"}]})
    assert status == 503, reply
    assert "gone" in reply["detail"]
    assert reply["header"]["status"]["exception"] == {
        "name": "InternalNetworkError", "args": [reply["detail"]], "executor": "gone"}
    assert flow.stop() == 0


def test_cors_preflight_and_origin(flows, tmp_path):
    flow = flows(write_flow(tmp_path, "jtype: Flow\ngateway:\n  protocol: http\n  cors: true\n" + HELLO))
    port = wait_ready_any_http(flow)
    result = subprocess.run(["curl", "-s", "-i", "-X", "OPTIONS", f"http://localhost:{port}/default",
                             "-H", "Origin: https://app.example", "-H", "Access-Control-Request-Method: POST"],
                            capture_output=True, text=True, timeout=30)
    head = result.stdout.lower()
    assert " 200" in head.splitlines()[0]
    assert "access-control-allow-origin: https://app.example" in head
    assert "access-control-allow-methods:" in head and "post" in head
    assert flow.stop() == 0


# ---------------------------------------------------------------------------------------------
# WebSocket sub-protocols with `websockets`


def test_websocket_bytes_and_json_subprotocols(flows, tmp_path):
    flow = flows(write_flow(tmp_path, "jtype: Flow\ngateway:\n  protocol: websocket\n" + HELLO))
    port = wait_ready_any(flow)["ws"]

    async def exchange():
        async with websockets.connect(f"ws://127.0.0.1:{port}/", subprotocols=["bytes"]) as socket:
            assert socket.subprotocol == "bytes"
            for index in range(3):
                await socket.send(data_request(texts=(f"b{index}",), request_id=f"ws-{index}").SerializeToString())
            await socket.send(b"garbage that is not protobuf \xff\xff\xff")
            await socket.send(bytes([0]))  # end of the client's stream
            replies = [jina_pb2.DataRequestProto.FromString(await socket.recv()) for _ in range(4)]
            # The server closes normally once every reply is written.
            with pytest.raises(websockets.ConnectionClosedOK):
                await socket.recv()
        good = {r.header.request_id: reply_texts(r) for r in replies if r.header.status.code == 0}
        assert good == {f"ws-{i}": [f"b{i}!"] for i in range(3)}
        bad = [r for r in replies if r.header.status.code == 1]
        assert len(bad) == 1 and "DataRequestProto" in bad[0].header.status.description

        async with websockets.connect(f"ws://127.0.0.1:{port}/", subprotocols=["json"]) as socket:
            assert socket.subprotocol == "json"
            await socket.send(json.dumps({"data": [{"text": "j"}], "execEndpoint": "/",
                                          "header": {"request_id": "json-1"}}))
            reply = json.loads(await socket.recv())
            assert reply["data"][0]["text"] == "j!" and reply["header"]["request_id"] == "json-1"
            await socket.send('{"data": [{"text": 1}]}')
            reply = json.loads(await socket.recv())
            assert reply["status"] == 422 and reply["detail"][0]["loc"] == ["body", "data", 0, "text"]
            await socket.send("{not json")
            assert json.loads(await socket.recv())["detail"][0]["type"] == "json_invalid"

        async with websockets.connect(f"ws://127.0.0.1:{port}/dry_run", subprotocols=["bytes"]) as socket:
            status = jina_pb2.StatusProto.FromString(await socket.recv())
            assert status.code == jina_pb2.StatusProto.SUCCESS

    asyncio.run(exchange())
    assert curl(f"http://localhost:{port}/") == (200, "{}")  # the WebSocket port answers plain HTTP too
    assert flow.stop() == 0


# ---------------------------------------------------------------------------------------------
# bearer tokens on every protocol


def test_bearer_tokens_on_every_protocol(flows, tmp_path):
    token_file = tmp_path / "tokens"
    token_file.write_text("# rotation: the new one first\nfile-token\n\n")
    text = "jtype: Flow\n" + THREE + f"  token_env: GW_TOKENS\n  token_file: {token_file}\n" + HELLO
    flow = flows(write_flow(tmp_path, text), env={"GW_TOKENS": "env-new,env-old"})
    found = ports(flow)
    http, ws, grpc_port = found["http"], found["ws"], found["grpc"]

    # HTTP: 401 without or with a wrong token; every configured token works; `/` stays open.
    status, reply = post(http, "/default", {"data": [{"text": "a"}]})
    assert status == 401 and reply == {"detail": "Not authenticated"}
    assert post(http, "/default", {"data": [{"text": "a"}]}, "Authorization: Bearer nope")[0] == 401
    for token in ("env-new", "env-old", "file-token"):
        status, reply = post(http, "/default", {"data": [{"text": "a"}]}, f"Authorization: Bearer {token}")
        assert status == 200 and reply["data"][0]["text"] == "a!", token
    assert curl(f"http://localhost:{http}/")[0] == 200

    # gRPC: UNAUTHENTICATED without the metadata; health stays open.
    with grpc.insecure_channel(f"127.0.0.1:{grpc_port}") as channel:
        request = data_request().SerializeToString()
        with pytest.raises(grpc.RpcError) as failure:
            grpc_call(channel, request)
        assert failure.value.code() == grpc.StatusCode.UNAUTHENTICATED
        reply = grpc_call(channel, request, metadata=[("authorization", "Bearer env-old")])
        assert reply_texts(reply) == ["a!"]
        health = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=10)
        assert health.status == health_pb2.HealthCheckResponse.SERVING

    # WebSocket: the upgrade needs the header.
    async def websocket():
        with pytest.raises(websockets.InvalidStatus):
            async with websockets.connect(f"ws://127.0.0.1:{ws}/", subprotocols=["json"]):
                pass
        async with websockets.connect(f"ws://127.0.0.1:{ws}/", subprotocols=["json"],
                                      additional_headers={"Authorization": "Bearer file-token"}) as socket:
            await socket.send(json.dumps({"data": [{"text": "w"}]}))
            assert json.loads(await socket.recv())["data"][0]["text"] == "w!"

    asyncio.run(websocket())

    # The real Jina client passes the header (HTTP, WebSocket) or metadata (gRPC) through.
    for protocol, port in [("http", http), ("websocket", ws)]:
        client = Client(host="127.0.0.1", port=port, protocol=protocol)
        docs = client.post("/", DocList[TextDoc]([TextDoc(text="c")]), return_type=DocList[TextDoc],
                           headers={"Authorization": "Bearer env-new"})
        assert [doc.text for doc in docs] == ["c!"], protocol
    client = Client(host="127.0.0.1", port=grpc_port, protocol="grpc")
    docs = client.post("/", DocList[TextDoc]([TextDoc(text="g")]), return_type=DocList[TextDoc],
                       metadata=(("authorization", "Bearer env-new"),))
    assert [doc.text for doc in docs] == ["g!"]
    assert flow.stop() == 0


def test_missing_token_source_stops_start_up(jina_bin, tmp_path):
    path = write_flow(tmp_path, "jtype: Flow\ngateway:\n  token_env: SURELY_UNSET_TOKEN_VAR\n" + HELLO)
    env = {k: v for k, v in os.environ.items() if k != "SURELY_UNSET_TOKEN_VAR"}
    result = subprocess.run([jina_bin, "flow", "--uses", str(path)], capture_output=True, text=True,
                            timeout=60, env=env)
    assert result.returncode == 2
    assert "SURELY_UNSET_TOKEN_VAR" in result.stderr


# ---------------------------------------------------------------------------------------------
# TLS on every protocol, with a CA made here


@pytest.fixture(scope="module")
def certificates(tmp_path_factory) -> pathlib.Path:
    """A throwaway CA and a server certificate for localhost/127.0.0.1 signed by it (openssl CLI)."""
    folder = tmp_path_factory.mktemp("tls")

    def openssl(*args):
        subprocess.run(["openssl", *args], cwd=folder, check=True, capture_output=True, timeout=60)

    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
            "-days", "2", "-subj", "/CN=jina test CA")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "server.csr",
            "-subj", "/CN=localhost")
    (folder / "ext").write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-out", "cert.pem", "-days", "2", "-extfile", "ext")
    return folder


def test_tls_on_every_protocol(flows, tmp_path, certificates):
    text = "jtype: Flow\n" + THREE + f"  ssl_certfile: {certificates / 'cert.pem'}\n" \
        f"  ssl_keyfile: {certificates / 'key.pem'}\n" + HELLO
    flow = flows(write_flow(tmp_path, text))
    found = ports(flow)
    ca = str(certificates / "ca.pem")
    banner = flow.text("stdout")
    assert "ready grpcs://" in banner and "ready https://" in banner and "ready wss://" in banner

    status, reply = post(found["http"], "/default", {"data": [{"text": "s"}]}, scheme="https", extra=("--cacert", ca))
    assert status == 200 and reply["data"][0]["text"] == "s!"
    assert curl(f"http://localhost:{found['http']}/")[0] == 0  # plain HTTP is not served on a TLS port
    assert curl(f"https://localhost:{found['http']}/")[0] == 0  # an unknown CA is refused by curl

    credentials = grpc.ssl_channel_credentials(root_certificates=(certificates / "ca.pem").read_bytes())
    with grpc.secure_channel(f"localhost:{found['grpc']}", credentials) as channel:
        assert reply_texts(grpc_call(channel, data_request(texts=("g",)).SerializeToString())) == ["g!"]
    with grpc.insecure_channel(f"127.0.0.1:{found['grpc']}") as channel:
        with pytest.raises(grpc.RpcError):
            grpc_call(channel, data_request().SerializeToString())

    async def secure_websocket():
        context = ssl.create_default_context(cafile=ca)
        async with websockets.connect(f"wss://localhost:{found['ws']}/", ssl=context, subprotocols=["bytes"]) as socket:
            await socket.send(data_request(texts=("w",)).SerializeToString())
            assert reply_texts(jina_pb2.DataRequestProto.FromString(await socket.recv())) == ["w!"]

    asyncio.run(secure_websocket())

    # TLS 1.2 is the oldest version any listener accepts (the client allows old ones: SECLEVEL=0).
    def handshake(port: int, version: ssl.TLSVersion) -> str:
        context = ssl.create_default_context(cafile=ca)
        context.set_ciphers("DEFAULT:@SECLEVEL=0")
        context.minimum_version = ssl.TLSVersion.TLSv1
        context.maximum_version = version
        try:
            with create_connection(("localhost", port), timeout=10) as raw:
                with context.wrap_socket(raw, server_hostname="localhost") as tls:
                    return tls.version()
        except ssl.SSLError:
            return "refused"

    for port in (found["http"], found["ws"], found["grpc"]):
        assert handshake(port, ssl.TLSVersion.TLSv1_1) == "refused"
        assert handshake(port, ssl.TLSVersion.TLSv1_2) == "TLSv1.2"
    assert flow.stop() == 0


@pytest.mark.parametrize("problem", ["missing", "garbage", "wrong-key"])
def test_bad_certificate_is_one_line_at_start_up(jina_bin, tmp_path, certificates, problem):
    cert, key = certificates / "cert.pem", certificates / "key.pem"
    if problem == "missing":
        cert = tmp_path / "nope.pem"
    elif problem == "garbage":
        cert = tmp_path / "garbage.pem"
        cert.write_text("not a certificate\n")
    else:
        key = certificates / "ca.key"
    path = write_flow(tmp_path, "jtype: Flow\n" + THREE + HELLO)
    started = time.monotonic()
    result = subprocess.run([jina_bin, "flow", "--uses", str(path), "--ssl-certfile", str(cert),
                             "--ssl-keyfile", str(key)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and ("ssl_certfile" in lines[0] or "ssl_keyfile" in lines[0]), result.stderr
    assert time.monotonic() - started < 30  # never a hang


# ---------------------------------------------------------------------------------------------
# malformed input at every protocol; the gateway keeps serving


def test_fuzzed_bodies_leave_the_gateway_serving(flows, tmp_path):
    flow = flows(write_flow(tmp_path, "jtype: Flow\n" + THREE + "  max_request_bytes: 200000\n" + HELLO))
    found = ports(flow)
    rng = random.Random(5)
    good = json.dumps({"data": [{"text": "ok"}]})
    proto = data_request(texts=("p",)).SerializeToString()
    bodies = [good[:cut] for cut in range(0, len(good), 3)] + [bytes(rng.randrange(256) for _ in range(rng.randrange(1, 300)))
                                                                 for _ in range(15)]

    for body in bodies:
        status, _ = post(found["http"], "/default", body)
        assert status in (200, 413, 422), (status, body)
    status, _ = post(found["http"], "/default", b"x" * 300000)
    assert status == 413

    with grpc.insecure_channel(f"127.0.0.1:{found['grpc']}") as channel:
        for cut in range(1, len(proto), 7):
            try:
                grpc_call(channel, proto[:cut])
            except grpc.RpcError:
                pass
        for _ in range(10):
            try:
                grpc_call(channel, bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200))))
            except grpc.RpcError:
                pass
        assert reply_texts(grpc_call(channel, proto)) == ["p!"]

    async def websocket():
        async with websockets.connect(f"ws://127.0.0.1:{found['ws']}/", subprotocols=["bytes"]) as socket:
            sent = 0
            for cut in range(1, len(proto), 5):
                await socket.send(proto[:cut])
                sent += 1
            for body in bodies:
                if isinstance(body, str):
                    await socket.send(body)
                    sent += 1
            for _ in range(sent):
                await socket.recv()  # every message is answered, none kills the connection
            await socket.send(proto)
            assert reply_texts(jina_pb2.DataRequestProto.FromString(await socket.recv())) == ["p!"]

    asyncio.run(websocket())
    status, reply = post(found["http"], "/default", good)
    assert status == 200 and reply["data"][0]["text"] == "ok!"
    assert flow.stop() == 0


# ---------------------------------------------------------------------------------------------
# shutdown with connections open


def test_sigterm_with_an_open_websocket_stops_cleanly(flows, tmp_path):
    flow = flows(write_flow(tmp_path, "jtype: Flow\n" + THREE + HELLO))
    found = ports(flow)

    async def hold_open_then_stop():
        async with websockets.connect(f"ws://127.0.0.1:{found['ws']}/", subprotocols=["bytes"]) as socket:
            await socket.send(data_request(texts=("h",)).SerializeToString())
            assert reply_texts(jina_pb2.DataRequestProto.FromString(await socket.recv())) == ["h!"]
            flow.proc.send_signal(signal.SIGTERM)
            # The gateway drains: the idle socket is closed by the server, not left hanging.
            with pytest.raises(websockets.ConnectionClosed):
                await asyncio.wait_for(socket.recv(), timeout=20)

    asyncio.run(hold_open_then_stop())
    assert flow.proc.wait(timeout=20) == 0
    assert "drain did not finish" not in flow.text("stderr")


# ---------------------------------------------------------------------------------------------
# `jina gateway` with the flags the exports pass


def test_jina_gateway_flags_token_file_and_tls(jina_bin, tmp_path, certificates):
    """An executor and a gateway started separately, as Kubernetes runs them: the gateway gets
    --token-file and --ssl-certfile/--ssl-keyfile and serves all three protocols."""
    socket_path = tmp_path / "e.sock"
    executor = subprocess.Popen([jina_bin, "executor", "--uses", "TextAppend", "--uses-with", '{"text": "!"}',
                                 "--name", "greeter", "--socket", str(socket_path)],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    gateway = None
    try:
        assert executor.stdout.readline().startswith("ready unix://")
        tokens = tmp_path / "tokens"
        tokens.write_text("k8s-secret-token\n")
        flow = write_flow(tmp_path, "jtype: Flow\n" + THREE + HELLO)
        gateway = subprocess.Popen(
            [jina_bin, "gateway", "--uses", str(flow), "--executor", f"greeter=unix://{socket_path}",
             "--host", "127.0.0.1", "--port", "0", "--port", "0", "--port", "0", "--token-file", str(tokens),
             "--ssl-certfile", str(certificates / "cert.pem"), "--ssl-keyfile", str(certificates / "key.pem")],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        urls = [gateway.stdout.readline().split()[1] for _ in range(3)]
        assert [url.split("://")[0] for url in urls] == ["grpcs", "https", "wss"]
        https = int(urls[1].rsplit(":", 1)[1])
        ca = ("--cacert", str(certificates / "ca.pem"))
        assert post(https, "/default", {"data": [{"text": "k"}]}, scheme="https", extra=ca)[0] == 401
        status, reply = post(https, "/default", {"data": [{"text": "k"}]}, "Authorization: Bearer k8s-secret-token",
                             scheme="https", extra=ca)
        assert status == 200 and reply["data"][0]["text"] == "k!"
        gateway.send_signal(signal.SIGTERM)
        assert gateway.wait(timeout=30) == 0
    finally:
        for process in (gateway, executor):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait(timeout=10)


def test_http_port_in_use_is_named(jina_bin, tmp_path):
    import socket
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = taken.getsockname()[1]
        flow = write_flow(tmp_path, f"jtype: Flow\ngateway:\n  protocol: [grpc, http]\n  port: [{free_port()}, {port}]\n" + HELLO)
        result = subprocess.run([jina_bin, "flow", "--uses", str(flow)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"{port}" in result.stderr and "already in use" in result.stderr, result.stderr


def test_max_documents_on_grpc_and_websocket(flows, tmp_path):
    flow = flows(write_flow(tmp_path, "jtype: Flow\n" + THREE + "  max_documents: 3\n" + HELLO))
    found = ports(flow)
    too_many = data_request(texts=("a", "b", "c", "d")).SerializeToString()
    with grpc.insecure_channel(f"127.0.0.1:{found['grpc']}") as channel:
        reply = grpc_call(channel, too_many)
        assert reply.header.status.code == jina_pb2.StatusProto.ERROR
        assert reply.header.status.exception.name == "LimitExceeded" and "max_documents" in reply.header.status.description
        assert reply_texts(grpc_call(channel, data_request(texts=("a", "b", "c")).SerializeToString())) == ["a!", "b!", "c!"]

    async def websocket():
        async with websockets.connect(f"ws://127.0.0.1:{found['ws']}/", subprotocols=["bytes"]) as socket:
            await socket.send(too_many)
            reply = jina_pb2.DataRequestProto.FromString(await socket.recv())
            assert reply.header.status.exception.name == "LimitExceeded"

    asyncio.run(websocket())
    assert flow.stop() == 0
