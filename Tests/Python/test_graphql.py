"""GraphQL (#18 item 1): `expose_graphql_endpoint: true` adds `/graphql` to the HTTP gateway,
with the schema Python Jina served with docarray v1. Driven by a real GraphQL client (`gql`
with its requests transport): introspection, the mutation and the query with field selection,
an executor's error, auth and the request limits. `jina export graphql-schema` prints the SDL.
"""
import json
import os

import pytest
import requests as http
from gql import Client, gql
from gql.transport.exceptions import TransportQueryError, TransportServerError
from gql.transport.requests import RequestsHTTPTransport

from conftest import run_jina
from test_flow_e2e import RunningFlow, free_port, marker_bin, write_flow  # noqa: F401 (fixtures)

os.environ.setdefault("JINA_OPTOUT_TELEMETRY", "1")

TOKEN = "s3cret-token"


@pytest.fixture(scope="module")
def gateway(tmp_path_factory, marker_bin, jina_bin):
    port, grpc = free_port(), free_port()
    tmp = tmp_path_factory.mktemp("graphql")
    (tmp / "tokens.txt").write_text(TOKEN + "\n")
    path = write_flow(tmp, f"""jtype: Flow
gateway:
  protocol: [grpc, http]
  port: [{grpc}, {port}]
  expose_graphql_endpoint: true
  token_file: {tmp / "tokens.txt"}
  max_documents: 5
executors:
  - name: bang
    uses: TextAppend
    uses_with: {{text: "!"}}
  - name: marker
    uses: {marker_bin}
""")
    flow = RunningFlow(jina_bin, path)
    flow.wait_ready()
    yield port
    assert flow.stop() == 0


def client(port, token=TOKEN):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return Client(transport=RequestsHTTPTransport(url=f"http://127.0.0.1:{port}/graphql", headers=headers, timeout=30),
                  fetch_schema_from_transport=True)


def raw(port, query, variables=None, token=TOKEN):
    return http.post(f"http://127.0.0.1:{port}/graphql", json={"query": query, "variables": variables or {}},
                     headers={"Authorization": f"Bearer {token}"}, timeout=30)


def test_introspection_gives_jinas_docarray_v1_schema(gateway):
    with client(gateway) as session:
        schema = session.client.schema
    assert schema.query_type.fields["docs"].args.keys() >= {"data", "targetExecutor", "parameters", "execEndpoint"}
    # Jina declares `execEndpoint: String! = "/search"`; ours applies the same default itself (see
    # docs/gateway.md: the GraphQL library misprints a `/` in a declared default).
    assert "default /search" in schema.mutation_type.fields["docs"].args["execEndpoint"].description
    document = schema.type_map["StrawberryDocument"]
    assert {"id", "text", "uri", "url", "tags", "embedding", "tensor", "scores", "matches", "chunks", "blob"} <= set(document.fields)
    assert "StrawberryDocumentInput" in schema.type_map and "JSONScalar" in schema.type_map


def test_mutation_with_field_selection(gateway):
    mutation = gql("""
        mutation ($docs: [StrawberryDocumentInput!]) {
          docs(data: $docs, execEndpoint: "/index", parameters: {k: 1}) { id text matches { text } }
        }""")
    with client(gateway) as session:
        result = session.execute(mutation, variable_values={"docs": [
            {"id": "a", "text": "hello", "tags": {"n": 1}, "matches": [{"text": "m"}]},
            {"id": "b", "text": "world", "embedding": [1.0, 2.0]},
        ]})
    # The chain ran (TextAppend, then the marker) and only the selected fields came back.
    assert result["docs"] == [
        {"id": "a", "text": "hello!|s0r0", "matches": [{"text": "m"}]},
        {"id": "b", "text": "world!|s0r0", "matches": None},
    ]


def test_selection_limits_the_returned_fields(gateway):
    reply = raw(gateway, '{ docs(data: [{id: "x", text: "t", tags: {a: "b"}, embedding: [0.5]}]) { id } }')
    assert reply.status_code == 200
    assert reply.json() == {"data": {"docs": [{"id": "x"}]}}
    full = raw(gateway, '{ docs(data: [{id: "x", text: "t", tags: {a: "b"}, embedding: [0.5]}]) { id tags embedding } }').json()
    doc = full["data"]["docs"][0]
    assert doc["tags"]["a"] == "b" and doc["tags"]["shard0"] == "replica0" and doc["embedding"] == [0.5]


