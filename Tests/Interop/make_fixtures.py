#!/usr/bin/env python3
"""Regenerates Tests/Fixtures/ from the reference implementation (Python Jina 3.34, docarray
0.41). Run in the reference venv:

    JINA_OPTOUT_TELEMETRY=1 "$(scripts/reference-venv.sh | tail -1)/bin/python" Tests/Interop/make_fixtures.py

Writes (see Tests/Fixtures/README.md):
  docarray/<name>.pb          serialized docarray.DocProto / docarray.DocListProto, made by docarray
  docarray/<name>.json        docarray's own JSON of the document(s) (doc.json())
  docarray/<name>.proto.json  the same protobuf message in protobuf JSON form (field names as in .proto)
  docarray/node-types.json    the `type` strings and numpy dtype strings docarray puts on nodes
  jina/request.pb (+ .json)   the DataRequestProto jina.Client sends for one TextDoc (request_id fixed)
  jina/endpoints-untyped.pb (+ .json)  EndpointsProto from a Python executor's endpoint_discovery

Every output is deterministic (fixed ids, fixed request_id), so re-running it gives the same files;
only the endpoints reply depends on the Jina version (its schemas).
"""
import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import warnings
from concurrent import futures
from typing import Any, Dict, List, Optional, Set, Tuple

os.environ.setdefault("JINA_OPTOUT_TELEMETRY", "1")
warnings.filterwarnings("ignore")  # pydantic deprecation chatter from docarray's .json()

import numpy as np  # noqa: E402
from google.protobuf import json_format  # noqa: E402

from docarray import BaseDoc, DocList  # noqa: E402
from docarray.documents import ImageDoc, TextDoc  # noqa: E402
from docarray.typing import NdArray  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
REQUEST_ID = "0123456789abcdef0123456789abcdef"  # same as shared/bench/request.pb


# ---------------------------------------------------------------------------------------------
# (a) documents


class ProductDoc(BaseDoc):
    """A custom schema: a tags dict, a list field, and fields our Document does not model."""

    name: str
    tags: Dict[str, Any] = {}
    price: float = 0.0
    labels: List[str] = []
    count: int = 0
    in_stock: bool = True
    note: Optional[str] = None
    scores: NdArray = None


class NestedDoc(BaseDoc):
    """A document with a nested doc, matches and chunks (DocLists), a tuple, a set and bytes."""

    text: str = ""
    parent: Optional[TextDoc] = None
    matches: DocList[TextDoc] = DocList[TextDoc]()
    chunks: DocList[TextDoc] = DocList[TextDoc]()
    pair: Tuple[int, str] = (0, "")
    kinds: Set[str] = set()
    raw: bytes = b""


def documents():
    """name -> (docarray object, protobuf message)."""
    text = TextDoc(id="text-doc-0", text="hello world")
    image = ImageDoc(
        id="image-doc-0",
        url="https://example.com/cat.png",
        embedding=np.array([0.5, -1.0, 2.25, 3.0], dtype=np.float32),
        tensor=np.arange(12, dtype=np.uint8).reshape(2, 2, 3),
    )
    product = ProductDoc(
        id="product-doc-0",
        name="lamp",
        tags={"color": "red", "size": 3, "weight": 1.5, "sale": True, "dims": [10, 20], "meta": {"origin": "DE", "ref": None}},
        price=19.99,
        labels=["home", "light"],
        count=7,
        scores=np.array([0.25, 0.75], dtype=np.float64),
    )
    nested = NestedDoc(
        id="nested-doc-0",
        text="root",
        parent=TextDoc(id="parent-0", text="parent"),
        matches=DocList[TextDoc]([TextDoc(id="match-0", text="m0"), TextDoc(id="match-1", text="m1")]),
        chunks=DocList[TextDoc]([TextDoc(id="chunk-0", text="c0")]),
        pair=(1, "one"),
        kinds={"a"},
        raw=b"\x00\x01\x02",  # docarray's JSON writes bytes as a UTF-8 string (fails on invalid UTF-8)
    )
    full_text = TextDoc(
        id="text-doc-1",
        text="all fields",
        url="https://example.com/a.txt",
        embedding=np.array([1.0, 2.0], dtype=np.float32),
        bytes_=b"abc",
    )
    doc_list = DocList[TextDoc]([TextDoc(id="list-doc-0", text="first"), TextDoc(id="list-doc-1", text="second")])
    out = {}
    for name, d in [("text-doc", text), ("text-doc-all-fields", full_text), ("image-doc", image), ("product-doc", product), ("nested-doc", nested)]:
        out[name] = (d, d.to_protobuf())
    out["text-doc-list"] = (doc_list, doc_list.to_protobuf())
    return out


