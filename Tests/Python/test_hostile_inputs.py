"""Hostile request bodies (#17 item 4, the part measured so far): each is answered with the right
status in bounded time, and the gateway keeps serving other clients. Figures in
docs/reliability.md."""
import json
import os
import time

import pytest
import requests as http

from test_flow_e2e import RunningFlow, free_port, write_flow  # noqa: F401 (fixtures)

os.environ.setdefault("JINA_OPTOUT_TELEMETRY", "1")


@pytest.fixture(scope="module")
def gateway(tmp_path_factory, jina_bin):
    port, grpc = free_port(), free_port()
    tmp = tmp_path_factory.mktemp("hostile")
    flow = RunningFlow(jina_bin, write_flow(tmp, f"""jtype: Flow
gateway:
  protocol: [grpc, http]
  port: [{grpc}, {port}]
  expose_graphql_endpoint: true
  max_request_bytes: 4000000
  max_documents: 1000
executors:
  - name: bang
    uses: TextAppend
    uses_with: {{text: "!"}}
"""))
    flow.wait_ready()
    yield f"http://127.0.0.1:{port}"
    assert flow.stop() == 0


def post(url, body: bytes, path="/default"):
    started = time.monotonic()
    reply = http.post(url + path, data=body, headers={"Content-Type": "application/json"}, timeout=60)
    return reply, time.monotonic() - started


def still_serving(url):
    reply = http.post(url + "/default", json={"data": [{"text": "ok"}]}, timeout=10)
    assert reply.status_code == 200 and reply.json()["data"][0]["text"] == "ok!"


@pytest.mark.parametrize("opener,closer", [('{"a":', "}"), ("[", "]")])
def test_deeply_nested_json_is_422_at_once(gateway, opener, closer):
    depth = 200_000
    body = ('{"data":[{"tags":{"x":' + opener * depth + "1" + closer * depth + "}}]}").encode()
    reply, elapsed = post(gateway, body)
    assert reply.status_code == 422 and "nested too deeply" in reply.text
    assert elapsed < 5
    still_serving(gateway)


def test_nesting_the_json_parser_allows_but_protobuf_does_not_is_422(gateway):
    body = ('{"data":[{"tags":' + '{"a":' * 300 + "1" + "}" * 300 + "}]}").encode()
    reply, _ = post(gateway, body)
    assert reply.status_code == 422 and "messageDepthLimit" in reply.text
    still_serving(gateway)


def test_invalid_utf8_is_read_with_replacement_characters(gateway):
    reply, _ = post(gateway, b'{"data":[{"text":"\xff\xfe ok"}]}')
    assert reply.status_code == 200 and reply.json()["data"][0]["text"] == "\ufffd\ufffd ok!"


def test_oversized_body_and_too_many_documents_are_413(gateway):
    reply, _ = post(gateway, b'{"data":[{"text":"' + b"x" * 4_100_000 + b'"}]}')
    assert reply.status_code == 413 and "max_request_bytes" in reply.text
    reply, _ = post(gateway, json.dumps({"data": [{"text": "x"} for _ in range(1001)]}).encode())
    assert reply.status_code == 413
    still_serving(gateway)


def test_a_graphql_query_nested_thousands_deep_is_refused(gateway):
    query = "{ docs(data: [{text: \"x\"}]) { " + "matches { " * 20_000 + "id" + " }" * 20_000 + " } }"
    reply, elapsed = post(gateway, json.dumps({"query": query}).encode(), path="/graphql")
    assert reply.status_code == 200 and "nests more than 48 levels" in reply.json()["errors"][0]["message"]
    assert elapsed < 5
    still_serving(gateway)