def test_query_form_and_get(gateway):
    with client(gateway) as session:
        result = session.execute(gql('query { docs(data: [{text: "q"}], targetExecutor: "bang") { text } }'))
    assert result["docs"] == [{"text": "q!"}]  # the marker did not run
    reply = http.get(f"http://127.0.0.1:{gateway}/graphql", params={"query": '{ docs(data: [{text: "g"}]) { text } }'},
                     headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30)
    assert reply.json() == {"data": {"docs": [{"text": "g!|s0r0"}]}}


def test_an_executors_error_names_the_executor_and_request(gateway):
    with client(gateway) as session:
        with pytest.raises(TransportQueryError) as raised:
            session.execute(gql('mutation { docs(data: [{text: "x"}], execEndpoint: "/fail") { text } }'))
    error = raised.value.errors[0]
    assert "marker s0r0 was asked to fail" in error["message"]
    assert error["extensions"]["executor"] == "MarkerExecutor" and error["extensions"]["request_id"]
    assert error["path"] == ["docs"]


def test_auth_and_limits(gateway):
    with pytest.raises(TransportServerError) as raised:
        with client(gateway, token=None) as session:
            session.execute(gql("{ docs { id } }"))
    assert raised.value.code == 401
    docs = ", ".join(f'{{text: "{i}"}}' for i in range(6))
    errors = raw(gateway, f"{{ docs(data: [{docs}]) {{ id }} }}").json()["errors"]
    assert "max_documents" in errors[0]["message"]
    assert raw(gateway, "{ docs(", token=TOKEN).json()["errors"][0]["message"].startswith("Syntax Error")
    assert raw(gateway, "{ nope }").json()["errors"][0]["message"].startswith("Cannot query field")


def test_export_graphql_schema_prints_the_sdl(jina_bin):
    result = run_jina(jina_bin, "export", "graphql-schema")
    assert result.returncode == 0
    assert "type StrawberryDocument {" in result.stdout
    assert "targetExecutor: String" in result.stdout and "parameters: JSONScalar" in result.stdout
    assert "): [StrawberryDocument!]!" in result.stdout and "input StrawberryDocumentInput {" in result.stdout


def test_jina_client_speaks_graphql(gateway, jina_bin):
    stdin = '{"id": "a", "text": "one", "tags": {"k": "v"}, "scores": {"cos": {"value": 0.5}}}\n{"id": "b", "text": "two"}\n'
    result = run_jina(jina_bin, "client", "post", "--host", f"http://127.0.0.1:{gateway}/graphql", "--endpoint", "/index",
                      "--token", TOKEN, stdin=stdin)
    assert result.returncode == 0, result.stderr
    docs = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(doc["id"], doc["text"]) for doc in docs] == [("a", "one!|s0r0"), ("b", "two!|s0r0")]
    assert docs[0]["tags"]["k"] == "v" and docs[0]["scores"]["cos"]["value"] == 0.5
    failed = run_jina(jina_bin, "client", "post", "--host", f"http://127.0.0.1:{gateway}/graphql", "--endpoint", "/fail",
                      "--token", TOKEN, stdin='{"text": "x"}\n')
    assert failed.returncode != 0 and "marker s0r0 was asked to fail" in failed.stderr


def test_a_deeply_nested_query_is_refused_not_a_crash(gateway):
    for depth in (60, 5000):
        query = "{ docs(data: [{text: \"x\"}]) { " + "matches { " * depth + "id" + " }" * depth + " } }"
        errors = raw(gateway, query).json()["errors"]
        assert "nests more than 48 levels" in errors[0]["message"]
    variables = {"d": [{"text": "x", "chunks": [{"chunks": [{"chunks": []}]}]}]}
    for _ in range(60):
        variables = {"d": [{"chunks": variables["d"]}]}
    reply = raw(gateway, "query ($d: [StrawberryDocumentInput!]) { docs(data: $d) { id } }", variables)
    assert reply.status_code == 400 and "nest more than 48 levels" in reply.json()["errors"][0]["message"]
    # The gateway still answers.
    assert raw(gateway, '{ docs(data: [{text: "ok"}]) { text } }').json() == {"data": {"docs": [{"text": "ok!|s0r0"}]}}


def test_answer_fields_follow_the_selection_order(gateway):
    text = raw(gateway, '{ docs(data: [{id: "o", text: "t"}]) { text uri id mimeType tags } }').text
    positions = [text.index(f'"{name}"') for name in ("text", "uri", "id", "mimeType", "tags")]
    assert positions == sorted(positions), text