def docarray_json(obj):
    if isinstance(obj, DocList):
        return [json.loads(d.json()) for d in obj]
    return json.loads(obj.json())


def proto_json(msg):
    return json_format.MessageToDict(msg, preserving_proto_field_name=True)


def dump_json(path, value):
    with open(path, "w") as f:
        json.dump(value, f, indent=2, sort_keys=True, ensure_ascii=False)
        f.write("\n")


def write_bytes(path, data):
    with open(path, "wb") as f:
        f.write(data)


def collect_node_types(msg, found, where=""):
    """Walks DocProto/DocListProto/NodeProto; records field path -> (content kind, type, dtype)."""
    name = type(msg).__name__
    if name == "DocListProto":
        for d in msg.docs:
            collect_node_types(d, found, where + "[]")
    elif name == "DocProto":
        for k in sorted(msg.data):
            collect_node_types(msg.data[k], found, f"{where}.{k}" if where else k)
    elif name == "NodeProto":
        kind = msg.WhichOneof("content")
        entry = {"content": kind or "(none: value is None)"}
        if msg.HasField("type"):
            entry["type"] = msg.type
        if kind == "ndarray":
            entry["dtype"] = msg.ndarray.dense.dtype
            entry["shape"] = list(msg.ndarray.dense.shape)
        found.setdefault(where, entry)
        if kind in ("doc", "doc_array"):
            collect_node_types(getattr(msg, kind), found, where)
        elif kind in ("list", "set", "tuple"):
            for n in getattr(msg, kind).data:
                collect_node_types(n, found, where + "[]")
        elif kind == "dict":
            for k in sorted(msg.dict.data):
                collect_node_types(msg.dict.data[k], found, f"{where}.{k}")


