"""`jina client post` and `jina ping` end to end: the built binary in shell pipelines against
Flows started with our `jina flow` (gRPC) and against Python Jina 3.34's own HTTP and WebSocket
gateways (wire compatibility: docarray-v2 HTTP bodies, the WebSocket `bytes` sub-protocol).

Every wait is on an event (a line printed, a process ending) with a deadline; ports come from
the OS.
"""
import json
import os
import pathlib
import re
import subprocess
import sys

import pytest

from conftest import REPO, run_jina
from test_flow_e2e import RunningFlow, example_with_port, flows, free_port, marker_bin, marker_flow  # noqa: F401

VENV_JINA = pathlib.Path(sys.executable).parent / "jina"
REQUEST_ID = r"[0-9a-f]{32}"


def shell(command: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """Runs a shell pipeline (bash, pipefail) from the repository root."""
    return subprocess.run(["bash", "-o", "pipefail", "-c", command], capture_output=True, text=True,
                          timeout=timeout, cwd=REPO)


def generator(count: int) -> str:
    """A shell command printing `count` JSON documents, one per line: id d<i>, text x<i>."""
    return (f"{sys.executable} -c 'import json\nfor i in range({count}): "
            f"print(json.dumps({{\"id\": f\"d{{i}}\", \"text\": f\"x{{i}}\"}}))'")


def read_jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


# ---------------------------------------------------------------------------------------------
# against our own gateway (gRPC)


@pytest.fixture
def hello(flows, tmp_path):
    flow = flows(example_with_port(tmp_path, "hello.yml", free_port()))
    return f"grpc://127.0.0.1:{flow.grpc_port()}"


def test_10000_documents_through_a_flow_in_a_shell_pipeline(jina_bin, hello, tmp_path):
    out = tmp_path / "out.jsonl"
    result = shell(f"{generator(10_000)} | {jina_bin} client post --host {hello} --endpoint /index "
                   f"--request-size 100 | tee {out} | wc -l")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "10000"
    assert result.stderr == "", "no progress bar when stderr is not a terminal"
    docs = read_jsonl(out.read_text())
    assert [doc["id"] for doc in docs] == [f"d{i}" for i in range(10_000)], "output order = input order"
    assert all(doc["text"] == f"x{i}hello, world!hello, world!" for i, doc in enumerate(docs))


def test_text_lines_and_parameters_from_a_file(jina_bin, hello, tmp_path):
    source = tmp_path / "lines.txt"
    source.write_text("first line\nsecond {not json}\n")
    result = run_jina(jina_bin, "client", "post", "--host", hello, "--endpoint", "index", "--input", str(source),
                      "--text", "--request-size", "1", "--parameters", '{"top_k": 3}')
    assert result.returncode == 0, result.stderr
    assert [doc["text"] for doc in read_jsonl(result.stdout)] == [
        "first linehello, world!hello, world!", "second {not json}hello, world!hello, world!"]


def test_a_bad_input_line_is_invalid_input_naming_the_line(jina_bin, hello):
    result = run_jina(jina_bin, "client", "post", "--host", hello, "--endpoint", "/", stdin='{"text": "ok"}\nnot json\n')
    assert result.returncode == 2
    assert result.stderr.startswith("error: <stdin>:2: "), result.stderr
    assert "hint:" in result.stderr


def test_a_failing_request_exits_1_naming_the_request_id_and_the_executor(flows, tmp_path, jina_bin, marker_bin):
    flow = flows(marker_flow(tmp_path, marker_bin, free_port()))
    host = f"grpc://127.0.0.1:{flow.grpc_port()}"
    result = shell(f"{generator(5)} | {jina_bin} client post --host {host} --endpoint /fail")
    assert result.returncode == 1
    assert re.search(rf"^error: request {REQUEST_ID} failed in executor `MarkerExecutor`: .*marker s0r0 was asked to fail$",
                     result.stderr, re.M), result.stderr
    assert result.stdout == ""


def test_an_unreachable_gateway_is_a_runtime_failure(jina_bin):
    result = run_jina(jina_bin, "client", "post", "--host", f"grpc://127.0.0.1:{free_port()}", "--endpoint", "/",
                      stdin='{"text": "a"}\n')
    assert result.returncode == 1
    assert result.stderr.startswith("error: cannot talk to grpc://127.0.0.1:"), result.stderr


def test_flags_are_checked(jina_bin):
    missing = run_jina(jina_bin, "client", "post", "--host", "grpc://127.0.0.1:1", "--endpoint", "/",
                       "--token-env", "JINA_TEST_TOKEN_THAT_IS_NOT_SET", stdin="")
    assert missing.returncode == 2 and "JINA_TEST_TOKEN_THAT_IS_NOT_SET" in missing.stderr
    bad_target = run_jina(jina_bin, "client", "post", "--host", "ftp://h:1", "--endpoint", "/", stdin="")
    assert bad_target.returncode == 2 and "invalid target" in bad_target.stderr
    bad_parameters = run_jina(jina_bin, "client", "post", "--host", "grpc://h:1", "--endpoint", "/",
                              "--parameters", "[1]", stdin="")
    assert bad_parameters.returncode == 2 and "--parameters" in bad_parameters.stderr


# ---------------------------------------------------------------------------------------------
# against Python Jina 3.34's HTTP and WebSocket gateways

REFERENCE_EXECUTOR = '''
from docarray import DocList
from docarray.documents import TextDoc
from jina import Executor, requests


class Suffix(Executor):
    """Appends "|py" to every text; /fail raises."""

    @requests(on="/fail")
    async def fail(self, docs: DocList[TextDoc], **kwargs) -> DocList[TextDoc]:
        raise ValueError("refused by Suffix")

    @requests
    async def append(self, docs: DocList[TextDoc], **kwargs) -> DocList[TextDoc]:
        for doc in docs:
            doc.text = (doc.text or "") + "|py"
        return docs
'''


@pytest.fixture(scope="module")
def reference_flow(tmp_path_factory):
    """One Python Jina Flow serving HTTP and WebSocket: {"http": url, "websocket": url}."""
    if not VENV_JINA.exists():
        pytest.skip(f"Python Jina not found at {VENV_JINA}")
    directory = tmp_path_factory.mktemp("reference")
    (directory / "suffix.py").write_text(REFERENCE_EXECUTOR)
    ports = [free_port(), free_port()]
    flow_file = directory / "flow.yml"
    flow_file.write_text(
        "jtype: Flow\nwith:\n  protocol: [http, websocket]\n"
        f"  port: [{ports[0]}, {ports[1]}]\n"
        f"executors:\n  - name: suffix\n    uses: Suffix\n    py_modules: [{directory / 'suffix.py'}]\n")
    flow = RunningFlow(str(VENV_JINA), flow_file, env={"JINA_LOG_NO_COLOR": "1", "JINA_OPTOUT_TELEMETRY": "1"})
    try:
        flow.wait_for(r"ready to serve", stream="stdout", timeout=120)
        yield {"http": f"http://127.0.0.1:{ports[0]}", "websocket": f"ws://127.0.0.1:{ports[1]}"}
    finally:
        flow.kill_all()


@pytest.mark.parametrize("protocol", ["http", "websocket"])
def test_documents_through_python_jina(jina_bin, reference_flow, tmp_path, protocol):
    host = reference_flow[protocol]
    out = tmp_path / "out.jsonl"
    result = shell(f"{generator(1000)} | {jina_bin} client post --host {host} --endpoint /default --request-size 50 "
                   f"--parameters '{{\"k\": 1}}' > {out}")
    assert result.returncode == 0, result.stderr
    docs = read_jsonl(out.read_text())
    assert [doc["text"] for doc in docs] == [f"x{i}|py" for i in range(1000)]
    assert [doc["id"] for doc in docs] == [f"d{i}" for i in range(1000)]


@pytest.mark.parametrize("protocol", ["http", "websocket"])
def test_an_executor_error_from_python_jina_names_the_request(jina_bin, reference_flow, protocol):
    result = run_jina(jina_bin, "client", "post", "--host", reference_flow[protocol], "--endpoint", "/fail",
                      stdin='{"text": "a"}\n')
    assert result.returncode == 1
    assert re.search(rf"^error: request {REQUEST_ID} failed.*: ValueError\('refused by Suffix'\)", result.stderr,
                     re.M), result.stderr
    if protocol == "websocket":
        assert "in executor `Suffix`" in result.stderr


def test_an_unknown_http_endpoint_says_which_endpoints_exist(jina_bin, reference_flow):
    result = run_jina(jina_bin, "client", "post", "--host", reference_flow["http"], "--endpoint", "/nowhere",
                      stdin='{"text": "a"}\n')
    assert result.returncode == 1
    assert "HTTP 404" in result.stderr and "/default" in result.stderr, result.stderr


@pytest.mark.parametrize("protocol", ["http", "websocket"])
@pytest.mark.parametrize("kind", ["flow", "gateway"])
def test_ping_over_http_and_websocket(jina_bin, reference_flow, protocol, kind):
    result = run_jina(jina_bin, "ping", kind, reference_flow[protocol], "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["ok"] is True


@pytest.mark.parametrize("scheme", ["http", "ws"])
def test_ping_a_closed_port_fails(jina_bin, scheme):
    result = run_jina(jina_bin, "ping", "gateway", f"{scheme}://127.0.0.1:{free_port()}", "--timeout", "2s")
    assert result.returncode == 1
    assert "not ready" in result.stdout


# ---------------------------------------------------------------------------------------------
# against our own gateway on every protocol, with TLS and a token


def multi_protocol_flow(tmp_path, ports, extra: str = "") -> pathlib.Path:
    path = tmp_path / "multi.yml"
    path.write_text("jtype: Flow\ngateway:\n  protocol: [grpc, http, websocket]\n"
                    f"  port: [{ports[0]}, {ports[1]}, {ports[2]}]\n{extra}"
                    "executors:\n  - name: greeter\n    uses: TextAppend\n    uses_with: {text: '!'}\n")
    return path


@pytest.fixture
def ours(flows, tmp_path):
    """Our `jina flow` serving gRPC, HTTP and WebSocket: {scheme: url}."""
    ports = [free_port() for _ in range(3)]
    flow = flows(multi_protocol_flow(tmp_path, ports))
    flow.wait_for(r"^ready wss?://", stream="stdout")  # the last protocol's line: all are up
    return {"grpc": f"grpc://127.0.0.1:{ports[0]}", "http": f"http://127.0.0.1:{ports[1]}",
            "websocket": f"ws://127.0.0.1:{ports[2]}"}


@pytest.mark.parametrize("protocol", ["grpc", "http", "websocket"])
def test_our_gateway_over_every_protocol(jina_bin, ours, tmp_path, protocol):
    out = tmp_path / "out.jsonl"
    result = shell(f"{generator(2000)} | {jina_bin} client post --host {ours[protocol]} --endpoint /default "
                   f"--request-size 64 > {out}")
    assert result.returncode == 0, result.stderr
    docs = read_jsonl(out.read_text())
    assert [(doc["id"], doc["text"]) for doc in docs] == [(f"d{i}", f"x{i}!") for i in range(2000)]
    for kind in ("flow", "gateway"):
        ping = run_jina(jina_bin, "ping", kind, ours[protocol])
        assert ping.returncode == 0, ping.stdout


@pytest.fixture(scope="module")
def certificates(tmp_path_factory):
    """A throwaway CA and a server certificate for localhost and 127.0.0.1, made with openssl."""
    directory = tmp_path_factory.mktemp("tls")

    def openssl(*args):
        subprocess.run(["openssl", *args], cwd=directory, check=True, capture_output=True)

    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
            "-subj", "/CN=jina test CA")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost")
    (directory / "ext.cnf").write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n"
                                       "extendedKeyUsage=serverAuth\n")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-out", "server.pem", "-days", "2", "-extfile", "ext.cnf")
    return directory