def numpy_dtypes():
    class V(BaseDoc):
        v: NdArray

    names = ["float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "bool"]
    return {n: V(v=np.zeros(1, dtype=n)).to_protobuf().data["v"].ndarray.dense.dtype for n in names}


def make_documents(out_dir):
    d = os.path.join(out_dir, "docarray")
    os.makedirs(d, exist_ok=True)
    facts = {"fields": {}, "numpy_dtypes": numpy_dtypes()}
    for name, (obj, msg) in documents().items():
        data = msg.SerializeToString()
        # round trip through docarray: the bytes must decode to an equal document
        back = type(msg)()
        back.ParseFromString(data)
        assert back == msg, name
        write_bytes(os.path.join(d, f"{name}.pb"), data)
        dump_json(os.path.join(d, f"{name}.json"), docarray_json(obj))
        dump_json(os.path.join(d, f"{name}.proto.json"), proto_json(msg))
        fields = {}
        collect_node_types(msg, fields)
        facts["fields"][f"{name} ({type(obj).__name__ if not isinstance(obj, DocList) else 'DocList[TextDoc]'})"] = fields
    # an int outside int32 cannot be encoded by docarray (NodeProto.integer is int32)
    try:
        ProductDoc(id="x", name="x", count=2**40).to_protobuf()
        facts["int_out_of_int32_range"] = "encoded"
    except ValueError as e:
        facts["int_out_of_int32_range"] = f"ValueError: {e.args[0] if e.args else e}"
    dump_json(os.path.join(d, "node-types.json"), facts)
    return facts


# ---------------------------------------------------------------------------------------------
# (b) what jina.Client sends


def capture_client_request():
    """Serves JinaRPC/Call (the gateway's method) with grpcio, lets jina.Client post one TextDoc,
    and returns the raw bytes of the DataRequestProto it sent."""
    import grpc
    from jina import Client

    captured = []

    def call(request_iterator, context):
        for raw in request_iterator:
            captured.append(raw)
            yield raw  # echo, so the client is satisfied

    handler = grpc.method_handlers_generic_handler(
        "jina.JinaRPC", {"Call": grpc.stream_stream_rpc_method_handler(call)}  # raw bytes in and out
    )
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    server.add_generic_rpc_handlers((handler,))
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        client = Client(host="127.0.0.1", port=port, protocol="grpc")
        client.post("/", DocList[TextDoc]([TextDoc(id="bench-doc-0", text="hello")]), return_type=DocList[TextDoc])
    finally:
        server.stop(0)
    assert len(captured) == 1, f"expected one request, got {len(captured)}"
    return captured[0]


def make_request(out_dir):
    from jina.proto import jina_pb2

    d = os.path.join(out_dir, "jina")
    os.makedirs(d, exist_ok=True)
    raw = capture_client_request()
    req = jina_pb2.DataRequestProto()
    req.ParseFromString(raw)
    sent_id = req.header.request_id
    # the client's request_id is a random uuid4 hex (32 chars): pin it to REQUEST_ID
    assert len(sent_id) == len(REQUEST_ID), sent_id
    pinned = raw.replace(sent_id.encode(), REQUEST_ID.encode())
    write_bytes(os.path.join(d, "request.pb"), pinned)
    req.ParseFromString(pinned)
    dump_json(os.path.join(d, "request.json"), proto_json(req))
    shared = os.path.join(os.path.dirname(ROOT), "shared", "bench", "request.pb")
    same = None
    if os.path.exists(shared):
        with open(shared, "rb") as f:
            same = f.read() == pinned
    return {"request_id_sent": sent_id, "identical_to_shared_bench_request_pb": same, "size": len(pinned)}


# ---------------------------------------------------------------------------------------------
# (c) endpoint_discovery of a Python executor


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_endpoints(out_dir, timeout=60.0):
    import grpc
    from google.protobuf import empty_pb2
    from jina.proto import jina_pb2, jina_pb2_grpc

    d = os.path.join(out_dir, "jina")
    os.makedirs(d, exist_ok=True)
    port = free_port()
    jina_bin = os.path.join(os.path.dirname(sys.executable), "jina")
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(
        [jina_bin, "executor", "--uses", "EchoExecutor", "--py-modules", os.path.join(HERE, "fixture_executor.py"),
         "--host", "127.0.0.1", "--port", str(port), "--quiet"],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        env={**os.environ, "JINA_OPTOUT_TELEMETRY": "1"},
    )
    try:
        # Wait for the port to accept connections before opening the channel: a gRPC channel
        # that failed to connect backs off exponentially and would keep failing fast.
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"executor exited: {log.read().decode(errors='replace')}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"executor not listening on {port} after {timeout}s")
                time.sleep(0.2)
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            # the raw reply bytes, exactly as the executor serialized them
            raw_call = channel.unary_unary(
                "/jina.JinaDiscoverEndpointsRPC/endpoint_discovery",
                request_serializer=empty_pb2.Empty.SerializeToString,
                response_deserializer=None,
            )
            reply = raw_call(empty_pb2.Empty(), timeout=timeout, wait_for_ready=True)
            # the same call through Jina's generated stub must decode it
            typed = jina_pb2_grpc.JinaDiscoverEndpointsRPCStub(channel).endpoint_discovery(empty_pb2.Empty(), timeout=5)
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    msg = jina_pb2.EndpointsProto()
    msg.ParseFromString(reply)
    assert msg == typed
    write_bytes(os.path.join(d, "endpoints-untyped.pb"), reply)
    dump_json(os.path.join(d, "endpoints-untyped.json"), proto_json(msg))
    return {"endpoints": list(msg.endpoints), "write_endpoints": list(msg.write_endpoints), "size": len(reply)}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out-dir", default=os.path.join(ROOT, "Tests", "Fixtures"))
    ap.add_argument("--skip-executor", action="store_true", help="do not start a Python executor (c)")
    a = ap.parse_args()
    facts = make_documents(a.out_dir)
    print("documents:", ", ".join(sorted(os.listdir(os.path.join(a.out_dir, "docarray")))))
    print("numpy dtypes:", facts["numpy_dtypes"])
    print("request:", make_request(a.out_dir))
    if not a.skip_executor:
        print("endpoints:", make_endpoints(a.out_dir))


if __name__ == "__main__":
    main()