@pytest.fixture
def secured(flows, tmp_path, certificates):
    """Our gateway on every protocol with TLS and a bearer token (from JINA_TEST_GATEWAY_TOKEN)."""
    ports = [free_port() for _ in range(3)]
    extra = (f"  ssl_certfile: {certificates / 'server.pem'}\n  ssl_keyfile: {certificates / 'server.key'}\n"
             "  token_env: JINA_TEST_GATEWAY_TOKEN\n")
    flow = flows(multi_protocol_flow(tmp_path, ports, extra), env={"JINA_TEST_GATEWAY_TOKEN": "s3cret"})
    flow.wait_for(r"^ready wss?://", stream="stdout")  # the last protocol's line: all are up
    return {"grpc": f"grpcs://localhost:{ports[0]}", "http": f"https://localhost:{ports[1]}",
            "websocket": f"wss://localhost:{ports[2]}"}


@pytest.mark.parametrize("protocol", ["grpc", "http", "websocket"])
def test_tls_and_token_on_every_protocol(jina_bin, secured, certificates, protocol):
    host = secured[protocol]
    ca = str(certificates / "ca.pem")
    token = {"CLIENT_TOKEN": "s3cret"}
    docs = '{"id": "a", "text": "a"}\n{"id": "b", "text": "b"}\n'
    ok = run_jina(jina_bin, "client", "post", "--host", host, "--endpoint", "/default", "--ca", ca,
                  "--token-env", "CLIENT_TOKEN", stdin=docs, env=token)
    assert ok.returncode == 0, ok.stderr
    assert [doc["text"] for doc in read_jsonl(ok.stdout)] == ["a!", "b!"]

    no_token = run_jina(jina_bin, "client", "post", "--host", host, "--endpoint", "/default", "--ca", ca, stdin=docs)
    assert no_token.returncode == 1
    assert "--token" in no_token.stderr, no_token.stderr
    wrong_token = run_jina(jina_bin, "client", "post", "--host", host, "--endpoint", "/default", "--ca", ca,
                           "--token", "wrong", stdin=docs)
    assert wrong_token.returncode == 1

    untrusted = run_jina(jina_bin, "client", "post", "--host", host, "--endpoint", "/default", "--token", "s3cret",
                         stdin=docs)
    assert untrusted.returncode == 1
    assert "CERTIFICATE_VERIFY_FAILED" in untrusted.stderr or "certificate" in untrusted.stderr.lower(), untrusted.stderr

    for kind in ("flow", "gateway"):
        ping = run_jina(jina_bin, "ping", kind, host, "--ca", ca, "--token-env", "CLIENT_TOKEN", env=token)
        assert ping.returncode == 0, ping.stdout
    untrusted_ping = run_jina(jina_bin, "ping", "flow", host, "--token", "s3cret")
    assert untrusted_ping.returncode == 1


@pytest.mark.parametrize("protocol", ["grpc", "http", "websocket"])
def test_a_gateway_that_dies_mid_stream_ends_the_client_with_exit_1(jina_bin, flows, tmp_path, protocol):
    ports = [free_port() for _ in range(3)]
    flow = flows(multi_protocol_flow(tmp_path, ports))
    flow.wait_for(r"^ready wss?://", stream="stdout")  # the last protocol's line: all are up
    host = {"grpc": f"grpc://127.0.0.1:{ports[0]}", "http": f"http://127.0.0.1:{ports[1]}",
            "websocket": f"ws://127.0.0.1:{ports[2]}"}[protocol]
    client = subprocess.Popen(["bash", "-c", f"{generator(1_000_000)} | {jina_bin} client post --host {host} "
                               "--endpoint /default --request-size 10"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO)
    try:
        assert client.stdout.readline(), "the first result arrives"
        flow.kill_all()
        client.stdout.read()  # drain so the client never blocks on a full pipe
        assert client.wait(timeout=60) == 1
        stderr = client.stderr.read()
        assert re.search(r"^error: (cannot talk to|request [0-9a-f]{32} failed)", stderr, re.M), stderr
    finally:
        if client.poll() is None:
            client.kill()
